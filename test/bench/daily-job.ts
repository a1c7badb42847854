import { createDemoPlatform, seedDemo } from '../../sandbox/seed/demo';
import { realNow } from '../../sandbox/runtime/context';
import { ENTITY } from '../../src/storage/entities';
import { putRelease, type StoredReleaseDoc } from '../../src/storage/records';
import { Changes } from '../../src/storage/store';

/**
 * The daily job on the seeded demo (12 months) plus 2,000 closed releases written behind the aggregates'
 * back, every month recounted: how many invocations the fan-out takes (the trigger, then consumer units and
 * their continuations), the most storage operations and the longest time any one of them needed, and the
 * wall time from the trigger to the run's completion. Each invocation works at most `budgetMs`.
 */
const EXTRA = 2_000;

export async function benchDailyJob(): Promise<string[]> {
  const lines: string[] = [];
  for (const budgetMs of [undefined, 2_000]) {
    const demo = createDemoPlatform({ dbPath: ':memory:' });
    const { platform } = demo;
    try {
      const summary = await seedDemo(demo);
      await demo.events.open(platform);
      await platform.drainQueues();
      const closed = (platform.db.prepare('SELECT value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.release}`) as { value: string }[])
        .map((r) => (JSON.parse(r.value) as { doc: StoredReleaseDoc }).doc)
        .filter((d) => d.release.status === 'CLOSED');
      await platform.run(
        async () => {
          for (let i = 0; i < EXTRA; i++) {
            const from = closed[i % closed.length] as StoredReleaseDoc;
            const changes = new Changes();
            putRelease(changes, { ...from, release: { ...from.release, id: String(900_000 + i), issueKey: `PAY-X${i}` } }, null, Date.now());
            await changes.commit();
          }
        },
        { timeoutMs: 600_000 },
      );
      const before = platform.invocations.length;
      const t0 = realNow();
      await platform.runScheduled('daily-kpi-and-training', { options: { months: [...summary.closedMonths], ...(budgetMs !== undefined ? { budgetMs } : {}) } });
      await platform.drainQueues();
      const wall = realNow() - t0;
      const job = platform.invocations.slice(before).filter((i) => i.functionKey === 'daily-job' || i.functionKey === 'daily-job-continue');
      const units = new Set(platform.logs.filter((l) => l.message.startsWith('daily job unit ')).map((l) => l.message.replace(/ \(hop.*$/, ''))).size;
      const maxOps = Math.max(...job.map((i) => i.counters.storageOps));
      const maxJira = Math.max(...job.map((i) => i.counters.jiraRequests));
      const maxMs = Math.max(...job.map((i) => i.durationMs));
      const failed = job.filter((i) => !i.ok).length;
      lines.push(
        `  ${closed.length + EXTRA} closed releases, ${summary.closedMonths.length} months, budget ${budgetMs === undefined ? 'the 55 s limit (less 10 s)' : `${budgetMs} ms`} per invocation: ` +
          `${job.length} invocations (1 trigger + ${job.length - 1} consumer, ${units} units, ${failed} failed), max ${maxOps} storage ops and ${maxJira} Jira requests in one invocation, ` +
          `longest invocation ${maxMs.toFixed(0)} ms, trigger to completion ${(wall / 1000).toFixed(1)} s`,
      );
    } finally {
      platform.close();
    }
  }
  return lines;
}
