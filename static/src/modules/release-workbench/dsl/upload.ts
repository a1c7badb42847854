/**
 * The browser's side of a chunked CSV import (server: src/services/dsl-import.ts). No React and no bridge:
 * the caller passes `send` (an invoke that returns the resolver's data or throws) and `sha256Hex`, so the
 * same code runs in the page and in the tests that drive the resolvers.
 *
 * The file goes in consecutive slices of rows whose invoke request — `{ functionKey, payload }` as JSON,
 * measured in UTF-8 bytes — stays under DSL_IMPORT_CHUNKS.targetRequestBytes, far below Forge's 500 KB
 * front-end payload limit (forge-docs/limits-invocation). A chunk whose answer is lost is sent again: the
 * server stores it under (import, index), once.
 */
import { DSL_IMPORT_CHUNKS, jsonBytes, splitRowsIntoChunks, type DslImportJob } from '../../../../../src/contracts/dsl-csv';
import { RESOLVER_KEYS as K } from '../../../../../src/contracts/keys';

export type Send = <T>(functionKey: string, payload: Record<string, unknown>) => Promise<T>;

/** Forge's front-end invoke request limit; a request above it would be refused before the function runs. */
export const FORGE_INVOKE_REQUEST_LIMIT_BYTES = 500 * 1024;

export interface PlannedImport {
  importId: string;
  chunks: string[][][];
  /** The largest request the upload will send, in bytes. */
  maxRequestBytes: number;
}

/** The import's id, as the server derives it: `imp-` + 24 hex digits of SHA-256 over `[projectId, header, rows]`. */
export async function importIdFor(projectId: string, header: readonly string[], rows: readonly (readonly string[])[], sha256Hex: (text: string) => Promise<string>): Promise<string> {
  return `imp-${(await sha256Hex(JSON.stringify([projectId, header, rows]))).slice(0, 24)}`;
}

const chunkRequest = (projectId: string, importId: string, index: number, rows: readonly (readonly string[])[]) => ({
  functionKey: K.dslImportChunk,
  payload: { projectId, importId, index, rows },
});

export async function planImport(projectId: string, header: readonly string[], rows: readonly (readonly string[])[], sha256Hex: (text: string) => Promise<string>): Promise<PlannedImport> {
  const importId = await importIdFor(projectId, header, rows, sha256Hex);
  // Everything of a chunk's request but its rows (the index at its widest).
  const overhead = jsonBytes(chunkRequest(projectId, importId, DSL_IMPORT_CHUNKS.maxChunks, [])) - 2;
  const chunks = splitRowsIntoChunks(rows, DSL_IMPORT_CHUNKS.targetRequestBytes, overhead);
  const maxRequestBytes = Math.max(0, ...chunks.map((c, i) => jsonBytes(chunkRequest(projectId, importId, i, c))));
  return { importId, chunks, maxRequestBytes };
}

/**
 * Opens the import and sends the chunks the server does not hold yet; answers the job as opened. A job
 * already being written (the same file, committed before) is answered as it is, nothing sent.
 */
export async function uploadImport(
  args: { projectId: string; header: readonly string[]; rows: readonly (readonly string[])[]; plan: PlannedImport },
  send: Send,
  onSent: (sent: number, total: number) => void = () => undefined,
): Promise<DslImportJob> {
  const { projectId, header, plan } = args;
  const job = await send<DslImportJob>(K.dslImportStart, { projectId, importId: plan.importId, header: [...header], rows: args.rows.length, chunks: plan.chunks.length });
  if (job.state !== 'UPLOADING') return job;
  const held = new Set(job.received);
  let sent = held.size;
  onSent(sent, plan.chunks.length);
  for (const [index, rows] of plan.chunks.entries()) {
    if (held.has(index)) continue;
    const request = chunkRequest(projectId, plan.importId, index, rows);
    if (jsonBytes(request) > FORGE_INVOKE_REQUEST_LIMIT_BYTES) throw new Error(`chunk ${index + 1} is ${jsonBytes(request)} bytes`); // cannot happen: planned below the limit
    await sendWithRetry(send, request.functionKey, request.payload);
    sent += 1;
    onSent(sent, plan.chunks.length);
  }
  return { ...job, received: plan.chunks.map((_, i) => i) };
}

/** A chunk is idempotent: a transport failure (a lost answer) is retried, a refusal is not. */
async function sendWithRetry(send: Send, functionKey: string, payload: Record<string, unknown>, attempts = 3): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await send(functionKey, payload);
      return;
    } catch (err) {
      const transport = typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'TRANSPORT';
      if (!transport || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 250 * i));
    }
  }
}

/** SHA-256 in hex with the browser's Web Crypto. */
export async function webSha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
