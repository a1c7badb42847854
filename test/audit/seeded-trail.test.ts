import Papa from 'papaparse';
import { RESOLVER_KEYS as K } from '../../src/contracts';
import type { Envelope } from '../../src/contracts/envelope';
import { AUDIT_EXPORT_COLUMNS, auditExportCells, auditExportRowOf, checkAuditExport, type AuditExportRow } from '../../src/domain/audit-export';
import { isAuditAction } from '../../src/domain/audit';
import { ENTITY } from '../../src/storage/entities';
import type { AuditEvent } from '../../src/storage/schemas';
import { sha256Hex } from '../../src/storage/store';
import { createDemoPlatform, seedDemo, type DemoPlatform, type SeedSummary } from '../../sandbox/seed/demo';
import { PEOPLE, type PersonKey } from '../../sandbox/seed/people';

/**
 * The seeded demo's whole trail (every kind of change the app makes, through its real resolvers): nothing ever
 * updated or deleted an audit event, every event reads in both languages without an id or a field name, and the
 * export round-trips (parse, count, chain verifies).
 */

let demo: DemoPlatform;
let summary: SeedSummary;

beforeAll(async () => {
  demo = createDemoPlatform({ dbPath: ':memory:' });
  // Storage-level witness: any UPDATE or DELETE of an audit event row, by any code path, lands here.
  demo.platform.db.exec(`
    CREATE TABLE audit_tamper_log (op TEXT, key TEXT);
    CREATE TRIGGER audit_no_update AFTER UPDATE ON kvs_items WHEN OLD.ns = 'entity:${ENTITY.audit}' BEGIN INSERT INTO audit_tamper_log VALUES ('UPDATE', OLD.key); END;
    CREATE TRIGGER audit_no_delete AFTER DELETE ON kvs_items WHEN OLD.ns = 'entity:${ENTITY.audit}' BEGIN INSERT INTO audit_tamper_log VALUES ('DELETE', OLD.key); END;
  `);
  summary = await seedDemo(demo, { today: Date.UTC(2026, 10, 28) });
}, 180_000);
afterAll(() => demo?.platform.close());

