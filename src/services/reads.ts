/** What the UI reads: the panel, each role's queue, lists by the indexes, KPIs, history, evaluations. */
import { RESOLVER_KEYS as K, type PayloadOf } from '../contracts';
import type { EvaluationRow, ImprovementRow, JiraSyncView, PanelSummaryView, PanelView, QueueView, TrainingRow } from '../contracts/views';
import { RELEASE_ACTIONS } from '../domain/actions';
import { decide } from '../domain/decide';
import { nextStepChecklist } from '../domain/gates';
import type { ReleaseContext } from '../domain/context';
import { freezesInForce } from '../domain/freeze';
import type { Policy } from '../domain/policy';
import { canSeeEvaluation, isImprovementOverdue, type ParticipantEvaluation } from '../domain/improvement';
import { emptyKpiMonth, kpiReadings, MAX_KPI_ENTRIES_PER_MONTH, mergeKpiMonths, monthBounds, monthOf, periodDays, type KpiMonthAggregate } from '../domain/kpi';
import type { KpiName } from '../domain/kpiCatalog';
import { kpiDrillDown, kpiDrillJql, type KpiDrillDown } from '../domain/kpiDrill';
import { isTerminal, type Release, type ReleaseStatus } from '../domain/release';
import { isTeamRole, type StandingRole, type TeamRole } from '../domain/roles';
import { activeRolesOf } from '../domain/team';
import { isOverdueTraining, isTrainingWithdrawn } from '../domain/training';
import {
  evaluationsOfPerson,
  evaluationsOfProject,
  evaluationsOfRelease,
  improvementsByDue,
  kpiMonths,
  kpiMonthsWithEntries,
  membershipsOf,
  releasesByIds,
  releasesByLead,
  releasesByRequester,
  releasesByStatus,
  releasesByWindow,
  trainingByDue,
  trainingByTrainer,
} from '../storage/records';
import { queryIndex, type Page } from '../storage/store';
import { ENTITY, INDEX } from '../storage/entities';
import { improvementActionSchema, storedReleaseDocSchema } from '../storage/schemas';
import { refused, ServiceError } from './errors';
import { contextOf, loadProject, loadRelease, type LoadedProject, type LoadedRelease } from './load';
import { jiraDisagrees, jiraSyncView, noteDrift, scheduleRetry } from '../effects';
import { RELEASE_PROPERTY_KEY } from '../workflow/rules';
import { now } from './run';
import { resolveIssueScope, resolveProjectScope, type Caller } from './scope';

/**
 * The issue panel in one call: one Jira request (the browse check of the issue), and when the role cache is
 * warm three storage operations (batchGet of set-up, roles, release, team, fallback; training; history).
 */
export async function getPanel(caller: Caller, p: PayloadOf<typeof K.getPanel>): Promise<PanelView> {
  const scope = await resolveIssueScope(caller, p.releaseId, { mirrorProperty: RELEASE_PROPERTY_KEY });
  const t = now();
  const b = await loadRelease(scope, scope.issue.id, t, { history: true });
  const ctx = contextOf(b);
  const jira = ctx ? await reconcileOnRead(b, scope.issue.mirror ?? null, t) : undefined;
  const standingRoles = [...(b.actor.standingRoles as StandingRole[])];
  const base = {
    releaseId: scope.issue.id,
    issueKey: scope.issue.key,
    projectId: scope.projectId,
    actor: { accountId: scope.accountId, standingRoles, teamRoles: activeRolesOf(ctx?.team ?? null, scope.accountId) },
  };
  if (!ctx) {
    return { ...base, release: null, team: null, fallbackPlan: null, trainingTasks: [], dslItems: [], history: [], checklist: null, actions: [] };
  }
  const actions = RELEASE_ACTIONS.map((action) => {
    const d = decide(b.actor, ctx, action, t, b.policy);
    return { action, allowed: d.allowed, reasons: d.allowed ? [] : d.reasons };
  });
  return {
    ...base,
    ...(jira ? { jira } : {}),
    release: ctx.release,
    team: ctx.team,
    fallbackPlan: ctx.fallbackPlan,
    trainingTasks: [...ctx.trainingTasks],
    dslItems: [...ctx.dslItems],
    history: b.history?.items ?? [],
    ...(b.history?.cursor ? { historyCursor: b.history.cursor } : {}),
    checklist: nextStepChecklist(ctx, b.policy, t),
    actions,
    ...freezesNow(ctx, b.policy, t),
    ...(ctx.release.status === 'IMPLEMENTING' && b.policy.pipelineDeployEnvironment !== null ? { pipelineDeploysIn: b.policy.pipelineDeployEnvironment } : {}),
  };
}

