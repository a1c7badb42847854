import { route } from '@forge/api';
import { createPlatform, type Platform } from '../../sandbox';
import { jiraEmulatorOf, jiraFactory } from '../../sandbox/jira';
import { JiraError, requestJira, retryDelayMs, defaultRetryPolicy } from '../../src/jira/client';

/** The app's Jira client against the local Jira's fault injection: 429 storms, 5xx, Retry-After, budget. */
describe('Jira client retries', () => {
  let platform: Platform;
  beforeEach(() => {
    platform = createPlatform({ jira: jiraFactory() });
    const jira = jiraEmulatorOf(platform);
    jira.addUser({ accountId: 'ann', displayName: 'Ann' });
    jira.addProject({ key: 'RG', adminAccountId: 'ann' });
  });
  afterEach(() => platform.close());

  const myself = () => requestJira<{ accountId: string }>(route`/rest/api/3/myself`, { as: 'user' });

  it('rides out a 429 storm, honouring Retry-After, within the invocation budget', async () => {
    jiraEmulatorOf(platform).injectFault({ pathPattern: '/rest/api/3/myself', status: 429, retryAfterSeconds: 1, times: 3 });
    const started = Date.now();
    const res = await platform.run(myself, { accountId: 'ann' });
    const elapsed = Date.now() - started;
    expect(res.value.data.accountId).toBe('ann');
    // Three refusals, each followed by the 1 s the server asked for, then success.
    expect(res.counters.jiraRequests).toBe(4);
    expect(elapsed).toBeGreaterThanOrEqual(3000);
    expect(elapsed).toBeLessThan(25_000);
  });

  it('retries 5xx with backoff', async () => {
    jiraEmulatorOf(platform).injectFault({ pathPattern: '/rest/api/3/myself', status: 503, times: 2 });
    const res = await platform.run(myself, { accountId: 'ann' });
    expect(res.counters.jiraRequests).toBe(3);
  });

  it('gives up with a clear error instead of overrunning the time budget', async () => {
    const short = createPlatform({ jira: jiraFactory(), timeoutMs: 4000 });
    try {
      const jira = jiraEmulatorOf(short);
      jira.addUser({ accountId: 'ann' });
      jira.injectFault({ pathPattern: '/rest/api/3/myself', status: 429, retryAfterSeconds: 30, times: Infinity });
      await expect(short.run(myself, { accountId: 'ann' })).rejects.toThrow(/gave up within the invocation's time budget/);
    } finally {
      short.close();
    }
  });

  it('does not retry a 4xx that is an answer', async () => {
    const res = platform.run(() => requestJira(route`/rest/api/3/issue/${'RG-999'}`, { as: 'user' }), { accountId: 'ann' });
    await expect(res).rejects.toBeInstanceOf(JiraError);
  });

  it('computes delays from Retry-After (seconds or date) or capped exponential backoff', () => {
    expect(retryDelayMs(1, '2', defaultRetryPolicy, 0)).toBe(2000);
    expect(retryDelayMs(1, new Date(5000).toUTCString(), defaultRetryPolicy, 1000)).toBe(4000);
    expect(retryDelayMs(1, null, defaultRetryPolicy, 0, () => 1)).toBe(defaultRetryPolicy.baseDelayMs);
    expect(retryDelayMs(20, null, defaultRetryPolicy, 0, () => 1)).toBe(defaultRetryPolicy.maxDelayMs);
    expect(retryDelayMs(3, null, defaultRetryPolicy, 0, () => 0)).toBe(defaultRetryPolicy.baseDelayMs * 2);
  });
});
