import { z } from 'zod';
import { syncReleaseFromJira } from '../services/jira-sync';

/**
 * `avi:jira:created:issue` and `avi:jira:updated:issue`. Forge may deliver an event late or twice; the sync
 * is idempotent, so both are harmless. Only creations and status changes matter to the release record.
 */

const eventSchema = z
  .object({
    eventType: z.string().optional(),
    atlassianId: z.string().optional(),
    issue: z.object({ id: z.union([z.string(), z.number()]).transform(String), key: z.string().optional() }).loose(),
    changelog: z.object({ items: z.array(z.object({ field: z.string().optional(), fieldId: z.string().optional() }).loose()).optional() }).loose().optional(),
  })
  .loose();

export async function issueEvents(event: unknown): Promise<{ outcome: string }> {
  const e = eventSchema.safeParse(event);
  if (!e.success) return { outcome: 'ignored' };
  const isCreate = e.data.eventType === 'avi:jira:created:issue';
  const statusChanged = (e.data.changelog?.items ?? []).some((i) => i.field === 'status' || i.fieldId === 'status');
  if (!isCreate && !statusChanged) return { outcome: 'ignored' };
  const outcome = await syncReleaseFromJira(e.data.issue.id, e.data.atlassianId, Date.now());
  return { outcome };
}
