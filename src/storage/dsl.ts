/**
 * The Definitive Software Library in storage. Each item is a versioned `dsl-item` row; "name + version is
 * unique per project" is a `dsl-name-version` row written with a must-not-exist condition in the same
 * transaction as the item (KVS keys cannot hold arbitrary names, so the key is a digest of project, name and
 * version); history events are append-only rows (must-not-exist, never rewritten); environment versions are
 * one row per project, environment and software name.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  DSL_AUDIT_FIELDS,
  DSL_ENVIRONMENTS,
  DSL_HISTORY_TYPES,
  DSL_STATUSES,
  USAGE_REQUEST_STATUSES,
  dslNameKey,
  dslNameVersionKey,
  type DslEnvironment,
  type DslEnvironmentVersion,
  type DslHistoryEvent,
  type DslItem,
  type DslStatus,
  type UsageRequest,
  type UsageRequestStatus,
} from '../domain/dsl';
import { ENTITY, INDEX } from './entities';
import { DSL_IMPORT_JOB_STATES, DSL_IMPORT_PROBLEM_CODES } from '../contracts/dsl-csv';
import { getMany, queryIndex, type Changes, type GetRef, type Page, type PlainRef, type Row } from './store';

const id = z.string().min(1);
const ts = z.number().finite();

export const dslItemSchema: z.ZodType<DslItem> = z.object({
  id,
  projectId: id,
  name: z.string(),
  version: z.string(),
  sha256: z.string(),
  sizeBytes: z.number(),
  licence: z.string(),
  vendor: z.string(),
  storageUri: z.string(),
  mediaType: z.string(),
  status: z.enum(DSL_STATUSES),
  releaseIds: z.array(z.string()),
  fixVersionId: z.string().nullable(),
  cmdbCiRef: z.string().nullable(),
  supersedesItemId: z.string().nullable(),
  supersededByItemId: z.string().nullable(),
  registeredAt: ts,
  registeredBy: id,
  approvedAt: ts.nullable(),
  approvedBy: z.string().nullable(),
  checkedInAt: ts.nullable(),
  checkout: z
    .object({
      usageRequestId: id,
      requesterAccountId: id,
      purpose: z.string(),
      environment: z.enum(DSL_ENVIRONMENTS),
      releaseId: z.string().nullable(),
      checkedOutBy: id,
      checkedOutAt: ts,
    })
    .nullable(),
  lastAudit: z.object({ at: ts, by: id, matched: z.boolean(), differences: z.array(z.object({ field: z.string(), expected: z.string(), actual: z.string() })).optional() }).nullable(),
  retiredAt: ts.nullable(),
  retireReason: z.string().nullable(),
  importId: z.string().nullable(),
});

export const usageRequestSchema: z.ZodType<UsageRequest> = z.object({
  id,
  projectId: id,
  itemId: id,
  requesterAccountId: id,
  purpose: z.string(),
  environment: z.enum(DSL_ENVIRONMENTS),
  releaseId: z.string().nullable(),
  status: z.enum(USAGE_REQUEST_STATUSES),
  requestedAt: ts,
  decidedBy: z.string().nullable(),
  decidedAt: ts.nullable(),
  decisionNote: z.string().nullable(),
});

export const dslHistorySchema: z.ZodType<DslHistoryEvent> = z.object({
  id,
  itemId: id,
  projectId: id,
  type: z.enum(DSL_HISTORY_TYPES),
  at: ts,
  actorAccountId: id,
  usageRequestId: z.string().optional(),
  releaseId: z.string().optional(),
  environment: z.enum(DSL_ENVIRONMENTS).optional(),
  otherItemId: z.string().optional(),
  matched: z.boolean().optional(),
  differences: z.array(z.object({ field: z.string(), expected: z.string(), actual: z.string() })).optional(),
  checks: z.array(z.object({ field: z.enum(DSL_AUDIT_FIELDS), recorded: z.string(), found: z.string(), matched: z.boolean() })).optional(),
  note: z.string().optional(),
});

export const dslEnvironmentSchema: z.ZodType<DslEnvironmentVersion> = z.object({
  projectId: id,
  environment: z.enum(DSL_ENVIRONMENTS),
  name: z.string(),
  itemId: id,
  version: z.string(),
  releaseId: z.string().nullable(),
  updatedAt: ts,
  updatedBy: id,
});

const nameVersionSchema = z.object({ projectId: id, itemId: id, name: z.string(), version: z.string() });
export type DslNameVersionRow = z.infer<typeof nameVersionSchema>;

const importProblemSchema = z.object({ row: z.number().int(), column: z.string(), code: z.enum(DSL_IMPORT_PROBLEM_CODES), detail: z.string().optional() });

/**
 * One import of one file (its id is a digest of project and content). A single-request import is RUNNING
 * then COMPLETE; a chunked one is UPLOADING (chunks arriving), QUEUED (checked, handed to the consumer),
 * RUNNING (`done` of `rows` handled), then COMPLETE or FAILED. Every step is version-checked, so two
 * invocations never both advance it.
 */
