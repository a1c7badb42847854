/**
 * The one place that talks to `@forge/kvs`: rows of the shape `{ ...indexed attributes, version, doc }`, read
 * back validated, and written only through `Changes`, a transaction in which every row carries a version
 * condition and every change carries its audit event. Small logical entities are hosted by one physical entity
 * (entities.ts, `HOSTED`: Forge allows 20 per app); this file alone maps a logical row to where it lives.
 */
import { createHash, randomUUID } from 'node:crypto';
import { kvs, Filter, FilterConditions, ForgeKvsAPIError, Sort, WhereConditions } from '@forge/kvs';
import type { z } from 'zod';
import { ENTITY, HOST_ENTITY, HOST_KIND_ATTR, HOSTED, MAX_KEY_LENGTH, physicalRow, type EntityName } from './entities';
import type { Page } from '../contracts/views';
import { auditChainHeadSchema, auditEventSchema, type AuditChainHead, type AuditEvent } from './schemas';
import { AUDIT_GENESIS, auditChainId, auditHashInput, auditValuesOf, unregisteredAuditFields, type AuditAction } from '../domain/audit';

/** Forge: at most 25 operations per transaction. */
export const MAX_TRANSACTION_OPS = 25;
/** Forge: 240 KiB per value; we stop well before it so that a record can still grow by one more entry. */
export const MAX_ROW_BYTES = 200 * 1024;

export type Attr = string | number | boolean;
export type Attrs = Record<string, Attr | null | undefined>;

export interface Row<T> {
  key: string;
  version: number;
  doc: T;
}

/** Someone else changed the record since it was read: nothing was written. */
export class ConflictError extends Error {
  readonly code = 'CONFLICT';
  constructor(message = 'The record was changed by someone else') {
    super(message);
    this.name = 'ConflictError';
  }
}

/** A record would exceed a Forge storage limit (value size, operations per transaction). */
export class StorageLimitError extends Error {
  readonly code = 'LIMIT_EXCEEDED';
  constructor(message: string) {
    super(message);
    this.name = 'StorageLimitError';
  }
}

/** A stored record no longer matches its schema. */
export class CorruptRecordError extends Error {
  readonly code = 'CORRUPT_RECORD';
  constructor(entity: string, key: string, detail: string) {
    super(`Stored ${entity} '${key}' is not valid: ${detail}`);
    this.name = 'CorruptRecordError';
  }
}

interface StoredRow {
  version?: unknown;
  doc?: unknown;
  [attr: string]: unknown;
}

function parseRow<T>(entity: string, key: string, raw: unknown, schema: z.ZodType<T>): Row<T> {
  const r = raw as StoredRow | undefined;
  const version = typeof r?.version === 'number' ? r.version : NaN;
  const parsed = schema.safeParse(r?.doc);
  if (!Number.isInteger(version) || !parsed.success) {
    throw new CorruptRecordError(entity, key, parsed.success ? 'missing version' : parsed.error.message);
  }
  return { key, version, doc: parsed.data };
}

/** Keys must match Forge's key regex; account ids and Jira ids already do. */
export function safeKey(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^a-zA-Z0-9:._\-#]/g, '_')).join(':');
}

export function newId(): string {
  return randomUUID();
}

// ------------------------------------------------------------------ hosted entities (entities.ts, HOSTED)

/** The physical address of a logical row; a hosted key that would pass Forge's key length is refused here. */
function locate(entity: EntityName, key: string): { entity: string; key: string; kind?: EntityName } {
  const at = physicalRow(entity, key);
  if (at.key.length > MAX_KEY_LENGTH) throw new StorageLimitError(`${entity} key '${key.slice(0, 40)}…' is too long to store`);
  return at;
}

/** The logical key of a row read from `entity`'s physical entity. */
function logicalKey(entity: EntityName, physicalKey: string): string {
  if (!HOSTED[entity]) return physicalKey;
  const prefix = `${entity}:`;
  // The host index is partitioned by kind first: a row of another kind here is a broken store, not a row of ours.
  if (!physicalKey.startsWith(prefix)) throw new CorruptRecordError(entity, physicalKey, `not a ${entity} key`);
  return physicalKey.slice(prefix.length);
}

