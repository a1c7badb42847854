import Lozenge from '@atlaskit/lozenge';
import { Stack, Text } from '@atlaskit/primitives';
import { ErrorState, Loading, useAsync, useI18n, type MessageKey } from '../../../shared';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import { IssueLink } from '../../../shared/ui/IssueLink';
import { useVocabulary } from '../../../shared/vocabulary';
import { listQueue, listReleases, type Release, type StandingRole } from '../api';
import { hasRole, reviewDueAt, type PageProps } from '../model';
import { DisabledReason, OpenIssueAction, PageHeading, StatusLozenge, WindowText } from './parts';

export type QueueKind = 'review' | 'leading' | 'deployments' | 'verifications';

const TEXT: Record<QueueKind, { title: MessageKey; intro: MessageKey; empty: MessageKey }> = {
  review: { title: 'workbench.review.title', intro: 'workbench.review.intro', empty: 'workbench.review.empty' },
  leading: { title: 'workbench.leading.title', intro: 'workbench.leading.intro', empty: 'workbench.leading.empty' },
  deployments: { title: 'workbench.deployments.title', intro: 'workbench.deployments.intro', empty: 'workbench.deployments.empty' },
  verifications: { title: 'workbench.verifications.title', intro: 'workbench.verifications.intro', empty: 'workbench.verifications.empty' },
};

/** Who acts on the releases of a queue, and the reason code shown to everyone else. */
const ACTOR: Partial<Record<QueueKind, { role: StandingRole; reason: string; label: MessageKey }>> = {
  review: { role: 'RELEASE_MANAGER', reason: 'NOT_RELEASE_MANAGER', label: 'workbench.review.action' },
  verifications: { role: 'OPERATIONS_LEAD', reason: 'NOT_OPERATIONS_LEAD', label: 'workbench.verifications.action' },
};

function load(kind: QueueKind, projectId: string): Promise<Release[]> {
  switch (kind) {
    case 'review':
      return listReleases({ projectId, status: 'SUBMITTED', limit: 100 }).then((p) => p.items);
    case 'verifications':
      return listReleases({ projectId, status: 'VERIFYING', limit: 100 }).then((p) => p.items);
    case 'leading':
      return listQueue({ projectId, role: 'RELEASE_LEAD', limit: 100 }).then((q) => q.releases);
    case 'deployments':
      return listQueue({ projectId, role: 'IMPLEMENTER', limit: 100 }).then((q) => q.releases);
  }
}

/** A role's queue of releases: the manager's review queue, the lead's releases, the implementer's deployments, verifications. */
export function QueuePage({ kind, projectId, accountId, roles, policy, now }: PageProps & { kind: QueueKind }) {
  const { t, format } = useI18n();
  const { name } = useVocabulary();
  const data = useAsync(() => load(kind, projectId), [kind, projectId]);
  const text = TEXT[kind];
  const actor = ACTOR[kind];
  const mayAct = actor ? roles !== null && hasRole(roles, actor.role) : true;
  const reasonId = `rg-reason-${kind}`;
  const sla = policy.reviewSlaDays;

  const key = (r: Release) => r.issueKey ?? r.id;
  const columns: Column<Release>[] = [
    { key: 'key', header: t('workbench.col.release'), render: (r) => <IssueLink issueKey={key(r)} /> },
    { key: 'status', header: t('workbench.col.status'), render: (r) => <StatusLozenge status={r.status} /> },
    { key: 'class', header: t('workbench.col.classification'), render: (r) => (r.classification ? name('classification', r.classification) : '—') },
  ];
  if (kind === 'review') {
    columns.push(
      { key: 'submitted', header: t('workbench.col.submitted'), render: (r) => format.date(r.statusEnteredAt.SUBMITTED ?? r.createdAt) },
      {
        key: 'sla',
        header: t('workbench.col.reviewDue'),
        render: (r) => {
          const due = reviewDueAt(r, sla);
          if (due === null) return '—';
          return due < now ? (
            <Lozenge appearance="removed" isBold>
              {t('workbench.review.overdue', { date: format.date(due) })}
            </Lozenge>
          ) : (
            <Text>{format.date(due)}</Text>
          );
        },
      },
    );
  } else {
    columns.push({ key: 'window', header: t('workbench.col.window'), render: (r) => <WindowText release={r} /> });
  }
  if (kind === 'deployments') {
    columns.push({
      key: 'deployment',
      header: t('workbench.col.deployment'),
      render: (r) => (r.deployment ? (r.deployment.succeeded ? t('workbench.deployments.succeeded') : t('workbench.deployments.failed')) : t('workbench.deployments.pending')),
    });
  }
  if (actor) {
    columns.push({
      key: 'action',
      header: t('workbench.col.action'),
      render: (r) => {
        const sod = kind === 'review' && r.requesterAccountId === accountId;
        return <OpenIssueAction issueKey={key(r)} label={t(actor.label)} allowed={mayAct && !sod} reasonId={sod ? `rg-sod-${r.id}` : reasonId} />;
      },
    });
  }

  const rows = data.status === 'ready' ? data.data : [];
  const overdue = kind === 'review' ? rows.filter((r) => (reviewDueAt(r, sla) ?? Infinity) < now).length : 0;
  return (
    <Stack space="space.150">
      <PageHeading title={t(text.title)} intro={t(text.intro, { days: sla })} />
      {data.status === 'loading' ? <Loading /> : null}
      {data.status === 'error' ? <ErrorState error={data.error} onRetry={data.reload} /> : null}
      {data.status === 'ready' ? (
        <>
          {overdue > 0 ? (
            <Text as="p" color="color.text.danger" testId="rg-review-overdue-count">
              {t('workbench.review.overdueCount', { count: overdue })}
            </Text>
          ) : null}
          {actor && !mayAct && rows.length > 0 ? <DisabledReason id={reasonId} text={name('reason', actor.reason)} /> : null}
          {kind === 'review' && mayAct
            ? rows
                .filter((r) => r.requesterAccountId === accountId)
                .map((r) => <DisabledReason key={r.id} id={`rg-sod-${r.id}`} text={`${key(r)}: ${name('reason', 'SOD_REQUESTER_APPROVER')}`} />)
            : null}
          <DataTable caption={t(text.title)} columns={columns} rows={rows} rowKey={(r) => r.id} empty={t(text.empty)} testId={`rg-queue-${kind}`} />
        </>
      ) : null}
    </Stack>
  );
}
