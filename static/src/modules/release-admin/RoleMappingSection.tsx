import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import Textfield from '@atlaskit/textfield';
import { useState } from 'react';
import { STANDING_ROLES } from '../../../../src/domain/roles';
import { notify, ResolverError, useI18n } from '../../shared';
import { useVocabulary } from '../../shared/vocabulary';
import { saveRoleMapping, type SetupStatus, type StandingRole } from './api';
import { Field, nativeControl } from '../../shared/ui/Field';

/** Which Jira project role holds each standing role. The process owner edits; a project admin bootstraps it. */
export function RoleMappingSection({ headingId, projectId, status, onSaved }: { headingId: string; projectId: string; status: SetupStatus; onSaved: () => void }) {
  const { t } = useI18n();
  const { name } = useVocabulary();
  const [roles, setRoles] = useState<Partial<Record<StandingRole, string>>>(() => ({ ...(status.setup?.roleIds ?? {}) }));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const actor = status.actor;
  // The process owner maps; before a process owner is mapped, a Jira project admin bootstraps it (as the server decides).
  const mayMap = actor.standingRoles.includes('PROCESS_OWNER') || (actor.canAdminister && !status.setup?.roleIds.PROCESS_OWNER);
  const known = new Set(status.jiraRoles.map((r) => r.id));

  async function save() {
    setSaving(true);
    setError(null);
    try {
      const clean = Object.fromEntries(Object.entries(roles).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k, v]) => [k, String(v).trim()]));
      await saveRoleMapping({ projectId, expectedVersion: status.setup?.version ?? 0, roles: clean });
      notify('success', t('admin.roles.savedFlag'));
      onSaved();
    } catch (err) {
      setError({ message: err instanceof Error ? err.message : String(err), ...(err instanceof ResolverError && err.field ? { field: err.field } : {}) });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Stack space="space.150">
      <Heading size="small" as="h2" id={headingId}>
        {t('admin.roles.title')}
      </Heading>
      <Text as="p" color="color.text.subtle">
        {t('admin.roles.intro')}
      </Text>
      {!mayMap ? (
        <Text as="p" id="rg-roles-reason" size="small" color="color.text.subtle">
          {name('reason', 'NOT_PROCESS_OWNER')}
        </Text>
      ) : null}
      <Inline space="space.200" shouldWrap>
        {STANDING_ROLES.map((role) => {
          const id = `rg-role-${role}`;
          const fieldError = error?.field === `roles.${role}` ? error.message : undefined;
          return (
            <Field key={role} id={id} label={name('role', role)} error={fieldError}>
              {status.jiraRoles.length > 0 ? (
                <select
                  id={id}
                  style={nativeControl}
                  value={roles[role] ?? ''}
                  disabled={!mayMap}
                  onChange={(e) => setRoles({ ...roles, [role]: e.currentTarget.value })}
                >
                  <option value="">{t('admin.roles.none')}</option>
                  {roles[role] && !known.has(roles[role] ?? '') ? <option value={roles[role]}>{t('admin.roles.unknownRole', { id: roles[role] ?? '' })}</option> : null}
                  {status.jiraRoles.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              ) : (
                <Textfield
                  id={id}
                  inputMode="numeric"
                  value={roles[role] ?? ''}
                  isDisabled={!mayMap}
                  isInvalid={Boolean(fieldError)}
                  onChange={(e) => setRoles({ ...roles, [role]: e.currentTarget.value })}
                />
              )}
            </Field>
          );
        })}
      </Inline>
      {error && !error.field?.startsWith('roles.') ? (
        <Text as="p" color="color.text.danger" testId="rg-roles-error">
          {error.message}
        </Text>
      ) : null}
      <Inline>
        <Button appearance="primary" isLoading={saving} isDisabled={!mayMap} aria-describedby={!mayMap ? 'rg-roles-reason' : undefined} onClick={save} testId="rg-roles-save">
          {t('admin.roles.save')}
        </Button>
      </Inline>
    </Stack>
  );
}
