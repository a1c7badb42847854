import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kvs } from '@forge/kvs';
import { RESOLVER_KEYS as K } from '../../src/contracts';
import { createPlatform, type Platform } from '../../sandbox';
import { AUDIT_GENESIS, auditHashInput } from '../../src/domain/audit';
import { verifyChains, type ChainProgress } from '../../src/services/audit';
import { ENTITY } from '../../src/storage/entities';
import { putSetup } from '../../src/storage/records';
import type { AuditEvent } from '../../src/storage/schemas';
import { Changes, ConflictError, sha256Hex } from '../../src/storage/store';
import { startWorld, type World } from '../support/release-world';

/**
 * The hash chain (one per release, DSL item and project): written in the change's own transaction, linear under
 * concurrent writers, and any changed, deleted or reordered event is reported at that event.
 */

type Row = { key: string; value: { doc: AuditEvent; seq: number } & Record<string, unknown> };

function eventsOf(p: Platform, chainId?: string): Row[] {
  const rows = p.db.prepare('SELECT key, value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.audit}`) as { key: string; value: string }[];
  return rows
    .map((r) => ({ key: r.key, value: JSON.parse(r.value) as Row['value'] }))
    .filter((r) => chainId === undefined || r.value.doc.chainId === chainId)
    .sort((a, b) => a.value.doc.seq - b.value.doc.seq);
}

async function verify(p: Platform, projectId: string | null = null, budget = 2_000) {
  let progress: ChainProgress | undefined;
  for (;;) {
    const out = (await p.run(() => verifyChains(projectId, progress, budget))).value;
    if (out.state !== 'PAUSED') return out;
    progress = out.progress;
  }
}

function projectAudit(subjectId: string, n: number) {
  return { projectId: '10000', subjectType: 'PROJECT' as const, subjectId, action: 'editPolicy' as const, actorAccountId: `acc-${n}`, at: 1_767_225_600_000 + n, before: {}, after: { reviewSlaDays: n } };
}

describe('the audit hash chain under concurrent writers', () => {
  let p: Platform;
  beforeEach(() => {
    p = createPlatform({ dbPath: ':memory:' });
  });
  afterEach(() => p.close());

  it('ten writers appending to one chain at once: all commit, one linear chain, nothing forks', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        p.run(async () => {
          const changes = new Changes();
          changes.audit(projectAudit('10000', n));
          await changes.commit();
        }),
      ),
    );
    const rows = eventsOf(p, 'PROJECT:10000');
    expect(rows.map((r) => r.value.doc.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    rows.forEach((r, i) => expect(r.value.doc.prevHash).toBe(i === 0 ? AUDIT_GENESIS : rows[i - 1]?.value.doc.hash));
    expect(new Set(rows.map((r) => r.value.doc.actorAccountId)).size).toBe(10);
    expect(await verify(p)).toEqual({ state: 'INTACT', chains: 1, events: 10 });
  });

  it('a writer that lost on its data (not on the chain) gets a conflict, and its event is not written', async () => {
    const results = await Promise.allSettled(
      [1, 2].map((n) =>
        p.run(async () => {
          const changes = new Changes();
          putSetup(changes, { projectId: '10000', roleIds: {}, statusIds: {}, policy: { reviewSlaDays: n }, updatedAt: n }, null);
          changes.audit(projectAudit('10000', n));
          await changes.commit();
        }),
      ),
    );
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toBeInstanceOf(ConflictError);
    expect(eventsOf(p).map((r) => r.value.doc.seq)).toEqual([1]);
    expect(await verify(p)).toEqual({ state: 'INTACT', chains: 1, events: 1 });
  });

  it('each event costs two of the 25 operations of a transaction (event and chain head), counted before writing', async () => {
    const out = await p.run(async () => {
      const changes = new Changes();
      for (let n = 0; n < 12; n++) changes.audit(projectAudit(`1000${n}`, n));
      return changes.size;
    });
    expect(out.value).toBe(24);
  });
});

