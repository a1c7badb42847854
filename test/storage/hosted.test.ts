/**
 * Hosted entities (src/storage/entities.ts, HOSTED): several logical entities in one physical entity of the
 * manifest. Driven through the real `@forge/kvs` client against the local platform's store.
 */
import { z } from 'zod';
import { createPlatform, type Platform } from '../../sandbox/index';
import { ENTITY, HOST_ENTITY, INDEX } from '../../src/storage/entities';
import { Changes, ConflictError, StorageLimitError, getMany, getRow, queryIndex, type Row } from '../../src/storage/store';

const docSchema = z.object({ who: z.string(), n: z.number() });
type Doc = z.infer<typeof docSchema>;

let platform: Platform;
beforeAll(() => {
  platform = createPlatform();
});
afterAll(() => platform.close());
beforeEach(() => platform.db.exec('DELETE FROM kvs_items; DELETE FROM kvs_index;'));

const run = async <T>(fn: () => Promise<T>): Promise<T> => (await platform.run(fn)).value;
const commit = (build: (c: Changes) => void) =>
  run(async () => {
    const c = new Changes();
    build(c);
    await c.commit();
  });
const physical = () => platform.db.prepare('SELECT ns, key, value FROM kvs_items ORDER BY ns, key').all() as { ns: string; key: string; value: string }[];
const keys = (rows: Row<Doc>[]) => rows.map((r) => r.key);

