/**
 * The full-size CSV import through the resolvers as the browser drives them (static/…/dsl/upload.ts): a
 * 2,000-row, ~720 KB file in chunks, every invoke request under Forge's 500 KB; validated before anything is
 * written; written by the `dsl-import` consumer across invocations; and the faults — a consumer killed after
 * a commit, events delivered twice (one after the other and at once), a chunk sent twice, two imports in one
 * project — each ending with exactly the rows of a clean run, and each batch's audit entry once.
 */
import { Queue } from '@forge/events';
import { PayloadTooLargeError } from '../../sandbox';
import type { DslImportJob, DslImportReport } from '../../src/contracts/dsl-csv';
import type { AuditEvent } from '../../src/storage/records';
import type { DslItem } from '../../src/domain/dsl';
import { DSL_IMPORT_QUEUE, type DslImportCommitResult } from '../../src/services/dsl-import';
import { ENTITY } from '../../src/storage/entities';
import { planImport, uploadImport, FORGE_INVOKE_REQUEST_LIMIT_BYTES, type Send } from '../../static/src/modules/release-workbench/dsl/upload';
import { P, startWorld, type Persona, type World } from '../support/release-world';
import { call, data, failed, K, register, rowsOf } from './support';
import { cellsOf, dslCsv, nodeSha256Hex } from './import-fixture';

