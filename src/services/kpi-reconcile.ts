/**
 * The daily job of SPEC §6: per set-up project it adds the facts of improvement actions that became due
 * without completion, recounts the KPI aggregates of the previous and current month (and any month asked
 * for) from the records and repairs drift, and reminds trainers of overdue training (training-reminders.ts).
 *
 * Resumable and idempotent (SPEC §9): the run is a queue of tasks kept in one progress record; every step
 * (a page of one task) commits its effects together with the advanced progress, under that record's
 * version, so a stopped invocation continues next time at the step it had not committed, and an
 * overlapping one loses the version race instead of counting twice. A recount writes its result only if
 * the month's aggregate is still the version it saw when the recount began.
 */
import type { ReleaseContext } from '../domain/context';
import {
  applyImprovementAction,
  dslAuditFactId,
  emptyKpiMonth,
  improvementActionFact,
  kpiMonthDifferences,
  mergeKpiMonths,
  monthBounds,
  monthOf,
  previousMonth,
  reconcileKpiMonth,
  releaseKpiFacts,
  type DslAuditFact,
  type ImprovementFact,
  type KpiMonthAggregate,
} from '../domain/kpi';
import type { Policy } from '../domain/policy';
import { remainingMs } from '../jira/client';
import { dslHistoryOfProject } from '../storage/dsl';
import { jobProgressRef, putJobProgress, type JobProgress, type JobTask, type ReconcileStep } from '../storage/jobs';
import {
  closedReleases,
  fallbackRef,
  getMany,
  getRow,
  improvementsDueBetween,
  kpiMonthRow,
  kpiMonthRows,
  putKpiMonth,
  setupRef,
  setUpProjects,
  teamRef,
  trainingOfRelease,
  type StoredReleaseDoc,
} from '../storage/records';
import { Changes, ConflictError, type Row } from '../storage/store';
import { policyOf } from './load';
import { remindOverdueTraining } from './training-reminders';

export const DAILY_JOB_KEY = 'daily-kpi-and-training';
/** Who the job's audit events name: the app itself, as Jira-initiated changes do. */
export const APP_ACTOR = 'app';

const MAX_RESTARTS = 3;
const MAX_FAILURES = 20;
/** Forge's batchGet takes at most 20 keys; a release needs two (team, fallback plan). */
const MAX_PAGE = 10;

export interface DailyJobOptions {
  /** The job's "now" (default: the clock). */
  now?: number;
  /** Records per page (1–10; default 10). */
  pageSize?: number;
  /** Stop when less than this is left of the invocation (default 10 s). */
  reserveMs?: number;
  /** Work for at most this long in this invocation. */
  budgetMs?: number;
  /** Stop after this many steps (a step is one page of one task, committed). */
  maxSteps?: number;
  /** Further months to recount; starts a new run when today's is complete. */
  months?: string[];
}

export interface DailyJobResult {
  /** The run finished in this invocation (or had already finished today). */
  done: boolean;
  steps: number;
  progress: JobProgress | null;
  /** Another invocation advanced the run first; this one stopped. */
  overlapped?: boolean;
}

interface Env {
  now: number;
  pageSize: number;
  policies: Map<string, Policy>;
}

interface StepResult {
  next: JobProgress;
  changes: Changes;
}

const dayOf = (t: number): string => new Date(t).toISOString().slice(0, 10);

function newRun(now: number, extraMonths: string[]): JobProgress {
  return {
    day: dayOf(now),
    startedAt: now,
    updatedAt: now,
    completedAt: null,
    extraMonths,
    listing: { projectIds: [] },
    tasks: [],
    taskIndex: 0,
    step: null,
    stats: { monthsChecked: 0, monthsRepaired: 0, overdueImprovements: 0, reminders: 0, restarts: 0, failures: [] },
  };
}

function tasksFor(projectIds: readonly string[], now: number, extraMonths: readonly string[]): JobTask[] {
  const current = monthOf(now);
  const months = [...new Set([previousMonth(current), current, ...extraMonths])].sort();
  return projectIds.flatMap((projectId): JobTask[] => [
    { kind: 'OVERDUE_IMPROVEMENTS', projectId },
    ...months.map((month): JobTask => ({ kind: 'RECONCILE', projectId, month })),
    { kind: 'TRAINING_REMINDERS', projectId },
  ]);
}

