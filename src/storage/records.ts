/**
 * How each record is keyed and indexed. `put*` add a versioned write to a `Changes`; `*Ref` name a record for
 * `getMany`; the list reads return one page of an index, validated.
 */
import { z } from 'zod';
import type { FallbackPlan } from '../domain/fallback';
import type { ImprovementAction, ParticipantEvaluation } from '../domain/improvement';
import type { Release, ReleaseStatus } from '../domain/release';
import type { TeamRole } from '../domain/roles';
import type { Team, TeamMember } from '../domain/team';
import type { TrainingTask } from '../domain/training';
import type { KpiMonthAggregate } from '../domain/kpi';
import { ENTITY, INDEX, ROLE_CACHE_PREFIX } from './entities';
import {
  auditChainHeadSchema,
  auditEventSchema,
  evaluationSchema,
  fallbackPlanSchema,
  improvementActionSchema,
  kpiMonthEntriesSchema,
  kpiMonthSchema,
  projectSetupSchema,
  roleMembershipSchema,
  storedReleaseDocSchema,
  teamSchema,
  trainingTaskSchema,
  type AuditChainHead,
  type AuditEvent,
  type ProjectSetup,
  type RoleMembership,
  type StoredReleaseDoc,
} from './schemas';
import { getMany, getRow, putPlain, queryIndex, safeKey, type Changes, type GetRef, type Page, type PlainRef, type Row } from './store';

// ------------------------------------------------------------------ refs

export const releaseRef = (releaseId: string): GetRef<StoredReleaseDoc> => ({ entity: ENTITY.release, key: releaseId, schema: storedReleaseDocSchema });
export const teamRef = (releaseId: string): GetRef<Team> => ({ entity: ENTITY.team, key: releaseId, schema: teamSchema });
export const fallbackRef = (releaseId: string): GetRef<FallbackPlan> => ({ entity: ENTITY.fallback, key: releaseId, schema: fallbackPlanSchema });
export const setupRef = (projectId: string): GetRef<ProjectSetup> => ({ entity: ENTITY.policy, key: projectId, schema: projectSetupSchema });
export const roleCacheRef = (projectId: string): PlainRef<RoleMembership> => ({ plainKey: `${ROLE_CACHE_PREFIX}${projectId}`, schema: roleMembershipSchema });
export const trainingRef = (taskId: string): GetRef<TrainingTask> => ({ entity: ENTITY.training, key: taskId, schema: trainingTaskSchema });
export const improvementRef = (id: string): GetRef<ImprovementAction> => ({ entity: ENTITY.improvement, key: id, schema: improvementActionSchema });

export const kpiMonthRef = (projectId: string, month: string): GetRef<KpiMonthAggregate> => ({
  entity: ENTITY.kpiMonth,
  key: safeKey(projectId, month),
  schema: kpiMonthSchema,
});

const kpiEntriesSchema = z.object({ entries: kpiMonthEntriesSchema });
const kpiEntriesRef = (projectId: string, month: string): GetRef<{ entries: KpiMonthAggregate['entries'] }> => ({
  entity: ENTITY.kpiEntries,
  key: safeKey(projectId, month),
  schema: kpiEntriesSchema,
});

/**
 * A month's aggregate with its drill-down entries (stored beside it, so that the gadget's reads stay small):
 * what a change that updates the aggregate must start from. One batchGet for both rows of every month asked.
 */
export async function kpiMonthRows(projectId: string, months: readonly string[]): Promise<(Row<KpiMonthAggregate> | null)[]> {
  const rows = await getMany(months.flatMap((m) => [kpiMonthRef(projectId, m), kpiEntriesRef(projectId, m)]));
  return months.map((_, i) => {
    const main = rows[2 * i] as Row<KpiMonthAggregate> | null;
    const entries = rows[2 * i + 1] as Row<{ entries: KpiMonthAggregate['entries'] }> | null;
    return main ? { ...main, doc: { ...main.doc, entries: entries?.doc.entries ?? main.doc.entries } } : null;
  });
}

export async function kpiMonthRow(projectId: string, month: string): Promise<Row<KpiMonthAggregate> | null> {
  return (await kpiMonthRows(projectId, [month]))[0] ?? null;
}

export { getMany, getRow };

// ------------------------------------------------------------------ writes

