import { ENTITY } from '../../src/storage/entities';
import { createDemoPlatform, seedDemo } from '../../sandbox/seed/demo';

/**
 * The two ways KPI aggregates come about agree on a realistic history: the incremental updates that every
 * closing, audit and improvement made while the demo was seeded through the real resolvers, and the daily
 * job's recount from the records. The job finds no drift to repair.
 */
describe('KPI aggregates of the seeded demo', () => {
  it('need no repair by the daily reconciliation', async () => {
    const demo = createDemoPlatform({ dbPath: ':memory:' });
    try {
      const summary = await seedDemo(demo, { months: 3 });
      await demo.events.open(demo.platform);
      expect(summary.byStatus.CLOSED).toBeGreaterThan(5);
      await demo.platform.runScheduled('daily-kpi-and-training');
      await demo.platform.drainQueues(); // the units the trigger pushed
      const audits = (demo.platform.db.prepare('SELECT value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.audit}`) as { value: string }[]).map(
        (r) => (JSON.parse(r.value) as { doc: { action: string; after: Record<string, string> } }).doc,
      );
      expect(audits.filter((a) => a.action === 'kpi.reconcile')).toEqual([]);
      // It did look: the job ran to the end and recorded its progress.
      const progress = demo.platform.db.prepare("SELECT count(*) AS n FROM kvs_items WHERE ns = 'entity:job-progress'").get() as { n: number };
      expect(progress.n).toBeGreaterThan(0);
    } finally {
      demo.platform.close();
    }
  }, 120_000);
});
