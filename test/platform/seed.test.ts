import { RESOLVER_KEYS as K } from '../../src/contracts';
import type { Envelope } from '../../src/contracts/envelope';
import { RELEASE_STATUSES, type Release, type ReleaseStatus } from '../../src/domain/release';
import { pendingKinds } from '../../src/effects';
import { ENTITY, physicalRow } from '../../src/storage/entities';
import { getRow, setupRef } from '../../src/storage/records';
import { RELEASE_PROPERTY_KEY, STATUS_SPECS } from '../../src/workflow/rules';
import type { AuditEvent } from '../../src/storage/records';
import { createDemoPlatform, seedDemo, type DemoPlatform, type SeedSummary } from '../../sandbox/seed/demo';
import { stableDump } from '../../sandbox/seed/dump';
import { PEOPLE, type PersonKey } from '../../sandbox/seed/people';

/**
 * The seeded demo (SPEC §8): reproducible from its seed, every status present, 12 months of KPIs, and
 * `--size N` adds N releases. Everything is read back through the app's own resolvers.
 */

const TODAY = Date.UTC(2026, 10, 28);
const MONTHS_SHOWN = ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];

async function seeded(opts: { size?: number; months?: number } = {}): Promise<{ demo: DemoPlatform; summary: SeedSummary }> {
  const demo = createDemoPlatform({ dbPath: ':memory:' });
  const summary = await seedDemo(demo, { today: TODAY, ...opts });
  await demo.events.open(demo.platform);
  return { demo, summary };
}

function close(d: DemoPlatform | undefined): void {
  d?.platform.close();
}

async function onProject<T>(d: DemoPlatform, projectId: string, who: PersonKey, key: string, payload: Record<string, unknown>): Promise<T> {
  const res = await d.platform.invokeResolver<Envelope<T>>({
    moduleKey: 'release-workbench',
    functionKey: key,
    payload: { projectId, ...payload },
    accountId: PEOPLE[who].accountId,
    extension: { type: 'jira:projectPage', project: { id: projectId, key: 'PAY' } },
  });
  if (!res.value.ok) throw new Error(`${key}: ${JSON.stringify(res.value.error)}`);
  return res.value.data;
}

function releaseRows(d: DemoPlatform): Release[] {
  const rows = d.platform.db.prepare("SELECT value FROM kvs_items WHERE ns = 'entity:release'").all() as { value: string }[];
  return rows.map((r) => (JSON.parse(r.value) as { doc: { release: Release } }).doc.release);
}

