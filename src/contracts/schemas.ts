/**
 * One zod schema per resolver payload. All objects are strict (unknown keys rejected) and every string and
 * array is bounded. The actor never appears in a payload: it comes from the invocation context.
 */
import { z } from 'zod';
import {
  CLASSIFICATIONS,
  KPI_NAMES,
  RELEASE_STATUSES,
  RISK_LEVELS,
  STANDING_ROLES,
  TEAM_ROLES,
  TRAINING_AUDIENCES,
  DSL_ENVIRONMENTS,
  DSL_STATUSES,
  USAGE_REQUEST_STATUSES,
  FREEZE_SEVERITIES,
  MAX_FREEZES,
  isValidTimeZone,
  PIPELINE_ENVIRONMENT_PATTERN,
  type GateSwitches,
} from '../domain';
import { RESOLVER_KEYS, type ResolverKey } from './keys';
import { accountId, cursor, entityId, epochMs, httpsUrl, issueKey, jiraId, limit, month, note, text, version } from './primitives';
import { FIELD_LIMITS as F, LIMITS } from './limits';
import { dslItemFields, sha256, sizeBytes } from './dsl';
import { DSL_IMPORT_CHUNKS, DSL_IMPORT_LIMITS, jsonBytes } from './dsl-csv';

const L = LIMITS;
const importIdSchema = z.string().regex(/^imp-[0-9a-f]{24}$/, 'invalid import id');

/** Every mutation of a release names it and the version the user saw. */
const onRelease = { releaseId: jiraId, expectedVersion: version };
const releaseOnly = z.object(onRelease).strict();
const withReason = z.object({ ...onRelease, reason: text(L.text) }).strict();
const onDslItem = { itemId: entityId, expectedVersion: version, releaseId: jiraId.optional() };

/** An IANA time zone this runtime knows (the project's zone for recurring freezes). */
export const timeZone = z.string().min(1).max(64).refine(isValidTimeZone, { message: 'unknown time zone' });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const isoWeekday = z.literal([1, 2, 3, 4, 5, 6, 7]);

/** A change freeze as the calendar's form sends it (`freeze/save`); `id` absent creates one. */
export const freezeInputSchema = z
  .object({
    id: entityId.optional(),
    reason: text(L.shortText),
    severity: z.enum(FREEZE_SEVERITIES),
    appliesTo: z.array(z.enum(CLASSIFICATIONS)).min(1).max(CLASSIFICATIONS.length),
    recurrence: z.discriminatedUnion('kind', [
      z
        .object({ kind: z.literal('ONCE'), start: epochMs, end: epochMs })
        .strict()
        .refine((r) => r.end > r.start, { message: 'a freeze must end after it starts', path: ['end'] }),
      z.object({ kind: z.literal('MONTH_END'), workingDays: z.number().int().min(1).max(10) }).strict(),
      z.object({ kind: z.literal('WEEKLY'), startDay: isoWeekday, startTime: hhmm, endDay: isoWeekday, endTime: hhmm }).strict(),
    ]),
  })
  .strict();
export { MAX_FREEZES };

