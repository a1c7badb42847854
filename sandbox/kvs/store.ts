import type Database from 'better-sqlite3';
import type { EntityAttributeDecl, EntityDecl } from '../manifest';
import type { KvsBackend, KvsResponse } from '../runtime/backends';
import { filterAccepts, parseCondition, parseFilters, type Condition, type FilterSet } from './conditions';
import { decodeCursor, encodeCursor, encodePartition, encodeRange, isScalar, prefixUpperBound, type Scalar } from './encoding';
import { KvsError, KvsErrorCode as C, badRequest } from './errors';
import {
  attributeTypeError,
  checkEntityName,
  expiryFrom,
  isRec,
  LIMITS,
  optionsOf,
  requireKey,
  serialiseValue,
  type Rec,
} from './validate';

export { KvsError, KvsErrorCode } from './errors';
export { LIMITS as KVS_LIMITS } from './validate';

/**
 * The local Key-Value Store and Custom Entity Store: every request `@forge/kvs` sends under `/api/v1/...`,
 * served from SQLite with Forge's documented semantics (storage-reference/*, limits-kvs-ce).
 *
 * Storage layout:
 * - `kvs_items(ns, key, value, created_at, updated_at, expire_at)` holds plain KVS values (ns `kvs`), secrets
 *   (ns `secret`) and custom entities (ns `entity:<name>`), keyed by (ns, key) — key order is the `by-key` index.
 * - `kvs_index(ns, idx, part, rng, key)` holds one row per entity per custom index: `part` is the exact
 *   partition values, `rng` an order-preserving binary encoding of the range value (see encoding.ts). Its
 *   primary key is the index itself, so a query page is one seek plus `limit` steps, whatever the entity count.
 * Entity writes maintain their index rows in the same SQLite transaction.
 */

interface ItemRow {
  key: string;
  value: string;
  created_at: number;
  updated_at: number;
  expire_at: number | null;
}

interface IndexRow extends ItemRow {
  rng: Buffer;
}

type AttrType = EntityAttributeDecl['type'];

interface IndexPlan {
  name: string;
  partition: { attr: string; type: AttrType }[];
  range: { attr: string; type: AttrType };
}

interface EntityPlan {
  name: string;
  ns: string;
  attributes: Record<string, EntityAttributeDecl>;
  indexes: Map<string, IndexPlan>;
}

interface Target {
  ns: string;
  entity?: EntityPlan;
  maxBytes: number;
}

interface Bound {
  value: Buffer | string;
  inclusive: boolean;
}

const KEY_INDEX = 'by-key';
const KVS_NS = 'kvs';
const SECRET_NS = 'secret';
const MAX_CODEPOINT = String.fromCodePoint(0x10ffff);

const ok = (body?: unknown): KvsResponse => (body === undefined ? { status: 204 } : { status: 200, body });

function metadataFields(options: Rec | undefined, field = 'metadataFields'): Set<string> {
  const f = options?.[field];
  return new Set(Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : []);
}

function present(row: ItemRow, fields: Set<string> | 'all'): Rec {
  const out: Rec = { key: row.key, value: JSON.parse(row.value) as unknown };
  if (fields === 'all' || fields.has('CREATED_AT')) out.createdAt = row.created_at;
  if (fields === 'all' || fields.has('UPDATED_AT')) out.updatedAt = row.updated_at;
  if ((fields === 'all' || fields.has('EXPIRE_TIME')) && row.expire_at !== null) out.expireTime = new Date(row.expire_at).toISOString();
  return out;
}

function rangeBytes(v: Scalar): number {
  return typeof v === 'string' ? Buffer.byteLength(v) : typeof v === 'number' ? 8 : 1;
}

export class KvsStore implements KvsBackend {
  /** The store's clock (ms since epoch). Replaceable so that TTL expiry can be observed without waiting. */
  clock: () => number = () => Date.now();

