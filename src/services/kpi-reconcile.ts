/**
 * The daily job's units of work (SPEC §6), each one task of one project: add the facts of improvement actions
 * that became due without completion; recount a month's KPI aggregate from the records and repair drift;
 * remind trainers of overdue training (training-reminders.ts); sweep the releases' Jira state
 * (effects/sweep.ts). The fan-out over consumers, the run and its completion are in daily-job.ts.
 *
 * Resumable and idempotent (SPEC §9): a unit advances one page at a time; every step commits its effects
 * together with the unit's advanced progress row, under that row's version, so a stopped invocation continues
 * at the step it had not committed and an overlapping one (the same event delivered twice) loses the version
 * race instead of counting twice. A recount keeps each page's partial count in its own row (written in that
 * step's transaction), combines them at the end and writes the month only if its aggregate is still the
 * version it saw when the recount began.
 */
import type { ReleaseContext } from '../domain/context';
import {
  applyImprovementAction,
  combineKpiPages,
  dslAuditFactId,
  emptyKpiMonth,
  improvementActionFact,
  kpiMonthDifferences,
  monthBounds,
  monthOf,
  previousMonth,
  reconcileKpiMonth,
  releaseKpiFacts,
  type DslAuditFact,
  type ImprovementFact,
  type KpiMonthAggregate,
  type KpiSources,
} from '../domain/kpi';
import type { Policy } from '../domain/policy';
import { dslHistoryOfProject } from '../storage/dsl';
import { ENTITY } from '../storage/entities';
import { jobPartialRef, jobUnitRef, putJobPartial, RECONCILE_SLICES, type JobPartial, type JobStats, type JobTask, type JobUnit } from '../storage/jobs';
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
  teamRef,
  trainingOfRelease,
  type StoredReleaseDoc,
} from '../storage/records';
import { kpiMonthSchema } from '../storage/schemas';
import { Changes, ConflictError, MAX_TRANSACTION_OPS, type Row } from '../storage/store';
import { policyOf } from './load';
import { remindOverdueTraining } from './training-reminders';
import { sweepProjectEffects } from '../effects';

/** Who the job's audit events name: the app itself, as Jira-initiated changes do. */
export const APP_ACTOR = 'app';

const MAX_RESTARTS = 3;
const MAX_FAILURES = 20;
/** Forge's batchGet takes at most 20 keys; a release needs two (team, fallback plan). */
export const MAX_PAGE = 10;
/** Forge's batchGet: at most 20 keys, so the combine step reads the pages' rows 20 at a time. */
const BATCH_KEYS = 20;

export interface UnitEnv {
  now: number;
  pageSize: number;
  policies: Map<string, Policy>;
}

export interface UnitStep {
  next: JobUnit;
  changes: Changes;
  /** Units to push before this step commits (a duplicate push is harmless; a lost one would stall the month). */
  push?: JobTask[];
  /** Nothing to do until other units finish (the month waiting for its slices): no commit, no continuation. */
  wait?: boolean;
}

export const emptyStats = (): JobStats => ({ monthsChecked: 0, monthsRepaired: 0, overdueImprovements: 0, reminders: 0, restarts: 0, failures: [] });

export function addStats(a: JobStats, b: JobStats): JobStats {
  const jira = (a.jiraRepaired ?? 0) + (b.jiraRepaired ?? 0);
  return {
    monthsChecked: a.monthsChecked + b.monthsChecked,
    monthsRepaired: a.monthsRepaired + b.monthsRepaired,
    overdueImprovements: a.overdueImprovements + b.overdueImprovements,
    reminders: a.reminders + b.reminders,
    ...(a.jiraRepaired !== undefined || b.jiraRepaired !== undefined ? { jiraRepaired: jira } : {}),
    restarts: a.restarts + b.restarts,
    failures: [...a.failures, ...b.failures].slice(-MAX_FAILURES),
  };
}

/** A unit's row for a new run; `previous` (an earlier run's row of the same unit) passes on what its pages left to clean. */
export function newUnit(task: JobTask, runId: number, now: number, previous?: JobUnit | null): JobUnit {
  const pagesHigh = Math.max(previous?.pagesHigh ?? 0, previous?.pages ?? 0);
  const attempt = task.kind === 'RECONCILE_SLICE' ? task.attempt : 0;
  return { runId, task, updatedAt: now, completedAt: null, attempt, pages: 0, ...(pagesHigh > 0 ? { pagesHigh } : {}), baseVersion: null, steps: 0, stats: emptyStats() };
}

