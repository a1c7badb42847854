/**
 * KPIs of SPEC §5. A closed release contributes a fixed set of facts (`releaseKpiFacts`); facts accumulate
 * into one aggregate per project and calendar month (UTC) of closing. `applyClosedRelease` and friends
 * maintain it incrementally and idempotently; `reconcileKpiMonth` recomputes it from the facts and must
 * give the identical record. Durations are whole minutes and effort is whole centi-hours so that sums do
 * not depend on the order of accumulation.
 */
import type { ReleaseContext } from './context';
import { dslItemUpdatedInTime } from './dsl';
import { hasFallbackStep, hasFallbackTrigger, hasPassedRehearsal } from './fallback';
import type { ImprovementAction } from './improvement';
import { KPI_DEFINITIONS, KPI_NAMES, type KpiName } from './kpiCatalog';
import type { Policy } from './policy';
import type { Classification, Outcome } from './release';
import { trainingFacts, type TrainingFacts } from './training';

const MINUTE = 60_000;

/** `YYYY-MM` of an instant, in UTC. */
export function monthOf(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The first instant of a `YYYY-MM` month and of the month after it (UTC). */
export function monthBounds(month: string): { start: number; end: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { start: Date.UTC(y, m - 1, 1), end: Date.UTC(y, m, 1) };
}

/** The `YYYY-MM` month before `month`. */
export function previousMonth(month: string): string {
  return monthOf(monthBounds(month).start - 1);
}

export const COMPLETENESS_RECORDS = [
  'PLAN',
  'FALLBACK_PLAN',
  'PASSED_REHEARSAL',
  'TRAINING_PLAN',
  'TEST_RECORDS',
  'DSL_ITEMS',
  /** SUCCESS: the operations lead's acceptance. ROLLED_BACK / FAILED: the fallback execution record instead. */
  'CLOSING_RECORD',
] as const;
export type CompletenessRecord = (typeof COMPLETENESS_RECORDS)[number];

/** What one closed release contributes to its month's KPIs. */
export interface ReleaseKpiFacts {
  readonly releaseId: string;
  /** The Jira issue key, for the drill-down list (null before Jira gave one). */
  readonly issueKey: string | null;
  readonly projectId: string;
  readonly month: string;
  readonly closedAt: number;
  readonly outcome: Outcome;
  readonly classification: Classification | null;
  /** A deployment result was recorded. */
  readonly deployed: boolean;
  /** Deployment finished on or before the planned window end. */
  readonly deployedOnTime: boolean;
  /** Approval (entry into PLANNING) to deployment finish. */
  readonly approvalToDeploymentMinutes: number | null;
  /** Request (submission) to deployment finish: DORA's lead time from request. */
  readonly requestToDeploymentMinutes: number | null;
  /** Implementation start to deployment finish within the planned window length; null without both. */
  readonly deployedWithinPlannedDuration: boolean | null;
  readonly plannedEffortCentiHours: number | null;
  readonly actualEffortCentiHours: number | null;
  readonly rollbackMinutes: number | null;
  readonly emergencyOverride: boolean;
  /** SUCCESS, on time, and every gate passed without an emergency override. */
  readonly effective: boolean;
  readonly missingRecords: readonly CompletenessRecord[];
  /** SUCCESS releases only: DSL checked in and production versions updated within the policy window. */
  readonly dslTimelyUpdate: boolean | null;
  readonly training: TrainingFacts;
}

/** The facts of a closed release, or null if it is not closed with an outcome. */
export function releaseKpiFacts(ctx: ReleaseContext, policy: Policy): ReleaseKpiFacts | null {
  const r = ctx.release;
  const closedAt = r.statusEnteredAt.CLOSED;
  if (r.status !== 'CLOSED' || r.outcome === null || closedAt === undefined) return null;

  const dep = r.deployment;
  const approvedAt = r.statusEnteredAt.PLANNING;
  const requestedAt = r.statusEnteredAt.SUBMITTED ?? r.createdAt;
  const implStart = r.statusEnteredAt.IMPLEMENTING;
  const deployedOnTime = !!dep && r.windowEnd !== null && dep.finishedAt <= r.windowEnd;
  const withinPlan =
    dep && implStart !== undefined && r.windowStart !== null && r.windowEnd !== null
      ? dep.finishedAt - implStart <= r.windowEnd - r.windowStart
      : null;
  const exec = ctx.fallbackPlan?.execution ?? null;
  const rolledBack = r.outcome !== 'SUCCESS';
  const rollbackMinutes = rolledBack && exec && exec.endedAt !== null ? Math.round((exec.endedAt - exec.startedAt) / MINUTE) : null;

  const missing: CompletenessRecord[] = [];
  if (!r.plan || !r.plan.scope.trim() || !r.plan.schedule.trim() || !(r.plan.plannedEffortHours > 0)) missing.push('PLAN');
  if (!hasFallbackStep(ctx.fallbackPlan) || !hasFallbackTrigger(ctx.fallbackPlan)) missing.push('FALLBACK_PLAN');
  if (!hasPassedRehearsal(ctx.fallbackPlan)) missing.push('PASSED_REHEARSAL');
  if (ctx.trainingTasks.length === 0) missing.push('TRAINING_PLAN');
  if (!r.tests.integration || !r.tests.uat) missing.push('TEST_RECORDS');
  if (ctx.dslItems.length === 0) missing.push('DSL_ITEMS');
  const closing = r.outcome === 'SUCCESS' ? r.operationalAcceptance?.accepted === true : !!exec?.result;
  if (!closing) missing.push('CLOSING_RECORD');

  const dslTimely =
    r.outcome !== 'SUCCESS'
      ? null
      : !!dep && ctx.dslItems.length > 0 && ctx.dslItems.every((i) => dslItemUpdatedInTime(i, dep.finishedAt, policy.dslTimelyUpdateHours));

  return {
    releaseId: r.id,
    issueKey: r.issueKey ?? null,
    projectId: r.projectId,
    month: monthOf(closedAt),
    closedAt,
    outcome: r.outcome,
    classification: r.classification,
    deployed: !!dep,
    deployedOnTime,
    approvalToDeploymentMinutes: dep && approvedAt !== undefined ? Math.round((dep.finishedAt - approvedAt) / MINUTE) : null,
    requestToDeploymentMinutes: dep ? Math.round((dep.finishedAt - requestedAt) / MINUTE) : null,
    deployedWithinPlannedDuration: withinPlan,
    plannedEffortCentiHours: r.plan ? Math.round(r.plan.plannedEffortHours * 100) : null,
    actualEffortCentiHours: r.actualEffortHours !== null ? Math.round(r.actualEffortHours * 100) : null,
    rollbackMinutes,
    emergencyOverride: r.emergencyOverride !== null,
    effective: r.outcome === 'SUCCESS' && deployedOnTime && r.emergencyOverride === null,
    missingRecords: missing,
    dslTimelyUpdate: dslTimely,
    training: trainingFacts(ctx.trainingTasks, closedAt),
  };
}

/** One DSL audit (matched or mismatched), counted in the month it was performed. */
export interface DslAuditFact {
  readonly auditId: string;
  readonly projectId: string;
  readonly at: number;
  readonly matched: boolean;
}

/** The id under which a DSL audit counts: one audit per item and millisecond. */
export function dslAuditFactId(itemId: string, at: number): string {
  return `dsl-audit:${itemId}:${Math.floor(at)}`;
}

/** One improvement action whose timeliness is settled, counted in the month it was due. */
export interface ImprovementFact {
  readonly actionId: string;
  readonly projectId: string;
  readonly month: string;
  readonly onTime: boolean;
}

/**
 * An improvement action counts once its timeliness is known: when completed by its due date (on time),
 * or once the due date has passed without completion (late). Otherwise null: not yet due.
 */
export function improvementActionFact(action: ImprovementAction, now: number): ImprovementFact | null {
  const onTime = action.completedAt !== null && action.completedAt <= action.dueAt;
  if (!onTime && now <= action.dueAt) return null;
  return { actionId: action.id, projectId: action.projectId, month: monthOf(action.dueAt), onTime };
}

export interface KpiMonthAggregate {
  readonly projectId: string;
  readonly month: string;
  /** Releases counted, sorted; makes accumulation idempotent and lets a gadget list them. */
  readonly releaseIds: readonly string[];
  readonly closed: number;
  readonly success: number;
  readonly rolledBack: number;
  readonly failed: number;
  readonly emergency: number;
  readonly deployments: number;
  readonly deploymentsOnTime: number;
  /** Sorted ascending, for the median. */
  readonly approvalToDeploymentMinutes: readonly number[];
  /** Sorted ascending (DORA lead time from request). */
  readonly requestToDeploymentMinutes: readonly number[];
  readonly withPlannedDuration: number;
  readonly withinPlannedDuration: number;
  /** Only releases with both planned and actual effort. */
  readonly effortReleases: number;
  readonly plannedEffortCentiHours: number;
  readonly actualEffortCentiHours: number;
  readonly effective: number;
  readonly complete: number;
  readonly dslTimely: number;
  readonly rollbacksTimed: number;
  readonly rollbackMinutesTotal: number;
  /** Sorted ascending (DORA failed-deployment recovery time, a median). */
  readonly rollbackMinutes: readonly number[];
  readonly trainingDue: number;
  readonly trainingOnTime: number;
  readonly traineesAssessed: number;
  readonly traineesPassed: number;
  readonly dslAuditIds: readonly string[];
  readonly dslAudits: number;
  readonly dslAuditsMatched: number;
  readonly improvementActionIds: readonly string[];
  readonly improvementsDue: number;
  readonly improvementsOnTime: number;
  /** What each counted release contributed, sorted by release id: the drill-down behind every number. */
  readonly entries: readonly KpiReleaseEntry[];
}

/**
 * One closed release as the month's aggregate remembers it: enough to list the releases behind any KPI
 * value and what each contributed, without reading a single release record.
 */
export interface KpiReleaseEntry {
  readonly releaseId: string;
  readonly issueKey: string | null;
  readonly closedAt: number;
  readonly outcome: Outcome;
  readonly emergency: boolean;
  readonly deployed: boolean;
  readonly onTime: boolean;
  readonly withinPlan: boolean | null;
  /** [planned, actual] centi-hours, when both are known and actual > 0. */
  readonly effort: readonly [number, number] | null;
  readonly effective: boolean;
  readonly complete: boolean;
  readonly dslTimely: boolean | null;
  readonly approvalMinutes: number | null;
  readonly requestMinutes: number | null;
  readonly rollbackMinutes: number | null;
  readonly training: TrainingFacts;
}

export function kpiEntryOf(f: ReleaseKpiFacts): KpiReleaseEntry {
  return {
    releaseId: f.releaseId,
    issueKey: f.issueKey,
    closedAt: f.closedAt,
    outcome: f.outcome,
    emergency: f.classification === 'EMERGENCY',
    deployed: f.deployed,
    onTime: f.deployed && f.deployedOnTime,
    withinPlan: f.deployedWithinPlannedDuration,
    effort: hasEffort(f) ? [f.plannedEffortCentiHours as number, f.actualEffortCentiHours as number] : null,
    effective: f.effective,
    complete: f.missingRecords.length === 0,
    dslTimely: f.dslTimelyUpdate,
    approvalMinutes: f.approvalToDeploymentMinutes,
    requestMinutes: f.requestToDeploymentMinutes,
    rollbackMinutes: f.rollbackMinutes,
    training: f.training,
  };
}

export function emptyKpiMonth(projectId: string, month: string): KpiMonthAggregate {
  return {
    projectId,
    month,
    releaseIds: [],
    closed: 0,
    success: 0,
    rolledBack: 0,
    failed: 0,
    emergency: 0,
    deployments: 0,
    deploymentsOnTime: 0,
    approvalToDeploymentMinutes: [],
    requestToDeploymentMinutes: [],
    withPlannedDuration: 0,
    withinPlannedDuration: 0,
    effortReleases: 0,
    plannedEffortCentiHours: 0,
    actualEffortCentiHours: 0,
    effective: 0,
    complete: 0,
    dslTimely: 0,
    rollbacksTimed: 0,
    rollbackMinutesTotal: 0,
    rollbackMinutes: [],
    trainingDue: 0,
    trainingOnTime: 0,
    traineesAssessed: 0,
    traineesPassed: 0,
    dslAuditIds: [],
    dslAudits: 0,
    dslAuditsMatched: 0,
    improvementActionIds: [],
    improvementsDue: 0,
    improvementsOnTime: 0,
    entries: [],
  };
}

const b = (v: boolean): number => (v ? 1 : 0);
const sortedInsert = <T extends string | number>(list: readonly T[], v: T): T[] => [...list, v].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
const byReleaseId = (x: KpiReleaseEntry, y: KpiReleaseEntry): number => (x.releaseId < y.releaseId ? -1 : x.releaseId > y.releaseId ? 1 : 0);
/**
 * At most this many entries per project and month (≈ 110 KB of the 200 KB a row may hold): beyond it a month
 * keeps counting every release, and its drill-down says that some are not listed — closing never fails for
 * want of room. Both ways of counting keep the same ones: the smallest release ids.
 */
export const MAX_KPI_ENTRIES_PER_MONTH = 300;
const insertEntry = (list: readonly KpiReleaseEntry[], e: KpiReleaseEntry): KpiReleaseEntry[] => [...list, e].sort(byReleaseId).slice(0, MAX_KPI_ENTRIES_PER_MONTH);
const withValue = (list: readonly number[], v: number | null): readonly number[] => (v === null ? list : sortedInsert(list, v));
const hasEffort = (f: ReleaseKpiFacts): boolean => f.plannedEffortCentiHours !== null && f.actualEffortCentiHours !== null && f.actualEffortCentiHours > 0;

/** Adds a closed release. Idempotent: a release already counted, or of another project/month, changes nothing. */
export function applyClosedRelease(agg: KpiMonthAggregate, f: ReleaseKpiFacts): KpiMonthAggregate {
  if (f.projectId !== agg.projectId || f.month !== agg.month || agg.releaseIds.includes(f.releaseId)) return agg;
  const effort = hasEffort(f);
  return {
    ...agg,
    releaseIds: sortedInsert(agg.releaseIds, f.releaseId),
    closed: agg.closed + 1,
    success: agg.success + b(f.outcome === 'SUCCESS'),
    rolledBack: agg.rolledBack + b(f.outcome === 'ROLLED_BACK'),
    failed: agg.failed + b(f.outcome === 'FAILED'),
    emergency: agg.emergency + b(f.classification === 'EMERGENCY'),
    deployments: agg.deployments + b(f.deployed),
    deploymentsOnTime: agg.deploymentsOnTime + b(f.deployed && f.deployedOnTime),
    approvalToDeploymentMinutes: withValue(agg.approvalToDeploymentMinutes, f.approvalToDeploymentMinutes),
    requestToDeploymentMinutes: withValue(agg.requestToDeploymentMinutes, f.requestToDeploymentMinutes),
    withPlannedDuration: agg.withPlannedDuration + b(f.deployedWithinPlannedDuration !== null),
    withinPlannedDuration: agg.withinPlannedDuration + b(f.deployedWithinPlannedDuration === true),
    effortReleases: agg.effortReleases + b(effort),
    plannedEffortCentiHours: agg.plannedEffortCentiHours + (effort ? (f.plannedEffortCentiHours as number) : 0),
    actualEffortCentiHours: agg.actualEffortCentiHours + (effort ? (f.actualEffortCentiHours as number) : 0),
    effective: agg.effective + b(f.effective),
    complete: agg.complete + b(f.missingRecords.length === 0),
    dslTimely: agg.dslTimely + b(f.dslTimelyUpdate === true),
    rollbacksTimed: agg.rollbacksTimed + b(f.rollbackMinutes !== null),
    rollbackMinutesTotal: agg.rollbackMinutesTotal + (f.rollbackMinutes ?? 0),
    rollbackMinutes: withValue(agg.rollbackMinutes, f.rollbackMinutes),
    trainingDue: agg.trainingDue + f.training.due,
    trainingOnTime: agg.trainingOnTime + f.training.deliveredOnTime,
    traineesAssessed: agg.traineesAssessed + f.training.assessed,
    traineesPassed: agg.traineesPassed + f.training.passed,
    entries: insertEntry(agg.entries, kpiEntryOf(f)),
  };
}

export function applyDslAudit(agg: KpiMonthAggregate, f: DslAuditFact): KpiMonthAggregate {
  if (f.projectId !== agg.projectId || monthOf(f.at) !== agg.month || agg.dslAuditIds.includes(f.auditId)) return agg;
  return {
    ...agg,
    dslAuditIds: sortedInsert(agg.dslAuditIds, f.auditId),
    dslAudits: agg.dslAudits + 1,
    dslAuditsMatched: agg.dslAuditsMatched + b(f.matched),
  };
}

export function applyImprovementAction(agg: KpiMonthAggregate, f: ImprovementFact): KpiMonthAggregate {
  if (f.projectId !== agg.projectId || f.month !== agg.month || agg.improvementActionIds.includes(f.actionId)) return agg;
  return {
    ...agg,
    improvementActionIds: sortedInsert(agg.improvementActionIds, f.actionId),
    improvementsDue: agg.improvementsDue + 1,
    improvementsOnTime: agg.improvementsOnTime + b(f.onTime),
  };
}

export interface KpiSources {
  readonly releases: readonly ReleaseKpiFacts[];
  readonly dslAudits: readonly DslAuditFact[];
  readonly improvements: readonly ImprovementFact[];
}

function uniqueBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const t of items) if (!seen.has(key(t))) seen.set(key(t), t);
  return [...seen.values()];
}

