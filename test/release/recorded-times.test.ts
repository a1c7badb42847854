import { RESOLVER_KEYS as K } from '../../src/contracts';
import { CLOCK_SKEW_MS } from '../../src/domain';
import { DAY, P, startWorld, type World } from '../support/release-world';

/**
 * Numbers that cannot lie (SPEC §5 KPIs): a time a person records must lie within the record's life, or it is
 * refused with its reason in the user's language and nothing is written.
 */
describe('recorded times within the record’s life, through the resolver', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  const YEAR_2000 = Date.UTC(2000, 0, 1);

  async function refusedWith(call: Promise<{ value: unknown }>, code: string, field: string): Promise<void> {
    const before = w.snapshot();
    const res = (await call).value as { ok: boolean; error?: { code: string; field?: string; reasons?: string[]; message: string } };
    expect(res.ok).toBe(false);
    expect(res.error).toMatchObject({ code, field, reasons: [code] });
    expect(res.error?.message).toMatch(/\w{6,}/);
    expect(w.snapshot()).toEqual(before);
  }

  it('a deployment that "finished" in the year 2000 is refused, and one in the future too', async () => {
    const id = await w.releaseAt('IMPLEMENTING');
    const pay = async (finishedAt: number) => ({ releaseId: id, expectedVersion: await w.version(id), succeeded: true, finishedAt });
    await refusedWith(w.onRelease('implementer', id, K.recordDeploymentResult, await pay(YEAR_2000)), 'TIME_BEFORE_IMPLEMENTATION', 'finishedAt');
    await refusedWith(w.onRelease('implementer', id, K.recordDeploymentResult, await pay(Date.now() + DAY)), 'TIME_IN_FUTURE', 'finishedAt');
    // a little clock skew is fine
    const ok = await w.onRelease('implementer', id, K.recordDeploymentResult, await pay(Date.now() + CLOCK_SKEW_MS / 2));
    expect(ok.value.ok).toBe(true);
  });

  it('training delivered before the release was approved is refused', async () => {
    const id = await w.releaseAt('BUILD_TEST', { skip: ['trainingDelivered'] });
    const task = (await w.stored(id)).training[0];
    const approvedAt = (await w.stored(id)).release.statusEnteredAt.PLANNING as number;
    await refusedWith(
      w.onRelease('trainer', id, K.recordTrainingDelivery, { releaseId: id, expectedVersion: await w.version(id), taskId: task?.id, deliveredAt: approvedAt - DAY }),
      'TIME_BEFORE_APPROVAL',
      'deliveredAt',
    );
  });

  it('a rehearsal "held" next week is refused', async () => {
    const id = await w.releaseAt('BUILD_TEST', { skip: ['rehearsal'] });
    await refusedWith(
      w.onRelease('lead', id, K.recordRehearsal, { releaseId: id, expectedVersion: await w.version(id), at: Date.now() + 7 * DAY, environment: 'staging', result: 'PASSED' }),
      'TIME_IN_FUTURE',
      'at',
    );
  });

  it('an improvement action completed before it was created is refused', async () => {
    const created = await w.onProject<{ id: string }>('owner', K.manageImprovementActions, { projectId: w.project.id, op: 'CREATE', title: 'Shorter review', ownerAccountId: P.manager, dueAt: Date.now() + 3 * DAY });
    if (!created.value.ok) throw new Error('not created');
    await refusedWith(
      w.onProject('owner', K.manageImprovementActions, { projectId: w.project.id, op: 'COMPLETE', actionId: created.value.data.id, expectedVersion: 1, completedAt: YEAR_2000 }),
      'TIME_BEFORE_CREATED',
      'completedAt',
    );
  });
});
