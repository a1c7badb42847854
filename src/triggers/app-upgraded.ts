import { InvocationError, InvocationErrorCode } from '@forge/events';
import { z } from 'zod';
import { APP_ACTOR } from '../services/kpi-reconcile';
import { queueSetupUpgrade } from '../services/setup-upgrade';

/**
 * `avi:forge:upgraded:app` (forge-docs/events-reference/life-cycle: `{ id, upgraderAccountId?, app: { id,
 * version }, environment?, permissions? }`, sent for a new major version): queues set-up's update of every
 * project the app is set up on (src/services/setup-upgrade.ts). When the queue cannot take the events, asks
 * Forge to deliver the event again (an app event trigger may return an InvocationError, at most four retries:
 * forge-docs/events-reference/product_events, "Retry for app level errors"); a redelivered event only queues
 * runs that find Jira up to date.
 */
const eventSchema = z
  .object({
    upgraderAccountId: z.string().min(1).optional(),
    app: z.object({ version: z.string().optional() }).loose().optional(),
    retryContext: z.object({ retryCount: z.number().int().min(0) }).loose().optional(),
  })
  .loose();

export async function appUpgraded(event: unknown): Promise<InvocationError | { projects: number }> {
  const parsed = eventSchema.safeParse(event);
  const e = parsed.success ? parsed.data : {};
  try {
    return await queueSetupUpgrade({ actorAccountId: e.upgraderAccountId ?? APP_ACTOR, appVersion: e.app?.version ?? null });
  } catch (err) {
    const retryCount = e.retryContext?.retryCount ?? 0;
    console.error(`app upgraded: could not queue the set-up update (${err instanceof Error ? err.message : String(err)}); retry ${retryCount + 1}`);
    return new InvocationError({ retryAfter: Math.min(900, 60 * 5 ** retryCount), retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
}
