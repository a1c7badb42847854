/**
 * The hand-off to later: a release whose effects could not all be applied right after its commit is retried
 * by the `@forge/events` queue consumer (when the queue is there) and, whatever happens to the queue, by the
 * daily sweep (sweep.ts), which finds every release with pending effects. This seam is the one place that
 * knows how "later" is asked for.
 */
export interface RetryRequest {
  releaseId: string;
  projectId: string;
  /** When the outbox says the next attempt is due (epoch ms). */
  notBefore: number;
}

type Scheduler = (r: RetryRequest) => Promise<void>;
let scheduler: Scheduler | null = null;

/** Installed by the entry point that owns the queue. */
export function setRetryScheduler(s: Scheduler | null): void {
  scheduler = s;
}

/** Asks for a later attempt; false when nothing but the daily sweep will retry. Never throws. */
export async function scheduleRetry(r: RetryRequest): Promise<boolean> {
  if (!scheduler) return false;
  try {
    await scheduler(r);
    return true;
  } catch (err) {
    console.warn('could not queue the Jira effects retry; the daily sweep will', r.releaseId, err instanceof Error ? err.message : String(err));
    return false;
  }
}