export const dslImportSchema = z.object({
  id,
  projectId: id,
  rows: z.number().int(),
  written: z.number().int(),
  status: z.enum(DSL_IMPORT_JOB_STATES),
  startedAt: ts,
  startedBy: id,
  finishedAt: ts.nullable(),
  // ---- the chunked import (absent on single-request imports)
  header: z.array(z.string()).optional(),
  chunks: z.number().int().optional(),
  /** Rows of the file as sent (blank lines included, which `rows` leaves out once it is checked). */
  fileRows: z.number().int().optional(),
  /** Rows of the checked file handled by the writer (written or found written), in file order. */
  done: z.number().int().optional(),
  alreadyWritten: z.number().int().optional(),
  committedBy: z.string().optional(),
  updatedAt: ts.optional(),
  problems: z.array(importProblemSchema).max(50).optional(),
});
export type DslImportRecord = z.infer<typeof dslImportSchema>;

/** The project's import in progress: a second one is refused while it runs (see services/dsl-import.ts). */
const importLockSchema = z.object({ projectId: id, importId: id, since: ts });
export type DslImportLock = z.infer<typeof importLockSchema>;
export const dslImportLockRef = (projectId: string): GetRef<DslImportLock> => ({ entity: ENTITY.dslImport, key: `lock:${projectId}`, schema: importLockSchema });
export function putDslImportLock(changes: Changes, lock: DslImportLock, expectedVersion: number | null): void {
  // No attributes: the lock row stays out of the by-project index of imports.
  changes.put(ENTITY.dslImport, `lock:${lock.projectId}`, {}, lock, expectedVersion);
}

/** An uploaded chunk of a file: a plain KVS key with a time-to-live, so an abandoned upload expires by itself. */
const importChunkSchema = z.object({ importId: id, projectId: id, index: z.number().int(), rows: z.array(z.array(z.string())) });
export type DslImportChunk = z.infer<typeof importChunkSchema>;
export const dslImportChunkKey = (importId: string, index: number): string => `dsl-import-chunk:${importId}:${index}`;
export const dslImportChunkRef = (importId: string, index: number): PlainRef<DslImportChunk> => ({ plainKey: dslImportChunkKey(importId, index), schema: importChunkSchema });

const digest = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex');

/** The sort key of an item in the name indexes: lower-case name, then version. */
export const itemNameKey = (name: string, version: string): string => `${dslNameKey(name)} ${version.trim()}`.slice(0, 400);

export const nameVersionKey = (projectId: string, name: string, version: string): string => `nv:${projectId}:${digest(dslNameVersionKey(name, version)).slice(0, 48)}`;
export const environmentKey = (projectId: string, env: DslEnvironment, name: string): string => `env:${projectId}:${env}:${digest(dslNameKey(name)).slice(0, 40)}`;

// ------------------------------------------------------------------ refs

export const dslItemRef = (itemId: string): GetRef<DslItem> => ({ entity: ENTITY.dslItem, key: itemId, schema: dslItemSchema });
export const usageRequestRef = (requestId: string): GetRef<UsageRequest> => ({ entity: ENTITY.dslUsage, key: requestId, schema: usageRequestSchema });
export const nameVersionRef = (projectId: string, name: string, version: string): GetRef<DslNameVersionRow> => ({
  entity: ENTITY.dslNameVersion,
  key: nameVersionKey(projectId, name, version),
  schema: nameVersionSchema,
});
export const environmentRef = (projectId: string, env: DslEnvironment, name: string): GetRef<DslEnvironmentVersion> => ({
  entity: ENTITY.dslEnvironment,
  key: environmentKey(projectId, env, name),
  schema: dslEnvironmentSchema,
});
export const dslImportRef = (importId: string): GetRef<DslImportRecord> => ({ entity: ENTITY.dslImport, key: importId, schema: dslImportSchema });

/** Rows by key in as few `batchGet`s as Forge allows (25 keys each). */
export async function getRows<T>(refs: readonly GetRef<T>[]): Promise<(Row<T> | null)[]> {
  const out: (Row<T> | null)[] = [];
  for (let i = 0; i < refs.length; i += 25) {
    const chunk = refs.slice(i, i + 25);
    out.push(...((await getMany(chunk)) as (Row<T> | null)[]));
  }
  return out;
}

// ------------------------------------------------------------------ writes

export function putDslItem(changes: Changes, item: DslItem, expectedVersion: number | null, now: number): number {
  return changes.put(
    ENTITY.dslItem,
    item.id,
    { projectId: item.projectId, status: item.status, nameKey: itemNameKey(item.name, item.version), updatedAt: now },
    item,
    expectedVersion,
  );
}

/** Claims name + version for the item: fails the whole transaction if another item holds it. */
export function claimNameVersion(changes: Changes, item: DslItem): void {
  const doc: DslNameVersionRow = { projectId: item.projectId, itemId: item.id, name: item.name, version: item.version };
  changes.put(ENTITY.dslNameVersion, nameVersionKey(item.projectId, item.name, item.version), { projectId: item.projectId, nameKey: itemNameKey(item.name, item.version) }, doc, null);
}

