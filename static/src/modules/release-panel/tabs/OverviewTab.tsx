import type { ReactNode } from 'react';
import Lozenge from '@atlaskit/lozenge';
import { Stack, Text } from '@atlaskit/primitives';
import { token } from '@atlaskit/tokens';
import { useI18n } from '../../../shared';
import { ActionForm } from '../ActionForm';
import { BOUNDS } from '../api';
import { usePanel } from '../context';
import { ActionRow, Details, Section } from '../layout';

const CLASSIFICATIONS = ['STANDARD', 'MINOR', 'MAJOR', 'EMERGENCY'] as const;
const RISKS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

function GateChecklist() {
  const { view, vocab } = usePanel();
  const { t } = useI18n();
  const list = view.checklist;
  if (!list?.action) return <Text as="p" color="color.text.subtle">{t('panel.checklist.none')}</Text>;
  // Flagged (advisory) items are shown but do not count towards the gate.
  const blocking = list.items.filter((i) => !i.advisory);
  const met = blocking.filter((i) => i.met).length;
  return (
    <Stack space="space.100">
      <Text as="p" testId="rg-checklist-summary">
        {t('panel.checklist.summary', { action: vocab.word('action', list.action), met, total: blocking.length })}
      </Text>
      {list.items.length === 0 ? (
        <Text as="p" color="color.text.subtle">{t('panel.checklist.noConditions')}</Text>
      ) : (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: token('space.075', '6px') }} data-testid="rg-checklist">
          {list.items.map((item) => (
            // The condition by its neutral label (gate.*), met or not; the reason (reason.*) only explains an unmet one.
            <li key={item.code} data-met={item.met} data-code={item.code} style={{ display: 'flex', gap: token('space.100', '8px'), alignItems: 'baseline' }}>
              <Lozenge appearance={item.met ? 'success' : item.advisory ? 'moved' : 'removed'}>
                {item.met ? t('panel.checklist.met') : item.advisory ? t('panel.checklist.flagged') : t('panel.checklist.unmet')}
              </Lozenge>
              <Stack space="space.025">
                <Text>{vocab.word('gate', item.code)}</Text>
                {item.met ? null : (
                  <Text size="small" color="color.text.subtle">
                    {t('panel.checklist.why', { reason: vocab.word('reason', item.code) })}
                  </Text>
                )}
              </Stack>
            </li>
          ))}
        </ul>
      )}
    </Stack>
  );
}

/** The change freezes in force for this release now, named: what a refusal inside one is about. */
function FreezesInForce() {
  const { view } = usePanel();
  const { t, format } = useI18n();
  const list = view.freezesInForce ?? [];
  if (list.length === 0) return null;
  return (
    <div data-testid="rg-freezes-in-force" style={{ display: 'grid', gap: token('space.050', '4px') }}>
      {list.map((f, i) => (
        <Text key={i} as="p" color={f.severity === 'HARD' ? 'color.text.danger' : 'color.text.warning'}>
          {t(f.severity === 'HARD' ? 'panel.freeze.hardInForce' : 'panel.freeze.softInForce', { reason: f.reason, until: format.dateTime(f.until) })}
        </Text>
      ))}
    </div>
  );
}

/** Under the project policy, the implementer need not mark it deployed: the pipeline's success will. */
function PipelineDeploys() {
  const { view } = usePanel();
  const { t } = useI18n();
  if (!view.pipelineDeploysIn) return null;
  return (
    <Text as="p" color="color.text.subtle" testId="rg-pipeline-deploys">
      {t('panel.pipelineDeploys', { environment: view.pipelineDeploysIn })}
    </Text>
  );
}

