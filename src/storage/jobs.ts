/**
 * Records of the daily job, all versioned rows of `job-progress`: the day's run (what was planned and which
 * projects are done), one row per unit (a task of one project, or the recount of one project-month) so that a
 * stopped unit continues where it stopped and two overlapping invocations cannot both advance it, one row
 * per project (which of its units are done), one row per recount page (that page's partial count); and one
 * marker per overdue training reminder.
 */
import { z } from 'zod';
import { ENTITY } from './entities';
import { kpiMonthSchema } from './schemas';
import { CorruptRecordError, getRow, getStoredVersion, queryIndex, safeKey, type Changes, type GetRef, type Row } from './store';
import { INDEX } from './entities';

const month = z.string().regex(/^\d{4}-\d{2}$/);
const int = z.number().int().nonnegative();
/** A month's closed releases are recounted in this many slices (days 1–7, 8–14, 15–21, 22–end), in parallel. */
export const RECONCILE_SLICES = 4;

export const jobTaskSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('OVERDUE_IMPROVEMENTS'), projectId: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('RECONCILE'), projectId: z.string().min(1), month }).strict(),
  /** The releases closed in one week-long slice of a month, for the month's recount attempt `attempt`. */
  z.object({ kind: z.literal('RECONCILE_SLICE'), projectId: z.string().min(1), month, slice: z.number().int().min(0).max(RECONCILE_SLICES - 1), attempt: int }).strict(),
  z.object({ kind: z.literal('TRAINING_REMINDERS'), projectId: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('JIRA_SWEEP'), projectId: z.string().min(1) }).strict(),
]);
export type JobTask = z.infer<typeof jobTaskSchema>;

/** A slice counts RELEASES; the month's own unit counts DSL_AUDITS and IMPROVEMENTS, then WAITs for its slices and combines. */
export const RECONCILE_PHASES = ['RELEASES', 'DSL_AUDITS', 'IMPROVEMENTS', 'WAIT'] as const;

export const jobStatsSchema = z
  .object({
    monthsChecked: int,
    monthsRepaired: int,
    overdueImprovements: int,
    reminders: int,
    /** Releases whose Jira state the sweep repaired (src/effects/sweep.ts). */
    jiraRepaired: int.optional(),
    restarts: int,
    failures: z.array(z.object({ task: z.string(), message: z.string() }).strict()).max(20),
  })
  .strict();
export type JobStats = z.infer<typeof jobStatsSchema>;

/**
 * The day's run (one row, key DAILY_JOB_KEY): what the scheduled trigger planned and how far the fan-out has
 * come. Units (one per project and task, and per project and month for the recount) run in their own
 * consumer invocations with their own progress rows; a unit that completes marks itself done in its project's
 * row, the project's last unit marks the project done here, the last project completes the run.
 */
export const jobProgressSchema = z
  .object({
    /** Identifies the run (its start time): every unit and event of the run carries it. */
    runId: z.number(),
    /** The UTC day (`YYYY-MM-DD`) the run is for. */
    day: z.string(),
    startedAt: z.number(),
    updatedAt: z.number(),
    completedAt: z.number().nullable(),
    /** Months asked for besides the current and previous one. */
    extraMonths: z.array(month).max(24),
    /** Listing the set-up projects (null once every project is listed). */
    listing: z.object({ cursor: z.string().optional() }).strict().nullable(),
    /** The set-up projects, as listed. */
    projects: z.array(z.string()),
    /** How many of `projects` have had their units pushed to the queue. */
    pushed: int,
    /** Projects all of whose units completed. */
    doneProjects: z.array(z.string()),
    stats: jobStatsSchema,
  })
  .strict();
export type JobProgress = z.infer<typeof jobProgressSchema>;

export const jobProgressRef = (jobKey: string): GetRef<JobProgress> => ({ entity: ENTITY.jobProgress, key: jobKey, schema: jobProgressSchema });

/**
 * The run row; for a row that an earlier version of the app wrote in another shape (the single progress
 * record of the chained job), its version alone, so that the next run replaces it instead of failing on it
 * every day.
 */
export async function getJobRun(jobKey: string): Promise<{ version: number; doc: JobProgress | null } | null> {
  try {
    return await getRow(jobProgressRef(jobKey));
  } catch (err) {
    if (!(err instanceof CorruptRecordError)) throw err;
    const version = await getStoredVersion(ENTITY.jobProgress, jobKey);
    return version === null ? null : { version, doc: null };
  }
}

export function putJobProgress(changes: Changes, jobKey: string, p: JobProgress, expectedVersion: number | null): number {
  return changes.put(ENTITY.jobProgress, jobKey, { updatedAt: p.updatedAt }, p, expectedVersion);
}

/**
 * One unit of a run: a task of one project (for the recount: of one month). Its row is reused from run to
 * run (the run id inside says whose it is), so storage does not grow with the days.
 */
export const jobUnitSchema = z
  .object({
    runId: z.number(),
    task: jobTaskSchema,
    updatedAt: z.number(),
    completedAt: z.number().nullable(),
    /** The page cursor of the current phase (paged tasks). */
    cursor: z.string().optional(),
    /** The recount: its phase, attempt (a restart begins another), pages counted so far in this attempt. */
    phase: z.enum(RECONCILE_PHASES).optional(),
    attempt: int,
    pages: int,
    /** The most page rows any attempt (of any run) left for this unit: what the clean-up looks at. */
    pagesHigh: int.optional(),
    /** The stored aggregate's version when the recount began: the repair is written only if it is unchanged. */
    baseVersion: z.number().int().nullable(),
    steps: int,
    stats: jobStatsSchema,
  })
  .strict();