/** Runs (or continues) the daily job until it is done, the time budget is spent or `maxSteps` steps ran. */
export async function runDailyJob(opts: DailyJobOptions = {}): Promise<DailyJobResult> {
  const started = performance.now();
  const env: Env = { now: opts.now ?? Date.now(), pageSize: Math.min(Math.max(Math.floor(opts.pageSize ?? MAX_PAGE), 1), MAX_PAGE), policies: new Map() };
  const reserve = opts.reserveMs ?? 10_000;
  const outOfTime = () => remainingMs() < reserve || (opts.budgetMs !== undefined && performance.now() - started >= opts.budgetMs);
  const extraMonths = [...new Set(opts.months ?? [])].sort();

  const row = await getRow(jobProgressRef(DAILY_JOB_KEY));
  let progress = row?.doc ?? null;
  let version = row?.version ?? null;
  let asked = extraMonths.length > 0;
  let steps = 0;
  for (;;) {
    const finished = progress !== null && progress.completedAt !== null;
    const startNew = progress === null || (finished && (progress.day !== dayOf(env.now) || asked));
    if (finished && !startNew) return { done: true, steps, progress };
    if ((opts.maxSteps !== undefined && steps >= opts.maxSteps) || outOfTime()) return { done: false, steps, progress };
    let result: StepResult;
    if (startNew) {
      result = { next: newRun(env.now, extraMonths), changes: new Changes() };
      asked = false;
    } else {
      result = await step(progress as JobProgress, env);
    }
    const next = { ...result.next, updatedAt: env.now };
    try {
      version = putJobProgress(result.changes, DAILY_JOB_KEY, next, version);
      await result.changes.commit();
    } catch (err) {
      if (err instanceof ConflictError) return { done: false, steps, progress, overlapped: true };
      throw err;
    }
    progress = next;
    steps++;
  }
}

/** One step of the run: list a page of projects, or advance the current task by one page. */
async function step(p: JobProgress, env: Env): Promise<StepResult> {
  if (p.listing) {
    const page = await setUpProjects({ limit: 100, ...(p.listing.cursor ? { cursor: p.listing.cursor } : {}) });
    const projectIds = [...p.listing.projectIds, ...page.items.map((s) => s.projectId)];
    const next: JobProgress = page.cursor
      ? { ...p, listing: { cursor: page.cursor, projectIds } }
      : { ...p, listing: null, tasks: tasksFor(projectIds, env.now, p.extraMonths), taskIndex: 0 };
    return { next, changes: new Changes() };
  }
  const task = p.tasks[p.taskIndex];
  if (!task) return { next: { ...p, completedAt: env.now }, changes: new Changes() };
  try {
    switch (task.kind) {
      case 'OVERDUE_IMPROVEMENTS':
        return await overdueImprovementsStep(p, task.projectId, env);
      case 'RECONCILE':
        return await reconcileStep(p, task.projectId, task.month, env);
      case 'TRAINING_REMINDERS': {
        const r = await remindOverdueTraining(task.projectId, p.cursor, env);
        const next: JobProgress = { ...p, stats: { ...p.stats, reminders: p.stats.reminders + r.sent } };
        return { next: r.cursor ? { ...next, cursor: r.cursor } : advance(next), changes: new Changes() };
      }
    }
  } catch (err) {
    if (err instanceof ConflictError) throw err;
    // One bad record must not stop the job for ever: note it and go on with the next task.
    console.error('daily job: task failed', JSON.stringify(task), err instanceof Error ? err.message : String(err));
    return { next: advance(fail(p, task, err)), changes: new Changes() };
  }
}

function advance(p: JobProgress): JobProgress {
  const { cursor: _cursor, ...rest } = p;
  return { ...rest, taskIndex: p.taskIndex + 1, step: null };
}

function fail(p: JobProgress, task: JobTask, err: unknown): JobProgress {
  const message = err instanceof Error ? err.message : String(err);
  const entry = { task: JSON.stringify(task), message: message.slice(0, 500) };
  return { ...p, stats: { ...p.stats, failures: [...p.stats.failures, entry].slice(-MAX_FAILURES) } };
}

