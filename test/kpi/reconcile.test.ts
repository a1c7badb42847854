import { RESOLVER_KEYS as K } from '../../src/contracts';
import type { KpiMonthAggregate } from '../../src/domain/kpi';
import { startWorld, type World } from '../support/release-world';
import { DAILY_JOB_KEY } from '../../src/services/daily-job';
import { ENTITY } from '../../src/storage/entities';
import { jobProgressRef } from '../../src/storage/jobs';
import { getRow } from '../../src/storage/records';
import { Changes } from '../../src/storage/store';
import { auditsOf, dataSnapshot, daysLater, getKpis, injectDrift, jobRows, kpiRow, progress, runJob } from './support';

/**
 * The daily scheduled job's KPI reconciliation, fired as Forge's scheduler fires it, over releases closed
 * through the real resolver handler against the local Jira.
 */
describe('daily KPI reconciliation', () => {
  let w: World;
  let month: string;
  let truth: KpiMonthAggregate;
  const closed: string[] = [];

  beforeAll(async () => {
    w = startWorld();
    closed.push(await w.releaseAt('CLOSED'));
    const rolledBack = await w.releaseAt('ROLLING_BACK');
    await w.act('implementer', rolledBack, K.completeFallback);
    closed.push(rolledBack, await w.releaseAt('CLOSED'));
    month = new Date().toISOString().slice(0, 7);
    const row = await kpiRow(w, month);
    if (!row) throw new Error('no aggregate after closing releases');
    truth = row.doc;
  });
  afterAll(() => w.close());

  it('finds the incrementally kept aggregate equal to the recount: nothing repaired, nothing written but its progress', async () => {
    expect([...truth.releaseIds]).toEqual([...closed].sort());
    const before = dataSnapshot(w);
    await runJob(w);
    const p = await progress(w);
    expect(p?.completedAt).not.toBeNull();
    expect(p?.stats).toMatchObject({ monthsChecked: 2, monthsRepaired: 0, failures: [] });
    expect(dataSnapshot(w)).toEqual(before);
    expect(auditsOf(w, 'kpi.reconcile')).toEqual([]);
  });

  it('repairs drift under the version condition, with an audit event naming what differed; a second run changes nothing', async () => {
    await injectDrift(w, month, (a) => ({ ...a, releaseIds: a.releaseIds.slice(1), closed: a.closed - 1, success: a.success + 5, traineesAssessed: a.traineesAssessed + 3 }));
    daysLater(w, 1);
    await runJob(w);
    const repaired = await kpiRow(w, month);
    expect(repaired?.doc).toEqual(truth);
    const audits = auditsOf(w, 'kpi.reconcile');
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ subjectId: w.project.id, actorAccountId: 'app' });
    expect([...((audits[0]?.after.differed as string[] | undefined) ?? [])].sort()).toEqual(['closed', 'releaseIds', 'success', 'traineesAssessed']);
    expect(audits[0]?.before.success).toBe(truth.success + 5);
    expect(audits[0]?.after.success).toBe(truth.success);
    expect((await progress(w))?.stats).toMatchObject({ monthsRepaired: 1 });

    // The same day again: the run is complete, nothing happens. The next day: a full run that finds nothing.
    const after = w.snapshot();
    await runJob(w);
    expect(w.snapshot()).toEqual(after);
    daysLater(w, 2);
    await runJob(w);
    expect(dataSnapshot(w)).toEqual(after.filter((r) => !r.startsWith('entity:job-progress ')));
    expect(auditsOf(w, 'kpi.reconcile')).toHaveLength(1);
  });

  it('kpi/get reads the reconciled values', async () => {
    const kpis = await getKpis(w, month);
    // the months as stored, less the per-release entries (the drill-down reads those)
    expect(kpis.months[0]).toEqual({ ...truth, entries: [] });
    expect(truth.entries).toHaveLength(truth.closed);
    const success = kpis.total.find((k) => k.name === 'RELEASE_SUCCESS_RATE');
    expect(success?.value).toBeCloseTo(truth.success / truth.closed);
  });

  it('a run whose every invocation stops after one step (page size 1) resumes where it stopped and ends as an uninterrupted run does', async () => {
    const drift = (a: KpiMonthAggregate): KpiMonthAggregate => ({ ...a, releaseIds: [...a.releaseIds, 'ghost'].sort(), closed: a.closed + 1, deployments: 0 });
    await injectDrift(w, month, drift);
    daysLater(w, 3);
    const invocations = await runJob(w, { maxSteps: 1, pageSize: 1 });
    // Each unit's pages (overdue improvements, 3 release pages + audits + improvements for this month, 3 for the
    // empty previous month, reminders, sweep) ran one per consumer invocation, each pushing its continuation.
    expect(invocations.length).toBeGreaterThan(8);
    expect(invocations.filter((d) => d.outcome !== 'succeeded')).toEqual([]);
    const piecewise = await kpiRow(w, month);
    expect(piecewise?.doc).toEqual(truth);
    expect(auditsOf(w, 'kpi.reconcile')).toHaveLength(2);
    expect((await progress(w))?.completedAt).not.toBeNull();

    await injectDrift(w, month, drift);
    daysLater(w, 4);
    await runJob(w);
    const whole = await kpiRow(w, month);
    expect(whole?.doc).toEqual(piecewise?.doc);
    const audits = auditsOf(w, 'kpi.reconcile');
    expect(audits).toHaveLength(3);
    expect(audits[1]?.after).toEqual(audits[2]?.after);
  });

  it('counts a month in week slices, each page in its own row (not in a progress record), and the next invocations pick the recount up from there', async () => {
    await injectDrift(w, month, (a) => ({ ...a, success: 0 }));
    daysLater(w, 5);
    // One step per invocation, one delivery at a time, until a slice of the month has counted a page.
    await runJob(w, { maxSteps: 1, pageSize: 1 }, { maxDeliveries: 0 });
    const runId = (await progress(w))?.runId;
    const slices = () => jobRows(w).filter((r) => r.key.startsWith(`unit:RECONCILE_SLICE:${w.project.id}:${month}:`) && r.doc.runId === runId);
    for (let i = 0; i < 60 && !slices().some((sl) => Number(sl.doc.pages) > 0); i++) await w.platform.drainQueues({ maxDeliveries: 1 });
    const counting = slices().find((sl) => Number(sl.doc.pages) > 0);
    expect(counting).toBeDefined();
    const week = (counting?.doc.task as { slice: number }).slice;
    const pages = jobRows(w).filter((r) => r.key.startsWith(`part:${w.project.id}:${month}:s${week}:`) && r.doc.runId === runId);
    const unit = jobRows(w).find((r) => r.key === `unit:RECONCILE:${w.project.id}:${month}`)?.doc;
    expect(unit?.runId).toBe(runId);
    expect(unit?.completedAt).toBeNull();
    // Every page row holds one release (page size 1); the units' rows hold only where they stand.
    expect(pages.length).toBe(counting?.doc.pages);
    for (const p of pages) expect((p.doc.partial as KpiMonthAggregate).releaseIds).toHaveLength(1);
    expect(JSON.stringify(unit)).not.toContain('releaseIds');
    expect(JSON.stringify(counting)).not.toContain('releaseIds');
    // The rest of the queue finishes it: the slices, then the month combining them.
    await w.platform.drainQueues();
    expect((await kpiRow(w, month))?.doc).toEqual(truth);
    expect((await progress(w))?.completedAt).not.toBeNull();
    expect(slices().map((sl) => sl.doc.completedAt !== null)).toEqual([true, true, true, true]);
    expect(w.platform.logs.some((l) => l.message.includes('waits for its slices'))).toBe(true);
    // Combined, the page rows are removed: the job keeps no more rows than a recount under way needs.
    expect(jobRows(w).filter((r) => r.key.startsWith('part:'))).toEqual([]);
  });

  it('on a site upgraded from the chained job, replaces its old progress record instead of failing on it', async () => {
    // What the previous version left: one progress record, in the old shape, mid-run.
    await w.platform.run(async () => {
      const row = await getRow(jobProgressRef(DAILY_JOB_KEY));
      const changes = new Changes();
      const old = { day: '2026-01-01', startedAt: 1, updatedAt: 1, completedAt: null, extraMonths: [], listing: null, tasks: [{ kind: 'RECONCILE', projectId: w.project.id, month }], taskIndex: 0, step: null, stats: { monthsChecked: 0, monthsRepaired: 0, overdueImprovements: 0, reminders: 0, restarts: 0, failures: [] } };
      changes.put(ENTITY.jobProgress, DAILY_JOB_KEY, { updatedAt: 1 }, old, row?.version ?? null);
      await changes.commit();
    });
    await injectDrift(w, month, (a) => ({ ...a, success: a.success + 1 }));
    daysLater(w, 5);
    const deliveries = await runJob(w);
    expect(deliveries.filter((d) => d.outcome !== 'succeeded')).toEqual([]);
    const p = await progress(w);
    expect(p?.completedAt).not.toBeNull();
    expect(p?.stats).toMatchObject({ monthsRepaired: 1, failures: [] });
    expect((await kpiRow(w, month))?.doc).toEqual(truth);
  });

  it('recounts a month it is asked for, besides the previous and current one', async () => {
    daysLater(w, 5);
    await runJob(w, { months: ['2024-02'] });
    const p = await progress(w);
    expect(p?.extraMonths).toEqual(['2024-02']);
    const unit = jobRows(w).find((r) => r.key === `unit:RECONCILE:${w.project.id}:2024-02`)?.doc;
    expect(unit).toMatchObject({ runId: p?.runId, stats: { monthsChecked: 1, monthsRepaired: 0 } });
    expect(unit?.completedAt).not.toBeNull();
    expect(p?.completedAt).not.toBeNull();
    expect(p?.stats.monthsChecked).toBe(3);
    expect(await kpiRow(w, '2024-02')).toBeNull();
  });
});