  private readonly entities = new Map<string, EntityPlan>();
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    entities: EntityDecl[],
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS kvs_items (
        ns TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        expire_at INTEGER,
        PRIMARY KEY (ns, key)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS kvs_index (
        ns TEXT NOT NULL,
        idx TEXT NOT NULL,
        part TEXT NOT NULL,
        rng BLOB NOT NULL,
        key TEXT NOT NULL,
        PRIMARY KEY (ns, idx, part, rng, key)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS kvs_index_meta (
        ns TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
    for (const decl of entities) this.entities.set(decl.name, this.plan(decl));
    for (const plan of this.entities.values()) this.ensureIndexes(plan);
  }

  handle(path: string, body: unknown): KvsResponse {
    try {
      return this.route(path, body);
    } catch (err) {
      if (err instanceof KvsError) return { status: err.status, body: { code: err.code, message: err.message } };
      return { status: 500, body: { code: 'INTERNAL_SERVER_ERROR', message: err instanceof Error ? err.message : String(err) } };
    }
  }

  // ---------------------------------------------------------------- routing

  private route(path: string, body: unknown): KvsResponse {
    const p = path.replace(/^\/api\/v1/, '').replace(/\?.*$/, '');
    if (p === '/batch/set') return this.batchSet(body);
    if (p === '/batch/get') return this.batchGet(body);
    if (p === '/batch/delete') return this.batchDelete(body);
    if (!isRec(body)) throw badRequest(C.BAD_REQUEST, 'Provided request body is invalid');
    switch (p) {
      case '/get':
        return this.get(this.kvsTarget(), body, false);
      case '/set':
        return this.set(this.kvsTarget(), body);
      case '/delete':
        return this.delete(this.kvsTarget(), body, false);
      case '/query':
        return this.queryKvs(body);
      case '/secret/get':
        return this.get(this.secretTarget(), body, false);
      case '/secret/set':
        return this.set(this.secretTarget(), body);
      case '/secret/delete':
        return this.delete(this.secretTarget(), body, false);
      case '/entity/get':
        return this.get(this.entityTarget(body.entityName), body, true);
      case '/entity/set':
        return this.set(this.entityTarget(body.entityName), body);
      case '/entity/delete':
        return this.delete(this.entityTarget(body.entityName), body, true);
      case '/entity/query':
        return this.queryEntity(body);
      case '/transaction':
        return this.transaction(body);
      default:
        throw new KvsError(404, C.NOT_FOUND, `No KVS endpoint ${path}`);
    }
  }

  // ---------------------------------------------------------------- targets and plans

  private plan(decl: EntityDecl): EntityPlan {
    const typeOf = (attr: string): AttrType => {
      const a = decl.attributes[attr];
      if (!a) throw new Error(`manifest: entity '${decl.name}' indexes undeclared attribute '${attr}'`);
      return a.type;
    };
    const indexes = new Map<string, IndexPlan>();
    for (const idx of decl.indexes) {
      const rangeAttr = idx.range[0];
      if (rangeAttr === undefined) throw new Error(`manifest: index '${idx.name}' of entity '${decl.name}' has no range attribute`);
      indexes.set(idx.name, {
        name: idx.name,
        partition: (idx.partition ?? []).map((attr) => ({ attr, type: typeOf(attr) })),
        range: { attr: rangeAttr, type: typeOf(rangeAttr) },
      });
    }
    return { name: decl.name, ns: `entity:${decl.name}`, attributes: decl.attributes, indexes };
  }

  private kvsTarget(): Target {
    return { ns: KVS_NS, maxBytes: LIMITS.valueBytes };
  }

  private secretTarget(): Target {
    return { ns: SECRET_NS, maxBytes: LIMITS.secretValueBytes };
  }

  private entityTarget(entityName: unknown): Target {
    const name = checkEntityName(entityName);
    const entity = this.entities.get(name);
    if (!entity) throw badRequest(C.INVALID_ENTITY_TYPE, `Entity '${name}' is not declared in the app's manifest`);
    return { ns: entity.ns, entity, maxBytes: LIMITS.valueBytes };
  }

  private targetFor(entityName: unknown): Target {
    return entityName === undefined || entityName === null ? this.kvsTarget() : this.entityTarget(entityName);
  }

  // ---------------------------------------------------------------- SQL

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private row(ns: string, key: string): ItemRow | undefined {
    return this.stmt('SELECT key, value, created_at, updated_at, expire_at FROM kvs_items WHERE ns = ? AND key = ?').get(ns, key) as
      | ItemRow
      | undefined;
  }

  private live(row: ItemRow | undefined, now: number): row is ItemRow {
    return row !== undefined && (row.expire_at === null || row.expire_at > now);
  }

  private indexEntries(plan: EntityPlan, value: Rec): { idx: string; part: string; rng: Buffer }[] {
    const out: { idx: string; part: string; rng: Buffer }[] = [];
    for (const index of plan.indexes.values()) {
      const r = value[index.range.attr];
      if (!isScalar(r)) continue; // an entity without the indexed attributes is not in the index
      const parts: Scalar[] = [];
      for (const p of index.partition) {
        const v = value[p.attr];
        if (!isScalar(v)) break;
        parts.push(v);
      }
      if (parts.length !== index.partition.length) continue;
      out.push({ idx: index.name, part: encodePartition(parts), rng: encodeRange(r) });
    }
    return out;
  }

  private writeIndexes(plan: EntityPlan, key: string, oldValue: Rec | undefined, newValue: Rec | undefined): void {
    if (plan.indexes.size === 0) return;
    const del = this.stmt('DELETE FROM kvs_index WHERE ns = ? AND idx = ? AND part = ? AND rng = ? AND key = ?');
    const ins = this.stmt('INSERT OR REPLACE INTO kvs_index (ns, idx, part, rng, key) VALUES (?, ?, ?, ?, ?)');
    if (oldValue) for (const e of this.indexEntries(plan, oldValue)) del.run(plan.ns, e.idx, e.part, e.rng, key);
    if (newValue) for (const e of this.indexEntries(plan, newValue)) ins.run(plan.ns, e.idx, e.part, e.rng, key);
  }

  /** Rebuilds an entity's index rows when its declared indexes changed (as `forge deploy` re-indexes). */
  private ensureIndexes(plan: EntityPlan): void {
    const fingerprint = JSON.stringify([...plan.indexes.values()]);
    const current = this.db.prepare('SELECT fingerprint FROM kvs_index_meta WHERE ns = ?').get(plan.ns) as { fingerprint: string } | undefined;
    if (current?.fingerprint === fingerprint) return;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM kvs_index WHERE ns = ?').run(plan.ns);
      const rows = this.db.prepare('SELECT key, value FROM kvs_items WHERE ns = ?').iterate(plan.ns) as IterableIterator<{ key: string; value: string }>;
      for (const r of rows) {
        const v: unknown = JSON.parse(r.value);
        if (isRec(v)) this.writeIndexes(plan, r.key, undefined, v);
      }
      this.db.prepare('INSERT OR REPLACE INTO kvs_index_meta (ns, fingerprint) VALUES (?, ?)').run(plan.ns, fingerprint);
    })();
  }

