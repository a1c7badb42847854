/**
 * Contracts shared by `src/` and `static/`: resolver keys, payload schemas (zod, strict, bounded) and the
 * response envelope. Imports only zod and the domain (`limits.ts` and `keys.ts` not even zod: the UI imports them).
 *
 *   RESOLVER_KEYS.approve === 'release/approve';  ACTION_RESOLVER[action] → key
 *   PAYLOAD_SCHEMAS[key].safeParse(payload);  parsePayload(key, payload) → { ok, data } | { ok: false, error }
 *   PayloadOf<'release/approve'>  →  { releaseId: string; expectedVersion: number }
 *   Envelope<T> = { ok: true, data: T } | { ok: false, error: { code, message, field?, reasons? } }
 */
export * from './envelope';
export * from './keys';
export * from './limits';
export * from './primitives';
export * from './schemas';
export * from './dsl';
export * from './views';
