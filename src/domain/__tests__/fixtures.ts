/** Test fixtures: a release context in any status with every record a gate could ask for present. */
import type { Actor, ReleaseContext, ReleaseStatus, StandingRole, Team } from '..';
import { newRelease } from '..';

export const H = 3_600_000;
export const DAY = 24 * H;
/** 2025-03-10T00:00:00Z */
export const T0 = Date.UTC(2025, 2, 10);
/** Inside the window of the full context. */
export const NOW = T0 + 10 * DAY + 2 * H;

export const ID = {
  owner: 'acc-owner',
  mgr: 'acc-manager',
  lead: 'acc-lead',
  impl: 'acc-impl',
  train: 'acc-trainer',
  scl: 'acc-scl',
  test: 'acc-tester',
  biz: 'acc-business',
  ops: 'acc-ops',
  req: 'acc-requester',
  view: 'acc-viewer',
  out: 'acc-outsider',
} as const;
export type Persona = keyof typeof ID;
export const PERSONAS = Object.keys(ID) as Persona[];

const STANDING: Record<Persona, StandingRole[]> = {
  owner: ['PROCESS_OWNER'],
  mgr: ['RELEASE_MANAGER'],
  lead: ['RELEASE_LEAD'],
  impl: [],
  train: ['TRAINING_LEAD'],
  scl: ['SOFTWARE_CONTROL_LEAD'],
  test: [],
  biz: ['BUSINESS_LEAD'],
  ops: ['OPERATIONS_LEAD'],
  req: [],
  view: [],
  out: [],
};

export function actor(p: Persona, extra: StandingRole[] = []): Actor {
  return { accountId: ID[p], standingRoles: new Set([...STANDING[p], ...extra]), canBrowse: p !== 'out' };
}

export function fullTeam(releaseId = '10001'): Team {
  const m = (accountId: string, teamRole: Team['members'][number]['teamRole']) => ({ accountId, teamRole, joinedAt: T0 + DAY, leftAt: null });
  return {
    releaseId,
    formedAt: T0 + DAY,
    dissolvedAt: null,
    members: [m(ID.lead, 'LEAD'), m(ID.impl, 'IMPLEMENTER'), m(ID.train, 'TRAINING_LEAD'), m(ID.scl, 'SOFTWARE_CONTROL_LEAD'), m(ID.test, 'TEST_EXPERT')],
  };
}

/** Every gate of every transition holds; `status` chooses where the release stands. */
export function fullCtx(status: ReleaseStatus = 'SUBMITTED'): ReleaseContext {
  const base = newRelease({ id: '10001', projectId: 'P1', requesterAccountId: ID.req, now: T0, issueKey: 'REL-1', linkedChangeKey: 'CHG-7' });
  const closed = status === 'CLOSED';
  const team = fullTeam();
  return {
    release: {
      ...base,
      status,
      classification: 'MAJOR',
      riskLevel: 'MEDIUM',
      riskAnalysis: 'db migration',
      windowStart: T0 + 10 * DAY,
      windowEnd: T0 + 10 * DAY + 6 * H,
      leadAccountId: ID.lead,
      plan: { scope: 'ERP 2.1', schedule: 'week 11', plannedEffortHours: 40 },
      actualEffortHours: 50,
      departmentOpinions: [{ department: 'Finance', opinion: 'ok', recordedBy: ID.lead, recordedAt: T0 + 2 * DAY }],
      tests: {
        integration: { passed: true, recordedBy: ID.impl, recordedAt: T0 + 5 * DAY },
        uat: { passed: true, recordedBy: ID.biz, recordedAt: T0 + 6 * DAY },
      },
      cutover: { confirmed: true, confirmedBy: ID.biz, confirmedAt: T0 + 10 * DAY + 4 * H },
      operationalAcceptance: { accepted: true, resultConfirmed: true, confirmedBy: ID.ops, confirmedAt: T0 + 10 * DAY + 5 * H },
      deployment: { succeeded: true, recordedBy: ID.impl, finishedAt: T0 + 10 * DAY + 3 * H },
      outcome: closed ? 'SUCCESS' : null,
      statusEnteredAt: { SUBMITTED: T0, PLANNING: T0 + DAY, [status]: T0 + 9 * DAY },
    },
    team: closed ? { ...team, dissolvedAt: NOW, members: team.members.map((m) => ({ ...m, leftAt: NOW })) } : team,
    fallbackPlan: {
      releaseId: '10001',
      triggerCriteria: 'error rate > 5% for 10 min',
      steps: [{ action: 'restore v2.0', ownerAccountId: ID.impl, expectedMinutes: 30 }],
      restoreDslItemId: 'dsl-0',
      dataBackupRef: 'backup-42',
      rehearsals: [{ at: T0 + 7 * DAY, environment: 'staging', result: 'PASSED', recordedBy: ID.impl }],
      execution: { decidedBy: ID.lead, reason: 'errors', startedAt: NOW - H, executedBy: ID.impl, endedAt: NOW, result: 'SUCCEEDED' },
    },
    trainingTasks: [
      { id: 't1', releaseId: '10001', audience: 'HELP_DESK', trainerAccountId: ID.train, dueAt: T0 + 8 * DAY, deliveredAt: T0 + 7 * DAY, assessed: 10, passed: 9, feedback: [] },
    ],
    dslItems: [{ id: 'dsl-1', status: 'IN_LIBRARY', checkedInAt: T0 + 4 * DAY, productionUpdatedAt: T0 + 10 * DAY + 4 * H }],
  };
}

/** Shallow-replace parts of the release record. */
export function withRelease(ctx: ReleaseContext, patch: Partial<ReleaseContext['release']>): ReleaseContext {
  return { ...ctx, release: { ...ctx.release, ...patch } };
}
