import { Stack, Text } from '@atlaskit/primitives';
import { RESOLVER_KEYS as K } from '../../../../src/contracts/keys';
import type { ProjectListItem } from '../../../../src/contracts/views';
import { resolver } from '../invoke';
import { useAsync } from '../useAsync';
import { Field, nativeControl } from './Field';
import { Loading } from './Loading';
import { ProjectIdField } from './ProjectIdField';

const listProjects = resolver<{ query?: string; includeNotSetUp?: boolean }, ProjectListItem[]>(K.listProjects);

/** The picker's words, in the calling module's own message keys. */
export interface ProjectPickerWords {
  picker: string;
  pickerHint: string;
  choose: string;
  option: (p: ProjectListItem) => string;
  /** The option kept for a value the list does not hold; without it there is none. */
  unlisted?: (projectId: string) => string;
  /** The hint under an empty list; without it an empty list falls back to typing the id. */
  none?: string;
  /** Above the id field when the list cannot be read. */
  listFailed: string;
  label: string;
  hint: string;
  invalid: string;
}

/**
 * The project a global module (admin page, dashboard gadget) works on, from the projects the user can
 * browse (`project/list`; with `includeNotSetUp`, those not set up yet too). Jira gives those modules no
 * project; if the list cannot be read, the user types the project's ID.
 */
export function ProjectPicker({
  id,
  value,
  onChange,
  words,
  includeNotSetUp = false,
  minWidth,
}: {
  id: string;
  value: string;
  onChange: (projectId: string) => void;
  words: ProjectPickerWords;
  includeNotSetUp?: boolean;
  minWidth?: string;
}) {
  const list = useAsync(() => listProjects(includeNotSetUp ? { includeNotSetUp: true } : {}), [includeNotSetUp]);
  if (list.status === 'loading') return <Loading />;
  if (list.status === 'error' || (list.data.length === 0 && words.none === undefined)) {
    return (
      <Stack space="space.050">
        {list.status === 'error' ? (
          <Text as="p" size="small" color="color.text.subtle" testId={`${id}-fallback`}>
            {words.listFailed}
          </Text>
        ) : null}
        <ProjectIdField id={id} label={words.label} hint={words.hint} invalidText={words.invalid} value={value} onChange={onChange} />
      </Stack>
    );
  }
  const listed = list.data.some((p) => p.id === value);
  return (
    <Field id={id} label={words.picker} hint={list.data.length === 0 && words.none !== undefined ? words.none : words.pickerHint}>
      <select id={id} style={minWidth ? { ...nativeControl, minWidth } : nativeControl} value={value} aria-describedby={`${id}-hint`} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{words.choose}</option>
        {value && !listed && words.unlisted ? <option value={value}>{words.unlisted(value)}</option> : null}
        {list.data.map((p) => (
          <option key={p.id} value={p.id}>
            {words.option(p)}
          </option>
        ))}
      </select>
    </Field>
  );
}