async function policyFor(projectId: string, env: Env): Promise<Policy> {
  const cached = env.policies.get(projectId);
  if (cached) return cached;
  const setup = await getRow(setupRef(projectId));
  const policy = policyOf(setup?.doc ?? null);
  env.policies.set(projectId, policy);
  return policy;
}

// ------------------------------------------------------------------ improvement actions that became due

/**
 * Actions due since the start of the previous month that passed their due date uncompleted count as late in
 * the month they were due; an action already counted changes nothing.
 */
async function overdueImprovementsStep(p: JobProgress, projectId: string, env: Env): Promise<StepResult> {
  const from = monthBounds(previousMonth(monthOf(env.now))).start;
  const page = await improvementsDueBetween(projectId, from, env.now, { limit: 50, ...(p.cursor ? { cursor: p.cursor } : {}) });
  const facts = page.items.filter((a) => a.completedAt === null).flatMap((a) => improvementActionFact(a, env.now) ?? []);
  const byMonth = new Map<string, ImprovementFact[]>();
  for (const f of facts) byMonth.set(f.month, [...(byMonth.get(f.month) ?? []), f]);
  const changes = new Changes();
  let added = 0;
  const months = [...byMonth.keys()].sort();
  const rows = await kpiMonthRows(projectId, months);
  months.forEach((month, i) => {
    const row = rows[i] ?? null;
    const before = row?.doc ?? emptyKpiMonth(projectId, month);
    const fresh = (byMonth.get(month) ?? []).filter((f) => !before.improvementActionIds.includes(f.actionId));
    if (fresh.length === 0) return;
    const after = fresh.reduce(applyImprovementAction, before);
    putKpiMonth(changes, after, row?.version ?? null);
    changes.audit({
      projectId,
      subjectType: 'PROJECT',
      subjectId: projectId,
      action: 'kpi.improvementsOverdue',
      actorAccountId: APP_ACTOR,
      at: env.now,
      before: { month, improvementsDue: before.improvementsDue },
      after: { month, improvementsDue: after.improvementsDue, improvementActions: fresh.map((f) => f.actionId) },
    });
    added += fresh.length;
  });
  const next: JobProgress = { ...p, stats: { ...p.stats, overdueImprovements: p.stats.overdueImprovements + added } };
  return { next: page.cursor ? { ...next, cursor: page.cursor } : advance(next), changes };
}

// ------------------------------------------------------------------ recount of one month

async function releaseFacts(rows: readonly Row<StoredReleaseDoc>[], policy: Policy) {
  const refs = rows.flatMap((r) => [teamRef(r.key), fallbackRef(r.key)]);
  const [loaded, training] = await Promise.all([getMany(refs), Promise.all(rows.map((r) => trainingOfRelease(r.key)))]);
  return rows.flatMap((r, i) => {
    const team = loaded[2 * i] as Row<NonNullable<ReleaseContext['team']>> | null;
    const fallback = loaded[2 * i + 1] as Row<NonNullable<ReleaseContext['fallbackPlan']>> | null;
    const ctx: ReleaseContext = {
      release: r.doc.release,
      team: team?.doc ?? null,
      fallbackPlan: fallback?.doc ?? null,
      trainingTasks: (training[i] ?? []).map((t) => t.doc),
      dslItems: r.doc.dslItems,
    };
    return releaseKpiFacts(ctx, policy) ?? [];
  });
}

const addFacts = (projectId: string, month: string, partial: KpiMonthAggregate, sources: Parameters<typeof reconcileKpiMonth>[2]): KpiMonthAggregate => {
  const page = reconcileKpiMonth(projectId, month, sources);
  return page.releaseIds.length + page.dslAuditIds.length + page.improvementActionIds.length === 0 ? partial : mergeKpiMonths(projectId, [partial, page]);
};

