import { RESOLVER_KEYS as K } from '../../src/contracts';
import { addIssueComment } from '../../src/jira/comments';
import { REMINDER_PROPERTY } from '../../src/services/training-reminders';
import { putTrainingReminder, remindersOfRelease } from '../../src/storage/jobs';
import { Changes } from '../../src/storage/store';
import { realNow } from '../../sandbox/runtime/context';
import { DAY, HOUR, P, startWorld, type World } from '../support/release-world';
import { auditsOf, daysLater, getKpis, kpiRow, progress, runJob } from './support';

const monthOf = (t: number) => new Date(t).toISOString().slice(0, 7);

describe('improvement actions in the KPIs', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  async function manage(payload: Record<string, unknown>): Promise<{ id: string }> {
    const res = await w.onProject<{ id: string }>('owner', K.manageImprovementActions, { projectId: w.project.id, ...payload });
    if (!res.value.ok) throw new Error(JSON.stringify(res.value.error));
    return res.value.data;
  }

  it('counts a completion in the month the action was due, in the completing transaction, once; the daily job adds actions that passed their due date uncompleted, once', async () => {
    const now = realNow();
    const onTime = await manage({ op: 'CREATE', title: 'Shorten the CAB review', ownerAccountId: P.owner, dueAt: now + 2 * HOUR });
    const slipping = await manage({ op: 'CREATE', title: 'Automate the DSL audit', ownerAccountId: P.owner, dueAt: now + HOUR });
    expect(await kpiRow(w, monthOf(now))).toBeNull();

    await manage({ op: 'COMPLETE', actionId: onTime.id, expectedVersion: 1, completedAt: now });
    const month = monthOf(now + 2 * HOUR);
    expect((await kpiRow(w, month))?.doc).toMatchObject({ improvementActionIds: [onTime.id], improvementsDue: 1, improvementsOnTime: 1 });
    // Completing again (a repeated request) counts nothing more.
    await manage({ op: 'COMPLETE', actionId: onTime.id, expectedVersion: 2, completedAt: now });
    expect((await kpiRow(w, month))?.doc).toMatchObject({ improvementsDue: 1, improvementsOnTime: 1 });

    // A day later the other one is overdue: the job counts it late, once, and says so in the audit trail.
    daysLater(w, 1);
    await runJob(w);
    const dueMonth = monthOf(now + HOUR);
    const counted = (await kpiRow(w, dueMonth))?.doc;
    expect(counted?.improvementActionIds).toEqual(expect.arrayContaining([onTime.id, slipping.id]));
    expect(counted).toMatchObject({ improvementsDue: 2, improvementsOnTime: 1 });
    expect(auditsOf(w, 'kpi.improvementsOverdue').map((a) => a.after.improvementActions)).toEqual([[slipping.id]]);
    expect((await progress(w))?.stats).toMatchObject({ overdueImprovements: 1, monthsRepaired: 0 });

    // Completed late afterwards, and the job again the next day: still counted once, late.
    await manage({ op: 'COMPLETE', actionId: slipping.id, expectedVersion: 1, completedAt: realNow() + DAY });
    daysLater(w, 2);
    await runJob(w);
    expect((await kpiRow(w, dueMonth))?.doc).toMatchObject({ improvementsDue: 2, improvementsOnTime: 1 });
    expect(auditsOf(w, 'kpi.improvementsOverdue')).toHaveLength(1);
    expect(auditsOf(w, 'kpi.reconcile')).toEqual([]);
    const kpis = await getKpis(w, dueMonth);
    expect(kpis.total.find((k) => k.name === 'PROCESS_OPTIMISATION_TIMELINESS')?.value).toBe(0.5);
  });
});

