/** An item's whole life through the resolver: register → approve → check in → check out → return → replace → retire, with its history and its release kept in step. */
import type { DslHistoryEvent } from '../../src/domain/dsl';
import type { DslItemView } from '../../src/contracts/views';
import { startWorld, type World } from '../support/release-world';
import { approvedUsage, call, data, failed, inLibrary, K, onItem, P, register } from './support';

describe('DSL item life, through the resolver', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  it('registers, approves, checks in, checks out against an approved usage request, returns, is replaced and retired; history keeps every event', async () => {
    const releaseId = await w.releaseAt('BUILD_TEST', { skip: ['dsl'] });
    const reg = await register(w, { name: 'Billing Service', version: '2.0.0', releaseIds: [releaseId] });
    expect(reg.item).toMatchObject({ status: 'REGISTERED', releaseIds: [releaseId], registeredBy: P.softwareControl });
    // The release keeps a summary of its item, written in the same transaction.
    expect((await w.stored(releaseId)).dslItems).toEqual([expect.objectContaining({ id: reg.item.id, status: 'REGISTERED', name: 'Billing Service', version: '2.0.0' })]);

    const approved = await onItem(w, 'manager', K.dslApprove, reg);
    expect(approved.item).toMatchObject({ status: 'APPROVED', approvedBy: P.manager });
    const checkedIn = await onItem(w, 'softwareControl', K.dslCheckIn, approved, { note: 'stored on the DSL share' });
    expect(checkedIn.item.status).toBe('IN_LIBRARY');
    expect((await w.stored(releaseId)).dslItems[0]).toMatchObject({ status: 'IN_LIBRARY', checkedInAt: checkedIn.item.checkedInAt });

    const usage = await approvedUsage(w, reg.item.id, 'implementer', { releaseId, environment: 'TEST' });
    const out = await onItem(w, 'softwareControl', K.dslCheckOut, checkedIn, { usageRequestId: usage.id });
    expect(out.item).toMatchObject({
      status: 'CHECKED_OUT',
      checkout: { usageRequestId: usage.id, requesterAccountId: P.implementer, environment: 'TEST', releaseId, purpose: 'Deploy billing 2.0', checkedOutBy: P.softwareControl },
    });
    const back = await onItem(w, 'softwareControl', K.dslReturn, out);
    expect(back.item).toMatchObject({ status: 'IN_LIBRARY', checkout: null });

    // A new version supersedes the old; both name each other.
    const next = await inLibrary(w, { name: 'billing service', version: '2.1.0' });
    const replaced = await onItem(w, 'softwareControl', K.dslReplace, back, { replacementItemId: next.item.id });
    expect(replaced.item).toMatchObject({ status: 'SUPERSEDED', supersededByItemId: next.item.id });
    const view = data(await call<DslItemView>(w, 'business', K.getDslItem, { itemId: next.item.id }));
    expect(view.item.supersedesItemId).toBe(reg.item.id);
    expect(view.related.map((r) => r.id)).toEqual([reg.item.id]);

    // Retire the replacement (a later decision), with its reason.
    const current = { item: view.item, version: view.item.rowVersion };
    const retired = await onItem(w, 'softwareControl', K.dslRetire, current, { reason: 'vendor withdrew 2.1.0' });
    expect(retired.item).toMatchObject({ status: 'RETIRED', retireReason: 'vendor withdrew 2.1.0' });

    const old = data(await call<DslItemView>(w, 'business', K.getDslItem, { itemId: reg.item.id }));
    const types = (h: DslHistoryEvent[]) => h.map((e) => e.type).reverse();
    expect(types(old.history)).toEqual(['REGISTERED', 'APPROVED', 'CHECKED_IN', 'CHECKED_OUT', 'RETURNED', 'REPLACED']);
    expect(old.history.find((e) => e.type === 'CHECKED_OUT')).toMatchObject({ usageRequestId: usage.id, environment: 'TEST', releaseId });
    expect(old.usageRequests).toEqual([expect.objectContaining({ id: usage.id, status: 'CLOSED', requesterAccountId: P.implementer })]);
    expect(types(data(await call<DslItemView>(w, 'business', K.getDslItem, { itemId: next.item.id })).history)).toEqual(['REGISTERED', 'APPROVED', 'CHECKED_IN', 'SUPERSEDES', 'RETIRED']);
    expect((await w.stored(releaseId)).dslItems[0]?.status).toBe('SUPERSEDED');
  });

  it('history is append-only: every event is its own row, none rewritten', async () => {
    const r = await inLibrary(w);
    const rows = w.platform.db.prepare("SELECT key, value FROM kvs_items WHERE ns = 'entity:dsl-history'").all() as { key: string; value: string }[];
    const mine = rows.filter((x) => x.key.startsWith(r.item.id));
    expect(mine).toHaveLength(3);
    for (const row of mine) expect((JSON.parse(row.value) as { version: number }).version).toBe(1);
  });

  it('a release becomes ready on items checked into the library (its gate reads the summaries the DSL keeps)', async () => {
    const releaseId = await w.releaseAt('BUILD_TEST', { skip: ['dsl'] });
    const reg = await register(w, { releaseIds: [releaseId] });
    const refused = await w.onRelease('lead', releaseId, K.markReady, { releaseId, expectedVersion: await w.version(releaseId) });
    expect(failed(refused.value).reasons).toEqual(['GATE_DSL_ITEM_NOT_APPROVED']);
    const approved = await onItem(w, 'manager', K.dslApprove, reg);
    const stillOut = await w.onRelease('lead', releaseId, K.markReady, { releaseId, expectedVersion: await w.version(releaseId) });
    expect(failed(stillOut.value).reasons).toEqual(['GATE_DSL_ITEM_NOT_CHECKED_IN']);
    await onItem(w, 'softwareControl', K.dslCheckIn, approved);
    await w.act('lead', releaseId, K.markReady);
    expect((await w.stored(releaseId)).release.status).toBe('READY');
  });

  it('links an item to a further open release, not to a closed one', async () => {
    const a = await inLibrary(w);
    const open = await w.releaseAt('PLANNING', { skip: ['dsl'] });
    const linked = await onItem(w, 'softwareControl', K.dslLink, a, { releaseId: open });
    expect(linked.item.releaseIds).toEqual([open]);
    expect((await w.stored(open)).dslItems.map((i) => i.id)).toEqual([a.item.id]);
    const cancelled = await w.releaseAt('SUBMITTED');
    await w.act('manager', cancelled, K.cancel, { reason: 'not needed' });
    expect(failed(await call(w, 'softwareControl', K.dslLink, { itemId: a.item.id, expectedVersion: linked.version, releaseId: cancelled })).code).toBe('DSL_RELEASE_CLOSED');
  });

  it('the fallback plan restores to an item of the library, and the release’s consistency check watches it', async () => {
    const releaseId = await w.releaseAt('PLANNING', { skip: ['dsl'] });
    const plan = (restoreDslItemId: string | null) => ({
      triggerCriteria: 'Error rate above 2%',
      steps: [{ action: 'Redeploy the previous version', ownerAccountId: P.implementer, expectedMinutes: 20 }],
      restoreDslItemId,
      dataBackupRef: null,
    });
    const registered = await register(w);
    const refusedPlan = await w.onRelease('lead', releaseId, K.editFallbackPlan, { releaseId, expectedVersion: await w.version(releaseId), ...plan(registered.item.id) });
    expect(failed(refusedPlan.value)).toMatchObject({ code: 'DSL_WRONG_STATUS', field: 'restoreDslItemId' });
    const previous = await inLibrary(w);
    await w.act('lead', releaseId, K.editFallbackPlan, plan(previous.item.id));
    expect((await w.stored(releaseId)).fallback?.restoreDslItemId).toBe(previous.item.id);
    await onItem(w, 'softwareControl', K.dslRetire, previous, { reason: 'withdrawn' });
    const findings = data(await call<{ findings: { code: string; itemId?: string }[] }>(w, 'business', K.getDslConsistency, { projectId: w.project.id, releaseId })).findings;
    expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'FALLBACK_RESTORE_NOT_IN_LIBRARY', itemId: previous.item.id })]));
  });
});
