import { format } from 'node:util';
import { currentInvocation, FunctionKilledError, installInvocationClock, realNow, type InvocationContext, type LogLine } from './context';
import type { JiraActor } from './backends';
import { missingScopes } from '../jira/scopes';

/**
 * Installs what the real Forge SDKs call: `__forge_fetch__` (every KVS and product request) and
 * `__forge_runtime__` (app context, remaining time, metrics). Both read the current invocation from
 * AsyncLocalStorage, so several platforms and concurrent invocations share one process safely.
 */

type FetchOptions = { type?: string; provider?: string; remote?: string; accountId?: string };

function requireInvocation(what: string): InvocationContext {
  const inv = currentInvocation();
  if (!inv) throw new Error(`${what} called outside a Forge invocation (use platform.invoke*)`);
  return inv;
}

function headersToRecord(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (typeof (h as Headers).forEach === 'function' && !(Array.isArray(h))) {
    (h as Headers).forEach((v, k) => { out[k.toLowerCase()] = v; });
    return out;
  }
  if (Array.isArray(h)) {
    for (const [k, v] of h as [string, string][]) out[String(k).toLowerCase()] = String(v);
    return out;
  }
  for (const [k, v] of Object.entries(h as Record<string, unknown>)) out[k.toLowerCase()] = String(v);
  return out;
}

function bodyToString(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
  throw new Error('local platform: unsupported request body type');
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
  const withType = text !== null && !headers['content-type'] ? { ...headers, 'content-type': 'application/json' } : headers;
  // A 204 / 304 may not carry a body.
  return new Response(status === 204 || status === 304 ? null : text, { status, headers: withType });
}

async function forgeFetch(options: FetchOptions, path: string, init: RequestInit = {}): Promise<Response> {
  const inv = requireInvocation('__forge_fetch__');
  if (inv.stopped || realNow() > inv.deadline) throw new Error('Forge invocation timed out');
  if (inv.killed) throw new FunctionKilledError(inv.functionKey);
  const body = bodyToString(init.body);
  const scopes = inv.services.appContext.scopes;
  if (options.type === 'kvs') {
    if (!scopes.includes('storage:app')) return jsonResponse(403, { code: 'FORBIDDEN', message: 'The app is not allowed to use storage: manifest.yml lacks the scope storage:app' });
    const parsed: unknown = body === undefined ? {} : JSON.parse(body);
    inv.counters.storageOps += 1;
    inv.counters.storageBytesOut += body ? Buffer.byteLength(body) : 0;
    const res = inv.services.kvs.handle(path, parsed);
    const text = res.body === undefined ? undefined : JSON.stringify(res.body);
    inv.counters.storageBytesIn += text ? Buffer.byteLength(text) : 0;
    if (res.status < 300 && inv.killAfterStorage?.(path, parsed)) {
      inv.killed = true;
      throw new FunctionKilledError(inv.functionKey);
    }
    return jsonResponse(res.status, text);
  }
  if (options.type === 'fpp' && options.remote === 'jira') {
    inv.counters.jiraRequests += 1;
    const method = (init.method ?? 'GET').toUpperCase();
    const missing = missingScopes(method, new URL(path, 'http://jira.local').pathname, scopes);
    if (missing.length > 0) {
      return jsonResponse(403, { errorMessages: [`The app is not allowed to call ${method} ${path.split('?')[0]}: manifest.yml lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`], errors: {} });
    }
    const actor: JiraActor =
      options.provider === 'user'
        ? inv.accountId
          ? { kind: 'user', accountId: inv.accountId }
          : { kind: 'anonymous' }
        : { kind: 'app' };
    const res = await inv.services.jira.handle({
      method: (init.method ?? 'GET').toUpperCase(),
      path,
      headers: headersToRecord(init.headers),
      body,
      actor,
    });
    return jsonResponse(res.status, res.body, res.headers ?? {});
  }
  if (options.type === 'fpp' && options.remote === 'stargate') {
    if (options.provider !== 'app') return jsonResponse(403, { message: 'local platform: stargate requests are made as the app' });
    const parsed: unknown = body === undefined ? {} : JSON.parse(body);
    const res = await inv.services.stargate.handle(path, parsed);
    return jsonResponse(res.status, res.body);
  }
  return jsonResponse(502, { message: `local platform: no route for ${JSON.stringify(options)} ${path}` });
}

const noopTimer = { stop: () => undefined };
const metrics = {
  counter: () => ({ incr: () => undefined, decr: () => undefined }),
  timing: () => ({ measure: () => noopTimer }),
  gauge: () => ({ set: () => undefined }),
};

const runtime = {
  metrics,
  get appContext() {
    const inv = requireInvocation('__forge_runtime__.appContext');
    const a = inv.services.appContext;
    return {
      appId: a.appId,
      appVersion: '1.0.0',
      environmentId: a.environmentId,
      environmentType: a.environmentType,
      invocationId: inv.invocationId,
      installationId: a.installationId,
      moduleKey: inv.moduleKey,
      license: undefined,
      installation: undefined,
      permissions: { scopes: [...a.scopes], external: {} },
    };
  },
  /** The installation's context, which web trigger URLs and queue pushes are scoped to. */
  get contextAri() {
    return requireInvocation('__forge_runtime__.contextAri').services.appContext.contextAri;
  },
  get container() {
    return { appCodeDir: requireInvocation('__forge_runtime__.container').services.appContext.appCodeDir };
  },
  get lambdaContext() {
    const inv = requireInvocation('__forge_runtime__.lambdaContext');
    return { getRemainingTimeInMillis: () => Math.max(0, inv.deadline - realNow()) };
  },
  externalAuth: [],
};

const LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const;
let installed = false;

/** Idempotent: safe to call from every platform instance. */
export function installForgeGlobals(): void {
  installInvocationClock();
  if (installed && (globalThis as Record<string, unknown>).__forge_fetch__ === forgeFetch) return;
  const g = globalThis as Record<string, unknown>;
  g.__forge_fetch__ = forgeFetch;
  g.__forge_runtime__ = runtime;
  if (!installed) {
    // Logs written during an invocation are tagged with it and kept by its platform, as Forge's log view does.
    for (const level of LEVELS) {
      const original = console[level].bind(console);
      console[level] = (...args: unknown[]) => {
        const inv = currentInvocation();
        if (!inv) return original(...args);
        const line: LogLine = { invocationId: inv.invocationId, level, message: format(...args) };
        inv.services.log(line);
      };
    }
  }
  installed = true;
}
