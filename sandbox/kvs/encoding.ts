import { KvsErrorCode as C, badRequest } from './errors';
import { isRec } from './validate';

/**
 * Order-preserving binary encoding of index range values, so that SQLite's BLOB comparison (memcmp) orders
 * index entries exactly as Forge orders range values: booleans < numbers < strings (one index has one typed
 * range attribute, so mixing only happens for `any`), numbers numerically, strings by UTF-8 byte order.
 */
const TAG_BOOL = 0x10;
const TAG_NUM = 0x20;
const TAG_STR = 0x30;

export type Scalar = string | number | boolean;

export const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

export function encodeRange(v: Scalar): Buffer {
  if (typeof v === 'boolean') return Buffer.from([TAG_BOOL, v ? 1 : 0]);
  if (typeof v === 'number') {
    const b = Buffer.alloc(9);
    b[0] = TAG_NUM;
    b.writeDoubleBE(v === 0 ? 0 : v, 1); // -0 sorts as 0
    if (v < 0) {
      for (let i = 1; i < 9; i++) b[i] = ~(b[i] ?? 0) & 0xff;
    } else {
      b[1] = (b[1] ?? 0) ^ 0x80;
    }
    return b;
  }
  return Buffer.concat([Buffer.from([TAG_STR]), Buffer.from(v, 'utf8')]);
}

/** Exclusive upper bound of every string range value starting with `prefix` (UTF-8 never contains 0xFF). */
export function prefixUpperBound(prefix: string): Buffer {
  return Buffer.concat([encodeRange(prefix), Buffer.from([0xff])]);
}

/** Partition values are matched exactly; JSON of the typed values is a stable, exact key. */
export function encodePartition(values: readonly Scalar[]): string {
  return JSON.stringify(values);
}

export interface CursorPos {
  /** Index the cursor belongs to ('' for plain KVS queries). */
  i: string;
  /** Range value of the last returned entry, hex (absent for key-ordered queries). */
  r?: string;
  k: string;
}

export function encodeCursor(pos: CursorPos): string {
  return Buffer.from(JSON.stringify(pos), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: unknown, index: string): CursorPos {
  if (typeof cursor !== 'string' || cursor === '') throw badRequest(C.INVALID_CURSOR, 'cursor must be a non-empty string');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest(C.INVALID_CURSOR, 'The provided cursor is invalid');
  }
  if (!isRec(parsed) || typeof parsed.k !== 'string' || typeof parsed.i !== 'string' || (parsed.r !== undefined && typeof parsed.r !== 'string')) {
    throw badRequest(C.INVALID_CURSOR, 'The provided cursor is invalid');
  }
  if (parsed.i !== index) throw badRequest(C.INVALID_CURSOR, 'The cursor was issued for a different query');
  return { i: parsed.i, k: parsed.k, ...(typeof parsed.r === 'string' ? { r: parsed.r } : {}) };
}