/** The stored value of a row: its attributes, plus `kind` when the entity is hosted. */
function storedValue(entity: EntityName, value: Record<string, unknown>): Record<string, unknown> {
  if (!HOSTED[entity]) return value;
  if (HOST_KIND_ATTR in value) throw new Error(`${entity}: '${HOST_KIND_ATTR}' is the host's attribute, not a row attribute`);
  return { [HOST_KIND_ATTR]: entity, ...value };
}

// ------------------------------------------------------------------ reads

export interface GetRef<T> {
  entity: EntityName;
  key: string;
  schema: z.ZodType<T>;
}

export interface PlainRef<T> {
  /** A plain KVS key (no entity). */
  plainKey: string;
  schema: z.ZodType<T>;
}

export async function getRow<T>(ref: GetRef<T>): Promise<Row<T> | null> {
  const at = locate(ref.entity, ref.key);
  const raw = await kvs.entity<StoredRow>(at.entity).get(at.key);
  return raw === undefined ? null : parseRow(ref.entity, ref.key, raw, ref.schema);
}

/** The stored version of a row whatever its doc holds (a row an earlier version of the app wrote in another shape). */
export async function getStoredVersion(entity: EntityName, key: string): Promise<number | null> {
  const at = locate(entity, key);
  const raw = await kvs.entity<{ version?: unknown }>(at.entity).get(at.key);
  return typeof raw?.version === 'number' ? raw.version : null;
}

type AnyRef = GetRef<unknown> | PlainRef<unknown>;
type Resolved<R> = R extends GetRef<infer T> ? Row<T> | null : R extends PlainRef<infer T> ? T | null : never;

/**
 * Several records (entity rows and plain keys) in ONE storage operation (`batchGet`): what makes a panel
 * load cost one read for the release, its team, its fallback plan, the policy and the role cache together.
 */
export async function getMany<const R extends readonly AnyRef[]>(refs: R): Promise<{ [I in keyof R]: Resolved<R[I]> }> {
  // Forge refuses a batch naming a key twice ("Key appears more than once in the batch"): ask once per key,
  // answer every position (two overdue tasks of one release ask for the same release).
  const unique = new Map<string, { key: string; entityName?: string }>();
  for (const r of refs) {
    const at = 'plainKey' in r ? null : locate(r.entity, r.key);
    const item = at ? { key: at.key, entityName: at.entity } : { key: (r as PlainRef<unknown>).plainKey };
    unique.set(`${item.entityName ?? ''}\u0000${item.key}`, item);
  }
  const items = [...unique.values()];
  const found = new Map<string, unknown>();
  if (items.length > 0) {
    const res = await kvs.batchGet(items);
    for (const s of res.successfulKeys) found.set(`${s.entityName ?? ''}\u0000${s.key}`, s.value);
  }
  return refs.map((r) => {
    if ('plainKey' in r) {
      const v = found.get(`\u0000${r.plainKey}`);
      if (v === undefined) return null;
      const p = r.schema.safeParse(v);
      return p.success ? p.data : null; // a plain cache entry that does not parse is simply a miss
    }
    const at = locate(r.entity, r.key);
    const v = found.get(`${at.entity}\u0000${at.key}`);
    return v === undefined ? null : parseRow(r.entity, r.key, v, r.schema);
  }) as { [I in keyof R]: Resolved<R[I]> };
}

export type { Page };

export interface IndexQuery {
  entity: EntityName;
  index: string;
  partition?: Attr[];
  /** Range condition on the index's range attribute. */
  range?: { from?: number | string; to?: number | string };
  sort?: 'ASC' | 'DESC';
  limit?: number;
  cursor?: string;
  /** Attribute equalities applied after the index read (Forge `filters`: a page may come back short). */
  equals?: Record<string, string>;
}

