/**
 * Transition gates (SPEC §3). Each condition is listed once here, with the policy switch that enables it;
 * `decide` reports the unmet ones and `nextStepChecklist` shows all of them to the UI.
 */
import type { Action } from './actions';
import type { ReleaseContext } from './context';
import { hasFallbackStep, hasFallbackTrigger, hasPassedRehearsal } from './fallback';
import { freezesInForce, windowFreezeOverlaps } from './freeze';
import { NEXT_TRANSITION, type TransitionAction } from './lifecycle';
import type { Policy } from './policy';
import type { GateReasonCode } from './reasons';
import { activeMembers, teamComposition, type TeamCompositionCode } from './team';
import { helpDeskTrainingDelivered } from './training';

export interface GateCondition {
  readonly code: GateReasonCode;
  /** Absent: always applies. */
  readonly enabled?: (policy: Policy) => boolean;
  /** Absent: always applies. A condition about something not there yet is not listed (another condition asks for it). */
  readonly applies?: (ctx: ReleaseContext, now: number, policy: Policy) => boolean;
  readonly met: (ctx: ReleaseContext, now: number, policy: Policy) => boolean;
  /** Flagged, never blocking: `decide` reports it as a warning of an allowed decision. */
  readonly advisory?: true;
}

const nonBlank = (s: string | null | undefined): boolean => !!s && s.trim().length > 0;

const hasWindow = (c: ReleaseContext): boolean => c.release.windowStart !== null && c.release.windowEnd !== null;

/** Flagged at review and in the checklist: the planned window overlaps a freeze that covers the release. */
const WINDOW_IN_FREEZE: GateCondition = {
  code: 'GATE_WINDOW_IN_FREEZE',
  advisory: true,
  applies: (c, _now, p) => p.freezes.length > 0 && hasWindow(c) && (c.release.windowStart ?? 0) < (c.release.windowEnd ?? 0),
  met: (c, _now, p) => windowFreezeOverlaps(p.freezes, p.timeZone, c.release.windowStart ?? 0, c.release.windowEnd ?? 0, c.release.classification).length === 0,
};

const inForce = (c: ReleaseContext, now: number, p: Policy, severity: 'HARD' | 'SOFT'): boolean =>
  freezesInForce(p.freezes, p.timeZone, now, c.release.classification).some((o) => o.severity === severity);

function composition(code: TeamCompositionCode, applies?: GateCondition['applies']): GateCondition {
  return {
    code,
    ...(applies ? { applies } : {}),
    met: (ctx, _now, policy) =>
      teamComposition(ctx.team, ctx.release.leadAccountId, policy).find((c) => c.code === code)?.met ?? false,
  };
}

