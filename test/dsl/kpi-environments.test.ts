/**
 * The facts the DSL KPIs aggregate (audits matched / mismatched; check-in and environment update vs
 * deployment), environment versions updated when a release closes, and the consistency checks on the
 * library page and on the release.
 */
import type { DslEnvironmentVersion } from '../../src/domain/dsl';
import type { DslFinding } from '../../src/domain/dsl-consistency';
import type { KpiMonthAggregate } from '../../src/domain/kpi';
import type { DslConsistencyView, DslItemView } from '../../src/contracts/views';
import { ENTITY } from '../../src/storage/entities';
import { startWorld, type World } from '../support/release-world';
import { call, data, failed, inLibrary, K, onItem, register, sha, type ItemResult } from './support';

const month = (t: number) => new Date(t).toISOString().slice(0, 7);

describe('DSL KPI facts, environments and consistency, through the resolver', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  const kpiMonth = async (): Promise<KpiMonthAggregate> => {
    const m = month(Date.now());
    const res = data(await call<{ months: KpiMonthAggregate[] }>(w, 'owner', K.getKpis, { projectId: w.project.id, fromMonth: m, toMonth: m }));
    return res.months[0] as KpiMonthAggregate;
  };
  const consistency = async (releaseId?: string): Promise<DslFinding[]> =>
    data(await call<DslConsistencyView>(w, 'business', K.getDslConsistency, { projectId: w.project.id, ...(releaseId ? { releaseId } : {}) })).findings;

  const fixVersion = (name: string): string => {
    const id = w.jira.state.nextId('version', 10000);
    w.jira.state.putVersion({ id, projectId: Number(w.project.id), name, description: '', released: false, archived: false, startDate: null, releaseDate: null });
    return String(id);
  };

  /** A release delivering `items` (registered for it, approved, checked in), driven to CLOSED (SUCCESS). */
  async function closedReleaseWith(...overrides: Record<string, unknown>[]): Promise<{ releaseId: string; items: ItemResult[] }> {
    const releaseId = await w.releaseAt('BUILD_TEST', { skip: ['dsl'] });
    const items: ItemResult[] = [];
    for (const o of overrides) items.push(await inLibrary(w, { releaseIds: [releaseId], ...o }));
    await w.act('lead', releaseId, K.markReady);
    await w.act('implementer', releaseId, K.startImplementation);
    await w.act('implementer', releaseId, K.recordDeploymentResult, { succeeded: true, finishedAt: Date.now() });
    await w.act('business', releaseId, K.recordCutover, { confirmed: true });
    await w.act('implementer', releaseId, K.markDeployed);
    await w.act('operations', releaseId, K.recordOperationalAcceptance, { accepted: true, resultConfirmed: true });
    await w.act('operations', releaseId, K.verifyAndClose);
    return { releaseId, items };
  }

  it('audits: a file that matches, and one that does not, with what differed; both counted for DSL accuracy', async () => {
    const before = (await kpiMonth()) ?? { dslAudits: 0, dslAuditsMatched: 0 };
    const item = await inLibrary(w, { sha256: sha('the real artefact'), sizeBytes: 4096 });
    const ok = data(await call<ItemResult & { matched: boolean }>(w, 'softwareControl', K.dslAudit, { itemId: item.item.id, expectedVersion: item.version, observedSha256: sha('the real artefact').toUpperCase(), observedSizeBytes: 4096, differences: [] }));
    expect(ok.matched).toBe(true);
    const bad = data(
      await call<ItemResult & { matched: boolean; differences: unknown[] }>(w, 'softwareControl', K.dslAudit, {
        itemId: item.item.id,
        expectedVersion: ok.version,
        observedSha256: sha('a tampered artefact'),
        observedSizeBytes: 4100,
        differences: [{ field: 'licence', expected: 'Apache-2.0', actual: 'GPL-3.0' }],
      }),
    );
    expect(bad.matched).toBe(false);
    expect(bad.differences).toEqual([
      { field: 'sha256', expected: sha('the real artefact'), actual: sha('a tampered artefact') },
      { field: 'sizeBytes', expected: '4096', actual: '4100' },
      { field: 'licence', expected: 'Apache-2.0', actual: 'GPL-3.0' },
    ]);
    expect(bad.item.lastAudit).toMatchObject({ matched: false });
    const after = await kpiMonth();
    expect(after.dslAudits - before.dslAudits).toBe(2);
    expect(after.dslAuditsMatched - before.dslAuditsMatched).toBe(1);
    const view = data(await call<DslItemView>(w, 'business', K.getDslItem, { itemId: item.item.id }));
    expect(view.history.filter((e) => e.type === 'AUDITED').map((e) => e.matched)).toEqual([false, true]);
  });

  it('an audit needs the software control lead and something observed', async () => {
    const item = await inLibrary(w);
    expect(failed(await call(w, 'implementer', K.dslAudit, { itemId: item.item.id, expectedVersion: item.version, observedSha256: sha('x'), differences: [] })).code).toBe('NOT_SOFTWARE_CONTROL_LEAD');
    expect(failed(await call(w, 'softwareControl', K.dslAudit, { itemId: item.item.id, expectedVersion: item.version, differences: [] })).code).toBe('VALIDATION_FAILED');
  });

  it('closing a release updates test and production versions, releases the fix version, and records the timely-update fact', async () => {
    const before = await kpiMonth();
    const fv = fixVersion('Billing 3.0');
    const { releaseId, items } = await closedReleaseWith({ name: 'billing-core', version: '3.0.0', fixVersionId: fv });
    const item = items[0] as ItemResult;
    const stored = await w.stored(releaseId);
    expect(stored.release).toMatchObject({ status: 'CLOSED', outcome: 'SUCCESS' });
    // The production update is stamped in the closing transaction, after the check-in and the deployment.
    const summary = stored.dslItems[0];
    expect(summary?.productionUpdatedAt).toEqual(stored.release.statusEnteredAt.CLOSED);
    expect(summary?.checkedInAt).toBeLessThanOrEqual(stored.release.deployment?.finishedAt ?? 0);

    const envs = data(await call<DslEnvironmentVersion[]>(w, 'business', K.listDslEnvironments, { projectId: w.project.id }));
    const mine = envs.filter((e) => e.name === 'billing-core');
    expect(mine.map((e) => [e.environment, e.itemId, e.version, e.releaseId]).sort()).toEqual([
      ['PRODUCTION', item.item.id, '3.0.0', releaseId],
      ['TEST', item.item.id, '3.0.0', releaseId],
    ]);
    expect(w.jira.state.version(fv)?.released).toBe(true);

    const after = await kpiMonth();
    expect(after.success - (before?.success ?? 0)).toBe(1);
    expect(after.dslTimely - (before?.dslTimely ?? 0)).toBe(1);
    expect(await consistency(releaseId)).toEqual([]);
    // Searching by environment finds it.
    const prod = data(await call<{ items: { id: string }[] }>(w, 'business', K.listDslItems, { projectId: w.project.id, environment: 'PRODUCTION' }));
    expect(prod.items.map((i) => i.id)).toContain(item.item.id);
  });

  it('consistency: a superseded item still deployed, an item without a CMDB reference, an item not in the library before readiness', async () => {
    const { releaseId, items } = await closedReleaseWith({ name: 'ledger', version: '1.0' });
    const v1 = items[0] as ItemResult;
    const v2 = await inLibrary(w, { name: 'ledger', version: '1.1', cmdbCiRef: '' });
    const current = data(await call<DslItemView>(w, 'business', K.getDslItem, { itemId: v1.item.id }));
    await onItem(w, 'softwareControl', K.dslReplace, { item: current.item, version: current.item.rowVersion }, { replacementItemId: v2.item.id });

    const library = await consistency();
    expect(library).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'SUPERSEDED_STILL_DEPLOYED', itemId: v1.item.id, environment: 'PRODUCTION' }),
        expect.objectContaining({ code: 'SUPERSEDED_STILL_DEPLOYED', itemId: v1.item.id, environment: 'TEST' }),
        expect.objectContaining({ code: 'NO_CMDB_REFERENCE', itemId: v2.item.id }),
      ]),
    );
    expect((await consistency(releaseId)).map((f) => f.code)).toEqual(['SUPERSEDED_STILL_DEPLOYED', 'SUPERSEDED_STILL_DEPLOYED']);

    const open = await w.releaseAt('BUILD_TEST', { skip: ['dsl'] });
    const fv = fixVersion('Ledger 2.0');
    const pending = await register(w, { releaseIds: [open], fixVersionId: fv });
    expect(await consistency(open)).toEqual([expect.objectContaining({ code: 'RELEASE_ITEM_NOT_IN_LIBRARY', itemId: pending.item.id, actual: 'REGISTERED' })]);
    expect(await consistency()).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'RELEASE_ITEM_NOT_IN_LIBRARY', releaseId: open })]));
  });

  it('environment versions that were not written after a close are flagged, and the software control lead completes them', async () => {
    const { releaseId, items } = await closedReleaseWith({ name: 'payments', version: '5.0' });
    // What a failed follow-up leaves: the close committed, the environment rows not.
    w.platform.db.prepare('DELETE FROM kvs_items WHERE ns = ? AND value LIKE ?').run(`entity:${ENTITY.dslEnvironment}`, '%"payments"%');
    const flagged = await consistency(releaseId);
    expect(flagged.map((f) => [f.code, f.environment, f.itemId])).toEqual([
      ['ENVIRONMENT_VERSION_MISMATCH', 'PRODUCTION', items[0]?.item.id],
      ['ENVIRONMENT_VERSION_MISMATCH', 'TEST', items[0]?.item.id],
    ]);
    expect(failed(await call(w, 'implementer', K.dslSyncEnvironments, { releaseId })).code).toBe('NOT_SOFTWARE_CONTROL_LEAD');
    const synced = data(await call<{ updated: number }>(w, 'softwareControl', K.dslSyncEnvironments, { releaseId }));
    expect(synced.updated).toBe(2);
    expect(await consistency(releaseId)).toEqual([]);
    // Idempotent: nothing left to do.
    expect(data(await call<{ updated: number }>(w, 'softwareControl', K.dslSyncEnvironments, { releaseId })).updated).toBe(0);
  });
});
