import { fallbackRef, getMany, membershipRowsOfRelease, releaseRef, teamRef, trainingOfRelease } from '../storage/records';
import { ENTITY } from '../storage/entities';
import { Changes, type Row } from '../storage/store';
import { commit } from './run';

/**
 * `avi:jira:deleted:issue` for a Release Request: the release record would point at an issue that no longer
 * exists, show in queues, calendars and "releases I am on", and be counted by the next KPI recount. So the
 * release and what hangs off it (team, memberships, fallback plan, training tasks) go; the audit trail stays
 * (append-only) and says the issue was deleted in Jira, by whom, in which status. Dependents go first, in
 * transactions within Forge's 25 operations, the release with its audit event last: a run that stops half-way
 * leaves the release, and the event delivered again (Forge may) finishes the job; delivered twice, the second
 * finds nothing. Participant evaluations are kept: they are a person's record, not the release's.
 */
const PER_TRANSACTION = 20;

export async function forgetDeletedReleaseIssue(issueId: string, actorAccountId: string | undefined, now: number): Promise<'ignored' | 'removed'> {
  const [release, team, fallback] = await getMany([releaseRef(issueId), teamRef(issueId), fallbackRef(issueId)] as const);
  if (!release) return 'ignored';
  const dependents: { entity: (typeof ENTITY)[keyof typeof ENTITY]; row: Row<unknown> }[] = [
    ...(await trainingOfRelease(issueId)).map((row) => ({ entity: ENTITY.training, row })),
    ...(await membershipRowsOfRelease(issueId)).map((row) => ({ entity: ENTITY.membership, row })),
  ];
  for (let i = 0; i < dependents.length; i += PER_TRANSACTION) {
    const changes = new Changes();
    for (const d of dependents.slice(i, i + PER_TRANSACTION)) changes.remove(d.entity, d.row.key, d.row.version);
    await commit(changes);
  }
  const r = release.doc.release;
  const changes = new Changes();
  if (team) changes.remove(ENTITY.team, team.key, team.version);
  if (fallback) changes.remove(ENTITY.fallback, fallback.key, fallback.version);
  changes.remove(ENTITY.release, release.key, release.version);
  changes.audit({
    projectId: r.projectId,
    subjectType: 'RELEASE',
    subjectId: r.id,
    action: 'releaseIssueDeleted',
    actorAccountId: actorAccountId ?? 'app',
    at: now,
    before: { status: r.status, issueKey: r.issueKey },
    after: {},
  });
  await commit(changes);
  return 'removed';
}
