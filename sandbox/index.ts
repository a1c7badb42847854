import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { loadManifest, type LoadedManifest, type ManifestModule } from './manifest';
import { FunctionKilledError, invocationStore, newCounters, realNow, type InvocationContext, type InvocationCounters, type LogLine } from './runtime/context';

export { FunctionKilledError } from './runtime/context';
import { installForgeGlobals } from './runtime/globals';
import type { JiraBackend, PlatformHooks, StargateBackend } from './runtime/backends';
import { KvsStore } from './kvs/store';
import { evaluateJiraExpression } from './jira/expression';
import { QueueService, type DrainOptions, type DrainResult } from './runtime/queue';
import { webTriggerEvent, webTriggerId, webTriggerResponse, type WebTriggerHttpRequest, type WebTriggerResponse } from './runtime/webtrigger';

export type { InvocationCounters, LogLine } from './runtime/context';
export type { JiraBackend, KvsBackend, PlatformHooks, StargateBackend } from './runtime/backends';
export type { ConsumerEvent, DrainOptions, DrainResult, QueueDelivery, QueuedEvent } from './runtime/queue';
export { QueueService } from './runtime/queue';
export type { WebTriggerHttpRequest, WebTriggerResponse } from './runtime/webtrigger';
export { webTriggerPath } from './runtime/webtrigger';

/** Forge's default function timeout (limits-invocation). */
export const FORGE_TIMEOUT_MS = 25_000;
/** Forge's default timeout of a function that only a scheduled trigger (or consumer) references. */
export const FORGE_SCHEDULED_TIMEOUT_MS = 55_000;

export interface PlatformOptions {
  /** SQLite file for the store (and Jira); `:memory:` for tests. Default `:memory:`. */
  dbPath?: string;
  /** manifest.yml to run. Default: the app's own. */
  manifestPath?: string;
  /** Folder holding the functions' sources (`src/`), or a `@forge/bundler` output (`<file>.cjs`). Default: beside the manifest. */
  srcDir?: string;
  /** The Jira the app talks to; built on the platform's database, hooks and manifest. Default: none (requests get 501). */
  jira?: (db: Database.Database, hooks: PlatformHooks, manifest: LoadedManifest) => JiraBackend;
  cloudId?: string;
  /** Function timeout; Forge's is 25 s. */
  timeoutMs?: number;
  /** Echo invocation logs to the console as they happen. */
  echoLogs?: boolean;
  /**
   * The time the app sees: `Date.now()` inside this platform's invocations reads it (e.g. a seeded demo's
   * past months). Default: the machine's clock. Deadlines and durations stay in real time.
   */
  clock?: () => number;
  /**
   * `@forge/events` queues: with `autoDeliver` (a running demo) events reach their `consumer` modules by
   * themselves, on time; without it (the default, for tests) they wait for `platform.drainQueues()`.
   * `parallelism`: how many consumer invocations run at once (default 4).
   */
  queues?: { autoDeliver?: boolean; parallelism?: number };
  /** This installation's environment (several environments of one app can be installed on one site). */
  environment?: { id: string; type: 'DEVELOPMENT' | 'STAGING' | 'PRODUCTION' };
  /** `__forge_runtime__.container.appCodeDir`: where the deployed code (and its `__LOCALES__`) lives. Default: the manifest's folder. */
  appCodeDir?: string;
}

export interface InvokeOptions {
  accountId?: string;
  moduleKey?: string;
  /** Extra backend-runtime fields (installContext, license...) merged into the second handler argument. */
  backend?: Record<string, unknown>;
  /** The invocation's time limit when the function declares no `timeoutSeconds`. */
  timeoutMs?: number;
}

export interface Invocation<T = unknown> {
  invocationId: string;
  value: T;
  counters: InvocationCounters;
  logs: LogLine[];
  durationMs: number;
}

export interface InvocationRecord {
  invocationId: string;
  functionKey: string;
  counters: InvocationCounters;
  durationMs: number;
  ok: boolean;
}

export interface ResolverCall {
  /** The module whose resolver is called (its `resolver.function` names the function). */
  moduleKey: string;
  /** The resolver definition key, as `invoke(functionKey, payload)` names it in the browser. */
  functionKey: string;
  payload?: unknown;
  accountId?: string;
  /** `context.extension` as Jira gives it for the module (issue, project, type...). */
  extension?: Record<string, unknown>;
  localId?: string;
}