function storedEvents(): AuditEvent[] {
  const rows = demo.platform.db.prepare('SELECT value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.audit}`) as { value: string }[];
  return rows.map((r) => (JSON.parse(r.value) as { doc: AuditEvent }).doc);
}

async function call<T>(who: PersonKey, key: string, payload: Record<string, unknown>): Promise<Envelope<T>> {
  const res = await demo.platform.invokeResolver<Envelope<T>>({
    moduleKey: 'release-workbench',
    functionKey: key,
    payload: { projectId: summary.project.id, ...payload },
    accountId: PEOPLE[who].accountId,
    extension: { type: 'jira:projectPage', project: { id: summary.project.id, key: summary.project.key } },
  });
  return res.value;
}

async function exportAll(who: PersonKey, filter: Record<string, unknown> = {}): Promise<{ rows: AuditExportRow[]; calls: number }> {
  const rows: AuditExportRow[] = [];
  let cursor: string | undefined;
  let calls = 0;
  do {
    const res = await call<{ rows: AuditExportRow[]; cursor?: string }>(who, K.exportAudit, { ...filter, ...(cursor ? { cursor } : {}) });
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    rows.push(...res.data.rows);
    cursor = res.data.cursor;
    calls++;
  } while (cursor);
  return { rows, calls };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const EPOCH = /\b\d{13}\b/;
const CAMEL = /\b[a-z]+[A-Z][A-Za-z]*\b/;

describe('the seeded demo’s audit trail', () => {
  it('no code path updated or deleted an audit event (a storage trigger watched every write)', () => {
    expect(storedEvents().length).toBeGreaterThan(1_000);
    expect(demo.platform.db.prepare('SELECT op, key FROM audit_tamper_log').all()).toEqual([]);
  });

  it('holds only catalogued actions', () => {
    expect(storedEvents().filter((e) => !isAuditAction(e.action)).map((e) => e.action)).toEqual([]);
  });

  it('exports whole (every event once), in pages, and the CSV round-trips: parse, count, chain verifies', async () => {
    const events = storedEvents();
    const { rows, calls } = await exportAll('owner');
    expect(calls).toBeGreaterThan(1);
    expect(rows).toHaveLength(events.length);
    expect(new Set(rows.map((r) => r.eventId))).toEqual(new Set(events.map((e) => e.id)));
    expect(checkAuditExport(rows, sha256Hex)).toEqual({ ok: true, events: events.length, chains: new Set(events.map((e) => e.chainId)).size });

    const csv = Papa.unparse({ fields: [...AUDIT_EXPORT_COLUMNS], data: rows.map(auditExportCells) });
    const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const back = parsed.data.map(auditExportRowOf);
    expect(back).toHaveLength(events.length);
    expect(checkAuditExport(back, sha256Hex)).toMatchObject({ ok: true, events: events.length });
    // An edited cell is caught at its event.
    const edited = back.map((r, i) => (i === 10 ? { ...r, after: { ...r.after, note: 'edited later' } } : r));
    expect(checkAuditExport(edited, sha256Hex)).toEqual({ ok: false, eventId: back[10]?.eventId, seq: back[10]?.seq, problem: 'HASH_MISMATCH' });
    // JSON export: the same rows.
    const json = JSON.parse(JSON.stringify({ events: rows })) as { events: AuditExportRow[] };
    expect(checkAuditExport(json.events, sha256Hex).ok).toBe(true);
  }, 120_000);

  it('every exported event reads in both languages: ISO 8601 UTC, names beside ids, no id or field name in the text', async () => {
    const { rows } = await exportAll('owner');
    const bad = rows.filter((r) => [r.actionEn, r.actionZh, r.changesEn, r.changesZh, r.actorName].some((t) => UUID.test(t) || EPOCH.test(t) || CAMEL.test(t)));
    expect(bad.slice(0, 3).map((r) => [r.action, r.changesEn])).toEqual([]);
    expect(rows.every((r) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(r.at))).toBe(true);
    expect(rows.filter((r) => r.actorName === '').map((r) => r.actorAccountId)).toEqual([]);
    expect(rows.filter((r) => r.actionEn === 'Other change' || r.changesEn.includes('Other detail'))).toEqual([]);
    expect(rows.filter((r) => r.subjectType !== 'PROJECT' && r.subject === '').map((r) => r.subjectType)).toEqual([]);
    const zh = rows.find((r) => r.action === 'approve');
    expect(zh?.actionZh).toBe('发布已审批通过');
    expect(zh?.changesZh).toMatch(/状态: 已提交 → 计划中|状态: .+ → .+/);
  }, 120_000);

  it('filters: a period, a person and an action narrow the export; only auditors may read the project’s trail', async () => {
    const events = storedEvents();
    const manager = PEOPLE.manager.accountId;
    const from = Date.UTC(2026, 5, 1);
    const to = Date.UTC(2026, 7, 31, 23, 59, 59);
    const want = events.filter((e) => e.actorAccountId === manager && e.action === 'approve' && e.at >= from && e.at <= to);
    expect(want.length).toBeGreaterThan(0);
    const { rows } = await exportAll('manager', { actorAccountId: manager, action: 'approve', from, to });
    expect(rows.map((r) => r.eventId).sort()).toEqual(want.map((e) => e.id).sort());
    expect(rows.every((r) => r.actorAccountId === manager && r.action === 'approve')).toBe(true);

    const refused = await call('outsider', K.listAudit, {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_AUDITOR' } });
    const exportRefused = await call('outsider', K.exportAudit, {});
    expect(exportRefused).toMatchObject({ ok: false, error: { code: 'NOT_AUDITOR' } });
    const verifyRefused = await call('manager', K.verifyAudit, {});
    expect(verifyRefused).toMatchObject({ ok: false, error: { code: 'NOT_PROCESS_OWNER' } });
  }, 120_000);

  it('the process owner’s Verify pages through every chain and reports it intact', async () => {
    const events = storedEvents();
    let cursor: string | undefined;
    let calls = 0;
    for (;;) {
      const res = await call<{ state: string; events: number; chains: number; cursor?: string }>('owner', K.verifyAudit, cursor ? { cursor } : {});
      if (!res.ok) throw new Error(JSON.stringify(res.error));
      calls++;
      if (res.data.state !== 'RUNNING') {
        expect(res.data).toEqual({ state: 'INTACT', events: events.length, chains: new Set(events.map((e) => e.chainId)).size });
        break;
      }
      cursor = res.data.cursor;
    }
    expect(calls).toBeGreaterThan(1);
    const forged = await call('owner', K.verifyAudit, { cursor: 'bm90IGEgY3Vyc29y' });
    expect(forged).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  }, 120_000);
});
