import { z } from 'zod';
import { targetAccountProblem, type TargetAccount } from '../domain/decide';
import type { StandingRole } from '../domain/roles';
import { accountStanding, displayNames, searchBrowsingUsers, userProfiles, type UserProfile } from '../jira/users';
import { getMany, putPlain } from '../storage/store';
import { ServiceError } from './errors';
import { loadProject } from './load';
import { membersOf } from './roles';
import { now } from './run';
import { resolveProjectScope, type Caller, type ProjectScope } from './scope';

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

// ------------------------------------------------------------------ who may fill a slot

/** What Jira says of an account named for a slot of the project (one Jira request when all is well). */
export async function targetAccountOf(scope: Pick<ProjectScope, 'projectKey'>, accountId: string): Promise<TargetAccount> {
  return accountStanding(scope.projectKey, accountId);
}

/**
 * Refuses, before anything is written, an account Jira does not know or that cannot browse the project,
 * for slots the domain's team rules do not cover (trainer, improvement owner, fallback step owner).
 */
export async function assertPeopleMayTakePart(scope: Pick<ProjectScope, 'projectKey'>, accountIds: readonly string[], field: string): Promise<void> {
  for (const id of [...new Set(accountIds)]) {
    const problem = targetAccountProblem(await targetAccountOf(scope, id));
    if (problem) throw new ServiceError(problem, { reasons: [problem], field });
  }
}

// ------------------------------------------------------------------ the people picker

/** The pool a picker searches: a standing role's members, or everyone who can browse the project. */
export type PeoplePool = StandingRole | 'BROWSERS';

export interface PeopleSearch {
  projectId?: string | undefined;
  pool: PeoplePool;
  query: string;
  limit?: number | undefined;
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase();

/**
 * People for a picker, as the user types. A standing pool is the project role's members (the cached
 * membership, named in one bulk request); anyone else is Jira's user search with a browse-permission filter.
 * The caller must be able to browse the project (asked of Jira as the user) before the app asks as itself.
 */
export async function searchPeople(caller: Caller, p: PeopleSearch): Promise<UserProfile[]> {
  const scope = await resolveProjectScope(caller, p.projectId);
  const max = p.limit ?? 20;
  const query = p.query.trim();
  if (p.pool === 'BROWSERS') {
    if (!query) return [];
    return (await searchBrowsingUsers(scope.projectKey, query, max)).slice(0, max);
  }
  const project = await loadProject(scope, now());
  const ids = membersOf(project.roles, p.pool).slice(0, 50);
  const profiles = await userProfiles(ids);
  const q = fold(query);
  return profiles
    .filter((u) => !q || fold(u.displayName).split(/\s+/).some((w) => w.startsWith(q)) || fold(u.displayName).includes(q))
    .sort((a, b) => a.displayName.localeCompare(b.displayName))
    .slice(0, max);
}
