import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import { Inline, Stack } from '@atlaskit/primitives';
import { useState } from 'react';
import { ErrorState, Loading, useAsync, useI18n } from '../../../shared';
import { Person } from '../../../shared/people';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import { IssueLink } from '../../../shared/ui/IssueLink';
import { PersonField } from '../../../shared/ui/PersonField';
import { useVocabulary } from '../../../shared/vocabulary';
import { listEvaluations, type EvaluationRow } from '../api';
import { hasRole, type PageProps } from '../model';
import { PageHeading } from './parts';

/**
 * Participant evaluations: a release manager sees every evaluation of the project, or one person's; anyone
 * else sees their own. The server applies the same rule.
 */
export default function EvaluationsPage({ projectId, accountId, roles, keyOf }: PageProps) {
  const { t, format } = useI18n();
  const { name } = useVocabulary();
  const manager = roles !== null && hasRole(roles, 'RELEASE_MANAGER');
  const [person, setPerson] = useState('');
  const data = useAsync(() => listEvaluations({ projectId, ...(manager && person ? { accountId: person } : {}), limit: 100 }), [projectId, manager, person]);

  const columns: Column<EvaluationRow>[] = [
    { key: 'release', header: t('workbench.col.release'), render: (e) => { const k = e.issueKey ?? keyOf(e.releaseId); return k ? <IssueLink issueKey={k} /> : '—'; } },
    { key: 'person', header: t('workbench.evaluations.person'), render: (e) => (e.accountId === accountId ? t('workbench.you') : <Person accountId={e.accountId} />) },
    { key: 'role', header: t('workbench.evaluations.role'), render: (e) => name('role', e.role) },
    { key: 'rating', header: t('workbench.evaluations.rating'), render: (e) => t('workbench.evaluations.ratingOf', { n: e.rating }) },
    { key: 'note', header: t('workbench.evaluations.note'), render: (e) => e.note || '—' },
    { key: 'by', header: t('workbench.evaluations.by'), render: (e) => <Person accountId={e.evaluatedBy} /> },
    { key: 'at', header: t('workbench.evaluations.at'), render: (e) => format.date(e.evaluatedAt) },
  ];

  return (
    <Stack space="space.150">
      <PageHeading title={t('workbench.evaluations.title')} intro={manager ? t('workbench.evaluations.introManager') : t('workbench.evaluations.introPerson')} />
      {manager ? (
        <Inline space="space.100" alignBlock="end" shouldWrap>
          <Stack space="space.050">
            <Label htmlFor="rg-evaluations-person" id="rg-evaluations-person-label">
              {t('workbench.evaluations.filterPerson')}
            </Label>
            <div style={{ minWidth: 280 }}>
              <PersonField id="rg-evaluations-person" value={person} onChange={setPerson} pool="BROWSERS" projectId={projectId} labelId="rg-evaluations-person-label" />
            </div>
          </Stack>
          {person ? (
            <Button appearance="subtle" onClick={() => setPerson('')}>
              {t('workbench.evaluations.everyone')}
            </Button>
          ) : null}
        </Inline>
      ) : null}
      {data.status === 'loading' ? <Loading /> : null}
      {data.status === 'error' ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
      {data.status === 'ready' ? (
        <DataTable
          caption={t('workbench.evaluations.title')}
          columns={columns}
          rows={data.data.items}
          rowKey={(e) => e.id}
          empty={manager ? t('workbench.evaluations.empty') : t('workbench.evaluations.emptyMine')}
          testId="rg-evaluations"
        />
      ) : null}
    </Stack>
  );
}
