/**
 * CSV import into the library (the browser parses the file with papaparse and sends header + cells).
 *
 * "Nothing written if any row is bad" with Forge's 25 operations per transaction:
 *  1. Validate EVERY row first (schema per cell, duplicates inside the file, name + version already in the
 *     library, fix versions that Jira does not know). Any problem: answer the report by row and column and
 *     write nothing.
 *  2. Only then write, in batches of ITEMS_PER_BATCH rows per transaction (item + name/version claim + history
 *     per row, plus the import record and one audit event).
 *  3. A failure half-way (time-out, Jira/KVS error, someone registering the same name + version in between)
 *     is recoverable: the import id is a digest of the project and the file's content, and each row's item
 *     id is `<importId>-r<row>`. Sending the same file again finds the rows already written (their
 *     name/version claim names this import's item), skips them and writes the rest; the import record's
 *     version condition keeps two runs of one file from interleaving. Nothing is ever written twice.
 */
import { createHash } from 'node:crypto';
import {
  DSL_CSV_COLUMNS,
  DSL_CSV_EXPORT_ONLY,
  DSL_CSV_REQUIRED,
  dslItemFieldsSchema,
  RESOLVER_KEYS as K,
  type DslCsvColumn,
  type DslImportProblem,
  type DslImportReport,
  type PayloadOf,
} from '../contracts';
import { decide } from '../domain/decide';
import { dslNameVersionKey, registeredDslItem, type DslItem } from '../domain/dsl';
import { listProjectVersions } from '../jira/versions';
import { appendDslHistory, claimNameVersion, dslImportRef, getRows, nameVersionRef, putDslImport, putDslItem, type DslImportRecord } from '../storage/dsl';
import { getRow } from '../storage/records';
import { Changes } from '../storage/store';
import { refused, ServiceError } from './errors';
import { loadProject } from './load';
import { commit, now } from './run';
import { resolveProjectScope, type Caller } from './scope';

/** 3 writes per row + the import record + the audit event = 23 of Forge's 25. */
export const ITEMS_PER_BATCH = 7;
const MAX_PROBLEMS = 500;

const KNOWN = new Set<string>([...DSL_CSV_COLUMNS, ...DSL_CSV_EXPORT_ONLY]);

interface ValidRow {
  row: number;
  itemId: string;
  fields: ReturnType<typeof dslItemFieldsSchema.parse>;
}

export function importIdOf(projectId: string, header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `imp-${createHash('sha256').update(JSON.stringify([projectId, header, rows])).digest('hex').slice(0, 24)}`;
}

function headerProblems(header: readonly string[]): DslImportProblem[] {
  const out: DslImportProblem[] = [];
  const seen = new Set<string>();
  for (const h of header) {
    if (!KNOWN.has(h)) out.push({ row: 0, column: h, code: 'UNKNOWN_COLUMN' });
    else if (seen.has(h)) out.push({ row: 0, column: h, code: 'DUPLICATE_COLUMN' });
    seen.add(h);
  }
  for (const c of DSL_CSV_REQUIRED) if (!seen.has(c)) out.push({ row: 0, column: c, code: 'MISSING_COLUMN' });
  return out;
}

/** One row's cells as register fields, or its problems (every bad cell, not only the first). */
function parseRow(header: readonly string[], cells: readonly string[], row: number): { fields?: ValidRow['fields']; problems: DslImportProblem[] } {
  if (cells.length !== header.length) return { problems: [{ row, column: '', code: 'WRONG_CELL_COUNT', detail: `${cells.length} cells, ${header.length} columns` }] };
  const value = (c: DslCsvColumn): string => {
    const i = header.indexOf(c);
    return i < 0 ? '' : (cells[i] ?? '').trim();
  };
  const problems: DslImportProblem[] = [];
  for (const c of DSL_CSV_REQUIRED) if (value(c) === '') problems.push({ row, column: c, code: 'REQUIRED' });
  const size = value('sizeBytes');
  if (size !== '' && !/^\d{1,16}$/.test(size)) problems.push({ row, column: 'sizeBytes', code: 'INVALID', detail: 'expected a whole number of bytes' });
  const candidate = {
    name: value('name'),
    version: value('version'),
    sha256: value('sha256'),
    sizeBytes: /^\d{1,16}$/.test(size) ? Number(size) : 0,
    licence: value('licence'),
    vendor: value('vendor'),
    storageUri: value('storageUri'),
    mediaType: value('mediaType'),
    ...(value('fixVersionId') ? { fixVersionId: value('fixVersionId') } : {}),
    ...(value('cmdbCiRef') ? { cmdbCiRef: value('cmdbCiRef') } : {}),
  };
  const parsed = dslItemFieldsSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const column = String(issue.path[0] ?? '');
      if (problems.some((p) => p.column === column)) continue;
      problems.push({ row, column, code: 'INVALID', detail: issue.message });
    }
  }
  return problems.length > 0 || !parsed.success ? { problems } : { fields: parsed.data, problems };
}

function report(importId: string, rows: number, problems: DslImportProblem[], extra: Partial<DslImportReport> = {}): DslImportReport {
  return { importId, rows, written: 0, alreadyWritten: 0, problems: problems.slice(0, MAX_PROBLEMS), status: problems.length > 0 ? 'INVALID' : 'VALID', ...extra };
}

