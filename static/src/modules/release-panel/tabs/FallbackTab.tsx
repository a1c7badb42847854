import Lozenge from '@atlaskit/lozenge';
import { Stack } from '@atlaskit/primitives';
import { useI18n } from '../../../shared';
import { ActionForm } from '../ActionForm';
import { BOUNDS } from '../api';
import { usePanel } from '../context';
import { ActionRow, Details, Empty, Section, SimpleTable, SubSection } from '../layout';
import { FallbackPlanForm } from './FallbackPlanForm';

export function FallbackTab() {
  const { view, vocab, person } = usePanel();
  const { t, format } = useI18n();
  const plan = view.fallbackPlan;
  const when = (ms: number | null) => (ms === null ? '—' : format.dateTime(ms));
  const restore = plan?.restoreDslItemId ? view.dslItems.find((i) => i.id === plan.restoreDslItemId) : undefined;
  const exec = plan?.execution ?? null;
  return (
    <Stack space="space.300">
      <Section title={t('panel.fallback.title')} testId="rg-fallback">
        {!plan ? (
          <Empty>{t('panel.fallback.none')}</Empty>
        ) : (
          <Stack space="space.200">
            <Details
              items={[
                [t('panel.fallback.trigger'), plan.triggerCriteria || '—'],
                [t('panel.fallback.restoreItem'), plan.restoreDslItemId ? [restore?.name ?? plan.restoreDslItemId, restore?.version].filter(Boolean).join(' ') : '—'],
                [t('panel.fallback.backup'), plan.dataBackupRef ?? '—'],
                [t('panel.fallback.plannedMinutes'), t('panel.fallback.minutes', { n: format.number(plan.steps.reduce((s, x) => s + x.expectedMinutes, 0)) })],
              ]}
            />
            <SubSection title={t('panel.fallback.steps')}>
              {plan.steps.length === 0 ? (
                <Empty>{t('panel.fallback.noSteps')}</Empty>
              ) : (
                <SimpleTable
                  caption={t('panel.fallback.steps')}
                  testId="rg-fallback-steps"
                  head={['#', t('panel.fallback.stepAction'), t('panel.fallback.stepOwner'), t('panel.fallback.stepMinutes')]}
                  rows={plan.steps.map((s, i) => [format.number(i + 1), s.action, person(s.ownerAccountId), format.number(s.expectedMinutes)])}
                />
              )}
            </SubSection>
            <SubSection title={t('panel.fallback.rehearsals')}>
              {plan.rehearsals.length === 0 ? (
                <Empty>{t('panel.fallback.noRehearsals')}</Empty>
              ) : (
                <SimpleTable
                  caption={t('panel.fallback.rehearsals')}
                  testId="rg-rehearsals"
                  head={[t('panel.fallback.rehearsalAt'), t('panel.fallback.environment'), t('panel.fallback.result'), t('panel.fallback.evidence'), t('panel.fallback.recordedBy')]}
                  rows={plan.rehearsals.map((r) => [
                    when(r.at),
                    r.environment,
                    <Lozenge appearance={r.result === 'PASSED' ? 'success' : 'removed'}>{r.result === 'PASSED' ? t('panel.result.passed') : t('panel.result.failed')}</Lozenge>,
                    r.evidenceUrl ? (
                      <a href={r.evidenceUrl} target="_blank" rel="noreferrer noopener">
                        {t('panel.fallback.evidenceLink')}
                      </a>
                    ) : (
                      '—'
                    ),
                    person(r.recordedBy),
                  ])}
                />
              )}
            </SubSection>
            <SubSection title={t('panel.fallback.execution')}>
              {!exec ? (
                <Empty>{t('panel.fallback.notExecuted')}</Empty>
              ) : (
                <Details
                  testId="rg-fallback-execution"
                  items={[
                    [t('panel.fallback.decidedBy'), person(exec.decidedBy)],
                    [t('panel.fallback.reason'), exec.reason || '—'],
                    [t('panel.fallback.started'), when(exec.startedAt)],
                    [t('panel.fallback.executedBy'), person(exec.executedBy)],
                    [t('panel.fallback.ended'), when(exec.endedAt)],
                    [t('panel.fallback.result'), exec.result ? (exec.result === 'SUCCEEDED' ? t('panel.result.succeeded') : t('panel.result.failed')) : '—'],
                  ]}
                />
              )}
            </SubSection>
          </Stack>
        )}
      </Section>
      <Section title={t('panel.fallback.actions')}>
        <ActionRow>
          <ActionForm action="editFallbackPlan">
            {(submit, close) => <FallbackPlanForm plan={plan} submit={submit} close={close} formLabel={vocab.word('action', 'editFallbackPlan')} />}
          </ActionForm>
          <ActionForm
            action="recordRehearsal"
            fields={[
              { kind: 'datetime', name: 'at', label: t('panel.fields.rehearsalAt'), required: true, initial: Date.now() },
              { kind: 'text', name: 'environment', label: t('panel.fields.environment'), max: BOUNDS.environment, required: true },
              { kind: 'select', name: 'result', label: t('panel.fields.result'), required: true, options: [{ value: 'PASSED', label: t('panel.result.passed') }, { value: 'FAILED', label: t('panel.result.failed') }] },
              { kind: 'url', name: 'evidenceUrl', label: t('panel.fields.evidenceUrl'), max: BOUNDS.url },
            ]}
          />
          <ActionForm
            action="recordFallbackExecution"
            fields={[
              { kind: 'select', name: 'result', label: t('panel.fields.result'), required: true, options: [{ value: 'SUCCEEDED', label: t('panel.result.succeeded') }, { value: 'FAILED', label: t('panel.result.failed') }] },
              { kind: 'textarea', name: 'note', label: t('panel.fields.note'), max: BOUNDS.text },
            ]}
          />
        </ActionRow>
      </Section>
    </Stack>
  );
}
