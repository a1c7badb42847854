import { ACTION_TABLE, type Who } from '../domain/actions';
import type { ReleaseContext } from '../domain/context';
import { TRANSITION_ACTIONS, TRANSITIONS, TRANSITIONS_NEEDING_REASON, lifecyclePath, transitionsFrom, type TransitionAction } from '../domain/lifecycle';
import type { Release } from '../domain/release';
import { RELEASE_STATUSES, type ReleaseStatus } from '../domain/release';
import type { StandingRole } from '../domain/roles';
import { releaseKpiFacts } from '../domain/kpi';
import { releaseKpiProperty, type ReleaseKpiProperty } from '../domain/kpiDrill';
import type { Policy } from '../domain/policy';
import { activeMembers } from '../domain/team';

/**
 * The Jira side of the lifecycle, generated from the domain's one table (`ACTION_TABLE`, `TRANSITIONS`) so
 * that Jira's workflow, its condition and the app's own checks cannot drift: who may fire a transition
 * becomes the condition's config (project-role ids for standing roles, team slots for per-release roles),
 * and the release's current holders of the per-release roles are mirrored to an issue entity property that
 * the condition reads.
 */

/** The issue entity property the app keeps in step with the release (also indexed for JQL). */
export const RELEASE_PROPERTY_KEY = 'release-governance';

/** Per-release roles that the condition resolves from the mirrored property. */
export const TEAM_SLOTS = ['RELEASE_LEAD', 'TEAM_IMPLEMENTER', 'TEAM_TRAINING_LEAD', 'TEAM_TEST_EXPERT', 'SOFTWARE_CONTROL_LEAD'] as const;
export type TeamSlot = (typeof TEAM_SLOTS)[number];

const STANDING_WHO: Readonly<Partial<Record<Who, StandingRole>>> = {
  PROCESS_OWNER: 'PROCESS_OWNER',
  RELEASE_MANAGER: 'RELEASE_MANAGER',
  BUSINESS_LEAD: 'BUSINESS_LEAD',
  OPERATIONS_LEAD: 'OPERATIONS_LEAD',
  SOFTWARE_CONTROL_LEAD: 'SOFTWARE_CONTROL_LEAD',
};

/**
 * The `jira:workflowCondition` expression (manifest.yml carries the same text; a test checks they agree).
 * `config.roleIds`: project roles that may fire the transition; `config.slots`: per-release roles, whose
 * holders are read from the issue property; `config.catchUp`: the record states (status, or `CLOSED/outcome`)
 * in which this transition is a step that brings a lagging Jira to the record — offered to anyone then, since
 * the validator lets exactly those steps through and they change no record (the app's own effects outbox
 * makes them, as the user or as the app).
 */
export const CONDITION_EXPRESSION =
  "user.getProjectRoles(project).some(r => config['roleIds'].includes(r.id)) || " +
  `(issue.properties['${RELEASE_PROPERTY_KEY}'] != null && (config['slots'].some(s => (issue.properties['${RELEASE_PROPERTY_KEY}']['holders'][s] ?? []).includes(user.accountId)) || ` +
  `(config['catchUp'] ?? []).includes(issue.properties['${RELEASE_PROPERTY_KEY}']['status'] == 'CLOSED' ? 'CLOSED/' + issue.properties['${RELEASE_PROPERTY_KEY}']['outcome'] : issue.properties['${RELEASE_PROPERTY_KEY}']['status'])))`;

export interface ConditionConfig {
  action: TransitionAction;
  roleIds: number[];
  slots: TeamSlot[];
  catchUp: string[];
  /** Segregation-of-duties rules of the action (read by the role validator, not by the condition). */
  sod: string[];
}

const CLOSING_OUTCOMES: Partial<Record<TransitionAction, readonly string[]>> = { verifyAndClose: ['SUCCESS'], completeFallback: ['ROLLED_BACK', 'FAILED'] };

/** Record states in which `action` lies on the way from its source status to the record's status. */
export function catchUpStates(action: TransitionAction): string[] {
  const reach = new Set<ReleaseStatus>([TRANSITIONS[action].to]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of [...reach]) {
      for (const a of transitionsFrom(s)) {
        if (reach.has(TRANSITIONS[a].to)) continue;
        reach.add(TRANSITIONS[a].to);
        grew = true;
      }
    }
  }
  const states: string[] = [...reach].filter((s) => s !== 'CLOSED');
  if (reach.has('CLOSED')) {
    for (const [closing, outcomes] of Object.entries(CLOSING_OUTCOMES) as [TransitionAction, readonly string[]][]) {
      const before = TRANSITIONS[closing].from;
      if (closing === action || before.some((s) => reach.has(s))) states.push(...outcomes.map((o) => `CLOSED/${o}`));
    }
  }
  return RELEASE_STATUSES.flatMap((s) => (s === 'CLOSED' ? states.filter((x) => x.startsWith('CLOSED/')).sort() : states.includes(s) ? [s] : []));
}

/**
 * Whether firing `action` from Jira's status `from` brings Jira closer to the record (the validator's
 * catch-up rule): the step leaves `from`, and the release went through its target on the way to where it is.
 */
