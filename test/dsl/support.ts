/** Helpers for the DSL tests: items through the real resolvers on the local platform (see test/support/release-world.ts). */
import { createHash } from 'node:crypto';
import { RESOLVER_KEYS as K, type ResolverKey } from '../../src/contracts';
import type { DslItem, UsageRequest } from '../../src/domain/dsl';
import { ENTITY, physicalRow, type EntityName } from '../../src/storage/entities';
import { P, type Persona, type Reply, type World } from '../support/release-world';

export type Item = DslItem & { rowVersion?: number };
export interface ItemResult {
  item: DslItem;
  version: number;
}

export const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

let serial = 0;

export function itemFields(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  serial += 1;
  return {
    name: `billing-service-${serial}`,
    version: '2.0.0',
    sha256: sha(`artefact ${serial}`),
    sizeBytes: 1_048_576 + serial,
    licence: 'Apache-2.0',
    vendor: 'Acme',
    storageUri: `s3://dsl/billing-${serial}.tgz`,
    mediaType: 'application/gzip',
    cmdbCiRef: `CI-${serial}`,
    ...overrides,
  };
}

export function failed(reply: Reply<unknown>): { code: string; message: string; field?: string; reasons?: readonly string[] } {
  if (reply.ok) throw new Error(`expected a refusal, got ${JSON.stringify(reply.data).slice(0, 300)}`);
  return reply.error as { code: string; message: string; field?: string; reasons?: readonly string[] };
}

export function data<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`expected success, got ${JSON.stringify(reply.error)}`);
  return reply.data;
}

export async function call<T>(w: World, who: Persona, key: ResolverKey, payload: Record<string, unknown>): Promise<Reply<T>> {
  return (await w.onProject<T>(who, key, payload)).value;
}

export async function register(w: World, overrides: Record<string, unknown> = {}, who: Persona = 'softwareControl'): Promise<ItemResult> {
  return data(await call<ItemResult>(w, who, K.dslRegister, { projectId: w.project.id, ...itemFields(overrides) }));
}

/** Acts on an item with its current version; returns the new result. */
export async function onItem(w: World, who: Persona, key: ResolverKey, r: ItemResult, payload: Record<string, unknown> = {}): Promise<ItemResult> {
  return data(await call<ItemResult>(w, who, key, { itemId: r.item.id, expectedVersion: r.version, ...payload }));
}

/** Registers, approves (manager) and checks in (software control lead). */
export async function inLibrary(w: World, overrides: Record<string, unknown> = {}): Promise<ItemResult> {
  const reg = await register(w, overrides);
  const approved = await onItem(w, 'manager', K.dslApprove, reg);
  return onItem(w, 'softwareControl', K.dslCheckIn, approved);
}

/** A usage request by `who`, approved by the software control lead. */
export async function approvedUsage(w: World, itemId: string, who: Persona = 'implementer', extra: Record<string, unknown> = {}): Promise<UsageRequest> {
  const req = data(await call<{ request: UsageRequest; version: number }>(w, who, K.dslRequestUsage, { itemId, purpose: 'Deploy billing 2.0', environment: 'PRODUCTION', ...extra }));
  const decided = data(await call<{ request: UsageRequest; version: number }>(w, 'softwareControl', K.dslDecideUsage, { requestId: req.request.id, expectedVersion: req.version, approve: true }));
  return decided.request;
}

/** Rows of one entity, straight from the platform's store. */
export function rowsOf<T>(w: World, entity: EntityName): T[] {
  // A hosted entity's rows are those of its host whose key begins with its kind (storage/entities.ts, HOSTED).
  const at = physicalRow(entity, '');
  const rows = w.platform.db.prepare('SELECT value FROM kvs_items WHERE ns = ? AND key LIKE ?').all(`entity:${at.entity}`, `${at.key}%`) as { value: string }[];
  return rows.map((r) => (JSON.parse(r.value) as { doc: T }).doc);
}

export const itemCount = (w: World): number => rowsOf(w, ENTITY.dslItem).length;

export { K, P };
