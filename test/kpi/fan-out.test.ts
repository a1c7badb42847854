import { createDemoPlatform, seedDemo, type DemoPlatform } from '../../sandbox/seed/demo';
import { realNow } from '../../sandbox/runtime/context';
import { MAX_KPI_ENTRIES_PER_MONTH, monthBounds, monthOf } from '../../src/domain/kpi';
import { DAILY_JOB_KEY } from '../../src/services/daily-job';
import { jobProgressRef } from '../../src/storage/jobs';
import { getRow, kpiMonthRow, putRelease, type StoredReleaseDoc } from '../../src/storage/records';
import { Changes, MAX_ROW_BYTES } from '../../src/storage/store';
import { ENTITY } from '../../src/storage/entities';
import type { QueueDelivery } from '../../sandbox/runtime/queue';

/**
 * The daily job on a site too big for one invocation: the seeded demo (12 months, as npm start seeds it) plus
 * extra closed releases written straight into storage (so that no incremental KPI update counted them and the
 * job must find them all). The scheduled trigger plans the run and pushes one event per project and task; the
 * units run in separate consumer invocations, each within its limit, each resuming from its own progress row.
 * At the end every month's stored aggregate equals a recount: the number of closed releases stored for the
 * month (read straight from the database), and a second run asked for the same months finds nothing to repair.
 */
const JOB = 'daily-kpi-and-training';

