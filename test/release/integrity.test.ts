import { RESOLVER_KEYS as K } from '../../src/contracts';
import { getRow } from '../../src/storage/records';
import { P, setupRef, startWorld, type World } from '../support/release-world';

type Reply = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string; field?: string; reasons?: string[] } };

describe('segregation of duties, through the resolver', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  it('the requester may not approve their own release', async () => {
    const id = await w.releaseAt('SUBMITTED', { requester: 'manager' });
    const res = await w.onRelease('manager', id, K.approve, { releaseId: id, expectedVersion: await w.version(id) });
    expect(res.value).toMatchObject({ ok: false, error: { code: 'SOD_REQUESTER_APPROVER', reasons: ['SOD_REQUESTER_APPROVER'] } });
  });

  it('an operations lead who was an implementer may neither accept nor close', async () => {
    const id = await w.releaseAt('VERIFYING', { extraImplementer: 'operations', skip: ['acceptance'] });
    const accept = await w.onRelease('operations', id, K.recordOperationalAcceptance, { releaseId: id, expectedVersion: await w.version(id), accepted: true, resultConfirmed: true });
    expect(accept.value).toMatchObject({ ok: false, error: { code: 'SOD_IMPLEMENTER_VERIFIER' } });
    const close = await w.onRelease('operations', id, K.verifyAndClose, { releaseId: id, expectedVersion: await w.version(id) });
    expect((close.value as Reply).ok).toBe(false);
    if (!close.value.ok) expect(close.value.error.reasons).toContain('SOD_IMPLEMENTER_VERIFIER');
  });

  it('the lead may not also be the test expert (policy default)', async () => {
    const id = await w.releaseAt('PLANNING');
    const res = await w.onRelease('manager', id, K.changeTeam, { releaseId: id, expectedVersion: await w.version(id), op: 'ADD', accountId: P.lead, teamRole: 'TEST_EXPERT' });
    expect(res.value).toMatchObject({ ok: false, error: { code: 'TEAM_DUAL_ROLE_FORBIDDEN' } });
  });

  it('is a policy: the process owner may switch it off, and then the requester-manager may approve', async () => {
    const id = await w.releaseAt('SUBMITTED', { requester: 'manager' });
    const version = (await w.platform.run(async () => (await getRow(setupRef(w.project.id)))?.version ?? 0)).value;
    const saved = await w.onProject('owner', K.savePolicy, { projectId: w.project.id, expectedVersion: version, policy: { segregationOfDuties: false } });
    expect(saved.value.ok).toBe(true);
    await w.act('manager', id, K.approve);
    expect((await w.stored(id)).release.status).toBe('PLANNING');
    await w.onProject('owner', K.savePolicy, { projectId: w.project.id, expectedVersion: version + 1, policy: { segregationOfDuties: true } });
  });
});

describe('two people changing one release at once', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  it('one wins, the other gets CONFLICT, nothing is lost, one audit event per successful change', async () => {
    const id = await w.releaseAt('PLANNING');
    const version = await w.version(id);
    const events = w.auditCount(id);
    const [plan, team] = await Promise.all([
      w.onRelease('lead', id, K.editPlan, { releaseId: id, expectedVersion: version, scope: 'Billing 3.0', schedule: 'Week 14', plannedEffortHours: 80 }),
      w.onRelease('manager', id, K.changeTeam, { releaseId: id, expectedVersion: version, op: 'ADD', accountId: P.requester, teamRole: 'IMPLEMENTER' }),
    ]);
    const replies = [plan.value, team.value] as Reply[];
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    const lost = replies.find((r) => !r.ok);
    expect(lost).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(w.auditCount(id)).toBe(events + 1);
    expect(await w.version(id)).toBe(version + 1);

    // The loser reloads and tries again: both changes are there, each with its event.
    const planWon = replies[0]?.ok === true;
    if (planWon) await w.act('manager', id, K.changeTeam, { op: 'ADD', accountId: P.requester, teamRole: 'IMPLEMENTER' });
    else await w.act('lead', id, K.editPlan, { scope: 'Billing 3.0', schedule: 'Week 14', plannedEffortHours: 80 });
    const s = await w.stored(id);
    expect(s.release.plan?.scope).toBe('Billing 3.0');
    expect(s.team?.members.some((m) => m.accountId === P.requester && m.teamRole === 'IMPLEMENTER')).toBe(true);
    expect(w.auditCount(id)).toBe(events + 2);
  });

  it('a stale version is a CONFLICT even when nobody is writing at the same instant', async () => {
    const id = await w.releaseAt('SUBMITTED');
    const stale = (await w.version(id)) - 1;
    const before = w.snapshot();
    const res = await w.onRelease('manager', id, K.classify, { releaseId: id, expectedVersion: stale, classification: 'EMERGENCY' });
    expect(res.value).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(w.snapshot()).toEqual(before);
  });

  it('ten concurrent progress reports: each either lands with its event or is told CONFLICT', async () => {
    const id = await w.releaseAt('IMPLEMENTING');
    const version = await w.version(id);
    const events = w.auditCount(id);
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => w.onRelease('implementer', id, K.reportProgress, { releaseId: id, expectedVersion: version, note: `report ${i}` })),
    );
    const ok = replies.filter((r) => r.value.ok).length;
    expect(ok).toBe(1);
    expect(replies.filter((r) => !r.value.ok).every((r) => !r.value.ok && r.value.error.code === 'CONFLICT')).toBe(true);
    expect((await w.stored(id)).release.progressReports).toHaveLength(1);
    expect(w.auditCount(id)).toBe(events + 1);
  });
});

