/**
 * The release lifecycle (SPEC §3): which transition goes from where to where, and how applying one
 * changes the records. Whether an actor may fire it is `decide`'s business, not this file's.
 */
import type { FallbackExecutionResult, FallbackPlan } from './fallback';
import { startFallbackExecution } from './fallback';
import type { Outcome, Release, ReleaseStatus } from './release';
import { dissolveTeam, formTeam, type Team } from './team';

export const TRANSITION_ACTIONS = [
  'approve',
  'reject',
  'startBuild',
  'markReady',
  'startImplementation',
  'markDeployed',
  'invokeFallback',
  'completeFallback',
  'verifyAndClose',
  'cancel',
] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

export interface TransitionDefinition {
  readonly from: readonly ReleaseStatus[];
  readonly to: ReleaseStatus;
}

export const TRANSITIONS: Readonly<Record<TransitionAction, TransitionDefinition>> = {
  approve: { from: ['SUBMITTED'], to: 'PLANNING' },
  reject: { from: ['SUBMITTED'], to: 'REJECTED' },
  startBuild: { from: ['PLANNING'], to: 'BUILD_TEST' },
  markReady: { from: ['BUILD_TEST'], to: 'READY' },
  startImplementation: { from: ['READY'], to: 'IMPLEMENTING' },
  markDeployed: { from: ['IMPLEMENTING'], to: 'VERIFYING' },
  invokeFallback: { from: ['IMPLEMENTING'], to: 'ROLLING_BACK' },
  completeFallback: { from: ['ROLLING_BACK'], to: 'CLOSED' },
  verifyAndClose: { from: ['VERIFYING'], to: 'CLOSED' },
  cancel: { from: ['SUBMITTED', 'PLANNING', 'BUILD_TEST', 'READY'], to: 'CANCELLED' },
};

/** The forward transition the release is waiting for (what the gate checklist shows). */
export const NEXT_TRANSITION: Readonly<Record<ReleaseStatus, TransitionAction | null>> = {
  SUBMITTED: 'approve',
  PLANNING: 'startBuild',
  BUILD_TEST: 'markReady',
  READY: 'startImplementation',
  IMPLEMENTING: 'markDeployed',
  VERIFYING: 'verifyAndClose',
  ROLLING_BACK: 'completeFallback',
  CLOSED: null,
  REJECTED: null,
  CANCELLED: null,
};

export function isTransitionAction(value: string): value is TransitionAction {
  return (TRANSITION_ACTIONS as readonly string[]).includes(value);
}

/** Transitions that leave `status`, in table order. */
export function transitionsFrom(status: ReleaseStatus): TransitionAction[] {
  return TRANSITION_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(status));
}

/** What the service must do after a transition has been persisted. */
export type TransitionEffect =
  | 'RAISE_CMDB_UPDATE_TASK' // 发布成功后通知配置管理更新配置信息
  | 'UPDATE_DSL_ENVIRONMENT_VERSIONS' // or flag the items whose versions could not be updated
  | 'RECORD_KPI_FACTS'; // add the closed release to its month's KPI aggregate

export interface TransitionInput {
  readonly actorAccountId: string;
  /** Reject, cancel and invoke-fallback reasons. */
  readonly reason?: string;
}

export interface TransitionRecords {
  readonly release: Release;
  readonly team: Team | null;
  readonly fallbackPlan: FallbackPlan | null;
}

export type TransitionResult =
  | ({ readonly ok: true; readonly effects: readonly TransitionEffect[] } & TransitionRecords)
  | { readonly ok: false; readonly reasons: readonly ['WRONG_STATUS'] };

function outcomeOfFallback(result: FallbackExecutionResult | null | undefined): Outcome {
  return result === 'SUCCEEDED' ? 'ROLLED_BACK' : 'FAILED';
}

/**
 * Applies a transition to the records: status, its entry time, outcome, reasons, team formed on approval
 * and dissolved on close or cancel, fallback execution started on invoke. Pure; call `decide` first.
 */
