import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PayloadTooBigError, Queue, TooManyEventsError, JobDoesNotExistError } from '@forge/events';
import { kvs, WhereConditions } from '@forge/kvs';
import { __requestAtlassianAsApp } from '@forge/api';
import { createPlatform, type Platform } from '../../sandbox';
import { backoffMs, QUEUE_RETENTION_MS } from '../../sandbox/runtime/queue';
import type { SeenDelivery } from '../fixtures/queue/src/consumers';

/**
 * The local platform's `@forge/events` queue and `consumer` modules, driven by the real SDK, checked against
 * forge-docs/runtime-reference/async-events-api and forge-docs/manifest-reference/modules/consumer.
 */
const FIXTURE = resolve(__dirname, '..', 'fixtures', 'queue', 'manifest.yml');

async function seen(platform: Platform): Promise<SeenDelivery[]> {
  const inv = await platform.run(async () => {
    const out: SeenDelivery[] = [];
    let cursor: string | undefined;
    do {
      let q = kvs.query().where('key', WhereConditions.beginsWith('seen-0')).limit(100);
      if (cursor) q = q.cursor(cursor);
      const page = await q.getMany<SeenDelivery>();
      out.push(...page.results.map((r) => r.value));
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  });
  return inv.value;
}

const push = (platform: Platform, queue: string, events: Parameters<Queue['push']>[0]) =>
  platform.run(() => new Queue({ key: queue }).push(events)).then((i) => i.value.jobId);

describe('@forge/events queues on the local platform', () => {
  let platform: Platform;
  beforeEach(() => {
    platform = createPlatform({ manifestPath: FIXTURE });
  });
  afterEach(() => platform.close());

  it('keeps pushed events until they are drained, then runs the consumer with an AsyncEvent and no principal', async () => {
    const jobId = await push(platform, 'work', [{ body: { n: 1 } }, { body: { n: 2 } }]);
    expect(await seen(platform)).toEqual([]);
    const stats = await platform.run(() => new Queue({ key: 'work' }).getJob(jobId).getStats());
    expect(stats.value).toEqual({ success: 0, inProgress: 2, failed: 0 });

    const result = await platform.drainQueues();
    expect(result.deliveries.map((d) => d.outcome)).toEqual(['succeeded', 'succeeded']);
    const deliveries = await seen(platform);
    expect(deliveries.map((d) => d.body.n).sort()).toEqual([1, 2]);
    for (const d of deliveries) {
      expect(d).toMatchObject({ jobId, queueName: 'work', principal: null });
      expect(d.eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(d.retryContext).toBeUndefined();
    }
    const after = await platform.run(() => new Queue({ key: 'work' }).getJob(jobId).getStats());
    expect(after.value).toEqual({ success: 2, inProgress: 0, failed: 0 });
  });

  it('retries an InvocationError after its retryAfter with retryContext (count, reason, data, retention window)', async () => {
    await push(platform, 'work', { body: { mode: 'retry', failTimes: 2 } });
    const result = await platform.drainQueues();
    expect(result.deliveries.map((d) => d.outcome)).toEqual(['retry-requested', 'retry-requested', 'succeeded']);
    const [first, second, third] = await seen(platform);
    expect(first?.retryContext).toBeUndefined();
    expect(second?.retryContext).toMatchObject({ retryCount: 1, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED', retryData: { attempt: 0 } });
    expect(third?.retryContext).toMatchObject({ retryCount: 2, retryData: { attempt: 1 } });
    const window = third?.retryContext?.retentionWindow;
    // Queue time jumped 2 × 120 s ahead: the remaining window shrank by as much.
    expect(window?.remainingTimeMs).toBeLessThanOrEqual(QUEUE_RETENTION_MS - 240_000);
    expect(window?.remainingTimeMs).toBeGreaterThan(QUEUE_RETENTION_MS - 250_000);
    expect(new Set([first?.eventId, second?.eventId, third?.eventId]).size).toBe(1);
  });

  it('retries a consumer that throws (an app-level error) with growing backoff', async () => {
    await push(platform, 'work', { body: { mode: 'throw', failTimes: 3 } });
    const result = await platform.drainQueues();
    expect(result.deliveries.map((d) => d.outcome)).toEqual(['error', 'error', 'error', 'succeeded']);
    expect(result.deliveries[0]?.error).toBe('boom on attempt 0');
    expect((await seen(platform)).map((d) => d.retryContext?.retryCount ?? 0)).toEqual([0, 1, 2, 3]);
    expect([1, 2, 3, 4, 8, 9].map(backoffMs)).toEqual([10_000, 20_000, 40_000, 80_000, 900_000, 900_000]);
  });

  it('drops an event that keeps failing once its 24-hour retention window is over, and counts it failed', async () => {
    const jobId = await push(platform, 'work', { body: { mode: 'throw', failTimes: -1 } });
    const result = await platform.drainQueues();
    const last = result.deliveries.at(-1);
    expect(last?.outcome).toBe('dropped');
    // 10 s doubling to 15 min, then every 15 min: about 24 h / 15 min attempts, not an endless loop.
    expect(result.deliveries.length).toBeGreaterThan(90);
    expect(result.deliveries.length).toBeLessThan(110);
    const stats = await platform.run(() => new Queue({ key: 'work' }).getJob(jobId).getStats());
    expect(stats.value).toEqual({ success: 0, inProgress: 0, failed: 1 });
  });

  it('skips the not-yet-started events of a cancelled job; an unknown job is a JobDoesNotExistError', async () => {
    const jobId = await push(platform, 'work', [{ body: { n: 1 } }, { body: { n: 2 } }]);
    const kept = await push(platform, 'work', { body: { n: 3 } });
    await platform.run(() => new Queue({ key: 'work' }).cancel(jobId));
    await platform.drainQueues();
    expect((await seen(platform)).map((d) => d.body.n)).toEqual([3]);
    expect((await platform.run(() => new Queue({ key: 'work' }).getStats(kept))).value.success).toBe(1);
    await expect(platform.run(() => new Queue({ key: 'work' }).getStats('no-such-job'))).rejects.toBeInstanceOf(JobDoesNotExistError);
  });

  it('refuses what Forge refuses: more than 50 events or 200 KB in one push, a delay over 900 s', async () => {
    const many = Array.from({ length: 51 }, (_, n) => ({ body: { n } }));
    await expect(push(platform, 'work', many)).rejects.toBeInstanceOf(TooManyEventsError);
    await expect(push(platform, 'work', { body: { blob: 'x'.repeat(205 * 1024) } })).rejects.toBeInstanceOf(PayloadTooBigError);
    // The platform checks too, whatever the client: a raw request past the SDK's checks gets Forge's 413.
    const raw = await platform.run(async () => {
      const res = await __requestAtlassianAsApp('/webhook/queue/publish/{contextAri}/{environmentId}/{appId}/{appVersion}', {
        method: 'POST',
        body: JSON.stringify({ queueName: 'work', jobId: 'j1', payload: [{ body: { blob: 'x'.repeat(205 * 1024) } }] }),
      });
      return res.status;
    });
    expect(raw.value).toBe(413);
    await expect(push(platform, 'work', { body: {}, delayInSeconds: 901 })).rejects.toThrow(/between 0 and 900/);
    expect(platform.queues.events()).toEqual([]);
  });

  it('holds a delayed event until its time (drain skips the wait) and honours a concurrency limit', async () => {
    await push(platform, 'work', [
      { body: { n: 'late' }, delayInSeconds: 600 },
      ...[1, 2, 3, 4].map((n) => ({ body: { n, holdMs: 20 }, concurrency: { key: 'one-at-a-time', limit: 1 } })),
    ]);
    await platform.drainQueues();
    const order = await seen(platform);
    expect(order.map((d) => d.body.n)).toEqual([1, 2, 3, 4, 'late']);
    // Four events with limit 1 never overlapped.
    expect(order.slice(0, 4).map((d) => d.running)).toEqual([1, 1, 1, 1]);
  });

  it('runs consumers concurrently when nothing limits them (as Forge does)', async () => {
    await push(platform, 'work', [1, 2, 3, 4].map((n) => ({ body: { n, holdMs: 30 } })));
    await platform.drainQueues();
    expect(Math.max(...(await seen(platform)).map((d) => d.running))).toBeGreaterThan(1);
  });

  it('can deliver an event twice (at least once): the consumer sees the same eventId again', async () => {
    await push(platform, 'work', [{ body: { n: 'twice' } }, { body: { n: 'once' } }]);
    await platform.drainQueues({ redeliver: (e) => e.body.n === 'twice' });
    const ids = (await seen(platform)).filter((d) => d.body.n === 'twice').map((d) => d.eventId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    expect((await seen(platform)).filter((d) => d.body.n === 'once')).toHaveLength(1);
  });

  it("stops a consumer at its function's timeoutSeconds: its later write is refused and the event retried", async () => {
    await push(platform, 'slow', { body: {} });
    const result = await platform.drainQueues();
    expect(result.deliveries.map((d) => d.outcome)).toEqual(['error', 'succeeded']);
    expect(result.deliveries[0]?.error).toMatch(/timed out after 1000 ms/);
    await new Promise((r) => setTimeout(r, 500)); // the stopped handler's late write has been attempted by now
    const keys = await platform.run(async () => (await kvs.query().where('key', WhereConditions.beginsWith('slow-')).getMany()).results.map((r) => r.key));
    expect(keys.value.some((k) => k.startsWith('slow-after-'))).toBe(false);
    expect(keys.value.filter((k) => k.startsWith('slow-before-'))).toHaveLength(2);
    const event = platform.queues.events({ queueName: 'slow' })[0];
    expect(event).toMatchObject({ state: 'succeeded', deliveries: 2, retryCount: 1 });
  });

  it('delivers by itself, on time, with autoDeliver (a running demo)', async () => {
    const live = createPlatform({ manifestPath: FIXTURE, queues: { autoDeliver: true } });
    try {
      await push(live, 'work', [{ body: { n: 'now' } }, { body: { n: 'soon' }, delayInSeconds: 1 }]);
      const deadline = Date.now() + 5000;
      while ((await seen(live)).length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect((await seen(live)).map((d) => d.body.n)).toEqual(['now']);
      while ((await seen(live)).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await seen(live)).map((d) => d.body.n)).toEqual(['now', 'soon']);
    } finally {
      live.close();
    }
  });

  it('keeps queued events across a restart; a delivery cut short by the stop is delivered again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'queue-'));
    try {
      const dbPath = join(dir, 'q.sqlite');
      const first = createPlatform({ manifestPath: FIXTURE, dbPath });
      await push(first, 'work', [{ body: { n: 1 } }, { body: { n: 2 } }]);
      first.db.prepare(`UPDATE forge_queue_events SET state = 'running', deliveries = 1 WHERE seq = 1`).run();
      first.close();
      const second = createPlatform({ manifestPath: FIXTURE, dbPath });
      try {
        await second.drainQueues();
        expect((await seen(second)).map((d) => d.body.n).sort()).toEqual([1, 2]);
        expect(second.queues.events().map((e) => e.deliveries)).toEqual([2, 1]);
      } finally {
        second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves events of a queue no consumer listens to undelivered, and says so', async () => {
    await push(platform, 'nobody-listens', { body: {} });
    const result = await platform.drainQueues();
    expect(result).toEqual({ deliveries: [], unconsumed: 1 });
    expect(platform.logs.some((l) => l.level === 'warn' && l.message.includes("'nobody-listens' has no consumer"))).toBe(true);
  });

  it('gives handlers the runtime fields real ones get: contextAri, container.appCodeDir, permission scopes', async () => {
    const inv = await platform.run(() => {
      const rt = (globalThis as unknown as { __forge_runtime__: { contextAri: string; container: { appCodeDir: string }; appContext: { permissions: { scopes: string[] } } } }).__forge_runtime__;
      return { contextAri: rt.contextAri, appCodeDir: rt.container.appCodeDir, scopes: rt.appContext.permissions.scopes };
    });
    expect(inv.value).toEqual({ contextAri: `ari:cloud:jira::site/${platform.cloudId}`, appCodeDir: resolve(FIXTURE, '..'), scopes: ['storage:app'] });
  });
});

describe('app event triggers on the local platform', () => {
  let platform: Platform;
  beforeEach(() => {
    platform = createPlatform({ manifestPath: FIXTURE, environment: { id: 'env-9', type: 'PRODUCTION' } });
  });
  afterEach(() => platform.close());

  it('upgradeApp delivers avi:forge:upgraded:app with the life-cycle payload; an InvocationError is redelivered at most four times', async () => {
    await platform.run(() => kvs.set('upgrade-fail-times', 10));
    const deliveries = await platform.upgradeApp({ version: '3.0.0' });
    expect(deliveries.map((d) => d.value)).toEqual([
      ...[0, 1, 2, 3, 4].map(() => expect.objectContaining({ _retry: true }) as unknown),
    ]);
    const seenUpgrades = (await platform.run(async () => Promise.all([0, 1, 2, 3, 4, 5].map((n) => kvs.get<{ retryContext: unknown; app: unknown; environment: unknown; id: unknown }>(`upgraded-${n}`))))).value;
    expect(seenUpgrades[0]).toEqual({ retryContext: null, app: { id: '22222222-3333-4444-8555-666666666666', version: '3.0.0' }, environment: { id: 'env-9' }, id: expect.stringContaining('env-9') as unknown });
    expect(seenUpgrades.slice(1, 5).map((x) => x?.retryContext)).toEqual(
      [1, 2, 3, 4].map((retryCount) => ({ retryCount, retryReason: 'FUNCTION_RETRY_REQUEST', retryData: { attempt: retryCount - 1 } })),
    );
    expect(seenUpgrades[5]).toBeUndefined();
  });

  it('stops redelivering once the trigger succeeds', async () => {
    await platform.run(() => kvs.set('upgrade-fail-times', 2));
    const deliveries = await platform.upgradeApp();
    expect(deliveries.map((d) => d.value)).toEqual([expect.objectContaining({ _retry: true }), expect.objectContaining({ _retry: true }), { attempt: 2 }]);
  });
});