/** forge-docs/limits-invocation: "Front-end invocation request payload size 500KB", response 5MB, other invocations 5MB. */
export const FORGE_FRONTEND_REQUEST_LIMIT_BYTES = 500 * 1024;
export const FORGE_FRONTEND_RESPONSE_LIMIT_BYTES = 5 * 1024 * 1024;
export const FORGE_INVOCATION_PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

/** An invocation Forge refuses for its size, before (request) or instead of delivering (response) it. */
export class PayloadTooLargeError extends Error {
  constructor(readonly direction: 'request' | 'response', readonly bytes: number, readonly limit: number) {
    super(`Forge invocation ${direction} payload of ${bytes} bytes exceeds the ${Math.round(limit / 1024)} KB limit`);
    this.name = 'PayloadTooLargeError';
  }
}

export class FunctionTimeoutError extends Error {
  constructor(functionKey: string, ms: number) {
    super(`Function '${functionKey}' timed out after ${ms} ms`);
    this.name = 'FunctionTimeoutError';
  }
}

export interface Platform {
  readonly db: Database.Database;
  readonly manifest: LoadedManifest;
  readonly kvs: KvsStore;
  readonly jira: JiraBackend;
  readonly cloudId: string;
  readonly logs: LogLine[];
  /** Every invocation that ended (completed, failed, killed or timed out): its function and counters. */
  readonly invocations: InvocationRecord[];
  /** Runs a manifest function with a raw event, as Forge would. */
  invoke<T = unknown>(functionKey: string, event: unknown, opts?: InvokeOptions): Promise<Invocation<T>>;
  /** Calls a Custom UI resolver through its module, with Forge's `{ call, context }` shape. */
  invokeResolver<T = unknown>(call: ResolverCall): Promise<Invocation<T>>;
  /**
   * Fires a `scheduledTrigger` module once, as Forge's scheduler does: `{ context: { cloudId, moduleKey },
   * contextToken }`, no principal, 55 s unless the function sets `timeoutSeconds`. `extra` is merged into the
   * event (what an operator invoking the function directly could add).
   */
  runScheduled<T = unknown>(moduleKey: string, extra?: Record<string, unknown>): Promise<Invocation<T>>;
  /** The id in a `webtrigger` module's URL (stable for this app, site and module). */
  webTriggerId(moduleKey: string): string;
  /** The `webtrigger` module whose URL has this id, if any. */
  webTriggerModule(id: string): string | undefined;
  /**
   * Calls a `webtrigger` module as Forge does for an HTTP request: no principal, the request in Forge's
   * shape, the function's answer mapped to the HTTP response (static outputs or a dynamic response).
   */
  invokeWebTrigger(moduleKey: string, request: WebTriggerHttpRequest): Promise<WebTriggerResponse & { invocation: Invocation }>;
  /** Delivers a product or lifecycle event to every trigger subscribed to it; resolves when all ran. */
  deliverEvent(eventType: string, event: Record<string, unknown>, opts?: InvokeOptions): Promise<Invocation[]>;
  /**
   * Upgrades the installed app as a major-version deploy does: delivers `avi:forge:upgraded:app` with the
   * payload of forge-docs/events-reference/life-cycle (`id` of the installation, `upgraderAccountId`, `app: { id,
   * version }`, `environment: { id }`, `permissions: { scopes }`). The code is whatever the platform loads now.
   */
  upgradeApp(opts?: { version?: string; upgraderAccountId?: string }): Promise<Invocation[]>;
  /**
   * Runs arbitrary code inside a fresh invocation (its own context, counters and deadline), so that the
   * real SDKs (`@forge/kvs`, `@forge/api`) can be driven directly by contract tests and benchmarks.
   */
  run<T>(fn: () => Promise<T> | T, opts?: InvokeOptions & { functionKey?: string }): Promise<Invocation<T>>;
  /** Events emitted by the emulated products, delivered asynchronously; wait for them with `drainEvents`. */
  drainEvents(): Promise<void>;
  /**
   * Fault injection: the next invocation of `functionKey` (any function when omitted) that makes a storage
   * request for which `when(path, body)` is true dies right after it — the write stands, nothing after it
   * happens, and the invocation ends with `FunctionKilledError`. Default `when`: a transaction (a commit).
   */
  killAfterStorage(rule?: { functionKey?: string; when?: (path: string, body: unknown) => boolean; times?: number }): { readonly fired: number };
  /**
   * Delivers every queued `@forge/events` event to its `consumer` module's function until the queues are
   * empty, retries included (delays and backoffs are skipped, not waited for). Resolves with what happened.
   */
  drainQueues(opts?: DrainOptions): Promise<DrainResult>;
  /** The platform's queue store: `events()` to inspect, `deliveries()` for the history. */
  readonly queues: QueueService;
  /** Sets (or with `undefined` removes) the clock of invocations started from now on; see `PlatformOptions.clock`. */
  setClock(clock: (() => number) | undefined): void;
  close(): void;
}