/** Writes the release (its `version` becomes the row's new version). Returns the release as stored. */
export function putRelease(changes: Changes, doc: StoredReleaseDoc, expectedVersion: number | null, now: number): StoredReleaseDoc {
  const r = doc.release;
  const version = (expectedVersion ?? 0) + 1;
  const stored: StoredReleaseDoc = { ...doc, release: { ...r, version } };
  changes.put(
    ENTITY.release,
    r.id,
    {
      projectId: r.projectId,
      status: r.status,
      leadAccountId: r.leadAccountId,
      requesterAccountId: r.requesterAccountId,
      windowStart: r.windowStart,
      classification: r.classification,
      issueKey: r.issueKey,
      linkedChangeKey: r.linkedChangeKey,
      updatedAt: now,
      // Only a closed release appears in the by-closed index (the month's releases, for KPI reconciliation).
      closedAt: r.status === 'CLOSED' ? (r.statusEnteredAt.CLOSED ?? null) : null,
    },
    stored,
    expectedVersion,
  );
  return stored;
}

export function putTeam(changes: Changes, projectId: string, team: Team, expectedVersion: number | null): void {
  changes.put(ENTITY.team, team.releaseId, { projectId, formedAt: team.formedAt }, team, expectedVersion);
}

export function membershipKey(releaseId: string, m: Pick<TeamMember, 'teamRole' | 'accountId' | 'joinedAt'>): string {
  return safeKey(releaseId, m.teamRole, m.accountId, String(Math.floor(m.joinedAt)));
}

const membershipDocSchema = z.object({
  releaseId: z.string(),
  projectId: z.string(),
  accountId: z.string(),
  teamRole: z.string(),
  joinedAt: z.number(),
  leftAt: z.number().nullable(),
});
export type MembershipDoc = z.infer<typeof membershipDocSchema>;

/**
 * The team's memberships projected one row per membership, so that "releases I am on" is one index query.
 * A membership row is written twice at most: when the member joins (must not exist) and when they leave
 * (version 1). Dissolution does not touch the rows: readers drop closed releases.
 */
export function putMembershipChanges(changes: Changes, projectId: string, before: Team | null, after: Team | null): void {
  if (!after) return;
  const old = new Map<string, TeamMember>();
  for (const m of before?.members ?? []) old.set(membershipKey(after.releaseId, m), m);
  for (const m of after.members) {
    const key = membershipKey(after.releaseId, m);
    const prev = old.get(key);
    const doc: MembershipDoc = { releaseId: after.releaseId, projectId, accountId: m.accountId, teamRole: m.teamRole, joinedAt: m.joinedAt, leftAt: m.leftAt };
    const attrs = { projectId, releaseId: after.releaseId, accountId: m.accountId, teamRole: m.teamRole, joinedAt: m.joinedAt, active: m.leftAt === null };
    if (!prev) changes.put(ENTITY.membership, key, attrs, doc, null);
    else if (prev.leftAt === null && m.leftAt !== null && after.dissolvedAt === null) changes.put(ENTITY.membership, key, attrs, doc, 1);
  }
}

export function putFallback(changes: Changes, projectId: string, plan: FallbackPlan, expectedVersion: number | null, now: number): void {
  changes.put(ENTITY.fallback, plan.releaseId, { projectId, updatedAt: now }, plan, expectedVersion);
}

export function putTraining(changes: Changes, projectId: string, task: TrainingTask, expectedVersion: number | null): void {
  changes.put(
    ENTITY.training,
    task.id,
    {
      projectId,
      releaseId: task.releaseId,
      trainerAccountId: task.trainerAccountId,
      audience: task.audience,
      dueAt: task.dueAt,
      delivered: task.deliveredAt !== null,
    },
    task,
    expectedVersion,
  );
}

export function putImprovement(changes: Changes, action: ImprovementAction, expectedVersion: number | null): void {
  changes.put(
    ENTITY.improvement,
    action.id,
    { projectId: action.projectId, ownerAccountId: action.ownerAccountId, dueAt: action.dueAt, completed: action.completedAt !== null },
    action,
    expectedVersion,
  );
}

export function putEvaluation(changes: Changes, projectId: string, e: ParticipantEvaluation): void {
  changes.put(ENTITY.evaluation, e.id, { projectId, releaseId: e.releaseId, accountId: e.accountId, evaluatedAt: e.evaluatedAt }, e, null);
}

export function putSetup(changes: Changes, setup: ProjectSetup, expectedVersion: number | null): void {
  changes.put(ENTITY.policy, setup.projectId, { projectId: setup.projectId, updatedAt: setup.updatedAt }, setup, expectedVersion);
}

/**
 * The aggregate (without its entries) under its version, and its entries beside it in the same transaction,
 * guarded by the aggregate's version condition.
 */
