import { Label } from '@atlaskit/form';
import { Stack, Text } from '@atlaskit/primitives';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { useI18n } from '../../shared';
import { knownName, useNames } from '../../shared/people';
import { epochToWallTime, wallTimeToEpoch } from '../../shared/zonedTime';
import { selectStyle } from '../../shared/ui/form';

/** One input of an action form. Bounds mirror the resolver's zod schema; the server still judges. */
export type FieldSpec =
  | { kind: 'text' | 'textarea' | 'url'; name: string; label: string; max: number; required?: boolean; initial?: string | null }
  | { kind: 'number'; name: string; label: string; min: number; max: number; integer?: boolean; required?: boolean; initial?: number | null; exclusiveMin?: boolean }
  | { kind: 'select'; name: string; label: string; options: { value: string; label: string }[]; required?: boolean; initial?: string | null }
  | { kind: 'boolean'; name: string; label: string; yes: string; no: string; initial?: boolean }
  | { kind: 'datetime'; name: string; label: string; required?: boolean; initial?: number | null }
  | { kind: 'account'; name: string; label: string; required?: boolean; initial?: string | null; suggestions: readonly string[] }
  | { kind: 'lines'; name: string; label: string; maxItems: number; maxEach: number; initial?: readonly string[] };

export type RawValues = Record<string, string>;

const ACCOUNT = /^[A-Za-z0-9:_-]{1,128}$/;

const sameName = (a: string | undefined, b: string) => a !== undefined && a.toLocaleLowerCase() === b.toLocaleLowerCase();

/** A person field's account id: a suggested person's name (unique among the suggestions) or an account id. */
export function resolveAccount(suggestions: readonly string[], raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  const byName = suggestions.filter((id) => sameName(knownName(id), value));
  if (byName.length === 1) return byName[0];
  if (suggestions.includes(value)) return value;
  return byName.length === 0 && ACCOUNT.test(value) ? value : undefined;
}

/** What a person field shows for an account: the name when known and unambiguous among the suggestions. */
function accountText(id: string, suggestions: readonly string[]): string {
  const name = knownName(id);
  if (!name) return id;
  return suggestions.filter((s) => sameName(knownName(s), name)).length > 1 ? id : name;
}

export function initialValue(f: FieldSpec, timeZone: string | undefined): string {
  switch (f.kind) {
    case 'number':
      return f.initial === undefined || f.initial === null ? '' : String(f.initial);
    case 'boolean':
      return f.initial === undefined ? 'true' : String(f.initial);
    case 'datetime':
      return f.initial === undefined || f.initial === null ? '' : epochToWallTime(f.initial, timeZone);
    case 'lines':
      return (f.initial ?? []).join('\n');
    case 'account':
      return f.initial ? accountText(f.initial, f.suggestions) : '';
    default:
      return f.initial ?? '';
  }
}

const required = (f: FieldSpec) => 'required' in f && f.required === true;

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
    case 'account':
      return resolveAccount(f.suggestions, value) ? undefined : t('panel.form.badAccount');
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
      return raw === 'true';
    case 'datetime':
      return value === '' ? undefined : (wallTimeToEpoch(value, timeZone) ?? undefined);
    case 'lines':
      return value.split('\n').map((l) => l.trim()).filter(Boolean);
    case 'account':
      return value === '' ? undefined : (resolveAccount(f.suggestions, value) ?? value);
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
  const nameOf = useNames();
  const id = `${idPrefix}-${spec.name}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const described = [spec.kind === 'account' ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
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
          {spec.kind === 'select' ? <option value="">{t('panel.form.choose')}</option> : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    }
    default: {
      const type = spec.kind === 'number' ? 'number' : spec.kind === 'datetime' ? 'datetime-local' : spec.kind === 'url' ? 'url' : 'text';
      const listId = spec.kind === 'account' && spec.suggestions.length > 0 ? `${id}-people` : undefined;
      input = (
        <>
          <Textfield
            id={id}
            name={spec.name}
            type={type}
            value={value}
            isInvalid={Boolean(error)}
            isRequired={isRequired}
            aria-describedby={described}
            list={listId}
            autoComplete="off"
            onChange={onInput}
          />
          {listId && spec.kind === 'account' ? (
            // Names offered, ids beside them; the field takes either (resolveAccount).
            <datalist id={listId}>
              {spec.suggestions.map((s) => {
                const name = nameOf(s);
                return <option key={s} value={name === s ? s : accountText(s, spec.suggestions)} label={name === s ? undefined : s} />;
              })}
            </datalist>
          ) : null}
        </>
      );
    }
  }
  return (
    <Stack space="space.050">
      <Label htmlFor={id}>
        {spec.label}
        {isRequired ? <span aria-hidden="true"> *</span> : null}
      </Label>
      {input}
      {spec.kind === 'account' ? <AccountHint id={hintId} suggestions={spec.suggestions} value={value} /> : null}
      {error ? (
        <Text as="p" size="small" color="color.text.danger" id={errorId}>
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Under a person field: how to fill it, and whom the value names (the id of a typed name, the name of a typed id). */
function AccountHint({ id, suggestions, value }: { id: string; suggestions: readonly string[]; value: string }) {
  const { t } = useI18n();
  const nameOf = useNames();
  const account = resolveAccount(suggestions, value);
  const typed = value.trim();
  let echo = '';
  if (account && account !== typed) echo = t('panel.form.accountIs', { id: account });
  else if (account && suggestions.includes(account) && nameOf(account) !== account) echo = nameOf(account);
  return (
    <Text as="p" size="small" color="color.text.subtlest" id={id}>
      {echo ? `${echo} · ` : ''}
      {t('panel.form.accountHint')}
    </Text>
  );
}