/** A pipeline token's name: what the audit trail calls the pipeline ("pipeline <name>"). */
const pipelineName = z.string().trim().regex(/^[\p{L}\p{N} ._\-/():#+,]{1,60}$/u, 'letters, digits, spaces and . _ - / ( ) : # + , only');

const teamRole = z.enum(TEAM_ROLES);
const standingRole = z.enum(STANDING_ROLES);

/** The policy's gate switches (`GateSwitches`) as a patch sets them: the payload checks them strictly, storage reads them back leniently. */
/** Filters of the audit trail: a period (epoch ms, inclusive), a person, an action, a release or a DSL item. */
const auditFilter = z.object({
  projectId: jiraId,
  /** The release's issue id or key. */
  releaseId: z.union([jiraId, issueKey]).optional(),
  dslItemId: entityId.optional(),
  from: epochMs.optional(),
  to: epochMs.optional(),
  actorAccountId: z.union([accountId, z.literal('app')]).optional(),
  action: z.string().regex(/^[A-Za-z.]{1,60}$/).optional(),
});
const oneSubject = (p: { releaseId?: string | undefined; dslItemId?: string | undefined }) => p.releaseId === undefined || p.dslItemId === undefined;
const oneSubjectError = { message: 'give at most one of releaseId or dslItemId', path: ['releaseId'] };
const period = (p: { from?: number | undefined; to?: number | undefined }) => p.from === undefined || p.to === undefined || p.from <= p.to;
const periodError = { message: 'the period ends before it starts', path: ['to'] };

export const gateSwitchFields = {
  requireLinkedChange: z.boolean(),
  requireHelpDeskTraining: z.boolean(),
  requireDepartmentOpinions: z.boolean(),
  requireBusinessCutover: z.boolean(),
} satisfies Record<keyof GateSwitches, z.ZodBoolean>;

export const policyPatchSchema = z
  .object({
    gates: z.object(gateSwitchFields).partial().strict().optional(),
    segregationOfDuties: z.boolean().optional(),
    allowDualTeamRoles: z.boolean().optional(),
    forbiddenTeamRolePairs: z.array(z.tuple([teamRole, teamRole])).max(25).optional(),
    reviewSlaDays: z.number().int().min(1).max(365).optional(),
    dslTimelyUpdateHours: z.number().int().min(1).max(24 * 90).optional(),
    kpiTargets: z.partialRecord(z.enum(KPI_NAMES), z.number().min(0).max(100_000)).optional(),
    timeZone: timeZone.optional(),
    // null: off (a person marks deployed); a name: that environment's pipeline success marks the release deployed.
    pipelineDeployEnvironment: z.string().trim().regex(PIPELINE_ENVIRONMENT_PATTERN, 'letters, digits and . _ - (at most 40)').nullable().optional(),
  })
  .strict();

const trainingTaskFields = { audience: z.enum(TRAINING_AUDIENCES), trainerAccountId: accountId, dueAt: epochMs };
const improvementFields = {
  title: text(L.shortText),
  description: note(L.longText).optional(),
  ownerAccountId: accountId,
  dueAt: epochMs,
  sourceReleaseId: jiraId.optional(),
};

export const PAYLOAD_SCHEMAS = {
  // ---- transitions
  [RESOLVER_KEYS.approve]: releaseOnly,
  [RESOLVER_KEYS.reject]: withReason,
  [RESOLVER_KEYS.startBuild]: releaseOnly,
  [RESOLVER_KEYS.markReady]: releaseOnly,
  [RESOLVER_KEYS.startImplementation]: releaseOnly,
  [RESOLVER_KEYS.markDeployed]: releaseOnly,
  [RESOLVER_KEYS.invokeFallback]: withReason,
  [RESOLVER_KEYS.completeFallback]: releaseOnly,
  [RESOLVER_KEYS.verifyAndClose]: releaseOnly,
  [RESOLVER_KEYS.cancel]: withReason,

  // ---- the request
  [RESOLVER_KEYS.submitRelease]: z
    .object({
      projectId: jiraId,
      linkedChangeKey: issueKey,
      summary: text(F.summary),
      description: note(L.longText).optional(),
      classification: z.enum(CLASSIFICATIONS).optional(),
      /** Why a second release is raised from a change request that already has one (refused without it). */
      raiseAnotherReason: text(L.text).optional(),
    })
    .strict(),
  [RESOLVER_KEYS.releasesOfChange]: z.object({ projectId: jiraId, changeKey: issueKey }).strict(),
  [RESOLVER_KEYS.classify]: z.object({ ...onRelease, classification: z.enum(CLASSIFICATIONS) }).strict(),
  [RESOLVER_KEYS.assignLead]: z.object({ ...onRelease, leadAccountId: accountId }).strict(),
  [RESOLVER_KEYS.setWindow]: z
    .object({ ...onRelease, windowStart: epochMs, windowEnd: epochMs })
    .strict()
    .refine((p) => p.windowEnd > p.windowStart, { message: 'window must end after it starts', path: ['windowEnd'] }),
  [RESOLVER_KEYS.assessRisk]: z.object({ ...onRelease, riskLevel: z.enum(RISK_LEVELS), riskAnalysis: note(L.longText) }).strict(),
  [RESOLVER_KEYS.recordEmergencyOverride]: withReason,
  [RESOLVER_KEYS.recordFreezeException]: withReason,

  // ---- change freezes and the calendar (the set-up record's version guards the freeze list)
  [RESOLVER_KEYS.saveFreeze]: z.object({ projectId: jiraId, expectedVersion: version, freeze: freezeInputSchema }).strict(),
  [RESOLVER_KEYS.deleteFreeze]: z.object({ projectId: jiraId, expectedVersion: version, freezeId: entityId }).strict(),
  [RESOLVER_KEYS.getCalendar]: z
    .object({ projectId: jiraId, from: epochMs, to: epochMs })
    .strict()
    .refine((p) => p.to > p.from && p.to - p.from <= 100 * 86_400_000, { message: 'a range of at most 100 days', path: ['to'] }),

  // ---- pipeline tokens
  [RESOLVER_KEYS.listPipelineTokens]: z.object({ projectId: jiraId }).strict(),
  [RESOLVER_KEYS.createPipelineToken]: z.object({ projectId: jiraId, name: pipelineName }).strict(),
  [RESOLVER_KEYS.revokePipelineToken]: z.object({ projectId: jiraId, tokenId: entityId, expectedVersion: version }).strict(),

  // ---- team
  [RESOLVER_KEYS.changeTeam]: z.object({ ...onRelease, op: z.enum(['ADD', 'REMOVE']), accountId, teamRole }).strict(),
  [RESOLVER_KEYS.addImplementer]: z.object({ ...onRelease, accountId }).strict(),
  [RESOLVER_KEYS.evaluateParticipant]: z
    .object({ releaseId: jiraId, accountId, role: z.union([teamRole, standingRole]), rating: z.number().int().min(F.ratingMin).max(F.ratingMax), note: note() })
    .strict(),

  // ---- records
  [RESOLVER_KEYS.editPlan]: z
    .object({ ...onRelease, scope: text(L.longText), schedule: text(L.longText), plannedEffortHours: z.number().positive().max(F.plannedEffortHours) })
    .strict(),
  [RESOLVER_KEYS.editFallbackPlan]: z
    .object({
      ...onRelease,
      triggerCriteria: note(L.text),
      steps: z
        .array(z.object({ action: text(L.text), ownerAccountId: accountId, expectedMinutes: z.number().int().min(1).max(F.stepMinutes) }).strict())
        .max(L.fallbackSteps),
      restoreDslItemId: entityId.nullable(),
      dataBackupRef: note(F.dataBackupRef).nullable(),
    })
    .strict(),
  [RESOLVER_KEYS.recordRehearsal]: z
    .object({ ...onRelease, at: epochMs, environment: text(F.environment), result: z.enum(['PASSED', 'FAILED']), evidenceUrl: httpsUrl.optional() })
    .strict(),
  [RESOLVER_KEYS.recordFallbackExecution]: z.object({ ...onRelease, result: z.enum(['SUCCEEDED', 'FAILED']), note: note().optional() }).strict(),
  [RESOLVER_KEYS.recordOpinion]: z.object({ ...onRelease, department: text(L.shortText), opinion: text(L.longText) }).strict(),
  [RESOLVER_KEYS.recordIntegrationTest]: z.object({ ...onRelease, passed: z.boolean(), note: note().optional(), evidenceUrl: httpsUrl.optional() }).strict(),
  [RESOLVER_KEYS.recordUat]: z.object({ ...onRelease, passed: z.boolean(), note: note().optional(), evidenceUrl: httpsUrl.optional() }).strict(),
  [RESOLVER_KEYS.recordCutover]: z.object({ ...onRelease, confirmed: z.boolean(), note: note().optional() }).strict(),
  [RESOLVER_KEYS.reportProgress]: z
    .object({ ...onRelease, note: text(L.longText), percentComplete: z.number().int().min(0).max(100).optional(), effortHours: z.number().min(0).max(F.progressEffortHours).optional() })
    .strict(),
  [RESOLVER_KEYS.recordDeploymentResult]: z.object({ ...onRelease, succeeded: z.boolean(), finishedAt: epochMs, note: note().optional() }).strict(),
  [RESOLVER_KEYS.recordOperationalAcceptance]: z
    .object({ ...onRelease, accepted: z.boolean(), resultConfirmed: z.boolean(), note: note().optional() })
    .strict(),

  // ---- training
  [RESOLVER_KEYS.manageTraining]: z.discriminatedUnion('op', [
    z.object({ ...onRelease, op: z.literal('CREATE'), ...trainingTaskFields }).strict(),
    z
      .object({
        ...onRelease,
        op: z.literal('UPDATE'),
        taskId: entityId,
        audience: trainingTaskFields.audience.optional(),
        trainerAccountId: accountId.optional(),
        dueAt: epochMs.optional(),
      })
      .strict(),
    z.object({ ...onRelease, op: z.literal('DELETE'), taskId: entityId }).strict(),
  ]),
  [RESOLVER_KEYS.recordTrainingDelivery]: z.object({ ...onRelease, taskId: entityId, deliveredAt: epochMs }).strict(),
  [RESOLVER_KEYS.recordTrainingResult]: z
    .object({
      ...onRelease,
      taskId: entityId,
      assessed: z.number().int().min(0).max(F.trainees),
      passed: z.number().int().min(0).max(F.trainees),
      feedback: z.array(text(L.text)).max(L.listItems).optional(),
    })
    .strict()
    .refine((p) => p.passed <= p.assessed, { message: 'passed cannot exceed assessed', path: ['passed'] }),

  // ---- DSL
  [RESOLVER_KEYS.dslRegister]: z
    .object({
      projectId: jiraId,
      ...dslItemFields,
      /** Releases the item belongs to (each keeps a summary of it, written in the same transaction). */
      releaseIds: z.array(jiraId).max(DSL_IMPORT_LIMITS.releasesPerItem).optional(),
      /** The same, as people type them (`PAY-196`): resolved to ids on the server, refused when not a release of this project. */
      releaseKeys: z.array(issueKey).max(DSL_IMPORT_LIMITS.releasesPerItem).optional(),
      /** An older version of the same software: moved to SUPERSEDED in the same transaction (the rules of replace). */
      supersedesItemId: entityId.optional(),
    })
    .strict(),
  [RESOLVER_KEYS.dslApprove]: z.object(onDslItem).strict(),
  [RESOLVER_KEYS.dslCheckIn]: z.object({ ...onDslItem, note: note().optional() }).strict(),
  [RESOLVER_KEYS.dslCheckOut]: z.object({ ...onDslItem, usageRequestId: entityId, purpose: note().optional() }).strict(),
  [RESOLVER_KEYS.dslReturn]: z.object({ ...onDslItem, note: note().optional() }).strict(),
  [RESOLVER_KEYS.dslReplace]: z.object({ ...onDslItem, replacementItemId: entityId }).strict(),
  [RESOLVER_KEYS.dslRetire]: z.object({ ...onDslItem, reason: text(L.text) }).strict(),
  /**
   * An audit: what was observed of the file (hashed in the browser) is compared with the item by the server;
   * `differences` adds what the auditor found by hand (licence, location...). Matched when nothing differs.
   */
  [RESOLVER_KEYS.dslAudit]: z
    .object({
      ...onDslItem,
      observedSha256: sha256.optional(),
      observedSizeBytes: sizeBytes.optional(),
      /** What the auditor found of the record's other fields (each compared with what the library recorded). */
      observedStorageUri: z.string().trim().min(1).max(L.url).optional(),
      observedVersion: text(100).optional(),
      observedLicence: note(L.shortText).optional(),
      differences: z
        .array(z.object({ field: text(100), expected: note(L.text), actual: note(L.text) }).strict())
        .max(L.listItems)
        .default([]),
      note: note().optional(),
    })
    .strict()
    .refine(
      (p) =>
        [p.observedSha256, p.observedSizeBytes, p.observedStorageUri, p.observedVersion, p.observedLicence].some((v) => v !== undefined) ||
        p.differences.length > 0 ||
        (p.note ?? '').trim().length > 0,
      {
        message: 'an audit observes the file or records a finding',
        path: ['observedSha256'],
      },
    ),
  [RESOLVER_KEYS.dslLink]: z.object({ ...onDslItem, releaseId: jiraId }).strict(),
  [RESOLVER_KEYS.dslRequestUsage]: z
    .object({ itemId: entityId, purpose: text(L.text), environment: z.enum(DSL_ENVIRONMENTS), releaseId: jiraId.optional(), releaseKey: issueKey.optional() })
    .strict()
    .refine((p) => p.releaseId === undefined || p.releaseKey === undefined, { message: 'give releaseId or releaseKey, not both', path: ['releaseKey'] }),
  [RESOLVER_KEYS.dslDecideUsage]: z.object({ requestId: entityId, expectedVersion: version, approve: z.boolean(), note: note().optional() }).strict(),
  /**
   * A CSV file as the browser parsed it (papaparse): the header and the cells of each row. Validated row by
   * row before anything is written; see services/dsl-import.ts.
   */
  [RESOLVER_KEYS.dslImport]: z
    .object({
      projectId: jiraId,
      header: z.array(z.string().max(100)).min(1).max(DSL_IMPORT_LIMITS.columns),
      rows: z.array(z.array(z.string().max(L.url)).max(DSL_IMPORT_LIMITS.columns)).min(1).max(DSL_IMPORT_LIMITS.rows),
      dryRun: z.boolean().optional(),
    })
    .strict()
    .refine((p) => p.rows.reduce((n, r) => n + r.reduce((m, c) => m + c.length, 0), 0) <= DSL_IMPORT_LIMITS.totalChars, {
      message: 'the file is too large',
      path: ['rows'],
    }),
  /**
   * The chunked import (services/dsl-import.ts): `importId` is `imp-` + the first 24 hex digits of the
   * SHA-256 of `[projectId, header, rows]` as JSON, which the server checks against the chunks it holds.
   */
  [RESOLVER_KEYS.dslImportStart]: z
    .object({
      projectId: jiraId,
      importId: importIdSchema,
      header: z.array(z.string().max(100)).min(1).max(DSL_IMPORT_LIMITS.columns),
      rows: z.number().int().min(1).max(DSL_IMPORT_LIMITS.rows),
      chunks: z.number().int().min(1).max(DSL_IMPORT_CHUNKS.maxChunks),
    })
    .strict(),
  [RESOLVER_KEYS.dslImportChunk]: z
    .object({
      projectId: jiraId,
      importId: importIdSchema,
      index: z.number().int().min(0).max(DSL_IMPORT_CHUNKS.maxChunks - 1),
      rows: z.array(z.array(z.string().max(L.url)).max(DSL_IMPORT_LIMITS.columns)).min(1).max(DSL_IMPORT_LIMITS.rows),
    })
    .strict()
    .refine((p) => jsonBytes(p.rows) <= DSL_IMPORT_CHUNKS.maxChunkBytes, { message: 'the chunk is too large', path: ['rows'] }),
  [RESOLVER_KEYS.dslImportCommit]: z.object({ projectId: jiraId, importId: importIdSchema, dryRun: z.boolean().optional() }).strict(),
  [RESOLVER_KEYS.dslImportStatus]: z.object({ projectId: jiraId, importId: importIdSchema.optional() }).strict(),
  [RESOLVER_KEYS.dslSyncEnvironments]: z.object({ releaseId: jiraId }).strict(),

  // ---- process
  [RESOLVER_KEYS.manageImprovementActions]: z.discriminatedUnion('op', [
    z.object({ op: z.literal('CREATE'), projectId: jiraId, ...improvementFields }).strict(),
    z
      .object({
        op: z.literal('UPDATE'),
        projectId: jiraId,
        actionId: entityId,
        expectedVersion: version,
        title: improvementFields.title.optional(),
        description: improvementFields.description,
        ownerAccountId: accountId.optional(),
        dueAt: epochMs.optional(),
      })
      .strict(),
    z.object({ op: z.literal('COMPLETE'), projectId: jiraId, actionId: entityId, expectedVersion: version, completedAt: epochMs }).strict(),
    z.object({ op: z.literal('DELETE'), projectId: jiraId, actionId: entityId, expectedVersion: version }).strict(),
  ]),
  [RESOLVER_KEYS.proposeImprovementAction]: z
    .object({ projectId: jiraId, title: text(L.shortText), description: note(L.longText).optional(), sourceReleaseId: jiraId.optional() })
    .strict(),

  /** Applies the release's pending Jira effects now and re-checks what Jira shows (the process owner). */
  [RESOLVER_KEYS.retryJira]: z.object({ releaseId: jiraId.optional() }).strict(),

  // ---- reads
  /** The issue comes from the invocation context; releaseId only re-states it. */
  [RESOLVER_KEYS.getPanel]: z.object({ releaseId: jiraId.optional() }).strict(),
  /** The glance's light read of the same issue: status, outcome, window and the next step's checklist. */
  [RESOLVER_KEYS.getPanelSummary]: z.object({ releaseId: jiraId.optional() }).strict(),
  [RESOLVER_KEYS.listQueue]: z
    .object({ projectId: jiraId, role: z.union([standingRole, z.enum(['IMPLEMENTER', 'TEST_EXPERT', 'REQUESTER', 'MINE'])]), cursor: cursor.optional(), limit: limit.optional() })
    .strict(),
  [RESOLVER_KEYS.listReleases]: z
    .object({
      projectId: jiraId,
      status: z.enum(RELEASE_STATUSES).optional(),
      leadAccountId: accountId.optional(),
      windowFrom: epochMs.optional(),
      windowTo: epochMs.optional(),
      cursor: cursor.optional(),
      limit: limit.optional(),
    })
    .strict()
    .refine((p) => p.windowFrom === undefined || p.windowTo === undefined || p.windowFrom <= p.windowTo, {
      message: 'windowFrom must not be after windowTo',
      path: ['windowTo'],
    }),
  [RESOLVER_KEYS.listTraining]: z
    .object({
      projectId: jiraId,
      dueFrom: epochMs.optional(),
      dueTo: epochMs.optional(),
      overdueOnly: z.boolean().optional(),
      trainerAccountId: accountId.optional(),
      cursor: cursor.optional(),
      limit: limit.optional(),
    })
    .strict(),
  [RESOLVER_KEYS.listImprovementActions]: z
    .object({ projectId: jiraId, openOnly: z.boolean().optional(), cursor: cursor.optional(), limit: limit.optional() })
    .strict(),
  [RESOLVER_KEYS.listDslItems]: z
    .object({
      projectId: jiraId,
      status: z.enum(DSL_STATUSES).optional(),
      nameStartsWith: note(L.shortText).optional(),
      version: note(100).optional(),
      environment: z.enum(DSL_ENVIRONMENTS).optional(),
      releaseId: jiraId.optional(),
      cursor: cursor.optional(),
      limit: limit.optional(),
    })
    .strict(),
  [RESOLVER_KEYS.getDslItem]: z.object({ itemId: entityId, historyCursor: cursor.optional() }).strict(),
  [RESOLVER_KEYS.listDslUsageRequests]: z
    .object({ projectId: jiraId, itemId: entityId.optional(), status: z.enum(USAGE_REQUEST_STATUSES).optional(), cursor: cursor.optional(), limit: limit.optional() })
    .strict(),
  [RESOLVER_KEYS.getDslConsistency]: z.object({ projectId: jiraId, releaseId: jiraId.optional() }).strict(),
  [RESOLVER_KEYS.exportDsl]: z.object({ projectId: jiraId, status: z.enum(DSL_STATUSES).optional() }).strict(),
  [RESOLVER_KEYS.listDslFixVersions]: z.object({ projectId: jiraId }).strict(),
  [RESOLVER_KEYS.listDslEnvironments]: z.object({ projectId: jiraId, environment: z.enum(DSL_ENVIRONMENTS).optional() }).strict(),
  [RESOLVER_KEYS.getKpis]: z
    .object({ projectId: jiraId, fromMonth: month, toMonth: month, kpis: z.array(z.enum(KPI_NAMES)).max(KPI_NAMES.length).optional() })
    .strict()
    .refine((p) => p.fromMonth <= p.toMonth, { message: 'fromMonth must not be after toMonth', path: ['toMonth'] })
    .refine((p) => monthSpan(p.fromMonth, p.toMonth) <= 24, { message: 'at most 24 months', path: ['fromMonth'] }),
  [RESOLVER_KEYS.getKpiDrillDown]: z
    .object({ projectId: jiraId, kpi: z.enum(KPI_NAMES), fromMonth: month, toMonth: month })
    .strict()
    .refine((p) => p.fromMonth <= p.toMonth, { message: 'fromMonth must not be after toMonth', path: ['toMonth'] })
    .refine((p) => monthSpan(p.fromMonth, p.toMonth) <= 24, { message: 'at most 24 months', path: ['fromMonth'] }),
  /** A release's or DSL item's trail (anyone who can browse), or the project's, filtered (the auditors). */
  [RESOLVER_KEYS.listAudit]: auditFilter.extend({ cursor: cursor.optional(), limit: limit.optional() }).strict().refine(oneSubject, oneSubjectError).refine(period, periodError),
  /** A page of the filtered trail for export, rendered in both languages; the UI pages until no cursor. */
  [RESOLVER_KEYS.exportAudit]: auditFilter.extend({ cursor: cursor.optional() }).strict().refine(oneSubject, oneSubjectError).refine(period, periodError),
  /** Recomputes the project's hash chains, a budget of events per call (process owner). */
  [RESOLVER_KEYS.verifyAudit]: z.object({ projectId: jiraId, cursor: cursor.optional() }).strict(),

  /** The project page's own project comes from the context; a payload projectId only re-states it. */
  [RESOLVER_KEYS.getProjectContext]: z.object({ projectId: jiraId.optional() }).strict(),
  /** Projects the user can browse that are set up for the app (with `includeNotSetUp`, the others too). */
  [RESOLVER_KEYS.listProjects]: z.object({ query: note(100).optional(), includeNotSetUp: z.boolean().optional() }).strict(),

  // ---- admin
  [RESOLVER_KEYS.listEvaluations]: z
    .object({ projectId: jiraId, accountId: accountId.optional(), releaseId: jiraId.optional(), cursor: cursor.optional(), limit: limit.optional() })
    .strict(),
  [RESOLVER_KEYS.searchPeople]: z
    .object({
      projectId: jiraId.optional(),
      pool: z.union([standingRole, z.literal('BROWSERS')]),
      query: note(F.peopleQuery),
      limit: z.number().int().min(1).max(50).optional(),
    })
    .strict(),
  [RESOLVER_KEYS.peopleNames]: z.object({ projectId: jiraId.optional(), accountIds: z.array(accountId).min(1).max(F.peopleNames) }).strict(),
  [RESOLVER_KEYS.setupProject]: z.object({ projectId: jiraId, resumeFromStep: text(100).optional() }).strict(),
  [RESOLVER_KEYS.getSetupStatus]: z.object({ projectId: jiraId }).strict(),
  [RESOLVER_KEYS.saveRoleMapping]: z
    .object({ projectId: jiraId, expectedVersion: version, roles: z.partialRecord(standingRole, jiraId) })
    .strict(),
  [RESOLVER_KEYS.savePolicy]: z.object({ projectId: jiraId, expectedVersion: version, policy: policyPatchSchema }).strict(),
} as const satisfies Record<ResolverKey, z.ZodType>;

function monthSpan(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}

export type PayloadSchemas = typeof PAYLOAD_SCHEMAS;
/** The validated payload type of a resolver. */
export type PayloadOf<K extends ResolverKey> = z.infer<PayloadSchemas[K]>;
/** What the UI may send (before defaults/trimming). */
export type PayloadInputOf<K extends ResolverKey> = z.input<PayloadSchemas[K]>;

export type ParseResult<K extends ResolverKey> =
  | { readonly ok: true; readonly data: PayloadOf<K> }
  | { readonly ok: false; readonly error: { readonly code: 'VALIDATION_FAILED'; readonly message: string; readonly field?: string } };

/** Validates a payload for `key`. The message is zod's English text; resolvers localise by code and field. */
export function parsePayload<K extends ResolverKey>(key: K, payload: unknown): ParseResult<K> {
  const schema = PAYLOAD_SCHEMAS[key] as z.ZodType;
  const r = schema.safeParse(payload);
  if (r.success) return { ok: true, data: r.data as PayloadOf<K> };
  const issue = r.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  return { ok: false, error: { code: 'VALIDATION_FAILED', message: issue?.message ?? 'invalid payload', ...(field ? { field } : {}) } };
}
