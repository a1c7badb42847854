/**
 * Overdue training reminders (SPEC §6 daily job): a training task past its due date and not delivered gets
 * one comment on its release issue that mentions the trainer, so Jira notifies them where they already work
 * and the team sees it in the issue's activity.
 *
 * Once per task and due date, also across stopped and overlapping runs: a marker record is claimed first
 * (created only if absent), then the comment is posted carrying an entity property with the task id, then
 * the marker is marked SENT with its audit event. A marker left PENDING by a run that stopped in between is
 * settled by looking for that property on the issue's comments before posting again.
 */
import enUS from '../../locales/en-US.json';
import zhCN from '../../locales/zh-CN.json';
import { isOverdue, type TrainingTask } from '../domain/training';
import { addIssueComment, findIssueComment, type AdfDoc } from '../jira/comments';
import { putTrainingReminder, trainingReminderRef, type TrainingReminder } from '../storage/jobs';
import { getMany, releaseRef, trainingByDue } from '../storage/records';
import { Changes, ConflictError } from '../storage/store';

const DAY = 86_400_000;
/** Tasks overdue for longer than this are not reminded any more (the index read stays bounded). */
export const REMINDER_LOOKBACK_MS = 60 * DAY;
/** A PENDING marker younger than this may belong to a run still posting: leave it to that run. */
export const PENDING_STALE_MS = 20 * 60_000;
export const REMINDER_PROPERTY = 'release-governance-training-reminder';
const APP_ACTOR = 'app';
const SKIPPED_STATUSES = new Set(['REJECTED', 'CANCELLED']);

type Audience = TrainingTask['audience'];
const AUDIENCE: Record<'en' | 'zh', Record<Audience, string>> = { en: enUS.audience, zh: zhCN.audience };

function reminderBody(task: TrainingTask): AdfDoc {
  const due = new Date(task.dueAt).toISOString().slice(0, 10);
  const mention = { type: 'mention' as const, attrs: { id: task.trainerAccountId } };
  return {
    type: 'doc',
    version: 1,
    content: [
      {
        type: 'paragraph',
        content: [
          mention,
          { type: 'text', text: ` Training for ${AUDIENCE.en[task.audience].toLowerCase()} on this release was due on ${due} and is not recorded as delivered. Please record the delivery, or agree a new due date with the release lead.` },
        ],
      },
      {
        type: 'paragraph',
        content: [mention, { type: 'text', text: ` 本发布面向${AUDIENCE.zh[task.audience]}的培训已于 ${due} 到期，尚未记录为已交付。请记录交付情况，或与发布主管商定新的截止日期。` }],
      },
    ],
  };
}

export interface ReminderEnv {
  now: number;
  pageSize: number;
}

/** One page of the project's training due in the look-back window; reminds each overdue task once. */
export async function remindOverdueTraining(projectId: string, cursor: string | undefined, env: ReminderEnv): Promise<{ sent: number; cursor?: string }> {
  const page = await trainingByDue(projectId, env.now - REMINDER_LOOKBACK_MS, env.now, { limit: env.pageSize, ...(cursor ? { cursor } : {}) });
  const overdue = page.items.filter((t) => isOverdue(t, env.now));
  const next = page.cursor ? { cursor: page.cursor } : {};
  if (overdue.length === 0) return { sent: 0, ...next };
  const [releases, markers] = await Promise.all([getMany(overdue.map((t) => releaseRef(t.releaseId))), getMany(overdue.map((t) => trainingReminderRef(t.id, t.dueAt)))]);
  let sent = 0;
  for (const [i, task] of overdue.entries()) {
    const release = releases[i]?.doc.release;
    if (!release || release.projectId !== projectId || !release.issueKey || SKIPPED_STATUSES.has(release.status)) continue;
    try {
      if (await remind(projectId, task, release.issueKey, markers[i] ?? null, env.now)) sent++;
    } catch (err) {
      if (err instanceof ConflictError) continue; // another run claimed or settled it
      // The marker stays PENDING; a later run settles it.
      console.warn('training reminder failed', task.id, err instanceof Error ? err.message : String(err));
    }
  }
  return { sent, ...next };
}

async function remind(projectId: string, task: TrainingTask, issueKey: string, marker: { version: number; doc: TrainingReminder } | null, now: number): Promise<boolean> {
  if (marker?.doc.state === 'SENT') return false;
  let version: number;
  let commentId: string | null = null;
  const isThisReminder = (v: unknown) => isObj(v) && v.taskId === task.id && v.dueAt === task.dueAt;
  if (!marker) {
    const claim: TrainingReminder = {
      projectId,
      releaseId: task.releaseId,
      issueKey,
      taskId: task.id,
      dueAt: task.dueAt,
      trainerAccountId: task.trainerAccountId,
      state: 'PENDING',
      claimedAt: now,
      sentAt: null,
      commentId: null,
    };
    const changes = new Changes();
    putTrainingReminder(changes, claim, null);
    await changes.commit();
    version = 1;
  } else {
    if (now - marker.doc.claimedAt < PENDING_STALE_MS) return false;
    version = marker.version;
    commentId = await findIssueComment(issueKey, REMINDER_PROPERTY, isThisReminder);
  }
  commentId ??= await addIssueComment(issueKey, reminderBody(task), { key: REMINDER_PROPERTY, value: { taskId: task.id, dueAt: task.dueAt } }, isThisReminder);
  const done: TrainingReminder = {
    ...(marker?.doc ?? { projectId, releaseId: task.releaseId, issueKey, taskId: task.id, dueAt: task.dueAt, trainerAccountId: task.trainerAccountId, claimedAt: now }),
    state: 'SENT',
    sentAt: now,
    commentId,
  };
  const changes = new Changes();
  putTrainingReminder(changes, done, version);
  changes.audit({
    projectId,
    subjectType: 'RELEASE',
    subjectId: task.releaseId,
    action: 'training.reminded',
    actorAccountId: APP_ACTOR,
    at: now,
    before: {},
    after: { taskId: task.id, trainer: task.trainerAccountId, dueAt: task.dueAt, commentId },
  });
  await changes.commit();
  return true;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
