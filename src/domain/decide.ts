/**
 * The one decision function: may this actor take this action on this release now?
 * Every entry point (panel, workflow condition/validator, REST) asks it; the UI may ask it to grey out buttons.
 */
import { ACTION_TABLE, ACTIONS, type Action, type InputRule, type SodRule, type Who } from './actions';
import type { ReleaseContext } from './context';
import { dslNextStatus, isDslAction, type DslItemSummary } from './dsl';
import { unmetActionConditions, unmetAdvisoryConditions, unmetGateConditions } from './gates';
import type { Policy } from './policy';
import type { GateReasonCode, ReasonCode, RoleReasonCode } from './reasons';
import { hasStandingRole, TEAM_ROLE_POOL, type Actor, type StandingRole, type TeamRole } from './roles';
import { dualRoleConflict, everHeldTeamRole, holdsTeamRole, isDissolved, wasTeamMember } from './team';

/** The action's input, when the caller wants it checked too. */
export interface DecideExtras {
  /** reject, cancel, invokeFallback, recordEmergencyOverride. */
  readonly reason?: string;
  /** changeTeam. */
  readonly teamChange?: 'ADD' | 'REMOVE';
  readonly teamRole?: TeamRole;
  /** changeTeam, addImplementer, assignLead, evaluateParticipant. */
  readonly targetAccountId?: string;
  /** The target's standing roles in the project (pool checks). */
  readonly targetStandingRoles?: readonly StandingRole[];
  /** What Jira says of the target account (asked by the service): a person who may browse the project, or not. */
  readonly targetAccount?: TargetAccount;
  /** DSL actions other than register: the item acted on. */
  readonly dslItem?: DslItemSummary | null;
  /** dslCheckOut: the approved usage request it fulfils. */
  readonly usageRequestId?: string;
}

/** A person Jira knows who may browse the project; an account Jira does not know; one who cannot browse. */
export type TargetAccount = 'BROWSES' | 'UNKNOWN' | 'CANNOT_BROWSE';

/** The refusal of a target account, if any (an account not yet asked about is not refused here). */
export function targetAccountProblem(account: TargetAccount | undefined): ReasonCode | null {
  if (account === 'UNKNOWN') return 'TARGET_UNKNOWN_ACCOUNT';
  if (account === 'CANNOT_BROWSE') return 'TARGET_CANNOT_BROWSE';
  return null;
}

/** Allowed decisions may carry warnings: advisory gate conditions that do not hold (a soft freeze, a window in a freeze). */
export type Decision =
  | { readonly allowed: true; readonly warnings?: readonly GateReasonCode[] }
  | { readonly allowed: false; readonly reasons: readonly ReasonCode[] };

const WHO_REFUSAL: Readonly<Record<Exclude<Who, 'ANYONE'>, RoleReasonCode>> = {
  PROCESS_OWNER: 'NOT_PROCESS_OWNER',
  RELEASE_MANAGER: 'NOT_RELEASE_MANAGER',
  RELEASE_LEAD: 'NOT_RELEASE_LEAD',
  TEAM_IMPLEMENTER: 'NOT_TEAM_IMPLEMENTER',
  TEAM_TRAINING_LEAD: 'NOT_TEAM_TRAINING_LEAD',
  TEAM_TEST_EXPERT: 'NOT_TEAM_TEST_EXPERT',
  SOFTWARE_CONTROL_LEAD: 'NOT_SOFTWARE_CONTROL_LEAD',
  BUSINESS_LEAD: 'NOT_BUSINESS_LEAD',
  OPERATIONS_LEAD: 'NOT_OPERATIONS_LEAD',
  PIPELINE: 'NOT_PIPELINE',
};

