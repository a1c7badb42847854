import { createDemoPlatform, seedDemo } from '../../sandbox/seed/demo';
import { realNow } from '../../sandbox/runtime/context';
import { DAILY_JOB_KEY } from '../../src/services/daily-job';
import { jobProgressRef } from '../../src/storage/jobs';
import { getRow, putRelease, type StoredReleaseDoc } from '../../src/storage/records';
import { Changes } from '../../src/storage/store';
import { ENTITY } from '../../src/storage/entities';

/**
 * The daily job on a site too big for one invocation: the seeded demo (12 months, as npm start seeds it) plus
 * 2,000 more closed releases spread over its months like `--size` spreads them (written
 * straight into storage, so that no incremental KPI update counted them and the job must find them all). The
 * scheduled trigger works for its slice, the rest continues on the `daily-job` queue, one consumer invocation
 * after another, each within its limit, resuming from the stored progress. At the end every month's stored
 * aggregate equals a recount: a second run, asked for the same months, finds nothing to repair.
 */
const EXTRA = 2_000;

describe('the daily job fanned out over consumers', () => {
  it('finishes across consumer invocations on 2,000 extra releases, KPI months equal to a recount', async () => {
    const demo = createDemoPlatform({ dbPath: ':memory:' });
    const { platform } = demo;
    try {
      const summary = await seedDemo(demo); // the demo as npm start seeds it: 12 months
      await demo.events.open(platform);
      const months = [...summary.closedMonths];
      // Clones of the seeded closed releases, spread over the same months, each with its own id.
      const closed = (platform.db.prepare('SELECT value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.release}`) as { value: string }[])
        .map((r) => (JSON.parse(r.value) as { doc: StoredReleaseDoc }).doc)
        .filter((d) => d.release.status === 'CLOSED');
      expect(closed.length).toBeGreaterThan(5);
      await platform.run(
        async () => {
          for (let i = 0; i < EXTRA; i++) {
            const from = closed[i % closed.length] as StoredReleaseDoc;
            const id = String(900_000 + i);
            const changes = new Changes();
            putRelease(changes, { ...from, release: { ...from.release, id, issueKey: `PAY-X${i}` } }, null, Date.now());
            await changes.commit();
          }
        },
        { timeoutMs: 600_000 },
      );

      const started = realNow();
      const first = await platform.runScheduled<{ statusCode: number }>('daily-kpi-and-training', { options: { months, budgetMs: 300 } });
      expect(first.value.statusCode).toBe(204);
      const drained = await platform.drainQueues();
      const consumers = drained.deliveries.filter((d) => d.consumer === 'daily-job-consumer');
      // It did not fit in one slice, and every continuation succeeded within its own limit.
      expect(consumers.length).toBeGreaterThan(2);
      expect(consumers.filter((d) => d.outcome !== 'succeeded')).toEqual([]);
      const slices = platform.logs.filter((l) => l.message.startsWith('daily job continuation'));
      expect(slices.length).toBe(consumers.length);
      const progress = (await platform.run(() => getRow(jobProgressRef(DAILY_JOB_KEY)))).value?.doc;
      expect(progress?.completedAt).not.toBeNull();
      expect(progress?.stats.failures).toEqual([]);
      expect(progress?.stats.monthsRepaired).toBeGreaterThan(0); // the clones were found and counted
      process.stdout.write(`daily job: ${EXTRA} extra releases, ${consumers.length + 1} invocations, ${((realNow() - started) / 1000).toFixed(1)} s\n`);

      // A recount of the same months (a new run, asked explicitly) repairs nothing: stored = recount.
      await platform.runScheduled('daily-kpi-and-training', { options: { months } });
      await platform.drainQueues();
      const again = (await platform.run(() => getRow(jobProgressRef(DAILY_JOB_KEY)))).value?.doc;
      expect(again?.startedAt).toBeGreaterThan(progress?.startedAt ?? Infinity);
      expect(again?.completedAt).not.toBeNull();
      expect(again?.stats.monthsChecked).toBeGreaterThanOrEqual(months.length);
      expect(again?.stats.monthsRepaired).toBe(0);
    } finally {
      platform.close();
    }
  }, 600_000);
});
