/**
 * Records of the daily job: its progress (one row, so that a stopped run continues where it stopped and two
 * overlapping invocations cannot both advance it) and one marker per overdue training reminder.
 */
import { z } from 'zod';
import { ENTITY } from './entities';
import { kpiMonthSchema } from './schemas';
import { getRow, queryIndex, safeKey, type Changes, type GetRef, type Row } from './store';
import { INDEX } from './entities';

const month = z.string().regex(/^\d{4}-\d{2}$/);
const int = z.number().int().nonnegative();

export const jobTaskSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('OVERDUE_IMPROVEMENTS'), projectId: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('RECONCILE'), projectId: z.string().min(1), month }).strict(),
  z.object({ kind: z.literal('TRAINING_REMINDERS'), projectId: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('JIRA_SWEEP'), projectId: z.string().min(1) }).strict(),
]);
export type JobTask = z.infer<typeof jobTaskSchema>;

export const RECONCILE_PHASES = ['RELEASES', 'DSL_AUDITS', 'IMPROVEMENTS'] as const;

/** Where the current month's recount stands: its phase, the page cursor and what was counted so far. */
export const reconcileStepSchema = z
  .object({
    phase: z.enum(RECONCILE_PHASES),
    cursor: z.string().optional(),
    /** The stored aggregate's version when the recount began: the repair is written only if it is unchanged. */
    baseVersion: z.number().int().nullable(),
    partial: kpiMonthSchema,
    restarts: int,
  })
  .strict();
export type ReconcileStep = z.infer<typeof reconcileStepSchema>;

export const jobProgressSchema = z
  .object({
    /** The UTC day (`YYYY-MM-DD`) the run is for. */
    day: z.string(),
    startedAt: z.number(),
    updatedAt: z.number(),
    completedAt: z.number().nullable(),
    /** Months asked for besides the current and previous one. */
    extraMonths: z.array(month).max(24),
    /** Listing the set-up projects (null once the task queue is built). */
    listing: z.object({ cursor: z.string().optional(), projectIds: z.array(z.string()) }).strict().nullable(),
    tasks: z.array(jobTaskSchema),
    taskIndex: int,
    /** A paged task's cursor (training reminders). */
    cursor: z.string().optional(),
    step: reconcileStepSchema.nullable(),
    stats: z
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
      .strict(),
  })
  .strict();
export type JobProgress = z.infer<typeof jobProgressSchema>;

export const jobProgressRef = (jobKey: string): GetRef<JobProgress> => ({ entity: ENTITY.jobProgress, key: jobKey, schema: jobProgressSchema });

export function putJobProgress(changes: Changes, jobKey: string, p: JobProgress, expectedVersion: number | null): number {
  return changes.put(ENTITY.jobProgress, jobKey, { updatedAt: p.updatedAt }, p, expectedVersion);
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
