import type { DslImportJob } from '../../src/contracts/dsl-csv';
import type { Envelope } from '../../src/contracts/envelope';
import { RESOLVER_KEYS as K } from '../../src/contracts/keys';
import { DSL_IMPORT_QUEUE } from '../../src/services/dsl-import';
import { planImport, uploadImport, type Send } from '../../static/src/modules/release-workbench/dsl/upload';
import { cellsOf, dslCsv, nodeSha256Hex } from '../dsl/import-fixture';
import { startWorld } from '../support/release-world';

/**
 * The full-size CSV import (2,000 rows, ~720 KB) as the browser and the queue consumer run it: the chunk
 * count, the largest invoke request, storage operations of the resolvers and of each consumer invocation,
 * and the time of each phase.
 */
export async function benchImport(): Promise<string[]> {
  const w = startWorld();
  try {
    const csv = dslCsv(2000, 'bench');
    const { header, rows } = cellsOf(csv);
    let requests = 0;
    let maxBytes = 0;
    let resolverOps = 0;
    let resolverMs = 0;
    const send: Send = async <T>(functionKey: string, payload: Record<string, unknown>): Promise<T> => {
      requests += 1;
      maxBytes = Math.max(maxBytes, Buffer.byteLength(JSON.stringify({ functionKey, payload })));
      const inv = await w.platform.invokeResolver<Envelope<T>>({ moduleKey: 'release-workbench', functionKey, payload, accountId: 'acc-scl', extension: { type: 'jira:projectPage', project: { id: w.project.id, key: 'RG' } } });
      resolverOps += inv.counters.storageOps;
      resolverMs += inv.durationMs;
      if (!inv.value.ok) throw new Error(`${functionKey}: ${inv.value.error.message}`);
      return inv.value.data;
    };
    const t0 = Date.now();
    const plan = await planImport(w.project.id, header, rows, nodeSha256Hex);
    await uploadImport({ projectId: w.project.id, header, rows, plan }, send);
    const uploadMs = Date.now() - t0;
    const uploadOps = resolverOps;
    const t1 = Date.now();
    await send(K.dslImportCommit, { projectId: w.project.id, importId: plan.importId, dryRun: true });
    const checkMs = Date.now() - t1;
    const checkOps = resolverOps - uploadOps;
    await send(K.dslImportCommit, { projectId: w.project.id, importId: plan.importId });

    // The consumer, one invocation at a time (its own continuation events are settled afterwards).
    const t2 = Date.now();
    const slices: { ops: number; ms: number }[] = [];
    for (let i = 0; i < 50; i++) {
      const inv = await w.platform.invoke('dsl-import-writer', { body: { importId: plan.importId, projectId: w.project.id }, queueName: DSL_IMPORT_QUEUE, jobId: `bench-${i}`, eventId: `bench-${i}` }, { moduleKey: 'dsl-import-consumer' });
      slices.push({ ops: inv.counters.storageOps, ms: inv.durationMs });
      const status = await send<DslImportJob>(K.dslImportStatus, { projectId: w.project.id, importId: plan.importId });
      if (status.state === 'COMPLETE' || status.state === 'FAILED') {
        if (status.state === 'FAILED' || status.written !== 2000) throw new Error(`import ended ${status.state} with ${status.written} rows`);
        break;
      }
    }
    const writeMs = Date.now() - t2;
    await w.platform.drainQueues();
    const consumerOps = slices.reduce((n, s) => n + s.ops, 0);
    return [
      `file: 2000 rows, ${(Buffer.byteLength(csv) / 1024).toFixed(0)} KB → ${plan.chunks.length} chunks; largest invoke request ${(maxBytes / 1024).toFixed(1)} KB (Forge's limit 500 KB); ${requests} requests in all`,
      `upload (start + chunks): ${uploadMs} ms, ${uploadOps} storage ops`,
      `check (commit dry run, every row against the library): ${checkMs} ms, ${checkOps} storage ops`,
      `write: ${slices.length} consumer invocations, ${writeMs} ms, ${consumerOps} storage ops (per invocation max ${Math.max(...slices.map((s) => s.ops))} ops, ${Math.max(...slices.map((s) => s.ms)).toFixed(0)} ms)`,
      `resolvers in all: ${resolverOps} storage ops, ${resolverMs.toFixed(0)} ms`,
    ];
  } finally {
    await w.close();
  }
}
