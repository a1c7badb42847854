import { RESOLVER_KEYS as K, type CalendarView } from '../../src/contracts';
import type { FreezeWindow } from '../../src/domain/freeze';
import { DAY, HOUR, P, startWorld, type Persona, type World } from '../support/release-world';

/**
 * Change freezes through the real resolvers on the local platform: who keeps them, start implementation
 * refused inside a hard freeze with the freeze named, the exception (segregation of duties), soft freezes,
 * and the calendar's view of it all.
 */

async function calendar(w: World, who: Persona = 'manager'): Promise<CalendarView> {
  const now = Date.now();
  const res = await w.onProject<CalendarView>(who, K.getCalendar, { projectId: w.project.id, from: now - 10 * DAY, to: now + 20 * DAY });
  if (!res.value.ok) throw new Error(JSON.stringify(res.value.error));
  return res.value.data;
}

async function saveFreeze(w: World, who: Persona, freeze: Record<string, unknown>) {
  const version = (await calendar(w)).freezesVersion;
  return w.onProject<FreezeWindow>(who, K.saveFreeze, { projectId: w.project.id, expectedVersion: version, freeze });
}

const hardNow = () => ({ reason: 'Quarter-end close', severity: 'HARD', appliesTo: ['STANDARD', 'MINOR', 'MAJOR'], recurrence: { kind: 'ONCE', start: Date.now() - HOUR, end: Date.now() + 3 * HOUR } });

