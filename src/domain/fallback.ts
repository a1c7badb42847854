/** The fallback plan (回退计划): how to undo a release, proven by rehearsal, with its execution record. */

export interface FallbackStep {
  readonly action: string;
  readonly ownerAccountId: string;
  readonly expectedMinutes: number;
}

export type RehearsalResult = 'PASSED' | 'FAILED';

export interface FallbackRehearsal {
  readonly at: number;
  readonly environment: string;
  readonly result: RehearsalResult;
  readonly evidenceUrl?: string;
  readonly recordedBy: string;
}

export type FallbackExecutionResult = 'SUCCEEDED' | 'FAILED';

export interface FallbackExecution {
  /** The lead who invoked the fallback. */
  readonly decidedBy: string;
  readonly reason: string;
  readonly startedAt: number;
  /** The implementer who carried it out; set with the result. */
  readonly executedBy: string | null;
  readonly endedAt: number | null;
  readonly result: FallbackExecutionResult | null;
}

export interface FallbackPlan {
  readonly releaseId: string;
  readonly triggerCriteria: string;
  /** In execution order. */
  readonly steps: readonly FallbackStep[];
  readonly restoreDslItemId: string | null;
  readonly dataBackupRef: string | null;
  readonly rehearsals: readonly FallbackRehearsal[];
  readonly execution: FallbackExecution | null;
}

export function emptyFallbackPlan(releaseId: string): FallbackPlan {
  return { releaseId, triggerCriteria: '', steps: [], restoreDslItemId: null, dataBackupRef: null, rehearsals: [], execution: null };
}

export function hasFallbackStep(plan: FallbackPlan | null): boolean {
  return !!plan && plan.steps.length > 0;
}

export function hasFallbackTrigger(plan: FallbackPlan | null): boolean {
  return !!plan && plan.triggerCriteria.trim().length > 0;
}

export function hasPassedRehearsal(plan: FallbackPlan | null): boolean {
  return !!plan && plan.rehearsals.some((r) => r.result === 'PASSED');
}

/** Sum of the steps' expected minutes: the planned rollback time. */
export function plannedRollbackMinutes(plan: FallbackPlan | null): number {
  return plan ? plan.steps.reduce((s, step) => s + step.expectedMinutes, 0) : 0;
}

export function startFallbackExecution(plan: FallbackPlan, decidedBy: string, reason: string, now: number): FallbackPlan {
  return { ...plan, execution: { decidedBy, reason, startedAt: now, executedBy: null, endedAt: null, result: null } };
}

export function recordFallbackResult(
  plan: FallbackPlan,
  executedBy: string,
  result: FallbackExecutionResult,
  now: number,
): FallbackPlan {
  const started = plan.execution ?? { decidedBy: executedBy, reason: '', startedAt: now, executedBy: null, endedAt: null, result: null };
  return { ...plan, execution: { ...started, executedBy, endedAt: now, result } };
}