  // ---------------------------------------------------------------- entity values

  private checkEntityValue(plan: EntityPlan, value: unknown): Rec {
    if (!isRec(value)) throw badRequest(C.INVALID_ENTITY_VALUE, `Values of entity '${plan.name}' must be objects`);
    const names = Object.keys(value).filter((k) => value[k] !== undefined);
    if (names.length > LIMITS.attributesPerEntity) {
      throw badRequest(C.INVALID_ENTITY_VALUE, `An entity can have at most ${LIMITS.attributesPerEntity} attributes`);
    }
    for (const name of names) {
      const decl = plan.attributes[name];
      if (!decl) throw badRequest(C.INVALID_ENTITY_ATTRIBUTE, `Attribute '${name}' is not declared for entity '${plan.name}'`);
      const err = attributeTypeError(decl.type, value[name]);
      if (err) throw badRequest(C.INVALID_ENTITY_VALUE, `Attribute '${name}' of entity '${plan.name}' ${err} (declared ${decl.type})`);
    }
    for (const index of plan.indexes.values()) {
      const r = value[index.range.attr];
      if (isScalar(r) && rangeBytes(r) > LIMITS.rangeBytes) {
        throw badRequest(C.INVALID_ENTITY_VALUE, `Range values of index '${index.name}' cannot exceed ${LIMITS.rangeBytes} bytes`);
      }
      let partBytes = 0;
      for (const p of index.partition) {
        const v = value[p.attr];
        if (isScalar(v)) partBytes += rangeBytes(v);
      }
      if (partBytes > LIMITS.partitionBytes) {
        throw badRequest(C.INVALID_ENTITY_VALUE, `Partition values of index '${index.name}' cannot exceed ${LIMITS.partitionBytes} bytes`);
      }
    }
    return value;
  }

  // ---------------------------------------------------------------- get / set / delete