export function isCatchUpStep(from: ReleaseStatus, action: TransitionAction, release: Pick<Release, 'status' | 'statusEnteredAt'>): boolean {
  if (!TRANSITIONS[action].from.includes(from) || from === release.status) return false;
  const to = TRANSITIONS[action].to;
  if (to === release.status) return true;
  if (release.statusEnteredAt[to] === undefined) return false;
  const rest = lifecyclePath(to, release);
  return rest !== null && rest.length > 0;
}

const P = `issue.properties['${RELEASE_PROPERTY_KEY}']`;

/**
 * Segregation of duties as Jira can check it with `user` (the role validator), from facts the app mirrors on
 * the issue and the function validator proves equal to its records: a requester may not approve their own
 * release, a former implementer may not verify it — when the project's policy (`sod`) asks for it.
 */
export const SOD_EXPRESSION =
  `(${P} == null || ${P}['sod'] != true || ` +
  `((!(config['sod'] ?? []).includes('REQUESTER_NOT_APPROVER') || ${P}['requester'] != user.accountId) && ` +
  `(!(config['sod'] ?? []).includes('IMPLEMENTER_NOT_VERIFIER') || !(${P}['implementersEver'] ?? []).includes(user.accountId))))`;

/**
 * The role validator's expression (manifest `release-role-validator`): who may make the transition (the
 * condition's own expression: what Jira offers is what it lets through) and segregation of duties. It has
 * `user` whether or not Jira passes the principal to the function validator.
 */
export const ROLE_VALIDATOR_EXPRESSION = `(${CONDITION_EXPRESSION}) && ${SOD_EXPRESSION}`;


/**
 * Transitions that need a reason (reject, cancel, invoke fallback) are fired from the app's panel, which asks
 * for it; Jira's workflow has no screen to ask, so its menu does not offer them to anyone (they appear there
 * only as catch-up steps, which need no reason).
 */
export function conditionConfig(action: TransitionAction, roleIds: Readonly<Partial<Record<StandingRole, number>>>): ConditionConfig {
  const catchUp = catchUpStates(action);
  if (TRANSITIONS_NEEDING_REASON.includes(action)) return { action, roleIds: [], slots: [], catchUp, sod: [...(ACTION_TABLE[action].sod ?? [])] };
  const who = ACTION_TABLE[action].who;
  const ids = who.flatMap((w) => {
    const role = STANDING_WHO[w];
    const id = role ? roleIds[role] : undefined;
    return id === undefined ? [] : [id];
  });
  const slots = who.filter((w): w is TeamSlot => (TEAM_SLOTS as readonly string[]).includes(w));
  return { action, roleIds: ids, slots, catchUp, sod: [...(ACTION_TABLE[action].sod ?? [])] };
}

/** What Jira sees of a release: indexed for JQL, read by the workflow condition. */
export interface ReleaseProperty {
  releaseId: string;
  status: ReleaseStatus;
  classification: string | null;
  riskLevel: string | null;
  outcome: string | null;
  lead: string | null;
  windowStart: number | null;
  windowEnd: number | null;
  teamAccountIds: string[];
  holders: Record<TeamSlot, string[]>;
  /** Facts of segregation of duties (read by the role validator): who requested, who ever implemented, whether the policy asks. */
  requester: string | null;
  implementersEver: string[];
  sod: boolean;
  version: number;
  /** A closed release's KPI facts (the drill-down's JQL); absent before it closes. */
  kpi?: ReleaseKpiProperty;
}

/**
 * The facts the role validator reads from the property, which the function validator checks equal the records
 * (`sod` separately: a property stricter than the policy only refuses more, so only a missing `sod` matters).
 */
export function validatorFacts(p: Pick<ReleaseProperty, 'status' | 'holders' | 'requester' | 'implementersEver'>): string {
  const sorted = (xs: readonly string[] | undefined) => [...(xs ?? [])].sort();
  return JSON.stringify({
    status: p.status,
    holders: TEAM_SLOTS.map((s) => sorted(p.holders?.[s])),
    requester: p.requester ?? null,
    implementersEver: sorted(p.implementersEver),
  });
}

/** With the project's policy, a closed release's property carries its KPI facts (`releaseKpiProperty`). */
export function releaseProperty(ctx: ReleaseContext, policy?: Policy): ReleaseProperty {
  const facts = policy ? releaseKpiFacts(ctx, policy) : null;
  const members = activeMembers(ctx.team);
  const holding = (role: string) => [...new Set(members.filter((m) => m.teamRole === role).map((m) => m.accountId))];
  const r = ctx.release;
  return {
    releaseId: r.id,
    status: r.status,
    classification: r.classification,
    riskLevel: r.riskLevel,
    outcome: r.outcome,
    lead: r.leadAccountId,
    windowStart: r.windowStart,
    windowEnd: r.windowEnd,
    teamAccountIds: [...new Set(members.map((m) => m.accountId))],
    holders: {
      RELEASE_LEAD: r.leadAccountId ? [r.leadAccountId] : [],
      TEAM_IMPLEMENTER: holding('IMPLEMENTER'),
      TEAM_TRAINING_LEAD: holding('TRAINING_LEAD'),
      TEAM_TEST_EXPERT: holding('TEST_EXPERT'),
      SOFTWARE_CONTROL_LEAD: holding('SOFTWARE_CONTROL_LEAD'),
    },
    requester: r.requesterAccountId ?? null,
    implementersEver: [...new Set((ctx.team?.members ?? []).filter((m) => m.teamRole === 'IMPLEMENTER').map((m) => m.accountId))],
    // Without the policy at hand, enforce: a stricter mirror is refused by nobody who may act.
    sod: policy?.segregationOfDuties ?? true,
    version: r.version,
    ...(facts ? { kpi: releaseKpiProperty(facts) } : {}),
  };
}

