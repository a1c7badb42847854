import Button from '@atlaskit/button/new';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useI18n } from '../../shared';
import { AlertText } from '../../shared/ui/form';
import type { ReleaseAction } from './api';
import { availabilityOf, usePanel } from './context';
import { convertField, FieldInput, initialValue, validateField, type FieldSpec, type RawValues } from './fields';

type Appearance = 'primary' | 'default' | 'danger' | 'warning';

export interface ActionFormProps {
  action: ReleaseAction;
  /** No fields: the button takes the action at once. */
  fields?: FieldSpec[];
  /** Builds the payload from the converted field values (default: the values as they are). */
  toPayload?: (values: Record<string, unknown>) => Record<string, unknown>;
  /** Cross-field check after each field passed its own (e.g. window end after start). */
  check?: (values: Record<string, unknown>) => { field: string; message: string } | undefined;
  /** Label of the button, when it is not the action's own name. */
  label?: string;
  appearance?: Appearance;
  /** A custom form body instead of `fields` (it calls `submit` itself). */
  children?: (submit: (payload: Record<string, unknown>) => Promise<boolean>, close: () => void) => ReactNode;
}

/** Why an action is not available to this user now: the server's reasons, in the user's language. */
export function Refusal({ id, reasons }: { id: string; reasons: readonly string[] }) {
  const { vocab } = usePanel();
  return (
    <Text as="p" size="small" color="color.text.subtle" id={id} testId="rg-refusal">
      {vocab.reasons(reasons).join(' ')}
    </Text>
  );
}

/**
 * One action of the release: a button for whoever may take it (opening its form when it needs input), and for
 * everyone else the same button disabled with the reason. Not shown at all when it does not apply in this status.
 */
export function ActionForm({ action, fields, toPayload, check, label, appearance = 'default', children }: ActionFormProps) {
  const { view, vocab, run } = usePanel();
  const { t, timeZone } = useI18n();
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, '');
  const idPrefix = `rg-${action}-${uid}`;
  const availability = availabilityOf(view, action);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [values, setValues] = useState<RawValues>({});
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [formError, setFormError] = useState<string | undefined>();
  if (!availability) return null;

  const name = label ?? vocab.word('action', action);
  const hasForm = Boolean(children) || (fields?.length ?? 0) > 0;
  const formId = `${idPrefix}-form`;
  const refusalId = `${idPrefix}-why`;

  const valueOf = (f: FieldSpec) => values[f.name] ?? initialValue(f, timeZone);

  async function submit(payload: Record<string, unknown>): Promise<boolean> {
    setBusy(true);
    setFormError(undefined);
    const outcome = await run(action, payload);
    setBusy(false);
    if (outcome.ok) {
      setOpen(false);
      setValues({});
      setErrors({});
      return true;
    }
    if (outcome.field && fields?.some((f) => f.name === outcome.field)) setErrors((e) => ({ ...e, [outcome.field as string]: outcome.message }));
    setFormError(outcome.message);
    return false;
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const specs = fields ?? [];
    const found: Record<string, string | undefined> = {};
    for (const f of specs) found[f.name] = validateField(f, valueOf(f), t, timeZone);
    const converted: Record<string, unknown> = {};
    for (const f of specs) {
      const v = convertField(f, valueOf(f), timeZone);
      if (v !== undefined) converted[f.name] = v;
    }
    const cross = Object.values(found).some(Boolean) ? undefined : check?.(converted);
    if (cross) found[cross.field] = cross.message;
    setErrors(found);
    const firstBad = specs.find((f) => found[f.name]);
    if (firstBad) {
      document.getElementById(`${idPrefix}-${firstBad.name}`)?.focus();
      return;
    }
    await submit(toPayload ? toPayload(converted) : converted);
  }

  const button = (
    <Button
      appearance={appearance}
      isDisabled={!availability.allowed}
      isLoading={busy && !hasForm}
      aria-expanded={hasForm ? open : undefined}
      aria-controls={hasForm && open ? formId : undefined}
      aria-describedby={availability.allowed ? undefined : refusalId}
      testId={`rg-action-${action}`}
      onClick={() => (hasForm ? setOpen((o) => !o) : void submit({}))}
    >
      {name}
    </Button>
  );

  return (
    <div data-testid={`rg-action-item-${action}`} style={{ flex: open ? '1 1 100%' : '0 1 auto', minWidth: 0 }}>
      <Stack space="space.050">
        <div>{button}</div>
        {!availability.allowed ? <Refusal id={refusalId} reasons={availability.reasons} /> : null}
        {!open ? <AlertText size="small">{formError}</AlertText> : null}
        {open && availability.allowed ? (
          <Box padding="space.150" backgroundColor="color.background.neutral.subtle">
            {children ? (
              <Stack space="space.100">
                {children(submit, () => setOpen(false))}
                <AlertText>{formError}</AlertText>
              </Stack>
            ) : (
              <form id={formId} aria-label={name} noValidate onSubmit={onSubmit}>
                <Stack space="space.150">
                  {(fields ?? []).map((f) => (
                    <FieldInput
                      key={f.name}
                      idPrefix={idPrefix}
                      spec={f}
                      value={valueOf(f)}
                      error={errors[f.name]}
                      onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
                    />
                  ))}
                  <AlertText>{formError}</AlertText>
                  <Inline space="space.100">
                    <Button type="submit" appearance="primary" isLoading={busy}>
                      {t('panel.form.submit')}
                    </Button>
                    <Button appearance="subtle" onClick={() => setOpen(false)}>
                      {t('panel.form.cancel')}
                    </Button>
                  </Inline>
                </Stack>
              </form>
            )}
          </Box>
        ) : null}
      </Stack>
    </div>
  );
}
