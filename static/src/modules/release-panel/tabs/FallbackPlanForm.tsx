import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Box, Inline, Stack } from '@atlaskit/primitives';
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../../shared';
import { BOUNDS, type FallbackPlan } from '../api';
import { usePanel } from '../context';
import { convertField, FieldInput, validateField, type FieldSpec } from '../fields';
import { knownPeople } from '../people';

interface StepDraft {
  key: number;
  action: string;
  owner: string;
  minutes: string;
}

let stepKey = 0;

/** Edits the fallback plan: trigger criteria, the ordered steps (add, remove, move), restore item and backup. */
export function FallbackPlanForm({ plan, submit, close, formLabel }: { plan: FallbackPlan | null; submit: (p: Record<string, unknown>) => Promise<boolean>; close: () => void; formLabel: string }) {
  const { view } = usePanel();
  const { t, timeZone } = useI18n();
  const people = knownPeople(view);
  const [trigger, setTrigger] = useState(plan?.triggerCriteria ?? '');
  const [backup, setBackup] = useState(plan?.dataBackupRef ?? '');
  const [restore, setRestore] = useState(plan?.restoreDslItemId ?? '');
  const [steps, setSteps] = useState<StepDraft[]>(() =>
    (plan?.steps ?? []).map((s) => ({ key: ++stepKey, action: s.action, owner: s.ownerAccountId, minutes: String(s.expectedMinutes) })),
  );
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [busy, setBusy] = useState(false);

  const triggerSpec: FieldSpec = { kind: 'textarea', name: 'triggerCriteria', label: t('panel.fields.triggerCriteria'), max: BOUNDS.text };
  const backupSpec: FieldSpec = { kind: 'text', name: 'dataBackupRef', label: t('panel.fields.dataBackupRef'), max: BOUNDS.dataBackupRef };
  const restoreSpec: FieldSpec = {
    kind: 'select',
    name: 'restoreDslItemId',
    label: t('panel.fields.restoreDslItem'),
    options: view.dslItems.map((i) => ({ value: i.id, label: [i.name ?? i.id, i.version].filter(Boolean).join(' ') })),
  };
  const stepSpecs = (i: number): [FieldSpec, FieldSpec, FieldSpec] => [
    { kind: 'text', name: `step${i}-action`, label: t('panel.fields.stepAction', { n: i + 1 }), max: BOUNDS.text, required: true },
    { kind: 'person', name: `step${i}-owner`, label: t('panel.fields.stepOwner', { n: i + 1 }), required: true, pool: 'BROWSERS', suggestions: people },
    { kind: 'number', name: `step${i}-minutes`, label: t('panel.fields.stepMinutes', { n: i + 1 }), min: 1, max: BOUNDS.stepMinutes, integer: true, required: true },
  ];

  const update = (i: number, patch: Partial<StepDraft>) => setSteps((all) => all.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const move = (i: number, by: number) =>
    setSteps((all) => {
      const next = [...all];
      const [item] = next.splice(i, 1);
      if (item) next.splice(i + by, 0, item);
      return next;
    });

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string | undefined> = {
      triggerCriteria: validateField(triggerSpec, trigger, t, timeZone),
      dataBackupRef: validateField(backupSpec, backup, t, timeZone),
    };
    steps.forEach((s, i) => {
      const [a, o, m] = stepSpecs(i);
      found[a.name] = validateField(a, s.action, t, timeZone);
      found[o.name] = validateField(o, s.owner, t, timeZone);
      found[m.name] = validateField(m, s.minutes, t, timeZone);
    });
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    setBusy(true);
    await submit({
      triggerCriteria: trigger.trim(),
      steps: steps.map((s, i) => ({ action: s.action.trim(), ownerAccountId: convertField(stepSpecs(i)[1], s.owner, timeZone), expectedMinutes: convertField(stepSpecs(i)[2], s.minutes, timeZone) })),
      restoreDslItemId: restore || null,
      dataBackupRef: backup.trim() || null,
    });
    setBusy(false);
  }

  return (
    <form aria-label={formLabel} noValidate onSubmit={onSubmit}>
      <Stack space="space.150">
        <FieldInput idPrefix="rg-fb" spec={triggerSpec} value={trigger} error={errors.triggerCriteria} onChange={setTrigger} />
        <Heading size="xxsmall" as="h3">
          {t('panel.fallback.steps')}
        </Heading>
        {steps.map((s, i) => {
          const [a, o, m] = stepSpecs(i);
          return (
            <Box key={s.key} padding="space.100" backgroundColor="color.background.neutral" testId="rg-fallback-step">
              <Stack space="space.100">
                <FieldInput idPrefix="rg-fb" spec={a} value={s.action} error={errors[a.name]} onChange={(v) => update(i, { action: v })} />
                <FieldInput idPrefix="rg-fb" spec={o} value={s.owner} error={errors[o.name]} onChange={(v) => update(i, { owner: v })} />
                <FieldInput idPrefix="rg-fb" spec={m} value={s.minutes} error={errors[m.name]} onChange={(v) => update(i, { minutes: v })} />
                <Inline space="space.100">
                  <Button appearance="subtle" isDisabled={i === 0} onClick={() => move(i, -1)}>
                    {t('panel.fallback.moveUp', { n: i + 1 })}
                  </Button>
                  <Button appearance="subtle" isDisabled={i === steps.length - 1} onClick={() => move(i, 1)}>
                    {t('panel.fallback.moveDown', { n: i + 1 })}
                  </Button>
                  <Button appearance="subtle" onClick={() => setSteps((all) => all.filter((_, j) => j !== i))}>
                    {t('panel.fallback.removeStep', { n: i + 1 })}
                  </Button>
                </Inline>
              </Stack>
            </Box>
          );
        })}
        <div>
          <Button isDisabled={steps.length >= BOUNDS.fallbackSteps} onClick={() => setSteps((all) => [...all, { key: ++stepKey, action: '', owner: '', minutes: '' }])}>
            {t('panel.fallback.addStep')}
          </Button>
        </div>
        <FieldInput idPrefix="rg-fb" spec={restoreSpec} value={restore} error={undefined} onChange={setRestore} />
        <FieldInput idPrefix="rg-fb" spec={backupSpec} value={backup} error={errors.dataBackupRef} onChange={setBackup} />
        <Inline space="space.100">
          <Button type="submit" appearance="primary" isLoading={busy}>
            {t('panel.form.submit')}
          </Button>
          <Button appearance="subtle" onClick={close}>
            {t('panel.form.cancel')}
          </Button>
        </Inline>
      </Stack>
    </form>
  );
}
