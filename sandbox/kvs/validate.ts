import type { EntityAttributeDecl } from '../manifest';
import { KvsErrorCode as C, badRequest } from './errors';

/** limits-kvs-ce: "Key and object size limits" and "Custom Entity Store limits". */
export const LIMITS = {
  keyLength: 500,
  valueBytes: 240 * 1024,
  /** kvs-api-secret: "persisted JSON values may be up to 128 KiB". */
  secretValueBytes: 128 * 1024,
  objectDepth: 31,
  attributesPerEntity: 50,
  rangeBytes: 900,
  partitionBytes: 1700,
  queryDefaultLimit: 10,
  queryMaxLimit: 100,
  queryMaxConditions: 100,
  batchMaxItems: 25,
  transactionMaxOps: 25,
  payloadBytes: 4 * 1024 * 1024,
  /** kvs-api: "The maximum supported TTL is 1 year". */
  maxTtlMs: 365 * 24 * 3600 * 1000,
  int32Min: -2147483648,
  int32Max: 2147483647,
  floatMin: 1e-130,
  // 9.9999999999999999999999999999999999999E+125, which a double rounds to 1E+126
  floatMax: 1e126,
} as const;

const KEY_RE = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
const ENTITY_NAME_RE = /^(?![.\-_])(?!.*\.{2})[a-z0-9:\-._]*(?<![.])$/;

export type Rec = Record<string, unknown>;
export const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

export function requireKey(v: unknown, forEntity: boolean): string {
  if (v === undefined || v === null || v === '') {
    throw forEntity
      ? badRequest(C.EMPTY_KEY, 'Key cannot be empty')
      : badRequest(C.KEY_TOO_SHORT, 'The provided key needs to be at least one character');
  }
  if (typeof v !== 'string') throw badRequest(C.INVALID_KEY, 'Key must be a string');
  if (v.length > LIMITS.keyLength) throw badRequest(C.KEY_TOO_LONG, `The provided key has exceeded the maximum ${LIMITS.keyLength} characters`);
  if (!KEY_RE.test(v)) throw badRequest(C.INVALID_KEY, 'The provided key does not match the regex: /^(?!\\s+$)[a-zA-Z0-9:._\\s-#]+$/');
  return v;
}

export function checkEntityName(name: unknown): string {
  if (typeof name !== 'string') throw badRequest(C.INVALID_ENTITY_TYPE, 'entityName must be a string');
  if (name.length < 3) throw badRequest(C.ENTITY_TYPE_TOO_SHORT, 'Entity names cannot be shorter than 3 characters');
  if (name.length > 60) throw badRequest(C.ENTITY_TYPE_TOO_LARGE, 'Entity names cannot be longer than 60 characters');
  if (!ENTITY_NAME_RE.test(name)) throw badRequest(C.INVALID_ENTITY_TYPE, `Entity name '${name}' does not match the entity name rules`);
  return name;
}

function depthOf(v: unknown): number {
  if (Array.isArray(v)) {
    let d = 0;
    for (const x of v) d = Math.max(d, depthOf(x));
    return d + 1;
  }
  if (isRec(v)) {
    let d = 0;
    for (const x of Object.values(v)) d = Math.max(d, depthOf(x));
    return d + 1;
  }
  return 0;
}

/** Validates a stored value (any JSON type except null) and returns its serialised form. */
export function serialiseValue(v: unknown, maxBytes: number = LIMITS.valueBytes): string {
  if (v === undefined || v === null) throw badRequest(C.INVALID_VALUE, 'The storage API can persist any JSON data type except null');
  const text = JSON.stringify(v);
  if (Buffer.byteLength(text) > maxBytes) throw badRequest(C.MAX_SIZE, `The provided value has exceeded the maximum size limit (${maxBytes} bytes)`);
  if (depthOf(v) > LIMITS.objectDepth) throw badRequest(C.MAX_DEPTH, `The provided value has exceeded the maximum object depth (${LIMITS.objectDepth})`);
  return text;
}

/** entities: "Type requirements". Returns an error message, or undefined when the value fits the type. */
export function attributeTypeError(type: EntityAttributeDecl['type'], v: unknown): string | undefined {
  switch (type) {
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) return 'must be an integer';
      if (v < LIMITS.int32Min || v > LIMITS.int32Max) return 'must be a 32-bit signed integer';
      return undefined;
    case 'float': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number';
      const a = Math.abs(v);
      if (v !== 0 && (a < LIMITS.floatMin || a > LIMITS.floatMax)) return 'must be 0 or within ±1E-130..±9.99E+125';
      return undefined;
    }
    case 'string':
      if (typeof v !== 'string') return 'must be a string';
      if (v.trim() === '') return 'must contain at least one non-whitespace character';
      return undefined;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
    case 'any':
      return v === null || v === undefined ? 'cannot be null' : undefined;
    default:
      return `has an unknown declared type '${String(type)}'`;
  }
}

const TTL_UNITS: Record<string, number> = { SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };

/** Returns the expiry instant (ms) for `options.ttl`, or null when no TTL is set. */
export function expiryFrom(options: Rec | undefined, now: number): number | null {
  const ttl = options?.ttl;
  if (ttl === undefined) return null;
  if (!isRec(ttl) || typeof ttl.value !== 'number' || typeof ttl.unit !== 'string') {
    throw badRequest(C.INVALID_TTL, 'ttl must be { unit, value }');
  }
  const unitMs = TTL_UNITS[ttl.unit];
  if (unitMs === undefined) throw badRequest(C.INVALID_TTL, `Unknown ttl unit '${ttl.unit}'`);
  if (!Number.isInteger(ttl.value) || ttl.value <= 0) throw badRequest(C.INVALID_TTL, 'ttl value must be a positive integer');
  const ms = ttl.value * unitMs;
  if (ms > LIMITS.maxTtlMs) throw badRequest(C.INVALID_TTL, 'The maximum supported TTL is 1 year');
  return now + ms;
}

export function optionsOf(body: Rec): Rec | undefined {
  const o = body.options;
  if (o === undefined || o === null) return undefined;
  if (!isRec(o)) throw badRequest(C.BAD_REQUEST, 'options must be an object');
  return o;
}