/** One page of an index, validated. */
export async function queryIndex<T>(q: IndexQuery, schema: z.ZodType<T>): Promise<Page<Row<T>>> {
  const hosted = HOSTED[q.entity];
  let physicalEntity: string = q.entity;
  let index = q.index;
  let partition = q.partition;
  if (hosted) {
    const h = hosted[q.index];
    if (!h) throw new Error(`${q.entity} has no index '${q.index}'`);
    if ((q.partition ?? []).length !== h.partition.length) throw new Error(`${q.entity} index '${q.index}' needs ${h.partition.length} partition value(s)`);
    physicalEntity = HOST_ENTITY;
    index = h.physical;
    partition = [q.entity, ...(q.partition ?? [])];
  }
  let b = kvs
    .entity<StoredRow>(physicalEntity)
    .query()
    .index(index, partition ? { partition } : undefined);
  const from = q.range?.from;
  const to = q.range?.to;
  if (from !== undefined && to !== undefined) b = b.where(WhereConditions.between(from, to));
  else if (from !== undefined) b = b.where(WhereConditions.greaterThanEqualTo(from));
  else if (to !== undefined) b = b.where(WhereConditions.lessThanEqualTo(to));
  b = b.sort(q.sort === 'DESC' ? Sort.DESC : Sort.ASC).limit(Math.min(Math.max(q.limit ?? 50, 1), 100));
  const equals = Object.entries(q.equals ?? {});
  if (equals.length > 0) {
    const [first, ...rest] = equals as [[string, string], ...[string, string][]];
    let f = new Filter<StoredRow>().and(first[0], FilterConditions.equalTo(first[1]));
    for (const [attr, v] of rest) f = f.and(attr, FilterConditions.equalTo(v));
    b = b.filters(f);
  }
  if (q.cursor) b = b.cursor(q.cursor);
  const res = await b.getMany();
  return {
    items: res.results.map((r) => parseRow(q.entity, logicalKey(q.entity, r.key), r.value, schema)),
    ...(res.nextCursor ? { cursor: res.nextCursor } : {}),
  };
}

// ------------------------------------------------------------------ plain KVS (caches)

export async function putPlain(key: string, value: object, ttlSeconds: number): Promise<void> {
  await kvs.set(key, value, { ttl: { unit: 'SECONDS', value: ttlSeconds } });
}

// ------------------------------------------------------------------ writes

interface PendingSet {
  entity: EntityName;
  key: string;
  value: Record<string, unknown>;
  /** null: the row must not exist yet. */
  expectedVersion: number | null;
}

export interface AuditInput {
  projectId: string;
  subjectType: AuditEvent['subjectType'];
  subjectId: string;
  /** A key of `AUDIT_ACTIONS` (domain/audit.ts): every action has its rendering in both languages. */
  action: AuditAction;
  actorAccountId: string;
  at: number;
  /** Field → raw value; every field name (at any depth) is a key of `AUDIT_FIELDS`. */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** SHA-256 in hex: the hash of the audit chain. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function chainKey(chainId: string): string {
  return safeKey('chain', chainId);
}

/** How often a commit whose only conflict was another writer's event on the same chain is re-chained and retried. */
const CHAIN_RETRIES = 25;

/** Audit events and chain heads are written by `audit()` and `commit()` only: never put, never removed. */
function appendOnly(entity: EntityName): void {
  if (entity === ENTITY.audit || entity === ENTITY.auditChain) throw new Error(`${entity} rows are append-only: write them with Changes.audit()`);
}

/**
 * A set of row writes committed together by `kvs.transact()`. Each row is written with `version + 1` under
 * the condition that its stored version is still the one read (or that it does not exist yet); the audit
 * events go in the same transaction, so a change and its record commit or fail together.
 */
export class Changes {
  private readonly sets: PendingSet[] = [];
  private readonly audits: AuditEvent[] = [];
  private readonly deletes: { entity: EntityName; key: string; expectedVersion: number }[] = [];
  private readonly plainDeletes: string[] = [];
  private readonly companions: { entity: EntityName; key: string; value: Record<string, unknown> }[] = [];

