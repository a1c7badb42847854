import Lozenge from '@atlaskit/lozenge';
import { Stack, Text } from '@atlaskit/primitives';
import type { ReactNode } from 'react';
import { useI18n } from '../../../shared';
import { ActionForm } from '../ActionForm';
import { BOUNDS } from '../api';
import { usePanel } from '../context';
import { ActionRow, Details, Empty, Section, SimpleTable } from '../layout';

function Verdict({ ok, yes, no }: { ok: boolean; yes: string; no: string }) {
  return <Lozenge appearance={ok ? 'success' : 'removed'}>{ok ? yes : no}</Lozenge>;
}

/** Opinions and tests: department opinions, integration test, UAT, cutover, deployment, operational acceptance, progress. */
export function RecordsTab() {
  const { view, person, name } = usePanel();
  const { t, format } = useI18n();
  const r = view.release;
  const when = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : format.dateTime(ms));
  const passedFailed = (passed: boolean) => <Verdict ok={passed} yes={t('panel.result.passed')} no={t('panel.result.failed')} />;
  const evidence = (url: string | undefined): ReactNode =>
    url ? (
      <a href={url} target="_blank" rel="noreferrer noopener">
        {t('panel.fallback.evidenceLink')}
      </a>
    ) : (
      '—'
    );
  const testRecord = (rec: typeof r.tests.integration) =>
    !rec ? (
      <Empty>{t('panel.records.notRecorded')}</Empty>
    ) : (
      <Details
        items={[
          [t('panel.fallback.result'), passedFailed(rec.passed)],
          [t('panel.records.recordedBy'), t('panel.records.whoWhen', { who: name(rec.recordedBy), when: when(rec.recordedAt) })],
          [t('panel.fields.note'), rec.note || '—'],
          [t('panel.fallback.evidence'), evidence(rec.evidenceUrl)],
        ]}
      />
    );
  const passedField = { kind: 'boolean' as const, name: 'passed', label: t('panel.fields.testResult'), yes: t('panel.result.passed'), no: t('panel.result.failed') };
  const note = { kind: 'textarea' as const, name: 'note', label: t('panel.fields.note'), max: BOUNDS.text };
  const url = { kind: 'url' as const, name: 'evidenceUrl', label: t('panel.fields.evidenceUrl'), max: BOUNDS.url };
  return (
    <Stack space="space.300">
      <Section title={t('panel.records.opinions')} testId="rg-opinions">
        {r.departmentOpinions.length === 0 ? (
          <Empty>{t('panel.records.noOpinions')}</Empty>
        ) : (
          <SimpleTable
            caption={t('panel.records.opinions')}
            head={[t('panel.fields.department'), t('panel.fields.opinion'), t('panel.records.recordedBy')]}
            rows={r.departmentOpinions.map((o) => [o.department, o.opinion, t('panel.records.whoWhen', { who: name(o.recordedBy), when: when(o.recordedAt) })])}
          />
        )}
        <ActionRow>
          <ActionForm
            action="recordOpinion"
            fields={[
              { kind: 'text', name: 'department', label: t('panel.fields.department'), max: BOUNDS.shortText, required: true },
              { kind: 'textarea', name: 'opinion', label: t('panel.fields.opinion'), max: BOUNDS.longText, required: true },
            ]}
          />
        </ActionRow>
      </Section>
      <Section title={t('panel.records.integration')} testId="rg-integration">
        {testRecord(r.tests.integration)}
        <ActionRow>
          <ActionForm action="recordIntegrationTest" fields={[passedField, note, url]} />
        </ActionRow>
      </Section>
      <Section title={t('panel.records.uat')} testId="rg-uat">
        {testRecord(r.tests.uat)}
        <ActionRow>
          <ActionForm action="recordUat" fields={[passedField, note, url]} />
        </ActionRow>
      </Section>
      <Section title={t('panel.records.deployment')} testId="rg-deployment">
        {!r.deployment ? (
          <Empty>{t('panel.records.notRecorded')}</Empty>
        ) : (
          <Details
            items={[
              [t('panel.fallback.result'), <Verdict ok={r.deployment.succeeded} yes={t('panel.result.succeeded')} no={t('panel.result.failed')} />],
              [t('panel.records.finishedAt'), when(r.deployment.finishedAt)],
              [t('panel.records.recordedBy'), person(r.deployment.recordedBy)],
              [t('panel.fields.note'), r.deployment.note || '—'],
            ]}
          />
        )}
        <ActionRow>
          <ActionForm
            action="recordDeploymentResult"
            fields={[
              { kind: 'boolean', name: 'succeeded', label: t('panel.fields.deploymentResult'), yes: t('panel.result.succeeded'), no: t('panel.result.failed') },
              { kind: 'datetime', name: 'finishedAt', label: t('panel.fields.finishedAt'), required: true, initial: Date.now() },
              note,
            ]}
          />
        </ActionRow>
      </Section>
      <Section title={t('panel.records.cutover')} testId="rg-cutover">
        {!r.cutover ? (
          <Empty>{t('panel.records.notRecorded')}</Empty>
        ) : (
          <Details
            items={[
              [t('panel.fallback.result'), <Verdict ok={r.cutover.confirmed} yes={t('panel.result.confirmed')} no={t('panel.result.notConfirmed')} />],
              [t('panel.records.recordedBy'), t('panel.records.whoWhen', { who: name(r.cutover.confirmedBy), when: when(r.cutover.confirmedAt) })],
              [t('panel.fields.note'), r.cutover.note || '—'],
            ]}
          />
        )}
        <ActionRow>
          <ActionForm
            action="recordCutover"
            fields={[{ kind: 'boolean', name: 'confirmed', label: t('panel.fields.cutoverConfirmed'), yes: t('panel.result.confirmed'), no: t('panel.result.notConfirmed') }, note]}
          />
        </ActionRow>
      </Section>
      <Section title={t('panel.records.acceptance')} testId="rg-acceptance">
        {!r.operationalAcceptance ? (
          <Empty>{t('panel.records.notRecorded')}</Empty>
        ) : (
          <Details
            items={[
              [t('panel.fields.accepted'), <Verdict ok={r.operationalAcceptance.accepted} yes={t('panel.result.yes')} no={t('panel.result.no')} />],
              [t('panel.fields.resultConfirmed'), <Verdict ok={r.operationalAcceptance.resultConfirmed} yes={t('panel.result.yes')} no={t('panel.result.no')} />],
              [t('panel.records.recordedBy'), t('panel.records.whoWhen', { who: name(r.operationalAcceptance.confirmedBy), when: when(r.operationalAcceptance.confirmedAt) })],
              [t('panel.fields.note'), r.operationalAcceptance.note || '—'],
            ]}
          />
        )}
        <ActionRow>
          <ActionForm
            action="recordOperationalAcceptance"
            fields={[
              { kind: 'boolean', name: 'accepted', label: t('panel.fields.accepted'), yes: t('panel.result.yes'), no: t('panel.result.no') },
              { kind: 'boolean', name: 'resultConfirmed', label: t('panel.fields.resultConfirmed'), yes: t('panel.result.yes'), no: t('panel.result.no') },
              note,
            ]}
          />
        </ActionRow>
      </Section>
      <Section title={t('panel.records.progress')} testId="rg-progress">
        {r.progressReports.length === 0 ? (
          <Empty>{t('panel.records.noProgress')}</Empty>
        ) : (
          <SimpleTable
            caption={t('panel.records.progress')}
            head={[t('panel.records.reportedAt'), t('panel.fields.progressNote'), t('panel.fields.percentComplete'), t('panel.fields.effortHours'), t('panel.records.recordedBy')]}
            rows={[...r.progressReports]
              .sort((a, b) => b.reportedAt - a.reportedAt)
              .map((p) => [
                when(p.reportedAt),
                p.note,
                p.percentComplete === undefined ? '—' : format.percent(p.percentComplete / 100),
                p.effortHours === undefined ? '—' : format.number(p.effortHours),
                person(p.reportedBy),
              ])}
          />
        )}
        <Text as="p" size="small" color="color.text.subtle">
          {t('panel.records.actualEffort', { n: r.actualEffortHours === null ? '—' : format.number(r.actualEffortHours) })}
        </Text>
        <ActionRow>
          <ActionForm
            action="reportProgress"
            fields={[
              { kind: 'textarea', name: 'note', label: t('panel.fields.progressNote'), max: BOUNDS.longText, required: true },
              { kind: 'number', name: 'percentComplete', label: t('panel.fields.percentComplete'), min: 0, max: 100, integer: true },
              { kind: 'number', name: 'effortHours', label: t('panel.fields.effortHours'), min: 0, max: BOUNDS.progressEffortHours },
            ]}
          />
        </ActionRow>
      </Section>
    </Stack>
  );
}
