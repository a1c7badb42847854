import { RESOLVER_KEYS as K } from '../../src/contracts';
import type { Page, QueueView, TrainingRow } from '../../src/contracts/views';
import { addTeamMember, formTeam } from '../../src/domain/team';
import { putMembershipChanges, putTeam } from '../../src/storage/records';
import { Changes } from '../../src/storage/store';
import { DAY, P, startWorld, type Persona, type World } from '../support/release-world';

/** A queue for every role, through the resolver: what each person has to do, and nothing they do not. */
describe('queues for every role', () => {
  let w: World;
  let planning: string;
  let building: string;
  let noUat: string;
  let implementing: string;
  beforeAll(async () => {
    w = startWorld();
    planning = await w.releaseAt('SUBMITTED', { requester: 'implementer' });
    building = await w.releaseAt('BUILD_TEST');
    noUat = await w.releaseAt('BUILD_TEST', { skip: ['uat'] });
    implementing = await w.releaseAt('IMPLEMENTING', { skip: ['cutover'] });
  });
  afterAll(() => w.close());

  const queue = async (who: Persona, role: string) => {
    const res = await w.onProject<QueueView>(who, K.listQueue, { projectId: w.project.id, role });
    if (!res.value.ok) throw new Error(JSON.stringify(res.value.error));
    return res.value.data;
  };
  const ids = (v: QueueView) => v.releases.map((r) => r.id).sort();

  it('the test expert sees the open releases whose tests are theirs', async () => {
    expect(ids(await queue('tester', 'TEST_EXPERT'))).toEqual([building, noUat, implementing].sort());
    expect(ids(await queue('requester', 'TEST_EXPERT'))).toEqual([]);
  });

  it('the business lead sees user acceptance still to pass and cutovers still to confirm', async () => {
    const v = await queue('business', 'BUSINESS_LEAD');
    // `building` has its UAT passed already; `implementing` has no cutover yet.
    expect(ids(v)).toEqual([noUat, implementing].sort());
  });

  it('the requester sees every request they raised, with its state and summary', async () => {
    const v = await queue('requester', 'REQUESTER');
    expect(ids(v)).toEqual([building, noUat, implementing].sort());
    expect(v.releases.every((r) => r.summary === 'Release: billing service 2.0')).toBe(true);
    expect(ids(await queue('implementer', 'REQUESTER'))).toEqual([planning]);
  });

  it('anyone sees the open releases they are on, with their roles there', async () => {
    const v = await queue('tester', 'MINE');
    expect(ids(v)).toEqual([building, noUat, implementing].sort());
    expect(v.teamRoles?.[building]).toEqual(['TEST_EXPERT']);
    const lead = await queue('lead', 'MINE');
    expect(lead.teamRoles?.[implementing]).toEqual(['LEAD']);
    expect(ids(await queue('owner', 'MINE'))).toEqual([]);
  });

  it('a person with no role gets empty queues, not a refusal', async () => {
    w.jira.addUser({ accountId: 'acc-peter', displayName: 'Peter Novak' });
    w.jira.grantBrowse('RG', 'acc-peter');
    const res = await w.platform.invokeResolver<{ ok: boolean; data?: QueueView }>({
      moduleKey: 'release-workbench',
      functionKey: K.listQueue,
      accountId: 'acc-peter',
      extension: { type: 'jira:projectPage', project: { id: w.project.id, key: 'RG' } },
      payload: { projectId: w.project.id, role: 'MINE' },
    });
    expect(res.value).toMatchObject({ ok: true, data: { releases: [] } });
  });
});

describe('training of cancelled and rejected releases leaves the overdue lists', () => {
  let w: World;
  let going: string;
  let cancelled: string;
  beforeAll(async () => {
    w = startWorld();
    going = await w.releaseAt('PLANNING');
    cancelled = await w.releaseAt('PLANNING');
    const past = Date.now() - 3 * DAY;
    for (const id of [going, cancelled]) await w.patchTraining(id, (t) => ({ ...t, dueAt: past }));
    await w.act('manager', cancelled, K.cancel, { reason: 'The change was withdrawn' });
  });
  afterAll(() => w.close());

  const training = async (payload: Record<string, unknown>) => {
    const res = await w.onProject<Page<TrainingRow>>('requester', K.listTraining, { projectId: w.project.id, ...payload });
    if (!res.value.ok) throw new Error(JSON.stringify(res.value.error));
    return res.value.data.items;
  };

  it('lists only the going release’s task as overdue, and marks the other withdrawn', async () => {
    expect((await training({ overdueOnly: true })).map((t) => t.releaseId)).toEqual([going]);
    const all = await training({});
    const byRelease = new Map(all.map((t) => [t.releaseId, t]));
    expect(byRelease.get(going)).toMatchObject({ overdue: true, withdrawn: false, releaseStatus: 'PLANNING' });
    expect(byRelease.get(cancelled)).toMatchObject({ overdue: false, withdrawn: true, releaseStatus: 'CANCELLED' });
  });

  it('keeps it off the training lead’s queue', async () => {
    const res = await w.onProject<QueueView>('trainer', K.listQueue, { projectId: w.project.id, role: 'TRAINING_LEAD' });
    expect(res.value.ok).toBe(true);
    if (res.value.ok) expect(res.value.data.trainingTasks.map((t) => t.releaseId)).toEqual([going]);
    expect(P.trainer).toBeDefined();
  });
});

describe('a person on many releases', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  it('lists all of them (reads go 25 keys at a time, as batchGet allows)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 27; i++) ids.push(await w.releaseAt('SUBMITTED'));
    await w.platform.run(async () => {
      for (const id of ids) {
        const team = addTeamMember(formTeam(id, Date.now()), P.tester, 'TEST_EXPERT', Date.now());
        const changes = new Changes();
        putTeam(changes, w.project.id, team, null);
        putMembershipChanges(changes, w.project.id, null, team);
        await changes.commit();
      }
    });
    for (const role of ['TEST_EXPERT', 'MINE']) {
      const res = await w.onProject<QueueView>('tester', K.listQueue, { projectId: w.project.id, role, limit: 100 });
      expect(res.value.ok).toBe(true);
      if (res.value.ok) expect(res.value.data.releases.map((r) => r.id).sort()).toEqual([...ids].sort());
    }
  });
});