describe('the chunked DSL import (2,000 rows through the UI path, written by a queue consumer)', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  /** Every request the "browser" sent, with its size as the host measures it. */
  const sent: { functionKey: string; bytes: number }[] = [];
  const sender =
    (who: Persona = 'softwareControl'): Send =>
    async <T>(functionKey: string, payload: Record<string, unknown>): Promise<T> => {
      sent.push({ functionKey, bytes: Buffer.byteLength(JSON.stringify({ functionKey, payload })) });
      return data(await call<T>(w, who, functionKey as never, payload));
    };

  async function upload(csv: string, who: Persona = 'softwareControl') {
    const { header, rows } = cellsOf(csv);
    const plan = await planImport(w.project.id, header, rows, nodeSha256Hex);
    const job = await uploadImport({ projectId: w.project.id, header, rows, plan }, sender(who));
    return { plan, job, header, rows };
  }
  const commitOf = async (importId: string, extra: Record<string, unknown> = {}) => data(await call<DslImportCommitResult>(w, 'softwareControl', K.dslImportCommit, { projectId: w.project.id, importId, ...extra }));
  const status = async (importId: string): Promise<DslImportJob> => {
    const job = data(await call<DslImportJob | null>(w, 'softwareControl', K.dslImportStatus, { projectId: w.project.id, importId }));
    if (!job) throw new Error(`no import ${importId}`);
    return job;
  };
  const itemsOf = (importId: string) => rowsOf<DslItem>(w, ENTITY.dslItem).filter((i) => i.importId === importId);
  const auditsOf = (importId: string) => rowsOf<AuditEvent>(w, ENTITY.audit).filter((e) => e.action === 'dslImport' && (e.after as { importId?: string }).importId === importId);
  const chunkKeys = (importId: string) => (w.platform.db.prepare("SELECT key FROM kvs_items WHERE ns = 'kvs' AND key LIKE ?").all(`dsl-import-chunk:${importId}:%`) as unknown[]).length;

  /** Exactly the rows of a clean run: one item per row, one claim, one registration, each row in one audit entry. */
  function expectCleanRun(importId: string, n: number, prefix: string) {
    const items = itemsOf(importId);
    expect(items).toHaveLength(n);
    expect(new Set(items.map((i) => i.name))).toEqual(new Set(Array.from({ length: n }, (_, i) => `${prefix}-component-${String(i + 1).padStart(4, '0')}`)));
    const history = rowsOf<{ itemId: string; type: string }>(w, ENTITY.dslHistory).filter((h) => h.itemId.startsWith(`${importId}-r`));
    expect(history).toHaveLength(n);
    const claims = rowsOf<{ itemId: string }>(w, ENTITY.dslNameVersion).filter((c) => c.itemId.startsWith(`${importId}-r`));
    expect(claims).toHaveLength(n);
    const audited = auditsOf(importId).flatMap((e) => (e.after as { dslItems: string[] }).dslItems);
    expect(audited).toHaveLength(n);
    expect(new Set(audited).size).toBe(n);
    expect(chunkKeys(importId)).toBe(0);
  }

  it('refuses the whole file as one request, as Forge would (over 500 KB)', async () => {
    const csv = dslCsv(2000, 'whole');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(700_000);
    await expect(w.onProject('softwareControl', K.dslImport, { projectId: w.project.id, ...cellsOf(csv) })).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it('uploads 2,000 rows (~720 KB) in chunks under 500 KB, checks them, then the consumer writes them all, with progress to poll', async () => {
    sent.length = 0;
    const csv = dslCsv(2000, 'full');
    const { plan, job } = await upload(csv);
    expect(plan.chunks.length).toBeGreaterThanOrEqual(5);
    expect(plan.chunks.flat()).toHaveLength(2000);
    expect(job).toMatchObject({ importId: plan.importId, state: 'UPLOADING', rows: 2000, chunks: plan.chunks.length });
    // Every request of the upload under Forge's limit (and the planned ~150 KB), measured as the host does.
    expect(sent.map((s) => s.functionKey)).toEqual([K.dslImportStart, ...plan.chunks.map(() => K.dslImportChunk)]);
    for (const s of sent) expect(s.bytes).toBeLessThan(FORGE_INVOKE_REQUEST_LIMIT_BYTES);
    expect(Math.max(...sent.map((s) => s.bytes))).toBeLessThanOrEqual(150_000);
    expect(await status(plan.importId)).toMatchObject({ state: 'UPLOADING', received: plan.chunks.map((_, i) => i) });

    // The check (dry run): every row, nothing written, nothing queued.
    const dry = await commitOf(plan.importId, { dryRun: true });
    expect(dry.report).toMatchObject({ status: 'VALID', rows: 2000, written: 0, problems: [] });
    expect(itemsOf(plan.importId)).toHaveLength(0);
    expect(w.platform.queues.events({ queueName: DSL_IMPORT_QUEUE })).toHaveLength(0);

    const committed = await commitOf(plan.importId);
    expect(committed.job).toMatchObject({ state: 'QUEUED', rows: 2000, done: 0 });
    expect(await status(plan.importId)).toMatchObject({ state: 'QUEUED', done: 0, written: 0 });

    // The consumer, event by event: each invocation writes its slice and queues the rest; progress grows.
    const seen: number[] = [];
    for (let guard = 0; guard < 20; guard++) {
      const pending = w.platform.queues.events({ queueName: DSL_IMPORT_QUEUE }).filter((e) => e.state === 'pending');
      if (pending.length === 0) break;
      await w.platform.drainQueues({ maxDeliveries: 1 });
      seen.push((await status(plan.importId)).done);
    }
    expect(seen.length).toBeGreaterThanOrEqual(5); // 286 batches of 7 rows, 60 batches an invocation
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen.at(-1)).toBe(2000);
    expect(await status(plan.importId)).toMatchObject({ state: 'COMPLETE', done: 2000, written: 2000, alreadyWritten: 0, problems: [] });
    expect(w.platform.queues.deliveries().filter((d) => d.queueName === DSL_IMPORT_QUEUE).every((d) => d.outcome === 'succeeded')).toBe(true);
    expectCleanRun(plan.importId, 2000, 'full');
    const item = itemsOf(plan.importId).find((i) => i.name === 'full-component-0001');
    expect(item).toMatchObject({ vendor: '上海软件技术有限公司', registeredBy: 'acc-scl', status: 'REGISTERED' });
  }, 120_000);

  it('reports bad rows of a full-size file by row number before anything is written', async () => {
    const csv = dslCsv(2000, 'bad', (row, i) => {
      if (i === 1499) row.sha256 = 'not-a-checksum';
      if (i === 1998) row.sizeBytes = '12kb';
    });
    const { plan } = await upload(csv);
    const before = rowsOf(w, ENTITY.dslItem).length;
    const audits = rowsOf(w, ENTITY.audit).length;
    const res = await commitOf(plan.importId);
    expect(res.report.status).toBe('INVALID');
    expect(res.report.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [1500, 'sha256', 'INVALID'],
      [1999, 'sizeBytes', 'INVALID'],
    ]);
    expect(res.job.state).toBe('UPLOADING');
    expect(rowsOf(w, ENTITY.dslItem).length).toBe(before);
    expect(rowsOf(w, ENTITY.audit).length).toBe(audits);
    expect(w.platform.queues.events({ queueName: DSL_IMPORT_QUEUE }).filter((e) => e.body.importId === plan.importId)).toHaveLength(0);
  }, 60_000);

  it('a chunk sent again (its answer lost) is stored once; a missing or altered chunk stops the commit', async () => {
    const csv = dslCsv(300, 'resend');
    const { header, rows } = cellsOf(csv);
    const plan = await planImport(w.project.id, header, rows, nodeSha256Hex);
    // Forced small: 300 rows in several chunks.
    const small = { ...plan, chunks: [rows.slice(0, 100), rows.slice(100, 200), rows.slice(200)] };
    const send = sender();
    await send(K.dslImportStart, { projectId: w.project.id, importId: plan.importId, header, rows: rows.length, chunks: 3 });
    await send(K.dslImportChunk, { projectId: w.project.id, importId: plan.importId, index: 0, rows: small.chunks[0] });
    expect((await commitOf(plan.importId)).report.problems).toEqual([expect.objectContaining({ code: 'CHUNK_MISSING', detail: 'chunk(s) 2, 3 of 3' })]);
    // Chunk 2 altered, then the upload resumed: only what the server lacks is sent, chunk 0 not again.
    await send(K.dslImportChunk, { projectId: w.project.id, importId: plan.importId, index: 1, rows: rows.slice(101, 201) });
    expect((await commitOf(plan.importId)).report.problems.map((p) => p.code)).toEqual(['CHUNK_MISSING']);
    await send(K.dslImportChunk, { projectId: w.project.id, importId: plan.importId, index: 2, rows: small.chunks[2] });
    expect((await commitOf(plan.importId)).report.problems.map((p) => p.code)).toEqual(['CONTENT_MISMATCH']);
    // The right chunk 1, twice (the first answer "lost").
    for (let i = 0; i < 2; i++) await send(K.dslImportChunk, { projectId: w.project.id, importId: plan.importId, index: 1, rows: small.chunks[1] });
    const job = await uploadImport({ projectId: w.project.id, header, rows, plan: small }, send);
    expect(job.received).toEqual([0, 1, 2]);
    expect((await commitOf(plan.importId)).job.state).toBe('QUEUED');
    // Once committed, a chunk can no longer change the file.
    expect(failed(await call(w, 'softwareControl', K.dslImportChunk, { projectId: w.project.id, importId: plan.importId, index: 1, rows: [['x']] })).code).toBe('CONFLICT');
    await w.platform.drainQueues();
    expect(await status(plan.importId)).toMatchObject({ state: 'COMPLETE', written: 300 });
    expectCleanRun(plan.importId, 300, 'resend');
  }, 60_000);

  it('a consumer killed right after its commits, and events delivered twice (in turn and at once), end as a clean run', async () => {
    const { plan } = await upload(dslCsv(900, 'faults'));
    await commitOf(plan.importId);
    // Two more deliveries of the same job, running beside the first (no concurrency key).
    await w.platform.run(() => new Queue({ key: DSL_IMPORT_QUEUE }).push([{ body: { importId: plan.importId, projectId: w.project.id } }, { body: { importId: plan.importId, projectId: w.project.id } }]));
    const kill = w.platform.killAfterStorage({ functionKey: 'dsl-import-writer', times: 4 });
    const res = await w.platform.drainQueues({ redeliver: () => true });
    expect(kill.fired).toBe(4);
    expect(res.deliveries.filter((d) => d.outcome === 'error').length).toBeGreaterThanOrEqual(4);
    expect(await status(plan.importId)).toMatchObject({ state: 'COMPLETE', done: 900, written: 900 });
    expectCleanRun(plan.importId, 900, 'faults');
    // A late delivery after the end changes nothing.
    const before = w.snapshot();
    await w.platform.run(() => new Queue({ key: DSL_IMPORT_QUEUE }).push({ body: { importId: plan.importId, projectId: w.project.id } }));
    await w.platform.drainQueues();
    expect(w.snapshot()).toEqual(before);
  }, 120_000);

  it('blank lines keep the file\'s row numbers: reported by them, written without them', async () => {
    const csv = dslCsv(30, 'gaps');
    const { header, rows } = cellsOf(csv);
    const withGaps = [...rows.slice(0, 10), ['', '', '', '', '', '', '', '', '', ''], ...rows.slice(10, 20), ['  ', '', '', '', '', '', '', '', '', ''], ...rows.slice(20)];
    const bad = withGaps.map((r, i) => (i === 25 ? r.map((c, j) => (j === 2 ? 'nope' : c)) : r));
    const badPlan = await planImport(w.project.id, header, bad, nodeSha256Hex);
    await uploadImport({ projectId: w.project.id, header, rows: bad, plan: badPlan }, sender());
    // Row 26 of the file (the 24th data row, after two blank lines) is named as the file numbers it.
    expect((await commitOf(badPlan.importId)).report.problems.map((p) => [p.row, p.column])).toEqual([[26, 'sha256']]);
    const plan = await planImport(w.project.id, header, withGaps, nodeSha256Hex);
    await uploadImport({ projectId: w.project.id, header, rows: withGaps, plan }, sender());
    expect((await commitOf(plan.importId)).report).toMatchObject({ status: 'VALID', rows: 30 });
    await w.platform.drainQueues();
    expect(await status(plan.importId)).toMatchObject({ state: 'COMPLETE', rows: 30, written: 30 });
    expectCleanRun(plan.importId, 30, 'gaps');
    expect(itemsOf(plan.importId).map((i) => i.id).sort()).toContain(`${plan.importId}-r32`);
  }, 60_000);

  it('a consumer killed after a read, before its batch committed, is retried and writes the batch once', async () => {
    const { plan } = await upload(dslCsv(60, 'readkill'));
    await commitOf(plan.importId);
    const kill = w.platform.killAfterStorage({ functionKey: 'dsl-import-writer', when: (path) => path.endsWith('/batch/get'), times: 3 });
    const res = await w.platform.drainQueues();
    expect(kill.fired).toBe(3);
    expect(res.deliveries.filter((d) => d.outcome === 'error')).toHaveLength(3);
    expect(await status(plan.importId)).toMatchObject({ state: 'COMPLETE', written: 60 });
    expectCleanRun(plan.importId, 60, 'readkill');
  }, 60_000);

  it('a commit whose queue event was lost is queued again when its status is asked after five minutes', async () => {
    const { plan } = await upload(dslCsv(20, 'lost'));
    await commitOf(plan.importId);
    const [event] = w.platform.queues.events({ queueName: DSL_IMPORT_QUEUE }).filter((e) => e.state === 'pending' && e.body.importId === plan.importId);
    if (!event) throw new Error('no event queued');
    await w.platform.run(() => new Queue({ key: DSL_IMPORT_QUEUE }).getJob(event.jobId).cancel());
    await w.platform.drainQueues();
    expect(await status(plan.importId)).toMatchObject({ state: 'QUEUED', done: 0 });
    expect(itemsOf(plan.importId)).toHaveLength(0);
    const later = Date.now() + 6 * 60_000;
    w.platform.setClock(() => later);
    try {
      expect((await status(plan.importId)).state).toBe('QUEUED');
    } finally {
      w.platform.setClock(undefined);
    }
    await w.platform.drainQueues();
    expect(await status(plan.importId)).toMatchObject({ state: 'COMPLETE', written: 20 });
    expectCleanRun(plan.importId, 20, 'lost');
  }, 60_000);

  it("an upload left unfinished for more than a day is removed by the project's next import", async () => {
    const old = cellsOf(dslCsv(10, 'abandoned'));
    const oldPlan = await planImport(w.project.id, old.header, old.rows, nodeSha256Hex);
    const twoDaysAgo = Date.now() - 2 * 24 * 3600_000;
    w.platform.setClock(() => twoDaysAgo);
    try {
      await sender()(K.dslImportStart, { projectId: w.project.id, importId: oldPlan.importId, header: old.header, rows: 10, chunks: 1 });
    } finally {
      w.platform.setClock(undefined);
    }
    const recent = await upload(dslCsv(10, 'recent'));
    expect(recent.job.state).toBe('UPLOADING');
    const ids = rowsOf<{ id: string }>(w, ENTITY.dslImport).map((r) => r.id);
    expect(ids).not.toContain(oldPlan.importId);
    expect(ids).toContain(recent.plan.importId);
    expect(failed(await call(w, 'softwareControl', K.dslImportStatus, { projectId: w.project.id, importId: oldPlan.importId })).code).toBe('NOT_FOUND');
  });

  it('a second import in the project is refused while one is being written; the same file again skips what is written', async () => {
    const a = await upload(dslCsv(140, 'first'));
    const b = await upload(dslCsv(70, 'second'));
    await commitOf(a.plan.importId);
    const busy = failed(await call(w, 'softwareControl', K.dslImportCommit, { projectId: w.project.id, importId: b.plan.importId }));
    expect(busy).toMatchObject({ code: 'CONFLICT', messageKey: 'server.dsl.importBusy' });
    const c = cellsOf(dslCsv(10, 'third'));
    const cPlan = await planImport(w.project.id, c.header, c.rows, nodeSha256Hex);
    expect(failed(await call(w, 'softwareControl', K.dslImportStart, { projectId: w.project.id, importId: cPlan.importId, header: c.header, rows: 10, chunks: 1 })).code).toBe('CONFLICT');
    // The one-request import is refused beside it too.
    expect(failed(await call(w, 'softwareControl', K.dslImport, { projectId: w.project.id, ...cellsOf(dslCsv(3, 'single')) }))).toMatchObject({ code: 'CONFLICT', messageKey: 'server.dsl.importBusy' });
    // A page opened meanwhile finds the import being written without knowing its id.
    expect(data(await call<DslImportJob | null>(w, 'softwareControl', K.dslImportStatus, { projectId: w.project.id }))).toMatchObject({ importId: a.plan.importId, state: 'QUEUED' });
    // Committing the running import again (a lost answer) queues it again, harmlessly.
    expect((await commitOf(a.plan.importId)).job.state).toBe('QUEUED');
    await w.platform.drainQueues();
    expectCleanRun(a.plan.importId, 140, 'first');
    // Now the second goes.
    expect((await commitOf(b.plan.importId)).job.state).toBe('QUEUED');
    await w.platform.drainQueues();
    expectCleanRun(b.plan.importId, 70, 'second');
    // The first file once more: checked clean (its rows are its own), written as "already there".
    const again = await upload(dslCsv(140, 'first'));
    expect(again.job.state).toBe('UPLOADING');
    expect((await commitOf(again.plan.importId, { dryRun: true })).report).toMatchObject({ status: 'VALID', alreadyWritten: 140 });
    await commitOf(again.plan.importId);
    await w.platform.drainQueues();
    expect(await status(again.plan.importId)).toMatchObject({ state: 'COMPLETE', done: 140, written: 0, alreadyWritten: 140 });
    expectCleanRun(again.plan.importId, 140, 'first');
  }, 60_000);

  it('a row registered by someone else between the check and the writing stops the import there, by row number', async () => {
    const { plan, rows } = await upload(dslCsv(50, 'race'));
    await commitOf(plan.importId);
    const row30 = rows[29] as string[];
    await register(w, { name: row30[0], version: row30[1] });
    // Every event delivered twice.
    await w.platform.drainQueues({ redeliver: () => true });
    const job = await status(plan.importId);
    expect(job).toMatchObject({ state: 'FAILED', done: 28, written: 28, problems: [expect.objectContaining({ row: 30, code: 'DUPLICATE_IN_LIBRARY' })] });
    expect(itemsOf(plan.importId)).toHaveLength(28);
    expect(chunkKeys(plan.importId)).toBe(0);
    // The trail says it stopped, where, and how far it got — once, however often the event comes again.
    const stopped = () => rowsOf<AuditEvent>(w, ENTITY.audit).filter((e) => e.action === 'dslImportFailed' && (e.after as { importId?: string }).importId === plan.importId);
    expect(stopped()).toHaveLength(1);
    expect(stopped()[0]).toMatchObject({ actorAccountId: P.softwareControl, after: { writtenRows: 28, problemRows: '30' } });
    // A late event after the end writes nothing more.
    await w.platform.run(() => new Queue({ key: DSL_IMPORT_QUEUE }).push({ body: { importId: plan.importId, projectId: w.project.id } }));
    await w.platform.drainQueues();
    expect(stopped()).toHaveLength(1);
  }, 60_000);

  it('a one-request import of a file whose chunked upload was left unfinished takes the record over, writing each row once', async () => {
    const csv = dslCsv(12, 'takeover');
    const { plan } = await upload(csv);
    const single = data(await call<DslImportReport>(w, 'softwareControl', K.dslImport, { projectId: w.project.id, ...cellsOf(csv) }));
    expect(single).toMatchObject({ importId: plan.importId, status: 'COMPLETE', written: 12 });
    expect(failed(await call(w, 'softwareControl', K.dslImportStatus, { projectId: w.project.id, importId: plan.importId })).code).toBe('NOT_FOUND');
    // The chunked path opened again for the same file finds every row written.
    const again = await upload(csv);
    expect((await commitOf(again.plan.importId)).report).toMatchObject({ status: 'VALID', alreadyWritten: 12 });
    await w.platform.drainQueues();
    expect(await status(again.plan.importId)).toMatchObject({ state: 'COMPLETE', written: 0, alreadyWritten: 12 });
    expectCleanRun(plan.importId, 12, 'takeover');
  });

  it('only the software control lead opens, sends, commits or follows an import; another project does not reach it', async () => {
    const { plan, header, rows } = await upload(dslCsv(5, 'perm'));
    for (const [key, payload] of [
      [K.dslImportStart, { projectId: w.project.id, importId: plan.importId, header, rows: rows.length, chunks: 1 }],
      [K.dslImportChunk, { projectId: w.project.id, importId: plan.importId, index: 0, rows }],
      [K.dslImportCommit, { projectId: w.project.id, importId: plan.importId }],
      [K.dslImportStatus, { projectId: w.project.id, importId: plan.importId }],
    ] as const) {
      expect(failed(await call(w, 'implementer', key, payload)).code).toBe('NOT_SOFTWARE_CONTROL_LEAD');
    }
    const other = await call(w, 'softwareControl', K.dslImportStatus, { projectId: w.other.id, importId: plan.importId });
    expect(other.ok).toBe(false);
    expect(JSON.stringify(other)).not.toContain('perm-component');
    expect(itemsOf(plan.importId)).toHaveLength(0);
  });
});