describe('bad payloads get structured errors and change nothing', () => {
  let w: World;
  let id: string;
  beforeAll(async () => {
    w = startWorld();
    id = await w.releaseAt('PLANNING');
  });
  afterAll(() => w.close());

  const cases: [string, () => Promise<{ value: unknown }>, { code: string; field?: string }][] = [
    ['wrong type', () => w.onRelease('manager', id, K.classify, { releaseId: id, expectedVersion: 1, classification: 42 }), { code: 'VALIDATION_FAILED', field: 'classification' }],
    ['unknown key', () => w.onRelease('lead', id, K.editPlan, { releaseId: id, expectedVersion: 1, scope: 'a', schedule: 'b', plannedEffortHours: 1, budget: 9 }), { code: 'VALIDATION_FAILED' }],
    ['actor named in the payload', () => w.onRelease('requester', id, K.getPanel, { accountId: P.manager }), { code: 'VALIDATION_FAILED' }],
    ['oversized string', () => w.onRelease('lead', id, K.recordOpinion, { releaseId: id, expectedVersion: 1, department: 'Ops', opinion: 'x'.repeat(10_001) }), { code: 'VALIDATION_FAILED', field: 'opinion' }],
    ['too many fallback steps', () =>
      w.onRelease('lead', id, K.editFallbackPlan, {
        releaseId: id,
        expectedVersion: 1,
        triggerCriteria: 't',
        steps: Array.from({ length: 51 }, () => ({ action: 'a', ownerAccountId: P.implementer, expectedMinutes: 1 })),
        restoreDslItemId: null,
        dataBackupRef: null,
      }), { code: 'VALIDATION_FAILED', field: 'steps' }],
    ['missing field', () => w.onRelease('manager', id, K.reject, { releaseId: id, expectedVersion: 1 }), { code: 'VALIDATION_FAILED', field: 'reason' }],
    ['blank reason', () => w.onRelease('manager', id, K.cancel, { releaseId: id, expectedVersion: 1, reason: '   ' }), { code: 'VALIDATION_FAILED', field: 'reason' }],
    ['window ending before it starts', () => w.onRelease('manager', id, K.setWindow, { releaseId: id, expectedVersion: 1, windowStart: 1_800_000_000_000, windowEnd: 1_700_000_000_000 }), { code: 'VALIDATION_FAILED', field: 'windowEnd' }],
    ["another project's issue, from the panel", () => w.onRelease('manager', id, K.classify, { releaseId: w.other.issueId, expectedVersion: 1, classification: 'MINOR' }), { code: 'VALIDATION_FAILED', field: 'releaseId' }],
    ["another project's issue, from the project page", () =>
      w.onProject('manager', K.classify, { releaseId: w.other.issueId, expectedVersion: 1, classification: 'MINOR' }), { code: 'VALIDATION_FAILED', field: 'releaseId' }],
    ['another project, from the project page', () => w.onProject('owner', K.listReleases, { projectId: w.other.id }), { code: 'VALIDATION_FAILED', field: 'projectId' }],
    ['a release that does not exist', () => w.onProject('manager', K.classify, { releaseId: '999999', expectedVersion: 1, classification: 'MINOR' }), { code: 'CANNOT_BROWSE' }],
  ];

  it.each(cases)('%s', async (_name, send, expected) => {
    const before = w.snapshot();
    const res = (await send()).value as Reply;
    expect(res).toMatchObject({ ok: false, error: expected });
    if (!res.ok) expect(res.error.message).toMatch(/\S/);
    expect(w.snapshot()).toEqual(before);
  });

  it('answers in the user’s language', async () => {
    const event = (locale: string) => ({
      call: { functionKey: K.classify, payload: { releaseId: id, expectedVersion: 1, classification: 42 } },
      context: { locale, extension: { type: 'jira:issuePanel', issue: { id }, project: { id: w.project.id, key: 'RG' } } },
    });
    const zh = await w.platform.invoke<Reply>('resolver', event('zh_CN'), { accountId: P.manager, moduleKey: 'release-panel' });
    const en = await w.platform.invoke<Reply>('resolver', event('en_US'), { accountId: P.manager, moduleKey: 'release-panel' });
    expect(zh.value.ok || en.value.ok).toBe(false);
    if (!zh.value.ok && !en.value.ok) {
      expect(zh.value.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(en.value.error.message).toMatch(/not valid/);
    }
    const refusal = await w.platform.invoke<Reply>(
      'resolver',
      { call: { functionKey: K.startBuild, payload: { releaseId: id, expectedVersion: await w.version(id) } }, context: { locale: 'zh-CN', extension: { issue: { id }, project: { id: w.project.id } } } },
      { accountId: P.requester, moduleKey: 'release-panel' },
    );
    expect(refusal.value).toMatchObject({ ok: false, error: { code: 'NOT_RELEASE_LEAD' } });
    if (!refusal.value.ok) expect(refusal.value.error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