function freezesNow(ctx: ReleaseContext, policy: Policy, t: number): Pick<PanelView, 'freezesInForce'> {
  const list = freezesInForce(policy.freezes, policy.timeZone, t, ctx.release.classification).map((o) => ({ reason: o.reason, severity: o.severity, until: o.end }));
  return list.length > 0 ? { freezesInForce: list } : {};
}

/**
 * What the panel says about Jira. When Jira shows something else than the record and nothing is owed already
 * (a change made behind the app's back, a lost effect), the repair is scheduled: noted on the outbox (one
 * storage write, only then) and handed to the queue; the sweep and "retry now" pick it up as well.
 */
async function reconcileOnRead(b: LoadedRelease, mirror: { statusId: string | null; property: unknown } | null, t: number): Promise<JiraSyncView> {
  const view = jiraSyncView(b.effectRequest?.doc ?? null, b.effectState?.doc ?? null);
  const release = b.release?.doc.release;
  if (!release || view.state !== 'SYNCED' || !jiraDisagrees(release, b.setup?.doc ?? null, mirror)) return view;
  await noteDrift(release.id, release.projectId, b.effectState, t);
  await scheduleRetry({ releaseId: release.id, projectId: release.projectId, notBefore: t });
  return { state: 'PENDING', attempts: 0, nextAttemptAt: t, reason: null, message: null };
}

/**
 * The glance's read: the same browse check as the panel (one Jira request) and, warm, two storage
 * operations (batchGet of set-up, roles, release, team, fallback; training, which the help-desk gate needs).
 */
export async function getPanelSummary(caller: Caller, p: PayloadOf<typeof K.getPanelSummary>): Promise<PanelSummaryView> {
  const scope = await resolveIssueScope(caller, p.releaseId, { mirrorProperty: RELEASE_PROPERTY_KEY });
  const t = now();
  const b = await loadRelease(scope, scope.issue.id, t);
  const ctx = contextOf(b);
  const base = { releaseId: scope.issue.id, issueKey: scope.issue.key };
  if (!ctx) return { ...base, release: null, checklist: null };
  // The glance opens with every issue view: the same disagreement check as the panel's, at no extra request.
  await reconcileOnRead(b, scope.issue.mirror ?? null, t);
  const { status, outcome, windowStart, windowEnd } = ctx.release;
  return { ...base, release: { status, outcome, windowStart, windowEnd }, checklist: nextStepChecklist(ctx, b.policy, t) };
}

/** The project as a reader sees it: the caller may browse it (asked of Jira) and the domain lets them read. */
export async function readableProject(caller: Caller, projectId?: string): Promise<LoadedProject & { t: number }> {
  const scope = await resolveProjectScope(caller, projectId);
  const t = now();
  const p = await loadProject(scope, t);
  const d = decide(p.actor, null, 'read', t, p.policy);
  if (!d.allowed) throw refused(d.reasons);
  return { ...p, t };
}

const page = (o: { cursor?: string | undefined; limit?: number | undefined }) => ({ ...(o.cursor ? { cursor: o.cursor } : {}), ...(o.limit ? { limit: o.limit } : {}) });

/** The statuses in which each standing role has something to do. */
const ROLE_STATUSES: Partial<Record<StandingRole, ReleaseStatus[]>> = {
  RELEASE_MANAGER: ['SUBMITTED', 'PLANNING'],
  BUSINESS_LEAD: ['BUILD_TEST', 'IMPLEMENTING', 'VERIFYING'],
  OPERATIONS_LEAD: ['VERIFYING'],
  PROCESS_OWNER: ['SUBMITTED'],
};

/** What a standing role still has to do on a release in one of its statuses (absent: everything listed is). */
const ROLE_WAITS: Partial<Record<StandingRole, (r: Release) => boolean>> = {
  // User acceptance while building and testing; the cutover once it is being deployed.
  BUSINESS_LEAD: (r) => (r.status === 'BUILD_TEST' ? r.tests.uat?.passed !== true : r.cutover?.confirmed !== true),
};

const TEAM_QUEUE: Partial<Record<string, TeamRole>> = {
  IMPLEMENTER: 'IMPLEMENTER',
  TEST_EXPERT: 'TEST_EXPERT',
  TRAINING_LEAD: 'TRAINING_LEAD',
  SOFTWARE_CONTROL_LEAD: 'SOFTWARE_CONTROL_LEAD',
};

function unique(releases: readonly Release[]): Release[] {
  const seen = new Set<string>();
  return releases.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}