export function putKpiMonth(changes: Changes, agg: KpiMonthAggregate, expectedVersion: number | null): void {
  const key = safeKey(agg.projectId, agg.month);
  const attrs = { projectId: agg.projectId, month: agg.month };
  changes.put(ENTITY.kpiMonth, key, attrs, { ...agg, entries: [] }, expectedVersion);
  changes.putCompanion(ENTITY.kpiEntries, key, attrs, { entries: agg.entries });
}

/** The project's month aggregates from..to, without their drill-down entries: what the gadget reads. */
export async function kpiMonths(projectId: string, fromMonth: string, toMonth: string): Promise<KpiMonthAggregate[]> {
  const page = await queryIndex(
    { entity: ENTITY.kpiMonth, index: INDEX.kpiMonth.byProject, partition: [projectId], range: { from: fromMonth, to: toMonth }, sort: 'ASC', limit: 100 },
    kpiMonthSchema,
  );
  return page.items.map((r) => r.doc);
}

/** The same months with their entries (the drill-down): two index queries. */
export async function kpiMonthsWithEntries(projectId: string, fromMonth: string, toMonth: string): Promise<KpiMonthAggregate[]> {
  const q = { partition: [projectId], range: { from: fromMonth, to: toMonth }, sort: 'ASC' as const, limit: 100 };
  const [months, entries] = await Promise.all([
    kpiMonths(projectId, fromMonth, toMonth),
    queryIndex({ entity: ENTITY.kpiEntries, index: INDEX.kpiEntries.byProject, ...q }, kpiEntriesSchema),
  ]);
  const byKey = new Map(entries.items.map((r) => [r.key, r.doc.entries]));
  return months.map((m) => ({ ...m, entries: byKey.get(safeKey(m.projectId, m.month)) ?? m.entries }));
}

/** Role membership cache: a plain key that expires by itself (and carries its own fetch time). */
export async function cacheRoleMembership(m: RoleMembership, ttlSeconds: number): Promise<void> {
  await putPlain(`${ROLE_CACHE_PREFIX}${m.projectId}`, m, ttlSeconds);
}

// ------------------------------------------------------------------ lists

export interface ListOptions {
  limit?: number;
  cursor?: string;
}

const docs = <T>(page: Page<Row<T>>): Page<T> => ({ items: page.items.map((r) => r.doc), ...(page.cursor ? { cursor: page.cursor } : {}) });
const releases = (page: Page<Row<StoredReleaseDoc>>): Page<Release> => ({
  items: page.items.map((r) => r.doc.release),
  ...(page.cursor ? { cursor: page.cursor } : {}),
});

export async function releasesByStatus(projectId: string, status: ReleaseStatus, o: ListOptions = {}): Promise<Page<Release>> {
  return releases(await queryIndex({ entity: ENTITY.release, index: INDEX.release.byStatus, partition: [projectId, status], sort: 'DESC', ...o }, storedReleaseDocSchema));
}

export async function releasesByLead(projectId: string, leadAccountId: string, o: ListOptions = {}): Promise<Page<Release>> {
  return releases(await queryIndex({ entity: ENTITY.release, index: INDEX.release.byLead, partition: [projectId, leadAccountId], sort: 'DESC', ...o }, storedReleaseDocSchema));
}

/** The releases raised from a change request (by its issue key), newest first. */
export async function releasesOfChange(projectId: string, changeKey: string, o: ListOptions = {}): Promise<Page<Release>> {
  return releases(await queryIndex({ entity: ENTITY.release, index: INDEX.release.byChange, partition: [projectId, changeKey], sort: 'DESC', ...o }, storedReleaseDocSchema));
}

export async function releasesByRequester(projectId: string, accountId: string, o: ListOptions = {}): Promise<Page<Release>> {
  return releases(await queryIndex({ entity: ENTITY.release, index: INDEX.release.byRequester, partition: [projectId, accountId], sort: 'DESC', ...o }, storedReleaseDocSchema));
}

export async function releasesByWindow(projectId: string, from: number | undefined, to: number | undefined, o: ListOptions = {}): Promise<Page<Release>> {
  return releases(
    await queryIndex(
      { entity: ENTITY.release, index: INDEX.release.byWindow, partition: [projectId], range: { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }, sort: 'ASC', ...o },
      storedReleaseDocSchema,
    ),
  );
}

/** Release records (with their DSL item summaries) whose window starts in `[from, to]`, by window start. */
export async function releaseDocsByWindow(projectId: string, from: number, to: number, o: ListOptions = {}): Promise<Page<StoredReleaseDoc>> {
  return docs(await queryIndex({ entity: ENTITY.release, index: INDEX.release.byWindow, partition: [projectId], range: { from, to }, sort: 'ASC', ...o }, storedReleaseDocSchema));
}

