import { route } from '@forge/api';
import { z } from 'zod';
import { requestJira } from './client';

const bulkSchema = z
  .object({ values: z.array(z.object({ accountId: z.string(), displayName: z.string().optional(), active: z.boolean().optional() }).loose()) })
  .loose();

/** Display names of up to 50 accounts in one request (asApp, after the service checked the caller may browse). */
export async function displayNames(accountIds: readonly string[]): Promise<Record<string, string>> {
  if (accountIds.length === 0) return {};
  const query = new URLSearchParams({ maxResults: String(accountIds.length) });
  for (const id of accountIds) query.append('accountId', id);
  const { data } = await requestJira(route`/rest/api/3/user/bulk?${query}`, { as: 'app', schema: bulkSchema });
  const out: Record<string, string> = {};
  for (const u of data.values) if (u.displayName) out[u.accountId] = u.displayName;
  return out;
}
