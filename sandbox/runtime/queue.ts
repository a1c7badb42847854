import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { LoadedManifest } from '../manifest';
import { realNow } from './context';

/**
 * Forge's async events queue (`@forge/events`), as the platform side sees it: the SDK's `push`, `getStats` and
 * `cancel` requests (`/webhook/queue/{publish,stats,cancel}/…` over `__forge_fetch__` to `stargate`), events kept
 * in SQLite until a manifest `consumer` module's function has processed them, at-least-once delivery with
 * retries inside a 24-hour retention window.
 *
 * Semantics follow forge-docs/runtime-reference/async-events-api (push limits: 50 events and 200 KB per push,
 * `delayInSeconds` ≤ 900; an event is delivered when its consumer returns anything but an `InvocationError`;
 * an `InvocationError` retries after its `retryAfter` (≤ 900 s) with `retryContext` {retryCount, retryReason,
 * retryData, retentionWindow}; a throw or time-out (app-level error) retries with exponential backoff up to
 * ~15 minutes; past the 24-hour retention window the event is dropped; cancelling a job skips its events not yet
 * started) and forge-docs/manifest-reference/modules/consumer (`consumer: [{ key, queue, function }]`).
 */

/** Forge's per-push limits (async-events-api "Push API"; also checked by the SDK before it sends). */
export const QUEUE_MAX_EVENTS_PER_PUSH = 50;
export const QUEUE_MAX_PUSH_BYTES = 200 * 1024;
export const QUEUE_MAX_DELAY_SECONDS = 900;
/** "Retention window … lasts for 24 hours" (async-events-api "Delivery guarantees"). */
export const QUEUE_RETENTION_MS = 24 * 3_600_000;
/** retryAfter above 900 s "are lowered to 900 seconds"; retryData "maximum … 4KB". */
export const QUEUE_MAX_RETRY_AFTER_SECONDS = 900;
export const QUEUE_MAX_RETRY_DATA_BYTES = 4 * 1024;

/** The event a consumer function receives (`AsyncEvent` of `@forge/events`). */
export interface ConsumerEvent {
  body: Record<string, unknown>;
  queueName: string;
  jobId: string;
  eventId: string;
  delayInSeconds?: number;
  concurrency?: { key: string; limit: number };
  retryContext?: {
    retryCount: number;
    retryReason: string;
    retryData: unknown;
    retentionWindow: { startTime: string; remainingTimeMs: number };
  };
}

export type QueueEventState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One queued event as a test may inspect it (`platform.queuedEvents()`). */
export interface QueuedEvent {
  eventId: string;
  queueName: string;
  jobId: string;
  body: Record<string, unknown>;
  state: QueueEventState;
  /** Deliveries started so far (a redelivery of a lost answer counts too). */
  deliveries: number;
  retryCount: number;
  lastError: string | undefined;
}

/** What a delivery did, as `drainQueues` reports it. */
export interface QueueDelivery {
  eventId: string;
  queueName: string;
  jobId: string;
  consumer: string;
  outcome: 'succeeded' | 'retry-requested' | 'error' | 'dropped';
  retryCount: number;
  error?: string;
}

export interface DrainOptions {
  /**
   * At-least-once, made visible: events for which this returns true are delivered once more after their first
   * successful delivery (as Forge may when the platform loses the consumer's answer).
   */
  redeliver?: (event: QueuedEvent) => boolean;
  /** Safety net for a test whose consumer never settles: stop after this many deliveries (default 10 000). */
  maxDeliveries?: number;
}

export interface DrainResult {
  deliveries: QueueDelivery[];
  /** Events left pending because no `consumer` module listens to their queue. */
  unconsumed: number;
}

/** Runs a consumer's function for one event; resolves with its (JSON) return value, rejects on error or time-out. */
export type ConsumerRunner = (functionKey: string, moduleKey: string, event: ConsumerEvent) => Promise<unknown>;

interface Row {
  seq: number;
  event_id: string;
  queue: string;
  job_id: string;
  body: string;
  delay_seconds: number | null;
  concurrency_key: string | null;
  concurrency_limit: number | null;
  enqueued_at: number;
  due_at: number;
  deliveries: number;
  retry_count: number;
  retry_reason: string | null;
  retry_data: string | null;
  state: QueueEventState;
  last_error: string | null;
  redelivered: number;
}

interface ApiResponse {
  status: number;
  body?: unknown;
}

