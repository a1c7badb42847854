/**
 * Records read back from storage are validated here (zod at the edge): a row written by an older version of
 * the app, or damaged, fails loudly instead of travelling on as a wrong type.
 */
import { z } from 'zod';
import { gateSwitchFields } from '../contracts/schemas';
import { CLASSIFICATIONS, OUTCOMES, RELEASE_STATUSES, RISK_LEVELS, type Release, type ReleaseStatus } from '../domain/release';
import type { Team } from '../domain/team';
import type { FallbackPlan } from '../domain/fallback';
import { TRAINING_AUDIENCES, type TrainingTask } from '../domain/training';
import type { ImprovementAction, ParticipantEvaluation } from '../domain/improvement';
import { STANDING_ROLES, TEAM_ROLES, type StandingRole } from '../domain/roles';
import type { DslItemSummary } from '../domain/dsl';
import { DSL_STATUSES } from '../domain/dsl';
import type { KpiMonthAggregate } from '../domain/kpi';
import { AUDIT_SUBJECT_TYPES, type AuditValue } from '../domain/audit';
import { FREEZE_SEVERITIES, type FreezeWindow } from '../domain/freeze';

const ts = z.number().finite();
const id = z.string().min(1);
const opt = <T extends z.ZodTypeAny>(s: T) => s.optional();

const testRecord = z.object({
  passed: z.boolean(),
  recordedBy: id,
  recordedAt: ts,
  note: opt(z.string()),
  evidenceUrl: opt(z.string()),
});

const statusEnteredAt = z.partialRecord(z.enum(RELEASE_STATUSES), ts);

export const dslItemSummarySchema: z.ZodType<DslItemSummary> = z.object({
  id,
  status: z.enum(DSL_STATUSES),
  name: opt(z.string()),
  version: opt(z.string()),
  checkedInAt: z.number().nullable().optional(),
  productionUpdatedAt: z.number().nullable().optional(),
});

export const releaseSchema: z.ZodType<Release> = z.object({
  id,
  issueKey: opt(z.string()),
  summary: opt(z.string()),
  projectId: id,
  status: z.enum(RELEASE_STATUSES),
  classification: z.enum(CLASSIFICATIONS).nullable(),
  riskLevel: z.enum(RISK_LEVELS).nullable(),
  riskAnalysis: z.string().nullable(),
  linkedChangeKey: z.string().nullable(),
  windowStart: ts.nullable(),
  windowEnd: ts.nullable(),
  leadAccountId: z.string().nullable(),
  requesterAccountId: id,
  plan: z.object({ scope: z.string(), schedule: z.string(), plannedEffortHours: z.number() }).nullable(),
  actualEffortHours: z.number().nullable(),
  departmentOpinions: z.array(z.object({ department: z.string(), opinion: z.string(), recordedBy: id, recordedAt: ts })),
  tests: z.object({ integration: testRecord.nullable(), uat: testRecord.nullable() }),
  cutover: z.object({ confirmed: z.boolean(), confirmedBy: id, confirmedAt: ts, note: opt(z.string()) }).nullable(),
  operationalAcceptance: z
    .object({ accepted: z.boolean(), resultConfirmed: z.boolean(), confirmedBy: id, confirmedAt: ts, note: opt(z.string()) })
    .nullable(),
  deployment: z.object({ succeeded: z.boolean(), recordedBy: id, finishedAt: ts, note: opt(z.string()) }).nullable(),
  progressReports: z.array(
    z.object({
      reportedBy: id,
      reportedAt: ts,
      note: z.string(),
      percentComplete: opt(z.number()),
      effortHours: opt(z.number()),
    }),
  ),
  outcome: z.enum(OUTCOMES).nullable(),
  statusEnteredAt,
  emergencyOverride: z.object({ recordedBy: id, recordedAt: ts, reason: z.string() }).nullable(),
  // Records written before change freezes existed have none.
  freezeException: z.object({ recordedBy: id, recordedAt: ts, reason: z.string() }).nullable().default(null),
  rejectionReason: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: ts,
  version: z.number().int(),
});

/** What the app stores beside the domain's Release: the DSL item summaries linked to it (kept by DSL actions). */
export const storedReleaseDocSchema = z.object({
  release: releaseSchema,
  dslItems: z.array(dslItemSummarySchema),
});
export type StoredReleaseDoc = z.infer<typeof storedReleaseDocSchema>;