/**
 * "My queue" for one of the caller's roles: the releases waiting for that role, and its own tasks. Besides the
 * standing and team roles: REQUESTER (the requests I raised, in every state) and MINE (the open releases I
 * am on, in any team role or as their lead, with my roles on each).
 */
export async function listQueue(caller: Caller, p: PayloadOf<typeof K.listQueue>): Promise<QueueView> {
  const ctx = await readableProject(caller, p.projectId);
  const me = ctx.scope.accountId;
  const pid = ctx.scope.projectId;
  const view: QueueView = { role: p.role, releases: [], trainingTasks: [], improvementActions: [] };
  if (p.role === 'REQUESTER') {
    const r = await releasesByRequester(pid, me, page(p));
    view.releases = r.items;
    if (r.cursor) view.cursor = r.cursor;
    return view;
  }
  if (p.role === 'MINE') {
    const [m, led] = await Promise.all([membershipsOf(pid, me, page(p)), releasesByLead(pid, me, { limit: 50 })]);
    const active = m.items.filter((x) => x.leftAt === null);
    const onTeam = [...(await releasesOf(active.map((x) => x.releaseId))).values()].filter((x) => !isTerminal(x.status));
    view.releases = unique([...led.items.filter((x) => !isTerminal(x.status)), ...onTeam]);
    const roles: Record<string, TeamRole[]> = {};
    for (const x of active) if (isTeamRole(x.teamRole)) roles[x.releaseId] = [...new Set([...(roles[x.releaseId] ?? []), x.teamRole])];
    for (const r of led.items) if (!isTerminal(r.status)) roles[r.id] = [...new Set(['LEAD' as TeamRole, ...(roles[r.id] ?? [])])];
    view.teamRoles = roles;
    if (m.cursor) view.cursor = m.cursor;
    return view;
  }
  if (p.role === 'RELEASE_LEAD') {
    const r = await releasesByLead(pid, me, page(p));
    view.releases = r.items.filter((x) => !isTerminal(x.status));
    if (r.cursor) view.cursor = r.cursor;
  } else if (TEAM_QUEUE[p.role]) {
    const role = TEAM_QUEUE[p.role];
    const m = await membershipsOf(pid, me, page(p));
    const ids = [...new Set(m.items.filter((x) => x.teamRole === role && x.leftAt === null).map((x) => x.releaseId))];
    // batchGet takes 25 keys at a time: a long-serving tester is on many more releases than that.
    view.releases = [...(await releasesOf(ids)).values()].filter((x) => !isTerminal(x.status));
    if (m.cursor) view.cursor = m.cursor;
    if (p.role === 'TRAINING_LEAD') {
      // Training of a cancelled or rejected release is withdrawn, not waiting.
      const tasks = (await trainingByTrainer(pid, me, { limit: 50 })).items.filter((x) => x.deliveredAt === null);
      const releases = await releasesOf(tasks.map((x) => x.releaseId));
      view.trainingTasks = tasks.filter((x) => !isTrainingWithdrawn(releases.get(x.releaseId)?.status));
    }
  }
  const statuses = ROLE_STATUSES[p.role as StandingRole] ?? [];
  const waits = ROLE_WAITS[p.role as StandingRole];
  for (const s of statuses) view.releases.push(...(await releasesByStatus(pid, s, { limit: p.limit ?? 50 })).items.filter((r) => !waits || waits(r)));
  view.releases = unique(view.releases);
  if (p.role === 'PROCESS_OWNER') view.improvementActions = (await improvementsByDue(pid, { limit: 50 })).items.filter((a) => a.completedAt === null);
  return view;
}

export async function listReleases(caller: Caller, p: PayloadOf<typeof K.listReleases>): Promise<Page<Release>> {
  const ctx = await readableProject(caller, p.projectId);
  const pid = ctx.scope.projectId;
  if (p.status) return releasesByStatus(pid, p.status, page(p));
  if (p.leadAccountId) return releasesByLead(pid, p.leadAccountId, page(p));
  if (p.windowFrom !== undefined || p.windowTo !== undefined) return releasesByWindow(pid, p.windowFrom, p.windowTo, page(p));
  const rows = await queryIndex({ entity: ENTITY.release, index: INDEX.release.byProject, partition: [pid], sort: 'DESC', ...page(p) }, storedReleaseDocSchema);
  return { items: rows.items.map((r) => r.doc.release), ...(rows.cursor ? { cursor: rows.cursor } : {}) };
}

/** batchGet takes at most 25 keys. */
const BATCH = 25;

