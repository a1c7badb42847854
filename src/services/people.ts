import { z } from 'zod';
import { displayNames } from '../jira/users';
import { getMany, putPlain } from '../storage/store';
import { resolveProjectScope, type Caller } from './scope';

/**
 * Display names for the account ids a screen shows (team, lead, requester, history). Off the panel's
 * critical path: the UI asks after it has rendered ids. Each name is cached for a day, so a screen usually
 * costs one storage read and no Jira request; the rest are fetched in one bulk request.
 */

const NAME_TTL_SECONDS = 24 * 60 * 60;
const nameSchema = z.object({ name: z.string() });
const nameKey = (accountId: string) => `person-name:${accountId.replace(/[^a-zA-Z0-9:._\-#]/g, '_')}`;

export async function peopleNames(caller: Caller, payload: { projectId?: string | undefined; accountIds: string[] }): Promise<Record<string, string>> {
  await resolveProjectScope(caller, payload.projectId);
  return namesOf(payload.accountIds);
}

/** Display names of account ids, from the day's cache or one bulk Jira request (the caller has checked access). */
export async function namesOf(accountIds: readonly string[]): Promise<Record<string, string>> {
  const ids = [...new Set(accountIds)];
  if (ids.length === 0) return {};
  const cached = await getMany(ids.map((id) => ({ plainKey: nameKey(id), schema: nameSchema })));
  const out: Record<string, string> = {};
  const missing: string[] = [];
  ids.forEach((id, i) => {
    const hit = cached[i];
    if (hit) out[id] = hit.name;
    else missing.push(id);
  });
  if (missing.length > 0) {
    const fetched = await displayNames(missing);
    await Promise.all(Object.entries(fetched).map(([id, name]) => putPlain(nameKey(id), { name }, NAME_TTL_SECONDS)));
    Object.assign(out, fetched);
  }
  return out;
}