function closedDocs(demo: DemoPlatform): StoredReleaseDoc[] {
  return (demo.platform.db.prepare('SELECT value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.release}`) as { value: string }[])
    .map((r) => (JSON.parse(r.value) as { doc: StoredReleaseDoc }).doc)
    .filter((d) => d.release.status === 'CLOSED');
}

/** Closed releases per project-month, counted from the stored release rows (independently of the job). */
function closedPerMonth(demo: DemoPlatform): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of closedDocs(demo)) {
    const at = d.release.statusEnteredAt.CLOSED;
    if (at === undefined) continue;
    const k = `${d.release.projectId} ${monthOf(at)}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

async function addClones(demo: DemoPlatform, n: number, closedAt?: (i: number) => number): Promise<void> {
  const closed = closedDocs(demo);
  expect(closed.length).toBeGreaterThan(5);
  await demo.platform.run(
    async () => {
      for (let i = 0; i < n; i++) {
        const from = closed[i % closed.length] as StoredReleaseDoc;
        const id = String(900_000 + i);
        const statusEnteredAt = closedAt ? { ...from.release.statusEnteredAt, CLOSED: closedAt(i) } : from.release.statusEnteredAt;
        const changes = new Changes();
        putRelease(changes, { ...from, release: { ...from.release, id, issueKey: `PAY-X${i}`, statusEnteredAt } }, null, Date.now());
        await changes.commit();
      }
    },
    { timeoutMs: 600_000 },
  );
}

const consumerDeliveries = (ds: readonly QueueDelivery[]) => ds.filter((d) => d.consumer === 'daily-job-consumer');

async function runProgress(demo: DemoPlatform) {
  return (await demo.platform.run(() => getRow(jobProgressRef(DAILY_JOB_KEY)))).value?.doc;
}

async function storedMonths(demo: DemoPlatform, keys: Iterable<string>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const k of keys) {
    const [projectId, month] = k.split(' ') as [string, string];
    const row = (await demo.platform.run(() => kpiMonthRow(projectId, month))).value;
    out.set(k, row?.doc.closed ?? 0);
  }
  return out;
}

describe('the daily job fanned out over consumers', () => {
  it('finishes across consumer invocations on 2,000 extra releases, KPI months equal to a recount', async () => {
    const demo = createDemoPlatform({ dbPath: ':memory:' });
    const { platform } = demo;
    try {
      const summary = await seedDemo(demo); // the demo as npm start seeds it: 12 months
      await demo.events.open(platform);
      await platform.drainQueues();
      const months = [...summary.closedMonths];
      await addClones(demo, 2_000);
      const truth = closedPerMonth(demo);

      const started = realNow();
      const first = await platform.runScheduled<{ statusCode: number }>(JOB, { options: { months, budgetMs: 300 } });
      expect(first.value.statusCode).toBe(204);
      const planned = await runProgress(demo);
      // The trigger only planned: every project listed, its units pushed, nothing counted yet.
      expect(planned?.projects.length).toBeGreaterThan(0);
      expect(planned?.pushed).toBe(planned?.projects.length);
      expect(planned?.stats.monthsChecked).toBe(0);
      const consumers = consumerDeliveries((await platform.drainQueues()).deliveries);
      expect(consumers.filter((d) => d.outcome !== 'succeeded')).toEqual([]);
      // One unit per project and task (a recount per month), each in its own invocations; the big ones continued.
      const units = new Set(platform.logs.filter((l) => l.message.startsWith('daily job unit ')).map((l) => l.message.replace(/ \(hop.*$/, '')));
      const projects = planned?.projects.length ?? 0;
      const monthsPerRun = new Set([...months, monthOf(started), monthOf(monthBounds(monthOf(started)).start - 1)]).size;
      expect(units.size).toBe(projects * (3 + monthsPerRun));
      expect(consumers.length).toBeGreaterThan(units.size);
      const done = await runProgress(demo);
      expect(done?.completedAt).not.toBeNull();
      expect(done?.doneProjects.sort()).toEqual(planned?.projects.sort());
      expect(done?.stats.failures).toEqual([]);
      expect(done?.stats.monthsChecked).toBe(projects * monthsPerRun);
      expect(done?.stats.monthsRepaired).toBeGreaterThan(0); // the clones were found and counted
      // Stored months = the closed releases stored for them, counted straight from the database.
      expect(await storedMonths(demo, truth.keys())).toEqual(truth);
      process.stdout.write(`daily job: 2000 extra releases, ${consumers.length} consumer invocations for ${units.size} units, ${((realNow() - started) / 1000).toFixed(1)} s\n`);

      // A recount of the same months (a new run, asked explicitly) repairs nothing: stored = recount.
      await platform.runScheduled(JOB, { options: { months } });
      await platform.drainQueues();
      const again = await runProgress(demo);
      expect(again?.runId).toBeGreaterThan(done?.runId ?? Infinity);
      expect(again?.completedAt).not.toBeNull();
      expect(again?.stats.monthsChecked).toBe(projects * monthsPerRun);
      expect(again?.stats.monthsRepaired).toBe(0);
    } finally {
      platform.close();
    }
  }, 600_000);

  it('a month with 1,000 closed releases: every record stays within the value limit and the month equals a recount', async () => {
    const demo = createDemoPlatform({ dbPath: ':memory:' });
    const { platform } = demo;
    try {
      const summary = await seedDemo(demo, { months: 2 });
      await demo.events.open(platform);
      await platform.drainQueues();
      const busy = [...summary.closedMonths].sort()[0] as string;
      const { start } = monthBounds(busy);
      await addClones(demo, 1_000, (i) => start + 3_600_000 + i * 60_000);
      const truth = closedPerMonth(demo);
      const projectId = closedDocs(demo).find((d) => d.release.id === '900000')?.release.projectId as string;
      expect(truth.get(`${projectId} ${busy}`)).toBeGreaterThanOrEqual(1_000);

      await platform.runScheduled(JOB, { options: { months: [busy] } });
      const consumers = consumerDeliveries((await platform.drainQueues()).deliveries);
      expect(consumers.filter((d) => d.outcome !== 'succeeded')).toEqual([]);
      const done = await runProgress(demo);
      expect(done?.completedAt).not.toBeNull();
      expect(done?.stats.failures).toEqual([]);
      expect(await storedMonths(demo, truth.keys())).toEqual(truth);
      // No row of the job, nor the month's aggregate or its entries, comes near Forge's 240 KiB (we stop at 200 KB).
      const sizes = platform.db.prepare('SELECT ns, key, length(value) AS n FROM kvs_items WHERE ns IN (?, ?, ?)').all(`entity:${ENTITY.jobProgress}`, `entity:${ENTITY.kpiMonth}`, `entity:${ENTITY.kpiEntries}`) as { ns: string; key: string; n: number }[];
      const largest = (ns: string) => Math.max(...sizes.filter((s) => s.ns === `entity:${ns}`).map((s) => s.n));
      expect(largest(ENTITY.jobProgress)).toBeLessThan(20_000);
      expect(largest(ENTITY.kpiMonth)).toBeLessThan(MAX_ROW_BYTES / 2);
      expect(largest(ENTITY.kpiEntries)).toBeLessThan(MAX_ROW_BYTES);
      const row = (await platform.run(() => kpiMonthRow(projectId, busy))).value;
      // The drill-down lists the first 300 and says the month is not fully listed (see the drill-down test).
      expect(row?.doc.entries).toHaveLength(MAX_KPI_ENTRIES_PER_MONTH);
      process.stdout.write(`daily job, busy month: ${truth.get(`${projectId} ${busy}`)} closed releases in ${busy}; largest rows: job ${largest(ENTITY.jobProgress)} B, aggregate ${largest(ENTITY.kpiMonth)} B, entries ${largest(ENTITY.kpiEntries)} B\n`);
    } finally {
      platform.close();
    }
  }, 600_000);
});
