/** The Release record (SPEC §4) and the vocabularies it uses. Times are epoch milliseconds (UTC). */
import type { FreezeException } from './freeze';

export const RELEASE_STATUSES = [
  'SUBMITTED',
  'PLANNING',
  'BUILD_TEST',
  'READY',
  'IMPLEMENTING',
  'VERIFYING',
  'ROLLING_BACK',
  'CLOSED',
  'REJECTED',
  'CANCELLED',
] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

export const TERMINAL_STATUSES: readonly ReleaseStatus[] = ['CLOSED', 'REJECTED', 'CANCELLED'];

export const OUTCOMES = ['SUCCESS', 'ROLLED_BACK', 'FAILED'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const CLASSIFICATIONS = ['STANDARD', 'MINOR', 'MAJOR', 'EMERGENCY'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface ReleasePlan {
  readonly scope: string;
  readonly schedule: string;
  readonly plannedEffortHours: number;
}

/** Opinion of an affected department, collected by the lead (发布主管 收集相关部门意见). */
export interface DepartmentOpinion {
  readonly department: string;
  readonly opinion: string;
  readonly recordedBy: string;
  readonly recordedAt: number;
}

export interface TestRecord {
  readonly passed: boolean;
  readonly recordedBy: string;
  readonly recordedAt: number;
  readonly note?: string;
  readonly evidenceUrl?: string;
}

export interface CutoverConfirmation {
  readonly confirmed: boolean;
  readonly confirmedBy: string;
  readonly confirmedAt: number;
  readonly note?: string;
}

/** The operations lead's confirmation (运维主管: 确认实际发布结果; 确认系统符合运维要求). */
export interface OperationalAcceptance {
  /** The released system meets operational requirements. */
  readonly accepted: boolean;
  /** The actual release result is confirmed. */
  readonly resultConfirmed: boolean;
  readonly confirmedBy: string;
  readonly confirmedAt: number;
  readonly note?: string;
}

export interface DeploymentResult {
  readonly succeeded: boolean;
  readonly recordedBy: string;
  /** When the deployment finished; compared with the window end for timeliness. */
  readonly finishedAt: number;
  readonly note?: string;
}

export interface ProgressReport {
  readonly reportedBy: string;
  readonly reportedAt: number;
  readonly note: string;
  readonly percentComplete?: number;
  /** Effort spent since the last report; the service adds it to actualEffortHours. */
  readonly effortHours?: number;
}

export interface EmergencyOverride {
  readonly recordedBy: string;
  readonly recordedAt: number;
  readonly reason: string;
}

export interface Release {
  /** Jira issue id of the Release Request. */
  readonly id: string;
  readonly issueKey?: string;
  readonly projectId: string;
  readonly status: ReleaseStatus;
  readonly classification: Classification | null;
  readonly riskLevel: RiskLevel | null;
  readonly riskAnalysis: string | null;
  /** Key of the linked change request issue. */
  readonly linkedChangeKey: string | null;
  readonly windowStart: number | null;
  readonly windowEnd: number | null;
  readonly leadAccountId: string | null;
  readonly requesterAccountId: string;
  readonly plan: ReleasePlan | null;
  readonly actualEffortHours: number | null;
  readonly departmentOpinions: readonly DepartmentOpinion[];
  readonly tests: { readonly integration: TestRecord | null; readonly uat: TestRecord | null };
  readonly cutover: CutoverConfirmation | null;
  readonly operationalAcceptance: OperationalAcceptance | null;
  readonly deployment: DeploymentResult | null;
  readonly progressReports: readonly ProgressReport[];
  readonly outcome: Outcome | null;
  /** When the release entered each status it has been in. */
  readonly statusEnteredAt: Readonly<Partial<Record<ReleaseStatus, number>>>;
  readonly emergencyOverride: EmergencyOverride | null;
  /** Lets implementation start inside a hard change freeze (recorded by a release manager who did not request it). */
  readonly freezeException: FreezeException | null;
  readonly rejectionReason: string | null;
  readonly cancelReason: string | null;
  readonly createdAt: number;
  /** Optimistic concurrency; storage bumps it on every write. The domain never changes it. */
  readonly version: number;
}

/** A freshly submitted release request, with every optional record empty. */
export function newRelease(input: {
  id: string;
  projectId: string;
  requesterAccountId: string;
  now: number;
  issueKey?: string;
  linkedChangeKey?: string | null;
  classification?: Classification | null;
}): Release {
  return {
    id: input.id,
    ...(input.issueKey !== undefined ? { issueKey: input.issueKey } : {}),
    projectId: input.projectId,
    status: 'SUBMITTED',
    classification: input.classification ?? null,
    riskLevel: null,
    riskAnalysis: null,
    linkedChangeKey: input.linkedChangeKey ?? null,
    windowStart: null,
    windowEnd: null,
    leadAccountId: null,
    requesterAccountId: input.requesterAccountId,
    plan: null,
    actualEffortHours: null,
    departmentOpinions: [],
    tests: { integration: null, uat: null },
    cutover: null,
    operationalAcceptance: null,
    deployment: null,
    progressReports: [],
    outcome: null,
    statusEnteredAt: { SUBMITTED: input.now },
    emergencyOverride: null,
    freezeException: null,
    rejectionReason: null,
    cancelReason: null,
    createdAt: input.now,
    version: 0,
  };
}

export function isTerminal(status: ReleaseStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
