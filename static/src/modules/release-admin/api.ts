import { RESOLVER_KEYS as K } from '../../../../src/contracts/keys';
import type { CreatedPipelineToken, PipelineTokenView, SetupStatusView, SetupStepView } from '../../../../src/contracts/views';
import type { KpiName } from '../../../../src/domain/kpiCatalog';
import type { Policy } from '../../../../src/domain/policy';
import type { StandingRole, TeamRole } from '../../../../src/domain/roles';
import { resolver } from '../../shared';

export type { Policy, StandingRole };

export type SetupStep = SetupStepView;

/**
 * What `admin/getSetupStatus` answers: the set-up progress per step, the project's set-up record (its row
 * version for optimistic concurrency, the role mapping and the effective policy; null before there is one),
 * the Jira project roles to map onto, and what the actor may do.
 */
export type SetupStatus = SetupStatusView;

export interface PolicyPatch {
  gates?: Partial<Policy['gates']>;
  segregationOfDuties?: boolean;
  allowDualTeamRoles?: boolean;
  forbiddenTeamRolePairs?: [TeamRole, TeamRole][];
  reviewSlaDays?: number;
  dslTimelyUpdateHours?: number;
  kpiTargets?: Partial<Record<KpiName, number>>;
  timeZone?: string;
  pipelineDeployEnvironment?: string | null;
}

export const getSetupStatus = resolver<{ projectId: string }, SetupStatus>(K.getSetupStatus);
/** What `admin/setupProject` answers: the progress, and what the workflow step found (created, updated in place, up to date). */
export type SetupRunResult = Omit<SetupStatus, 'setup' | 'jiraRoles' | 'actor' | 'workflowRulesUpToDate'> & { workflow?: 'created' | 'updated' | 'upToDate' };
export const setupProject = resolver<{ projectId: string; resumeFromStep?: string }, SetupRunResult>(K.setupProject);
export const saveRoleMapping = resolver<{ projectId: string; expectedVersion: number; roles: Partial<Record<StandingRole, string>> }, unknown>(K.saveRoleMapping);
export const savePolicy = resolver<{ projectId: string; expectedVersion: number; policy: PolicyPatch }, unknown>(K.savePolicy);

export type { CreatedPipelineToken, PipelineTokenView };
export const listPipelineTokens = resolver<{ projectId: string }, PipelineTokenView[]>(K.listPipelineTokens);
export const createPipelineToken = resolver<{ projectId: string; name: string }, CreatedPipelineToken>(K.createPipelineToken);
export const revokePipelineToken = resolver<{ projectId: string; tokenId: string; expectedVersion: number }, PipelineTokenView>(K.revokePipelineToken);
