/**
 * The export of the audit trail (CSV and JSON), shared by the UI that writes the file and the tests and
 * auditors that read it back: its columns, and the check that the chain it carries still holds.
 */
import { AUDIT_GENESIS, auditHashInput, type AuditValue } from './audit';

/** One exported event: ISO 8601 UTC, the account id beside the name, both languages, the raw change, the chain. */
export interface AuditExportRow {
  eventId: string;
  projectId: string;
  at: string;
  actorAccountId: string;
  actorName: string;
  action: string;
  actionEn: string;
  actionZh: string;
  subjectType: string;
  subjectId: string;
  subject: string;
  changesEn: string;
  changesZh: string;
  reason: string;
  before: Record<string, AuditValue>;
  after: Record<string, AuditValue>;
  chainId: string;
  seq: number;
  prevHash: string;
  hash: string;
}

/** CSV columns, in order (`before` and `after` as JSON text). */
export const AUDIT_EXPORT_COLUMNS = [
  'eventId',
  'projectId',
  'at',
  'actorAccountId',
  'actorName',
  'action',
  'actionEn',
  'actionZh',
  'subjectType',
  'subjectId',
  'subject',
  'changesEn',
  'changesZh',
  'reason',
  'before',
  'after',
  'chainId',
  'seq',
  'prevHash',
  'hash',
] as const satisfies readonly (keyof AuditExportRow)[];

export function auditExportCells(r: AuditExportRow): string[] {
  return AUDIT_EXPORT_COLUMNS.map((c) => (c === 'before' || c === 'after' ? JSON.stringify(r[c]) : String(r[c])));
}

/** A CSV record read back (every cell a string) as an export row. */
export function auditExportRowOf(cells: Record<string, string>): AuditExportRow {
  const get = (c: string) => cells[c] ?? '';
  return {
    ...(Object.fromEntries(AUDIT_EXPORT_COLUMNS.map((c) => [c, get(c)])) as unknown as AuditExportRow),
    before: JSON.parse(get('before') || '{}') as Record<string, AuditValue>,
    after: JSON.parse(get('after') || '{}') as Record<string, AuditValue>,
    seq: Number(get('seq')),
  };
}

export type ExportCheck = { ok: true; events: number; chains: number } | { ok: false; eventId: string; seq: number; problem: 'HASH_MISMATCH' | 'PREVIOUS_MISMATCH' };

/**
 * Recomputes each exported event's hash from its content, and checks that consecutive events of a chain link
 * (an export of a filtered view holds pieces of chains: only neighbours present in the file are compared).
 */
export function checkAuditExport(rows: readonly AuditExportRow[], hash: (s: string) => string): ExportCheck {
  const byChain = new Map<string, AuditExportRow[]>();
  for (const r of rows) byChain.set(r.chainId, [...(byChain.get(r.chainId) ?? []), r]);
  for (const chain of byChain.values()) {
    chain.sort((a, b) => a.seq - b.seq);
    let prev: AuditExportRow | undefined;
    for (const r of chain) {
      const content = { ...r, id: r.eventId, at: Date.parse(r.at) };
      if (hash(auditHashInput(content)) !== r.hash) return { ok: false, eventId: r.eventId, seq: r.seq, problem: 'HASH_MISMATCH' };
      const expected = r.seq === 1 ? AUDIT_GENESIS : prev && prev.seq === r.seq - 1 ? prev.hash : undefined;
      if (expected !== undefined && r.prevHash !== expected) return { ok: false, eventId: r.eventId, seq: r.seq, problem: 'PREVIOUS_MISMATCH' };
      prev = r;
    }
  }
  return { ok: true, events: rows.length, chains: byChain.size };
}