/** Jira status names and categories for the statuses set-up creates (names are Jira's, one language). */
export const STATUS_SPECS: Readonly<Record<ReleaseStatus, { name: string; category: 'TODO' | 'IN_PROGRESS' | 'DONE'; description: string }>> = {
  SUBMITTED: { name: 'Release Submitted', category: 'TODO', description: 'Release request awaiting the release manager’s review.' },
  PLANNING: { name: 'Release Planning', category: 'IN_PROGRESS', description: 'Approved; the release team plans the release.' },
  BUILD_TEST: { name: 'Release Build & Test', category: 'IN_PROGRESS', description: 'Being built, integration-tested and accepted.' },
  READY: { name: 'Release Ready', category: 'IN_PROGRESS', description: 'Every readiness gate passed; waiting for the window.' },
  IMPLEMENTING: { name: 'Release Implementing', category: 'IN_PROGRESS', description: 'Being deployed by the implementers.' },
  VERIFYING: { name: 'Release Verifying', category: 'IN_PROGRESS', description: 'Deployed; the operations lead verifies.' },
  ROLLING_BACK: { name: 'Release Rolling Back', category: 'IN_PROGRESS', description: 'The fallback plan is being executed.' },
  CLOSED: { name: 'Release Closed', category: 'DONE', description: 'Closed with an outcome.' },
  REJECTED: { name: 'Release Rejected', category: 'DONE', description: 'Rejected by the release manager.' },
  CANCELLED: { name: 'Release Cancelled', category: 'DONE', description: 'Cancelled before implementation.' },
};

export const TRANSITION_NAMES: Readonly<Record<TransitionAction, string>> = {
  approve: 'Approve release',
  reject: 'Reject release',
  startBuild: 'Start build',
  markReady: 'Mark ready',
  startImplementation: 'Start implementation',
  markDeployed: 'Mark deployed',
  invokeFallback: 'Invoke fallback',
  completeFallback: 'Fallback done',
  verifyAndClose: 'Verify and close',
  cancel: 'Cancel release',
};

/** Jira transition ids: stable numbers, one per action, so the validator can tell which action is fired. */
export const TRANSITION_IDS: Readonly<Record<TransitionAction, string>> = Object.fromEntries(
  TRANSITION_ACTIONS.map((a, i) => [a, String(11 + i * 10)]),
) as Record<TransitionAction, string>;

export function actionForTransitionId(id: string | number): TransitionAction | null {
  const found = TRANSITION_ACTIONS.find((a) => TRANSITION_IDS[a] === String(id));
  return found ?? null;
}

/** The action that moves a release from one status to another, if the lifecycle has one. */
export function actionForStatusChange(from: ReleaseStatus, to: ReleaseStatus): TransitionAction | null {
  return TRANSITION_ACTIONS.find((a) => TRANSITIONS[a].to === to && TRANSITIONS[a].from.includes(from)) ?? null;
}

export function statusForId(statusIds: Readonly<Partial<Record<ReleaseStatus, string>>>, id: string): ReleaseStatus | null {
  return RELEASE_STATUSES.find((s) => statusIds[s] === id) ?? null;
}

/** Forge extension ARI of a module, as Jira's workflow rules reference it. */
export function extensionAri(appAri: string, environmentAri: string, moduleKey: string): string {
  const appId = appAri.split('/').pop() ?? appAri;
  const envId = environmentAri.split('/').pop() ?? environmentAri;
  return `ari:cloud:ecosystem::extension/${appId}/${envId}/static/${moduleKey}`;
}

export const CONDITION_MODULE_KEY = 'release-role-condition';
export const VALIDATOR_MODULE_KEY = 'release-gate-validator';
/** The Jira-expression validator: the condition's expression, enforced when the transition is made. */
export const ROLE_VALIDATOR_MODULE_KEY = 'release-role-validator';
export const WORKFLOW_NAME = 'Release Governance – Release Request';

/**
 * The workflow's name in one environment: production keeps the plain name; development and staging
 * installations on the same site get their own workflow, named after the environment, so that none finds and
 * reuses another's (whose rules would point at the other environment's app).
 */
export function workflowNameFor(environmentType: string, environmentId: string): string {
  if (environmentType === 'PRODUCTION') return WORKFLOW_NAME;
  return `${WORKFLOW_NAME} (${environmentType.toLowerCase()} ${environmentId.slice(0, 8)})`;
}
