/**
 * THE action table: every action a user can take, who may take it, in which statuses, which segregation
 * of duties applies and which input it needs. Transition gates live in gates.ts; `decide` reads both.
 */
import { DSL_ACTIONS, type DslAction } from './dsl';
import { TRANSITIONS, TRANSITION_ACTIONS, type TransitionAction } from './lifecycle';
import type { ReleaseStatus } from './release';

export const RELEASE_ACTIONS = [
  ...TRANSITION_ACTIONS,
  // release manager, on the request
  'classify',
  'assignLead',
  'setWindow',
  'assessRisk',
  'changeTeam',
  'evaluateParticipant',
  'recordEmergencyOverride',
  'recordFreezeException',
  // release lead
  'editPlan',
  'editFallbackPlan',
  'recordOpinion',
  'addImplementer',
  // lead or implementer
  'recordRehearsal',
  // implementer or test expert
  'recordIntegrationTest',
  // business lead
  'recordUat',
  'recordCutover',
  // implementer
  'reportProgress',
  'recordDeploymentResult',
  'recordFallbackExecution',
  // operations lead
  'recordOperationalAcceptance',
  // training lead
  'manageTraining',
  'recordTrainingDelivery',
  'recordTrainingResult',
] as const;

/** Deployment pipelines (web trigger): ask the start-implementation rule, report progress and the result. */
export const PIPELINE_ACTIONS = ['pipelineCheck', 'pipelineReport', 'pipelineFinish', 'pipelineMarkDeployed'] as const;
export type PipelineAction = (typeof PIPELINE_ACTIONS)[number];

export const PROJECT_ACTIONS = [
  'read',
  'submitRelease',
  ...DSL_ACTIONS,
  'editPolicy',
  'manageFreezes',
  'mapRoles',
  'manageImprovementActions',
  'proposeImprovementAction',
] as const;

export const ACTIONS = [...RELEASE_ACTIONS, ...PIPELINE_ACTIONS, ...PROJECT_ACTIONS] as const;
export type Action = (typeof ACTIONS)[number];
export type ReleaseAction = (typeof RELEASE_ACTIONS)[number];

/** Who may act. An actor qualifies if any entry of an action's `who` list matches. */
export type Who =
  | 'ANYONE' // anyone who can browse the project
  | 'PROCESS_OWNER'
  | 'RELEASE_MANAGER'
  | 'RELEASE_LEAD' // the lead assigned to this release
  | 'TEAM_IMPLEMENTER'
  | 'TEAM_TRAINING_LEAD'
  | 'TEAM_TEST_EXPERT'
  | 'SOFTWARE_CONTROL_LEAD' // standing pool, or this release's team
  | 'BUSINESS_LEAD'
  | 'OPERATIONS_LEAD'
  | 'PIPELINE'; // a deployment pipeline with a project pipeline token

export type SodRule = 'REQUESTER_NOT_APPROVER' | 'IMPLEMENTER_NOT_VERIFIER' | 'REQUESTER_NOT_FREEZE_EXCEPTION_GRANTOR';

export type InputRule =
  | 'REASON' // a non-blank reason
  | 'TEAM_CHANGE' // add/remove a member in a team role
  | 'IMPLEMENTER_TARGET' // add an implementer
  | 'LEAD_TARGET' // someone from the release-lead pool
  | 'EVALUATION_TARGET' // someone who was on the team
  | 'DSL_ITEM' // an item in a status the DSL action accepts
  | 'USAGE_REQUEST'; // an approved usage request (check-out)

export interface ActionDefinition {
  /** `release`: needs a release context. `project`: the release is optional. */
  readonly scope: 'release' | 'project';
  readonly who: readonly Who[];
  readonly statuses: readonly ReleaseStatus[] | 'ANY';
  /** Set when the action is a lifecycle transition (its gate is in gates.ts). */
  readonly transition?: TransitionAction;
  readonly sod?: readonly SodRule[];
  readonly input?: readonly InputRule[];
  /** False only for reads. */
  readonly mutates: boolean;
}

