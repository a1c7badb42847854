/** Training tasks (培训任务): end-user, maintenance and help-desk training of a release. */

export const TRAINING_AUDIENCES = ['END_USER', 'MAINTENANCE', 'HELP_DESK'] as const;
export type TrainingAudience = (typeof TRAINING_AUDIENCES)[number];

export interface TrainingTask {
  readonly id: string;
  readonly releaseId: string;
  readonly audience: TrainingAudience;
  readonly trainerAccountId: string;
  readonly dueAt: number;
  readonly deliveredAt: number | null;
  /** Trainees assessed and trainees who passed (0 until results are recorded). */
  readonly assessed: number;
  readonly passed: number;
  readonly feedback: readonly string[];
}

export function helpDeskTrainingDelivered(tasks: readonly TrainingTask[]): boolean {
  return tasks.some((t) => t.audience === 'HELP_DESK' && t.deliveredAt !== null);
}

export function deliveredOnTime(task: TrainingTask): boolean {
  return task.deliveredAt !== null && task.deliveredAt <= task.dueAt;
}

/** A task counts as "due" once delivered or once its due date has passed. */
export function isDue(task: TrainingTask, now: number): boolean {
  return task.deliveredAt !== null || task.dueAt <= now;
}

export function isOverdue(task: TrainingTask, now: number): boolean {
  return task.deliveredAt === null && task.dueAt < now;
}

/** A release that will never be delivered: its undelivered training is withdrawn, not overdue. */
export function isTrainingWithdrawn(releaseStatus: string | null | undefined): boolean {
  return releaseStatus === 'CANCELLED' || releaseStatus === 'REJECTED';
}

/** Overdue as the lists show it: past due, not delivered, and its release still going ahead. */
export function isOverdueTraining(task: TrainingTask, releaseStatus: string | null | undefined, now: number): boolean {
  return isOverdue(task, now) && !isTrainingWithdrawn(releaseStatus);
}

export interface TrainingFacts {
  readonly due: number;
  readonly deliveredOnTime: number;
  readonly assessed: number;
  readonly passed: number;
}

/** The training counts a release contributes to the KPIs, as of `now` (its close). */
export function trainingFacts(tasks: readonly TrainingTask[], now: number): TrainingFacts {
  let due = 0;
  let onTime = 0;
  let assessed = 0;
  let passed = 0;
  for (const t of tasks) {
    if (isDue(t, now)) {
      due++;
      if (deliveredOnTime(t)) onTime++;
    }
    assessed += t.assessed;
    passed += t.passed;
  }
  return { due, deliveredOnTime: onTime, assessed, passed };
}