export const teamSchema: z.ZodType<Team> = z.object({
  releaseId: id,
  formedAt: ts,
  dissolvedAt: ts.nullable(),
  members: z.array(z.object({ accountId: id, teamRole: z.enum(TEAM_ROLES), joinedAt: ts, leftAt: ts.nullable() })),
});

export const fallbackPlanSchema: z.ZodType<FallbackPlan> = z.object({
  releaseId: id,
  triggerCriteria: z.string(),
  steps: z.array(z.object({ action: z.string(), ownerAccountId: id, expectedMinutes: z.number() })),
  restoreDslItemId: z.string().nullable(),
  dataBackupRef: z.string().nullable(),
  rehearsals: z.array(
    z.object({
      at: ts,
      environment: z.string(),
      result: z.enum(['PASSED', 'FAILED']),
      evidenceUrl: opt(z.string()),
      recordedBy: id,
    }),
  ),
  execution: z
    .object({
      decidedBy: id,
      reason: z.string(),
      startedAt: ts,
      executedBy: z.string().nullable(),
      endedAt: ts.nullable(),
      result: z.enum(['SUCCEEDED', 'FAILED']).nullable(),
    })
    .nullable(),
});

export const trainingTaskSchema: z.ZodType<TrainingTask> = z.object({
  id,
  releaseId: id,
  audience: z.enum(TRAINING_AUDIENCES),
  trainerAccountId: id,
  dueAt: ts,
  deliveredAt: ts.nullable(),
  assessed: z.number().int(),
  passed: z.number().int(),
  feedback: z.array(z.string()),
});

export const improvementActionSchema: z.ZodType<ImprovementAction> = z.object({
  id,
  projectId: id,
  title: z.string(),
  description: opt(z.string()),
  ownerAccountId: id,
  dueAt: ts,
  completedAt: ts.nullable(),
  createdAt: ts,
  createdBy: id,
  sourceReleaseId: opt(z.string()),
});

export const evaluationSchema: z.ZodType<ParticipantEvaluation> = z.object({
  id,
  releaseId: id,
  accountId: id,
  role: z.enum([...TEAM_ROLES, ...STANDING_ROLES]),
  rating: z.number().int(),
  note: z.string(),
  evaluatedBy: id,
  evaluatedAt: ts,
});

export const AUDIT_SUBJECTS = AUDIT_SUBJECT_TYPES;

const auditValue: z.ZodType<AuditValue> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(auditValue), z.record(z.string(), auditValue)]));
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const auditEventSchema = z.object({
  id,
  projectId: id,
  subjectType: z.enum(AUDIT_SUBJECTS),
  subjectId: id,
  action: id,
  actorAccountId: id,
  at: ts,
  /** What changed (field → value, typed by `AUDIT_FIELDS` in domain/audit.ts), never the whole record. */
  before: z.record(z.string(), auditValue),
  after: z.record(z.string(), auditValue),
  /** The event's place in its chain (release, DSL item or project) and its hash over content and `prevHash`. */
  chainId: id,
  seq: z.number().int().positive(),
  prevHash: hex64,
  hash: hex64,
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** The head of one audit chain: its last sequence number and hash (the lock that keeps the chain from forking). */
export const auditChainHeadSchema = z.object({
  chainId: id,
  projectId: id,
  seq: z.number().int().nonnegative(),
  hash: hex64,
  updatedAt: ts,
});
export type AuditChainHead = z.infer<typeof auditChainHeadSchema>;

const policyPatchSchema = z.object({
  gates: z.object(gateSwitchFields).partial().optional(),
  segregationOfDuties: z.boolean().optional(),
  allowDualTeamRoles: z.boolean().optional(),
  forbiddenTeamRolePairs: z.array(z.tuple([z.enum(TEAM_ROLES), z.enum(TEAM_ROLES)])).optional(),
  reviewSlaDays: z.number().optional(),
  dslTimelyUpdateHours: z.number().optional(),
  kpiTargets: z.record(z.string(), z.number()).optional(),
  locale: z.string().optional(),
  timeZone: z.string().optional(),
  pipelineDeployEnvironment: z.string().nullable().optional(),
});

const isoWeekday = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6), z.literal(7)]);

