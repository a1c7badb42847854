/**
 * Standing-role membership of a project: the Jira project roles whose ids the project's set-up record holds,
 * read `asApp` (after the caller's browse check) and cached per project for a short time, so that a warm
 * panel load asks Jira nothing about roles.
 */
import { projectRoleMembers } from '../jira/roles';
import { STANDING_ROLES, type StandingRole } from '../domain/roles';
import { cacheRoleMembership, type ProjectSetup, type RoleMembership } from '../storage/records';

export const ROLE_CACHE_TTL_SECONDS = 60;

export function isFresh(m: RoleMembership | null, now: number): m is RoleMembership {
  return !!m && now - m.fetchedAt >= 0 && now - m.fetchedAt < ROLE_CACHE_TTL_SECONDS * 1000;
}

/** The cached membership when fresh; else read from Jira (one request per mapped role) and cached. */
export async function roleMembership(projectId: string, setup: ProjectSetup | null, cached: RoleMembership | null, now: number): Promise<RoleMembership> {
  if (isFresh(cached, now)) return cached;
  const members: RoleMembership['members'] = {};
  const mapped = STANDING_ROLES.filter((r) => setup?.roleIds[r] !== undefined);
  const lists = await Promise.all(mapped.map((r) => projectRoleMembers(projectId, String(setup?.roleIds[r]))));
  mapped.forEach((r, i) => {
    members[r] = lists[i] ?? [];
  });
  const fresh: RoleMembership = { projectId, fetchedAt: now, members };
  if (mapped.length > 0) await cacheRoleMembership(fresh, ROLE_CACHE_TTL_SECONDS);
  return fresh;
}

export function standingRolesOf(m: RoleMembership, accountId: string): StandingRole[] {
  return STANDING_ROLES.filter((r) => (m.members[r] ?? []).includes(accountId));
}

export function membersOf(m: RoleMembership, role: StandingRole): string[] {
  return m.members[role] ?? [];
}
