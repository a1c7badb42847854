import type { JiraResponse } from '../runtime/backends';

/** Injected failures and latency, to exercise the app's retry and time-budget handling. */

export interface FaultSpec {
  /** Only requests with this method (any when omitted). */
  method?: string;
  /** Matched against the request path without its query string; a string must match exactly. Any path when omitted (with `operation`). */
  pathPattern?: RegExp | string;
  /** Only requests of this OpenAPI operation (its `operationId`, e.g. `doTransition`, `createIssue`, `setIssueProperty`). */
  operation?: string;
  /**
   * `refuse` (default): answer with `status` without doing anything. `lostAnswer`: do the request (the write
   * happens), then answer with `status` instead of the real answer, as when Jira's reply is lost on the way.
   */
  mode?: 'refuse' | 'lostAnswer';
  /** The status to answer with; omit for latency alone. */
  status?: 429 | 500 | 502 | 503;
  /** `Retry-After` header, seconds (429 and 503). */
  retryAfterSeconds?: number;
  /** How many matching requests it affects (default 1; `Infinity` for all). */
  times?: number;
  /** Delay before answering (or before handling, for latency alone). */
  latencyMs?: number;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

const MESSAGES: Record<number, string> = {
  429: 'Rate limit exceeded.',
  500: 'Internal server error.',
  502: 'Bad gateway.',
  503: 'Service unavailable.',
};

export class FaultInjector {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes the first fault matching the request, if any. */
  take(method: string, path: string, operation: string | undefined): FaultSpec | undefined {
    const hit = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method.toUpperCase() === method.toUpperCase()) &&
        (f.operation === undefined || f.operation === operation) &&
        (f.pathPattern === undefined || (typeof f.pathPattern === 'string' ? f.pathPattern === path : f.pathPattern.test(path))),
    );
    if (!hit) return undefined;
    hit.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return hit;
  }
}

export function faultResponse(f: FaultSpec & { status: number }): JiraResponse {
  const headers: Record<string, string> = {};
  if (f.retryAfterSeconds !== undefined) headers['retry-after'] = String(f.retryAfterSeconds);
  if (f.status === 429) {
    headers['x-ratelimit-limit'] = '100';
    headers['x-ratelimit-remaining'] = '0';
  }
  return { status: f.status, headers, body: { errorMessages: [MESSAGES[f.status] ?? 'Error'], errors: {} } };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