export const GATES: Readonly<Record<TransitionAction, readonly GateCondition[]>> = {
  approve: [
    { code: 'GATE_NO_CLASSIFICATION', met: (c) => c.release.classification !== null },
    { code: 'GATE_NO_RISK_LEVEL', met: (c) => c.release.riskLevel !== null },
    { code: 'GATE_NO_WINDOW', met: (c) => c.release.windowStart !== null && c.release.windowEnd !== null },
    {
      code: 'GATE_WINDOW_INVALID',
      // Only a window that exists can be the wrong way round; a missing one is GATE_NO_WINDOW's business.
      applies: (c) => c.release.windowStart !== null && c.release.windowEnd !== null,
      met: (c) => (c.release.windowStart ?? 0) < (c.release.windowEnd ?? 0),
    },
    WINDOW_IN_FREEZE,
    { code: 'GATE_NO_LEAD', met: (c) => c.release.leadAccountId !== null },
    {
      code: 'GATE_NO_LINKED_CHANGE',
      enabled: (p) => p.gates.requireLinkedChange,
      met: (c) => nonBlank(c.release.linkedChangeKey),
    },
  ],
  reject: [],
  startBuild: [
    composition('GATE_TEAM_NO_LEAD'),
    // "The team's lead is the assigned lead" and "no forbidden dual role" say nothing of a team without a lead
    // or without members: their absence is another condition's business.
    composition('GATE_TEAM_LEAD_MISMATCH', (c) => activeMembers(c.team).some((m) => m.teamRole === 'LEAD')),
    composition('GATE_TEAM_NO_SOFTWARE_CONTROL_LEAD'),
    composition('GATE_TEAM_NO_TRAINING_LEAD'),
    composition('GATE_TEAM_NO_TEST_EXPERT'),
    composition('GATE_TEAM_DUAL_ROLE', (c) => activeMembers(c.team).length > 0),
    { code: 'GATE_NO_PLAN_SCOPE', met: (c) => nonBlank(c.release.plan?.scope) },
    { code: 'GATE_NO_PLAN_SCHEDULE', met: (c) => nonBlank(c.release.plan?.schedule) },
    { code: 'GATE_NO_PLANNED_EFFORT', met: (c) => (c.release.plan?.plannedEffortHours ?? 0) > 0 },
    { code: 'GATE_NO_FALLBACK_STEP', met: (c) => hasFallbackStep(c.fallbackPlan) },
    { code: 'GATE_NO_FALLBACK_TRIGGER', met: (c) => hasFallbackTrigger(c.fallbackPlan) },
  ],
  markReady: [
    { code: 'GATE_INTEGRATION_TEST_NOT_PASSED', met: (c) => c.release.tests.integration?.passed === true },
    { code: 'GATE_UAT_NOT_PASSED', met: (c) => c.release.tests.uat?.passed === true },
    { code: 'GATE_NO_PASSED_REHEARSAL', met: (c) => hasPassedRehearsal(c.fallbackPlan) },
    { code: 'GATE_NO_DSL_ITEMS', met: (c) => c.dslItems.length > 0 },
    // "Every item approved / checked in" needs items to be about (GATE_NO_DSL_ITEMS asks for them).
    { code: 'GATE_DSL_ITEM_NOT_APPROVED', applies: (c) => c.dslItems.length > 0, met: (c) => c.dslItems.every((i) => i.status !== 'REGISTERED') },
    {
      code: 'GATE_DSL_ITEM_NOT_CHECKED_IN',
      applies: (c) => c.dslItems.length > 0,
      met: (c) => c.dslItems.every((i) => i.status === 'IN_LIBRARY' || i.status === 'REGISTERED'),
    },
    {
      code: 'GATE_HELP_DESK_TRAINING_NOT_DELIVERED',
      enabled: (p) => p.gates.requireHelpDeskTraining,
      met: (c) => helpDeskTrainingDelivered(c.trainingTasks),
    },
    {
      code: 'GATE_DEPARTMENT_OPINIONS_MISSING',
      enabled: (p) => p.gates.requireDepartmentOpinions,
      met: (c) => c.release.departmentOpinions.length > 0,
    },
    { code: 'GATE_NO_IMPLEMENTER', met: (c) => activeMembers(c.team).some((m) => m.teamRole === 'IMPLEMENTER') },
  ],
  startImplementation: [
    {
      code: 'GATE_OUTSIDE_WINDOW',
      met: (c, now) =>
        c.release.emergencyOverride !== null ||
        (c.release.windowStart !== null && c.release.windowEnd !== null && c.release.windowStart <= now && now <= c.release.windowEnd),
    },
    {
      // Refused inside a hard freeze that covers the release, unless a release manager recorded an exception.
      code: 'GATE_HARD_FREEZE',
      applies: (_c, _now, p) => p.freezes.some((f) => f.severity === 'HARD'),
      met: (c, now, p) => c.release.freezeException !== null || !inForce(c, now, p, 'HARD'),
    },
    {
      code: 'GATE_SOFT_FREEZE',
      advisory: true,
      applies: (_c, _now, p) => p.freezes.some((f) => f.severity === 'SOFT'),
      met: (c, now, p) => !inForce(c, now, p, 'SOFT'),
    },
    WINDOW_IN_FREEZE,
  ],
  markDeployed: [
    { code: 'GATE_NO_DEPLOYMENT_RESULT', met: (c) => c.release.deployment !== null },
    {
      code: 'GATE_DEPLOYMENT_FAILED',
      // Nothing is "succeeded" before a result exists; a missing result is GATE_NO_DEPLOYMENT_RESULT's business.
      applies: (c) => c.release.deployment !== null,
      met: (c) => c.release.deployment?.succeeded === true,
    },
  ],
  invokeFallback: [],
  completeFallback: [
    {
      code: 'GATE_NO_FALLBACK_RESULT',
      met: (c) => !!c.fallbackPlan?.execution?.result && c.fallbackPlan.execution.executedBy !== null,
    },
  ],
  verifyAndClose: [
    { code: 'GATE_NO_OPERATIONAL_ACCEPTANCE', met: (c) => c.release.operationalAcceptance?.accepted === true },
    { code: 'GATE_RELEASE_RESULT_NOT_CONFIRMED', met: (c) => c.release.operationalAcceptance?.resultConfirmed === true },
    {
      code: 'GATE_NO_BUSINESS_CUTOVER',
      enabled: (p) => p.gates.requireBusinessCutover,
      met: (c) => c.release.cutover?.confirmed === true,
    },
  ],
  cancel: [],
};

