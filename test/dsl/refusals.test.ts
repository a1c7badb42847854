/** What the DSL refuses, each with its reason, and that a refusal writes nothing. */
import { startWorld, type World } from '../support/release-world';
import { approvedUsage, call, failed, inLibrary, itemFields, K, onItem, register, type ItemResult } from './support';

describe('DSL refusals, through the resolver', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  it('two check-outs of one item at the same moment: exactly one succeeds, the other gets a clear conflict', async () => {
    const item = await inLibrary(w);
    const [u1, u2] = [await approvedUsage(w, item.item.id, 'implementer'), await approvedUsage(w, item.item.id, 'business')];
    const replies = await Promise.all(
      [u1, u2].map((u) => call<ItemResult>(w, 'softwareControl', K.dslCheckOut, { itemId: item.item.id, expectedVersion: item.version, usageRequestId: u.id })),
    );
    const won = replies.filter((r) => r.ok);
    const lost = replies.filter((r) => !r.ok);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const error = failed(lost[0]!);
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/software item/);
    // The winner's usage request is used; the loser's is still approved and can be used once the item is back.
    const winner = won[0]!.ok ? (won[0]!.data as ItemResult) : null;
    const usedId = winner?.item.checkout?.usageRequestId;
    const list = await call<{ items: { id: string; status: string }[] }>(w, 'softwareControl', K.listDslUsageRequests, { projectId: w.project.id, itemId: item.item.id });
    const statuses = Object.fromEntries((list.ok ? list.data.items : []).map((u) => [u.id, u.status]));
    expect(statuses[usedId!]).toBe('USED');
    expect(Object.values(statuses).sort()).toEqual(['APPROVED', 'USED']);
    const history = w.platform.db.prepare("SELECT key FROM kvs_items WHERE ns = 'entity:dsl-history' AND key LIKE ?").all(`${item.item.id}%`);
    expect(history).toHaveLength(4); // registered, approved, checked in, ONE check-out
  });

  it('a check-in without the release manager’s approval is refused with its reason, nothing written', async () => {
    const reg = await register(w);
    const before = w.snapshot();
    const res = await call(w, 'softwareControl', K.dslCheckIn, { itemId: reg.item.id, expectedVersion: reg.version });
    expect(failed(res)).toMatchObject({ code: 'DSL_NOT_APPROVED', reasons: ['DSL_NOT_APPROVED'] });
    expect(failed(res).message).toMatch(/release manager has not approved/);
    expect(w.snapshot()).toEqual(before);
  });

  it('only the release manager approves, and only a software control lead checks in', async () => {
    const reg = await register(w);
    const before = w.snapshot();
    expect(failed(await call(w, 'softwareControl', K.dslApprove, { itemId: reg.item.id, expectedVersion: reg.version })).code).toBe('NOT_RELEASE_MANAGER');
    expect(failed(await call(w, 'implementer', K.dslRegister, { projectId: w.project.id, ...itemFields() })).code).toBe('NOT_SOFTWARE_CONTROL_LEAD');
    expect(w.snapshot()).toEqual(before);
    const approved = await onItem(w, 'manager', K.dslApprove, reg);
    expect(failed(await call(w, 'manager', K.dslCheckIn, { itemId: reg.item.id, expectedVersion: approved.version })).code).toBe('NOT_SOFTWARE_CONTROL_LEAD');
  });

  it('a duplicate name and version is refused with its reason (names compare without case), nothing written', async () => {
    await register(w, { name: 'ERP Core', version: '7.1' });
    const before = w.snapshot();
    const res = await call(w, 'softwareControl', K.dslRegister, { projectId: w.project.id, ...itemFields({ name: '  erp core ', version: '7.1' }) });
    expect(failed(res)).toMatchObject({ code: 'DSL_DUPLICATE_NAME_VERSION', field: 'version' });
    expect(failed(res).message).toMatch(/already has an item with this name and version/);
    expect(w.snapshot()).toEqual(before);
    // Another version of the same software is fine.
    await register(w, { name: 'ERP Core', version: '7.2' });
  });

  it('two registrations of one name and version at the same moment: one lands, the other is told it is a duplicate', async () => {
    const fields = itemFields({ name: 'Race', version: '1.0' });
    const replies = await Promise.all([0, 1].map(() => call(w, 'softwareControl', K.dslRegister, { projectId: w.project.id, ...fields })));
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    expect(failed(replies.find((r) => !r.ok)!).code).toBe('DSL_DUPLICATE_NAME_VERSION');
  });

  it('a malformed checksum is refused with its reason, nothing written', async () => {
    const before = w.snapshot();
    for (const bad of ['abc', 'z'.repeat(64), 'a'.repeat(63), `${'a'.repeat(64)}0`]) {
      const res = await call(w, 'softwareControl', K.dslRegister, { projectId: w.project.id, ...itemFields({ sha256: bad }) });
      expect(failed(res)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'sha256' });
      expect(failed(res).message).toMatch(/sha256/);
    }
    expect(w.snapshot()).toEqual(before);
  });

  it('a check-out needs an approved usage request for this item, used once', async () => {
    const item = await inLibrary(w);
    const other = await inLibrary(w);
    const before = w.snapshot();
    const pending = await call<{ request: { id: string } }>(w, 'implementer', K.dslRequestUsage, { itemId: item.item.id, purpose: 'Install in test', environment: 'TEST' });
    const pendingId = pending.ok ? pending.data.request.id : '';
    const afterRequest = w.snapshot();
    expect(afterRequest).not.toEqual(before);
    expect(failed(await call(w, 'softwareControl', K.dslCheckOut, { itemId: item.item.id, expectedVersion: item.version, usageRequestId: pendingId })).code).toBe('DSL_USAGE_REQUEST_NOT_APPROVED');
    const forOther = await approvedUsage(w, other.item.id);
    expect(failed(await call(w, 'softwareControl', K.dslCheckOut, { itemId: item.item.id, expectedVersion: item.version, usageRequestId: forOther.id })).code).toBe('DSL_USAGE_REQUEST_NOT_APPROVED');
    expect(failed(await call(w, 'softwareControl', K.dslCheckOut, { itemId: item.item.id, expectedVersion: item.version })).code).toBe('VALIDATION_FAILED');
    // Only the software control lead decides a usage request.
    expect(failed(await call(w, 'implementer', K.dslDecideUsage, { requestId: pendingId, expectedVersion: 1, approve: true })).code).toBe('NOT_SOFTWARE_CONTROL_LEAD');
  });

  it('acting on a version the user did not see is a conflict', async () => {
    const reg = await register(w);
    await onItem(w, 'manager', K.dslApprove, reg);
    const before = w.snapshot();
    expect(failed(await call(w, 'softwareControl', K.dslRetire, { itemId: reg.item.id, expectedVersion: reg.version, reason: 'obsolete' })).code).toBe('CONFLICT');
    expect(w.snapshot()).toEqual(before);
  });

  it('an outsider cannot read or act on the library', async () => {
    expect(failed(await call(w, 'outsider', K.listDslItems, { projectId: w.project.id })).code).toBe('CANNOT_BROWSE');
    expect(failed(await call(w, 'outsider', K.dslRegister, { projectId: w.project.id, ...itemFields() })).code).toBe('CANNOT_BROWSE');
  });
});
