import Lozenge from '@atlaskit/lozenge';
import { Inline, Stack } from '@atlaskit/primitives';
import { useState } from 'react';
import { ErrorState, Loading, useAsync, useI18n } from '../../../shared';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import { IssueLink } from '../../../shared/ui/IssueLink';
import { Person } from '../../../shared/people';
import { useVocabulary } from '../../../shared/vocabulary';
import { listTraining, type TrainingRow } from '../api';
import type { PageProps } from '../model';
import { PageHeading } from './parts';

/** Training tasks of the project by due date, overdue ones flagged; "only overdue" asks the server to filter. */
export default function TrainingPage({ projectId, accountId }: PageProps) {
  const { t, format } = useI18n();
  const { name } = useVocabulary();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const data = useAsync(() => listTraining({ projectId, overdueOnly, limit: 100 }), [projectId, overdueOnly]);

  const columns: Column<TrainingRow>[] = [
    {
      key: 'release',
      header: t('workbench.col.release'),
      render: (x) => (x.issueKey ? <IssueLink issueKey={x.issueKey} /> : x.releaseId),
    },
    { key: 'audience', header: t('workbench.training.audience'), render: (x) => name('audience', x.audience) },
    { key: 'trainer', header: t('workbench.training.trainer'), render: (x) => (x.trainerAccountId === accountId ? t('workbench.you') : <Person accountId={x.trainerAccountId} />) },
    { key: 'due', header: t('workbench.col.due'), render: (x) => format.date(x.dueAt) },
    {
      key: 'state',
      header: t('workbench.col.state'),
      render: (x) =>
        x.deliveredAt !== null ? (
          <Lozenge appearance="success">{t('workbench.training.delivered', { date: format.date(x.deliveredAt) })}</Lozenge>
        ) : x.withdrawn && x.releaseStatus ? (
          <Lozenge appearance="default">{t('workbench.training.withdrawn', { status: name('status', x.releaseStatus) })}</Lozenge>
        ) : x.overdue ? (
          <Lozenge appearance="removed" isBold>
            {t('workbench.overdue')}
          </Lozenge>
        ) : (
          <Lozenge appearance="inprogress">{t('workbench.open')}</Lozenge>
        ),
    },
    { key: 'passed', header: t('workbench.training.passed'), numeric: true, render: (x) => (x.assessed > 0 ? `${format.number(x.passed)} / ${format.number(x.assessed)}` : '—') },
  ];

  return (
    <Stack space="space.150">
      <PageHeading title={t('workbench.training.title')} intro={t('workbench.training.intro')} />
      <Inline space="space.100" alignBlock="center">
        <input id="rg-training-overdue" type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.currentTarget.checked)} />
        <label htmlFor="rg-training-overdue">{t('workbench.training.overdueOnly')}</label>
      </Inline>
      {data.status === 'loading' ? <Loading /> : null}
      {data.status === 'error' ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
      {data.status === 'ready' ? (
        <DataTable caption={t('workbench.training.title')} columns={columns} rows={data.data.items} rowKey={(x) => x.id} empty={t('workbench.training.empty')} testId="rg-training" />
      ) : null}
    </Stack>
  );
}