  private get(target: Target, body: Rec, forEntity: boolean): KvsResponse {
    const key = requireKey(body.key, forEntity);
    const row = this.row(target.ns, key);
    if (!this.live(row, this.clock())) throw new KvsError(404, C.KEY_NOT_FOUND, 'Provided key does not exist');
    return ok(present(row, 'all'));
  }

  /** One write, validated and applied (index rows included) in the caller's transaction. */
  private write(target: Target, key: string, value: unknown, options: Rec | undefined, now: number): { previous?: ItemRow; latest: ItemRow } {
    const checked = target.entity ? this.checkEntityValue(target.entity, value) : value;
    const text = serialiseValue(checked, target.maxBytes);
    const expireAt = expiryFrom(options, now);
    const policy = options?.keyPolicy;
    if (policy !== undefined && policy !== 'OVERRIDE' && policy !== 'FAIL_IF_EXISTS') {
      throw badRequest(C.BAD_REQUEST, `Unknown keyPolicy '${String(policy)}'`);
    }
    const old = this.row(target.ns, key);
    const oldLive = this.live(old, now);
    if (policy === 'FAIL_IF_EXISTS' && oldLive) throw new KvsError(409, C.KEY_ALREADY_EXISTS, `Key '${key}' already exists`);
    const latest: ItemRow = { key, value: text, created_at: oldLive ? old.created_at : now, updated_at: now, expire_at: expireAt };
    this.stmt(
      'INSERT INTO kvs_items (ns, key, value, created_at, updated_at, expire_at) VALUES (?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at, ' +
        'updated_at = excluded.updated_at, expire_at = excluded.expire_at',
    ).run(target.ns, key, text, latest.created_at, now, expireAt);
    if (target.entity) {
      const oldValue: unknown = old ? JSON.parse(old.value) : undefined;
      this.writeIndexes(target.entity, key, isRec(oldValue) ? oldValue : undefined, checked as Rec);
    }
    return { ...(oldLive ? { previous: old } : {}), latest };
  }

  private remove(target: Target, key: string): void {
    if (target.entity) {
      const old = this.row(target.ns, key);
      if (!old) return;
      const oldValue: unknown = JSON.parse(old.value);
      this.writeIndexes(target.entity, key, isRec(oldValue) ? oldValue : undefined, undefined);
    }
    this.stmt('DELETE FROM kvs_items WHERE ns = ? AND key = ?').run(target.ns, key);
  }

  private set(target: Target, body: Rec): KvsResponse {
    const key = requireKey(body.key, target.entity !== undefined);
    const options = optionsOf(body);
    const returnValue = options?.returnValue;
    if (returnValue !== undefined && returnValue !== 'LATEST' && returnValue !== 'PREVIOUS') {
      throw badRequest(C.BAD_REQUEST, `Unknown returnValue '${String(returnValue)}'`);
    }
    if (returnValue !== undefined && options?.keyPolicy === 'FAIL_IF_EXISTS') {
      throw badRequest(C.BAD_REQUEST, "returnValue requires keyPolicy 'OVERRIDE'");
    }
    const result = this.db.transaction(() => this.write(target, key, body.value, options, this.clock()))();
    if (returnValue === undefined) return ok();
    const row = returnValue === 'LATEST' ? result.latest : result.previous;
    return row ? ok(present(row, 'all')) : ok();
  }

  private delete(target: Target, body: Rec, forEntity: boolean): KvsResponse {
    const key = requireKey(body.key, forEntity);
    this.db.transaction(() => this.remove(target, key))();
    return ok();
  }

  // ---------------------------------------------------------------- queries

