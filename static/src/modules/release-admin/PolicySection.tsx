import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import Textfield from '@atlaskit/textfield';
import { useState } from 'react';
import { KPI_DEFINITIONS, KPI_NAMES, type KpiName } from '../../../../src/domain/kpiCatalog';
import { DEFAULT_POLICY } from '../../../../src/domain/policy';
import { notify, ResolverError, useI18n, type MessageKey } from '../../shared';
import { useVocabulary } from '../../shared/vocabulary';
import { savePolicy, type Policy, type PolicyPatch, type SetupStatus } from './api';
import { Check, Field } from '../../shared/ui/Field';

const GATES: { key: keyof Policy['gates']; text: MessageKey }[] = [
  { key: 'requireLinkedChange', text: 'admin.policy.requireLinkedChange' },
  { key: 'requireHelpDeskTraining', text: 'admin.policy.requireHelpDeskTraining' },
  { key: 'requireDepartmentOpinions', text: 'admin.policy.requireDepartmentOpinions' },
  { key: 'requireBusinessCutover', text: 'admin.policy.requireBusinessCutover' },
];

const isRatio = (k: KpiName) => KPI_DEFINITIONS[k].unit === 'RATIO';

/** Targets as people type them: ratios in percent, durations as they are. */
function toInput(k: KpiName, v: number): string {
  return String(isRatio(k) ? Math.round(v * 10_000) / 100 : v);
}
function fromInput(k: KpiName, s: string): number {
  const n = Number(s.trim().replace(',', '.'));
  return isRatio(k) ? n / 100 : n;
}

/**
 * The project's policy: gate switches, segregation of duties, dual team roles, whether a pipeline's success
 * marks the release deployed (and in which environment), review SLA, DSL update window and KPI targets. Values are sent as typed; the server validates and its message appears at the field.
 */