/** Does the actor qualify as `who` for this release? */
export function actorIs(actor: Actor, who: Who, ctx: ReleaseContext | null): boolean {
  const team = ctx?.team ?? null;
  const id = actor.accountId;
  switch (who) {
    case 'ANYONE':
      return actor.canBrowse;
    case 'PIPELINE':
      return actor.pipeline === true;
    case 'PROCESS_OWNER':
    case 'RELEASE_MANAGER':
    case 'BUSINESS_LEAD':
    case 'OPERATIONS_LEAD':
      return hasStandingRole(actor.standingRoles, who);
    case 'RELEASE_LEAD':
      return !!ctx && ctx.release.leadAccountId === id;
    case 'TEAM_IMPLEMENTER':
      return holdsTeamRole(team, id, 'IMPLEMENTER');
    case 'TEAM_TRAINING_LEAD':
      return holdsTeamRole(team, id, 'TRAINING_LEAD');
    case 'TEAM_TEST_EXPERT':
      return holdsTeamRole(team, id, 'TEST_EXPERT');
    case 'SOFTWARE_CONTROL_LEAD':
      return hasStandingRole(actor.standingRoles, 'SOFTWARE_CONTROL_LEAD') || holdsTeamRole(team, id, 'SOFTWARE_CONTROL_LEAD');
  }
}

function sodViolations(rules: readonly SodRule[], actor: Actor, ctx: ReleaseContext): ReasonCode[] {
  const out: ReasonCode[] = [];
  for (const rule of rules) {
    if (rule === 'REQUESTER_NOT_APPROVER' && ctx.release.requesterAccountId === actor.accountId) out.push('SOD_REQUESTER_APPROVER');
    if (rule === 'IMPLEMENTER_NOT_VERIFIER' && everHeldTeamRole(ctx.team, actor.accountId, 'IMPLEMENTER')) out.push('SOD_IMPLEMENTER_VERIFIER');
    if (rule === 'REQUESTER_NOT_FREEZE_EXCEPTION_GRANTOR' && ctx.release.requesterAccountId === actor.accountId) out.push('SOD_REQUESTER_FREEZE_EXCEPTION');
  }
  return out;
}

const blank = (s: string | undefined): boolean => s === undefined || s.trim().length === 0;

function inPool(role: TeamRole, standing: readonly StandingRole[] | undefined): boolean {
  const pool = TEAM_ROLE_POOL[role];
  return pool === undefined || (standing ?? []).includes(pool);
}

function addMemberProblems(ctx: ReleaseContext | null, target: string, role: TeamRole, x: DecideExtras, policy: Policy): ReasonCode[] {
  const team = ctx?.team ?? null;
  const out: ReasonCode[] = [];
  const account = targetAccountProblem(x.targetAccount);
  if (account) out.push(account);
  if (isDissolved(team)) out.push('TEAM_DISSOLVED');
  if (holdsTeamRole(team, target, role)) out.push('TEAM_ALREADY_IN_ROLE');
  if (!inPool(role, x.targetStandingRoles)) out.push('TARGET_NOT_IN_ROLE_POOL');
  if (dualRoleConflict(team, target, role, policy) !== null) out.push('TEAM_DUAL_ROLE_FORBIDDEN');
  if (role === 'LEAD' && ctx?.release.leadAccountId !== target) out.push('TEAM_LEAD_NOT_ASSIGNED_LEAD');
  return out;
}

function inputProblems(
  action: Action,
  rules: readonly InputRule[],
  ctx: ReleaseContext | null,
  x: DecideExtras,
  policy: Policy,
): ReasonCode[] {
  const out: ReasonCode[] = [];
  const target = blank(x.targetAccountId) ? null : (x.targetAccountId as string);
  for (const rule of rules) {
    switch (rule) {
      case 'REASON':
        if (blank(x.reason)) out.push('REASON_REQUIRED');
        break;
      case 'LEAD_TARGET':
        if (!target) out.push('TARGET_REQUIRED');
        else {
          const account = targetAccountProblem(x.targetAccount);
          if (account) out.push(account);
          if (!(x.targetStandingRoles ?? []).includes('RELEASE_LEAD')) out.push('TARGET_NOT_IN_ROLE_POOL');
        }
        break;
      case 'IMPLEMENTER_TARGET':
        if (!target) out.push('TARGET_REQUIRED');
        else out.push(...addMemberProblems(ctx, target, 'IMPLEMENTER', x, policy));
        break;
      case 'TEAM_CHANGE':
        if (!target) out.push('TARGET_REQUIRED');
        if (!x.teamRole) out.push('TEAM_ROLE_REQUIRED');
        if (target && x.teamRole) {
          if (x.teamChange === 'REMOVE') {
            if (!holdsTeamRole(ctx?.team ?? null, target, x.teamRole)) out.push('TARGET_NOT_TEAM_MEMBER');
          } else {
            out.push(...addMemberProblems(ctx, target, x.teamRole, x, policy));
          }
        }
        break;
      case 'EVALUATION_TARGET':
        if (!target) out.push('TARGET_REQUIRED');
        else if (!wasTeamMember(ctx?.team ?? null, target)) out.push('TARGET_NOT_TEAM_MEMBER');
        break;
      case 'DSL_ITEM':
        if (!x.dslItem) out.push('DSL_ITEM_REQUIRED');
        else if (action === 'dslCheckIn' && x.dslItem.status === 'REGISTERED') out.push('DSL_NOT_APPROVED');
        else if (isDslAction(action) && dslNextStatus(action, x.dslItem.status) === null) out.push('DSL_WRONG_STATUS');
        break;
      case 'USAGE_REQUEST':
        if (blank(x.usageRequestId)) out.push('DSL_USAGE_REQUEST_REQUIRED');
        break;
    }
  }
  return out;
}