/**
 * Conditions an action adds to its transition's gate because of who makes it. A pipeline marking a release
 * deployed stands in for an implementer's act, so an implementer must be on the team to answer for it (a
 * person's mark-deployed has one by construction: the implementer is the actor). Segregation of duties is
 * untouched: the pipeline holds no role, joins no team and can verify nothing.
 */
export const ACTION_CONDITIONS: Readonly<Partial<Record<Action, readonly GateCondition[]>>> = {
  pipelineMarkDeployed: [{ code: 'GATE_NO_IMPLEMENTER', met: (c) => activeMembers(c.team).some((m) => m.teamRole === 'IMPLEMENTER') }],
};

/** The unmet conditions the action itself adds (ACTION_CONDITIONS), in order. */
export function unmetActionConditions(action: Action, ctx: ReleaseContext, now: number, policy: Policy): GateReasonCode[] {
  return (ACTION_CONDITIONS[action] ?? [])
    .filter((g) => (!g.enabled || g.enabled(policy)) && (!g.applies || g.applies(ctx, now, policy)) && !g.advisory)
    .filter((g) => !g.met(ctx, now, policy))
    .map((g) => g.code);
}

export interface GateCheck {
  readonly code: GateReasonCode;
  readonly met: boolean;
  /** Flagged only: an unmet advisory condition does not block the transition. */
  readonly advisory?: true;
}

/** Every condition of the transition's gate that the policy enables, with whether it holds. */
export function evaluateGate(action: TransitionAction, ctx: ReleaseContext, now: number, policy: Policy): GateCheck[] {
  return GATES[action]
    .filter((g) => (!g.enabled || g.enabled(policy)) && (!g.applies || g.applies(ctx, now, policy)))
    .map((g) => ({ code: g.code, met: g.met(ctx, now, policy), ...(g.advisory ? { advisory: true as const } : {}) }));
}

/** The unmet blocking conditions only, in gate order. */
export function unmetGateConditions(
  action: TransitionAction,
  ctx: ReleaseContext,
  now: number,
  policy: Policy,
): GateReasonCode[] {
  return evaluateGate(action, ctx, now, policy)
    .filter((c) => !c.met && !c.advisory)
    .map((c) => c.code);
}

/** The unmet advisory conditions (warnings), in gate order. */
export function unmetAdvisoryConditions(action: TransitionAction, ctx: ReleaseContext, now: number, policy: Policy): GateReasonCode[] {
  return evaluateGate(action, ctx, now, policy)
    .filter((c) => !c.met && c.advisory)
    .map((c) => c.code);
}

export interface GateChecklist {
  /** The forward transition the release waits for; null in a terminal status. */
  readonly action: TransitionAction | null;
  readonly items: readonly GateCheck[];
  readonly allMet: boolean;
}

/** The gate checklist the panel shows: each condition of the next transition, met or not. */
export function nextStepChecklist(ctx: ReleaseContext, policy: Policy, now: number): GateChecklist {
  const action = NEXT_TRANSITION[ctx.release.status];
  if (!action) return { action: null, items: [], allMet: false };
  const items = evaluateGate(action, ctx, now, policy);
  return { action, items, allMet: items.every((i) => i.met || i.advisory) };
}