const count = <T>(items: readonly T[], p: (t: T) => boolean): number => items.filter(p).length;
const sum = <T>(items: readonly T[], v: (t: T) => number): number => items.reduce((s, t) => s + v(t), 0);
const numSort = (a: number, c: number): number => a - c;

/**
 * Recomputes a month's aggregate from the facts (those of other projects or months are ignored).
 * Written independently of the incremental functions; a test holds them equal.
 */
export function reconcileKpiMonth(projectId: string, month: string, sources: KpiSources): KpiMonthAggregate {
  const rs = uniqueBy(sources.releases.filter((f) => f.projectId === projectId && f.month === month), (f) => f.releaseId);
  const audits = uniqueBy(sources.dslAudits.filter((a) => a.projectId === projectId && monthOf(a.at) === month), (a) => a.auditId);
  const imps = uniqueBy(sources.improvements.filter((i) => i.projectId === projectId && i.month === month), (i) => i.actionId);
  const withEffort = rs.filter(hasEffort);
  return {
    projectId,
    month,
    releaseIds: rs.map((f) => f.releaseId).sort(),
    closed: rs.length,
    success: count(rs, (f) => f.outcome === 'SUCCESS'),
    rolledBack: count(rs, (f) => f.outcome === 'ROLLED_BACK'),
    failed: count(rs, (f) => f.outcome === 'FAILED'),
    emergency: count(rs, (f) => f.classification === 'EMERGENCY'),
    deployments: count(rs, (f) => f.deployed),
    deploymentsOnTime: count(rs, (f) => f.deployed && f.deployedOnTime),
    approvalToDeploymentMinutes: rs.flatMap((f) => (f.approvalToDeploymentMinutes === null ? [] : [f.approvalToDeploymentMinutes])).sort(numSort),
    requestToDeploymentMinutes: rs.flatMap((f) => (f.requestToDeploymentMinutes === null ? [] : [f.requestToDeploymentMinutes])).sort(numSort),
    withPlannedDuration: count(rs, (f) => f.deployedWithinPlannedDuration !== null),
    withinPlannedDuration: count(rs, (f) => f.deployedWithinPlannedDuration === true),
    effortReleases: withEffort.length,
    plannedEffortCentiHours: sum(withEffort, (f) => f.plannedEffortCentiHours ?? 0),
    actualEffortCentiHours: sum(withEffort, (f) => f.actualEffortCentiHours ?? 0),
    effective: count(rs, (f) => f.effective),
    complete: count(rs, (f) => f.missingRecords.length === 0),
    dslTimely: count(rs, (f) => f.dslTimelyUpdate === true),
    rollbacksTimed: count(rs, (f) => f.rollbackMinutes !== null),
    rollbackMinutesTotal: sum(rs, (f) => f.rollbackMinutes ?? 0),
    rollbackMinutes: rs.flatMap((f) => (f.rollbackMinutes === null ? [] : [f.rollbackMinutes])).sort(numSort),
    trainingDue: sum(rs, (f) => f.training.due),
    trainingOnTime: sum(rs, (f) => f.training.deliveredOnTime),
    traineesAssessed: sum(rs, (f) => f.training.assessed),
    traineesPassed: sum(rs, (f) => f.training.passed),
    dslAuditIds: audits.map((a) => a.auditId).sort(),
    dslAudits: audits.length,
    dslAuditsMatched: count(audits, (a) => a.matched),
    improvementActionIds: imps.map((i) => i.actionId).sort(),
    improvementsDue: imps.length,
    improvementsOnTime: count(imps, (i) => i.onTime),
    entries: rs.map(kpiEntryOf).sort(byReleaseId).slice(0, MAX_KPI_ENTRIES_PER_MONTH),
  };
}

