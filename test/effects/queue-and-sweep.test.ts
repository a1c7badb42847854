/**
 * Who repairs what, apart: the `jira-effects` queue consumer alone (a change whose Jira effects failed
 * queues itself), the daily sweep alone (a function killed after its commit queued nothing; a change made
 * behind the app's back), a read that sees Jira disagree, and the process owner's "retry now".
 */
import { RESOLVER_KEYS as K } from '../../src/contracts';
import type { JiraSyncView } from '../../src/contracts/views';
import { RELEASE_PROPERTY_KEY, STATUS_SPECS } from '../../src/workflow/rules';
import { sweepProjectEffects } from '../../src/effects';
import { P, startWorld, type World } from '../support/release-world';

jest.setTimeout(60_000);

const jiraStatus = (w: World, id: string) => w.jira.getIssue(id)?.statusName;
const propertyVersion = (w: World, id: string) => (w.jira.getIssue(id)?.properties[RELEASE_PROPERTY_KEY] as { version?: number } | undefined)?.version;

async function panelJira(w: World, who: keyof typeof P, id: string): Promise<JiraSyncView | undefined> {
  const res = await w.onRelease<{ jira?: JiraSyncView }>(who, id, K.getPanel, {});
  if (!res.value.ok) throw new Error(JSON.stringify(res.value.error));
  return res.value.data.jira;
}

describe('Jira effects: queue, sweep, read reconciliation, retry now', () => {
  let w: World;
  beforeEach(() => {
    w = startWorld({ workflow: true });
  });
  afterEach(() => w.close());

  it('a change whose transition Jira refused (503) says so, queues itself, and the consumer brings Jira along once Jira is back', async () => {
    const id = await w.releaseAt('SUBMITTED');
    w.jira.injectFault({ operation: 'doTransition', status: 503, times: Infinity });
    const reply = await w.act('manager', id, K.approve);
    expect(reply).toMatchObject({ release: { status: 'PLANNING' }, jira: { status: 'pending' } });
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.SUBMITTED.name);
    const shown = await panelJira(w, 'manager', id);
    expect(shown).toMatchObject({ state: 'FAILED', attempts: 1 });
    expect(shown?.message).toContain('503');
    expect(w.platform.queues.events({ queueName: 'jira-effects' }).filter((e) => e.state === 'pending')).toHaveLength(1);

    w.jira.clearFaults();
    const drained = await w.platform.drainQueues();
    expect(drained.deliveries.map((d) => d.outcome)).toContain('succeeded');
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.PLANNING.name);
    expect(await panelJira(w, 'manager', id)).toMatchObject({ state: 'SYNCED', attempts: 0, message: null });
  });

  it('while Jira keeps failing, the consumer asks Forge to retry later (InvocationError), honouring the outbox backoff', async () => {
    const id = await w.releaseAt('SUBMITTED');
    w.jira.injectFault({ operation: 'doTransition', status: 429, retryAfterSeconds: 120, times: 3 });
    await w.act('manager', id, K.approve);
    const drained = await w.platform.drainQueues();
    const outcomes = drained.deliveries.map((d) => d.outcome);
    expect(outcomes[0]).toBe('retry-requested');
    expect(outcomes[outcomes.length - 1]).toBe('succeeded');
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.PLANNING.name);
  });

  it('a function killed right after its commit queued nothing: the daily sweep repairs Jira', async () => {
    const id = await w.releaseAt('SUBMITTED');
    const kill = w.platform.killAfterStorage({ functionKey: 'resolver' });
    await expect(w.onRelease('manager', id, K.approve, { releaseId: id, expectedVersion: await w.version(id) })).rejects.toThrow(/killed/);
    expect(kill.fired).toBe(1);
    expect((await w.stored(id)).release.status).toBe('PLANNING');
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.SUBMITTED.name);
    expect((await w.platform.drainQueues()).deliveries).toHaveLength(0);
    expect(await panelJira(w, 'manager', id)).toMatchObject({ state: 'PENDING' });

    const inv = await w.platform.runScheduled<{ statusCode: number }>('daily-kpi-and-training');
    expect(inv.value.statusCode).toBe(204);
    await w.platform.drainQueues(); // the sweep runs as one of the job's units, in a consumer
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.PLANNING.name);
    expect(propertyVersion(w, id)).toBe(await w.version(id));
  });

  it('a read that finds Jira disagreeing (its property written behind the app’s back) schedules the repair', async () => {
    const id = await w.releaseAt('PLANNING');
    const version = await w.version(id);
    w.jira.state.setProperty(Number(id), RELEASE_PROPERTY_KEY, { status: 'PLANNING', version: 1, holders: {} });
    expect(await panelJira(w, 'lead', id)).toMatchObject({ state: 'PENDING' });
    await w.platform.drainQueues();
    expect(propertyVersion(w, id)).toBe(version);
    expect(await panelJira(w, 'lead', id)).toMatchObject({ state: 'SYNCED' });
  });

  it('sweeps a page of releases in a handful of requests, and a second sweep finds nothing to do', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await w.releaseAt('SUBMITTED'));
    // Two of them drift behind the app's back.
    w.jira.state.setProperty(Number(ids[1]), RELEASE_PROPERTY_KEY, { status: 'SUBMITTED', version: 1, holders: {} });
    w.jira.state.setProperty(Number(ids[3]), RELEASE_PROPERTY_KEY, { status: 'SUBMITTED', version: 1, holders: {} });
    const first = await w.platform.run(() => sweepProjectEffects(w.project.id, undefined, { now: Date.now(), pageSize: 20 }));
    expect(first.value).toMatchObject({ checked: 4, repaired: 2, stillPending: 0 });
    for (const id of ids) expect(propertyVersion(w, id)).toBe(await w.version(id));
    const second = await w.platform.run(() => sweepProjectEffects(w.project.id, undefined, { now: Date.now(), pageSize: 20 }));
    expect(second.value).toMatchObject({ checked: 4, repaired: 0 });
    // One page: the release index, the set-up, two outbox batchGets; one JQL search for the page's Jira state.
    console.info(`sweep page of ${second.value.checked} releases in sync: ${second.counters.storageOps} storage operations, ${second.counters.jiraRequests} Jira request(s)`);
    expect(second.counters.storageOps).toBeLessThanOrEqual(4);
    expect(second.counters.jiraRequests).toBe(1);
  });

  it('the process owner may retry now; others may not', async () => {
    const id = await w.releaseAt('SUBMITTED');
    w.jira.injectFault({ operation: 'doTransition', status: 503, times: Infinity });
    await w.act('manager', id, K.approve);
    w.jira.clearFaults();
    const refused = await w.onRelease('lead', id, K.retryJira, {});
    expect(refused.value.ok).toBe(false);
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.SUBMITTED.name);
    const retried = await w.onRelease<JiraSyncView>('owner', id, K.retryJira, {});
    expect(retried.value).toMatchObject({ ok: true, data: { state: 'SYNCED' } });
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.PLANNING.name);
  });
});
