import { RESOLVER_KEYS as K } from '../../../../src/contracts/keys';
import type { KpiName } from '../../../../src/domain/kpiCatalog';
import type { Policy } from '../../../../src/domain/policy';
import type { StandingRole, TeamRole } from '../../../../src/domain/roles';
import { resolver } from '../../shared';

export type { Policy, StandingRole };

export interface SetupStep {
  /** roles, issueType, issueTypeScheme, statuses, workflow, workflowScheme (server order). */
  step: string;
  done: boolean;
  error?: string;
}

/**
 * What `admin/getSetupStatus` answers: the set-up progress of `getSetupProgress` and, for the forms, the
 * project's set-up record (its row version for optimistic concurrency, the role mapping and the effective
 * policy), the Jira project roles to map onto, and what the actor may do. The UI copes without the optional
 * parts (forms then start from the defaults and the server decides).
 */
export interface SetupStatus {
  projectId: string;
  projectKey: string;
  steps: SetupStep[];
  complete: boolean;
  setup?: { version: number; roleIds: Partial<Record<StandingRole, string>>; policy: Policy } | null;
  jiraRoles?: { id: string; name: string }[];
  actor?: { standingRoles: StandingRole[]; canAdminister: boolean };
}

export interface PolicyPatch {
  gates?: Partial<Policy['gates']>;
  segregationOfDuties?: boolean;
  allowDualTeamRoles?: boolean;
  forbiddenTeamRolePairs?: [TeamRole, TeamRole][];
  reviewSlaDays?: number;
  dslTimelyUpdateHours?: number;
  kpiTargets?: Partial<Record<KpiName, number>>;
}

export const getSetupStatus = resolver<{ projectId: string }, SetupStatus>(K.getSetupStatus);
export const setupProject = resolver<{ projectId: string; resumeFromStep?: string }, Omit<SetupStatus, 'setup' | 'jiraRoles' | 'actor'>>(K.setupProject);
export const saveRoleMapping = resolver<{ projectId: string; expectedVersion: number; roles: Partial<Record<StandingRole, string>> }, unknown>(K.saveRoleMapping);
export const savePolicy = resolver<{ projectId: string; expectedVersion: number; policy: PolicyPatch }, unknown>(K.savePolicy);
