import { z } from 'zod';
import { forgetDeletedReleaseIssue } from '../services/release-issue-deleted';

/** `avi:jira:deleted:issue` (filtered to Release Requests in manifest.yml): late or twice is harmless. */
const eventSchema = z
  .object({
    atlassianId: z.string().optional(),
    issue: z.object({ id: z.union([z.string(), z.number()]).transform(String) }).loose(),
  })
  .loose();

export async function issueDeleted(event: unknown): Promise<{ outcome: string }> {
  const e = eventSchema.safeParse(event);
  if (!e.success) return { outcome: 'ignored' };
  return { outcome: await forgetDeletedReleaseIssue(e.data.issue.id, e.data.atlassianId, Date.now()) };
}
