import { InvocationError, InvocationErrorCode, type AsyncEvent } from '@forge/events';
import { z } from 'zod';
import { UPGRADE_RETRIES, upgradeProjectSetup, upgradeRetryAfterSeconds } from '../services/setup-upgrade';

/**
 * `consumer` of the `setup-upgrade` queue: re-runs set-up on one project after an upgrade. A failing run has
 * already stored its failed step (the admin page shows it); it is retried with a back-off up to
 * `UPGRADE_RETRIES` times, then left to the admin's "re-run set-up", which does the same work.
 */
const bodySchema = z
  .object({ projectId: z.string().regex(/^\d+$/), actorAccountId: z.string().min(1).max(128), appVersion: z.string().max(64).nullable() })
  .strict();

export async function setupUpgradeConsumer(event: AsyncEvent): Promise<InvocationError | { outcome: string }> {
  const body = bodySchema.safeParse(event.body);
  if (!body.success) {
    console.error('setup-upgrade: unexpected event body', body.error.message);
    return { outcome: 'ignored' };
  }
  try {
    const res = await upgradeProjectSetup(body.data);
    if (!res) return { outcome: 'noSetup' };
    return { outcome: res.workflow ?? 'done' };
  } catch (err) {
    const retryCount = event.retryContext?.retryCount ?? 0;
    console.error(`setup-upgrade: project ${body.data.projectId} failed (${err instanceof Error ? err.message : String(err)}); ${retryCount < UPGRADE_RETRIES ? 'retrying' : 'left to the admin page'}`);
    if (retryCount >= UPGRADE_RETRIES) return { outcome: 'failed' };
    return new InvocationError({ retryAfter: upgradeRetryAfterSeconds(retryCount + 1), retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
}
