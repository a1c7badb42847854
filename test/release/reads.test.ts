import { RESOLVER_KEYS as K } from '../../src/contracts';
import { LIST_EVALUATIONS_KEY } from '../../src/resolvers';
import { DAY, P, startWorld, type World } from '../support/release-world';

type Page<T> = { items: T[]; cursor?: string };
type Rel = { id: string; status: string; leadAccountId: string | null };

/** The lists the UI shows, each served by an index, through the resolver. */
describe('queues and lists', () => {
  let w: World;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    w = startWorld();
    ids.submitted = await w.releaseAt('SUBMITTED');
    ids.planning = await w.releaseAt('PLANNING');
    ids.build = await w.releaseAt('BUILD_TEST');
    ids.verifying = await w.releaseAt('VERIFYING');
    ids.closed = await w.releaseAt('CLOSED');
  }, 60_000);
  afterAll(() => w.close());

  async function data<T>(who: keyof typeof P, key: string, payload: Record<string, unknown>): Promise<T> {
    const res = await w.onProject<T>(who, key, { projectId: w.project.id, ...payload });
    if (!res.value.ok) throw new Error(JSON.stringify(res.value.error));
    return res.value.data;
  }
  const queue = async (who: keyof typeof P, role: string) => (await data<{ releases: Rel[] }>(who, K.listQueue, { role })).releases.map((r) => r.id);

  it("each role's queue holds what waits for that role", async () => {
    expect(await queue('manager', 'RELEASE_MANAGER')).toEqual(expect.arrayContaining([ids.submitted, ids.planning]));
    expect(await queue('manager', 'RELEASE_MANAGER')).not.toContain(ids.verifying);
    const lead = await queue('lead', 'RELEASE_LEAD');
    expect(lead).toEqual(expect.arrayContaining([ids.submitted, ids.planning, ids.build, ids.verifying]));
    expect(lead).not.toContain(ids.closed);
    expect(await queue('implementer', 'IMPLEMENTER')).toEqual(expect.arrayContaining([ids.planning, ids.build, ids.verifying]));
    expect(await queue('implementer', 'IMPLEMENTER')).not.toContain(ids.closed);
    expect(await queue('tester', 'TEST_EXPERT')).toContain(ids.build);
    // Both have their UAT passed and cutover confirmed: nothing waits for the business lead (queues.test.ts has what does).
    expect(await queue('business', 'BUSINESS_LEAD')).toEqual([]);
    expect(await queue('operations', 'OPERATIONS_LEAD')).toEqual([ids.verifying]);
    const trainer = await data<{ releases: Rel[]; trainingTasks: unknown[] }>('trainer', K.listQueue, { role: 'TRAINING_LEAD' });
    expect(trainer.releases.map((r) => r.id)).toContain(ids.planning);
  });

  it('releases by status, by lead and by window', async () => {
    const byStatus = await data<Page<Rel>>('requester', K.listReleases, { status: 'BUILD_TEST' });
    expect(byStatus.items.map((r) => r.id)).toEqual([ids.build]);
    const byLead = await data<Page<Rel>>('requester', K.listReleases, { leadAccountId: P.lead, limit: 100 });
    expect(byLead.items).toHaveLength(5);
    const byWindow = await data<Page<Rel>>('requester', K.listReleases, { windowFrom: Date.now() - 2 * DAY, windowTo: Date.now() + DAY });
    expect(byWindow.items).toHaveLength(5);
    const page1 = await data<Page<Rel>>('requester', K.listReleases, { limit: 2 });
    expect(page1.items).toHaveLength(2);
    const page2 = await data<Page<Rel>>('requester', K.listReleases, { limit: 2, cursor: page1.cursor });
    expect(page2.items.map((r) => r.id)).not.toContain(page1.items[0]?.id);
  });

  it('training by due date, improvement actions, audit by release', async () => {
    const training = await data<Page<{ dueAt: number }>>('requester', K.listTraining, {});
    expect(training.items.length).toBeGreaterThanOrEqual(4);
    expect(training.items.map((t) => t.dueAt)).toEqual([...training.items.map((t) => t.dueAt)].sort((a, b) => a - b));
    await data('owner', K.manageImprovementActions, { op: 'CREATE', title: 'Later', ownerAccountId: P.manager, dueAt: Date.now() + 20 * DAY });
    await data('owner', K.manageImprovementActions, { op: 'CREATE', title: 'Sooner', ownerAccountId: P.manager, dueAt: Date.now() + 2 * DAY });
    const actions = await data<Page<{ title: string }>>('requester', K.listImprovementActions, {});
    expect(actions.items.map((a) => a.title)).toEqual(['Sooner', 'Later']);
    const audit = await data<Page<{ action: string; actorAccountId: string; before: object; after: object }>>('requester', K.listAudit, { releaseId: ids.closed });
    expect(audit.items[0]).toMatchObject({ action: 'verifyAndClose', actorAccountId: P.operations });
    expect(audit.items[0]?.after).toMatchObject({ status: 'CLOSED', outcome: 'SUCCESS' });
  });

  it('participant evaluations: the manager sees them, the person sees their own, nobody else', async () => {
    const closed = ids.closed as string;
    const res = await w.onRelease('manager', closed, K.evaluateParticipant, { releaseId: closed, accountId: P.implementer, role: 'IMPLEMENTER', rating: 5, note: 'Excellent' });
    expect(res.value.ok).toBe(true);
    const mine = await data<Page<{ rating: number }>>('implementer', LIST_EVALUATIONS_KEY, {});
    expect(mine.items.map((e) => e.rating)).toEqual([5]);
    const manager = await data<Page<unknown>>('manager', LIST_EVALUATIONS_KEY, { accountId: P.implementer });
    expect(manager.items).toHaveLength(1);
    const nosy = await w.onProject('tester', LIST_EVALUATIONS_KEY, { projectId: w.project.id, accountId: P.implementer });
    expect(nosy.value).toMatchObject({ ok: false, error: { code: 'NOT_RELEASE_MANAGER' } });
  });

  it('a cold panel load reads the role membership from Jira once, then caches it', async () => {
    const fresh = startWorld();
    try {
      const id = await fresh.releaseAt('SUBMITTED');
      fresh.platform.db.prepare("DELETE FROM kvs_items WHERE key LIKE 'role-cache:%'").run();
      const cold = await fresh.onRelease('requester', id, K.getPanel);
      const warm = await fresh.onRelease('requester', id, K.getPanel);
      console.info(`panel cold: ${cold.counters.jiraRequests} Jira requests, ${cold.counters.storageOps} storage ops; warm: ${warm.counters.jiraRequests} / ${warm.counters.storageOps}`);
      expect(cold.counters.jiraRequests).toBe(1 + 7);
      expect(warm.counters.jiraRequests).toBe(1);
      expect(warm.counters.storageOps).toBe(3);
    } finally {
      await fresh.close();
    }
  });
});