describe('concurrent writers on one release, through the app', () => {
  let w: World;
  afterEach(() => w?.close());

  it('two edits of the same version: one wins, the other is a conflict that wrote no event; the chain stays linear', async () => {
    w = startWorld();
    const id = await w.releaseAt('PLANNING');
    const before = eventsOf(w.platform, `RELEASE:${id}`).length;
    const version = await w.version(id);
    const edit = (scope: string) => w.onRelease('lead', id, K.editPlan, { releaseId: id, expectedVersion: version, scope, schedule: 'Week 12', plannedEffortHours: 40 });
    const [a, b] = await Promise.all([edit('Scope A'), edit('Scope B')]);
    const codes = [a.value, b.value].map((r) => (r.ok ? 'OK' : r.error.code)).sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const rows = eventsOf(w.platform, `RELEASE:${id}`);
    expect(rows).toHaveLength(before + 1);
    expect((await verify(w.platform, w.project.id)).state).toBe('INTACT');
  }, 60_000);

  it('an edit and an event of another record on the same release at once (a reminder, say): both commit, one chain', async () => {
    w = startWorld();
    const id = await w.releaseAt('PLANNING');
    const before = eventsOf(w.platform, `RELEASE:${id}`).length;
    const version = await w.version(id);
    const reminder = w.platform.run(async () => {
      const changes = new Changes();
      changes.audit({ projectId: w.project.id, subjectType: 'RELEASE', subjectId: id, action: 'training.reminded', actorAccountId: 'app', at: Date.now(), before: {}, after: { trainer: 'acc-trainer', dueAt: Date.now() } });
      await changes.commit();
    });
    const edit = w.onRelease('lead', id, K.editPlan, { releaseId: id, expectedVersion: version, scope: 'Scope A', schedule: 'Week 12', plannedEffortHours: 40 });
    const [, res] = await Promise.all([reminder, edit]);
    expect(res.value.ok).toBe(true);
    const rows = eventsOf(w.platform, `RELEASE:${id}`);
    expect(rows.map((r) => r.value.doc.seq)).toEqual(Array.from({ length: before + 2 }, (_, i) => i + 1));
    expect(rows.slice(-2).map((r) => r.value.doc.action).sort()).toEqual(['editPlan', 'training.reminded']);
    expect((await verify(w.platform, w.project.id)).state).toBe('INTACT');
  }, 60_000);
});

describe('the trail when Jira fails', () => {
  let w: World;
  afterEach(() => w?.close());

  it('people cannot be named (Jira answers 500): the trail still reads and exports, saying so instead of showing ids', async () => {
    w = startWorld();
    const id = await w.releaseAt('PLANNING');
    w.jira.injectFault({ pathPattern: '/rest/api/3/user/bulk', status: 500, times: Infinity });
    const page = await w.onProject<{ items: { actorAccountId: string }[]; refs: { people: Record<string, string>; releases: Record<string, string> } }>('owner', K.listAudit, { projectId: w.project.id, releaseId: id });
    expect(page.value.ok).toBe(true);
    if (!page.value.ok) return;
    expect(page.value.data.items.length).toBeGreaterThan(5);
    expect(page.value.data.refs.people).toEqual({});
    expect(Object.values(page.value.data.refs.releases)).toEqual([expect.stringMatching(/^RG-\d+$/)]);
    const exported = await w.onProject<{ rows: { actorName: string; actorAccountId: string; changesEn: string }[] }>('owner', K.exportAudit, { projectId: w.project.id, releaseId: id });
    expect(exported.value.ok).toBe(true);
    if (!exported.value.ok) return;
    const lead = exported.value.data.rows.find((r) => r.changesEn.startsWith('Release lead:'));
    expect(lead?.changesEn).toBe('Release lead: none → a person whose name could not be read');
    expect(exported.value.data.rows.every((r) => r.actorAccountId.startsWith('acc-') && r.actorName === '')).toBe(true);
  }, 60_000);
});

