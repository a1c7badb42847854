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

const userSchema = z
  .object({
    accountId: z.string(),
    accountType: z.string().optional(),
    displayName: z.string().optional(),
    active: z.boolean().optional(),
    avatarUrls: z.record(z.string(), z.string()).optional(),
  })
  .loose();

export interface UserProfile {
  accountId: string;
  displayName: string;
  /** The 24×24 avatar, as Jira serves it (absent when Jira gives none). */
  avatarUrl?: string;
}

function profileOf(u: z.infer<typeof userSchema>): UserProfile {
  const avatarUrl = u.avatarUrls?.['24x24'] ?? u.avatarUrls?.['48x48'];
  return { accountId: u.accountId, displayName: u.displayName ?? u.accountId, ...(avatarUrl ? { avatarUrl } : {}) };
}

/** Name and avatar of up to 50 accounts in one request (asApp, after the service checked the caller may browse). */
export async function userProfiles(accountIds: readonly string[]): Promise<UserProfile[]> {
  if (accountIds.length === 0) return [];
  const query = new URLSearchParams({ maxResults: String(accountIds.length) });
  for (const id of accountIds) query.append('accountId', id);
  const { data } = await requestJira(route`/rest/api/3/user/bulk?${query}`, { as: 'app', schema: z.object({ values: z.array(userSchema) }).loose() });
  return data.values.filter((u) => u.active !== false).map(profileOf);
}

/**
 * People who can browse the project whose name or e-mail starts with `query` (Jira's user search with a
 * permission filter). asApp: Jira lets only project administrators ask, so the service checks first that the
 * caller may browse the project.
 */
export async function searchBrowsingUsers(projectKey: string, query: string, maxResults: number): Promise<UserProfile[]> {
  const { data } = await requestJira(
    route`/rest/api/3/user/permission/search?query=${query}&permissions=BROWSE_PROJECTS&projectKey=${projectKey}&maxResults=${String(maxResults)}`,
    { as: 'app', schema: z.array(userSchema) },
  );
  return data.filter((u) => u.active !== false && (u.accountType === undefined || u.accountType === 'atlassian')).map(profileOf);
}

/** What Jira says of an account someone wants to put in a slot of a project. */
export type AccountStanding = 'BROWSES' | 'UNKNOWN' | 'CANNOT_BROWSE';

/**
 * Is `accountId` a person Jira knows who may browse the project? One request when they may (the permission
 * search answers them), a second to tell "no such account" from "cannot browse" when they may not.
 */
export async function accountStanding(projectKey: string, accountId: string): Promise<AccountStanding> {
  const { data } = await requestJira(route`/rest/api/3/user/permission/search?accountId=${accountId}&permissions=BROWSE_PROJECTS&projectKey=${projectKey}`, {
    as: 'app',
    schema: z.array(userSchema),
  });
  if (data.some((u) => u.accountId === accountId && u.active !== false)) return 'BROWSES';
  const res = await requestJira(route`/rest/api/3/user?accountId=${accountId}`, { as: 'app', schema: userSchema, accept: [404] });
  if (res.status !== 200) return 'UNKNOWN';
  return res.data.active === false || (res.data.accountType !== undefined && res.data.accountType !== 'atlassian') ? 'UNKNOWN' : 'CANNOT_BROWSE';
}
