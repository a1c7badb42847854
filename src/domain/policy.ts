/** Project policy (SPEC §4 "Policy and setup"): gate switches, segregation of duties, team rules, KPI targets. */
import type { FreezeWindow } from './freeze';
import { KPI_NAMES, type KpiName } from './kpiCatalog';
import type { TeamRole } from './roles';

export interface GateSwitches {
  /** approve needs a linked change request. */
  readonly requireLinkedChange: boolean;
  /** markReady needs delivered help-desk training. */
  readonly requireHelpDeskTraining: boolean;
  /** markReady needs at least one department opinion. */
  readonly requireDepartmentOpinions: boolean;
  /** verifyAndClose needs the business lead's cutover confirmation. */
  readonly requireBusinessCutover: boolean;
}

export interface Policy {
  readonly gates: GateSwitches;
  /** Requester may not approve; operations lead who verifies may not be an implementer. */
  readonly segregationOfDuties: boolean;
  /** May one person hold two team roles in one release? */
  readonly allowDualTeamRoles: boolean;
  /** Pairs never allowed together, even when dual roles are allowed. */
  readonly forbiddenTeamRolePairs: readonly (readonly [TeamRole, TeamRole])[];
  /** Days a SUBMITTED release may wait for review before it is overdue. */
  readonly reviewSlaDays: number;
  /** Hours after deployment within which DSL check-in and environment versions must be updated. */
  readonly dslTimelyUpdateHours: number;
  readonly kpiTargets: Readonly<Record<KpiName, number>>;
  /** The project's IANA time zone: recurring freezes are wall-clock rules in it. */
  readonly timeZone: string;
  /** Change freezes, kept by the process owner and the release manager. */
  readonly freezes: readonly FreezeWindow[];
  /**
   * The environment whose pipeline `finished: success` marks the release deployed (IMPLEMENTING → VERIFYING,
   * through `decide`, as the pipeline); null: off, a person marks deployed. A success in any other environment
   * (a staging run) is recorded only.
   */
  readonly pipelineDeployEnvironment: string | null;
}

export const DEFAULT_KPI_TARGETS: Readonly<Record<KpiName, number>> = {
  RELEASE_SUCCESS_RATE: 0.95,
  RELEASE_TIMELINESS: 0.9,
  RELEASE_EFFICIENCY_MEDIAN_DAYS: 14,
  RELEASE_EFFICIENCY_WITHIN_PLAN: 0.8,
  RESOURCE_USE: 0.9,
  PROCESS_EFFECTIVENESS: 0.85,
  PROCESS_COMPLETENESS: 0.95,
  PROCESS_OPTIMISATION_TIMELINESS: 0.9,
  TRAINING_TIMELINESS: 0.9,
  TRAINEE_PASS_RATE: 0.9,
  DSL_ACCURACY: 0.98,
  DSL_TIMELY_UPDATE_RATE: 0.95,
  ROLLBACK_RATE: 0.05,
  EMERGENCY_SHARE: 0.1,
  MEAN_TIME_TO_ROLLBACK_MINUTES: 60,
  DEPLOYMENT_FREQUENCY: 1,
  LEAD_TIME_FROM_APPROVAL_DAYS: 14,
  LEAD_TIME_FROM_REQUEST_DAYS: 21,
  CHANGE_FAILURE_RATE: 0.15,
  RECOVERY_TIME_MINUTES: 60,
};

export const DEFAULT_POLICY: Policy = {
  gates: {
    requireLinkedChange: true,
    requireHelpDeskTraining: true,
    requireDepartmentOpinions: true,
    requireBusinessCutover: true,
  },
  segregationOfDuties: true,
  allowDualTeamRoles: true,
  forbiddenTeamRolePairs: [['LEAD', 'TEST_EXPERT']],
  reviewSlaDays: 5,
  dslTimelyUpdateHours: 24,
  kpiTargets: DEFAULT_KPI_TARGETS,
  timeZone: 'UTC',
  freezes: [],
  pipelineDeployEnvironment: null,
};

export interface PolicyPatch {
  readonly gates?: Partial<GateSwitches>;
  readonly segregationOfDuties?: boolean;
  readonly allowDualTeamRoles?: boolean;
  readonly forbiddenTeamRolePairs?: readonly (readonly [TeamRole, TeamRole])[];
  readonly reviewSlaDays?: number;
  readonly dslTimelyUpdateHours?: number;
  readonly kpiTargets?: Partial<Record<KpiName, number>>;
  readonly timeZone?: string;
  readonly freezes?: readonly FreezeWindow[];
  readonly pipelineDeployEnvironment?: string | null;
}

/** Fills what a stored (possibly older, partial) policy lacks with the defaults. */
export function withPolicyDefaults(patch: PolicyPatch | null | undefined, base: Policy = DEFAULT_POLICY): Policy {
  const p = patch ?? {};
  const targets = { ...base.kpiTargets } as Record<KpiName, number>;
  for (const name of KPI_NAMES) {
    const v = p.kpiTargets?.[name];
    if (v !== undefined) targets[name] = v;
  }
  return {
    gates: { ...base.gates, ...(p.gates ?? {}) },
    segregationOfDuties: p.segregationOfDuties ?? base.segregationOfDuties,
    allowDualTeamRoles: p.allowDualTeamRoles ?? base.allowDualTeamRoles,
    forbiddenTeamRolePairs: p.forbiddenTeamRolePairs ?? base.forbiddenTeamRolePairs,
    reviewSlaDays: p.reviewSlaDays ?? base.reviewSlaDays,
    dslTimelyUpdateHours: p.dslTimelyUpdateHours ?? base.dslTimelyUpdateHours,
    kpiTargets: targets,
    timeZone: p.timeZone ?? base.timeZone,
    freezes: p.freezes ?? base.freezes,
    pipelineDeployEnvironment: p.pipelineDeployEnvironment !== undefined ? p.pipelineDeployEnvironment : base.pipelineDeployEnvironment,
  };
}

/** May one person hold both roles in the same release team under this policy? */
export function teamRolesCompatible(a: TeamRole, b: TeamRole, policy: Policy): boolean {
  if (a === b) return true;
  if (!policy.allowDualTeamRoles) return false;
  return !policy.forbiddenTeamRolePairs.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

/** The rule for names of pipeline environments (the gate's wire contract uses the same). */
export const PIPELINE_ENVIRONMENT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/**
 * Does a pipeline's successful finish in `environment` count as the release deployed under this policy?
 * Only in the one environment the policy names (letter case aside: `Production` is `production`).
 */
export function pipelineFinishCounts(policy: Policy, environment: string): boolean {
  const named = policy.pipelineDeployEnvironment;
  return named !== null && named.toLowerCase() === environment.toLowerCase();
}