/** Appends a history event (never rewritten: the row must not exist). */
export function appendDslHistory(changes: Changes, e: DslHistoryEvent): void {
  changes.put(ENTITY.dslHistory, e.id, { projectId: e.projectId, itemId: e.itemId, at: e.at }, e, null);
}

export function putUsageRequest(changes: Changes, r: UsageRequest, expectedVersion: number | null): void {
  changes.put(ENTITY.dslUsage, r.id, { projectId: r.projectId, itemId: r.itemId, status: r.status, requestedAt: r.requestedAt }, r, expectedVersion);
}

export function putEnvironment(changes: Changes, e: DslEnvironmentVersion, expectedVersion: number | null): void {
  changes.put(
    ENTITY.dslEnvironment,
    environmentKey(e.projectId, e.environment, e.name),
    { projectId: e.projectId, environment: e.environment, nameKey: dslNameKey(e.name).slice(0, 400) },
    e,
    expectedVersion,
  );
}

export function putDslImport(changes: Changes, r: DslImportRecord, expectedVersion: number | null): void {
  changes.put(ENTITY.dslImport, r.id, { projectId: r.projectId, startedAt: r.startedAt }, r, expectedVersion);
}

// ------------------------------------------------------------------ lists

export interface DslListOptions {
  limit?: number;
  cursor?: string;
}

const opts = (o: DslListOptions) => ({ ...(o.limit ? { limit: o.limit } : {}), ...(o.cursor ? { cursor: o.cursor } : {}) });
const prefixRange = (prefix: string) => (prefix ? { range: { from: prefix, to: `${prefix}\uffff` } } : {});

export async function dslItemsByName(projectId: string, namePrefix: string, o: DslListOptions = {}): Promise<Page<Row<DslItem>>> {
  return queryIndex({ entity: ENTITY.dslItem, index: INDEX.dslItem.byName, partition: [projectId], ...prefixRange(dslNameKey(namePrefix)), sort: 'ASC', ...opts(o) }, dslItemSchema);
}

/** The items of one software name (every version), in version-key order: the `by-name` index, its range fixed to the name. */
export async function dslItemsNamed(projectId: string, name: string, o: DslListOptions = {}): Promise<Page<Row<DslItem>>> {
  const key = `${dslNameKey(name)} `;
  return queryIndex({ entity: ENTITY.dslItem, index: INDEX.dslItem.byName, partition: [projectId], range: { from: key, to: `${key}\uffff` }, sort: 'ASC', ...opts(o) }, dslItemSchema);
}

export async function dslItemsByStatus(projectId: string, status: DslStatus, namePrefix: string, o: DslListOptions = {}): Promise<Page<Row<DslItem>>> {
  return queryIndex(
    { entity: ENTITY.dslItem, index: INDEX.dslItem.byStatus, partition: [projectId, status], ...prefixRange(dslNameKey(namePrefix)), sort: 'ASC', ...opts(o) },
    dslItemSchema,
  );
}

export async function dslHistoryOf(itemId: string, o: DslListOptions = {}): Promise<Page<DslHistoryEvent>> {
  const page = await queryIndex({ entity: ENTITY.dslHistory, index: INDEX.dslHistory.byItem, partition: [itemId], sort: 'DESC', ...opts(o) }, dslHistorySchema);
  return { items: page.items.map((r) => r.doc), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/** The project's DSL history with `from ≤ at ≤ to`, oldest first (KPI reconciliation reads the audits). */
export async function dslHistoryOfProject(projectId: string, from: number, to: number, o: DslListOptions = {}): Promise<Page<DslHistoryEvent>> {
  const page = await queryIndex(
    { entity: ENTITY.dslHistory, index: INDEX.dslHistory.byProject, partition: [projectId], range: { from, to }, sort: 'ASC', ...opts(o) },
    dslHistorySchema,
  );
  return { items: page.items.map((r) => r.doc), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

export async function usageRequestsOfItem(itemId: string, o: DslListOptions = {}): Promise<Page<Row<UsageRequest>>> {
  return queryIndex({ entity: ENTITY.dslUsage, index: INDEX.dslUsage.byItem, partition: [itemId], sort: 'DESC', ...opts(o) }, usageRequestSchema);
}

export async function usageRequestsByStatus(projectId: string, status: UsageRequestStatus, o: DslListOptions = {}): Promise<Page<Row<UsageRequest>>> {
  return queryIndex({ entity: ENTITY.dslUsage, index: INDEX.dslUsage.byStatus, partition: [projectId, status], sort: 'DESC', ...opts(o) }, usageRequestSchema);
}

export async function environmentVersions(projectId: string, env: DslEnvironment, o: DslListOptions = {}): Promise<Page<Row<DslEnvironmentVersion>>> {
  return queryIndex({ entity: ENTITY.dslEnvironment, index: INDEX.dslEnvironment.byEnvironment, partition: [projectId, env], sort: 'ASC', ...opts(o) }, dslEnvironmentSchema);
}

/** Every page of a list, up to `max` rows (the consistency checks and the export read the library whole). */
export async function allPages<T>(read: (cursor: string | undefined) => Promise<Page<T>>, max: number): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor && items.length < max);
  return { items: items.slice(0, max), truncated: !!cursor || items.length > max };
}