describe('audit:verify finds the event that was changed, deleted or reordered', () => {
  let w: World;
  let releaseId: string;
  let chainId: string;
  beforeAll(async () => {
    w = startWorld();
    releaseId = await w.releaseAt('CLOSED');
  }, 60_000);
  afterAll(() => w.close());

  // Each tamper is undone after its check, through the same storage API (indexes follow).
  async function put(row: Row): Promise<void> {
    await w.platform.run(() => kvs.entity<Record<string, unknown>>(ENTITY.audit).set(row.key, row.value));
  }

  it('the closed release’s chain is intact and its events follow one another', async () => {
    chainId = `RELEASE:${releaseId}`;
    const rows = eventsOf(w.platform, chainId);
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) expect(sha256Hex(auditHashInput(r.value.doc))).toBe(r.value.doc.hash);
    const out = await verify(w.platform, w.project.id, 7);
    expect(out.state).toBe('INTACT');
  });

  it('a changed event: reported at that event as a hash mismatch', async () => {
    const rows = eventsOf(w.platform, chainId);
    const target = rows[5] as Row;
    await put({ key: target.key, value: { ...target.value, doc: { ...target.value.doc, actorAccountId: 'acc-someone-else' } } });
    const out = await verify(w.platform, w.project.id);
    expect(out).toMatchObject({ state: 'BROKEN', chainId, broken: { problem: 'HASH_MISMATCH', eventId: target.value.doc.id, seq: 6 } });
    await put(target);
    expect((await verify(w.platform, w.project.id)).state).toBe('INTACT');
  });

  it('a deleted event: reported at the event after the gap', async () => {
    const rows = eventsOf(w.platform, chainId);
    const gone = rows[3] as Row;
    await w.platform.run(() => kvs.entity(ENTITY.audit).delete(gone.key));
    const out = await verify(w.platform, w.project.id);
    expect(out).toMatchObject({ state: 'BROKEN', chainId, broken: { problem: 'SEQUENCE_GAP', eventId: rows[4]?.value.doc.id, seq: 5, expectedSeq: 4 } });
    await put(gone);
  });

  it('the last event deleted: the chain is shorter than its head says', async () => {
    const rows = eventsOf(w.platform, chainId);
    const last = rows[rows.length - 1] as Row;
    await w.platform.run(() => kvs.entity(ENTITY.audit).delete(last.key));
    const out = await verify(w.platform, w.project.id);
    expect(out).toMatchObject({ state: 'BROKEN', chainId, broken: { problem: 'MISSING_TAIL', seq: rows.length, expectedSeq: rows.length } });
    await put(last);
  });

  it('two events swapped: reported at the first event out of place', async () => {
    const rows = eventsOf(w.platform, chainId);
    const [a, b] = [rows[7] as Row, rows[8] as Row];
    await put({ key: a.key, value: { ...a.value, seq: 9, doc: { ...a.value.doc, seq: 9 } } });
    await put({ key: b.key, value: { ...b.value, seq: 8, doc: { ...b.value.doc, seq: 8 } } });
    const out = await verify(w.platform, w.project.id);
    expect(out).toMatchObject({ state: 'BROKEN', chainId, broken: { eventId: b.value.doc.id, seq: 8 } });
    await put(a);
    await put(b);
    expect((await verify(w.platform, w.project.id)).state).toBe('INTACT');
  });

  it('the command line: intact, then the first broken event, with exit codes 0 and 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-verify-'));
    const db = join(dir, 'trail.sqlite');
    try {
      w.platform.db.exec(`VACUUM INTO '${db.replace(/'/g, "''")}'`);
      const run = promisify(execFile);
      const cli = (path: string) => run('npx', ['tsx', 'scripts/audit-verify.ts', '--db', path], { cwd: join(__dirname, '../..') }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
      const intact = await cli(db);
      expect(intact.code).toBe(0);
      expect(intact.out).toMatch(/^intact: \d+ events in \d+ chains$/m);
      const copy = createPlatform({ dbPath: db });
      const target = eventsOf(copy, chainId)[2] as Row;
      await copy.run(() => kvs.entity<Record<string, unknown>>(ENTITY.audit).set(target.key, { ...target.value, doc: { ...target.value.doc, after: { status: 'CLOSED' } } }));
      copy.close();
      const brokenRun = await cli(db);
      expect(brokenRun.code).toBe(1);
      expect(brokenRun.out).toContain(`broken: chain ${chainId}: event ${target.value.doc.id} (seq 3) does not match its hash`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
