/** Resolver keys, namespaced `area/verb`, shared by `src/resolvers` and the UI. */
import type { Action } from '../domain';

export const RESOLVER_KEYS = {
  // lifecycle transitions
  approve: 'release/approve',
  reject: 'release/reject',
  startBuild: 'release/startBuild',
  markReady: 'release/markReady',
  startImplementation: 'release/startImplementation',
  markDeployed: 'release/markDeployed',
  invokeFallback: 'release/invokeFallback',
  completeFallback: 'release/completeFallback',
  verifyAndClose: 'release/verifyAndClose',
  cancel: 'release/cancel',
  // the request itself
  submitRelease: 'release/submit',
  classify: 'release/classify',
  assignLead: 'release/assignLead',
  setWindow: 'release/setWindow',
  assessRisk: 'release/assessRisk',
  recordEmergencyOverride: 'release/recordEmergencyOverride',
  // team
  changeTeam: 'team/change',
  addImplementer: 'team/addImplementer',
  evaluateParticipant: 'evaluation/record',
  // records
  editPlan: 'plan/edit',
  editFallbackPlan: 'fallback/edit',
  recordRehearsal: 'fallback/recordRehearsal',
  recordFallbackExecution: 'fallback/recordExecution',
  recordOpinion: 'opinion/record',
  recordIntegrationTest: 'test/recordIntegration',
  recordUat: 'test/recordUat',
  recordCutover: 'cutover/record',
  reportProgress: 'progress/report',
  recordDeploymentResult: 'deployment/record',
  recordOperationalAcceptance: 'acceptance/record',
  // training
  manageTraining: 'training/manage',
  recordTrainingDelivery: 'training/recordDelivery',
  recordTrainingResult: 'training/recordResult',
  // DSL
  dslRegister: 'dsl/register',
  dslApprove: 'dsl/approve',
  dslCheckIn: 'dsl/checkIn',
  dslCheckOut: 'dsl/checkOut',
  dslReturn: 'dsl/return',
  dslReplace: 'dsl/replace',
  dslRetire: 'dsl/retire',
  dslAudit: 'dsl/audit',
  dslLink: 'dsl/link',
  dslRequestUsage: 'dsl/requestUsage',
  dslDecideUsage: 'dsl/decideUsage',
  dslImport: 'dsl/import',
  dslSyncEnvironments: 'dsl/syncEnvironments',
  // process
  manageImprovementActions: 'improvement/manage',
  proposeImprovementAction: 'improvement/propose',
  // Jira effects (an admin's "retry now")
  retryJira: 'jira/retry',
  // reads
  getPanel: 'panel/get',
  getPanelSummary: 'panel/summary',
  listQueue: 'queue/list',
  listReleases: 'release/list',
  listTraining: 'training/list',
  listImprovementActions: 'improvement/list',
  listDslItems: 'dsl/list',
  getDslItem: 'dsl/get',
  listDslUsageRequests: 'dsl/listUsage',
  getDslConsistency: 'dsl/consistency',
  exportDsl: 'dsl/export',
  listDslFixVersions: 'dsl/fixVersions',
  listDslEnvironments: 'dsl/environments',
  getKpis: 'kpi/get',
  listAudit: 'audit/list',
  peopleNames: 'people/names',
  getProjectContext: 'project/context',
  listProjects: 'project/list',
  // admin
  setupProject: 'admin/setupProject',
  getSetupStatus: 'admin/getSetupStatus',
  saveRoleMapping: 'admin/saveRoleMapping',
  savePolicy: 'admin/savePolicy',
} as const;

export type ResolverName = keyof typeof RESOLVER_KEYS;
export type ResolverKey = (typeof RESOLVER_KEYS)[ResolverName];

export const ALL_RESOLVER_KEYS: readonly ResolverKey[] = Object.values(RESOLVER_KEYS);

export function isResolverKey(value: string): value is ResolverKey {
  return (ALL_RESOLVER_KEYS as readonly string[]).includes(value);
}

/** The resolver through which each domain action is taken (`read` is served by every read resolver). */
export const ACTION_RESOLVER: Readonly<Record<Exclude<Action, 'read'>, ResolverKey>> = {
  approve: RESOLVER_KEYS.approve,
  reject: RESOLVER_KEYS.reject,
  startBuild: RESOLVER_KEYS.startBuild,
  markReady: RESOLVER_KEYS.markReady,
  startImplementation: RESOLVER_KEYS.startImplementation,
  markDeployed: RESOLVER_KEYS.markDeployed,
  invokeFallback: RESOLVER_KEYS.invokeFallback,
  completeFallback: RESOLVER_KEYS.completeFallback,
  verifyAndClose: RESOLVER_KEYS.verifyAndClose,
  cancel: RESOLVER_KEYS.cancel,
  submitRelease: RESOLVER_KEYS.submitRelease,
  classify: RESOLVER_KEYS.classify,
  assignLead: RESOLVER_KEYS.assignLead,
  setWindow: RESOLVER_KEYS.setWindow,
  assessRisk: RESOLVER_KEYS.assessRisk,
  recordEmergencyOverride: RESOLVER_KEYS.recordEmergencyOverride,
  changeTeam: RESOLVER_KEYS.changeTeam,
  addImplementer: RESOLVER_KEYS.addImplementer,
  evaluateParticipant: RESOLVER_KEYS.evaluateParticipant,
  editPlan: RESOLVER_KEYS.editPlan,
  editFallbackPlan: RESOLVER_KEYS.editFallbackPlan,
  recordRehearsal: RESOLVER_KEYS.recordRehearsal,
  recordFallbackExecution: RESOLVER_KEYS.recordFallbackExecution,
  recordOpinion: RESOLVER_KEYS.recordOpinion,
  recordIntegrationTest: RESOLVER_KEYS.recordIntegrationTest,
  recordUat: RESOLVER_KEYS.recordUat,
  recordCutover: RESOLVER_KEYS.recordCutover,
  reportProgress: RESOLVER_KEYS.reportProgress,
  recordDeploymentResult: RESOLVER_KEYS.recordDeploymentResult,
  recordOperationalAcceptance: RESOLVER_KEYS.recordOperationalAcceptance,
  manageTraining: RESOLVER_KEYS.manageTraining,
  recordTrainingDelivery: RESOLVER_KEYS.recordTrainingDelivery,
  recordTrainingResult: RESOLVER_KEYS.recordTrainingResult,
  dslRegister: RESOLVER_KEYS.dslRegister,
  dslApprove: RESOLVER_KEYS.dslApprove,
  dslCheckIn: RESOLVER_KEYS.dslCheckIn,
  dslCheckOut: RESOLVER_KEYS.dslCheckOut,
  dslReturn: RESOLVER_KEYS.dslReturn,
  dslReplace: RESOLVER_KEYS.dslReplace,
  dslRetire: RESOLVER_KEYS.dslRetire,
  dslAudit: RESOLVER_KEYS.dslAudit,
  editPolicy: RESOLVER_KEYS.savePolicy,
  mapRoles: RESOLVER_KEYS.saveRoleMapping,
  manageImprovementActions: RESOLVER_KEYS.manageImprovementActions,
  proposeImprovementAction: RESOLVER_KEYS.proposeImprovementAction,
};
