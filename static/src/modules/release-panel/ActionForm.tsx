import Button from '@atlaskit/button/new';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useI18n, type MessageKey } from '../../shared';
import { ConfirmBox } from '../../shared/ui/ConfirmBox';
import { AlertText } from '../../shared/ui/form';
import type { ReleaseAction } from './api';
import { availabilityOf, usePanel } from './context';
import { convertField, FieldInput, initialValue, validateField, type FieldSpec, type RawValues } from './fields';

type Appearance = 'primary' | 'default' | 'danger' | 'warning';

export interface ActionFormProps {
  action: ReleaseAction;
  /** No fields: the button takes the action at once. A function when a field depends on another's value (a picker's pool on the role chosen). */
  fields?: FieldSpec[] | ((values: RawValues) => FieldSpec[]);
  /** Builds the payload from the converted field values (default: the values as they are). */
  toPayload?: (values: Record<string, unknown>) => Record<string, unknown>;
  /** Cross-field check after each field passed its own (e.g. window end after start). */
  check?: (values: Record<string, unknown>) => { field: string; message: string } | undefined;
  /** Label of the button, when it is not the action's own name. */
  label?: string;
  appearance?: Appearance;
  /** A custom form body instead of `fields` (it calls `submit` itself). */
  children?: (submit: (payload: Record<string, unknown>) => Promise<boolean>, close: () => void) => ReactNode;
  /** Asks "are you sure?" before the action is taken, with this text (irreversible actions ask by default). */
  confirm?: string;
}

/** Actions that cannot be undone: they are confirmed before they are taken. */
const IRREVERSIBLE: Partial<Record<ReleaseAction, MessageKey>> = {
  approve: 'panel.confirm.approve',
  reject: 'panel.confirm.reject',
  verifyAndClose: 'panel.confirm.verifyAndClose',
  cancel: 'panel.confirm.cancel',
};

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
export function ActionForm({ action, fields, toPayload, check, label, appearance = 'default', children, confirm }: ActionFormProps) {
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
  // The payload waiting for the user's "yes" (irreversible actions only).
  const [confirming, setConfirming] = useState<Record<string, unknown> | null>(null);
  if (!availability) return null;
  const specs: FieldSpec[] = typeof fields === 'function' ? fields(values) : (fields ?? []);

  const name = label ?? vocab.word('action', action);
  const hasForm = Boolean(children) || specs.length > 0;
  const formId = `${idPrefix}-form`;
  const refusalId = `${idPrefix}-why`;

  const valueOf = (f: FieldSpec) => values[f.name] ?? initialValue(f, timeZone);

  const confirmText = confirm ?? (IRREVERSIBLE[action] ? t(IRREVERSIBLE[action], { key: view.issueKey }) : undefined);

  /** Takes the action, or first asks to confirm it when it cannot be undone. */
  async function request(payload: Record<string, unknown>): Promise<boolean> {
    if (confirmText) {
      setConfirming(payload);
      return false;
    }
    return submit(payload);
  }

  async function submit(payload: Record<string, unknown>): Promise<boolean> {
    setConfirming(null);
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
    if (outcome.field && specs.some((f) => f.name === outcome.field)) setErrors((e) => ({ ...e, [outcome.field as string]: outcome.message }));
    setFormError(outcome.message);
    return false;
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
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
    await request(toPayload ? toPayload(converted) : converted);
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
      onClick={() => (hasForm ? setOpen((o) => !o) : void request({}))}
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
        {confirming && confirmText ? (
          <ConfirmBox
            text={confirmText}
            yes={t('panel.confirm.yes', { action: name })}
            no={t('panel.confirm.no')}
            busy={busy}
            danger={appearance === 'danger' || appearance === 'warning'}
            onYes={() => void submit(confirming)}
            onNo={() => setConfirming(null)}
            testId={`rg-confirm-${action}`}
          />
        ) : null}
        {open && availability.allowed ? (
          <Box padding="space.150" backgroundColor="color.background.neutral.subtle">
            {children ? (
              <Stack space="space.100">
                {children(request, () => setOpen(false))}
                <AlertText>{formError}</AlertText>
              </Stack>
            ) : (
              <form id={formId} aria-label={name} noValidate onSubmit={onSubmit}>
                <Stack space="space.150">
                  {specs.map((f) => (
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