/** Closed releases of the project with `from ≤ closedAt ≤ to`, oldest first: a month's releases for KPI reconciliation. */
export async function closedReleases(projectId: string, from: number, to: number, o: ListOptions = {}): Promise<Page<Row<StoredReleaseDoc>>> {
  return queryIndex({ entity: ENTITY.release, index: INDEX.release.byClosed, partition: [projectId], range: { from, to }, sort: 'ASC', ...o }, storedReleaseDocSchema);
}

export async function releasesByIds(ids: readonly string[]): Promise<Release[]> {
  const rows = await getMany(ids.map((i) => releaseRef(i)));
  return rows.filter((r): r is Row<StoredReleaseDoc> => r !== null).map((r) => r.doc.release);
}

/** A release's membership rows (one per membership the team ever had), with their versions. */
export async function membershipRowsOfRelease(releaseId: string): Promise<Row<MembershipDoc>[]> {
  const out: Row<MembershipDoc>[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryIndex({ entity: ENTITY.membership, index: INDEX.membership.byRelease, partition: [releaseId], sort: 'ASC', limit: 100, ...(cursor ? { cursor } : {}) }, membershipDocSchema);
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

export async function membershipsOf(projectId: string, accountId: string, o: ListOptions = {}): Promise<Page<MembershipDoc>> {
  return docs(await queryIndex({ entity: ENTITY.membership, index: INDEX.membership.byMember, partition: [projectId, accountId], sort: 'DESC', ...o }, membershipDocSchema));
}

export async function trainingOfRelease(releaseId: string): Promise<Row<TrainingTask>[]> {
  return (await queryIndex({ entity: ENTITY.training, index: INDEX.training.byRelease, partition: [releaseId], sort: 'ASC', limit: 100 }, trainingTaskSchema)).items;
}

export async function trainingByDue(projectId: string, from: number | undefined, to: number | undefined, o: ListOptions = {}): Promise<Page<TrainingTask>> {
  return docs(
    await queryIndex(
      { entity: ENTITY.training, index: INDEX.training.byProjectDue, partition: [projectId], range: { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }, sort: 'ASC', ...o },
      trainingTaskSchema,
    ),
  );
}

export async function trainingByTrainer(projectId: string, trainerAccountId: string, o: ListOptions = {}): Promise<Page<TrainingTask>> {
  return docs(await queryIndex({ entity: ENTITY.training, index: INDEX.training.byTrainer, partition: [projectId, trainerAccountId], sort: 'ASC', ...o }, trainingTaskSchema));
}

export async function improvementsByDue(projectId: string, o: ListOptions = {}): Promise<Page<ImprovementAction>> {
  return docs(await queryIndex({ entity: ENTITY.improvement, index: INDEX.improvement.byProjectDue, partition: [projectId], sort: 'ASC', ...o }, improvementActionSchema));
}

/** Improvement actions with `from ≤ dueAt ≤ to`, by due date. */
export async function improvementsDueBetween(projectId: string, from: number, to: number, o: ListOptions = {}): Promise<Page<ImprovementAction>> {
  return docs(
    await queryIndex({ entity: ENTITY.improvement, index: INDEX.improvement.byProjectDue, partition: [projectId], range: { from, to }, sort: 'ASC', ...o }, improvementActionSchema),
  );
}

/** Every project with a set-up record, one page at a time. */
export async function setUpProjects(o: ListOptions = {}): Promise<Page<ProjectSetup>> {
  return docs(await queryIndex({ entity: ENTITY.policy, index: INDEX.policy.byUpdated, sort: 'ASC', ...o }, projectSetupSchema));
}

export async function evaluationsOfPerson(projectId: string, accountId: string, o: ListOptions = {}): Promise<Page<ParticipantEvaluation>> {
  return docs(await queryIndex({ entity: ENTITY.evaluation, index: INDEX.evaluation.byPerson, partition: [projectId, accountId], sort: 'DESC', ...o }, evaluationSchema));
}

export async function evaluationsOfProject(projectId: string, o: ListOptions = {}): Promise<Page<ParticipantEvaluation>> {
  return docs(await queryIndex({ entity: ENTITY.evaluation, index: INDEX.evaluation.byProject, partition: [projectId], sort: 'DESC', ...o }, evaluationSchema));
}

export async function evaluationsOfRelease(releaseId: string, o: ListOptions = {}): Promise<Page<ParticipantEvaluation>> {
  return docs(await queryIndex({ entity: ENTITY.evaluation, index: INDEX.evaluation.byRelease, partition: [releaseId], sort: 'DESC', ...o }, evaluationSchema));
}

/**
 * The indexes range over `at` alone, so events of one transaction (a pipeline's result and the transition it
 * made) tie and come back in key order. Within a page, ties of one chain are put in chain order (`seq`).
 */
function inTrailOrder(page: Page<AuditEvent>, sort: 'ASC' | 'DESC'): Page<AuditEvent> {
  const dir = sort === 'DESC' ? -1 : 1;
  const items = [...page.items].sort((a, b) => (a.at !== b.at ? dir * (a.at - b.at) : a.chainId === b.chainId ? dir * (a.seq - b.seq) : 0));
  return { ...page, items };
}

export async function auditOfSubject(subjectId: string, o: ListOptions = {}): Promise<Page<AuditEvent>> {
  return inTrailOrder(docs(await queryIndex({ entity: ENTITY.audit, index: INDEX.audit.bySubject, partition: [subjectId], sort: 'DESC', ...o }, auditEventSchema)), 'DESC');
}

export interface AuditQuery {
  projectId: string;
  from?: number | undefined;
  to?: number | undefined;
  actorAccountId?: string | undefined;
  action?: string | undefined;
  /** A release or DSL item id: the subject's own trail. */
  subjectId?: string | undefined;
  sort?: 'ASC' | 'DESC';
  cursor?: string | undefined;
  limit?: number | undefined;
}

/**
 * A page of a project's trail, filtered: the most selective index (subject, then person, then action, then the
 * project) with the period as its range, the other filters as attribute filters.
 */
export async function auditOfProject(q: AuditQuery): Promise<Page<AuditEvent>> {
  const range = q.from !== undefined || q.to !== undefined ? { range: { ...(q.from !== undefined ? { from: q.from } : {}), ...(q.to !== undefined ? { to: q.to } : {}) } } : {};
  const base = { entity: ENTITY.audit, sort: q.sort ?? 'DESC', ...range, ...(q.cursor ? { cursor: q.cursor } : {}), ...(q.limit ? { limit: q.limit } : {}) } as const;
  const equals: Record<string, string> = {};
  let index: { index: string; partition: string[] };
  if (q.subjectId) {
    index = { index: INDEX.audit.bySubject, partition: [q.subjectId] };
    equals.projectId = q.projectId;
    if (q.actorAccountId) equals.actorAccountId = q.actorAccountId;
    if (q.action) equals.action = q.action;
  } else if (q.actorAccountId) {
    index = { index: INDEX.audit.byActor, partition: [q.projectId, q.actorAccountId] };
    if (q.action) equals.action = q.action;
  } else if (q.action) {
    index = { index: INDEX.audit.byAction, partition: [q.projectId, q.action] };
  } else {
    index = { index: INDEX.audit.byProject, partition: [q.projectId] };
  }
  return inTrailOrder(docs(await queryIndex({ ...base, ...index, equals }, auditEventSchema)), base.sort);
}

/** One chain's events in sequence order from `afterSeq` (exclusive). */
export async function auditOfChain(chainId: string, afterSeq: number, limit = 100, cursor?: string): Promise<Page<AuditEvent>> {
  return docs(await queryIndex({ entity: ENTITY.audit, index: INDEX.audit.byChain, partition: [chainId], range: { from: afterSeq + 1 }, sort: 'ASC', limit, ...(cursor ? { cursor } : {}) }, auditEventSchema));
}

/** The chain heads of a project (or of every project), in chain id order. */
export async function auditChainHeads(projectId: string | null, o: ListOptions = {}): Promise<Page<AuditChainHead>> {
  const q = projectId
    ? { entity: ENTITY.auditChain, index: INDEX.auditChain.byProject, partition: [projectId] }
    : { entity: ENTITY.auditChain, index: INDEX.auditChain.all };
  return docs(await queryIndex({ ...q, sort: 'ASC', ...o }, auditChainHeadSchema));
}

export type { AuditChainHead, AuditEvent, ProjectSetup, RoleMembership, StoredReleaseDoc, TeamRole };

/** Every release of the project, one page at a time (the daily Jira sweep). */
export async function releaseRowsOfProject(projectId: string, o: ListOptions = {}): Promise<Page<Row<StoredReleaseDoc>>> {
  return queryIndex({ entity: ENTITY.release, index: INDEX.release.byProject, partition: [projectId], sort: 'ASC', ...o }, storedReleaseDocSchema);
}