describe('overdue training reminders', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  const commentsOn = (w: World, releaseId: string) => w.jira.state.comments(Number(releaseId));

  it('comments once on the release issue, mentioning the trainer, for each task past due and not delivered', async () => {
    const overdue = await w.releaseAt('PLANNING'); // its help-desk training is due in two days
    const delivered = await w.releaseAt('BUILD_TEST'); // delivered already
    const cancelled = await w.releaseAt('PLANNING');
    await w.act('manager', cancelled, K.cancel, { reason: 'Superseded by another change' });

    daysLater(w, 1);
    await runJob(w);
    expect(commentsOn(w, overdue)).toEqual([]);

    daysLater(w, 3);
    await runJob(w);
    const [comment, ...more] = commentsOn(w, overdue);
    expect(more).toEqual([]);
    expect(JSON.stringify(comment?.body)).toContain(`"type":"mention","attrs":{"id":"${P.trainer}"}`);
    expect(JSON.stringify(comment?.body)).toContain('Help desk'.toLowerCase());
    expect(Object.keys(comment?.properties ?? {})).toEqual([REMINDER_PROPERTY]);
    expect(commentsOn(w, delivered)).toEqual([]);
    expect(commentsOn(w, cancelled)).toEqual([]);
    const [marker] = (await w.platform.run(() => remindersOfRelease(overdue))).value;
    expect(marker).toMatchObject({ state: 'SENT', commentId: String(comment?.id), trainerAccountId: P.trainer });
    expect(auditsOf(w, 'training.reminded').map((a) => [a.subjectId, a.after.trainer])).toEqual([[overdue, P.trainer]]);
    expect((await progress(w))?.stats.reminders).toBe(1);

    // Later runs (and a repeated one the same day) remind nobody again.
    await runJob(w);
    daysLater(w, 4);
    await runJob(w);
    daysLater(w, 5);
    await runJob(w, { pageSize: 1, maxSteps: 3 });
    await runJob(w, { pageSize: 1 });
    expect(commentsOn(w, overdue)).toHaveLength(1);
    expect(auditsOf(w, 'training.reminded')).toHaveLength(1);
  });

  it('reminds every overdue task of a release that has two (one batch read asks for the release once)', async () => {
    const twice = await w.releaseAt('PLANNING'); // help-desk training due in two days
    await w.act('trainer', twice, K.manageTraining, { op: 'CREATE', audience: 'MAINTENANCE', trainerAccountId: P.trainer, dueAt: realNow() + 7 * DAY });
    const before = auditsOf(w, 'training.reminded').length;
    daysLater(w, 9);
    await runJob(w);
    const comments = commentsOn(w, twice);
    expect(comments).toHaveLength(2);
    expect(auditsOf(w, 'training.reminded').filter((a) => a.subjectId === twice)).toHaveLength(2);
    expect(auditsOf(w, 'training.reminded').length - before).toBeGreaterThanOrEqual(2);
    expect(((await progress(w))?.stats.failures ?? []).filter((f) => f.message.includes('more than once'))).toEqual([]);
  });

  it('settles a reminder a stopped run left half done: the posted comment is found, not posted twice', async () => {
    const id = await w.releaseAt('PLANNING');
    const task = (await w.stored(id)).training[0];
    if (!task) throw new Error('no training task');
    const issueKey = w.jira.getIssue(id)?.key ?? id;
    // The run claimed the reminder and posted the comment, then stopped before marking it sent.
    await w.platform.run(async () => {
      await addIssueComment(issueKey, { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'reminder' }] }] }, { key: REMINDER_PROPERTY, value: { taskId: task.id, dueAt: task.dueAt } }, () => false);
      const changes = new Changes();
      putTrainingReminder(
        changes,
        { projectId: w.project.id, releaseId: id, issueKey, taskId: task.id, dueAt: task.dueAt, trainerAccountId: task.trainerAccountId, state: 'PENDING', claimedAt: realNow(), sentAt: null, commentId: null },
        null,
      );
      await changes.commit();
    });
    daysLater(w, 10);
    await runJob(w);
    const comments = commentsOn(w, id);
    expect(comments).toHaveLength(1);
    const [marker] = (await w.platform.run(() => remindersOfRelease(id))).value;
    expect(marker).toMatchObject({ state: 'SENT', commentId: String(comments[0]?.id) });
  });
});