export function applyTransition(
  records: TransitionRecords,
  action: TransitionAction,
  input: TransitionInput,
  now: number,
): TransitionResult {
  const { release } = records;
  const def = TRANSITIONS[action];
  if (!def.from.includes(release.status)) return { ok: false, reasons: ['WRONG_STATUS'] };

  let next: Release = {
    ...release,
    status: def.to,
    statusEnteredAt: { ...release.statusEnteredAt, [def.to]: now },
  };
  let team = records.team;
  let fallbackPlan = records.fallbackPlan;
  const effects: TransitionEffect[] = [];

  switch (action) {
    case 'approve':
      if (!team) team = formTeam(release.id, now, release.leadAccountId);
      break;
    case 'reject':
      next = { ...next, rejectionReason: input.reason ?? '' };
      break;
    case 'cancel':
      next = { ...next, cancelReason: input.reason ?? '' };
      if (team) team = dissolveTeam(team, now);
      break;
    case 'invokeFallback':
      if (fallbackPlan) fallbackPlan = startFallbackExecution(fallbackPlan, input.actorAccountId, input.reason ?? '', now);
      break;
    case 'completeFallback': {
      next = { ...next, outcome: outcomeOfFallback(fallbackPlan?.execution?.result) };
      if (fallbackPlan?.execution && fallbackPlan.execution.endedAt === null) {
        fallbackPlan = { ...fallbackPlan, execution: { ...fallbackPlan.execution, endedAt: now } };
      }
      if (team) team = dissolveTeam(team, now);
      effects.push('RECORD_KPI_FACTS');
      break;
    }
    case 'verifyAndClose':
      next = { ...next, outcome: 'SUCCESS' };
      if (team) team = dissolveTeam(team, now);
      effects.push('RAISE_CMDB_UPDATE_TASK', 'UPDATE_DSL_ENVIRONMENT_VERSIONS', 'RECORD_KPI_FACTS');
      break;
    default:
      break;
  }
  return { ok: true, release: next, team, fallbackPlan, effects };
}

/** Has a SUBMITTED release waited longer than the review SLA? */
export function isReviewOverdue(release: Release, now: number, reviewSlaDays: number): boolean {
  const submittedAt = release.statusEnteredAt.SUBMITTED ?? release.createdAt;
  return release.status === 'SUBMITTED' && now - submittedAt > reviewSlaDays * 86_400_000;
}

/**
 * The transitions that bring Jira from `from` to the record's status, through the statuses the record
 * itself went through (so a closed release that rolled back is walked through ROLLING_BACK, never through
 * VERIFYING). Empty when Jira is already there; null when no such path exists (Jira is in a status the
 * release never was in: it moved elsewhere on its own).
 */
export function lifecyclePath(from: ReleaseStatus, release: Pick<Release, 'status' | 'statusEnteredAt'>): TransitionAction[] | null {
  const to = release.status;
  if (from === to) return [];
  // A status the release never was in is not behind it: Jira moved elsewhere on its own.
  if (release.statusEnteredAt[from] === undefined) return null;
  const visited = new Set<ReleaseStatus>([from]);
  let frontier: { status: ReleaseStatus; path: TransitionAction[] }[] = [{ status: from, path: [] }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { status, path } of frontier) {
      for (const action of transitionsFrom(status)) {
        const target = TRANSITIONS[action].to;
        if (target === to) return [...path, action];
        if (visited.has(target) || release.statusEnteredAt[target] === undefined) continue;
        visited.add(target);
        next.push({ status: target, path: [...path, action] });
      }
    }
    frontier = next;
  }
  return null;
}

/** Transitions that need input Jira's workflow cannot collect (a reason): the app's panel fires them. */
export const TRANSITIONS_NEEDING_REASON: readonly TransitionAction[] = ['reject', 'cancel', 'invokeFallback'];
