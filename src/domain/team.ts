/**
 * The temporary release team (发布小组): formed by the manager in planning, dissolved when the release closes.
 * Memberships are never deleted; leaving sets `leftAt`, so the team's history stays readable.
 */
import { teamRolesCompatible, type Policy } from './policy';
import type { TeamRole } from './roles';
import type { GateReasonCode } from './reasons';

export interface TeamMember {
  readonly accountId: string;
  readonly teamRole: TeamRole;
  readonly joinedAt: number;
  readonly leftAt: number | null;
}

export interface Team {
  readonly releaseId: string;
  readonly formedAt: number;
  readonly dissolvedAt: number | null;
  readonly members: readonly TeamMember[];
}

export function formTeam(releaseId: string, now: number, leadAccountId?: string | null): Team {
  return {
    releaseId,
    formedAt: now,
    dissolvedAt: null,
    members: leadAccountId ? [{ accountId: leadAccountId, teamRole: 'LEAD', joinedAt: now, leftAt: null }] : [],
  };
}

export function isDissolved(team: Team | null): boolean {
  return team !== null && team.dissolvedAt !== null;
}

/** Members currently on the team (none once it is dissolved). */
export function activeMembers(team: Team | null): readonly TeamMember[] {
  if (!team || team.dissolvedAt !== null) return [];
  return team.members.filter((m) => m.leftAt === null);
}

export function activeRolesOf(team: Team | null, accountId: string): TeamRole[] {
  return activeMembers(team)
    .filter((m) => m.accountId === accountId)
    .map((m) => m.teamRole);
}

export function holdsTeamRole(team: Team | null, accountId: string, role: TeamRole): boolean {
  return activeMembers(team).some((m) => m.accountId === accountId && m.teamRole === role);
}

/** Held the role at any time, including after leaving or dissolution (for segregation of duties). */
export function everHeldTeamRole(team: Team | null, accountId: string, role: TeamRole): boolean {
  return !!team && team.members.some((m) => m.accountId === accountId && m.teamRole === role);
}

/** Was the person ever a member of the team, in any role? */
export function wasTeamMember(team: Team | null, accountId: string): boolean {
  return !!team && team.members.some((m) => m.accountId === accountId);
}

export function addTeamMember(team: Team, accountId: string, teamRole: TeamRole, now: number): Team {
  if (holdsTeamRole(team, accountId, teamRole)) return team;
  return { ...team, members: [...team.members, { accountId, teamRole, joinedAt: now, leftAt: null }] };
}

export function removeTeamMember(team: Team, accountId: string, teamRole: TeamRole, now: number): Team {
  return {
    ...team,
    members: team.members.map((m) =>
      m.accountId === accountId && m.teamRole === teamRole && m.leftAt === null ? { ...m, leftAt: now } : m,
    ),
  };
}

/** Ends the team: every open membership is closed at the same instant. */
export function dissolveTeam(team: Team, now: number): Team {
  if (team.dissolvedAt !== null) return team;
  return {
    ...team,
    dissolvedAt: now,
    members: team.members.map((m) => (m.leftAt === null ? { ...m, leftAt: now } : m)),
  };
}

/** Replaces the LEAD membership when the manager reassigns the lead. */
export function setTeamLead(team: Team, leadAccountId: string, now: number): Team {
  let next = team;
  for (const m of activeMembers(team)) {
    if (m.teamRole === 'LEAD' && m.accountId !== leadAccountId) next = removeTeamMember(next, m.accountId, 'LEAD', now);
  }
  return addTeamMember(next, leadAccountId, 'LEAD', now);
}

/** Would giving `accountId` the role `teamRole` break the dual-role policy? Returns the conflicting role. */
export function dualRoleConflict(
  team: Team | null,
  accountId: string,
  teamRole: TeamRole,
  policy: Policy,
): TeamRole | null {
  for (const held of activeRolesOf(team, accountId)) {
    if (!teamRolesCompatible(held, teamRole, policy)) return held;
  }
  return null;
}

export type TeamCompositionCode = Extract<
  GateReasonCode,
  | 'GATE_TEAM_NO_LEAD'
  | 'GATE_TEAM_LEAD_MISMATCH'
  | 'GATE_TEAM_NO_SOFTWARE_CONTROL_LEAD'
  | 'GATE_TEAM_NO_TRAINING_LEAD'
  | 'GATE_TEAM_NO_TEST_EXPERT'
  | 'GATE_TEAM_DUAL_ROLE'
>;

/**
 * Team composition (SPEC §2): at least a lead (the release's assigned lead), a software control lead,
 * a training lead and a test expert; no one holding two roles the policy forbids together.
 * Returns each condition with whether it holds.
 */
export function teamComposition(
  team: Team | null,
  leadAccountId: string | null,
  policy: Policy,
): { code: TeamCompositionCode; met: boolean }[] {
  const members = activeMembers(team);
  const has = (role: TeamRole): boolean => members.some((m) => m.teamRole === role);
  const leads = members.filter((m) => m.teamRole === 'LEAD');
  const byPerson = new Map<string, TeamRole[]>();
  for (const m of members) byPerson.set(m.accountId, [...(byPerson.get(m.accountId) ?? []), m.teamRole]);
  let dualOk = true;
  for (const roles of byPerson.values()) {
    for (let i = 0; i < roles.length; i++) {
      for (let j = i + 1; j < roles.length; j++) {
        if (!teamRolesCompatible(roles[i] as TeamRole, roles[j] as TeamRole, policy)) dualOk = false;
      }
    }
  }
  return [
    { code: 'GATE_TEAM_NO_LEAD', met: leads.length > 0 },
    {
      code: 'GATE_TEAM_LEAD_MISMATCH',
      met: leads.length === 0 || (leadAccountId !== null && leads.every((m) => m.accountId === leadAccountId)),
    },
    { code: 'GATE_TEAM_NO_SOFTWARE_CONTROL_LEAD', met: has('SOFTWARE_CONTROL_LEAD') },
    { code: 'GATE_TEAM_NO_TRAINING_LEAD', met: has('TRAINING_LEAD') },
    { code: 'GATE_TEAM_NO_TEST_EXPERT', met: has('TEST_EXPERT') },
    { code: 'GATE_TEAM_DUAL_ROLE', met: dualOk },
  ];
}