/**
 * May `actor` take `action` on `ctx` at `now` under `policy`?
 *
 * Refusals list every failing condition, in this order: role, status, segregation of duties, gate
 * (only when the status is right), input. An actor who cannot browse the project gets only CANNOT_BROWSE.
 * Pass `extras` to check the action's input as well; omit it to ask whether the actor could take the
 * action at all (e.g. to show a button).
 */
export function decide(
  actor: Actor,
  ctx: ReleaseContext | null,
  action: Action,
  now: number,
  policy: Policy,
  extras?: DecideExtras,
): Decision {
  if (!actor.canBrowse) return { allowed: false, reasons: ['CANNOT_BROWSE'] };
  const def = ACTION_TABLE[action];
  if (def.scope === 'release' && !ctx) return { allowed: false, reasons: ['RELEASE_REQUIRED'] };

  const reasons: ReasonCode[] = [];
  if (!def.who.some((w) => actorIs(actor, w, ctx))) {
    for (const w of def.who) if (w !== 'ANYONE') reasons.push(WHO_REFUSAL[w]);
  }

  const statusOk = def.statuses === 'ANY' || (!!ctx && def.statuses.includes(ctx.release.status));
  if (!statusOk) reasons.push('WRONG_STATUS');

  if (ctx && def.sod && policy.segregationOfDuties) reasons.push(...sodViolations(def.sod, actor, ctx));

  if (ctx && statusOk && def.transition) reasons.push(...unmetGateConditions(def.transition, ctx, now, policy));
  if (ctx && statusOk) reasons.push(...unmetActionConditions(action, ctx, now, policy));

  if (extras && def.input) reasons.push(...inputProblems(action, def.input, ctx, extras, policy));

  const unique = [...new Set(reasons)];
  if (unique.length > 0) return { allowed: false, reasons: unique };
  const warnings = ctx && def.transition ? unmetAdvisoryConditions(def.transition, ctx, now, policy) : [];
  return warnings.length > 0 ? { allowed: true, warnings } : { allowed: true };
}

/**
 * The part of a transition's decision that does not depend on who makes it: the release's status and the
 * transition's gate. Jira's function validator runs without a user (Forge documents no principal), so it asks
 * this, while the role validator (a Jira expression with `user`) checks role and segregation of duties.
 */
export function decideTransitionGate(ctx: ReleaseContext, action: Action, now: number, policy: Policy): Decision {
  const def = ACTION_TABLE[action];
  const reasons: ReasonCode[] = [];
  const statusOk = def.statuses === 'ANY' || def.statuses.includes(ctx.release.status);
  if (!statusOk) reasons.push('WRONG_STATUS');
  if (statusOk && def.transition) reasons.push(...unmetGateConditions(def.transition, ctx, now, policy));
  const unique = [...new Set(reasons)];
  return unique.length === 0 ? { allowed: true } : { allowed: false, reasons: unique };
}

/** The actions the actor may take on the release now (input not checked): what the UI offers. */
export function availableActions(actor: Actor, ctx: ReleaseContext | null, now: number, policy: Policy): Action[] {
  return ACTIONS.filter((a) => (ACTION_TABLE[a].scope === 'project' || ctx) && decide(actor, ctx, a, now, policy).allowed);
}