/** Advances the unit by one page (or completes it). A task that fails is noted and the unit completes: one bad record must not stop the job for ever. */
export async function stepUnit(u: JobUnit, env: UnitEnv): Promise<UnitStep> {
  const task = u.task;
  try {
    switch (task.kind) {
      case 'OVERDUE_IMPROVEMENTS':
        return await overdueImprovementsStep(u, task.projectId, env);
      case 'RECONCILE':
        return await reconcileStep(u, task.projectId, task.month, env);
      case 'RECONCILE_SLICE':
        return await sliceStep(u, task.projectId, task.month, task.slice, env);
      case 'TRAINING_REMINDERS': {
        const r = await remindOverdueTraining(task.projectId, u.cursor, env);
        const next: JobUnit = { ...u, stats: { ...u.stats, reminders: u.stats.reminders + r.sent } };
        return { next: r.cursor ? { ...next, cursor: r.cursor } : complete(next, env), changes: new Changes() };
      }
      case 'JIRA_SWEEP': {
        const r = await sweepProjectEffects(task.projectId, u.cursor, env);
        const next: JobUnit = { ...u, stats: { ...u.stats, jiraRepaired: (u.stats.jiraRepaired ?? 0) + r.repaired } };
        return { next: r.cursor ? { ...next, cursor: r.cursor } : complete(next, env), changes: new Changes() };
      }
    }
  } catch (err) {
    if (err instanceof ConflictError) throw err;
    console.error('daily job: task failed', JSON.stringify(task), err instanceof Error ? err.message : String(err));
    return { next: complete(fail(u, err), env), changes: new Changes() };
  }
}

function complete(u: JobUnit, env: UnitEnv): JobUnit {
  const { cursor: _cursor, phase: _phase, ...rest } = u;
  return { ...rest, completedAt: env.now };
}

function fail(u: JobUnit, err: unknown): JobUnit {
  const message = err instanceof Error ? err.message : String(err);
  const entry = { task: JSON.stringify(u.task), message: message.slice(0, 500) };
  return { ...u, stats: { ...u.stats, failures: [...u.stats.failures, entry].slice(-MAX_FAILURES) } };
}

