import { Stack, Text } from '@atlaskit/primitives';
import { Loading, useAsync, useI18n } from '../../shared';
import { ProjectIdField } from '../../shared/ui/ProjectIdField';
import { listProjects } from './api';
import { Field, nativeControl } from './fields';

/**
 * The project to administer, from the projects the user can browse (`project/list`, those not set up yet
 * included and marked). Jira gives a global admin page no project; if the list cannot be read, the admin
 * types the project's ID instead.
 */
export function ProjectPicker({ value, onChange }: { value: string; onChange: (projectId: string) => void }) {
  const { t } = useI18n();
  const list = useAsync(() => listProjects({ includeNotSetUp: true }), []);
  if (list.status === 'loading') return <Loading />;
  if (list.status === 'error' || list.data.length === 0) {
    return (
      <Stack space="space.050">
        {list.status === 'error' ? (
          <Text as="p" size="small" color="color.text.subtle" testId="rg-admin-project-fallback">
            {t('admin.projectListFailed')}
          </Text>
        ) : null}
        <ProjectIdField id="rg-admin-project" label={t('admin.projectLabel')} hint={t('admin.projectHint')} invalidText={t('admin.projectInvalid')} value={value} onChange={onChange} />
      </Stack>
    );
  }
  return (
    <Field id="rg-admin-project" label={t('admin.projectPicker')} hint={t('admin.projectPickerHint')}>
      <select id="rg-admin-project" style={nativeControl} value={value} aria-describedby="rg-admin-project-hint" onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{t('admin.projectChoose')}</option>
        {list.data.map((p) => (
          <option key={p.id} value={p.id}>
            {t(p.setUp ? 'admin.projectOption' : 'admin.projectOptionNotSetUp', { key: p.key, name: p.name })}
          </option>
        ))}
      </select>
    </Field>
  );
}
