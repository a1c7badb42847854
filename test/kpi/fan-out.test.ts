import { RESOLVER_KEYS as K } from '../../src/contracts';
import { PEOPLE } from '../../sandbox/seed/people';
import { createDemoPlatform, seedDemo, type DemoPlatform } from '../../sandbox/seed/demo';
import { realNow } from '../../sandbox/runtime/context';
import { MAX_KPI_ENTRIES_PER_MONTH, monthBounds, monthOf } from '../../src/domain/kpi';
import { DAILY_JOB_KEY } from '../../src/services/daily-job';
import { emptyStats } from '../../src/services/kpi-reconcile';
import { jobProgressRef, RECONCILE_SLICES } from '../../src/storage/jobs';
import { getRow, kpiMonthRow, putRelease, putSetup, setupRef, type StoredReleaseDoc } from '../../src/storage/records';
import { startWorld } from '../support/release-world';
import { Changes, MAX_ROW_BYTES } from '../../src/storage/store';
import { ENTITY } from '../../src/storage/entities';
import type { DrainOptions, QueueDelivery } from '../../sandbox/runtime/queue';
import { Queue } from '@forge/events';

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
      expect(units.size).toBe(projects * (3 + monthsPerRun * (1 + RECONCILE_SLICES))); // a recount per month, in 4 week slices
      expect(consumers.length).toBeGreaterThan(units.size);
      const done = await runProgress(demo);
      expect(done?.completedAt).not.toBeNull();
      expect(done?.doneProjects.sort()).toEqual(planned?.projects.sort());
      expect(done?.stats.failures).toEqual([]);
      expect(done?.stats.monthsChecked).toBe(projects * monthsPerRun);
      expect(done?.stats.monthsRepaired).toBeGreaterThan(0); // the clones were found and counted
      // Stored months = the closed releases stored for them, counted straight from the database.
      expect(await storedMonths(demo, truth.keys())).toEqual(truth);
      // The recounts' page rows were removed once combined.
      expect(platform.db.prepare("SELECT count(*) AS n FROM kvs_items WHERE ns = ? AND key LIKE 'part:%'").get(`entity:${ENTITY.jobProgress}`)).toEqual({ n: 0 });
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
      await addClones(demo, 1_000, (i) => start + 3_600_000 + i * 38 * 60_000); // over the whole month: every week slice counts
      const truth = closedPerMonth(demo);
      const projectId = closedDocs(demo).find((d) => d.release.id === '900000')?.release.projectId as string;
      expect(truth.get(`${projectId} ${busy}`)).toBeGreaterThanOrEqual(1_000);

      await platform.runScheduled(JOB, { options: { months: [busy], maxSteps: 20 } });
      // Mid-recount (20 pages per invocation), the month's partial counts are page rows of a few KB each.
      const partSizes = () => (platform.db.prepare("SELECT length(value) AS n FROM kvs_items WHERE ns = ? AND key LIKE 'part:%'").all(`entity:${ENTITY.jobProgress}`) as { n: number }[]).map((r) => r.n);
      const consumers: QueueDelivery[] = [];
      let midway: number[] = [];
      for (let i = 0; i < 200; i++) {
        const d = await platform.drainQueues({ maxDeliveries: 1 });
        consumers.push(...consumerDeliveries(d.deliveries));
        if (partSizes().length > midway.length) midway = partSizes();
        if (d.deliveries.length === 0) break;
      }
      expect(midway.length).toBeGreaterThanOrEqual(20);
      // The four week slices of the month each counted their share, in their own units (and invocations).
      const slices = (platform.db.prepare("SELECT value FROM kvs_items WHERE ns = ? AND key LIKE ?").all(`entity:${ENTITY.jobProgress}`, `unit:RECONCILE_SLICE:${projectId}:${busy}:%`) as { value: string }[]).map((r) => (JSON.parse(r.value) as { doc: { pages: number; completedAt: number | null } }).doc);
      expect(slices).toHaveLength(RECONCILE_SLICES);
      for (const sl of slices) expect([sl.pages > 10, sl.completedAt !== null]).toEqual([true, true]);
      expect(Math.max(...midway)).toBeLessThan(20_000);
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
      // The drill-down tells the truth about it: the month is capped, with how many are listed of how many.
      const res = await platform.invokeResolver<{ ok: boolean; data?: { rows: unknown[]; incompleteMonths: string[]; cappedMonths: unknown[] } }>({
        moduleKey: 'release-workbench',
        functionKey: K.getKpiDrillDown,
        payload: { projectId, kpi: 'RELEASE_SUCCESS_RATE', fromMonth: busy, toMonth: busy },
        accountId: PEOPLE.owner.accountId,
        extension: { project: { id: projectId } },
      });
      expect(res.value.data?.cappedMonths).toEqual([{ month: busy, listed: MAX_KPI_ENTRIES_PER_MONTH, closed: truth.get(`${projectId} ${busy}`) }]);
      expect(res.value.data?.incompleteMonths).toEqual([]);
      expect(res.value.data?.rows).toHaveLength(MAX_KPI_ENTRIES_PER_MONTH);
      process.stdout.write(`daily job, busy month: ${truth.get(`${projectId} ${busy}`)} closed releases in ${busy}; largest rows: recount page ${Math.max(...midway)} B (${midway.length} pages seen at once), job ${largest(ENTITY.jobProgress)} B, aggregate ${largest(ENTITY.kpiMonth)} B, entries ${largest(ENTITY.kpiEntries)} B\n`);
    } finally {
      platform.close();
    }
  }, 600_000);
});