/** The releases of the given ids, read from their records (one storage read per 25 releases). */
async function releasesOf(releaseIds: readonly string[]): Promise<Map<string, Release>> {
  const ids = [...new Set(releaseIds)];
  const out = new Map<string, Release>();
  for (let i = 0; i < ids.length; i += BATCH) {
    for (const r of await releasesByIds(ids.slice(i, i + BATCH))) out.set(r.id, r);
  }
  return out;
}

/**
 * Training tasks by due date (or trainer), each with its release's issue key for the link and its status:
 * the training of a cancelled or rejected release is withdrawn, never overdue.
 */
export async function listTraining(caller: Caller, p: PayloadOf<typeof K.listTraining>): Promise<Page<TrainingRow>> {
  const ctx = await readableProject(caller, p.projectId);
  const pid = ctx.scope.projectId;
  const res = p.trainerAccountId ? await trainingByTrainer(pid, p.trainerAccountId, page(p)) : await trainingByDue(pid, p.dueFrom, p.dueTo, page(p));
  const releases = await releasesOf(res.items.map((x) => x.releaseId));
  const rows: TrainingRow[] = res.items.map((x) => {
    const r = releases.get(x.releaseId);
    const status = r?.status ?? null;
    return { ...x, issueKey: r?.issueKey ?? null, releaseStatus: status, overdue: isOverdueTraining(x, status, ctx.t), withdrawn: x.deliveredAt === null && isTrainingWithdrawn(status) };
  });
  return { items: p.overdueOnly ? rows.filter((x) => x.overdue) : rows, ...(res.cursor ? { cursor: res.cursor } : {}) };
}

/** Improvement actions by due date, each with its row version (what COMPLETE, UPDATE and DELETE expect). */
export async function listImprovementActions(
  caller: Caller,
  p: PayloadOf<typeof K.listImprovementActions>,
): Promise<Page<ImprovementRow>> {
  const ctx = await readableProject(caller, p.projectId);
  const res = await queryIndex({ entity: ENTITY.improvement, index: INDEX.improvement.byProjectDue, partition: [ctx.scope.projectId], sort: 'ASC', ...page(p) }, improvementActionSchema);
  const rows = p.openOnly ? res.items.filter((r) => r.doc.completedAt === null) : res.items;
  // The source release by its issue key, never its raw id.
  const sources = await releasesOf(rows.map((r) => r.doc.sourceReleaseId).filter((id): id is string => !!id));
  const items = rows.map((r) => ({
    ...r.doc,
    version: r.version,
    overdue: isImprovementOverdue(r.doc, ctx.t),
    ...(r.doc.sourceReleaseId ? { sourceIssueKey: sources.get(r.doc.sourceReleaseId)?.issueKey ?? null } : {}),
  }));
  return { items, ...(res.cursor ? { cursor: res.cursor } : {}) };
}

export interface KpiView {
  project: { id: string; key: string; name: string | null };
  months: KpiMonthAggregate[];
  total: ReturnType<typeof kpiReadings>;
  byMonth: { month: string; readings: ReturnType<typeof kpiReadings> }[];
}

/** `YYYY-MM` months from..to inclusive. */
function monthsBetween(fromMonth: string, toMonth: string): string[] {
  const out: string[] = [];
  for (let m = fromMonth; m <= toMonth && out.length < 60; m = monthOf(monthBounds(m).end)) out.push(m);
  return out;
}

/**
 * KPI aggregates only: a handful of records whatever the number of releases. Every month of the range is
 * listed, those without an aggregate as empty ones (their values null: a gap in the chart, never 0 %).
 */
export async function getKpis(caller: Caller, p: PayloadOf<typeof K.getKpis>): Promise<KpiView> {
  const ctx = await readableProject(caller, p.projectId);
  const pid = ctx.scope.projectId;
  const stored = new Map((await kpiMonths(pid, p.fromMonth, p.toMonth)).map((m) => [m.month, m]));
  const months = monthsBetween(p.fromMonth, p.toMonth).map((m) => stored.get(m) ?? emptyKpiMonth(pid, m));
  const pick = (r: ReturnType<typeof kpiReadings>) => (p.kpis ? r.filter((x) => p.kpis?.includes(x.name)) : r);
  const days = (from: string, to: string) => periodDays(from, to, ctx.t);
  // The gadget needs no per-release entries (the drill-down reads them): keep the answer small.
  const lean = months.filter((m) => m.closed + m.dslAudits + m.improvementsDue > 0).map((m) => ({ ...m, entries: [] }));
  return {
    project: { id: pid, key: ctx.scope.projectKey, name: ctx.scope.projectName ?? null },
    months: lean,
    total: pick(kpiReadings(mergeKpiMonths(pid, months), ctx.policy, days(p.fromMonth, p.toMonth))),
    byMonth: months.map((m) => ({ month: m.month, readings: pick(kpiReadings(m, ctx.policy, days(m.month, m.month))) })),
  };
}