const ACTIVE: readonly ReleaseStatus[] = ['PLANNING', 'BUILD_TEST', 'READY', 'IMPLEMENTING', 'VERIFYING', 'ROLLING_BACK'];
const REVIEW: readonly ReleaseStatus[] = ['SUBMITTED', 'PLANNING'];
const PREPARATION: readonly ReleaseStatus[] = ['PLANNING', 'BUILD_TEST', 'READY'];

function transition(t: TransitionAction, who: readonly Who[], extra: Partial<ActionDefinition> = {}): ActionDefinition {
  return { scope: 'release', who, statuses: TRANSITIONS[t].from, transition: t, mutates: true, ...extra };
}

function onRelease(who: readonly Who[], statuses: readonly ReleaseStatus[] | 'ANY', extra: Partial<ActionDefinition> = {}): ActionDefinition {
  return { scope: 'release', who, statuses, mutates: true, ...extra };
}

function dsl(action: DslAction): ActionDefinition {
  return {
    scope: 'project',
    who: [action === 'dslApprove' ? 'RELEASE_MANAGER' : 'SOFTWARE_CONTROL_LEAD'],
    statuses: 'ANY',
    input: action === 'dslRegister' ? [] : action === 'dslCheckOut' ? ['DSL_ITEM', 'USAGE_REQUEST'] : ['DSL_ITEM'],
    mutates: true,
  };
}

