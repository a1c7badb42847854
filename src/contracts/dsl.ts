/**
 * The DSL item's fields as the UI sends them (register form, CSV import) and the CSV layout, shared by the
 * server (validation) and the browser (the form, papaparse).
 */
import { z } from 'zod';
import { LIMITS } from './limits';
import { jiraId, note, text } from './primitives';

export const DSL_IMPORT_LIMITS = {
  /** Rows of one CSV import. */
  rows: 2_000,
  columns: 20,
  /** Characters of all cells together (keeps the payload far below the invocation limit). */
  totalChars: 1_500_000,
  releasesPerItem: 10,
} as const;

/** A SHA-256 digest, 64 hex digits. */
export const sha256 = z.string().regex(/^[a-fA-F0-9]{64}$/, 'expected a SHA-256 hex digest (64 hexadecimal digits)');
export const sizeBytes = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** What identifies and describes an item (register, import). */
export const dslItemFields = {
  name: text(LIMITS.shortText),
  version: text(100),
  sha256,
  sizeBytes,
  licence: note(LIMITS.shortText),
  vendor: note(LIMITS.shortText),
  storageUri: z.string().trim().min(1).max(LIMITS.url),
  mediaType: note(100),
  fixVersionId: jiraId.optional(),
  cmdbCiRef: note(LIMITS.shortText).optional(),
};

export const dslItemFieldsSchema = z.object(dslItemFields).strict();
export type DslItemFields = z.infer<typeof dslItemFieldsSchema>;

/** Columns an import reads, in the order an export writes them. `name`…`storageUri` are required. */
export const DSL_CSV_COLUMNS = ['name', 'version', 'sha256', 'sizeBytes', 'licence', 'vendor', 'storageUri', 'mediaType', 'fixVersionId', 'cmdbCiRef'] as const;
export type DslCsvColumn = (typeof DSL_CSV_COLUMNS)[number];
export const DSL_CSV_REQUIRED: readonly DslCsvColumn[] = ['name', 'version', 'sha256', 'sizeBytes', 'storageUri'];
/** Columns an export adds for the reader; an import accepts and ignores them. */
export const DSL_CSV_EXPORT_ONLY = ['id', 'status', 'releaseIds', 'supersedesItemId', 'supersededByItemId', 'checkedInAt'] as const;

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
