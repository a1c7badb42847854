import { RESOLVER_KEYS as K } from '../../src/contracts';
import { P, startWorld, type World } from '../support/release-world';

/** A release from request to close, every step through the real resolver handler against the local Jira. */
describe('release lifecycle through the resolver', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  it('carries a release from SUBMITTED to CLOSED (SUCCESS), with one audit event per change and the month KPIs updated in the closing transaction', async () => {
    const id = await w.releaseAt('CLOSED');
    const s = await w.stored(id);
    expect(s.release.status).toBe('CLOSED');
    expect(s.release.outcome).toBe('SUCCESS');
    expect(s.release.requesterAccountId).toBe(P.requester);
    expect(s.release.linkedChangeKey).toBe(w.changeRequest.key);
    expect(s.team?.dissolvedAt).not.toBeNull();
    // One event per successful change; the one version without an event is the test's own DSL fixture patch.
    expect(w.auditCount(id)).toBe(s.release.version - 1);
    const month = new Date().toISOString().slice(0, 7);
    const kpi = await w.onProject<{ months: { releaseIds: string[]; success: number }[] }>('owner', K.getKpis, { projectId: w.project.id, fromMonth: month, toMonth: month });
    if (!kpi.value.ok) throw new Error(JSON.stringify(kpi.value.error));
    expect(kpi.value.data.months[0]?.releaseIds).toContain(id);
    expect(kpi.value.data.months[0]?.success).toBe(1);
  });

  it('rolls back: IMPLEMENTING → ROLLING_BACK → CLOSED (ROLLED_BACK)', async () => {
    const id = await w.releaseAt('ROLLING_BACK');
    await w.act('implementer', id, K.completeFallback);
    const s = await w.stored(id);
    expect(s.release.outcome).toBe('ROLLED_BACK');
    expect(s.fallback?.execution?.result).toBe('SUCCEEDED');
  });

  it('shows the panel: release, team, fallback, training, history, the next gate and what this actor may do, with reasons', async () => {
    const id = await w.releaseAt('BUILD_TEST', { skip: ['uat'] });
    const res = await w.onRelease<{
      release: { status: string };
      team: { members: unknown[] };
      history: unknown[];
      checklist: { action: string; items: { code: string; met: boolean }[] };
      actions: { action: string; allowed: boolean; reasons: string[] }[];
    }>('lead', id, K.getPanel);
    if (!res.value.ok) throw new Error(JSON.stringify(res.value.error));
    const panel = res.value.data;
    expect(panel.release.status).toBe('BUILD_TEST');
    expect(panel.team.members.length).toBeGreaterThanOrEqual(5);
    expect(panel.history.length).toBeGreaterThan(5);
    expect(panel.checklist.action).toBe('markReady');
    expect(panel.checklist.items.filter((i) => !i.met).map((i) => i.code)).toEqual(['GATE_UAT_NOT_PASSED']);
    const markReady = panel.actions.find((a) => a.action === 'markReady');
    expect(markReady).toEqual({ action: 'markReady', allowed: false, reasons: ['GATE_UAT_NOT_PASSED'] });
    expect(panel.actions.find((a) => a.action === 'editPlan')?.allowed).toBe(true);
    expect(panel.actions.find((a) => a.action === 'approve')?.reasons).toEqual(expect.arrayContaining(['NOT_RELEASE_MANAGER', 'WRONG_STATUS']));
  });

  it('a warm panel load costs at most one Jira request and three storage operations', async () => {
    const id = await w.releaseAt('PLANNING');
    await w.onRelease('implementer', id, K.getPanel); // warms the role cache
    const warm = await w.onRelease('implementer', id, K.getPanel);
    expect(warm.value.ok).toBe(true);
    expect(warm.counters.jiraRequests).toBeLessThanOrEqual(1);
    expect(warm.counters.storageOps).toBeLessThanOrEqual(3);
    console.info(`warm panel: ${warm.counters.jiraRequests} Jira request(s), ${warm.counters.storageOps} storage operation(s), ${warm.counters.storageBytesIn} bytes read`);
  });
});