export function OverviewTab() {
  const { view, vocab, person, name } = usePanel();
  const { t, format, timeZone } = useI18n();
  const r = view.release;
  const when = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : format.dateTime(ms));
  const none = '—';
  const details: [string, ReactNode][] = [
    [t('panel.overview.status'), vocab.word('status', r.status)],
    [t('panel.overview.classification'), r.classification ? vocab.word('classification', r.classification) : none],
    [t('panel.overview.risk'), r.riskLevel ? vocab.word('risk', r.riskLevel) : none],
    [t('panel.overview.riskAnalysis'), r.riskAnalysis ?? none],
    [t('panel.overview.window'), r.windowStart !== null && r.windowEnd !== null ? t('panel.overview.windowRange', { start: when(r.windowStart), end: when(r.windowEnd) }) : none],
    [t('panel.overview.lead'), person(r.leadAccountId)],
    [t('panel.overview.requester'), person(r.requesterAccountId)],
    [t('panel.overview.linkedChange'), r.linkedChangeKey ?? none],
    [t('panel.overview.planScope'), r.plan?.scope ?? none],
    [t('panel.overview.planSchedule'), r.plan?.schedule ?? none],
    [t('panel.overview.plannedEffort'), r.plan ? t('panel.overview.hours', { n: format.number(r.plan.plannedEffortHours) }) : none],
    [t('panel.overview.actualEffort'), r.actualEffortHours !== null ? t('panel.overview.hours', { n: format.number(r.actualEffortHours) }) : none],
    [t('panel.overview.outcome'), r.outcome ? vocab.word('outcome', r.outcome) : none],
  ];
  if (r.emergencyOverride) details.push([t('panel.overview.emergencyOverride'), t('panel.overview.byAt', { text: r.emergencyOverride.reason, who: name(r.emergencyOverride.recordedBy), when: when(r.emergencyOverride.recordedAt) })]);
  if (r.freezeException) details.push([t('panel.overview.freezeException'), t('panel.overview.byAt', { text: r.freezeException.reason, who: name(r.freezeException.recordedBy), when: when(r.freezeException.recordedAt) })]);
  if (r.rejectionReason) details.push([t('panel.overview.rejectionReason'), r.rejectionReason]);
  if (r.cancelReason) details.push([t('panel.overview.cancelReason'), r.cancelReason]);
  const entered = Object.entries(r.statusEnteredAt).sort((a, b) => (a[1] ?? 0) - (b[1] ?? 0));
  details.push([t('panel.overview.statusTimes'), entered.map(([s, at]) => `${vocab.word('status', s)}: ${when(at)}`).join(' · ')]);

  // The exception is offered where a freeze touches the release (in force now, or its window overlaps one).
  const freezeMatters = r.freezeException === null && ((view.freezesInForce ?? []).length > 0 || (view.checklist?.items ?? []).some((i) => i.code === 'GATE_WINDOW_IN_FREEZE' && !i.met));
  const reason = (name = 'reason') => ({ kind: 'textarea' as const, name, label: t('panel.fields.reason'), max: BOUNDS.text, required: true });
  return (
    <Stack space="space.300">
      <Section title={t('panel.overview.nextStep')} testId="rg-next-step">
        <FreezesInForce />
        <PipelineDeploys />
        <GateChecklist />
        <ActionRow>
          <ActionForm action="approve" appearance="primary" />
          <ActionForm action="startBuild" appearance="primary" />
          <ActionForm action="markReady" appearance="primary" />
          <ActionForm action="startImplementation" appearance="primary" />
          <ActionForm action="markDeployed" appearance="primary" />
          <ActionForm action="verifyAndClose" appearance="primary" />
          <ActionForm action="completeFallback" appearance="primary" />
          <ActionForm action="invokeFallback" appearance="warning" fields={[reason()]} />
          <ActionForm action="reject" appearance="danger" fields={[reason()]} />
          <ActionForm action="cancel" appearance="danger" fields={[reason()]} />
        </ActionRow>
      </Section>
      <Section title={t('panel.overview.details')}>
        <Details items={details} testId="rg-overview-details" />
      </Section>
      <Section title={t('panel.overview.request')}>
        <ActionRow>
          <ActionForm
            action="classify"
            fields={[{ kind: 'select', name: 'classification', label: t('panel.fields.classification'), required: true, initial: r.classification, options: CLASSIFICATIONS.map((c) => ({ value: c, label: vocab.word('classification', c) })) }]}
          />
          <ActionForm
            action="assessRisk"
            fields={[
              { kind: 'select', name: 'riskLevel', label: t('panel.fields.riskLevel'), required: true, initial: r.riskLevel, options: RISKS.map((c) => ({ value: c, label: vocab.word('risk', c) })) },
              { kind: 'textarea', name: 'riskAnalysis', label: t('panel.fields.riskAnalysis'), max: BOUNDS.longText, initial: r.riskAnalysis },
            ]}
            toPayload={(v) => ({ riskAnalysis: '', ...v })}
          />
          <ActionForm
            action="setWindow"
            fields={[
              { kind: 'datetime', name: 'windowStart', label: t('panel.fields.windowStart', { tz: timeZone ?? 'UTC' }), required: true, initial: r.windowStart },
              { kind: 'datetime', name: 'windowEnd', label: t('panel.fields.windowEnd', { tz: timeZone ?? 'UTC' }), required: true, initial: r.windowEnd },
            ]}
            check={(v) => (Number(v.windowEnd) > Number(v.windowStart) ? undefined : { field: 'windowEnd', message: t('panel.form.endBeforeStart') })}
          />
          <ActionForm
            action="assignLead"
            fields={[{ kind: 'person', name: 'leadAccountId', label: t('panel.fields.leadAccountId'), required: true, initial: r.leadAccountId, pool: 'RELEASE_LEAD' }]}
          />
          <ActionForm action="recordEmergencyOverride" appearance="warning" fields={[reason()]} />
          {freezeMatters ? <ActionForm action="recordFreezeException" appearance="warning" fields={[reason()]} /> : null}
          <ActionForm
            action="editPlan"
            fields={[
              { kind: 'textarea', name: 'scope', label: t('panel.fields.scope'), max: BOUNDS.longText, required: true, initial: r.plan?.scope },
              { kind: 'textarea', name: 'schedule', label: t('panel.fields.schedule'), max: BOUNDS.longText, required: true, initial: r.plan?.schedule },
              { kind: 'number', name: 'plannedEffortHours', label: t('panel.fields.plannedEffortHours'), min: 0, exclusiveMin: true, max: BOUNDS.plannedEffortHours, required: true, initial: r.plan?.plannedEffortHours },
            ]}
          />
        </ActionRow>
      </Section>
    </Stack>
  );
}