/** The fields in which two aggregates of the same project and month differ (empty: identical). */
export function kpiMonthDifferences(stored: KpiMonthAggregate, recomputed: KpiMonthAggregate): (keyof KpiMonthAggregate)[] {
  const keys = Object.keys(emptyKpiMonth(recomputed.projectId, recomputed.month)) as (keyof KpiMonthAggregate)[];
  return keys.filter((k) => JSON.stringify(stored[k]) !== JSON.stringify(recomputed[k]));
}

/** Sums several months (e.g. a quarter) into one aggregate for reading. Keyed by the first month. */
export function mergeKpiMonths(projectId: string, months: readonly KpiMonthAggregate[]): KpiMonthAggregate {
  let acc = emptyKpiMonth(projectId, months[0]?.month ?? '');
  for (const m of months) {
    acc = {
      ...acc,
      releaseIds: [...acc.releaseIds, ...m.releaseIds].sort(),
      closed: acc.closed + m.closed,
      success: acc.success + m.success,
      rolledBack: acc.rolledBack + m.rolledBack,
      failed: acc.failed + m.failed,
      emergency: acc.emergency + m.emergency,
      deployments: acc.deployments + m.deployments,
      deploymentsOnTime: acc.deploymentsOnTime + m.deploymentsOnTime,
      approvalToDeploymentMinutes: [...acc.approvalToDeploymentMinutes, ...m.approvalToDeploymentMinutes].sort(numSort),
      requestToDeploymentMinutes: [...acc.requestToDeploymentMinutes, ...m.requestToDeploymentMinutes].sort(numSort),
      withPlannedDuration: acc.withPlannedDuration + m.withPlannedDuration,
      withinPlannedDuration: acc.withinPlannedDuration + m.withinPlannedDuration,
      effortReleases: acc.effortReleases + m.effortReleases,
      plannedEffortCentiHours: acc.plannedEffortCentiHours + m.plannedEffortCentiHours,
      actualEffortCentiHours: acc.actualEffortCentiHours + m.actualEffortCentiHours,
      effective: acc.effective + m.effective,
      complete: acc.complete + m.complete,
      dslTimely: acc.dslTimely + m.dslTimely,
      rollbacksTimed: acc.rollbacksTimed + m.rollbacksTimed,
      rollbackMinutesTotal: acc.rollbackMinutesTotal + m.rollbackMinutesTotal,
      rollbackMinutes: [...acc.rollbackMinutes, ...m.rollbackMinutes].sort(numSort),
      trainingDue: acc.trainingDue + m.trainingDue,
      trainingOnTime: acc.trainingOnTime + m.trainingOnTime,
      traineesAssessed: acc.traineesAssessed + m.traineesAssessed,
      traineesPassed: acc.traineesPassed + m.traineesPassed,
      dslAuditIds: [...acc.dslAuditIds, ...m.dslAuditIds].sort(),
      dslAudits: acc.dslAudits + m.dslAudits,
      dslAuditsMatched: acc.dslAuditsMatched + m.dslAuditsMatched,
      improvementActionIds: [...acc.improvementActionIds, ...m.improvementActionIds].sort(),
      improvementsDue: acc.improvementsDue + m.improvementsDue,
      improvementsOnTime: acc.improvementsOnTime + m.improvementsOnTime,
      entries: [...acc.entries, ...m.entries].sort(byReleaseId),
    };
  }
  return acc;
}

