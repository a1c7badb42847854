import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoPlatform, seedDemo } from '../../sandbox/seed/demo';
import { ENTITY } from '../../src/storage/entities';
import { BUNDLE_DIR, bundleFunctions, ROOT } from '../../scripts/forge-bundle';
import { PEOPLE } from '../../sandbox/seed/people';
import type { DslImportJob } from '../../src/contracts/dsl-csv';
import type { Envelope } from '../../src/contracts/envelope';
import { RESOLVER_KEYS as K } from '../../src/contracts/keys';
import { planImport, uploadImport, type Send } from '../../static/src/modules/release-workbench/dsl/upload';
import { cellsOf, dslCsv, nodeSha256Hex } from '../dsl/import-fixture';

/**
 * The artifact that deploys is the one tested: the functions as `@forge/bundler` packages them (what
 * `forge deploy` uploads) run on the local platform — set-up through the admin page's resolver, releases
 * driven through their whole lifecycle by the resolvers, the issue trigger fed by Jira's events, the daily
 * scheduled job, the upgrade trigger and its set-up consumer. `npm test` bundles first (and fails if the bundle cannot be built); run alone, this test
 * bundles when the output is missing or older than the sources.
 */
function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestSource(p) : st.mtimeMs);
  }
  return newest;
}

describe('the bundled functions (@forge/bundler output) on the local platform', () => {
  beforeAll(async () => {
    const entry = join(BUNDLE_DIR, 'index.cjs');
    const stale = !existsSync(entry) || statSync(entry).mtimeMs < Math.max(newestSource(join(ROOT, 'src')), statSync(join(ROOT, 'manifest.yml')).mtimeMs);
    if (stale) await bundleFunctions();
  }, 240_000);

  it('set up a project, run releases through their lifecycle, take issue events and run the daily job', async () => {
    const started = Date.now();
    const demo = createDemoPlatform({ dbPath: ':memory:', srcDir: BUNDLE_DIR, appCodeDir: BUNDLE_DIR });
    try {
      const summary = await seedDemo(demo, { months: 1 });
      await demo.events.open(demo.platform);
      await demo.platform.drainQueues();
      // Every handler came from the bundle.
      const loaded = Object.keys(require.cache);
      expect(loaded).toContain(join(BUNDLE_DIR, 'index.cjs'));
      expect(loaded.filter((f) => f.startsWith(join(ROOT, 'src', 'resolvers')))).toEqual([]);
      expect(summary.byStatus.CLOSED).toBeGreaterThan(0);
      // Issue events reached the bundled trigger and it answered without an error.
      const triggerRuns = demo.platform.logs.filter((l) => l.level === 'error');
      expect(triggerRuns).toEqual([]);
      const daily = await demo.platform.runScheduled<{ statusCode: number }>('daily-kpi-and-training');
      await demo.platform.drainQueues();
      expect(daily.value.statusCode).toBe(204);
      const progress = demo.platform.db.prepare('SELECT count(*) AS n FROM kvs_items WHERE ns = ?').get(`entity:${ENTITY.jobProgress}`) as { n: number };
      expect(progress.n).toBeGreaterThan(0);
      // The trigger planned, the bundled consumer ran the units: the run completed without a failure.
      const run = demo.platform.db.prepare('SELECT value FROM kvs_items WHERE ns = ? AND key = ?').get(`entity:${ENTITY.jobProgress}`, 'daily-kpi-and-training') as { value: string };
      const doc = (JSON.parse(run.value) as { doc: { completedAt: number | null; stats: { failures: unknown[] } } }).doc;
      expect(doc.completedAt).not.toBeNull();
      expect(doc.stats.failures).toEqual([]);
      // The upgrade event reaches the bundled trigger, and its queued set-up runs find the workflow up to date.
      const upgraded = await demo.platform.upgradeApp();
      expect(upgraded.map((u) => u.value)).toEqual([{ projects: expect.any(Number) as unknown }]);
      const runs = (await demo.platform.drainQueues()).deliveries.filter((d) => d.queueName === 'setup-upgrade');
      expect(runs.length).toBeGreaterThan(0);
      expect(runs.every((d) => d.outcome === 'succeeded')).toBe(true);
      expect(demo.platform.logs.filter((l) => l.level === 'error')).toEqual([]);
      process.stdout.write(`bundle smoke test: ${((Date.now() - started) / 1000).toFixed(1)} s on the bundled handlers\n`);
    } finally {
      demo.platform.close();
    }
  }, 240_000);

  it('imports a CSV file through the chunked upload, written by the bundled dsl-import consumer', async () => {
    const demo = createDemoPlatform({ dbPath: ':memory:', srcDir: BUNDLE_DIR, appCodeDir: BUNDLE_DIR });
    try {
      const summary = await seedDemo(demo, { months: 1 });
      const { header, rows } = cellsOf(dslCsv(40, 'bundled'));
      const send: Send = async <T>(functionKey: string, payload: Record<string, unknown>): Promise<T> => {
        const inv = await demo.platform.invokeResolver<Envelope<T>>({
          moduleKey: 'release-workbench',
          functionKey,
          payload,
          accountId: PEOPLE.scl.accountId,
          extension: { type: 'jira:projectPage', project: { id: summary.project.id, key: summary.project.key } },
        });
        if (!inv.value.ok) throw new Error(`${functionKey}: ${inv.value.error.message}`);
        return inv.value.data;
      };
      const plan = await planImport(summary.project.id, header, rows, nodeSha256Hex);
      await uploadImport({ projectId: summary.project.id, header, rows, plan }, send);
      await send(K.dslImportCommit, { projectId: summary.project.id, importId: plan.importId });
      const res = await demo.platform.drainQueues();
      expect(res.deliveries.filter((d) => d.consumer === 'dsl-import-consumer').map((d) => d.outcome)).toEqual(['succeeded']);
      expect(await send<DslImportJob>(K.dslImportStatus, { projectId: summary.project.id, importId: plan.importId })).toMatchObject({ state: 'COMPLETE', written: 40 });
    } finally {
      demo.platform.close();
    }
  }, 240_000);
});

describe('@forge/bundler refusing an app', () => {
  it('fails on a type error, as `forge deploy` would (so `npm test` fails)', async () => {
    const out = join(tmpdir(), `broken-bundle-${process.pid}`);
    await expect(bundleFunctions(out, join(ROOT, 'test', 'fixtures', 'broken-bundle'))).rejects.toThrow(/TS2322/);
  }, 120_000);
});
