import { createPlatform, FunctionTimeoutError, type Platform } from '../../sandbox';
import { kvs } from '@forge/kvs';
import { jiraEmulatorOf, jiraFactory } from '../../sandbox/jira';

/** The function runtime: Forge's invocation shapes, one context per call, the time limit, tagged logs. */
describe('function runtime', () => {
  let platform: Platform;
  let issue: { id: string; key: string; projectId: string };
  beforeAll(() => {
    platform = createPlatform({ jira: jiraFactory() });
    const jira = jiraEmulatorOf(platform);
    jira.addUser({ accountId: 'user-a', displayName: 'User A' });
    jira.addUser({ accountId: 'mallory', displayName: 'Mallory' });
    const project = jira.addProject({ key: 'RG', name: 'Release Governance', adminAccountId: 'user-a' });
    const row = jira.addIssue({ project: 'RG', summary: 'A release request', reporterAccountId: 'user-a' });
    issue = { id: String(row.id), key: row.key, projectId: String(project.id) };
  });
  afterAll(() => platform.close());

  const panel = () => ({ type: 'jira:issuePanel', issue: { key: issue.key, id: issue.id }, project: { key: 'RG', id: issue.projectId } });

  it('runs a resolver end to end: invoke → @forge/resolver → @forge/api and @forge/kvs → Jira and SQLite', async () => {
    const res = await platform.invokeResolver<{ ok: boolean; data: { issueKey: string; actor: { accountId: string }; release: unknown } }>({
      moduleKey: 'release-panel',
      functionKey: 'panel/get',
      payload: {},
      accountId: 'user-a',
      extension: panel(),
    });
    expect(res.value.ok).toBe(true);
    expect(res.value.data).toMatchObject({ issueKey: issue.key, actor: { accountId: 'user-a' }, release: null });
    expect(res.counters.jiraRequests).toBe(1);
    expect(res.counters.storageOps).toBeGreaterThan(0);
    // The rows are really in SQLite, not in a JS map.
    const rows = platform.db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number };
    expect(rows.n).toBeGreaterThan(0);
  });

  it('takes the actor from the invocation principal, not from a context the caller could spoof', async () => {
    const res = await platform.invoke<{ ok: boolean; data: { actor: { accountId: string } } }>(
      'resolver',
      { call: { functionKey: 'panel/get', payload: {} }, context: { accountId: 'mallory', extension: panel() } },
      { accountId: 'user-a', moduleKey: 'release-panel' },
    );
    expect(res.value.data.actor.accountId).toBe('user-a');
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

  it.each(['constructor', '__proto__', 'valueOf', 'hasOwnProperty', 'toString', ''])(
    "answers resolver key '%s' (not one of ours) with the structured unknown-resolver error, echoing nothing",
    async (functionKey) => {
      const res = await platform.invoke<{ ok: boolean; error: { code: string; messageKey: string } }>(
        'resolver',
        { call: { functionKey, payload: { secret: 'payload-echo' } }, context: { marker: 'context-echo', extension: panel() } },
        { accountId: 'user-a', moduleKey: 'release-panel' },
      );
      expect(res.value).toEqual({ ok: false, error: { code: 'UNKNOWN_RESOLVER', message: 'This action is not available.', messageKey: 'server.error.UNKNOWN_RESOLVER' } });
      expect(JSON.stringify(res.value)).not.toMatch(/echo/);
    },
  );

  it('answers a refusal as a code with its locale key and parameters, for the UI to say in the user’s language', async () => {
    const res = await platform.invokeResolver<{ ok: boolean; error: Record<string, unknown> }>({
      moduleKey: 'release-panel',
      functionKey: 'panel/get',
      payload: { unexpected: true },
      accountId: 'user-a',
      extension: panel(),
    });
    expect(res.value.ok).toBe(false);
    expect(res.value.error).toMatchObject({ code: 'VALIDATION_FAILED', messageKey: expect.stringMatching(/^server\.error\.VALIDATION_FAILED/) as unknown });
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

  it("applies a trigger's filter as Forge does: the issue trigger gets Release Requests only", async () => {
    const event = (typeName: string) => ({ issue: { id: issue.id, key: issue.key, fields: { issuetype: { id: '1', name: typeName } } }, atlassianId: 'user-a' });
    expect(await platform.deliverEvent('avi:jira:created:issue', event('Bug'))).toEqual([]);
    const delivered = await platform.deliverEvent('avi:jira:created:issue', event('Release Request'));
    expect(delivered).toHaveLength(1);
    // An event without the issue's fields is not shown to be a Release Request: dropped too.
    expect(await platform.deliverEvent('avi:jira:created:issue', { issue: { id: issue.id } })).toEqual([]);
  });

  it('delivers lifecycle events only to subscribed triggers', async () => {
    const results = await platform.deliverEvent('avi:forge:never-subscribed', {});
    expect(results).toEqual([]);
  });
});