  private pageLimit(raw: unknown, code: typeof C.LIST_QUERY_LIMIT_EXCEEDED | typeof C.COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE): number {
    if (raw === undefined || raw === null) return LIMITS.queryDefaultLimit;
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > LIMITS.queryMaxLimit) {
      throw badRequest(code, `The page limit must be set between 1 and ${LIMITS.queryMaxLimit}`);
    }
    return raw;
  }

  /** Key-ordered page over kvs_items (plain KVS queries and the entities' `by-key` index). */
  private keyPage(ns: string, lo: Bound | undefined, hi: Bound | undefined, after: string | undefined, desc: boolean, limit: number): ItemRow[] {
    // A cursor is always inside the bounds: it replaces the bound on its side, so SQLite seeks straight to it.
    if (after !== undefined) {
      if (desc) hi = undefined;
      else lo = undefined;
    }
    const where = ['ns = @ns', '(expire_at IS NULL OR expire_at > @now)'];
    if (lo) where.push(`key ${lo.inclusive ? '>=' : '>'} @lo`);
    if (hi) where.push(`key ${hi.inclusive ? '<=' : '<'} @hi`);
    if (after !== undefined) where.push(`key ${desc ? '<' : '>'} @after`);
    const sql = `SELECT key, value, created_at, updated_at, expire_at FROM kvs_items WHERE ${where.join(' AND ')} ORDER BY key ${desc ? 'DESC' : 'ASC'} LIMIT @limit`;
    const params: Rec = { ns, now: this.clock(), limit };
    if (lo) params.lo = lo.value;
    if (hi) params.hi = hi.value;
    if (after !== undefined) params.after = after;
    return this.stmt(sql).all(params) as ItemRow[];
  }

  private queryKvs(body: Rec): KvsResponse {
    const limit = this.pageLimit(body.limit, C.LIST_QUERY_LIMIT_EXCEEDED);
    let lo: Bound | undefined;
    let hi: Bound | undefined;
    if (body.where !== undefined && body.where !== null) {
      if (!Array.isArray(body.where) || body.where.length !== 1) {
        throw badRequest(C.QUERY_WHERE_INVALID, 'KVS queries should contain only a single "where" clause');
      }
      const w: unknown = body.where[0];
      if (!isRec(w) || w.property !== 'key') throw badRequest(C.QUERY_WHERE_FIELD_INVALID, 'KVS queries can only target the key field');
      if (w.condition !== 'BEGINS_WITH') throw badRequest(C.INVALID_FILTER_CONDITION, 'The only condition the Key-Value Store supports is beginsWith');
      const values = w.values;
      if (!Array.isArray(values) || values.length !== 1 || typeof values[0] !== 'string') {
        throw badRequest(C.INVALID_FILTER_VALUES, 'beginsWith takes one string value');
      }
      lo = { value: values[0], inclusive: true };
      hi = { value: values[0] + MAX_CODEPOINT, inclusive: false };
    }
    const after = body.after === undefined || body.after === null ? undefined : decodeCursor(body.after, '').k;
    const rows = this.keyPage(KVS_NS, lo, hi, after, false, limit + 1);
    const page = rows.slice(0, limit);
    const fields = metadataFields(optionsOf(body));
    const last = page[page.length - 1];
    return ok({
      data: page.map((r) => present(r, fields)),
      ...(rows.length > limit && last ? { cursor: encodeCursor({ i: '', k: last.key }) } : {}),
    });
  }

  private queryEntity(body: Rec): KvsResponse {
    const target = this.entityTarget(body.entityName);
    const plan = target.entity as EntityPlan;
    const indexName = body.indexName;
    if (typeof indexName !== 'string' || indexName === '') throw badRequest(C.INVALID_ENTITY_INDEX, 'A query needs an index');
    const index = indexName === KEY_INDEX ? undefined : plan.indexes.get(indexName);
    if (indexName !== KEY_INDEX && !index) {
      throw badRequest(C.INVALID_ENTITY_INDEX, `Entity '${plan.name}' has no index '${indexName}'`);
    }
    const limit = this.pageLimit(body.limit, C.COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE);
    const sort = body.sort ?? 'ASC';
    if (sort !== 'ASC' && sort !== 'DESC') throw badRequest(C.BAD_REQUEST, `sort must be ASC or DESC`);
    const desc = sort === 'DESC';

    // partition: one value per declared partition attribute, in declared order
    const partitionDecl = index?.partition ?? [];
    const partition = body.partition === undefined || body.partition === null ? [] : body.partition;
    if (!Array.isArray(partition) || partition.length !== partitionDecl.length) {
      throw badRequest(C.INVALID_PARTITION, `Index '${indexName}' needs ${partitionDecl.length} partition value(s), in declared order`);
    }
    const partValues: Scalar[] = partition.map((v: unknown, i) => {
      const decl = partitionDecl[i];
      if (!decl || !isScalar(v) || attributeTypeError(decl.type, v) !== undefined) {
        throw badRequest(C.INVALID_PARTITION, `Partition value ${JSON.stringify(v)} does not match attribute '${decl?.attr ?? '?'}'`);
      }
      return v;
    });

    // where: one condition on the index range
    const rangeType: AttrType = index ? index.range.type : 'string';
    const rangeAttr = index ? index.range.attr : 'key';
    const range: Condition | undefined =
      body.range === undefined || body.range === null ? undefined : parseCondition(body.range, rangeAttr, rangeType, true);
    const filters: FilterSet | undefined = parseFilters(body.filters, plan.attributes);
    if ((filters?.items.length ?? 0) + (range ? 1 : 0) > LIMITS.queryMaxConditions) {
      throw badRequest(C.TOO_MANY_CONDITIONS, `A query can have at most ${LIMITS.queryMaxConditions} conditions`);
    }
    const fields = metadataFields(optionsOf(body));

    let rows: (ItemRow & { rng?: Buffer })[];
    let cursorFor: (r: ItemRow & { rng?: Buffer }) => string;
    const cursorIndex = `${plan.name}/${indexName}/${sort}`;
    if (!index) {
      const [lo, hi] = this.bounds(range, (v) => String(v), (p) => p + MAX_CODEPOINT);
      const after = body.cursor === undefined || body.cursor === null ? undefined : decodeCursor(body.cursor, cursorIndex).k;
      rows = this.keyPage(plan.ns, lo, hi, after, desc, limit + 1);
      cursorFor = (r) => encodeCursor({ i: cursorIndex, k: r.key });
    } else {
      const [lo, hi] = this.bounds(range, encodeRange, prefixUpperBound);
      let after: { rng: Buffer; key: string } | undefined;
      if (body.cursor !== undefined && body.cursor !== null) {
        const c = decodeCursor(body.cursor, cursorIndex);
        if (c.r === undefined) throw badRequest(C.INVALID_CURSOR, 'The provided cursor is invalid');
        after = { rng: Buffer.from(c.r, 'hex'), key: c.k };
      }
      rows = this.indexPage(plan.ns, index.name, encodePartition(partValues), lo, hi, after, desc, limit + 1);
      cursorFor = (r) => encodeCursor({ i: cursorIndex, r: (r.rng ?? Buffer.alloc(0)).toString('hex'), k: r.key });
    }
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    // Filters are applied in memory after the index read: a page may come back empty and still carry a cursor.
    const data: Rec[] = [];
    for (const r of page) {
      const out = present(r, fields);
      if (!filters || filterAccepts(filters, isRec(out.value) ? out.value : undefined)) data.push(out);
    }
    return ok({ data, ...(rows.length > limit && last ? { cursor: cursorFor(last) } : {}) });
  }

  private bounds<T extends Buffer | string>(
    range: Condition | undefined,
    enc: (v: Scalar) => T,
    prefixHi: (p: string) => T,
  ): [Bound | undefined, Bound | undefined] {
    if (!range) return [undefined, undefined];
    const [a, b] = range.values as [Scalar, Scalar | undefined];
    switch (range.condition) {
      case 'EQUAL_TO':
        return [{ value: enc(a), inclusive: true }, { value: enc(a), inclusive: true }];
      case 'BEGINS_WITH':
        return [{ value: enc(a), inclusive: true }, { value: prefixHi(String(a)), inclusive: false }];
      case 'BETWEEN':
        return [{ value: enc(a), inclusive: true }, { value: enc(b as Scalar), inclusive: true }];
      case 'GREATER_THAN':
        return [{ value: enc(a), inclusive: false }, undefined];
      case 'GREATER_THAN_EQUAL_TO':
        return [{ value: enc(a), inclusive: true }, undefined];
      case 'LESS_THAN':
        return [undefined, { value: enc(a), inclusive: false }];
      case 'LESS_THAN_EQUAL_TO':
        return [undefined, { value: enc(a), inclusive: true }];
      default:
        throw badRequest(C.INVALID_FILTER_CONDITION, `Unsupported where condition ${range.condition}`);
    }
  }

  /** One page of a custom index: a seek on (ns, idx, part, rng, key), then `limit` steps. */
  private indexPage(
    ns: string,
    idx: string,
    part: string,
    lo: Bound | undefined,
    hi: Bound | undefined,
    after: { rng: Buffer; key: string } | undefined,
    desc: boolean,
    limit: number,
  ): IndexRow[] {
    // A cursor is always inside the bounds: it replaces the bound on its side, so SQLite seeks straight to it
    // (with both, SQLite would seek to the bound and step over every entry up to the cursor).
    if (after) {
      if (desc) hi = undefined;
      else lo = undefined;
    }
    const where = ['e.ns = @ns', 'e.idx = @idx', 'e.part = @part'];
    if (lo) where.push(`e.rng ${lo.inclusive ? '>=' : '>'} @lo`);
    if (hi) where.push(`e.rng ${hi.inclusive ? '<=' : '<'} @hi`);
    if (after) where.push(`(e.rng, e.key) ${desc ? '<' : '>'} (@arng, @akey)`);
    where.push('(i.expire_at IS NULL OR i.expire_at > @now)');
    const dir = desc ? 'DESC' : 'ASC';
    const sql =
      'SELECT e.key AS key, e.rng AS rng, i.value AS value, i.created_at AS created_at, i.updated_at AS updated_at, i.expire_at AS expire_at ' +
      'FROM kvs_index e JOIN kvs_items i ON i.ns = e.ns AND i.key = e.key ' +
      `WHERE ${where.join(' AND ')} ORDER BY e.rng ${dir}, e.key ${dir} LIMIT @limit`;
    const params: Rec = { ns, idx, part, now: this.clock(), limit };
    if (lo) params.lo = lo.value;
    if (hi) params.hi = hi.value;
    if (after) {
      params.arng = after.rng;
      params.akey = after.key;
    }
    return this.stmt(sql).all(params) as IndexRow[];
  }

  /** For benchmarks and tests: the SQLite plan of an index page, to show it is a seek. */
  explainIndexPage(entityName: string, indexName: string): string[] {
    const plan = this.entities.get(entityName);
    if (!plan) throw new Error(`no entity ${entityName}`);
    const sql =
      'EXPLAIN QUERY PLAN SELECT e.key, i.value FROM kvs_index e JOIN kvs_items i ON i.ns = e.ns AND i.key = e.key ' +
      'WHERE e.ns = @ns AND e.idx = @idx AND e.part = @part AND (e.rng, e.key) > (@arng, @akey) AND e.rng <= @hi ' +
      'AND (i.expire_at IS NULL OR i.expire_at > @now) ORDER BY e.rng, e.key LIMIT 20';
    const rows = this.db.prepare(sql).all({ ns: plan.ns, idx: indexName, part: '[]', hi: Buffer.alloc(1), arng: Buffer.alloc(1), akey: '', now: 0 }) as { detail: string }[];
    return rows.map((r) => r.detail);
  }

  // ---------------------------------------------------------------- batches

  private batchItems(body: unknown): Rec[] {
    if (!Array.isArray(body)) throw badRequest(C.BAD_REQUEST, 'A batch request is a list of items');
    if (body.length === 0) throw badRequest(C.BATCH_EMPTY, 'A batch operation must contain at least one key');
    if (body.length > LIMITS.batchMaxItems) throw badRequest(C.BATCH_LIMIT_EXCEEDED, `A batch operation can contain at most ${LIMITS.batchMaxItems} keys`);
    if (Buffer.byteLength(JSON.stringify(body)) > LIMITS.payloadBytes) throw badRequest(C.PAYLOAD_TOO_LARGE, 'A batch operation is limited to 4MB');
    const seen = new Set<string>();
    return body.map((item: unknown) => {
      if (!isRec(item)) throw badRequest(C.BAD_REQUEST, 'Batch items must be objects');
      const id = JSON.stringify([item.entityName ?? null, item.key]);
      if (seen.has(id)) throw badRequest(C.DUPLICATE_KEYS, `Key '${String(item.key)}' appears more than once in the batch`);
      seen.add(id);
      return item;
    });
  }

  private batchRun(body: unknown, each: (item: Rec, target: Target, key: string) => Rec | undefined): KvsResponse {
    const items = this.batchItems(body);
    const successfulKeys: Rec[] = [];
    const failedKeys: Rec[] = [];
    this.db.transaction(() => {
      for (const item of items) {
        const id: Rec = { key: item.key, ...(typeof item.entityName === 'string' ? { entityName: item.entityName } : {}) };
        try {
          const target = this.targetFor(item.entityName);
          const key = requireKey(item.key, target.entity !== undefined);
          // each item in its own savepoint: one failure leaves the others applied
          const extra = this.db.transaction(() => each(item, target, key))();
          successfulKeys.push({ ...id, ...extra });
        } catch (err) {
          if (!(err instanceof KvsError)) throw err;
          failedKeys.push({ ...id, error: { code: err.code, message: err.message } });
        }
      }
    })();
    return ok({ successfulKeys, failedKeys });
  }

  private batchSet(body: unknown): KvsResponse {
    return this.batchRun(body, (item, target, key) => {
      const options = item.options === undefined || item.options === null ? undefined : optionsOf(item);
      this.write(target, key, item.value, options, this.clock());
      return undefined;
    });
  }

  private batchGet(body: unknown): KvsResponse {
    return this.batchRun(body, (item, target, key) => {
      const row = this.row(target.ns, key);
      if (!this.live(row, this.clock())) throw new KvsError(404, C.KEY_NOT_FOUND, 'Provided key does not exist');
      const { key: _k, ...rest } = present(row, metadataFields(optionsOf(item)));
      return rest;
    });
  }

  private batchDelete(body: unknown): KvsResponse {
    return this.batchRun(body, (_item, target, key) => {
      this.remove(target, key);
      return undefined;
    });
  }

  // ---------------------------------------------------------------- transactions

  private transaction(body: Rec): KvsResponse {
    const list = (v: unknown, what: string): Rec[] => {
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v) || !v.every(isRec)) throw badRequest(C.BAD_REQUEST, `transaction ${what} must be a list of operations`);
      return v;
    };
    const sets = list(body.set, 'set');
    const deletes = list(body.delete, 'delete');
    const checks = list(body.check, 'check');
    const total = sets.length + deletes.length + checks.length;
    if (total === 0) throw badRequest(C.TRANSACTION_EMPTY, 'A transaction needs at least one operation');
    if (total > LIMITS.transactionMaxOps) {
      throw badRequest(C.TRANSACTION_LIMIT_EXCEEDED, `Each transaction can contain a maximum of ${LIMITS.transactionMaxOps} operations`);
    }
    if (Buffer.byteLength(JSON.stringify(body)) > LIMITS.payloadBytes) throw badRequest(C.PAYLOAD_TOO_LARGE, 'Each transaction is limited to a payload size of 4MB');

    type Op = { kind: 'set' | 'delete' | 'check'; target: Target; key: string; conditions?: FilterSet; raw: Rec };
    const seen = new Set<string>();
    const ops: Op[] = [];
    const add = (kind: Op['kind'], raw: Rec): void => {
      const target = this.targetFor(raw.entityName);
      const key = requireKey(raw.key, target.entity !== undefined);
      const id = `${target.ns}\u0000${key}`;
      if (seen.has(id)) throw badRequest(C.DUPLICATE_KEYS, `Each key can only be used once in a transaction ('${key}')`);
      seen.add(id);
      let conditions: FilterSet | undefined;
      if (raw.conditions !== undefined && raw.conditions !== null) {
        if (!target.entity) throw badRequest(C.BAD_REQUEST, 'Conditions are only supported for custom entities');
        conditions = parseFilters(raw.conditions, target.entity.attributes);
      }
      if (kind === 'check' && (!target.entity || !conditions)) {
        throw badRequest(C.BAD_REQUEST, 'A transaction check needs an entityName and conditions');
      }
      ops.push({ kind, target, key, raw, ...(conditions ? { conditions } : {}) });
    };
    for (const s of sets) add('set', s);
    for (const d of deletes) add('delete', d);
    for (const c of checks) add('check', c);

    const now = this.clock();
    this.db.transaction(() => {
      // Conditions are evaluated against the state before the transaction (each key appears once).
      for (const op of ops) {
        if (!op.conditions) continue;
        const row = this.row(op.target.ns, op.key);
        const current: unknown = this.live(row, now) ? JSON.parse(row.value) : undefined;
        if (!filterAccepts(op.conditions, isRec(current) ? current : undefined)) {
          throw new KvsError(409, C.CONDITION_CHECK_FAILED, `Transaction cancelled: the condition on '${op.key}' was not met`);
        }
      }
      for (const op of ops) {
        if (op.kind === 'set') {
          const options = op.raw.options === undefined || op.raw.options === null ? undefined : optionsOf(op.raw);
          this.write(op.target, op.key, op.raw.value, options, now);
        } else if (op.kind === 'delete') {
          this.remove(op.target, op.key);
        }
      }
    })();
    return ok();
  }
}
