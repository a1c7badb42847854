/** Standing roles (per Jira project, mapped onto project roles) and per-release team roles (SPEC §2). */

export const STANDING_ROLES = [
  'PROCESS_OWNER',
  'RELEASE_MANAGER',
  'RELEASE_LEAD', // pool the manager assigns a release's lead from
  'TRAINING_LEAD', // pool
  'SOFTWARE_CONTROL_LEAD', // pool
  'BUSINESS_LEAD',
  'OPERATIONS_LEAD',
] as const;
export type StandingRole = (typeof STANDING_ROLES)[number];

export const TEAM_ROLES = ['LEAD', 'IMPLEMENTER', 'TRAINING_LEAD', 'SOFTWARE_CONTROL_LEAD', 'TEST_EXPERT'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** Team roles that must be filled from a standing pool; the others may be anyone who can browse. */
export const TEAM_ROLE_POOL: Readonly<Partial<Record<TeamRole, StandingRole>>> = {
  LEAD: 'RELEASE_LEAD',
  TRAINING_LEAD: 'TRAINING_LEAD',
  SOFTWARE_CONTROL_LEAD: 'SOFTWARE_CONTROL_LEAD',
};

/** Who is acting. Built by the caller from the invocation context and the project's role membership. */
export interface Actor {
  readonly accountId: string;
  readonly standingRoles: ReadonlySet<StandingRole> | readonly StandingRole[];
  /** Jira BROWSE_PROJECTS permission on the release's project. */
  readonly canBrowse: boolean;
  /** A deployment pipeline authenticated by a project pipeline token: never a person, never holds a role. */
  readonly pipeline?: boolean;
}

export function hasStandingRole(
  roles: ReadonlySet<StandingRole> | readonly StandingRole[],
  role: StandingRole,
): boolean {
  return Array.isArray(roles) ? roles.includes(role) : (roles as ReadonlySet<StandingRole>).has(role);
}

export function isStandingRole(value: string): value is StandingRole {
  return (STANDING_ROLES as readonly string[]).includes(value);
}

export function isTeamRole(value: string): value is TeamRole {
  return (TEAM_ROLES as readonly string[]).includes(value);
}
