/**
 * The DSL item's fields as the server validates them (register form, CSV import). The CSV layout and limits
 * are in `dsl-csv.ts`, which the browser imports without zod.
 */
import { z } from 'zod';
import { LIMITS } from './limits';
import { jiraId, note, text } from './primitives';

export * from './dsl-csv';

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