const defaultManifest = resolve(__dirname, '..', 'manifest.yml');

/** "You can only retry an event for a maximum of four times" (forge-docs/events-reference/product_events). */
const TRIGGER_MAX_RETRIES = 4;

function manifestScopes(manifest: LoadedManifest): string[] {
  const perms = manifest.raw.permissions;
  const scopes = typeof perms === 'object' && perms !== null ? (perms as { scopes?: unknown }).scopes : undefined;
  return Array.isArray(scopes) ? scopes.map(String) : [];
}

export function createPlatform(options: PlatformOptions = {}): Platform {
  installForgeGlobals();
  const manifestPath = resolve(options.manifestPath ?? defaultManifest);
  const manifest = loadManifest(manifestPath);
  const srcDir = resolve(options.srcDir ?? join(dirname(manifestPath), 'src'));
  const db = new Database(options.dbPath ?? ':memory:');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const kvs = new KvsStore(db, manifest.entities);
  const cloudId = options.cloudId ?? 'local-cloud-0000';
  const timeoutMs = options.timeoutMs ?? FORGE_TIMEOUT_MS;
  const logs: LogLine[] = [];
  const invocations: InvocationRecord[] = [];
  const pending = new Set<Promise<unknown>>();
  let closed = false;
  let clock = options.clock;
  const killRules: { functionKey?: string; when: (path: string, body: unknown) => boolean; remaining: number }[] = [];
  const killCheck = (functionKey: string) => (path: string, body: unknown): boolean => {
    const rule = killRules.find((r) => r.remaining > 0 && (!r.functionKey || r.functionKey === functionKey) && r.when(path, body));
    if (!rule) return false;
    rule.remaining -= 1;
    return true;
  };
  const installContext = `ari:cloud:jira::site/${cloudId}`;
  const environment = options.environment ?? { id: 'local-development', type: 'DEVELOPMENT' as const };
  const appContext = {
    appId: manifest.appId,
    environmentId: environment.id,
    environmentType: environment.type,
    installationId: `local-installation-${cloudId}-${environment.id}`,
    cloudId,
    contextAri: installContext,
    scopes: manifestScopes(manifest),
    appCodeDir: resolve(options.appCodeDir ?? dirname(manifestPath)),
  };

  function loadHandler(functionKey: string): (event: unknown, ctx: unknown) => unknown {
    const fn = manifest.functions.get(functionKey);
    if (!fn) throw new Error(`manifest.yml has no function '${functionKey}'`);
    const dot = fn.handler.lastIndexOf('.');
    const file = fn.handler.slice(0, dot);
    const exportName = fn.handler.slice(dot + 1);
    // A bundle from @forge/bundler names its entry points `<file>.cjs`, which require() does not try by itself.
    const bundled = join(srcDir, `${file}.cjs`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(existsSync(bundled) ? bundled : join(srcDir, file)) as Record<string, unknown>;
    const handler = mod[exportName];
    if (typeof handler !== 'function') throw new Error(`handler '${fn.handler}' is not an exported function`);
    return handler as (event: unknown, ctx: unknown) => unknown;
  }

  async function invoke<T>(functionKey: string, event: unknown, opts: InvokeOptions = {}): Promise<Invocation<T>> {
    const handler = loadHandler(functionKey);
    const backend = {
      principal: opts.accountId ? { accountId: opts.accountId } : undefined,
      installContext,
      ...opts.backend,
    };
    // A fresh deep copy of the event, as it would arrive over the wire.
    const wireText = event === undefined ? undefined : JSON.stringify(event);
    if (wireText !== undefined && Buffer.byteLength(wireText) > FORGE_INVOCATION_PAYLOAD_LIMIT_BYTES) {
      throw new PayloadTooLargeError('request', Buffer.byteLength(wireText), FORGE_INVOCATION_PAYLOAD_LIMIT_BYTES);
    }
    const wireEvent: unknown = wireText === undefined ? undefined : JSON.parse(wireText);
    const inv = await runIn<unknown>(functionKey, () => handler(wireEvent, backend), opts);
    // The result crosses the wire as JSON too.
    return { ...inv, value: (inv.value === undefined ? undefined : JSON.parse(JSON.stringify(inv.value))) as T };
  }

  async function runIn<T>(functionKey: string, body: () => Promise<T> | T, opts: InvokeOptions = {}): Promise<Invocation<T>> {
    const invLogs: LogLine[] = [];
    const startedAt = realNow();
    const fnTimeout = manifest.functions.get(functionKey)?.timeoutSeconds;
    const limit = fnTimeout ? fnTimeout * 1000 : (opts.timeoutMs ?? timeoutMs);
    const ctx: InvocationContext = {
      invocationId: randomUUID(),
      functionKey,
      moduleKey: opts.moduleKey ?? functionKey,
      accountId: opts.accountId,
      startedAt,
      deadline: startedAt + limit,
      counters: newCounters(),
      ...(clock ? { clock } : {}),
      ...(killRules.some((r) => r.remaining > 0) ? { killAfterStorage: killCheck(functionKey) } : {}),
      services: {
        kvs,
        jira,
        stargate,
        appContext,
        log(line) {
          invLogs.push(line);
          logs.push(line);
          if (options.echoLogs) process.stderr.write(`[${line.invocationId.slice(0, 8)} ${functionKey}] ${line.level}: ${line.message}\n`);
        },
      },
    };
    let timer: NodeJS.Timeout | undefined;
    let ok = false;
    try {
      const value = await Promise.race([
        invocationStore.run(ctx, () => Promise.resolve().then(body)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            ctx.stopped = true;
            reject(new FunctionTimeoutError(functionKey, limit));
          }, limit);
        }),
      ]);
      if (ctx.killed) throw new FunctionKilledError(functionKey);
      ok = true;
      return {
        invocationId: ctx.invocationId,
        value,
        counters: ctx.counters,
        logs: invLogs,
        durationMs: realNow() - startedAt,
      };
    } finally {
      if (timer) clearTimeout(timer);
      invocations.push({ invocationId: ctx.invocationId, functionKey, counters: ctx.counters, durationMs: realNow() - startedAt, ok });
    }
  }

  function findModule(moduleKey: string): ManifestModule {
    const m = manifest.modules.find((x) => x.key === moduleKey);
    if (!m) throw new Error(`manifest.yml has no module '${moduleKey}'`);
    return m;
  }

  async function invokeResolver<T>(call: ResolverCall): Promise<Invocation<T>> {
    const module = findModule(call.moduleKey);
    const fnKey = module.resolver?.function;
    if (!fnKey) throw new Error(`module '${call.moduleKey}' has no resolver function`);
    // What the browser sends through @forge/bridge invoke(): refused before any function runs when too big.
    const requestBytes = Buffer.byteLength(JSON.stringify({ functionKey: call.functionKey, payload: call.payload ?? {} }));
    if (requestBytes > FORGE_FRONTEND_REQUEST_LIMIT_BYTES) throw new PayloadTooLargeError('request', requestBytes, FORGE_FRONTEND_REQUEST_LIMIT_BYTES);
    const event = {
      call: { functionKey: call.functionKey, payload: call.payload ?? {} },
      context: {
        cloudId,
        moduleKey: call.moduleKey,
        localId: call.localId ?? `${call.moduleKey}-local`,
        extension: call.extension ?? {},
        environmentType: 'DEVELOPMENT',
        siteUrl: 'http://localhost',
      },
    };
    const inv = await invoke<T>(fnKey, event, { accountId: call.accountId, moduleKey: call.moduleKey });
    const responseBytes = inv.value === undefined ? 0 : Buffer.byteLength(JSON.stringify(inv.value));
    if (responseBytes > FORGE_FRONTEND_RESPONSE_LIMIT_BYTES) throw new PayloadTooLargeError('response', responseBytes, FORGE_FRONTEND_RESPONSE_LIMIT_BYTES);
    return inv;
  }

  async function runScheduled<T>(moduleKey: string, extra: Record<string, unknown> = {}): Promise<Invocation<T>> {
    const module = findModule(moduleKey);
    if (module.moduleType !== 'scheduledTrigger' || !module.function) throw new Error(`'${moduleKey}' is not a scheduledTrigger with a function`);
    const event = { ...extra, context: { cloudId, moduleKey }, contextToken: `local-scheduled-${randomUUID()}` };
    return invoke<T>(module.function, event, { moduleKey, timeoutMs: FORGE_SCHEDULED_TIMEOUT_MS, backend: { principal: undefined, installContext } });
  }

  /**
   * A trigger's `filter` as Forge applies it before invoking anything (forge-docs/manifest-reference/modules/
   * trigger, events-reference/product_events "Filter out Atlassian app events"): `ignoreSelf` drops the app's
   * own events; `expression` is a Jira expression over `event` that must evaluate to the Boolean true — false,
   * any other value or an evaluation error drops the event (`onError` IGNORE_AND_LOG by default: logged).
   */
  function passesFilter(t: ManifestModule, payload: Record<string, unknown>): boolean {
    const filter = typeof t.filter === 'object' && t.filter !== null ? (t.filter as { ignoreSelf?: unknown; expression?: unknown; onError?: unknown }) : {};
    if (filter.ignoreSelf === true && payload.selfGenerated === true) return false;
    if (typeof filter.expression !== 'string') return true;
    const onError = typeof filter.onError === 'string' ? filter.onError : 'IGNORE_AND_LOG';
    try {
      return evaluateJiraExpression(filter.expression, { event: payload }).value === true;
    } catch (err) {
      if (onError.endsWith('_AND_LOG')) logs.push({ invocationId: '-', level: 'warn', message: `trigger ${t.key}: filter expression failed: ${err instanceof Error ? err.message : String(err)}` });
      return onError.startsWith('RECEIVE');
    }
  }

  function webTriggerModuleKeys(): ManifestModule[] {
    return manifest.modules.filter((m) => m.moduleType === 'webtrigger');
  }

  async function invokeWebTrigger(moduleKey: string, request: WebTriggerHttpRequest): Promise<WebTriggerResponse & { invocation: Invocation }> {
    const module = findModule(moduleKey);
    if (module.moduleType !== 'webtrigger' || !module.function) throw new Error(`'${moduleKey}' is not a webtrigger with a function`);
    const event = webTriggerEvent(webTriggerId(manifest.appId, cloudId, moduleKey), request);
    try {
      const inv = await invoke(module.function, event, { moduleKey, backend: { principal: undefined, installContext } });
      return { ...webTriggerResponse(module, inv.value), invocation: inv };
    } catch (err) {
      // A function that throws (or times out) answers 500, as on Forge.
      const failed: Invocation = { invocationId: '-', value: String(err), counters: newCounters(), logs: [], durationMs: 0 };
      return { statusCode: 500, headers: {}, body: '', invocation: failed };
    }
  }

  async function deliverEvent(eventType: string, event: Record<string, unknown>, opts: InvokeOptions = {}): Promise<Invocation[]> {
    const triggers = manifest.modules.filter((m) => m.moduleType === 'trigger' && (m.events ?? []).includes(eventType));
    const results: Invocation[] = [];
    for (const t of triggers) {
      if (!t.function) continue;
      if (!passesFilter(t, { ...event, eventType })) continue;
      const payload: Record<string, unknown> = { ...event, eventType, context: { cloudId, moduleKey: t.key } };
      // An app event trigger that returns an InvocationError is delivered again, at most four times, with
      // `retryContext` (forge-docs/events-reference/product_events, "Retry for app level errors"); the
      // requested `retryAfter` is not waited for here, as `drainQueues` skips queue delays.
      for (let retry = 0; ; retry++) {
        const res = await invoke(t.function, payload, { ...opts, moduleKey: t.key, backend: { installContext, ...opts.backend } });
        results.push(res);
        const v = res.value as { _retry?: unknown; retryOptions?: { retryReason?: unknown; retryData?: unknown } } | null | undefined;
        if (!(v && typeof v === 'object' && v._retry === true) || retry >= TRIGGER_MAX_RETRIES) break;
        payload.retryContext = {
          retryCount: retry + 1,
          retryReason: typeof v.retryOptions?.retryReason === 'string' ? v.retryOptions.retryReason : 'FUNCTION_RETRY_REQUEST',
          ...(v.retryOptions?.retryData !== undefined ? { retryData: v.retryOptions.retryData } : {}),
        };
      }
    }
    return results;
  }

  async function upgradeApp(opts: { version?: string; upgraderAccountId?: string } = {}): Promise<Invocation[]> {
    return deliverEvent('avi:forge:upgraded:app', {
      id: appContext.installationId,
      ...(opts.upgraderAccountId ? { upgraderAccountId: opts.upgraderAccountId } : {}),
      app: { id: manifest.appId.split('/').pop() ?? manifest.appId, version: opts.version ?? '2.0.0' },
      environment: { id: environment.id },
      permissions: { scopes: manifestScopes(manifest) },
    });
  }

  const hooks: PlatformHooks = {
    invokeFunction: async (functionKey, event, opts) => (await invoke(functionKey, event, opts)).value,
    emitEvent(eventType, event) {
      const p: Promise<unknown> = new Promise((r) => setImmediate(r))
        // Events still queued when the platform closes are dropped, as an uninstalled app's would be.
        .then(() => (closed ? [] : deliverEvent(eventType, event)))
        .catch((err: unknown) => logs.push({ invocationId: '-', level: 'error', message: `event ${eventType} failed: ${String(err)}` }))
        .finally(() => pending.delete(p));
      pending.add(p);
    },
  };

  const queues = new QueueService(
    db,
    manifest,
    { contextAri: installContext, environmentId: environment.id, appId: manifest.appId },
    async (functionKey, moduleKey, event) =>
      (await invoke(functionKey, event, { moduleKey, timeoutMs: FORGE_SCHEDULED_TIMEOUT_MS, backend: { principal: undefined, installContext } })).value,
    {
      autoDeliver: options.queues?.autoDeliver ?? false,
      parallelism: options.queues?.parallelism ?? 4,
      warn: (message) => logs.push({ invocationId: '-', level: 'warn', message }),
    },
  );
  const stargate: StargateBackend = {
    handle(path, body) {
      if (path.startsWith('/webhook/queue/')) return queues.handle(path, body);
      return { status: 404, body: { message: `local platform: no stargate route ${path}` } };
    },
  };

  const jira: JiraBackend = options.jira
    ? options.jira(db, hooks, manifest)
    : { handle: async () => ({ status: 501, body: { errorMessages: ['No Jira on this platform'] } }) };

  return {
    db,
    manifest,
    kvs,
    jira,
    cloudId,
    logs,
    invocations,
    invoke,
    invokeResolver,
    runScheduled,
    webTriggerId: (moduleKey) => webTriggerId(manifest.appId, cloudId, moduleKey),
    webTriggerModule: (id) => webTriggerModuleKeys().find((m) => webTriggerId(manifest.appId, cloudId, m.key) === id)?.key,
    invokeWebTrigger,
    deliverEvent,
    upgradeApp,
    run: (fn, opts = {}) => runIn(opts.functionKey ?? 'local-run', fn, opts),
    queues,
    drainQueues: (opts) => queues.drain(opts),
    async drainEvents() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    killAfterStorage(rule = {}) {
      const times = rule.times ?? 1;
      const entry = {
        ...(rule.functionKey ? { functionKey: rule.functionKey } : {}),
        when: rule.when ?? ((path: string) => path.replace(/\?.*$/, '').endsWith('/transaction')),
        remaining: times,
      };
      killRules.push(entry);
      return {
        get fired() {
          return times - entry.remaining;
        },
      };
    },
    setClock(next) {
      clock = next;
    },
    close() {
      closed = true;
      void queues.close();
      db.close();
    },
  };
}
