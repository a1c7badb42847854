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
