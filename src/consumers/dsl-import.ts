import type { AsyncEvent } from '@forge/events';
import { z } from 'zod';
import { runImportSlice } from '../services/dsl-import';

/**
 * `consumer` of the `dsl-import` queue (forge-docs/runtime-reference/async-events-api,
 * manifest-reference/modules/consumer): writes a committed CSV import in batches from where its record
 * stands, within the consumer's 55 s, and queues the rest. Runs as the app (no principal): the import was
 * checked, and its committer's permission, when it was committed. Late, repeated or concurrent deliveries
 * are harmless (services/dsl-import.ts `runImportSlice`); a throw is retried by Forge with backoff.
 */
const bodySchema = z.object({ importId: z.string().regex(/^imp-[0-9a-f]{24}$/), projectId: z.string().regex(/^\d+$/) }).strict();

export async function dslImportConsumer(event: AsyncEvent): Promise<{ outcome: string }> {
  const body = bodySchema.safeParse(event.body);
  if (!body.success) {
    console.error('dsl-import: unexpected event body', body.error.message);
    return { outcome: 'ignored' }; // not retried: it would fail the same way
  }
  const res = await runImportSlice(body.data.importId, body.data.projectId);
  console.info(`dsl-import ${body.data.importId}: ${res.state} after ${res.batches} batch(es)${res.continued ? ', continues' : ''}${res.overlapped ? ', another delivery holds it' : ''}`);
  return { outcome: res.state };
}
