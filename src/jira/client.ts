import api, { getAppContext, type Route, type RequestInit as ForgeRequestInit } from '@forge/api';
import type { z } from 'zod';

/**
 * The app's one way to Jira. `asUser` for what a user does (Jira applies their permissions); `asApp` only
 * after the app's own permission check. 429 and 5xx are retried with backoff, honouring `Retry-After`,
 * but never past the invocation's time budget: better a clear error than a killed function.
 */

export type JiraAs = 'user' | 'app';

export class JiraError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly body: unknown,
    message?: string,
  ) {
    super(message ?? `Jira answered ${status} to ${path}`);
    this.name = 'JiraError';
  }
  /** Jira's `Retry-After` on the last answer, in milliseconds from when it came, when it sent one. */
  retryAfterMs: number | undefined;
  /** Worth trying again later (rate limit, server error), as opposed to a refusal. */
  get retryable(): boolean {
    return RETRYABLE.has(this.status);
  }
  get messages(): string[] {
    const b = this.body as { errorMessages?: unknown; errors?: unknown } | undefined;
    const list = Array.isArray(b?.errorMessages) ? b.errorMessages.map(String) : [];
    if (b?.errors && typeof b.errors === 'object') list.push(...Object.values(b.errors as Record<string, unknown>).map(String));
    return list;
  }
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Time kept in hand at the end of the invocation for the caller to answer. */
  reserveMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 8_000, reserveMs: 2_000 };

export const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** The invocation's remaining time as Forge reports it (infinite outside an invocation). */
export function remainingMs(): number {
  try {
    return getAppContext().invocationRemainingTimeInMillis();
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Delay before the next attempt: `Retry-After` (seconds or HTTP date) when given, else capped exponential backoff with jitter. */
export function retryDelayMs(attempt: number, retryAfter: string | null, policy: RetryPolicy, now: number, random: () => number = Math.random): number {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export interface JiraCall<T> {
  /** `user`: Jira applies the acting user's permissions. `app`: only after the app's own check. */
  as: JiraAs;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Validates the response body: zod at the edge. */
  schema?: z.ZodType<T>;
  /** Statuses that are answers, not failures (e.g. 404 for "does not exist"). */
  accept?: number[];
  retry?: Partial<RetryPolicy>;
}

export interface JiraResult<T> {
  status: number;
  data: T;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Named `requestJira` and called with the route first and an object literal second (`{ as, method, ... }`)
 * so that Atlassian's permission linter reads every call site and asks for exactly the scopes they need.
 */
export async function requestJira<T = unknown>(path: Route, call: JiraCall<T>): Promise<JiraResult<T>> {
  const policy = { ...defaultRetryPolicy, ...call.retry };
  const requester = call.as === 'user' ? api.asUser() : api.asApp();
  const init: ForgeRequestInit = {
    method: call.method ?? 'GET',
    headers: { Accept: 'application/json', ...(call.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
  };
  for (let attempt = 1; ; attempt++) {
    const res = await requester.requestJira(path, init);
    const text = await res.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    const accepted = res.ok || (call.accept ?? []).includes(res.status);
    if (accepted) {
      if (call.schema && res.ok) {
        const check = call.schema.safeParse(parsed);
        if (!check.success) throw new JiraError(res.status, path.value, parsed, `Unexpected Jira response from ${path.value}: ${check.error.message}`);
        return { status: res.status, data: check.data };
      }
      return { status: res.status, data: parsed as T };
    }
    const retryAfter = res.headers.get('retry-after');
    const fail = (message?: string): JiraError => {
      const e = new JiraError(res.status, path.value, parsed, message);
      if (retryAfter) e.retryAfterMs = retryDelayMs(attempt, retryAfter, policy, Date.now());
      return e;
    };
    if (!RETRYABLE.has(res.status) || attempt >= policy.maxAttempts) throw fail();
    const delay = retryDelayMs(attempt, retryAfter, policy, Date.now());
    if (delay > remainingMs() - policy.reserveMs) {
      throw fail(`Jira kept answering ${res.status} to ${path.value}; gave up within the invocation's time budget`);
    }
    await sleep(delay);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Creates something in Jira at most once, even when Jira's answer is lost (the write happened, the reply
 * did not arrive): the create is sent once per attempt (never retried blindly by `requestJira`), and before
 * every further attempt `find` looks for what the app may already have created, by a marker it owns (an
 * issue or comment property, a name). With `findFirst`, it looks before the first attempt too (a later run
 * of something an earlier run may have done).
 */
export async function createOnce<T>(find: () => Promise<T | null>, create: () => Promise<T>, opts: { findFirst: boolean; retry?: Partial<RetryPolicy> }): Promise<{ value: T; created: boolean }> {
  const policy = { ...defaultRetryPolicy, ...opts.retry };
  if (opts.findFirst) {
    const found = await find();
    if (found !== null) return { value: found, created: false };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await create(), created: true };
    } catch (err) {
      if (!(err instanceof JiraError) || !err.retryable || attempt >= policy.maxAttempts) throw err;
      const delay = err.retryAfterMs ?? retryDelayMs(attempt, null, policy, Date.now());
      if (delay > remainingMs() - policy.reserveMs) throw err;
      await sleep(delay);
      const found = await find();
      if (found !== null) return { value: found, created: false };
    }
  }
}

/** For the one POST inside `createOnce`: a single attempt, `createOnce` decides about the next. */
export const SINGLE_ATTEMPT: Partial<RetryPolicy> = { maxAttempts: 1 };
