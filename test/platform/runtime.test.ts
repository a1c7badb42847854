import { createPlatform, FunctionTimeoutError, type Platform } from '../../sandbox';
import { kvs } from '@forge/kvs';

/** The function runtime: Forge's invocation shapes, one context per call, the time limit, tagged logs. */
describe('function runtime', () => {
  let platform: Platform;
  beforeAll(() => {
    platform = createPlatform();
  });
  afterAll(() => platform.close());

  const panel = { type: 'jira:issuePanel', issue: { key: 'RG-1', id: '10001' }, project: { key: 'RG', id: '10000' } };

  it('runs a resolver end to end: invoke → @forge/resolver → @forge/kvs → SQLite', async () => {
    const added = await platform.invokeResolver<{ ok: boolean; data: { text: string; author: string } }>({
      moduleKey: 'release-panel',
      functionKey: 'example/addNote',
      payload: { text: 'first' },
      accountId: 'user-a',
      extension: panel,
    });
    expect(added.value.ok).toBe(true);
    expect(added.value.data).toMatchObject({ text: 'first', author: 'user-a' });
    expect(added.counters.storageOps).toBe(1);

    await platform.invokeResolver({ moduleKey: 'release-panel', functionKey: 'example/addNote', payload: { text: 'second' }, accountId: 'user-b', extension: panel });
    const listed = await platform.invokeResolver<{ ok: boolean; data: { text: string }[] }>({
      moduleKey: 'release-panel',
      functionKey: 'example/listNotes',
      accountId: 'user-a',
      extension: panel,
    });
    expect(listed.value.data.map((n) => n.text)).toEqual(['second', 'first']);
    expect(listed.counters.storageOps).toBe(1);
    // The row is really in SQLite, not in a JS map.
    const rows = platform.db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number };
    expect(rows.n).toBeGreaterThan(0);
  });

  it('takes the actor from the invocation principal, not from a context the caller could spoof', async () => {
    const res = await platform.invoke<{ ok: boolean; data: { author: string } }>(
      'resolver',
      { call: { functionKey: 'example/addNote', payload: { text: 'spoof' } }, context: { accountId: 'mallory', extension: panel } },
      { accountId: 'user-a', moduleKey: 'release-panel' },
    );
    expect(res.value.data.author).toBe('user-a');
  });

  it('gives each invocation its own context, even when they interleave', async () => {
    const seen = await Promise.all(
      ['u1', 'u2', 'u3'].map((accountId) =>
        platform.run(
          async () => {
            await new Promise((r) => setTimeout(r, 5));
            const rt = (globalThis as unknown as { __forge_runtime__: { appContext: { invocationId: string } } }).__forge_runtime__;
            await kvs.set(`ctx-${accountId}`, accountId);
            return rt.appContext.invocationId;
          },
          { accountId },
        ),
      ),
    );
    expect(new Set(seen.map((s) => s.value)).size).toBe(3);
    for (const s of seen) {
      expect(s.value).toBe(s.invocationId);
      expect(s.counters.storageOps).toBe(1);
    }
  });

  it('reports the remaining time of the 25-second budget to the SDK', async () => {
    const res = await platform.run(() => {
      const rt = (globalThis as unknown as { __forge_runtime__: { lambdaContext: { getRemainingTimeInMillis(): number } } }).__forge_runtime__;
      return rt.lambdaContext.getRemainingTimeInMillis();
    });
    expect(res.value).toBeGreaterThan(24_000);
    expect(res.value).toBeLessThanOrEqual(25_000);
  });

  it('stops a function that runs past its time limit', async () => {
    const short = createPlatform({ timeoutMs: 50 });
    try {
      await expect(short.run(() => new Promise((r) => setTimeout(r, 500)))).rejects.toBeInstanceOf(FunctionTimeoutError);
    } finally {
      short.close();
    }
  });

  it('tags logs with the invocation that wrote them', async () => {
    const res = await platform.run(() => {
      console.log('hello from %s', 'inside');
      return 1;
    });
    expect(res.logs).toEqual([{ invocationId: res.invocationId, level: 'log', message: 'hello from inside' }]);
    expect(platform.logs).toContainEqual(res.logs[0]);
  });

  it('refuses SDK calls made outside any invocation', async () => {
    await expect(kvs.get('x')).rejects.toThrow(/outside a Forge invocation/);
  });

  it('delivers lifecycle events only to subscribed triggers', async () => {
    const results = await platform.deliverEvent('avi:forge:never-subscribed', {});
    expect(results).toEqual([]);
  });
});