export async function importDsl(caller: Caller, p: PayloadOf<typeof K.dslImport>): Promise<DslImportReport> {
  const scope = await resolveProjectScope(caller, p.projectId);
  const t = now();
  const proj = await loadProject(scope, t);
  const d = decide(proj.actor, null, 'dslRegister', t, proj.policy, {});
  if (!d.allowed) throw refused(d.reasons);
  const pid = scope.projectId;
  const header = p.header.map((h) => h.trim());
  // Blank lines (a trailing newline, a spreadsheet's empty rows) are not rows.
  const rows = p.rows.map((cells, i) => ({ cells, row: i + 1 })).filter((r) => r.cells.some((c) => c.trim() !== ''));
  const importId = importIdOf(pid, header, p.rows);

  const hp = headerProblems(header);
  if (hp.length > 0) return report(importId, rows.length, hp);

  // 1. every row, every cell
  const problems: DslImportProblem[] = [];
  const valid: ValidRow[] = [];
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    const res = parseRow(header, r.cells, r.row);
    problems.push(...res.problems);
    if (!res.fields) continue;
    const key = dslNameVersionKey(res.fields.name, res.fields.version);
    const first = firstRow.get(key);
    if (first !== undefined) {
      problems.push({ row: r.row, column: 'version', code: 'DUPLICATE_IN_FILE', detail: `same name and version as row ${first}` });
      continue;
    }
    firstRow.set(key, r.row);
    valid.push({ row: r.row, itemId: `${importId}-r${r.row}`, fields: res.fields });
  }

  // 2. against the library: a name + version held by another item is a duplicate; held by this import's own
  //    item for the row, it was written by an earlier, interrupted run.
  const claims = await getRows(valid.map((v) => nameVersionRef(pid, v.fields.name, v.fields.version)));
  const done = new Set<string>();
  valid.forEach((v, i) => {
    const claim = claims[i];
    if (!claim) return;
    if (claim.doc.itemId === v.itemId) done.add(v.itemId);
    else problems.push({ row: v.row, column: 'version', code: 'DUPLICATE_IN_LIBRARY', detail: `${claim.doc.name} ${claim.doc.version}` });
  });

  // 3. against Jira: fix versions that exist in the project
  if (valid.some((v) => v.fields.fixVersionId)) {
    const versions = await listProjectVersions(pid);
    const ids = new Set((versions ?? []).map((v) => v.id));
    for (const v of valid) if (v.fields.fixVersionId && !ids.has(v.fields.fixVersionId)) problems.push({ row: v.row, column: 'fixVersionId', code: 'FIX_VERSION_NOT_FOUND' });
  }

  problems.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
  if (problems.length > 0) return report(importId, rows.length, problems);
  if (p.dryRun) return report(importId, rows.length, [], { alreadyWritten: done.size });

  // 4. write, in batches, resumable
  const existing = await getRow(dslImportRef(importId));
  let record: DslImportRecord = existing?.doc ?? { id: importId, projectId: pid, rows: valid.length, written: done.size, status: 'RUNNING', startedAt: t, startedBy: scope.accountId, finishedAt: null };
  let recordVersion: number | null = existing?.version ?? null;
  const todo = valid.filter((v) => !done.has(v.itemId));
  let written = 0;
  for (let i = 0; i < todo.length; i += ITEMS_PER_BATCH) {
    const batch = todo.slice(i, i + ITEMS_PER_BATCH);
    const last = i + ITEMS_PER_BATCH >= todo.length;
    const changes = new Changes();
    for (const v of batch) {
      const item = importedItem(v, pid, importId, scope.accountId, t);
      putDslItem(changes, item, null, t);
      claimNameVersion(changes, item);
      appendDslHistory(changes, { id: `${item.id}:${String(t).padStart(15, '0')}:reg`, itemId: item.id, projectId: pid, type: 'REGISTERED', at: t, actorAccountId: scope.accountId, note: `import ${importId} row ${v.row}` });
    }
    const next: DslImportRecord = { ...record, written: record.written + batch.length, ...(last ? { status: 'COMPLETE', finishedAt: t } : {}) };
    putDslImport(changes, next, recordVersion);
    changes.audit({
      projectId: pid,
      subjectType: 'PROJECT',
      subjectId: pid,
      action: 'dslImport',
      actorAccountId: scope.accountId,
      at: t,
      before: {},
      after: { importId, rows: `${batch[0]?.row ?? ''}-${batch[batch.length - 1]?.row ?? ''}`, dslItems: batch.map((v) => `${v.fields.name} ${v.fields.version}`) },
    });
    try {
      await commit(changes);
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'CONFLICT') throw new ServiceError('CONFLICT', { messageKey: 'dsl.importInterrupted' });
      throw err;
    }
    record = next;
    recordVersion = (recordVersion ?? 0) + 1;
    written += batch.length;
  }
  return report(importId, rows.length, [], { written, alreadyWritten: done.size, status: 'COMPLETE' });
}

function importedItem(v: ValidRow, projectId: string, importId: string, by: string, t: number): DslItem {
  return registeredDslItem({ id: v.itemId, projectId, fields: v.fields, releaseIds: [], supersedesItemId: null, at: t, by, importId });
}