  /** Writes `doc` with `attrs` as the row at `key`, expecting the stored version to be `expectedVersion`. */
  put(entity: EntityName, key: string, attrs: Attrs, doc: unknown, expectedVersion: number | null): number {
    appendOnly(entity);
    const version = (expectedVersion ?? 0) + 1;
    const value: Record<string, unknown> = { version, doc };
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined) continue;
      if (typeof v === 'string' && v.trim() === '') continue;
      value[k] = v;
    }
    if (this.sets.some((s) => s.entity === entity && s.key === key)) throw new Error(`${entity} '${key}' written twice in one change`);
    locate(entity, key);
    this.sets.push({ entity, key, value: storedValue(entity, value), expectedVersion });
    return version;
  }

  /**
   * Writes a companion row without a version condition: only beside a version-checked `put` of the row it
   * belongs to, in the same change, so that the owner's condition guards both (one commits only with the other).
   */
  putCompanion(entity: EntityName, key: string, attrs: Attrs, doc: unknown): void {
    appendOnly(entity);
    if (this.sets.some((s) => s.entity === entity && s.key === key) || this.companions.some((c) => c.entity === entity && c.key === key)) {
      throw new Error(`${entity} '${key}' written twice in one change`);
    }
    const value: Record<string, unknown> = { version: 1, doc };
    for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '')) value[k] = v;
    locate(entity, key);
    this.companions.push({ entity, key, value: storedValue(entity, value) });
  }

  /** Deletes the row at `key`, expecting its stored version to be `expectedVersion`. */
  remove(entity: EntityName, key: string, expectedVersion: number): void {
    appendOnly(entity);
    if (this.sets.some((s) => s.entity === entity && s.key === key) || this.deletes.some((d) => d.entity === entity && d.key === key)) {
      throw new Error(`${entity} '${key}' written twice in one change`);
    }
    locate(entity, key);
    this.deletes.push({ entity, key, expectedVersion });
  }

  /** Drops a plain KVS key (a cache) in the same transaction. */
  dropPlain(key: string): void {
    this.plainDeletes.push(key);
  }

  /**
   * Adds an audit event to this change. Its place in its chain (`seq`, `prevHash`, `hash`) is given by
   * `commit()`, which reads the chain head and writes it in the same transaction; the returned event is
   * complete once the commit succeeded.
   */
  audit(input: AuditInput): AuditEvent {
    const unknown = [...new Set([...unregisteredAuditFields(input.before), ...unregisteredAuditFields(input.after)])];
    if (unknown.length > 0) throw new Error(`audit action '${input.action}': fields not in AUDIT_FIELDS (domain/audit.ts): ${unknown.join(', ')}`);
    const event: AuditEvent = auditEventSchema.parse({
      id: `${Math.floor(input.at)}-${newId()}`,
      projectId: input.projectId,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      action: input.action,
      actorAccountId: input.actorAccountId,
      at: input.at,
      before: auditValuesOf(input.before),
      after: auditValuesOf(input.after),
      chainId: auditChainId(input.subjectType, input.subjectId),
      seq: 1,
      prevHash: AUDIT_GENESIS,
      hash: AUDIT_GENESIS,
    });
    this.audits.push(event);
    return event;
  }

  /** Distinct chains this change appends to: each costs one more operation (its head). */
  private chainIds(): string[] {
    return [...new Set(this.audits.map((a) => a.chainId))];
  }

  get size(): number {
    return this.sets.length + this.companions.length + this.audits.length + this.chainIds().length + this.deletes.length + this.plainDeletes.length;
  }

  private async readHeads(): Promise<Map<string, Row<AuditChainHead> | null>> {
    const ids = this.chainIds();
    if (ids.length === 0) return new Map();
    const rows = await getMany(ids.map((chainId) => ({ entity: ENTITY.auditChain, key: chainKey(chainId), schema: auditChainHeadSchema })));
    return new Map(ids.map((chainId, i) => [chainId, rows[i] ?? null]));
  }

  /**
   * Commits everything in one transaction. The audit events are appended to their chains there too: each
   * chain head is written under the condition that it is still the one read, so two writers can never both
   * append after the same event. When the only thing that moved is a chain head (another writer's event on
   * the same release), the events are re-chained on the new head and the commit retried; any other conflict
   * is the caller's `ConflictError`.
   */
  async commit(): Promise<void> {
    if (this.size === 0) return;
    if (this.size > MAX_TRANSACTION_OPS) throw new StorageLimitError(`A change may write at most ${MAX_TRANSACTION_OPS} records`);
    for (const s of this.sets) {
      if (Buffer.byteLength(JSON.stringify(s.value)) > MAX_ROW_BYTES) throw new StorageLimitError(`${s.entity} '${s.key}' is too large to store`);
    }
    let heads = await this.readHeads();
    for (let attempt = 0; ; attempt++) {
      try {
        await this.transaction(heads).execute();
        return;
      } catch (err) {
        if (!(err instanceof ForgeKvsAPIError && err.code === 'CONDITION_CHECK_FAILED')) throw err;
        if (this.audits.length === 0 || attempt >= CHAIN_RETRIES) throw new ConflictError();
        const again = await this.readHeads();
        const moved = [...again].some(([chainId, row]) => (row?.version ?? 0) !== (heads.get(chainId)?.version ?? 0));
        if (!moved) throw new ConflictError();
        heads = again;
      }
    }
  }

  private transaction(heads: Map<string, Row<AuditChainHead> | null>) {
    let tx = kvs.transact();
    for (const s of this.sets) {
      const conditions =
        s.expectedVersion === null
          ? new Filter<Record<string, unknown>>().and('version', FilterConditions.notExists())
          : new Filter<Record<string, unknown>>().and('version', FilterConditions.equalTo(s.expectedVersion));
      const at = locate(s.entity, s.key);
      tx = tx.set(at.key, s.value, { entityName: at.entity, conditions });
    }
    for (const c of this.companions) {
      if (Buffer.byteLength(JSON.stringify(c.value)) > MAX_ROW_BYTES) throw new StorageLimitError(`${c.entity} '${c.key}' is too large to store`);
      const at = locate(c.entity, c.key);
      tx = tx.set(at.key, c.value, { entityName: at.entity });
    }
    for (const d of this.deletes) {
      const at = locate(d.entity, d.key);
      tx = tx.delete(at.key, { entityName: at.entity, conditions: new Filter<Record<string, unknown>>().and('version', FilterConditions.equalTo(d.expectedVersion)) });
    }
    for (const key of this.plainDeletes) tx = tx.delete(key);
    const tips = new Map<string, { seq: number; hash: string }>();
    for (const [chainId, row] of heads) tips.set(chainId, { seq: row?.doc.seq ?? 0, hash: row?.doc.hash ?? AUDIT_GENESIS });
    for (const a of this.audits) {
      const tip = tips.get(a.chainId) ?? { seq: 0, hash: AUDIT_GENESIS };
      a.seq = tip.seq + 1;
      a.prevHash = tip.hash;
      a.hash = sha256Hex(auditHashInput(a));
      tips.set(a.chainId, { seq: a.seq, hash: a.hash });
      const row: Record<string, unknown> = {
        projectId: a.projectId,
        subjectId: a.subjectId,
        actorAccountId: a.actorAccountId,
        action: a.action,
        at: a.at,
        chainId: a.chainId,
        seq: a.seq,
        version: 1,
        doc: a,
      };
      // Never overwritten: the audit trail is append-only.
      tx = tx.set(a.id, row, { entityName: ENTITY.audit, conditions: new Filter<Record<string, unknown>>().and('version', FilterConditions.notExists()) });
    }
    for (const [chainId, row] of heads) {
      const tip = tips.get(chainId) as { seq: number; hash: string };
      const projectId = this.audits.find((a) => a.chainId === chainId)?.projectId as string;
      const at = Math.max(...this.audits.filter((a) => a.chainId === chainId).map((a) => a.at));
      const head: AuditChainHead = { chainId, projectId, seq: tip.seq, hash: tip.hash, updatedAt: at };
      const conditions = row
        ? new Filter<Record<string, unknown>>().and('version', FilterConditions.equalTo(row.version))
        : new Filter<Record<string, unknown>>().and('version', FilterConditions.notExists());
      const headRow: Record<string, unknown> = { projectId, chainId, version: (row?.version ?? 0) + 1, doc: head };
      tx = tx.set(chainKey(chainId), headRow, { entityName: ENTITY.auditChain, conditions });
    }
    return tx;
  }
}