/**
 * The recount of a month from the counts of its pages (each page's `reconcileKpiMonth`), as the daily job
 * combines them: equal to `reconcileKpiMonth` over all the pages' facts at once (a test holds it so), entries
 * capped as there. Null when a release, audit or action was counted on two pages (a record moved in its index
 * while the pages were read): the caller counts the month again.
 */
export function combineKpiPages(projectId: string, month: string, pages: readonly KpiMonthAggregate[]): KpiMonthAggregate | null {
  const own = pages.filter((p) => p.projectId === projectId && p.month === month);
  const merged = own.length === 0 ? emptyKpiMonth(projectId, month) : { ...mergeKpiMonths(projectId, own), month };
  const distinct = (ids: readonly string[]) => new Set(ids).size === ids.length;
  if (!distinct(merged.releaseIds) || !distinct(merged.dslAuditIds) || !distinct(merged.improvementActionIds)) return null;
  return { ...merged, entries: merged.entries.slice(0, MAX_KPI_ENTRIES_PER_MONTH) };
}

// ---- formulas ---------------------------------------------------------------------------------------

/** n ÷ d, or null when there is nothing to divide by. */
export function ratio(n: number, d: number): number | null {
  return d > 0 ? n / d : null;
}

export function median(sortedOrNot: readonly number[]): number | null {
  if (sortedOrNot.length === 0) return null;
  const s = [...sortedOrNot].sort(numSort);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Every KPI's value from one aggregate (null: no data in the period). `days` is the length of the period
 * the aggregate covers (the deployment frequency is a rate per week of it); without it that rate is null.
 */
export function kpiValuesOf(agg: KpiMonthAggregate, days?: number): Record<KpiName, number | null> {
  const medianMinutes = median(agg.approvalToDeploymentMinutes);
  const requestMinutes = median(agg.requestToDeploymentMinutes);
  const recovery = median(agg.rollbackMinutes);
  return {
    RELEASE_SUCCESS_RATE: ratio(agg.success, agg.success + agg.rolledBack + agg.failed),
    RELEASE_TIMELINESS: ratio(agg.deploymentsOnTime, agg.deployments),
    RELEASE_EFFICIENCY_MEDIAN_DAYS: medianMinutes === null ? null : medianMinutes / 1440,
    RELEASE_EFFICIENCY_WITHIN_PLAN: ratio(agg.withinPlannedDuration, agg.withPlannedDuration),
    RESOURCE_USE: ratio(agg.plannedEffortCentiHours, agg.actualEffortCentiHours),
    PROCESS_EFFECTIVENESS: ratio(agg.effective, agg.closed),
    PROCESS_COMPLETENESS: ratio(agg.complete, agg.closed),
    PROCESS_OPTIMISATION_TIMELINESS: ratio(agg.improvementsOnTime, agg.improvementsDue),
    TRAINING_TIMELINESS: ratio(agg.trainingOnTime, agg.trainingDue),
    TRAINEE_PASS_RATE: ratio(agg.traineesPassed, agg.traineesAssessed),
    DSL_ACCURACY: ratio(agg.dslAuditsMatched, agg.dslAudits),
    DSL_TIMELY_UPDATE_RATE: ratio(agg.dslTimely, agg.success),
    ROLLBACK_RATE: ratio(agg.rolledBack, agg.closed),
    EMERGENCY_SHARE: ratio(agg.emergency, agg.closed),
    MEAN_TIME_TO_ROLLBACK_MINUTES: ratio(agg.rollbackMinutesTotal, agg.rollbacksTimed),
    // DORA: every closed release went into implementation, so it is one deployment attempt.
    DEPLOYMENT_FREQUENCY: days !== undefined && days > 0 ? agg.closed / (days / 7) : null,
    LEAD_TIME_FROM_APPROVAL_DAYS: medianMinutes === null ? null : medianMinutes / 1440,
    LEAD_TIME_FROM_REQUEST_DAYS: requestMinutes === null ? null : requestMinutes / 1440,
    CHANGE_FAILURE_RATE: ratio(agg.rolledBack + agg.failed, agg.closed),
    RECOVERY_TIME_MINUTES: recovery,
  };
}

/**
 * Days of the months `from`..`to` (inclusive) that have begun by `now`: the current month counts up to now,
 * months still to come count nothing. The denominator of a per-week rate.
 */
export function periodDays(fromMonth: string, toMonth: string, now: number): number {
  const start = monthBounds(fromMonth).start;
  const end = Math.min(monthBounds(toMonth).end, now);
  return Math.max(0, (end - start) / 86_400_000);
}

export interface KpiReading {
  readonly name: KpiName;
  readonly value: number | null;
  readonly target: number;
  /** Null when there is no value. */
  readonly onTarget: boolean | null;
}

/** Values with their policy targets, in catalogue order: what a gadget shows. */
export function kpiReadings(agg: KpiMonthAggregate, policy: Policy, days?: number): KpiReading[] {
  const values = kpiValuesOf(agg, days);
  return KPI_NAMES.map((name) => {
    const value = values[name];
    const target = policy.kpiTargets[name];
    const higher = KPI_DEFINITIONS[name].direction === 'HIGHER_IS_BETTER';
    return { name, value, target, onTarget: value === null ? null : higher ? value >= target : value <= target };
  });
}