describe('hosted entities share one physical entity without seeing each other', () => {
  it('two kinds with the same logical key are two rows, each read back under its logical key', async () => {
    // pipeline-event and training-reminder even share the host's by-release index (same shape).
    await commit((c) => {
      c.put(ENTITY.pipelineEvent, 'same-key', { projectId: 'p1', releaseId: 'r1', at: 10 }, { who: 'event', n: 1 }, null);
      c.put(ENTITY.trainingReminder, 'same-key', { projectId: 'p1', releaseId: 'r1', state: 'SENT', at: 10 }, { who: 'reminder', n: 2 }, null);
    });
    const ev = await run(() => getRow({ entity: ENTITY.pipelineEvent, key: 'same-key', schema: docSchema }));
    const rem = await run(() => getRow({ entity: ENTITY.trainingReminder, key: 'same-key', schema: docSchema }));
    expect(ev).toEqual({ key: 'same-key', version: 1, doc: { who: 'event', n: 1 } });
    expect(rem).toEqual({ key: 'same-key', version: 1, doc: { who: 'reminder', n: 2 } });
    // Physically: the host, keys prefixed by kind, a `kind` attribute on each.
    const rows = physical();
    expect(rows.map((r) => [r.ns, r.key])).toEqual([
      [`entity:${HOST_ENTITY}`, 'pipeline-event:same-key'],
      [`entity:${HOST_ENTITY}`, 'training-reminder:same-key'],
    ]);
    expect(rows.map((r) => (JSON.parse(r.value) as { kind: string }).kind)).toEqual(['pipeline-event', 'training-reminder']);
    // In one batch read, with a normal entity's row and a miss.
    await commit((c) => c.put(ENTITY.team, 'same-key', { projectId: 'p1', formedAt: 1 }, { who: 'team', n: 3 }, null));
    const many = await run(() =>
      getMany([
        { entity: ENTITY.trainingReminder, key: 'same-key', schema: docSchema },
        { entity: ENTITY.team, key: 'same-key', schema: docSchema },
        { entity: ENTITY.pipelineEvent, key: 'same-key', schema: docSchema },
        { entity: ENTITY.jiraOutbox, key: 'same-key', schema: docSchema },
      ] as const),
    );
    expect(many.map((r) => r?.doc.who ?? null)).toEqual(['reminder', 'team', 'event', null]);
    expect(many.map((r) => r?.key ?? null)).toEqual(['same-key', 'same-key', 'same-key', null]);
  });

  it("an index query of one kind never returns another kind's rows, and pages by logical keys", async () => {
    await commit((c) => {
      for (let i = 0; i < 5; i++) c.put(ENTITY.pipelineEvent, `e${i}`, { projectId: 'p1', releaseId: 'r1', at: 100 + i }, { who: 'event', n: i }, null);
      for (let i = 0; i < 4; i++) c.put(ENTITY.trainingReminder, `t${i}`, { projectId: 'p1', releaseId: 'r1', state: 'SENT', at: 100 + i }, { who: 'reminder', n: i }, null);
      c.put(ENTITY.trainingReminder, 'other-release', { projectId: 'p1', releaseId: 'r2', state: 'SENT', at: 1 }, { who: 'reminder', n: 9 }, null);
      // Same projectId and updatedAt shape as policy's index, another kind:
      c.put(ENTITY.jiraOutbox, 'o1', { projectId: 'p1', releaseId: 'r1', updatedAt: 100 }, { who: 'outbox', n: 0 }, null);
      c.put(ENTITY.policy, 'p1', { projectId: 'p1', updatedAt: 100 }, { who: 'policy', n: 0 }, null);
    });
    const all = async (entity: typeof ENTITY.pipelineEvent | typeof ENTITY.trainingReminder, index: string, partition: string[]) => {
      const out: Row<Doc>[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await run(() => queryIndex({ entity, index, partition, limit: 2, ...(cursor ? { cursor } : {}) }, docSchema));
        out.push(...page.items);
        cursor = page.cursor;
        pages++;
      } while (cursor);
      return { out, pages };
    };
    const events = await all(ENTITY.pipelineEvent, INDEX.pipelineEvent.byRelease, ['r1']);
    expect(keys(events.out)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(events.out.every((r) => r.doc.who === 'event')).toBe(true);
    expect(events.pages).toBe(3);
    const reminders = await all(ENTITY.trainingReminder, INDEX.trainingReminder.byRelease, ['r1']);
    expect(keys(reminders.out)).toEqual(['t0', 't1', 't2', 't3']);
    const byProject = await run(() => queryIndex({ entity: ENTITY.trainingReminder, index: INDEX.trainingReminder.byProject, partition: ['p1'], sort: 'DESC' }, docSchema));
    expect(keys(byProject.items)).toEqual(['t3', 't2', 't1', 't0', 'other-release']);
    const policies = await run(() => queryIndex({ entity: ENTITY.policy, index: INDEX.policy.byUpdated }, docSchema));
    expect(keys(policies.items)).toEqual(['p1']);
    const outbox = await run(() => queryIndex({ entity: ENTITY.jiraOutbox, index: INDEX.jiraOutbox.byProject, partition: ['p1'], range: { from: 50 } }, docSchema));
    expect(keys(outbox.items)).toEqual(['o1']);
    // A logical index the entity does not have is refused, not answered from another kind's index.
    await expect(run(() => queryIndex({ entity: ENTITY.pipelineEvent, index: INDEX.trainingReminder.byProject, partition: ['p1'] }, docSchema))).rejects.toThrow(/has no index/);
  });

  it('a stale version on a hosted row is a ConflictError, and the whole change (normal rows too) is not written', async () => {
    await commit((c) => c.put(ENTITY.pipelineToken, 'tok', { projectId: 'p1', createdAt: 1 }, { who: 'token', n: 1 }, null));
    await commit((c) => c.put(ENTITY.pipelineToken, 'tok', { projectId: 'p1', createdAt: 1 }, { who: 'token', n: 2 }, 1));
    const before = physical();
    // Stale: version 1 was read, 2 is stored.
    await expect(
      commit((c) => {
        c.put(ENTITY.team, 'fresh-team', { projectId: 'p1', formedAt: 1 }, { who: 'team', n: 1 }, null);
        c.put(ENTITY.pipelineToken, 'tok', { projectId: 'p1', createdAt: 1 }, { who: 'token', n: 3 }, 1);
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    // A hosted row that must not exist yet, but does.
    await expect(commit((c) => c.put(ENTITY.pipelineToken, 'tok', { projectId: 'p1', createdAt: 1 }, { who: 'token', n: 3 }, null))).rejects.toBeInstanceOf(ConflictError);
    // A stale normal row beside a fresh hosted one.
    await expect(
      commit((c) => {
        c.put(ENTITY.pipelineToken, 'tok', { projectId: 'p1', createdAt: 1 }, { who: 'token', n: 3 }, 2);
        c.put(ENTITY.team, 'missing-team', { projectId: 'p1', formedAt: 1 }, { who: 'team', n: 1 }, 4);
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    // A delete with a stale version.
    await expect(commit((c) => c.remove(ENTITY.pipelineToken, 'tok', 1))).rejects.toBeInstanceOf(ConflictError);
    expect(physical()).toEqual(before);
    // The same key of another kind is another row: creating it does not conflict.
    await commit((c) => c.put(ENTITY.pipelineEvent, 'tok', { projectId: 'p1', releaseId: 'r1', at: 1 }, { who: 'event', n: 1 }, null));
    // And the right version writes and deletes.
    await commit((c) => c.remove(ENTITY.pipelineToken, 'tok', 2));
    expect(await run(() => getRow({ entity: ENTITY.pipelineToken, key: 'tok', schema: docSchema }))).toBeNull();
    expect((await run(() => getRow({ entity: ENTITY.pipelineEvent, key: 'tok', schema: docSchema })))?.doc.who).toBe('event');
  });

  it("refuses a key that Forge's 500-character limit would refuse once prefixed by its kind, writing nothing", async () => {
    const key = 'k'.repeat(490); // a valid key on its own, too long as `pipeline-event:<key>`
    await expect(commit((c) => c.put(ENTITY.pipelineEvent, key, { projectId: 'p1', releaseId: 'r1', at: 1 }, { who: 'event', n: 1 }, null))).rejects.toBeInstanceOf(StorageLimitError);
    await expect(run(() => getRow({ entity: ENTITY.pipelineEvent, key, schema: docSchema }))).rejects.toBeInstanceOf(StorageLimitError);
    // A normal entity's key of that length is still the store's to judge (and fits).
    await commit((c) => c.put(ENTITY.team, key, { projectId: 'p1', formedAt: 1 }, { who: 'team', n: 1 }, null));
    expect(physical().map((r) => r.key)).toEqual([key]);
  });

  it("a row attribute may not take the host's `kind`", async () => {
    await expect(commit((c) => c.put(ENTITY.pipelineEvent, 'x', { kind: 'policy', releaseId: 'r1', at: 1 }, { who: 'event', n: 1 }, null))).rejects.toThrow(/host's attribute/);
    expect(physical()).toEqual([]);
  });
});