/**
 * Faults, each against a clean run on the same site: the seeded demo (2 months) with 300 releases written
 * behind the aggregates' back (the job must find them) and its training past due (the job must remind).
 * A unit killed right after a commit (a page's, or its last), every event delivered twice, the same events
 * delivered concurrently, an older run's events arriving after a newer run began: the end state equals the
 * clean run's — the same months, the same repairs audited once, each reminder posted once.
 */
describe('the daily job under faults: the end state equals a clean run', () => {
  const isTransaction = (path: string) => path.replace(/\?.*$/, '').endsWith('/transaction');
  type Scenario = (demo: DemoPlatform) => Promise<QueueDelivery[]>;
  let siteNow = 0;

  async function site(): Promise<DemoPlatform> {
    const demo = createDemoPlatform({ dbPath: ':memory:' });
    const summary = await seedDemo(demo, { months: 2 });
    await demo.events.open(demo.platform);
    await demo.platform.drainQueues();
    expect(summary.byStatus.CLOSED).toBeGreaterThan(5);
    await addClones(demo, 300);
    // Three days on: the open releases' training is past due.
    siteNow = realNow() + 3 * 86_400_000;
    demo.platform.setClock(() => siteNow);
    return demo;
  }

  async function digest(demo: DemoPlatform) {
    const db = demo.platform.db;
    const docs = (ns: string) => (db.prepare('SELECT key, value FROM kvs_items WHERE ns = ? ORDER BY key').all(`entity:${ns}`) as { key: string; value: string }[]).map((r) => [r.key, (JSON.parse(r.value) as { doc: unknown }).doc]);
    const audits = (db.prepare('SELECT value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.audit}`) as { value: string }[])
      .map((r) => (JSON.parse(r.value) as { doc: { action: string; subjectId: string; after: Record<string, unknown> } }).doc)
      .filter((a) => a.action.startsWith('kpi.') || a.action === 'training.reminded')
      .map((a) => `${a.action} ${a.subjectId} ${JSON.stringify(a.after.month ?? a.after.taskId)} ${JSON.stringify(a.after.differed ?? null)}`)
      .sort();
    const comments = (demo.jira.state.db.prepare('SELECT doc FROM jira_comments').all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as { issueId: number; properties?: Record<string, unknown> }).map((c) => `${c.issueId} ${JSON.stringify(c.properties ?? {})}`).sort();
    const run = await runProgress(demo);
    const { restarts: _r, ...stats } = run?.stats ?? emptyStats();
    return normalised({ kpiMonths: docs(ENTITY.kpiMonth), kpiEntries: docs(ENTITY.kpiEntries), reminders: docs(ENTITY.trainingReminder).map(([k]) => k), audits, comments, completed: run?.completedAt !== null, stats });
  }

  /** Two seedings differ in their random ids (audits, actions, tasks): named alike, lists of names sorted. */
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  function normalised<T>(v: T): T {
    const walk = (x: unknown): unknown => {
      if (typeof x === 'string') return x.replace(UUID, 'ID');
      if (Array.isArray(x)) {
        const items = x.map(walk);
        return items.every((i) => typeof i === 'string') ? [...(items as string[])].sort() : items;
      }
      if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
      return x;
    };
    return walk(v) as T;
  }

  async function runWith(scenario: Scenario) {
    const demo = await site();
    try {
      const deliveries = await scenario(demo);
      return { digest: await digest(demo), deliveries };
    } finally {
      demo.platform.close();
    }
  }

  const plainRun: Scenario = async (demo) => {
    await demo.platform.runScheduled(JOB, { options: { pageSize: 5, maxSteps: 4 } });
    return consumerDeliveries((await demo.platform.drainQueues()).deliveries);
  };

  let clean: Awaited<ReturnType<typeof digest>>;
  beforeAll(async () => {
    clean = (await runWith(plainRun)).digest;
    expect(clean.completed).toBe(true);
    expect(clean.stats).toMatchObject({ failures: [] });
    expect(clean.stats.monthsRepaired).toBeGreaterThan(0); // the clones were counted
    expect(clean.comments.length).toBeGreaterThan(0); // overdue training was reminded
    expect(clean.audits.filter((a) => a.startsWith('kpi.reconcile')).length).toBeGreaterThan(0);
  }, 300_000);

  it('a unit killed right after committing a page, and one killed after its last commit: redelivered, it resumes', async () => {
    let pages: { readonly fired: number } | undefined;
    let last: { readonly fired: number } | undefined;
    const { digest: got, deliveries } = await runWith(async (demo) => {
      pages = demo.platform.killAfterStorage({ functionKey: 'daily-job-continue', times: 3, when: (path, body) => isTransaction(path) && JSON.stringify(body).includes('part:') });
      last = demo.platform.killAfterStorage({ functionKey: 'daily-job-continue', times: 2, when: (path, body) => isTransaction(path) && /unit:[A-Z_]+:[^"]*","value":\{"version":\d+,"doc":\{[^]*"completedAt":\d/.test(JSON.stringify(body)) });
      return plainRun(demo);
    });
    expect([pages?.fired, last?.fired]).toEqual([3, 2]);
    expect(deliveries.filter((d) => d.outcome === 'error')).toHaveLength(5); // Forge retried each
    expect(got).toEqual(clean);
  }, 300_000);

  it('every event delivered twice (at least once, made visible): nothing counted or sent twice', async () => {
    const { digest: got, deliveries } = await runWith(async (demo) => {
      await demo.platform.runScheduled(JOB, { options: { pageSize: 5, maxSteps: 4 } });
      const redeliver: DrainOptions['redeliver'] = () => true;
      return consumerDeliveries((await demo.platform.drainQueues({ redeliver })).deliveries);
    });
    expect(deliveries.filter((d) => d.outcome !== 'succeeded')).toEqual([]);
    expect(got).toEqual(clean);
  }, 300_000);

  it('the same events pushed twice and delivered concurrently: one copy advances each unit, the other stops', async () => {
    const { digest: got } = await runWith(async (demo) => {
      await demo.platform.runScheduled(JOB, { options: { pageSize: 5, maxSteps: 4 } });
      const bodies = demo.platform.queues.events({ queueName: 'daily-job' }).filter((e) => e.state === 'pending').map((e) => e.body);
      expect(bodies.length).toBeGreaterThan(1);
      await demo.platform.run(() => new Queue({ key: 'daily-job' }).push(bodies.map((body) => ({ body: body as Record<string, string> }))));
      const ds = consumerDeliveries((await demo.platform.drainQueues()).deliveries);
      // The copies met: one of each pair lost the version race (or found the unit done) and stopped.
      const lost = demo.platform.logs.filter((l) => l.message.includes('another invocation holds it'));
      process.stdout.write(`concurrent duplicates: ${lost.length} invocation(s) lost the race\n`);
      expect(lost.length).toBeGreaterThan(0);
      return ds;
    });
    expect(got).toEqual(clean);
  }, 300_000);

  it('an older run’s events arriving after a newer run began are ignored; the newer run does the work once', async () => {
    const { digest: got } = await runWith(async (demo) => {
      const now = siteNow;
      demo.platform.setClock(() => now - 86_400_000); // yesterday's run: planned, its events not delivered yet
      await demo.platform.runScheduled(JOB, { options: { pageSize: 5, maxSteps: 4 } });
      const old = demo.platform.queues.events({ queueName: 'daily-job' }).filter((e) => e.state === 'pending').length;
      expect(old).toBeGreaterThan(0);
      demo.platform.setClock(() => now);
      await demo.platform.runScheduled(JOB, { options: { pageSize: 5, maxSteps: 4 } });
      const ds = consumerDeliveries((await demo.platform.drainQueues()).deliveries);
      expect(demo.platform.logs.filter((l) => l.message.includes('ignored (an older run)')).length).toBeGreaterThanOrEqual(old);
      return ds;
    });
    expect(got).toEqual(clean);
  }, 300_000);
});

/**
 * Many projects: the planning pages through the set-up projects and pushes their units 16 projects (48 events)
 * at a time — the local queue refuses a push of more than 50 events as Forge does — and, when its invocation
 * is spent, continues on the queue. 110 set-up rows beside the world's project (no releases of their own).
 */
describe('the daily job planning many projects', () => {
  it('lists 111 projects over several invocations, pushes within the limits, and completes every project', async () => {
    const w = startWorld();
    try {
      await w.releaseAt('CLOSED');
      await w.platform.run(async () => {
        const real = await getRow(setupRef(w.project.id));
        if (!real) throw new Error('no set-up');
        for (let i = 0; i < 110; i += 20) {
          const changes = new Changes();
          for (let j = i; j < Math.min(i + 20, 110); j++) putSetup(changes, { ...real.doc, projectId: String(50_000 + j), updatedAt: real.doc.updatedAt + j + 1 }, null);
          await changes.commit();
        }
      });
      const run = await w.platform.runScheduled<{ statusCode: number }>(JOB, { options: { maxSteps: 2 } });
      expect(run.value.statusCode).toBe(204);
      const deliveries = consumerDeliveries((await w.platform.drainQueues()).deliveries);
      expect(deliveries.filter((d) => d.outcome !== 'succeeded')).toEqual([]);
      const p = (await w.platform.run(() => getRow(jobProgressRef(DAILY_JOB_KEY)))).value?.doc;
      expect(p?.projects).toHaveLength(111);
      expect(p?.pushed).toBe(111);
      expect(p?.doneProjects).toHaveLength(111);
      expect(p?.completedAt).not.toBeNull();
      expect(p?.stats).toMatchObject({ monthsChecked: 222, failures: [] });
      // The planning went on in consumers (two steps per invocation), and no push held more than 50 events.
      expect(w.platform.logs.filter((l) => l.message.startsWith('daily job unit planning')).length).toBeGreaterThan(2);
      const perPush = new Map<string, number>();
      for (const e of w.platform.queues.events({ queueName: 'daily-job' })) perPush.set(e.jobId, (perPush.get(e.jobId) ?? 0) + 1);
      expect(Math.max(...perPush.values())).toBeLessThanOrEqual(48);
      expect([...perPush.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(111 * 5);
    } finally {
      w.close();
    }
  }, 300_000);
});