const PATH = /^\/webhook\/queue\/(publish|stats|cancel)\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)$/;
const QUEUE_NAME = /^[a-zA-Z0-9-_]+$/;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Backoff after an app-level error: 10 s doubling, capped at 15 minutes (async-events-api "Retries"). */
export function backoffMs(retryCount: number): number {
  return Math.min(QUEUE_MAX_RETRY_AFTER_SECONDS * 1000, 10_000 * 2 ** Math.max(0, retryCount - 1));
}

export interface QueueIdentity {
  contextAri: string;
  environmentId: string;
  appId: string;
}

export class QueueService {
  private readonly consumers = new Map<string, { moduleKey: string; functionKey: string }>();
  private readonly inflight = new Set<Promise<void>>();
  /** Queue time runs ahead of the machine's when a drain skips a delay or a backoff. */
  private skewMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private draining = 0;
  private readonly recorded: QueueDelivery[] = [];

  constructor(
    private readonly db: Database.Database,
    manifest: LoadedManifest,
    private readonly identity: QueueIdentity,
    private readonly run: ConsumerRunner,
    private readonly options: { autoDeliver: boolean; parallelism: number; warn: (message: string) => void },
  ) {
    for (const m of manifest.modules) {
      if (m.moduleType !== 'consumer') continue;
      const queue = typeof m.queue === 'string' ? m.queue : undefined;
      if (!queue || !m.function) throw new Error(`manifest consumer '${m.key}' needs 'queue' and 'function'`);
      if (!manifest.functions.has(m.function)) throw new Error(`manifest consumer '${m.key}' names no function '${m.function}'`);
      if (this.consumers.has(queue)) throw new Error(`manifest: two consumers for queue '${queue}'`);
      this.consumers.set(queue, { moduleKey: m.key, functionKey: m.function });
    }
    db.exec(`
      CREATE TABLE IF NOT EXISTS forge_queue_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        queue TEXT NOT NULL,
        job_id TEXT NOT NULL,
        body TEXT NOT NULL,
        delay_seconds INTEGER,
        concurrency_key TEXT,
        concurrency_limit INTEGER,
        enqueued_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        deliveries INTEGER NOT NULL DEFAULT 0,
        retry_count INTEGER NOT NULL DEFAULT 0,
        retry_reason TEXT,
        retry_data TEXT,
        state TEXT NOT NULL,
        last_error TEXT,
        redelivered INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS forge_queue_due ON forge_queue_events (state, due_at, seq);
      CREATE INDEX IF NOT EXISTS forge_queue_job ON forge_queue_events (job_id);
    `);
    // A delivery that was running when the previous process stopped never answered: deliver it again.
    db.prepare(`UPDATE forge_queue_events SET state = 'pending' WHERE state = 'running'`).run();
    this.schedule();
  }

  /** Turns automatic delivery on (a running demo, after seeding) or off. */
  setAutoDeliver(on: boolean): void {
    this.options.autoDeliver = on;
    if (!on && this.timer) clearTimeout(this.timer);
    this.schedule();
  }

  /** The queues the manifest's consumers listen to. */
  queueNames(): string[] {
    return [...this.consumers.keys()];
  }

  private now(): number {
    return realNow() + this.skewMs;
  }

  /** One `@forge/events` request (`path` as the SDK sent it, `body` parsed). */
  handle(path: string, body: unknown): ApiResponse {
    const m = PATH.exec(path);
    if (!m) return { status: 404, body: { message: `local platform: no queue route ${path}` } };
    const [, op, contextAri, environmentId, appId] = m as unknown as [string, string, string, string, string];
    // The SDK sends placeholders that Forge's proxy fills; a filled path must name this installation.
    const mismatch =
      (contextAri !== '{contextAri}' && decodeURIComponent(contextAri) !== this.identity.contextAri) ||
      (environmentId !== '{environmentId}' && decodeURIComponent(environmentId) !== this.identity.environmentId) ||
      (appId !== '{appId}' && decodeURIComponent(appId) !== this.identity.appId);
    if (mismatch) return { status: 403, body: { message: 'queue request for another installation' } };
    if (!isObj(body) || typeof body.queueName !== 'string' || !QUEUE_NAME.test(body.queueName)) {
      return { status: 400, body: { message: 'Queue names can only contain alphanumeric characters, dashes and underscores.' } };
    }
    if (typeof body.jobId !== 'string' || body.jobId === '') return { status: 400, body: { message: 'jobId cannot be empty.' } };
    if (op === 'publish') return this.publish(body.queueName, body.jobId, body.payload);
    if (op === 'stats') return this.stats(body.queueName, body.jobId);
    return this.cancel(body.queueName, body.jobId);
  }