export interface KpiDrillView {
  kpi: KpiName;
  kind: KpiDrillDown['kind'];
  fromMonth: string;
  toMonth: string;
  rows: { releaseId: string; issueKey: string | null; closedAt: number; outcome: string; inNumerator: boolean; n: number; d: number; value: number | null }[];
  numerator: number | null;
  denominator: number | null;
  other: KpiDrillDown['other'];
  /** Jira issue searches that find the same releases (null: the KPI does not count releases). */
  jql: { counted: string; numerator: string | null } | null;
  /**
   * Months whose aggregate predates the per-release entries (counted before this version): their releases
   * are in the number but not yet in the list, until the daily reconciliation recounts the month.
   */
  incompleteMonths: string[];
  /**
   * Months with more closed releases than a month's list holds (MAX_KPI_ENTRIES_PER_MONTH): the number counts
   * them all, the list (and the drill-down's own count) only the first ones; the Jira searches find them all.
   */
  cappedMonths: { month: string; listed: number; closed: number }[];
}

/** The releases behind one KPI over some months, from the same aggregates the number came from. */
export async function getKpiDrillDown(caller: Caller, p: PayloadOf<typeof K.getKpiDrillDown>): Promise<KpiDrillView> {
  const ctx = await readableProject(caller, p.projectId);
  const pid = ctx.scope.projectId;
  const months = await kpiMonthsWithEntries(pid, p.fromMonth, p.toMonth);
  const d = kpiDrillDown(p.kpi, months);
  return {
    kpi: p.kpi,
    kind: d.kind,
    fromMonth: p.fromMonth,
    toMonth: p.toMonth,
    rows: d.rows.map((r) => ({ releaseId: r.entry.releaseId, issueKey: r.entry.issueKey, closedAt: r.entry.closedAt, outcome: r.entry.outcome, inNumerator: r.inNumerator, n: r.n, d: r.d, value: r.value })),
    numerator: d.numerator,
    denominator: d.denominator,
    other: d.other,
    jql: kpiDrillJql(p.kpi, pid, monthsBetween(p.fromMonth, p.toMonth)),
    incompleteMonths: months.filter((m) => m.entries.length !== m.closed && m.closed <= MAX_KPI_ENTRIES_PER_MONTH).map((m) => m.month),
    cappedMonths: months.filter((m) => m.closed > MAX_KPI_ENTRIES_PER_MONTH).map((m) => ({ month: m.month, listed: m.entries.length, closed: m.closed })),
  };
}

export interface EvaluationQuery {
  projectId: string;
  accountId?: string | undefined;
  releaseId?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/**
 * Participant evaluations: the release managers see them all (the project's, a release's, a person's), anyone
 * else only their own. `accountId` omitted: a manager gets the project's (or the release's), anyone else theirs.
 */
export async function listEvaluations(caller: Caller, q: EvaluationQuery): Promise<Page<EvaluationRow>> {
  const ctx = await readableProject(caller, q.projectId);
  const viewer = { accountId: ctx.scope.accountId, isReleaseManager: (ctx.actor.standingRoles as StandingRole[]).includes('RELEASE_MANAGER') };
  if (!viewer.isReleaseManager && q.accountId !== undefined && q.accountId !== ctx.scope.accountId) throw refused(['NOT_RELEASE_MANAGER']);
  let res: Page<ParticipantEvaluation>;
  if (q.releaseId) {
    // The release must be an issue of this project that the user can browse.
    const issue = await resolveIssueScope({ ...caller, extension: { project: { id: ctx.scope.projectId } } }, q.releaseId);
    res = await evaluationsOfRelease(issue.issue.id, page(q));
  } else if (q.accountId === undefined && viewer.isReleaseManager) {
    res = await evaluationsOfProject(ctx.scope.projectId, page(q));
  } else {
    res = await evaluationsOfPerson(ctx.scope.projectId, q.accountId ?? ctx.scope.accountId, page(q));
  }
  const visible = res.items.filter((e) => canSeeEvaluation(e, viewer) && (q.accountId === undefined || e.accountId === q.accountId));
  const releases = await releasesOf(visible.map((e) => e.releaseId));
  const items = visible.map((e) => ({ ...e, issueKey: releases.get(e.releaseId)?.issueKey ?? null }));
  return { items, ...(res.cursor ? { cursor: res.cursor } : {}) };
}

export { ServiceError };