describe('seeded demo', () => {
  let a: { demo: DemoPlatform; summary: SeedSummary } | undefined;
  beforeAll(async () => {
    a = await seeded();
  }, 240_000);
  afterAll(() => close(a?.demo));

  it('gives the same records when seeded again with the same seed', async () => {
    const b = await seeded();
    try {
      const first = stableDump(a!.demo.platform);
      const second = stableDump(b.demo.platform);
      expect(second.length).toBe(first.length);
      expect(second).toEqual(first);
      expect(b.summary.byStatus).toEqual(a!.summary.byStatus);
    } finally {
      close(b.demo);
    }
  }, 240_000);

  it('has releases in every status and every outcome, as the app lists them', async () => {
    const { demo, summary } = a!;
    for (const status of RELEASE_STATUSES) {
      const page = await onProject<{ items: Release[] }>(demo, summary.project.id, 'manager', K.listReleases, { status, limit: 100 });
      expect({ status, n: page.items.length > 0 }).toEqual({ status, n: true });
      expect(page.items.every((r) => r.status === status)).toBe(true);
    }
    const outcomes = new Set(releaseRows(demo).filter((r) => r.status === 'CLOSED').map((r) => r.outcome));
    expect([...outcomes].sort()).toEqual(['FAILED', 'ROLLED_BACK', 'SUCCESS']);
    expect(summary.releases).toBe(releaseRows(demo).length);
  });

  it('has KPI data in each of the last 12 months', async () => {
    const { demo, summary } = a!;
    const kpis = await onProject<{ months: { month: string; closed: number }[]; byMonth: { month: string; readings: { name: string; value: number | null }[] }[] }>(
      demo,
      summary.project.id,
      'owner',
      K.getKpis,
      { fromMonth: MONTHS_SHOWN[0], toMonth: MONTHS_SHOWN.at(-1) },
    );
    const withData = kpis.months.filter((m) => m.closed > 0).map((m) => m.month);
    expect(withData).toEqual(MONTHS_SHOWN);
    for (const m of kpis.byMonth) {
      const success = m.readings.find((r) => r.name === 'RELEASE_SUCCESS_RATE');
      expect(success?.value).not.toBeNull();
    }
  });

  it('made every change through the resolvers, as its user, with an audit trail', async () => {
    const { demo, summary } = a!;
    const closed = releaseRows(demo).find((r) => r.status === 'CLOSED' && r.outcome === 'SUCCESS');
    expect(closed).toBeDefined();
    const trail = await onProject<{ items: AuditEvent[] }>(demo, summary.project.id, 'manager', K.listAudit, { releaseId: closed!.id, limit: 100 });
    const actions = trail.items.map((e) => e.action);
    for (const action of ['submitRelease', 'approve', 'startBuild', 'markReady', 'startImplementation', 'markDeployed', 'verifyAndClose']) expect(actions).toContain(action);
    const actors = new Set(trail.items.map((e) => e.actorAccountId));
    expect(actors.size).toBeGreaterThanOrEqual(6);
    // History happened in the past: the release closed before the demo's today.
    expect(closed!.statusEnteredAt.CLOSED).toBeLessThan(TODAY);
  });

  it("ends with every release's Jira status and issue property equal to its record (the whole demo)", async () => {
    const { demo, summary } = a!;
    const setup = (await demo.platform.run(() => getRow(setupRef(summary.project.id)))).value!.doc;
    const releases = releaseRows(demo);
    const rows = releases.map((r) => {
      const issue = demo.jira.getIssue(r.id);
      const prop = issue?.properties[RELEASE_PROPERTY_KEY] as { status?: string; outcome?: string | null; version?: number } | undefined;
      return { key: r.issueKey, record: [r.status, r.outcome, r.version], jira: [issue && String(issue.statusId) === setup.statusIds[r.status] ? r.status : `?${String(issue?.statusId)}`, prop?.outcome ?? null, prop?.version], jiraStatusName: issue?.statusName };
    });
    expect(rows.filter((x) => JSON.stringify(x.record) !== JSON.stringify(x.jira) || x.jiraStatusName !== STATUS_SPECS[x.record[0] as ReleaseStatus].name)).toEqual([]);
    expect(rows.length).toBe(releases.length);
    // Among them the rolled-back and failed ones, closed in Jira like every other close.
    expect(releases.filter((r) => r.status === 'CLOSED' && r.outcome !== 'SUCCESS').length).toBeGreaterThan(0);
    // Nothing is left owing Jira.
    const owing = releases.filter((r) => {
      const [request, state] = demo.platform.db
        .prepare('SELECT key, value FROM kvs_items WHERE ns = ? AND key IN (?, ?) ORDER BY key')
        .all(`entity:${physicalRow(ENTITY.jiraOutbox, '').entity}`, physicalRow(ENTITY.jiraOutbox, `${r.id}:requested`).key, physicalRow(ENTITY.jiraOutbox, `${r.id}:state`).key) as { key: string; value: string }[];
      const doc = (row: { value: string } | undefined) => (row ? (JSON.parse(row.value) as { doc: never }).doc : null);
      return pendingKinds(doc(request), doc(state)).length > 0;
    });
    expect(owing.map((r) => r.issueKey)).toEqual([]);
  });

  it('says how the DSL was seeded', () => {
    expect(['resolvers', 'direct']).toContain(a!.summary.dsl.mode);
    expect(a!.summary.dsl.note.length).toBeGreaterThan(20);
  });

  it('leaves each release it points at ready for the step it suggests, for the user it names', async () => {
    const { demo, summary } = a!;
    // Noon of the demo's today, whatever day the test runs.
    demo.platform.setClock(() => TODAY + 12 * 3_600_000);
    const byKey = new Map(releaseRows(demo).map((r) => [r.issueKey, r]));
    const act = async (who: PersonKey, key: string, functionKey: string, payload: Record<string, unknown> = {}) => {
      const r = byKey.get(key)!;
      const res = await demo.platform.invokeResolver<Envelope<{ release: Release }>>({
        moduleKey: 'release-panel',
        functionKey,
        payload: { releaseId: r.id, expectedVersion: r.version, ...payload },
        accountId: PEOPLE[who].accountId,
        extension: { type: 'jira:issuePanel', issue: { id: r.id, key }, project: { id: summary.project.id, key: 'PAY' } },
      });
      await demo.jira.flushEvents();
      await demo.platform.drainEvents();
      if (res.value.ok) byKey.set(key, res.value.data.release);
      return res.value;
    };
    const hint = (what: string) => summary.hints.find((h) => h.what.startsWith(what))!;
    try {
      const approve = hint('approve');
      expect(await act(approve.who, approve.issueKey, K.approve)).toMatchObject({ ok: true, data: { release: { status: 'PLANNING' } } });
      const build = hint('start build');
      expect(await act(build.who, build.issueKey, K.startBuild)).toMatchObject({ ok: true, data: { release: { status: 'BUILD_TEST' } } });
      const ready = hint('mark ready');
      expect(await act(ready.who, ready.issueKey, K.markReady)).toMatchObject({ ok: true, data: { release: { status: 'READY' } } });
      const start = hint('start implementation (the release window is open');
      expect(await act(start.who, start.issueKey, K.startImplementation)).toMatchObject({ ok: true, data: { release: { status: 'IMPLEMENTING' } } });
      const early = hint('start implementation is refused');
      expect(await act(early.who, early.issueKey, K.startImplementation)).toMatchObject({ ok: false, error: { code: 'GATE_OUTSIDE_WINDOW' } });
      const deployed = hint('mark deployed');
      expect(await act(deployed.who, deployed.issueKey, K.markDeployed)).toMatchObject({ ok: true, data: { release: { status: 'VERIFYING' } } });
      const verify = hint('record operational acceptance');
      expect(await act(verify.who, verify.issueKey, K.recordOperationalAcceptance, { accepted: true, resultConfirmed: true })).toMatchObject({ ok: true });
      expect(await act(verify.who, verify.issueKey, K.verifyAndClose)).toMatchObject({ ok: true, data: { release: { status: 'CLOSED', outcome: 'SUCCESS' } } });
      const fallback = hint('record the fallback execution');
      expect(await act(fallback.who, fallback.issueKey, K.recordFallbackExecution, { result: 'SUCCEEDED' })).toMatchObject({ ok: true });
      expect(await act(fallback.who, fallback.issueKey, K.completeFallback)).toMatchObject({ ok: true, data: { release: { status: 'CLOSED', outcome: 'ROLLED_BACK' } } });
      const outsider = hint('read any release');
      expect(await act(outsider.who, outsider.issueKey, K.cancel, { reason: 'x' })).toMatchObject({ ok: false });
    } finally {
      demo.platform.setClock(undefined);
    }
  });

  it('adds exactly N releases with --size N', async () => {
    let base: { demo: DemoPlatform; summary: SeedSummary } | undefined;
    let big: { demo: DemoPlatform; summary: SeedSummary } | undefined;
    try {
      base = await seeded({ months: 0 });
      const baseCount = releaseRows(base.demo).length;
      close(base.demo);
      base = undefined;
      big = await seeded({ months: 0, size: 200 });
      expect(releaseRows(big.demo).length).toBe(baseCount + 200);
      expect(big.summary.releases).toBe(baseCount + 200);
    } finally {
      close(base?.demo);
      close(big?.demo);
    }
  }, 600_000);
});