  private publish(queue: string, jobId: string, payload: unknown): ApiResponse {
    if (!Array.isArray(payload) || payload.length === 0) return { status: 400, body: { message: 'No events pushed.' } };
    if (payload.length > QUEUE_MAX_EVENTS_PER_PUSH) {
      return { status: 400, body: { message: `This push contains more than the ${QUEUE_MAX_EVENTS_PER_PUSH} events allowed.` } };
    }
    if (Buffer.byteLength(JSON.stringify(payload)) > QUEUE_MAX_PUSH_BYTES) {
      return { status: 413, body: { errorMessage: `The maximum payload size is ${QUEUE_MAX_PUSH_BYTES / 1024}KB.` } };
    }
    for (const e of payload) {
      if (!isObj(e) || !isObj(e.body)) return { status: 400, body: { message: 'Event body must be an object.' } };
      const d = e.delayInSeconds;
      if (d !== undefined && (typeof d !== 'number' || d < 0 || d > QUEUE_MAX_DELAY_SECONDS)) {
        return { status: 400, body: { message: 'The delayInSeconds setting must be between 0 and 900.' } };
      }
      const c = e.concurrency;
      if (c !== undefined && (!isObj(c) || typeof c.key !== 'string' || typeof c.limit !== 'number' || c.limit < 1)) {
        return { status: 400, body: { message: 'concurrency needs a key and a limit of at least 1' } };
      }
    }
    if (!this.consumers.has(queue)) this.options.warn(`queue '${queue}' has no consumer module in manifest.yml: its events wait undelivered`);
    const now = this.now();
    const insert = this.db.prepare(
      `INSERT INTO forge_queue_events (event_id, queue, job_id, body, delay_seconds, concurrency_key, concurrency_limit, enqueued_at, due_at, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
    );
    this.db.transaction(() => {
      for (const e of payload as Record<string, unknown>[]) {
        const delay = typeof e.delayInSeconds === 'number' ? e.delayInSeconds : 0;
        const c = isObj(e.concurrency) ? e.concurrency : undefined;
        insert.run(randomUUID(), queue, jobId, JSON.stringify(e.body), typeof e.delayInSeconds === 'number' ? delay : null, c ? String(c.key) : null, c ? Number(c.limit) : null, now, now + delay * 1000);
      }
    })();
    this.schedule();
    return { status: 201, body: {} };
  }

  private stats(queue: string, jobId: string): ApiResponse {
    const rows = this.db.prepare(`SELECT state, count(*) AS n FROM forge_queue_events WHERE job_id = ? AND queue = ? GROUP BY state`).all(jobId, queue) as { state: QueueEventState; n: number }[];
    if (rows.length === 0) return { status: 404, body: { message: 'job not found' } };
    const n = (s: QueueEventState) => rows.find((r) => r.state === s)?.n ?? 0;
    return { status: 200, body: { success: n('succeeded'), inProgress: n('pending') + n('running'), failed: n('failed') } };
  }

  private cancel(queue: string, jobId: string): ApiResponse {
    const any = this.db.prepare(`SELECT 1 FROM forge_queue_events WHERE job_id = ? AND queue = ? LIMIT 1`).get(jobId, queue);
    if (!any) return { status: 404, body: { message: 'job not found' } };
    this.db.prepare(`UPDATE forge_queue_events SET state = 'cancelled' WHERE job_id = ? AND queue = ? AND state = 'pending'`).run(jobId, queue);
    return { status: 204 };
  }

  /** Marks up to `max` due events running, honouring each concurrency key's limit; FIFO by due time. */
  private pick(max: number, now: number): Row[] {
    if (max <= 0 || this.consumers.size === 0) return [];
    const queues = [...this.consumers.keys()];
    const marks = queues.map(() => '?').join(',');
    const due = this.db
      .prepare(`SELECT * FROM forge_queue_events WHERE state = 'pending' AND due_at <= ? AND queue IN (${marks}) ORDER BY due_at, seq LIMIT ?`)
      .all(now, ...queues, max * 20) as Row[];
    const running = new Map<string, number>();
    for (const r of this.db.prepare(`SELECT concurrency_key AS k, count(*) AS n FROM forge_queue_events WHERE state = 'running' AND concurrency_key IS NOT NULL GROUP BY concurrency_key`).all() as { k: string; n: number }[]) {
      running.set(r.k, r.n);
    }
    const picked: Row[] = [];
    const mark = this.db.prepare(`UPDATE forge_queue_events SET state = 'running', deliveries = deliveries + 1 WHERE seq = ? AND state = 'pending'`);
    for (const r of due) {
      if (picked.length >= max) break;
      if (r.concurrency_key !== null) {
        const n = running.get(r.concurrency_key) ?? 0;
        if (n >= (r.concurrency_limit ?? 1)) continue;
        running.set(r.concurrency_key, n + 1);
      }
      if (mark.run(r.seq).changes === 1) picked.push({ ...r, deliveries: r.deliveries + 1 });
    }
    return picked;
  }

  private toEvent(r: Row): ConsumerEvent {
    const event: ConsumerEvent = { body: JSON.parse(r.body) as Record<string, unknown>, queueName: r.queue, jobId: r.job_id, eventId: r.event_id };
    if (r.delay_seconds !== null) event.delayInSeconds = r.delay_seconds;
    if (r.concurrency_key !== null) event.concurrency = { key: r.concurrency_key, limit: r.concurrency_limit ?? 1 };
    if (r.retry_count > 0 || r.retry_reason !== null) {
      event.retryContext = {
        retryCount: r.retry_count,
        retryReason: r.retry_reason ?? 'FUNCTION_RETRY_REQUEST',
        retryData: r.retry_data === null ? undefined : (JSON.parse(r.retry_data) as unknown),
        retentionWindow: {
          startTime: new Date(r.enqueued_at).toISOString(),
          remainingTimeMs: Math.max(0, r.enqueued_at + QUEUE_RETENTION_MS - this.now()),
        },
      };
    }
    return event;
  }

  private deliver(r: Row, drain: DrainOptions | undefined, out: QueueDelivery[]): Promise<void> {
    const consumer = this.consumers.get(r.queue);
    if (!consumer) throw new Error(`no consumer for ${r.queue}`);
    const base = { eventId: r.event_id, queueName: r.queue, jobId: r.job_id, consumer: consumer.moduleKey };
    const record = (d: QueueDelivery) => {
      out.push(d);
      this.recorded.push(d);
    };
    const settle = (retryAfterMs: number | null, reason: string | null, data: unknown, error: string | undefined) => {
      if (this.closed) return;
      // Cancelled while running: the running invocation is not affected, its retries are.
      const current = this.db.prepare(`SELECT state FROM forge_queue_events WHERE seq = ?`).get(r.seq) as { state: QueueEventState } | undefined;
      if (retryAfterMs === null) {
        const again = drain?.redeliver && r.redelivered === 0 && drain.redeliver(this.info({ ...r, state: 'succeeded' }));
        this.db.prepare(`UPDATE forge_queue_events SET state = ?, redelivered = ? WHERE seq = ?`).run(again ? 'pending' : 'succeeded', again ? 1 : r.redelivered, r.seq);
        record({ ...base, outcome: 'succeeded', retryCount: r.retry_count });
        return;
      }
      const dueAt = this.now() + retryAfterMs;
      const outcome = reason === 'FUNCTION_RETRY_REQUEST' || reason === 'FUNCTION_UPSTREAM_RATE_LIMITED' ? 'retry-requested' : 'error';
      if (dueAt > r.enqueued_at + QUEUE_RETENTION_MS || current?.state === 'cancelled') {
        this.db.prepare(`UPDATE forge_queue_events SET state = ?, last_error = ? WHERE seq = ?`).run(current?.state === 'cancelled' ? 'cancelled' : 'failed', error ?? reason, r.seq);
        record({ ...base, outcome: current?.state === 'cancelled' ? outcome : 'dropped', retryCount: r.retry_count, ...(error ? { error } : {}) });
        return;
      }
      let retryData: string | null = null;
      if (data !== undefined) {
        retryData = JSON.stringify(data);
        if (Buffer.byteLength(retryData) > QUEUE_MAX_RETRY_DATA_BYTES) retryData = null;
      }
      this.db
        .prepare(`UPDATE forge_queue_events SET state = 'pending', due_at = ?, retry_count = retry_count + 1, retry_reason = ?, retry_data = ?, last_error = ? WHERE seq = ?`)
        .run(dueAt, reason, retryData, error ?? null, r.seq);
      record({ ...base, outcome, retryCount: r.retry_count, ...(error ? { error } : {}) });
    };
    const p = this.run(consumer.functionKey, consumer.moduleKey, this.toEvent(r))
      .then(
        (value) => {
          if (isObj(value) && value._retry === true) {
            const opts = isObj(value.retryOptions) ? value.retryOptions : {};
            const after = typeof opts.retryAfter === 'number' && opts.retryAfter > 0 ? Math.min(opts.retryAfter, QUEUE_MAX_RETRY_AFTER_SECONDS) : 1;
            settle(after * 1000, typeof opts.retryReason === 'string' ? opts.retryReason : 'FUNCTION_RETRY_REQUEST', opts.retryData, undefined);
          } else {
            settle(null, null, undefined, undefined);
          }
        },
        (err: unknown) => {
          const timedOut = err instanceof Error && err.name === 'FunctionTimeoutError';
          settle(backoffMs(r.retry_count + 1), timedOut ? 'FUNCTION_TIME_OUT' : 'FUNCTION_ERROR', undefined, err instanceof Error ? err.message : String(err));
        },
      )
      .finally(() => {
        this.inflight.delete(p);
        this.schedule();
      });
    this.inflight.add(p);
    return p;
  }

  private info(r: Row): QueuedEvent {
    return {
      eventId: r.event_id,
      queueName: r.queue,
      jobId: r.job_id,
      body: JSON.parse(r.body) as Record<string, unknown>,
      state: r.state,
      deliveries: r.deliveries,
      retryCount: r.retry_count,
      lastError: r.last_error ?? undefined,
    };
  }

  /** Auto delivery (a running `npm start`): wake at the next due event. Timers are unref'd. */
  private schedule(): void {
    if (!this.options.autoDeliver || this.closed || this.draining > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const started = this.pick(this.options.parallelism - this.inflight.size, this.now());
    for (const r of started) void this.deliver(r, undefined, []);
    const next = this.nextDue();
    if (next === undefined || this.inflight.size >= this.options.parallelism) return;
    this.timer = setTimeout(() => this.schedule(), Math.max(5, next - this.now()));
    this.timer.unref();
  }

  private nextDue(): number | undefined {
    if (this.consumers.size === 0) return undefined;
    const queues = [...this.consumers.keys()];
    const row = this.db
      .prepare(`SELECT min(due_at) AS d FROM forge_queue_events WHERE state = 'pending' AND queue IN (${queues.map(() => '?').join(',')})`)
      .get(...queues) as { d: number | null };
    return row.d ?? undefined;
  }

  /**
   * Delivers every event until the queues are empty, skipping delays and backoffs (queue time jumps ahead to
   * the next due event), `parallelism` at a time, as Forge runs consumers concurrently.
   */
  async drain(opts: DrainOptions = {}): Promise<DrainResult> {
    const out: QueueDelivery[] = [];
    const max = opts.maxDeliveries ?? 10_000;
    let started = 0;
    this.draining += 1;
    if (this.timer) clearTimeout(this.timer);
    try {
      for (;;) {
        if (this.closed) break;
        const batch = started < max ? this.pick(Math.min(this.options.parallelism - this.inflight.size, max - started), this.now()) : [];
        started += batch.length;
        for (const r of batch) void this.deliver(r, opts, out);
        if (batch.length > 0) continue;
        if (this.inflight.size > 0) {
          await Promise.race(this.inflight);
          continue;
        }
        const next = started < max ? this.nextDue() : undefined;
        if (next === undefined) break;
        this.skewMs += Math.max(0, next - this.now());
      }
    } finally {
      this.draining -= 1;
      this.schedule();
    }
    const unconsumed = (this.db.prepare(`SELECT count(*) AS n FROM forge_queue_events WHERE state = 'pending'`).get() as { n: number }).n;
    return { deliveries: out, unconsumed };
  }

  /** Every event the platform holds, oldest first (for tests and the demo's diagnostics). */
  events(filter: { queueName?: string; jobId?: string } = {}): QueuedEvent[] {
    const rows = this.db.prepare(`SELECT * FROM forge_queue_events ORDER BY seq`).all() as Row[];
    return rows.filter((r) => (!filter.queueName || r.queue === filter.queueName) && (!filter.jobId || r.job_id === filter.jobId)).map((r) => this.info(r));
  }

  /** Every delivery since the platform started. */
  deliveries(): readonly QueueDelivery[] {
    return this.recorded;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inflight]);
  }
}
