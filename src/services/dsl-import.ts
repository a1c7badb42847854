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
 *
 * Two ways in. `dsl/import` takes the whole file in one request — enough for small files. A full-size file
 * (2,000 rows, ~720 KB) is larger than Forge's 500 KB front-end invoke payload (forge-docs/limits-invocation)
 * and its ~900 storage calls do not belong in one 25 s resolver, so the browser:
 *  - `dsl/importStart`  opens the import (its id is the digest of project, header and rows, which the browser
 *                       computes and the server checks),
 *  - `dsl/importChunk`  sends consecutive slices of rows, each request well under the limit; a chunk is stored
 *                       under (import, index), so a chunk sent again after a lost answer replaces itself,
 *  - `dsl/importCommit` checks the chunks add up to the file, validates every row as above (a dry run stops
 *                       there), takes the project's import lock and queues the writing,
 *  - `dsl/importStatus` answers how far the writing is, which the browser polls and shows.
 * The `dsl-import` queue's consumer (consumers/dsl-import.ts; forge-docs/runtime-reference/async-events-api)
 * writes the batches, each transaction advancing the versioned import record; an invocation stops after
 * MAX_BATCHES_PER_SLICE batches or its time budget and queues the rest, and a killed or twice-delivered one
 * leaves nothing twice (the record's version and the must-not-exist claims decide). Chunks are deleted once
 * the import is finished; an abandoned upload's chunks expire (KVS time-to-live) and its record is removed
 * by the project's next import.
 */
import { createHash } from 'node:crypto';
import { Queue } from '@forge/events';
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
import type { DslImportJob, DslImportJobState } from '../contracts/dsl-csv';
import { decide } from '../domain/decide';
import { dslNameVersionKey, registeredDslItem, type DslItem } from '../domain/dsl';
import { listProjectVersions } from '../jira/versions';
import {
  appendDslHistory,
  claimNameVersion,
  dslImportChunkKey,
  dslImportChunkRef,
  dslImportLockRef,
  dslImportRef,
  dslImportSchema,
  getRows,
  nameVersionRef,
  putDslImport,
  putDslImportLock,
  putDslItem,
  type DslImportChunk,
  type DslImportLock,
  type DslImportRecord,
} from '../storage/dsl';
import { ENTITY, INDEX } from '../storage/entities';
import { getRow } from '../storage/records';
import { Changes, getMany, putPlain, queryIndex, type Row } from '../storage/store';
import { badInput, refused, ServiceError } from './errors';
import { loadProject } from './load';
import { commit, now } from './run';
import { resolveProjectScope, type Caller, type ProjectScope } from './scope';

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

interface Validation {
  importId: string;
  /** Rows of the file, blank lines left out. */
  rows: number;
  problems: DslImportProblem[];
  valid: ValidRow[];
  /** Item ids of rows an earlier, interrupted run of the same file already wrote. */
  done: Set<string>;
}

/** Blank lines (a trailing newline, a spreadsheet's empty rows) are not rows; numbers are the file's. */
function numberedRows(rows: readonly (readonly string[])[]): { cells: readonly string[]; row: number }[] {
  return rows.map((cells, i) => ({ cells, row: i + 1 })).filter((r) => r.cells.some((c) => c.trim() !== ''));
}

/** Every cell of every row, the file's own duplicates; no storage. */
function parseAll(importId: string, header: readonly string[], rows: readonly (readonly string[])[]): { rows: number; problems: DslImportProblem[]; valid: ValidRow[] } {
  const numbered = numberedRows(rows);
  const hp = headerProblems(header);
  if (hp.length > 0) return { rows: numbered.length, problems: hp, valid: [] };
  const problems: DslImportProblem[] = [];
  const valid: ValidRow[] = [];
  const firstRow = new Map<string, number>();
  for (const r of numbered) {
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
  return { rows: numbered.length, problems, valid };
}

/** The whole check, before anything is written: the file, then the library, then Jira's fix versions. */
async function validate(pid: string, importId: string, header: readonly string[], rows: readonly (readonly string[])[]): Promise<Validation> {
  const parsed = parseAll(importId, header, rows);
  const { problems, valid } = parsed;
  const done = new Set<string>();
  if (valid.length > 0 && problems.every((p) => p.row > 0)) {
    // a name + version held by another item is a duplicate; held by this import's own item for the row, it
    // was written by an earlier, interrupted run.
    const claims = await getRows(valid.map((v) => nameVersionRef(pid, v.fields.name, v.fields.version)));
    valid.forEach((v, i) => {
      const claim = claims[i];
      if (!claim) return;
      if (claim.doc.itemId === v.itemId) done.add(v.itemId);
      else problems.push({ row: v.row, column: 'version', code: 'DUPLICATE_IN_LIBRARY', detail: `${claim.doc.name} ${claim.doc.version}` });
    });
    if (valid.some((v) => v.fields.fixVersionId)) {
      const versions = await listProjectVersions(pid);
      const ids = new Set((versions ?? []).map((v) => v.id));
      for (const v of valid) if (v.fields.fixVersionId && !ids.has(v.fields.fixVersionId)) problems.push({ row: v.row, column: 'fixVersionId', code: 'FIX_VERSION_NOT_FOUND' });
    }
  }
  problems.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
  return { importId, rows: parsed.rows, problems, valid, done };
}

/** The caller may import into the project (today: its software control lead). */
async function importerOf(caller: Caller, projectId: string): Promise<{ scope: ProjectScope; t: number }> {
  const scope = await resolveProjectScope(caller, projectId);
  const t = now();
  const proj = await loadProject(scope, t);
  const d = decide(proj.actor, null, 'dslRegister', t, proj.policy, {});
  if (!d.allowed) throw refused(d.reasons);
  return { scope, t };
}

/** One batch of rows in one transaction with the import record's next state and the batch's audit event. */
function batchChanges(pid: string, importId: string, batch: readonly ValidRow[], by: string, t: number, next: DslImportRecord, recordVersion: number | null): Changes {
  const changes = new Changes();
  for (const v of batch) {
    const item = importedItem(v, pid, importId, by, t);
    putDslItem(changes, item, null, t);
    claimNameVersion(changes, item);
    appendDslHistory(changes, { id: `${item.id}:${String(t).padStart(15, '0')}:reg`, itemId: item.id, projectId: pid, type: 'REGISTERED', at: t, actorAccountId: by, note: `import ${importId} row ${v.row}` });
  }
  putDslImport(changes, next, recordVersion);
  if (batch.length > 0) {
    changes.audit({
      projectId: pid,
      subjectType: 'PROJECT',
      subjectId: pid,
      action: 'dslImport',
      actorAccountId: by,
      at: t,
      before: {},
      after: { importId, rows: `${batch[0]?.row ?? ''}-${batch[batch.length - 1]?.row ?? ''}`, dslItems: batch.map((v) => `${v.fields.name} ${v.fields.version}`) },
    });
  }
  return changes;
}

export async function importDsl(caller: Caller, p: PayloadOf<typeof K.dslImport>): Promise<DslImportReport> {
  const { scope, t } = await importerOf(caller, p.projectId);
  const pid = scope.projectId;
  const header = p.header.map((h) => h.trim());
  const importId = importIdOf(pid, header, p.rows);
  const v = await validate(pid, importId, header, p.rows);
  if (v.problems.length > 0) return report(importId, v.rows, v.problems);
  if (p.dryRun) return report(importId, v.rows, [], { alreadyWritten: v.done.size });

  // write, in batches, resumable — not beside a chunked import being written in the project
  if ((await busyWith(pid, importId, t)).busy) throw new ServiceError('CONFLICT', { messageKey: 'dsl.importBusy' });
  const existing = await getRow(dslImportRef(importId));
  if (existing && existing.doc.projectId !== pid) throw new ServiceError('NOT_FOUND');
  if (existing && (existing.doc.status === 'QUEUED' || existing.doc.status === 'RUNNING') && existing.doc.chunks !== undefined) {
    // The same file is being written by the chunked import's consumer: leave it to it.
    throw new ServiceError('CONFLICT', { messageKey: 'dsl.importBusy' });
  }
  // A record of this import's own earlier run continues; a chunked upload of the same file (not being
  // written) is taken over as a one-request import.
  const fresh: DslImportRecord = { id: importId, projectId: pid, rows: v.valid.length, written: v.done.size, status: 'RUNNING', startedAt: t, startedBy: scope.accountId, finishedAt: null };
  let record: DslImportRecord = existing && existing.doc.chunks === undefined ? existing.doc : fresh;
  let recordVersion: number | null = existing?.version ?? null;
  const todo = v.valid.filter((x) => !v.done.has(x.itemId));
  let written = 0;
  for (let i = 0; i < todo.length; i += ITEMS_PER_BATCH) {
    const batch = todo.slice(i, i + ITEMS_PER_BATCH);
    const last = i + ITEMS_PER_BATCH >= todo.length;
    const next: DslImportRecord = { ...record, written: record.written + batch.length, status: last ? 'COMPLETE' : 'RUNNING', ...(last ? { finishedAt: t } : {}) };
    try {
      await commit(batchChanges(pid, importId, batch, scope.accountId, t, next, recordVersion));
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'CONFLICT') throw new ServiceError('CONFLICT', { messageKey: 'dsl.importInterrupted' });
      throw err;
    }
    record = next;
    recordVersion = (recordVersion ?? 0) + 1;
    written += batch.length;
  }
  return report(importId, v.rows, [], { written, alreadyWritten: v.done.size, status: 'COMPLETE' });
}

// ------------------------------------------------------------------ the chunked import

export const DSL_IMPORT_QUEUE = 'dsl-import';
/** Batches one consumer invocation writes before it queues the rest (~60 × 3 storage calls, well within 55 s). */
export const MAX_BATCHES_PER_SLICE = 60;
/** …or fewer, when its time runs out first (Forge gives a consumer 55 s by default). */
export const SLICE_BUDGET_MS = 40_000;
/**
 * Chunks expire by themselves (KVS time-to-live) after four days: longer than Forge keeps an event that
 * platform errors delay (24 h, extended up to 96 h; async-events-api "Retention window"), so a late delivery
 * still finds its file, and an upload nobody finishes leaves nothing behind for long.
 */
export const CHUNK_TTL_SECONDS = 4 * 24 * 3600;
/** An upload or a queued import that has not moved for a day no longer holds the project (its record is removable). */
const STALE_MS = 24 * 3600 * 1000;
/** A queued import whose record has not moved for this long is handed to the queue again when asked about. */
const REQUEUE_AFTER_MS = 5 * 60 * 1000;

function jobView(r: DslImportRecord, received: readonly number[]): DslImportJob {
  return {
    importId: r.id,
    state: r.status,
    rows: r.rows,
    chunks: r.chunks ?? 0,
    received,
    done: r.done ?? (r.status === 'COMPLETE' ? r.rows : r.written),
    written: r.written,
    alreadyWritten: r.alreadyWritten ?? 0,
    problems: r.problems ?? [],
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  };
}

const chunkRefs = (r: DslImportRecord): ReturnType<typeof dslImportChunkRef>[] => Array.from({ length: r.chunks ?? 0 }, (_, i) => dslImportChunkRef(r.id, i));

async function chunksOf(r: DslImportRecord): Promise<(DslImportChunk | null)[]> {
  const out: (DslImportChunk | null)[] = [];
  const refs = chunkRefs(r);
  for (let i = 0; i < refs.length; i += 25) out.push(...((await getMany(refs.slice(i, i + 25))) as (DslImportChunk | null)[]));
  // A chunk stored under this key names its import; anything else is not ours.
  return out.map((c, i) => (c && c.importId === r.id && c.projectId === r.projectId && c.index === i ? c : null));
}

/** The import's record, only in the caller's project: another project's import is not found. */
async function jobOf(projectId: string, importId: string): Promise<Row<DslImportRecord>> {
  const row = await getRow(dslImportRef(importId));
  if (!row || row.doc.projectId !== projectId || row.doc.chunks === undefined) throw new ServiceError('NOT_FOUND');
  return row;
}

async function queueWriting(importId: string, projectId: string): Promise<void> {
  await new Queue({ key: DSL_IMPORT_QUEUE }).push({ body: { importId, projectId }, concurrency: { key: `dsl-import-${projectId}`, limit: 1 } });
}

const isActive = (r: DslImportRecord, t: number): boolean => (r.status === 'QUEUED' || r.status === 'RUNNING') && t - (r.updatedAt ?? r.startedAt) < STALE_MS;

/** The import running in the project, if another than `importId` holds the lock and is not stale. */
async function busyWith(projectId: string, importId: string, t: number): Promise<{ lock: Row<DslImportLock> | null; busy: boolean }> {
  const lock = await getRow(dslImportLockRef(projectId));
  if (!lock || lock.doc.importId === importId) return { lock, busy: false };
  const other = await getRow(dslImportRef(lock.doc.importId));
  return { lock, busy: !!other && isActive(other.doc, t) };
}

/**
 * Removes the records of uploads left unfinished for more than a day (their chunks expire by themselves).
 * Bounded: the 25 latest imports started over a day ago — each start clears what became stale since the
 * previous one, so the finished imports of years past are never read.
 */
async function removeAbandoned(projectId: string, t: number): Promise<void> {
  const page = await queryIndex({ entity: ENTITY.dslImport, index: INDEX.dslImport.byProject, partition: [projectId], range: { to: t - STALE_MS }, sort: 'DESC', limit: 25 }, dslImportSchema);
  const stale = page.items.filter((r) => r.doc.status === 'UPLOADING' && t - (r.doc.updatedAt ?? r.doc.startedAt) > STALE_MS);
  if (stale.length === 0) return;
  const changes = new Changes();
  for (const r of stale) changes.remove(ENTITY.dslImport, r.key, r.version);
  try {
    await commit(changes);
  } catch (err) {
    if (!(err instanceof ServiceError && err.code === 'CONFLICT')) throw err; // someone resumed one meanwhile
  }
}

export async function startImport(caller: Caller, p: PayloadOf<typeof K.dslImportStart>): Promise<DslImportJob> {
  const { scope, t } = await importerOf(caller, p.projectId);
  const pid = scope.projectId;
  const header = p.header.map((h) => h.trim());
  const existing = await getRow(dslImportRef(p.importId));
  if (existing && existing.doc.projectId !== pid) throw new ServiceError('NOT_FOUND');
  // The same file again while it is being written: the browser follows that run.
  if (existing && (existing.doc.status === 'QUEUED' || existing.doc.status === 'RUNNING')) return jobView(existing.doc, []);
  const sameUpload = existing?.doc.status === 'UPLOADING' && existing.doc.chunks === p.chunks && existing.doc.fileRows === p.rows && JSON.stringify(existing.doc.header) === JSON.stringify(header);
  if (existing && sameUpload) {
    const held = await chunksOf(existing.doc);
    return jobView(existing.doc, held.flatMap((c, i) => (c ? [i] : [])));
  }
  if ((await busyWith(pid, p.importId, t)).busy) throw new ServiceError('CONFLICT', { messageKey: 'dsl.importBusy' });
  await removeAbandoned(pid, t);
  // New, or a finished run of the same file opened again (a re-run skips what is written), or a different
  // split of it: the upload starts afresh.
  const record: DslImportRecord = {
    id: p.importId,
    projectId: pid,
    rows: p.rows,
    written: 0,
    status: 'UPLOADING',
    startedAt: t,
    startedBy: scope.accountId,
    finishedAt: null,
    header,
    chunks: p.chunks,
    fileRows: p.rows,
    done: 0,
    alreadyWritten: 0,
    updatedAt: t,
  };
  const changes = new Changes();
  putDslImport(changes, record, existing?.version ?? null);
  await commit(changes);
  return jobView(record, []);
}

export async function uploadChunk(caller: Caller, p: PayloadOf<typeof K.dslImportChunk>): Promise<{ importId: string; index: number; rows: number }> {
  const { scope } = await importerOf(caller, p.projectId);
  const job = await jobOf(scope.projectId, p.importId);
  if (job.doc.status !== 'UPLOADING') throw new ServiceError('CONFLICT', { messageKey: 'dsl.importNotUploading' });
  if (p.index >= (job.doc.chunks ?? 0)) throw badInput('index', 'dsl.importChunkIndex');
  // Stored under (import, index): the same chunk sent twice is stored once.
  await putPlain(dslImportChunkKey(p.importId, p.index), { importId: p.importId, projectId: scope.projectId, index: p.index, rows: p.rows }, CHUNK_TTL_SECONDS);
  return { importId: p.importId, index: p.index, rows: p.rows.length };
}

/** The file the chunks make, or why they do not make the file the import was opened for. */
async function assemble(r: DslImportRecord): Promise<{ rows: string[][] } | { problem: DslImportProblem }> {
  const chunks = await chunksOf(r);
  const missing = chunks.flatMap((c, i) => (c ? [] : [i + 1]));
  if (missing.length > 0) return { problem: { row: 0, column: '', code: 'CHUNK_MISSING', detail: `chunk(s) ${missing.join(', ')} of ${chunks.length}` } };
  const rows = chunks.flatMap((c) => c?.rows ?? []);
  const announced = r.fileRows ?? r.rows;
  if (rows.length !== announced || importIdOf(r.projectId, r.header ?? [], rows) !== r.id) return { problem: { row: 0, column: '', code: 'CONTENT_MISMATCH', detail: `${rows.length} rows received, ${announced} announced` } };
  return { rows };
}

export interface DslImportCommitResult {
  readonly report: DslImportReport;
  readonly job: DslImportJob;
}

export async function commitImport(caller: Caller, p: PayloadOf<typeof K.dslImportCommit>): Promise<DslImportCommitResult> {
  const { scope, t } = await importerOf(caller, p.projectId);
  const pid = scope.projectId;
  const job = await jobOf(pid, p.importId);
  const r = job.doc;
  if (r.status !== 'UPLOADING') {
    // Committed already (the answer was lost, or the button pressed twice): hand it to the queue again —
    // a second event finds the work done or loses the record's version race — and say where it is.
    if (!p.dryRun && (r.status === 'QUEUED' || r.status === 'RUNNING')) await queueWriting(r.id, pid);
    return { report: report(r.id, r.rows, r.problems ?? [], { status: r.status === 'COMPLETE' ? 'COMPLETE' : r.status === 'FAILED' ? 'INVALID' : 'VALID', written: r.written, alreadyWritten: r.alreadyWritten ?? 0 }), job: jobView(r, []) };
  }
  const file = await assemble(r);
  if ('problem' in file) return { report: report(r.id, r.rows, [file.problem]), job: jobView(r, []) };
  const v = await validate(pid, r.id, r.header ?? [], file.rows);
  const all = Array.from({ length: r.chunks ?? 0 }, (_, i) => i);
  if (v.problems.length > 0) return { report: report(r.id, v.rows, v.problems), job: jobView(r, all) };
  if (p.dryRun) return { report: report(r.id, v.rows, [], { alreadyWritten: v.done.size }), job: jobView(r, all) };

  const { lock, busy } = await busyWith(pid, r.id, t);
  if (busy) throw new ServiceError('CONFLICT', { messageKey: 'dsl.importBusy' });
  const next: DslImportRecord = { ...r, status: 'QUEUED', rows: v.valid.length, done: 0, written: 0, alreadyWritten: 0, committedBy: scope.accountId, updatedAt: t, problems: [] };
  const changes = new Changes();
  putDslImport(changes, next, job.version);
  if (!lock || lock.doc.importId !== r.id) putDslImportLock(changes, { projectId: pid, importId: r.id, since: t }, lock?.version ?? null);
  try {
    await commit(changes);
  } catch (err) {
    // Another import took the lock, or this one was committed at the same moment.
    if (err instanceof ServiceError && err.code === 'CONFLICT') throw new ServiceError('CONFLICT', { messageKey: 'dsl.importBusy' });
    throw err;
  }
  await queueWriting(r.id, pid);
  return { report: report(r.id, v.rows, [], { alreadyWritten: v.done.size }), job: jobView(next, all) };
}

/**
 * How far an import is. Without `importId`: the project's import being written, or the last one written
 * (the lock names it), so that a page opened again mid-import shows its progress; null when there is none.
 */
export async function importStatus(caller: Caller, p: PayloadOf<typeof K.dslImportStatus>): Promise<DslImportJob | null> {
  const { scope, t } = await importerOf(caller, p.projectId);
  let job: Row<DslImportRecord>;
  if (p.importId === undefined) {
    const lock = await getRow(dslImportLockRef(scope.projectId));
    const last = lock ? await getRow(dslImportRef(lock.doc.importId)) : null;
    if (!last || last.doc.projectId !== scope.projectId) return null;
    job = last;
  } else {
    job = await jobOf(scope.projectId, p.importId);
  }
  const r = job.doc;
  if (r.status === 'UPLOADING') {
    const held = await chunksOf(r);
    return jobView(r, held.flatMap((c, i) => (c ? [i] : [])));
  }
  // A queued import whose event was lost (the commit died right after its transaction) is queued again.
  if ((r.status === 'QUEUED' || r.status === 'RUNNING') && t - (r.updatedAt ?? r.startedAt) > REQUEUE_AFTER_MS) await queueWriting(r.id, r.projectId);
  return jobView(r, []);
}

export interface ImportSliceResult {
  readonly state: DslImportJobState | 'MISSING';
  readonly batches: number;
  /** Work is left and the next slice was queued. */
  readonly continued: boolean;
  /** Another invocation advanced the record meanwhile: it holds the run, this one stopped. */
  readonly overlapped: boolean;
}

async function dropChunks(r: DslImportRecord): Promise<void> {
  const keys = chunkRefs(r).map((c) => c.plainKey);
  for (let i = 0; i < keys.length; i += 25) {
    const changes = new Changes();
    for (const k of keys.slice(i, i + 25)) changes.dropPlain(k);
    await commit(changes);
  }
}

/**
 * The consumer's work: write the next batches of a committed import, from where its record stands. Each
 * batch commits with the record's next state under the record's version, so a redelivered event, a second
 * delivery running at the same time or a retry after a kill finds the batch either done (the record moved
 * on) or not (nothing of it stands) — never half, never twice.
 */
export async function runImportSlice(importId: string, projectId: string, opts: { maxBatches?: number; budgetMs?: number } = {}): Promise<ImportSliceResult> {
  const started = Date.now();
  const maxBatches = opts.maxBatches ?? MAX_BATCHES_PER_SLICE;
  const budgetMs = opts.budgetMs ?? SLICE_BUDGET_MS;
  let row = await getRow(dslImportRef(importId));
  if (!row || row.doc.projectId !== projectId || row.doc.chunks === undefined) return { state: 'MISSING', batches: 0, continued: false, overlapped: false };
  if (row.doc.status === 'COMPLETE' || row.doc.status === 'FAILED') {
    await dropChunks(row.doc); // a delivery after the end (or one that died before cleaning up)
    return { state: row.doc.status, batches: 0, continued: false, overlapped: false };
  }
  if (row.doc.status === 'UPLOADING') return { state: 'UPLOADING', batches: 0, continued: false, overlapped: false };

  const fail = async (problems: DslImportProblem[]): Promise<ImportSliceResult> => {
    const t = now();
    const changes = new Changes();
    const current = row as Row<DslImportRecord>;
    putDslImport(changes, { ...current.doc, status: 'FAILED', finishedAt: t, updatedAt: t, problems: problems.slice(0, 50) }, current.version);
    // The trail says the import stopped, and where: the rows before it were audited batch by batch. Under the
    // record's version, so a redelivery that finds the record FAILED writes no second entry.
    const problemRows = [...new Set(problems.map((x) => x.row).filter((n) => n > 0))].slice(0, 20);
    changes.audit({
      projectId,
      subjectType: 'PROJECT',
      subjectId: projectId,
      action: 'dslImportFailed',
      actorAccountId: current.doc.committedBy ?? current.doc.startedBy,
      at: t,
      before: {},
      after: { importId, writtenRows: current.doc.done ?? 0, ...(problemRows.length > 0 ? { problemRows: problemRows.join(', ') } : {}) },
    });
    try {
      await commit(changes);
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'CONFLICT') return { state: current.doc.status, batches: 0, continued: false, overlapped: true };
      throw err;
    }
    await dropChunks(current.doc);
    return { state: 'FAILED', batches: 0, continued: false, overlapped: false };
  };

  const file = await assemble(row.doc);
  if ('problem' in file) return fail([file.problem]);
  const parsed = parseAll(importId, row.doc.header ?? [], file.rows);
  if (parsed.problems.length > 0 || parsed.valid.length !== row.doc.rows) return fail(parsed.problems.length > 0 ? parsed.problems : [{ row: 0, column: '', code: 'CONTENT_MISMATCH' }]);
  const valid = parsed.valid;
  const by = row.doc.committedBy ?? row.doc.startedBy;

  let batches = 0;
  while ((row.doc.done ?? 0) < valid.length) {
    if (batches >= maxBatches || Date.now() - started > budgetMs) {
      await queueWriting(importId, projectId);
      return { state: row.doc.status, batches, continued: true, overlapped: false };
    }
    const t = now();
    const from = row.doc.done ?? 0;
    const batch = valid.slice(from, from + ITEMS_PER_BATCH);
    // Rows whose name + version is already this import's item were written by an earlier run of the file.
    const claims = await getRows(batch.map((v) => nameVersionRef(projectId, v.fields.name, v.fields.version)));
    const foreign = batch.flatMap((v, i) => {
      const claim = claims[i];
      return claim && claim.doc.itemId !== v.itemId ? [{ row: v.row, column: 'version', code: 'DUPLICATE_IN_LIBRARY' as const, detail: `${claim.doc.name} ${claim.doc.version}` }] : [];
    });
    // Registered by someone else since the check: the rows before stay written; importing the same file
    // again reports these rows as duplicates and skips the written ones.
    if (foreign.length > 0) return fail(foreign);
    const toWrite = batch.filter((_, i) => !claims[i]);
    const done = from + batch.length;
    const last = done >= valid.length;
    const next: DslImportRecord = {
      ...row.doc,
      status: last ? 'COMPLETE' : 'RUNNING',
      done,
      written: row.doc.written + toWrite.length,
      alreadyWritten: (row.doc.alreadyWritten ?? 0) + (batch.length - toWrite.length),
      updatedAt: t,
      ...(last ? { finishedAt: t } : {}),
    };
    try {
      await commit(batchChanges(projectId, importId, toWrite, by, t, next, row.version));
    } catch (err) {
      if (!(err instanceof ServiceError && err.code === 'CONFLICT')) throw err;
      const fresh = await getRow(dslImportRef(importId));
      if (!fresh || fresh.version !== row.version) return { state: fresh?.doc.status ?? 'MISSING', batches, continued: false, overlapped: true };
      continue; // a name + version registered at that moment: the next round reads it as foreign
    }
    row = { ...row, doc: next, version: row.version + 1 };
    batches += 1;
  }
  await dropChunks(row.doc);
  return { state: 'COMPLETE', batches, continued: false, overlapped: false };
}

function importedItem(v: ValidRow, projectId: string, importId: string, by: string, t: number): DslItem {
  return registeredDslItem({ id: v.itemId, projectId, fields: v.fields, releaseIds: [], supersedesItemId: null, at: t, by, importId });
}