async function reconcileStep(p: JobProgress, projectId: string, month: string, env: Env): Promise<StepResult> {
  const { start, end } = monthBounds(month);
  let s: ReconcileStep;
  if (p.step) s = p.step;
  else {
    const row = await kpiMonthRow(projectId, month);
    s = { phase: 'RELEASES', baseVersion: row?.version ?? null, partial: emptyKpiMonth(projectId, month), restarts: 0 };
  }
  const page = { limit: env.pageSize, ...(s.cursor ? { cursor: s.cursor } : {}) };
  const continueWith = (next: ReconcileStep): StepResult => ({ next: { ...p, step: next }, changes: new Changes() });
  const nextPhase = (phase: ReconcileStep['phase'], partial: KpiMonthAggregate): ReconcileStep => {
    const { cursor: _c, ...rest } = s;
    return { ...rest, phase, partial };
  };

  if (s.phase === 'RELEASES') {
    const res = await closedReleases(projectId, start, end - 1, page);
    const facts = (await releaseFacts(res.items, await policyFor(projectId, env))).filter((f) => !s.partial.releaseIds.includes(f.releaseId));
    const partial = addFacts(projectId, month, s.partial, { releases: facts, dslAudits: [], improvements: [] });
    return continueWith(res.cursor ? { ...s, partial, cursor: res.cursor } : nextPhase('DSL_AUDITS', partial));
  }
  if (s.phase === 'DSL_AUDITS') {
    const res = await dslHistoryOfProject(projectId, start, end - 1, page);
    const audits: DslAuditFact[] = res.items
      .filter((e) => e.type === 'AUDITED' && e.matched !== undefined)
      .map((e) => ({ auditId: dslAuditFactId(e.itemId, e.at), projectId, at: e.at, matched: e.matched === true }))
      .filter((a) => !s.partial.dslAuditIds.includes(a.auditId));
    const partial = addFacts(projectId, month, s.partial, { releases: [], dslAudits: audits, improvements: [] });
    return continueWith(res.cursor ? { ...s, partial, cursor: res.cursor } : nextPhase('IMPROVEMENTS', partial));
  }
  const res = await improvementsDueBetween(projectId, start, end - 1, page);
  const improvements = res.items.flatMap((a) => improvementActionFact(a, env.now) ?? []).filter((f) => !s.partial.improvementActionIds.includes(f.actionId));
  const partial = addFacts(projectId, month, s.partial, { releases: [], dslAudits: [], improvements });
  if (res.cursor) return continueWith({ ...s, partial, cursor: res.cursor });
  return compareAndRepair(p, { ...s, partial }, projectId, month, env);
}

/** The recount is complete: write it if it differs from the stored aggregate, naming the fields that did. */
async function compareAndRepair(p: JobProgress, s: ReconcileStep, projectId: string, month: string, env: Env): Promise<StepResult> {
  const row = await kpiMonthRow(projectId, month);
  const version = row?.version ?? null;
  if (version !== s.baseVersion) {
    // The aggregate changed during the recount (a release closed, an audit ran): count the month again.
    const restarts = s.restarts + 1;
    const stats = { ...p.stats, restarts: p.stats.restarts + 1 };
    if (restarts > MAX_RESTARTS) return { next: advance(fail({ ...p, stats }, { kind: 'RECONCILE', projectId, month }, new Error('the month kept changing during the recount'))), changes: new Changes() };
    return { next: { ...p, stats, step: { phase: 'RELEASES', baseVersion: version, partial: emptyKpiMonth(projectId, month), restarts } }, changes: new Changes() };
  }
  const stored = row?.doc ?? emptyKpiMonth(projectId, month);
  const differing = kpiMonthDifferences(stored, s.partial);
  const changes = new Changes();
  if (differing.length > 0) {
    putKpiMonth(changes, s.partial, version);
    const pick = (a: KpiMonthAggregate) => Object.fromEntries(differing.map((k) => [k, a[k]]));
    changes.audit({
      projectId,
      subjectType: 'PROJECT',
      subjectId: projectId,
      action: 'kpi.reconcile',
      actorAccountId: APP_ACTOR,
      at: env.now,
      before: { month, ...pick(stored) },
      after: { month, differed: differing, ...pick(s.partial) },
    });
  }
  const stats = { ...p.stats, monthsChecked: p.stats.monthsChecked + 1, monthsRepaired: p.stats.monthsRepaired + (differing.length > 0 ? 1 : 0) };
  return { next: advance({ ...p, stats }), changes };
}
