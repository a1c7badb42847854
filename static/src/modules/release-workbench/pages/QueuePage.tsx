import Lozenge from '@atlaskit/lozenge';
import { Stack, Text } from '@atlaskit/primitives';
import { ErrorState, Loading, useAsync, useI18n, type MessageKey } from '../../../shared';
import { DataTable, type Column } from '../../../shared/ui/DataTable';
import { IssueLink } from '../../../shared/ui/IssueLink';
import { useVocabulary } from '../../../shared/vocabulary';
import { Person } from '../../../shared/people';
import { listQueue, listReleases, type QueueRole, type Release, type StandingRole } from '../api';
import { hasRole, reviewDueAt, type PageProps } from '../model';
import { DisabledReason, OpenIssueAction, PageHeading, StatusLozenge, WindowText } from './parts';

export type QueueKind = 'review' | 'leading' | 'mine' | 'deployments' | 'tests' | 'acceptance' | 'verifications' | 'requests';

/** Each queue's title, what it holds, and, when empty, what the role does and where. */
const TEXT: Record<QueueKind, { title: MessageKey; intro: MessageKey; empty: MessageKey }> = {
  review: { title: 'workbench.review.title', intro: 'workbench.review.intro', empty: 'workbench.review.empty' },
  leading: { title: 'workbench.leading.title', intro: 'workbench.leading.intro', empty: 'workbench.leading.empty' },
  mine: { title: 'workbench.mine.title', intro: 'workbench.mine.intro', empty: 'workbench.mine.empty' },
  deployments: { title: 'workbench.deployments.title', intro: 'workbench.deployments.intro', empty: 'workbench.deployments.empty' },
  tests: { title: 'workbench.tests.title', intro: 'workbench.tests.intro', empty: 'workbench.tests.empty' },
  acceptance: { title: 'workbench.acceptance.title', intro: 'workbench.acceptance.intro', empty: 'workbench.acceptance.empty' },
  verifications: { title: 'workbench.verifications.title', intro: 'workbench.verifications.intro', empty: 'workbench.verifications.empty' },
  requests: { title: 'workbench.requests.title', intro: 'workbench.requests.intro', empty: 'workbench.requests.empty' },
};

/** Who acts on the releases of a queue, and the reason code shown to everyone else. */
const ACTOR: Partial<Record<QueueKind, { role: StandingRole; reason: string; label: MessageKey }>> = {
  review: { role: 'RELEASE_MANAGER', reason: 'NOT_RELEASE_MANAGER', label: 'workbench.review.action' },
  acceptance: { role: 'BUSINESS_LEAD', reason: 'NOT_BUSINESS_LEAD', label: 'workbench.acceptance.action' },
  verifications: { role: 'OPERATIONS_LEAD', reason: 'NOT_OPERATIONS_LEAD', label: 'workbench.verifications.action' },
};

const QUEUE_ROLE: Partial<Record<QueueKind, QueueRole>> = {
  leading: 'RELEASE_LEAD',
  mine: 'MINE',
  deployments: 'IMPLEMENTER',
  tests: 'TEST_EXPERT',
  acceptance: 'BUSINESS_LEAD',
  requests: 'REQUESTER',
};

async function load(kind: QueueKind, projectId: string): Promise<{ releases: Release[]; teamRoles: Record<string, string[]> }> {
  if (kind === 'review' || kind === 'verifications') {
    const page = await listReleases({ projectId, status: kind === 'review' ? 'SUBMITTED' : 'VERIFYING', limit: 100 });
    return { releases: page.items, teamRoles: {} };
  }
  const q = await listQueue({ projectId, role: QUEUE_ROLE[kind] ?? 'MINE', limit: 100 });
  return { releases: q.releases, teamRoles: q.teamRoles ?? {} };
}

const DAY = 86_400_000;

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
  const teamRoles = data.status === 'ready' ? data.data.teamRoles : {};
  // How long the release has been in its current status (what "waiting" means in a queue).
  const age = (r: Release) => {
    const since = r.statusEnteredAt[r.status] ?? r.createdAt;
    const days = Math.max(0, Math.floor((now - since) / DAY));
    return <Text>{format.number(days, { style: 'unit', unit: 'day', unitDisplay: 'long' })}</Text>;
  };
  const columns: Column<Release>[] = [
    { key: 'key', header: t('workbench.col.release'), render: (r) => <IssueLink issueKey={key(r)} /> },
    { key: 'summary', header: t('workbench.col.summary'), render: (r) => r.summary ?? '—' },
    { key: 'status', header: t('workbench.col.status'), render: (r) => <StatusLozenge status={r.status} /> },
    { key: 'requester', header: t('workbench.col.requester'), render: (r) => (r.requesterAccountId === accountId ? t('workbench.you') : <Person accountId={r.requesterAccountId} />) },
    { key: 'age', header: t('workbench.col.age'), render: age },
    { key: 'class', header: t('workbench.col.classification'), render: (r) => (r.classification ? name('classification', r.classification) : '—') },
  ];
  if (kind === 'mine') {
    columns.splice(3, 0, { key: 'roles', header: t('workbench.col.myRoles'), render: (r) => (teamRoles[r.id] ?? []).map((x) => name('role', x)).join(', ') || '—' });
  }
  if (kind === 'tests') {
    columns.push({
      key: 'integration',
      header: t('workbench.col.integrationTest'),
      render: (r) => (r.tests.integration ? (r.tests.integration.passed ? t('workbench.tests.passed') : t('workbench.tests.failed')) : t('workbench.tests.notRecorded')),
    });
  }
  if (kind === 'acceptance') {
    columns.push({ key: 'waiting', header: t('workbench.col.waitingFor'), render: (r) => (r.status === 'BUILD_TEST' ? t('workbench.acceptance.uat') : t('workbench.acceptance.cutover')) });
  }
  if (kind === 'requests') {
    columns.push({ key: 'outcome', header: t('workbench.col.outcome'), render: (r) => (r.outcome ? name('outcome', r.outcome) : '—') });
  }
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

  const rows = data.status === 'ready' ? data.data.releases : [];
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