describe('change freezes through the resolvers', () => {
  let w: World;
  beforeEach(() => {
    w = startWorld();
  });
  afterEach(() => w.close());

  it('are kept by the process owner and the release manager only; a bad definition changes nothing', async () => {
    const lead = await saveFreeze(w, 'lead', hardNow());
    expect(lead.value).toMatchObject({ ok: false, error: { code: 'NOT_PROCESS_OWNER', reasons: ['NOT_PROCESS_OWNER', 'NOT_RELEASE_MANAGER'] } });
    const before = w.snapshot();
    const blank = await saveFreeze(w, 'owner', { ...hardNow(), reason: '   ' });
    expect(blank.value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'freeze.reason' } });
    const stale = await w.onProject(`owner`, K.saveFreeze, { projectId: w.project.id, expectedVersion: 99, freeze: hardNow() });
    expect(stale.value).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(w.snapshot()).toEqual(before);
    expect((await saveFreeze(w, 'owner', hardNow())).value).toMatchObject({ ok: true, data: { reason: 'Quarter-end close', createdBy: P.owner } });
    const mgr = await saveFreeze(w, 'manager', { reason: 'Weekend cover', severity: 'SOFT', appliesTo: ['MAJOR'], recurrence: { kind: 'WEEKLY', startDay: 5, startTime: '18:00', endDay: 1, endTime: '06:00' } });
    expect(mgr.value.ok).toBe(true);
    const view = await calendar(w, 'lead');
    expect(view.freezes.map((f) => f.reason)).toEqual(['Quarter-end close', 'Weekend cover']);
    expect(view.canManageFreezes).toBe(false);
    expect((await calendar(w, 'owner')).canManageFreezes).toBe(true);
    // Deleting one is audited on the project and leaves the other.
    const del = await w.onProject('manager', K.deleteFreeze, { projectId: w.project.id, expectedVersion: view.freezesVersion, freezeId: view.freezes[1]?.id });
    expect(del.value.ok).toBe(true);
    expect((await calendar(w)).freezes.map((f) => f.reason)).toEqual(['Quarter-end close']);
  });

  it('refuse start implementation in a hard freeze, naming it; the manager records an exception; then it starts', async () => {
    const id = await w.releaseAt('READY');
    expect((await saveFreeze(w, 'owner', hardNow())).value.ok).toBe(true);
    const before = w.snapshot();
    const refused = await w.onRelease('implementer', id, K.startImplementation, { releaseId: id, expectedVersion: await w.version(id) });
    expect(refused.value).toMatchObject({ ok: false, error: { code: 'GATE_HARD_FREEZE', reasons: ['GATE_HARD_FREEZE'] } });
    if (!refused.value.ok) expect(refused.value.error.message).toContain('Quarter-end close');
    expect(w.snapshot()).toEqual(before);

    // The panel's checklist shows the condition unmet.
    const panel = await w.onRelease<{ checklist: { items: { code: string; met: boolean }[] } }>('implementer', id, K.getPanel, { releaseId: id });
    if (!panel.value.ok) throw new Error('panel');
    expect(panel.value.data.checklist.items).toContainEqual({ code: 'GATE_HARD_FREEZE', met: false });

    // Not by someone else; a reason is required.
    expect((await w.onRelease('lead', id, K.recordFreezeException, { releaseId: id, expectedVersion: await w.version(id), reason: 'Go' })).value).toMatchObject({ ok: false, error: { code: 'NOT_RELEASE_MANAGER' } });
    expect((await w.onRelease('manager', id, K.recordFreezeException, { releaseId: id, expectedVersion: await w.version(id), reason: ' ' })).value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'reason' } });
    await w.act('manager', id, K.recordFreezeException, { reason: 'Regulatory deadline on the 1st' });
    const stored = await w.stored(id);
    expect(stored.release.freezeException).toMatchObject({ recordedBy: P.manager, reason: 'Regulatory deadline on the 1st' });
    await w.act('implementer', id, K.startImplementation);
    expect((await w.stored(id)).release.status).toBe('IMPLEMENTING');
  });

  it('segregation of duties: a release manager cannot grant an exception to a release they requested', async () => {
    // A manager's own request cannot be approved by them either, so their request is written as another manager would have left it.
    const id = await w.releaseAt('READY');
    await w.patch(id, ({ release }) => ({ release: { ...release, requesterAccountId: P.manager } }));
    const res = await w.onRelease('manager', id, K.recordFreezeException, { releaseId: id, expectedVersion: await w.version(id), reason: 'Mine, urgent' });
    expect(res.value).toMatchObject({ ok: false, error: { code: 'SOD_REQUESTER_FREEZE_EXCEPTION' } });
    expect((await w.stored(id)).release.freezeException).toBeNull();
  });

  it('a soft freeze lets implementation start; a freeze for other classifications does not apply', async () => {
    const id = await w.releaseAt('READY');
    expect((await saveFreeze(w, 'owner', { ...hardNow(), appliesTo: ['EMERGENCY'] })).value.ok).toBe(true);
    expect((await saveFreeze(w, 'owner', { ...hardNow(), severity: 'SOFT', reason: 'Launch week' })).value.ok).toBe(true);
    await w.act('implementer', id, K.startImplementation);
    expect((await w.stored(id)).release.status).toBe('IMPLEMENTING');
  });

  it('the calendar lists entries with summary and status, the freeze occurrences, and conflicts', async () => {
    const a = await w.releaseAt('PLANNING');
    const b = await w.releaseAt('PLANNING');
    const c = await w.releaseAt('SUBMITTED');
    await w.act('manager', c, K.cancel, { reason: 'Superseded' });
    // a and b carry the same software in overlapping windows (releaseAt gives every window now-1h … now+7d).
    await w.patch(a, () => ({ dslItems: [{ id: 'd1', status: 'APPROVED', name: 'Billing', version: '2.0' }] }));
    await w.patch(b, () => ({ dslItems: [{ id: 'd2', status: 'APPROVED', name: 'billing', version: '2.1' }] }));
    expect((await saveFreeze(w, 'owner', hardNow())).value.ok).toBe(true);
    const view = await calendar(w);
    expect(view.occurrences).toHaveLength(1);
    const byId = new Map(view.entries.map((e) => [e.id, e]));
    expect(byId.get(a)).toMatchObject({ summary: 'Release: billing service 2.0', status: 'PLANNING' });
    expect(byId.get(c)).toMatchObject({ status: 'CANCELLED', conflicts: [] });
    expect(byId.get(a)?.conflicts).toEqual(
      expect.arrayContaining([
        { kind: 'FREEZE', freezeId: view.freezes[0]?.id, reason: 'Quarter-end close', severity: 'HARD' },
        expect.objectContaining({ kind: 'RELEASE', releaseId: b, configurationItem: 'billing' }),
      ]),
    );
    // Someone who may not browse the project reads nothing.
    const out = await w.onProject('outsider', K.getCalendar, { projectId: w.project.id, from: Date.now(), to: Date.now() + DAY });
    expect(out.value.ok).toBe(false);
  });
});