export function PolicySection({ headingId, projectId, status, onSaved }: { headingId: string; projectId: string; status: SetupStatus; onSaved: () => void }) {
  const { t } = useI18n();
  const { name } = useVocabulary();
  const base = status.setup?.policy ?? DEFAULT_POLICY;
  const [gates, setGates] = useState<Policy['gates']>({ ...base.gates });
  const [sod, setSod] = useState(base.segregationOfDuties);
  const [dual, setDual] = useState(base.allowDualTeamRoles);
  const [sla, setSla] = useState(String(base.reviewSlaDays));
  const [dslHours, setDslHours] = useState(String(base.dslTimelyUpdateHours));
  const [timeZone, setTimeZone] = useState(base.timeZone);
  // Off is null on the server; the field keeps its last name (default production) while unticked.
  const [pipelineDeploys, setPipelineDeploys] = useState(base.pipelineDeployEnvironment !== null);
  const [deployEnvironment, setDeployEnvironment] = useState(base.pipelineDeployEnvironment ?? 'production');
  const [targets, setTargets] = useState<Record<KpiName, string>>(() => Object.fromEntries(KPI_NAMES.map((k) => [k, toInput(k, base.kpiTargets[k])])) as Record<KpiName, string>);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const mayEdit = status.actor.standingRoles.includes('PROCESS_OWNER');
  const errorAt = (field: string) => (error?.field === field ? error.message : undefined);

  async function save() {
    setSaving(true);
    setError(null);
    const policy: PolicyPatch = {
      gates,
      segregationOfDuties: sod,
      allowDualTeamRoles: dual,
      reviewSlaDays: Number(sla),
      dslTimelyUpdateHours: Number(dslHours),
      timeZone: timeZone.trim(),
      pipelineDeployEnvironment: pipelineDeploys ? deployEnvironment.trim() : null,
      kpiTargets: Object.fromEntries(KPI_NAMES.map((k) => [k, fromInput(k, targets[k])])),
    };
    try {
      await savePolicy({ projectId, expectedVersion: status.setup?.version ?? 0, policy });
      notify('success', t('admin.policy.savedFlag'));
      onSaved();
    } catch (err) {
      setError({ message: err instanceof Error ? err.message : String(err), ...(err instanceof ResolverError && err.field ? { field: err.field } : {}) });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Stack space="space.200">
      <Heading size="small" as="h2" id={headingId}>
        {t('admin.policy.title')}
      </Heading>
      {!mayEdit ? (
        <Text as="p" id="rg-policy-reason" size="small" color="color.text.subtle">
          {name('reason', 'NOT_PROCESS_OWNER')}
        </Text>
      ) : null}
      <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
        <legend>
          <Text weight="semibold">{t('admin.policy.gates')}</Text>
        </legend>
        <Stack space="space.075">
          {GATES.map((g) => (
            <Check key={g.key} id={`rg-gate-${g.key}`} label={t(g.text)} checked={gates[g.key]} disabled={!mayEdit} onChange={(v) => setGates({ ...gates, [g.key]: v })} />
          ))}
        </Stack>
      </fieldset>
      <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
        <legend>
          <Text weight="semibold">{t('admin.policy.duties')}</Text>
        </legend>
        <Stack space="space.075">
          <Check id="rg-policy-sod" label={t('admin.policy.segregationOfDuties')} checked={sod} disabled={!mayEdit} onChange={setSod} />
          <Check id="rg-policy-dual" label={t('admin.policy.allowDualTeamRoles')} checked={dual} disabled={!mayEdit} onChange={setDual} />
        </Stack>
      </fieldset>
      <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
        <legend>
          <Text weight="semibold">{t('admin.policy.pipelines')}</Text>
        </legend>
        <Stack space="space.075">
          <Check id="rg-policy-pipeline-deploys" label={t('admin.policy.pipelineDeploys')} checked={pipelineDeploys} disabled={!mayEdit} onChange={setPipelineDeploys} />
          <div style={{ maxWidth: '32rem' }}>
            <Field id="rg-policy-deploy-env" label={t('admin.policy.pipelineDeployEnvironment')} hint={t('admin.policy.pipelineDeployEnvironmentHint')} error={errorAt('policy.pipelineDeployEnvironment')}>
              <Textfield
                id="rg-policy-deploy-env"
                value={deployEnvironment}
                maxLength={40}
                isDisabled={!mayEdit || !pipelineDeploys}
                isInvalid={Boolean(errorAt('policy.pipelineDeployEnvironment'))}
                onChange={(e) => setDeployEnvironment(e.currentTarget.value)}
              />
            </Field>
          </div>
        </Stack>
      </fieldset>
      <Inline space="space.200" shouldWrap>
        <Field id="rg-policy-sla" label={t('admin.policy.reviewSlaDays')} hint={t('admin.policy.reviewSlaHint')} error={errorAt('policy.reviewSlaDays')}>
          <Textfield id="rg-policy-sla" type="number" min={1} max={365} value={sla} isDisabled={!mayEdit} isInvalid={Boolean(errorAt('policy.reviewSlaDays'))} onChange={(e) => setSla(e.currentTarget.value)} />
        </Field>
        <Field id="rg-policy-dsl" label={t('admin.policy.dslTimelyUpdateHours')} hint={t('admin.policy.dslHint')} error={errorAt('policy.dslTimelyUpdateHours')}>
          <Textfield id="rg-policy-dsl" type="number" min={1} max={2160} value={dslHours} isDisabled={!mayEdit} isInvalid={Boolean(errorAt('policy.dslTimelyUpdateHours'))} onChange={(e) => setDslHours(e.currentTarget.value)} />
        </Field>
        <Field id="rg-policy-tz" label={t('admin.policy.timeZone')} hint={t('admin.policy.timeZoneHint')} error={errorAt('policy.timeZone')}>
          <Textfield id="rg-policy-tz" value={timeZone} maxLength={64} isDisabled={!mayEdit} isInvalid={Boolean(errorAt('policy.timeZone'))} onChange={(e) => setTimeZone(e.currentTarget.value)} />
        </Field>
      </Inline>
      <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
        <legend>
          <Text weight="semibold">{t('admin.policy.kpiTargets')}</Text>
        </legend>
        <Inline space="space.200" shouldWrap>
          {KPI_NAMES.map((k) => {
            const id = `rg-target-${k}`;
            const err = errorAt(`policy.kpiTargets.${k}`);
            return (
              <Field key={k} id={id} label={name('kpi', k)} hint={isRatio(k) ? t('admin.policy.percentHint') : undefined} error={err}>
                <Textfield id={id} type="number" min={0} value={targets[k]} isDisabled={!mayEdit} isInvalid={Boolean(err)} onChange={(e) => setTargets({ ...targets, [k]: e.currentTarget.value })} />
              </Field>
            );
          })}
        </Inline>
      </fieldset>
      {error ? (
        <Text as="p" color="color.text.danger" testId="rg-policy-error">
          {error.message}
        </Text>
      ) : null}
      <Inline>
        <Button appearance="primary" isLoading={saving} isDisabled={!mayEdit} aria-describedby={!mayEdit ? 'rg-policy-reason' : undefined} onClick={save} testId="rg-policy-save">
          {t('admin.policy.save')}
        </Button>
      </Inline>
    </Stack>
  );
}
