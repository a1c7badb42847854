import { Label } from '@atlaskit/form';
import { Stack, Text } from '@atlaskit/primitives';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { useI18n } from '../../shared';
import { PersonField, type PeoplePool } from '../../shared/ui/PersonField';
import { usePanel } from './context';
import { epochToWallTime, wallTimeToEpoch } from '../../shared/zonedTime';
import { selectStyle } from '../../shared/ui/form';

/** One input of an action form. Bounds mirror the resolver's zod schema; the server still judges. */
export type FieldSpec =
  | { kind: 'text' | 'textarea' | 'url'; name: string; label: string; max: number; required?: boolean; initial?: string | null }
  | { kind: 'number'; name: string; label: string; min: number; max: number; integer?: boolean; required?: boolean; initial?: number | null; exclusiveMin?: boolean }
  | { kind: 'select'; name: string; label: string; options: { value: string; label: string }[]; required?: boolean; initial?: string | null }
  /** A result (passed / failed, yes / no): starts unchosen unless `initial` is given, and must be chosen. */
  | { kind: 'boolean'; name: string; label: string; yes: string; no: string; initial?: boolean }
  | { kind: 'datetime'; name: string; label: string; required?: boolean; initial?: number | null }
  /** A person, chosen with the people picker from `pool` (the team's people offered first for anyone-who-browses). */
  | { kind: 'person'; name: string; label: string; required?: boolean; initial?: string | null; pool: PeoplePool; suggestions?: readonly string[] }
  | { kind: 'lines'; name: string; label: string; maxItems: number; maxEach: number; initial?: readonly string[] };

export type RawValues = Record<string, string>;

export function initialValue(f: FieldSpec, timeZone: string | undefined): string {
  switch (f.kind) {
    case 'number':
      return f.initial === undefined || f.initial === null ? '' : String(f.initial);
    case 'boolean':
      // Nothing is recorded as passed (or succeeded, or yes) unless someone chose it.
      return f.initial === undefined ? '' : String(f.initial);
    case 'datetime':
      return f.initial === undefined || f.initial === null ? '' : epochToWallTime(f.initial, timeZone);
    case 'lines':
      return (f.initial ?? []).join('\n');
    case 'person':
      return f.initial ?? '';
    default:
      return f.initial ?? '';
  }
}

const required = (f: FieldSpec) => f.kind === 'boolean' || ('required' in f && f.required === true);

/** The first problem with a value, in the user's language; undefined when it is acceptable. */
export function validateField(f: FieldSpec, raw: string, t: ReturnType<typeof useI18n>['t'], timeZone: string | undefined): string | undefined {
  const value = raw.trim();
  if (value === '') return required(f) ? t('panel.form.required') : undefined;
  switch (f.kind) {
    case 'text':
    case 'textarea':
      return value.length > f.max ? t('panel.form.tooLong', { max: f.max }) : undefined;
    case 'url':
      if (value.length > f.max) return t('panel.form.tooLong', { max: f.max });
      return /^https?:\/\/[^\s]+$/i.test(value) ? undefined : t('panel.form.badUrl');
    case 'number': {
      const n = Number(value);
      if (!Number.isFinite(n)) return t('panel.form.notANumber');
      if (f.integer && !Number.isInteger(n)) return t('panel.form.notAnInteger');
      if ((f.exclusiveMin ? n <= f.min : n < f.min) || n > f.max) return t('panel.form.outOfRange', { min: f.min, max: f.max });
      return undefined;
    }
    case 'datetime':
      return wallTimeToEpoch(value, timeZone) === null ? t('panel.form.badDate') : undefined;
    case 'lines': {
      const lines = value.split('\n').map((l) => l.trim()).filter(Boolean);
      if (lines.length > f.maxItems) return t('panel.form.tooMany', { max: f.maxItems });
      return lines.some((l) => l.length > f.maxEach) ? t('panel.form.tooLong', { max: f.maxEach }) : undefined;
    }
    default:
      return undefined;
  }
}

/** The payload value of a field, or undefined to leave an empty optional field out. */
export function convertField(f: FieldSpec, raw: string, timeZone: string | undefined): unknown {
  const value = raw.trim();
  switch (f.kind) {
    case 'number':
      return value === '' ? undefined : Number(value);
    case 'boolean':
      return value === '' ? undefined : raw === 'true';
    case 'datetime':
      return value === '' ? undefined : (wallTimeToEpoch(value, timeZone) ?? undefined);
    case 'lines':
      return value.split('\n').map((l) => l.trim()).filter(Boolean);
    case 'person':
      return value === '' ? undefined : value;
    default:
      return value === '' ? undefined : value;
  }
}


/** A labelled input for `spec`; `error` is shown under it and tied to it for assistive tech. */
export function FieldInput({
  idPrefix,
  spec,
  value,
  error,
  onChange,
}: {
  idPrefix: string;
  spec: FieldSpec;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  const { view } = usePanel();
  const id = `${idPrefix}-${spec.name}`;
  const errorId = `${id}-error`;
  const labelId = `${id}-label`;
  const described = error ? errorId : undefined;
  const isRequired = required(spec);
  const onInput = (e: { currentTarget: { value: string } }) => onChange(e.currentTarget.value);
  let input;
  switch (spec.kind) {
    case 'textarea':
    case 'lines':
      input = (
        <TextArea
          id={id}
          name={spec.name}
          value={value}
          minimumRows={2}
          resize="vertical"
          isInvalid={Boolean(error)}
          isRequired={isRequired}
          aria-describedby={described}
          onChange={onInput}
        />
      );
      break;
    case 'select':
    case 'boolean': {
      const options = spec.kind === 'select' ? spec.options : [{ value: 'true', label: spec.yes }, { value: 'false', label: spec.no }];
      input = (
        <select id={id} name={spec.name} value={value} required={isRequired} aria-invalid={error ? true : undefined} aria-describedby={described} onChange={onInput} style={selectStyle}>
          <option value="">{t('panel.form.choose')}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    }
    case 'person':
      input = (
        <PersonField
          key={spec.pool}
          id={id}
          value={value}
          onChange={onChange}
          pool={spec.pool}
          projectId={view.projectId}
          suggestions={spec.suggestions ?? []}
          isInvalid={Boolean(error)}
          isRequired={isRequired}
          describedBy={described}
          labelId={labelId}
        />
      );
      break;
    default: {
      const type = spec.kind === 'number' ? 'number' : spec.kind === 'datetime' ? 'datetime-local' : spec.kind === 'url' ? 'url' : 'text';
      input = (
        <Textfield id={id} name={spec.name} type={type} value={value} isInvalid={Boolean(error)} isRequired={isRequired} aria-describedby={described} autoComplete="off" onChange={onInput} />
      );
    }
  }
  return (
    <Stack space="space.050">
      <Label htmlFor={id} id={labelId}>
        {spec.label}
        {isRequired ? <span aria-hidden="true"> *</span> : null}
      </Label>
      {input}
      {error ? (
        <Text as="p" size="small" color="color.text.danger" id={errorId}>
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}
