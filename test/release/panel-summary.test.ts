import { RESOLVER_KEYS as K } from '../../src/contracts';
import { startWorld, type World } from '../support/release-world';

type Checklist = { action: string | null; allMet: boolean; items: { code: string; met: boolean }[] };
type Summary = { issueKey: string; release: { status: string; outcome: string | null } | null; checklist: Checklist | null };

/** `panel/summary`, the readiness glance's read: what the glance shows, lighter than `panel/get`. */
describe('panel/summary through the resolver', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  it("answers the panel's status, outcome and next-step checklist, and nothing more", async () => {
    const id = await w.releaseAt('BUILD_TEST', { skip: ['uat'] });
    const summary = await w.onRelease<Summary & Record<string, unknown>>('lead', id, K.getPanelSummary);
    const panel = await w.onRelease<Summary>('lead', id, K.getPanel);
    if (!summary.value.ok || !panel.value.ok) throw new Error(JSON.stringify([summary.value, panel.value]));
    expect(summary.value.data.release).toMatchObject({ status: 'BUILD_TEST', outcome: null });
    expect(summary.value.data.checklist).toEqual(panel.value.data.checklist);
    expect(summary.value.data.checklist?.items.filter((i) => !i.met).map((i) => i.code)).toEqual(['GATE_UAT_NOT_PASSED']);
    expect(Object.keys(summary.value.data).sort()).toEqual(['checklist', 'issueKey', 'release', 'releaseId']);
  });

  it('warm, costs at most one Jira request and two storage operations', async () => {
    const id = await w.releaseAt('PLANNING');
    await w.onRelease('implementer', id, K.getPanelSummary); // warms the role cache
    const warm = await w.onRelease('implementer', id, K.getPanelSummary);
    expect(warm.value.ok).toBe(true);
    expect(warm.counters.jiraRequests).toBeLessThanOrEqual(1);
    expect(warm.counters.storageOps).toBeLessThanOrEqual(2);
    console.info(`warm glance: ${warm.counters.jiraRequests} Jira request(s), ${warm.counters.storageOps} storage operation(s), ${warm.counters.storageBytesIn} bytes read`);
  });

  it('on an issue without a release record answers null, and refuses another issue than the frame’s', async () => {
    const none = await w.onRelease<Summary>('requester', w.changeRequest.id, K.getPanelSummary);
    expect(none.value).toMatchObject({ ok: true, data: { release: null, checklist: null } });
    const foreign = await w.onRelease('requester', w.changeRequest.id, K.getPanelSummary, { releaseId: w.other.issueId });
    expect(foreign.value.ok).toBe(false);
  });
});