export const freezeWindowSchema: z.ZodType<FreezeWindow> = z.object({
  id,
  reason: z.string(),
  severity: z.enum(FREEZE_SEVERITIES),
  appliesTo: z.array(z.enum(CLASSIFICATIONS)),
  recurrence: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('ONCE'), start: ts, end: ts }),
    z.object({ kind: z.literal('MONTH_END'), workingDays: z.number().int() }),
    z.object({ kind: z.literal('WEEKLY'), startDay: isoWeekday, startTime: z.string(), endDay: isoWeekday, endTime: z.string() }),
  ]),
  createdBy: id,
  createdAt: ts,
});

/** Per project: the Jira ids the app created or was given (set-up), and the policy as the process owner left it. */
export const projectSetupSchema = z.object({
  projectId: id,
  projectKey: opt(z.string()),
  /** Jira project role ids; set-up may have written them as numbers. */
  roleIds: z.partialRecord(z.enum(STANDING_ROLES), z.union([z.string(), z.number()]).transform(String)),
  statusIds: z.partialRecord(z.enum(RELEASE_STATUSES), z.string()),
  issueTypeId: opt(z.string()),
  policy: policyPatchSchema,
  /** Change freezes (kept beside the policy: the process owner and the release manager both edit them). */
  freezes: z.array(freezeWindowSchema).optional(),
  updatedAt: ts,
  updatedBy: opt(z.string()),
});
export type ProjectSetup = z.infer<typeof projectSetupSchema>;
export type StoredPolicyPatch = z.infer<typeof policyPatchSchema>;

export const roleMembershipSchema = z.object({
  projectId: id,
  fetchedAt: ts,
  /** Standing role → account ids of its members (user actors of the mapped Jira project role). */
  members: z.partialRecord(z.enum(STANDING_ROLES), z.array(z.string())),
});
export type RoleMembership = z.infer<typeof roleMembershipSchema>;

const count = z.number().int().nonnegative();

export const kpiEntrySchema = z.object({
  releaseId: z.string(),
  issueKey: z.string().nullable(),
  closedAt: ts,
  outcome: z.enum(['SUCCESS', 'ROLLED_BACK', 'FAILED']),
  emergency: z.boolean(),
  deployed: z.boolean(),
  onTime: z.boolean(),
  withinPlan: z.boolean().nullable(),
  effort: z.tuple([z.number(), z.number()]).nullable(),
  effective: z.boolean(),
  complete: z.boolean(),
  dslTimely: z.boolean().nullable(),
  approvalMinutes: z.number().nullable(),
  requestMinutes: z.number().nullable(),
  rollbackMinutes: z.number().nullable(),
  training: z.object({ due: count, deliveredOnTime: count, assessed: count, passed: count }),
});

export const kpiMonthEntriesSchema = z.array(kpiEntrySchema);

/**
 * Aggregates written before the DORA lists and the drill-down entries existed read as empty there; the
 * daily reconciliation recounts the current and previous month and fills them in (older months: run the
 * job with `months`).
 */
export const kpiMonthSchema: z.ZodType<KpiMonthAggregate> = z.object({
  projectId: id,
  month: z.string().regex(/^\d{4}-\d{2}$/),
  releaseIds: z.array(z.string()),
  closed: count,
  success: count,
  rolledBack: count,
  failed: count,
  emergency: count,
  deployments: count,
  deploymentsOnTime: count,
  approvalToDeploymentMinutes: z.array(z.number()),
  requestToDeploymentMinutes: z.array(z.number()).default([]),
  withPlannedDuration: count,
  withinPlannedDuration: count,
  effortReleases: count,
  plannedEffortCentiHours: count,
  actualEffortCentiHours: count,
  effective: count,
  complete: count,
  dslTimely: count,
  rollbacksTimed: count,
  rollbackMinutesTotal: z.number(),
  rollbackMinutes: z.array(z.number()).default([]),
  trainingDue: count,
  trainingOnTime: count,
  traineesAssessed: count,
  traineesPassed: count,
  dslAuditIds: z.array(z.string()),
  dslAudits: count,
  dslAuditsMatched: count,
  improvementActionIds: z.array(z.string()),
  improvementsDue: count,
  improvementsOnTime: count,
  entries: z.array(kpiEntrySchema).default([]),
});

export type { StandingRole, ReleaseStatus };
