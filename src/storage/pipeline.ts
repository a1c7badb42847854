/**
 * Pipeline tokens and pipeline events. A token's secret is never stored: its SHA-256 is the key of a KVS
 * secret (`kvs.setSecret`, forge-docs storage-reference/kvs-api-secret) naming the token row; the row (an
 * entity) holds name, creator, revocation and last use for the admin page. A token is valid only while both
 * exist and the row is not revoked. Pipeline events are rows keyed by release and idempotency key, written
 * in the same transaction as the release change they cause, so a replay finds them and changes nothing.
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { ENTITY, INDEX, PIPELINE_RATE_PREFIX, PIPELINE_TOKEN_SECRET_PREFIX } from './entities';
import { getRow, queryIndex, safeKey, type Changes, type Row } from './store';

const id = z.string().min(1);
const ts = z.number().finite();

export const pipelineTokenSchema = z.object({
  id,
  projectId: id,
  name: z.string(),
  createdBy: id,
  createdAt: ts,
  revokedAt: ts.nullable(),
  revokedBy: z.string().nullable(),
  lastUsedAt: ts.nullable(),
});
export type PipelineToken = z.infer<typeof pipelineTokenSchema>;

const secretSchema = z.object({ tokenId: id, projectId: id });

export const pipelineEventSchema = z.object({
  releaseId: id,
  projectId: id,
  tokenId: id,
  event: z.string(),
  idempotencyKey: z.string(),
  /** SHA-256 of the request body: the same key with another body is refused. */
  bodyHash: z.string(),
  at: ts,
});
export type PipelineEventRecord = z.infer<typeof pipelineEventSchema>;

export const tokenRef = (tokenId: string) => ({ entity: ENTITY.pipelineToken, key: tokenId, schema: pipelineTokenSchema });

export function putPipelineToken(changes: Changes, t: PipelineToken, expectedVersion: number | null): void {
  changes.put(ENTITY.pipelineToken, t.id, { projectId: t.projectId, createdAt: t.createdAt }, t, expectedVersion);
}

export async function pipelineTokensOf(projectId: string): Promise<Row<PipelineToken>[]> {
  return (await queryIndex({ entity: ENTITY.pipelineToken, index: INDEX.pipelineToken.byProject, partition: [projectId], sort: 'DESC', limit: 100 }, pipelineTokenSchema)).items;
}

export const getPipelineToken = (tokenId: string) => getRow(tokenRef(tokenId));

/** Stores the hash → token pointer (before the token row commits: a pointer without a row is worthless). */
export async function storeTokenHash(hash: string, tokenId: string, projectId: string): Promise<void> {
  await kvs.setSecret(`${PIPELINE_TOKEN_SECRET_PREFIX}${hash}`, { tokenId, projectId }, { keyPolicy: 'FAIL_IF_EXISTS' });
}

export async function tokenByHash(hash: string): Promise<{ tokenId: string; projectId: string } | null> {
  const v: unknown = await kvs.getSecret(`${PIPELINE_TOKEN_SECRET_PREFIX}${hash}`);
  const p = secretSchema.safeParse(v);
  return p.success ? p.data : null;
}

export function pipelineEventKey(releaseId: string, idempotencyKey: string): string {
  return safeKey('pe', releaseId, idempotencyKey);
}

export function putPipelineEvent(changes: Changes, e: PipelineEventRecord): void {
  changes.put(ENTITY.pipelineEvent, pipelineEventKey(e.releaseId, e.idempotencyKey), { projectId: e.projectId, releaseId: e.releaseId, at: e.at }, e, null);
}

export const getPipelineEvent = (releaseId: string, idempotencyKey: string) =>
  getRow({ entity: ENTITY.pipelineEvent, key: pipelineEventKey(releaseId, idempotencyKey), schema: pipelineEventSchema });

/**
 * Counts one request of the token in the current minute and says whether it is within the limit. A plain
 * counter (read, then write) may undercount under a burst of concurrent calls; it bounds abuse, not exactness.
 */
export async function countTokenRequest(tokenId: string, now: number, perMinute: number): Promise<boolean> {
  const minute = Math.floor(now / 60_000);
  const key = `${PIPELINE_RATE_PREFIX}${tokenId}:${minute}`;
  const current: unknown = await kvs.get(key);
  const n = typeof current === 'number' ? current : 0;
  if (n >= perMinute) return false;
  await kvs.set(key, n + 1, { ttl: { unit: 'SECONDS', value: 120 } });
  return true;
}