async function policyFor(projectId: string, env: UnitEnv): Promise<Policy> {
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
async function overdueImprovementsStep(u: JobUnit, projectId: string, env: UnitEnv): Promise<UnitStep> {
  const from = monthBounds(previousMonth(monthOf(env.now))).start;
  const page = await improvementsDueBetween(projectId, from, env.now, { limit: 50, ...(u.cursor ? { cursor: u.cursor } : {}) });
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
  const next: JobUnit = { ...u, stats: { ...u.stats, overdueImprovements: u.stats.overdueImprovements + added } };
  return { next: page.cursor ? { ...next, cursor: page.cursor } : complete(next, env), changes };
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

const counts = (a: KpiMonthAggregate): boolean => a.releaseIds.length + a.dslAuditIds.length + a.improvementActionIds.length > 0;

/** The week-long slice `slice` of the month: days 1–7, 8–14, 15–21, 22 to the end. */
export function sliceBounds(month: string, slice: number): { start: number; end: number } {
  const { start, end } = monthBounds(month);
  const week = 7 * 86_400_000;
  return { start: start + slice * week, end: slice === RECONCILE_SLICES - 1 ? end : start + (slice + 1) * week };
}

const slicesOf = (projectId: string, month: string, attempt: number): JobTask[] =>
  Array.from({ length: RECONCILE_SLICES }, (_, slice): JobTask => ({ kind: 'RECONCILE_SLICE', projectId, month, slice, attempt }));

/** Writes a page's own count to its own row (page number = pages counted so far in this attempt), if it counted anything. */
function withPage(u: JobUnit, changes: Changes, partial: KpiMonthAggregate, env: UnitEnv, slice?: number): { unit: JobUnit; written: JobPartial[] } {
  if (!counts(partial)) return { unit: u, written: [] };
  const { projectId, month } = partial;
  const row: JobPartial = { runId: u.runId, attempt: u.attempt, page: u.pages, partial };
  putJobPartial(changes, projectId, month, row, env.now, slice);
  return { unit: { ...u, pages: u.pages + 1, pagesHigh: Math.max(u.pagesHigh ?? 0, u.pages + 1) }, written: [row] };
}

/** One page of a slice: the releases closed in its week, counted into the slice's own page rows. */
async function sliceStep(u: JobUnit, projectId: string, month: string, slice: number, env: UnitEnv): Promise<UnitStep> {
  const { start, end } = sliceBounds(month, slice);
  const res = await closedReleases(projectId, start, end - 1, { limit: env.pageSize, ...(u.cursor ? { cursor: u.cursor } : {}) });
  const partial = reconcileKpiMonth(projectId, month, { releases: await releaseFacts(res.items, await policyFor(projectId, env)), dslAudits: [], improvements: [] });
  const changes = new Changes();
  const { unit } = withPage({ ...u, phase: 'RELEASES' }, changes, partial, env, slice);
  if (res.cursor) return { next: { ...unit, cursor: res.cursor }, changes };
  return { next: complete(unit, env), changes };
}

/**
 * One step of the month's own unit. First it notes the aggregate's version and pushes the month's slices
 * (the closed releases, counted in parallel); then it counts the DSL audits and the improvement actions
 * page by page; then it waits for its slices and, once all are done, combines every page and repairs.
 */
async function reconcileStep(u: JobUnit, projectId: string, month: string, env: UnitEnv): Promise<UnitStep> {
  const { start, end } = monthBounds(month);
  if (u.phase === undefined || u.phase === 'RELEASES') {
    // A new attempt: the repair is written only if the aggregate is still this version at the end.
    const row = await kpiMonthRow(projectId, month);
    return { next: { ...u, phase: 'DSL_AUDITS', baseVersion: row?.version ?? null, pages: 0 }, changes: new Changes(), push: slicesOf(projectId, month, u.attempt) };
  }
  if (u.phase === 'WAIT') return combineWhenSliced(u, projectId, month, env);
  const list = { limit: env.pageSize, ...(u.cursor ? { cursor: u.cursor } : {}) };
  let sources: KpiSources;
  let cursor: string | undefined;
  if (u.phase === 'DSL_AUDITS') {
    const res = await dslHistoryOfProject(projectId, start, end - 1, list);
    const dslAudits: DslAuditFact[] = res.items
      .filter((e) => e.type === 'AUDITED' && e.matched !== undefined)
      .map((e) => ({ auditId: dslAuditFactId(e.itemId, e.at), projectId, at: e.at, matched: e.matched === true }));
    sources = { releases: [], dslAudits, improvements: [] };
    cursor = res.cursor;
  } else {
    const res = await improvementsDueBetween(projectId, start, end - 1, list);
    sources = { releases: [], dslAudits: [], improvements: res.items.flatMap((a) => improvementActionFact(a, env.now) ?? []) };
    cursor = res.cursor;
  }
  const changes = new Changes();
  const { unit } = withPage(u, changes, reconcileKpiMonth(projectId, month, sources), env);
  const { cursor: _c, ...rest } = unit;
  if (cursor) return { next: { ...unit, cursor }, changes };
  return { next: { ...rest, phase: u.phase === 'DSL_AUDITS' ? 'IMPROVEMENTS' : 'WAIT' }, changes };
}

/** The month's slice units of this attempt, if all of them completed (else null: wait). */
async function completedSlices(u: JobUnit, projectId: string, month: string): Promise<JobUnit[] | null> {
  const rows = await getMany(slicesOf(projectId, month, u.attempt).map((t) => jobUnitRef(t)));
  const done = rows.flatMap((r) => (r && r.doc.runId === u.runId && r.doc.attempt === u.attempt && r.doc.completedAt !== null ? [r.doc] : []));
  return done.length === RECONCILE_SLICES ? done : null;
}

async function combineWhenSliced(u: JobUnit, projectId: string, month: string, env: UnitEnv): Promise<UnitStep> {
  const slices = await completedSlices(u, projectId, month);
  if (!slices) return { next: u, changes: new Changes(), wait: true };
  const failed = slices.flatMap((sl) => sl.stats.failures);
  if (failed.length > 0) {
    // A slice could not count its week: the month's recount is not complete, so nothing is repaired.
    return { next: complete({ ...u, stats: { ...u.stats, failures: [...u.stats.failures, ...failed].slice(-MAX_FAILURES) } }, env), changes: new Changes() };
  }
  const own = await pagesOf(u, projectId, month, u.pages);
  const sliced = await Promise.all(slices.map((sl) => (sl.task.kind === 'RECONCILE_SLICE' ? pagesOf(u, projectId, month, sl.pages, sl.task.slice) : Promise.resolve(null))));
  const pages = own === null || sliced.some((p) => p === null) ? null : [...own, ...sliced.flatMap((p) => p ?? [])];
  return combineAndRepair(u, projectId, month, pages, env);
}

/** The `count` pages of this attempt (of the month's own unit, or of one slice), 20 keys a batch; null if one is missing or of another attempt. */
async function pagesOf(u: JobUnit, projectId: string, month: string, count: number, slice?: number): Promise<KpiMonthAggregate[] | null> {
  const out: KpiMonthAggregate[] = [];
  for (let from = 0; from < count; from += BATCH_KEYS) {
    const refs = Array.from({ length: Math.min(BATCH_KEYS, count - from) }, (_, i) => jobPartialRef(projectId, month, from + i, slice));
    const rows = await getMany(refs);
    for (const r of rows) {
      if (!r || r.doc.runId !== u.runId || r.doc.attempt !== u.attempt) return null;
      out.push(r.doc.partial);
    }
  }
  return out;
}

/** The recount is complete: combine its pages; write it if it differs from the stored aggregate, naming the fields that did. */
async function combineAndRepair(u: JobUnit, projectId: string, month: string, pages: KpiMonthAggregate[] | null, env: UnitEnv): Promise<UnitStep> {
  const row = await kpiMonthRow(projectId, month);
  // Parsed as stored rows are, so that the comparison sees values, not the order of an object's keys.
  const combined = pages === null ? null : combineKpiPages(projectId, month, pages);
  const recount = combined === null ? null : kpiMonthSchema.parse(combined);
  const version = row?.version ?? null;
  if (version !== u.baseVersion || recount === null) {
    // The aggregate changed during the recount (a release closed, an audit ran), or a record moved between
    // pages: count the month again, in a new attempt (its pages overwrite this one's).
    const restarts = u.attempt + 1;
    const stats = { ...u.stats, restarts: u.stats.restarts + 1 };
    if (restarts > MAX_RESTARTS) return { next: complete(fail({ ...u, stats }, new Error('the month kept changing during the recount')), env), changes: new Changes() };
    const { phase: _p, cursor: _c, ...rest } = u;
    return { next: { ...rest, stats, attempt: restarts, pages: 0, baseVersion: null }, changes: new Changes() };
  }
  const stored = row?.doc ?? emptyKpiMonth(projectId, month);
  const differing = kpiMonthDifferences(stored, recount);
  const changes = new Changes();
  if (differing.length > 0) {
    putKpiMonth(changes, recount, version);
    const pick = (a: KpiMonthAggregate) => Object.fromEntries(differing.map((k) => [k, a[k]]));
    changes.audit({
      projectId,
      subjectType: 'PROJECT',
      subjectId: projectId,
      action: 'kpi.reconcile',
      actorAccountId: APP_ACTOR,
      at: env.now,
      before: { month, ...pick(stored) },
      after: { month, differed: differing, ...pick(recount) },
    });
  }
  const stats = { ...u.stats, monthsChecked: u.stats.monthsChecked + 1, monthsRepaired: u.stats.monthsRepaired + (differing.length > 0 ? 1 : 0) };
  return { next: complete({ ...u, stats }, env), changes };
}

/**
 * After the recount: removes the unit's page rows (of this run or an older one; a newer run's are its own),
 * 25 per transaction. Run again on every delivery of the completed unit, so a clean-up that was stopped
 * finishes; a page row another run overwrote meanwhile and that is removed here only makes that run count
 * its month again (its combine finds the page missing).
 */
export async function dropRecountPages(u: JobUnit): Promise<number> {
  if (u.task.kind !== 'RECONCILE') return 0;
  const { projectId, month } = u.task;
  const sliceRows = await getMany(slicesOf(projectId, month, u.attempt).map((t) => jobUnitRef(t)));
  const sets: { high: number; slice?: number }[] = [
    { high: Math.max(u.pagesHigh ?? 0, u.pages) },
    ...sliceRows.flatMap((r, slice) => (r && r.doc.runId <= u.runId ? [{ high: Math.max(r.doc.pagesHigh ?? 0, r.doc.pages), slice }] : [])),
  ];
  let removed = 0;
  for (const { high, slice } of sets) {
    for (let from = 0; from < high; from += BATCH_KEYS) {
      const refs = Array.from({ length: Math.min(BATCH_KEYS, high - from) }, (_, i) => jobPartialRef(projectId, month, from + i, slice));
      const rows = await getMany(refs);
      const stale = rows.flatMap((r, i) => (r && r.doc.runId <= u.runId ? [{ key: refs[i]?.key ?? '', version: r.version }] : []));
      for (let i = 0; i < stale.length; i += MAX_TRANSACTION_OPS) {
        const changes = new Changes();
        for (const r of stale.slice(i, i + MAX_TRANSACTION_OPS)) changes.remove(ENTITY.jobProgress, r.key, r.version);
        try {
          await changes.commit();
          removed += Math.min(MAX_TRANSACTION_OPS, stale.length - i);
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err; // another delivery removed them first
        }
      }
    }
  }
  return removed;
}
