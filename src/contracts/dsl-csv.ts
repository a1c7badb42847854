/**
 * The DSL's CSV layout, import limits and import report, as plain values: the browser's import form uses
 * them, and it must not pull zod into its bundle (zod v4 probes `new Function` on first use, which Forge's
 * Content-Security-Policy reports on every load). Imports nothing.
 */

export const DSL_IMPORT_LIMITS = {
  /** Rows of one CSV import. */
  rows: 2_000,
  columns: 20,
  /** Characters of all cells together (keeps the payload far below the invocation limit). */
  totalChars: 1_500_000,
  releasesPerItem: 10,
} as const;

/** Columns an import reads, in the order an export writes them. `name`…`storageUri` are required. */
export const DSL_CSV_COLUMNS = ['name', 'version', 'sha256', 'sizeBytes', 'licence', 'vendor', 'storageUri', 'mediaType', 'fixVersionId', 'cmdbCiRef'] as const;
export type DslCsvColumn = (typeof DSL_CSV_COLUMNS)[number];
export const DSL_CSV_REQUIRED: readonly DslCsvColumn[] = ['name', 'version', 'sha256', 'sizeBytes', 'storageUri'];
/** Columns an export adds for the reader; an import accepts and ignores them. */
export const DSL_CSV_EXPORT_ONLY = ['id', 'status', 'releaseIds', 'releaseKeys', 'supersedesItemId', 'supersededByItemId', 'checkedInAt'] as const;

/** One problem of an import, by row (1 = the first data row, as a spreadsheet shows it after the header: line row+1) and column. */
export interface DslImportProblem {
  readonly row: number;
  readonly column: string;
  readonly code: DslImportProblemCode;
  /** What the validator said (English, technical); the UI shows the text of `code` in the user's language. */
  readonly detail?: string;
}

export const DSL_IMPORT_PROBLEM_CODES = [
  'MISSING_COLUMN',
  'UNKNOWN_COLUMN',
  'DUPLICATE_COLUMN',
  'WRONG_CELL_COUNT',
  'REQUIRED',
  'INVALID',
  'DUPLICATE_IN_FILE',
  'DUPLICATE_IN_LIBRARY',
  'FIX_VERSION_NOT_FOUND',
  /** A chunked import: a chunk the server no longer holds (an unfinished upload's chunks expire after four days). */
  'CHUNK_MISSING',
  /** A chunked import: the chunks held do not add up to the file the import was opened for. */
  'CONTENT_MISMATCH',
] as const;
export type DslImportProblemCode = (typeof DSL_IMPORT_PROBLEM_CODES)[number];

export interface DslImportReport {
  readonly importId: string;
  readonly rows: number;
  /** Rows written by this call (0 when any row is bad, or on a dry run). */
  readonly written: number;
  /** Rows that an earlier, interrupted run of the same file had already written. */
  readonly alreadyWritten: number;
  readonly problems: readonly DslImportProblem[];
  readonly status: 'INVALID' | 'VALID' | 'COMPLETE';
}

/**
 * A file too large for one invocation (Forge: "Front-end invocation request payload size 500KB",
 * forge-docs/limits-invocation) is uploaded in chunks and written by a queue consumer
 * (services/dsl-import.ts). A chunk's invoke request — `{ functionKey, payload }` as JSON, in UTF-8 bytes,
 * not characters: Chinese text is three bytes a character — stays under `targetRequestBytes`; the server
 * refuses a chunk whose rows exceed `maxChunkBytes`, which also keeps the stored chunk under the KVS value
 * limit (240 KiB, forge-docs/limits-kvs-ce).
 */
export const DSL_IMPORT_CHUNKS = {
  targetRequestBytes: 150_000,
  maxChunkBytes: 200 * 1024,
  /** 2,000 rows of at most ~750 bytes each fit in 10 chunks of 150 KB; the limit leaves room for long cells. */
  maxChunks: 20,
  /** How often the browser asks how far the writing is. */
  pollMs: 1_000,
} as const;

/** The UTF-8 size of a value's JSON, as it crosses the wire. */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/**
 * Splits the rows into consecutive chunks, each whose rows' JSON plus `overheadBytes` (the rest of the
 * request) stays within `maxBytes`; a row is never cut. A single row too large for any chunk is a chunk of
 * its own (the server then refuses it, by size).
 */
export function splitRowsIntoChunks(rows: readonly (readonly string[])[], maxBytes: number, overheadBytes: number): string[][][] {
  const chunks: string[][][] = [];
  let current: string[][] = [];
  let size = 2; // "[]"
  for (const row of rows) {
    const rowBytes = jsonBytes(row);
    if (current.length > 0 && overheadBytes + size + 1 + rowBytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 2;
    }
    size += rowBytes + (current.length > 0 ? 1 : 0); // the comma before every row but the first
    current.push([...row]);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export const DSL_IMPORT_JOB_STATES = ['UPLOADING', 'QUEUED', 'RUNNING', 'COMPLETE', 'FAILED'] as const;
export type DslImportJobState = (typeof DSL_IMPORT_JOB_STATES)[number];

/** An import job as `dsl/importStart`, `dsl/importCommit` and `dsl/importStatus` answer it. */
export interface DslImportJob {
  readonly importId: string;
  readonly state: DslImportJobState;
  /** Rows of the file (blank lines left out). */
  readonly rows: number;
  readonly chunks: number;
  /** Chunk indexes the server holds (while UPLOADING): a resumed upload sends only the others. */
  readonly received: readonly number[];
  /** Rows handled by the writer so far: written now, or found written by an earlier run of the same file. */
  readonly done: number;
  readonly written: number;
  readonly alreadyWritten: number;
  /** Why the writing stopped (state FAILED), by row. */
  readonly problems: readonly DslImportProblem[];
  readonly startedAt: number;
  readonly finishedAt: number | null;
}
