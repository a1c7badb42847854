/**
 * The hand-off to later: a release whose effects could not all be applied right after its commit is pushed
 * onto the `jira-effects` @forge/events queue; its consumer (src/consumers/jira-effects.ts) applies them,
 * asking for a retry (InvocationError with retryAfter, at most 900 s) while Jira still fails. Whatever
 * happens to the queue (its 24-hour retention window, a push that fails), the daily sweep finds every
 * release still owing Jira something. One event at a time per release (a concurrency key), so a release's
 * effects stay in order. Forge docs: runtime-reference/async-events-api (push, concurrency, retries).
 */
import { Queue } from '@forge/events';

export const EFFECTS_QUEUE = 'jira-effects';
/** Forge: a queue event may be delayed, and a retry asked for, by at most 900 seconds. */
export const MAX_DELAY_SECONDS = 900;

export interface RetryRequest {
  releaseId: string;
  projectId: string;
  /** When the outbox says the next attempt is due (epoch ms). */
  notBefore: number;
}

export function delaySeconds(notBefore: number, now: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((notBefore - now) / 1000)));
}

/** Asks for a later attempt; false when nothing but the daily sweep will retry. Never throws. */
export async function scheduleRetry(r: RetryRequest): Promise<boolean> {
  const delay = delaySeconds(r.notBefore, Date.now());
  try {
    await new Queue({ key: EFFECTS_QUEUE }).push({
      body: { releaseId: r.releaseId, projectId: r.projectId },
      ...(delay > 0 ? { delayInSeconds: delay } : {}),
      concurrency: { key: `jira-effects-${r.releaseId}`, limit: 1 },
    });
    return true;
  } catch (err) {
    console.warn('could not queue the Jira effects retry; the daily sweep will', r.releaseId, err instanceof Error ? err.message : String(err));
    return false;
  }
}