export type JobUnit = z.infer<typeof jobUnitSchema>;

export function unitKey(task: JobTask): string {
  if (task.kind === 'RECONCILE') return safeKey('unit', task.kind, task.projectId, task.month);
  if (task.kind === 'RECONCILE_SLICE') return safeKey('unit', task.kind, task.projectId, task.month, String(task.slice));
  return safeKey('unit', task.kind, task.projectId);
}
export const jobUnitRef = (task: JobTask): GetRef<JobUnit> => ({ entity: ENTITY.jobProgress, key: unitKey(task), schema: jobUnitSchema });

export function putJobUnit(changes: Changes, u: JobUnit, expectedVersion: number | null): number {
  return changes.put(ENTITY.jobProgress, unitKey(u.task), { updatedAt: u.updatedAt }, u, expectedVersion);
}

/** A project's share of a run: which of its units completed, and what they counted. */
export const jobProjectSchema = z
  .object({
    runId: z.number(),
    projectId: z.string(),
    updatedAt: z.number(),
    done: z.array(z.string()),
    completedAt: z.number().nullable(),
    stats: jobStatsSchema,
  })
  .strict();
export type JobProject = z.infer<typeof jobProjectSchema>;

const projectKey = (projectId: string): string => safeKey('project', projectId);
export const jobProjectRef = (projectId: string): GetRef<JobProject> => ({ entity: ENTITY.jobProgress, key: projectKey(projectId), schema: jobProjectSchema });

export function putJobProject(changes: Changes, p: JobProject, expectedVersion: number | null): number {
  return changes.put(ENTITY.jobProgress, projectKey(p.projectId), { updatedAt: p.updatedAt }, p, expectedVersion);
}

/**
 * One page of a month's recount: the aggregate of that page alone, in its own row (written with the unit's
 * advanced progress, in the same transaction, under the unit's version). The combine step reads the pages of
 * the unit's attempt and merges them, so no record ever holds a whole busy month's partial count but the
 * month's aggregate itself.
 */
export const jobPartialSchema = z
  .object({
    runId: z.number(),
    attempt: int,
    page: int,
    partial: kpiMonthSchema,
  })
  .strict();
export type JobPartial = z.infer<typeof jobPartialSchema>;

/** A page of the month's own unit (slice undefined) or of one of its slices. */
const partialKey = (projectId: string, month: string, page: number, slice?: number): string =>
  slice === undefined ? safeKey('part', projectId, month, String(page)) : safeKey('part', projectId, month, `s${slice}`, String(page));
export const jobPartialRef = (projectId: string, month: string, page: number, slice?: number): GetRef<JobPartial> => ({
  entity: ENTITY.jobProgress,
  key: partialKey(projectId, month, page, slice),
  schema: jobPartialSchema,
});

export const jobPartialKey = partialKey;

/** Beside the unit's own versioned put only: that put's condition guards this row too. */
export function putJobPartial(changes: Changes, projectId: string, month: string, p: JobPartial, at: number, slice?: number): void {
  changes.putCompanion(ENTITY.jobProgress, partialKey(projectId, month, p.page, slice), { updatedAt: at }, p);
}

export const trainingReminderSchema = z
  .object({
    projectId: z.string(),
    releaseId: z.string(),
    issueKey: z.string(),
    taskId: z.string(),
    dueAt: z.number(),
    trainerAccountId: z.string(),
    /** PENDING: claimed, the comment may or may not have been posted; SENT: posted (commentId). */
    state: z.enum(['PENDING', 'SENT']),
    claimedAt: z.number(),
    sentAt: z.number().nullable(),
    commentId: z.string().nullable(),
  })
  .strict();
export type TrainingReminder = z.infer<typeof trainingReminderSchema>;

/** One reminder per task and due date: a task moved to a later date that slips again is reminded again. */
export const trainingReminderKey = (taskId: string, dueAt: number): string => safeKey(taskId, String(Math.floor(dueAt)));

export const trainingReminderRef = (taskId: string, dueAt: number): GetRef<TrainingReminder> => ({
  entity: ENTITY.trainingReminder,
  key: trainingReminderKey(taskId, dueAt),
  schema: trainingReminderSchema,
});

export function putTrainingReminder(changes: Changes, r: TrainingReminder, expectedVersion: number | null): void {
  changes.put(
    ENTITY.trainingReminder,
    trainingReminderKey(r.taskId, r.dueAt),
    { projectId: r.projectId, releaseId: r.releaseId, state: r.state, at: r.sentAt ?? r.claimedAt },
    r,
    expectedVersion,
  );
}

export async function remindersOfRelease(releaseId: string): Promise<TrainingReminder[]> {
  const page = await queryIndex({ entity: ENTITY.trainingReminder, index: INDEX.trainingReminder.byRelease, partition: [releaseId], sort: 'ASC', limit: 100 }, trainingReminderSchema);
  return page.items.map((r) => r.doc);
}

export { getRow, type Row };
