import { InvocationError, InvocationErrorCode, type AsyncEvent } from '@forge/events';
import { z } from 'zod';
import { applyReleaseEffects, delaySeconds } from '../effects';

/**
 * `consumer` of the `jira-effects` queue: applies what a release still owes Jira (src/effects/). Runs as
 * the app (no principal). Late and repeated deliveries are harmless: the effects are idempotent and read
 * the outbox afresh. While Jira still fails, asks Forge for a retry after the outbox's next attempt.
 */
const bodySchema = z.object({ releaseId: z.string().regex(/^\d+$/), projectId: z.string().regex(/^\d+$/) }).strict();

export async function jiraEffectsConsumer(event: AsyncEvent): Promise<InvocationError | { outcome: string }> {
  const body = bodySchema.safeParse(event.body);
  if (!body.success) {
    console.error('jira-effects: unexpected event body', body.error.message);
    return { outcome: 'ignored' };
  }
  const now = Date.now();
  const outcome = await applyReleaseEffects(body.data.releaseId, body.data.projectId, { now });
  if (outcome.status !== 'pending') return { outcome: outcome.status };
  return new InvocationError({
    retryAfter: Math.max(1, delaySeconds(outcome.nextAttemptAt ?? now, now)),
    retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED,
  });
}
