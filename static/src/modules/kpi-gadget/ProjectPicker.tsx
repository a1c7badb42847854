import { Stack, Text } from '@atlaskit/primitives';
import { token } from '@atlaskit/tokens';
import { RESOLVER_KEYS as K } from '../../../../src/contracts/keys';
import type { ProjectListItem } from '../../../../src/contracts/views';
import { Loading, resolver, useAsync, useI18n } from '../../shared';
import { ProjectIdField } from '../../shared/ui/ProjectIdField';

const listProjects = resolver<{ query?: string; includeNotSetUp?: boolean }, ProjectListItem[]>(K.listProjects);

const selectStyle = {
  font: token('font.body'),
  color: token('color.text'),
  background: token('color.background.input'),
  border: `${token('border.width')} solid ${token('color.border.input')}`,
  borderRadius: token('radius.small'),
  padding: `${token('space.050')} ${token('space.075')}`,
  minWidth: '14rem',
};

/**
 * The project whose KPIs the gadget shows, from the set-up projects the user can browse (`project/list`).
 * A configured project the list no longer holds stays selectable by its id; if the list cannot be read,
 * the user types the project's ID.
 */
export function ProjectPicker({ value, onChange }: { value: string; onChange: (projectId: string) => void }) {
  const { t } = useI18n();
  const list = useAsync(() => listProjects({}), []);
  if (list.status === 'loading') return <Loading />;
  if (list.status === 'error') {
    return (
      <Stack space="space.050">
        <Text as="p" size="small" color="color.text.subtle">
          {t('gadget.projectListFailed')}
        </Text>
        <ProjectIdField id="rg-gadget-project" label={t('gadget.projectLabel')} hint={t('gadget.projectHint')} invalidText={t('gadget.projectInvalid')} value={value} onChange={onChange} />
      </Stack>
    );
  }
  const listed = list.data.some((p) => p.id === value);
  return (
    <Stack space="space.050">
      <label htmlFor="rg-gadget-project">
        <Text size="small" weight="semibold">
          {t('gadget.projectPicker')}
        </Text>
      </label>
      <select id="rg-gadget-project" style={selectStyle} value={value} aria-describedby="rg-gadget-project-hint" onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{t('gadget.projectChoose')}</option>
        {value && !listed ? <option value={value}>{t('gadget.projectUnlisted', { id: value })}</option> : null}
        {list.data.map((p) => (
          <option key={p.id} value={p.id}>
            {t('gadget.projectOption', { key: p.key, name: p.name })}
          </option>
        ))}
      </select>
      <Text id="rg-gadget-project-hint" size="small" color="color.text.subtle">
        {list.data.length === 0 ? t('gadget.projectNone') : t('gadget.projectPickerHint')}
      </Text>
    </Stack>
  );
}