export const ACTION_TABLE: Readonly<Record<Action, ActionDefinition>> = {
  approve: transition('approve', ['RELEASE_MANAGER'], { sod: ['REQUESTER_NOT_APPROVER'] }),
  reject: transition('reject', ['RELEASE_MANAGER'], { input: ['REASON'] }),
  startBuild: transition('startBuild', ['RELEASE_LEAD']),
  markReady: transition('markReady', ['RELEASE_LEAD']),
  startImplementation: transition('startImplementation', ['TEAM_IMPLEMENTER']),
  markDeployed: transition('markDeployed', ['TEAM_IMPLEMENTER']),
  invokeFallback: transition('invokeFallback', ['RELEASE_LEAD'], { input: ['REASON'] }),
  completeFallback: transition('completeFallback', ['TEAM_IMPLEMENTER']),
  verifyAndClose: transition('verifyAndClose', ['OPERATIONS_LEAD'], { sod: ['IMPLEMENTER_NOT_VERIFIER'] }),
  cancel: transition('cancel', ['RELEASE_MANAGER'], { input: ['REASON'] }),

  classify: onRelease(['RELEASE_MANAGER'], REVIEW),
  assignLead: onRelease(['RELEASE_MANAGER'], REVIEW, { input: ['LEAD_TARGET'] }),
  setWindow: onRelease(['RELEASE_MANAGER'], REVIEW),
  assessRisk: onRelease(['RELEASE_MANAGER'], REVIEW),
  changeTeam: onRelease(['RELEASE_MANAGER'], ACTIVE, { input: ['TEAM_CHANGE'] }),
  evaluateParticipant: onRelease(['RELEASE_MANAGER'], 'ANY', { input: ['EVALUATION_TARGET'] }),
  recordEmergencyOverride: onRelease(['RELEASE_MANAGER'], ['BUILD_TEST', 'READY'], { input: ['REASON'] }),
  recordFreezeException: onRelease(['RELEASE_MANAGER'], PREPARATION, { input: ['REASON'], sod: ['REQUESTER_NOT_FREEZE_EXCEPTION_GRANTOR'] }),

  editPlan: onRelease(['RELEASE_LEAD'], ['PLANNING', 'BUILD_TEST']),
  editFallbackPlan: onRelease(['RELEASE_LEAD'], PREPARATION),
  recordOpinion: onRelease(['RELEASE_LEAD'], ['PLANNING', 'BUILD_TEST']),
  addImplementer: onRelease(['RELEASE_LEAD'], ACTIVE, { input: ['IMPLEMENTER_TARGET'] }),
  recordRehearsal: onRelease(['RELEASE_LEAD', 'TEAM_IMPLEMENTER'], PREPARATION),
  recordIntegrationTest: onRelease(['TEAM_IMPLEMENTER', 'TEAM_TEST_EXPERT'], ['BUILD_TEST']),
  recordUat: onRelease(['BUSINESS_LEAD'], ['BUILD_TEST']),
  recordCutover: onRelease(['BUSINESS_LEAD'], ['IMPLEMENTING', 'VERIFYING']),
  reportProgress: onRelease(['TEAM_IMPLEMENTER'], ACTIVE),
  recordDeploymentResult: onRelease(['TEAM_IMPLEMENTER'], ['IMPLEMENTING']),
  recordFallbackExecution: onRelease(['TEAM_IMPLEMENTER'], ['ROLLING_BACK']),
  recordOperationalAcceptance: onRelease(['OPERATIONS_LEAD'], ['VERIFYING'], { sod: ['IMPLEMENTER_NOT_VERIFIER'] }),
  manageTraining: onRelease(['TEAM_TRAINING_LEAD'], PREPARATION),
  recordTrainingDelivery: onRelease(['TEAM_TRAINING_LEAD'], ACTIVE),
  recordTrainingResult: onRelease(['TEAM_TRAINING_LEAD'], ACTIVE),

  // The same gate as start implementation (window, freeze), asked by a pipeline before it deploys.
  pipelineCheck: { scope: 'release', who: ['PIPELINE'], statuses: ['READY', 'IMPLEMENTING'], transition: 'startImplementation', mutates: false },
  // Recorded facts only: a pipeline never moves a status a person must move.
  pipelineReport: onRelease(['PIPELINE'], ['READY', 'IMPLEMENTING', 'VERIFYING', 'ROLLING_BACK']),
  pipelineFinish: onRelease(['PIPELINE'], ['IMPLEMENTING']),
  // Under the policy `pipelineDeployEnvironment` only (the service asks `pipelineFinishCounts` first): the
  // person's mark-deployed transition, with its gate, made by the pipeline; plus the pipeline's own condition
  // in gates.ts (ACTION_CONDITIONS: an implementer on the team answers for it).
  pipelineMarkDeployed: { scope: 'release', who: ['PIPELINE'], statuses: TRANSITIONS.markDeployed.from, transition: 'markDeployed', mutates: true },

  read: { scope: 'project', who: ['ANYONE'], statuses: 'ANY', mutates: false },
  submitRelease: { scope: 'project', who: ['ANYONE'], statuses: 'ANY', mutates: true },
  dslRegister: dsl('dslRegister'),
  dslApprove: dsl('dslApprove'),
  dslCheckIn: dsl('dslCheckIn'),
  dslCheckOut: dsl('dslCheckOut'),
  dslReturn: dsl('dslReturn'),
  dslReplace: dsl('dslReplace'),
  dslRetire: dsl('dslRetire'),
  dslAudit: dsl('dslAudit'),
  editPolicy: { scope: 'project', who: ['PROCESS_OWNER'], statuses: 'ANY', mutates: true },
  manageFreezes: { scope: 'project', who: ['PROCESS_OWNER', 'RELEASE_MANAGER'], statuses: 'ANY', mutates: true },
  mapRoles: { scope: 'project', who: ['PROCESS_OWNER'], statuses: 'ANY', mutates: true },
  manageImprovementActions: { scope: 'project', who: ['PROCESS_OWNER'], statuses: 'ANY', mutates: true },
  // 发布经理 "与流程负责人共同制定流程改进": the manager proposes, the process owner manages.
  proposeImprovementAction: { scope: 'project', who: ['PROCESS_OWNER', 'RELEASE_MANAGER'], statuses: 'ANY', mutates: true },
};

export function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}
