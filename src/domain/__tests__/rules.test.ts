import {
  DEFAULT_POLICY,
  DSL_ACTIONS,
  addTeamMember,
  applyTransition,
  availableActions,
  decide,
  dissolveTeam,
  dslNextStatus,
  formTeam,
  isReviewOverdue,
  removeTeamMember,
  setTeamLead,
  teamComposition,
  teamRolesCompatible,
  withPolicyDefaults,
  type DslAction,
  type DslStatus,
  type TeamRole,
} from '..';
import { actor, DAY, fullCtx, fullTeam, ID, NOW, T0, withRelease } from './fixtures';

describe('segregation of duties', () => {
  test('the requester may not approve, even as a release manager', () => {
    const ctx = withRelease(fullCtx('SUBMITTED'), { requesterAccountId: ID.mgr });
    expect(decide(actor('mgr'), ctx, 'approve', NOW, DEFAULT_POLICY)).toEqual({ allowed: false, reasons: ['SOD_REQUESTER_APPROVER'] });
    // the requester-manager may still reject, and may approve when the policy switches SoD off
    expect(decide(actor('mgr'), ctx, 'reject', NOW, DEFAULT_POLICY, { reason: 'dup' })).toEqual({ allowed: true });
    expect(decide(actor('mgr'), ctx, 'approve', NOW, withPolicyDefaults({ segregationOfDuties: false }))).toEqual({ allowed: true });
  });

  test('an operations lead who implemented the release may not verify it, even after leaving the team', () => {
    const base = fullCtx('VERIFYING');
    const team = removeTeamMember(addTeamMember(base.team!, ID.ops, 'IMPLEMENTER', T0 + 2 * DAY), ID.ops, 'IMPLEMENTER', T0 + 3 * DAY);
    const ctx = { ...base, team };
    for (const action of ['verifyAndClose', 'recordOperationalAcceptance'] as const) {
      expect(decide(actor('ops'), ctx, action, NOW, DEFAULT_POLICY)).toEqual({ allowed: false, reasons: ['SOD_IMPLEMENTER_VERIFIER'] });
      expect(decide(actor('ops'), ctx, action, NOW, withPolicyDefaults({ segregationOfDuties: false }))).toEqual({ allowed: true });
    }
  });
});

describe('team composition and dual roles', () => {
  test('default policy: dual roles allowed except lead with test expert', () => {
    expect(teamRolesCompatible('LEAD', 'TEST_EXPERT', DEFAULT_POLICY)).toBe(false);
    expect(teamRolesCompatible('TEST_EXPERT', 'LEAD', DEFAULT_POLICY)).toBe(false);
    expect(teamRolesCompatible('LEAD', 'IMPLEMENTER', DEFAULT_POLICY)).toBe(true);
    expect(teamRolesCompatible('TRAINING_LEAD', 'SOFTWARE_CONTROL_LEAD', DEFAULT_POLICY)).toBe(true);
    const strict = withPolicyDefaults({ allowDualTeamRoles: false });
    expect(teamRolesCompatible('LEAD', 'IMPLEMENTER', strict)).toBe(false);
    expect(teamRolesCompatible('IMPLEMENTER', 'IMPLEMENTER', strict)).toBe(true);
  });

  test('the full team satisfies every composition rule; an empty one none', () => {
    expect(teamComposition(fullTeam(), ID.lead, DEFAULT_POLICY).every((c) => c.met)).toBe(true);
    expect(teamComposition(null, ID.lead, DEFAULT_POLICY).filter((c) => !c.met).map((c) => c.code)).toEqual([
      'GATE_TEAM_NO_LEAD',
      'GATE_TEAM_NO_SOFTWARE_CONTROL_LEAD',
      'GATE_TEAM_NO_TRAINING_LEAD',
      'GATE_TEAM_NO_TEST_EXPERT',
    ]);
  });

  test('with dual roles forbidden, a lead who is also implementer breaks the gate', () => {
    const strict = withPolicyDefaults({ allowDualTeamRoles: false });
    const ctx = { ...fullCtx('PLANNING'), team: addTeamMember(fullTeam(), ID.lead, 'IMPLEMENTER', T0) };
    expect(decide(actor('lead'), ctx, 'startBuild', NOW, DEFAULT_POLICY)).toEqual({ allowed: true });
    expect(decide(actor('lead'), ctx, 'startBuild', NOW, strict)).toEqual({ allowed: false, reasons: ['GATE_TEAM_DUAL_ROLE'] });
  });

  test('team life: formed with the lead, memberships keep start and end, dissolution closes all', () => {
    let team = formTeam('r1', 100, 'L');
    expect(team.members).toEqual([{ accountId: 'L', teamRole: 'LEAD', joinedAt: 100, leftAt: null }]);
    team = addTeamMember(team, 'I', 'IMPLEMENTER', 200);
    expect(addTeamMember(team, 'I', 'IMPLEMENTER', 250)).toBe(team);
    team = removeTeamMember(team, 'I', 'IMPLEMENTER', 300);
    team = addTeamMember(team, 'I', 'IMPLEMENTER', 400);
    team = setTeamLead(team, 'L2', 500);
    const done = dissolveTeam(team, 600);
    expect(done.dissolvedAt).toBe(600);
    expect(done.members).toEqual([
      { accountId: 'L', teamRole: 'LEAD', joinedAt: 100, leftAt: 500 },
      { accountId: 'I', teamRole: 'IMPLEMENTER', joinedAt: 200, leftAt: 300 },
      { accountId: 'I', teamRole: 'IMPLEMENTER', joinedAt: 400, leftAt: 600 },
      { accountId: 'L2', teamRole: 'LEAD', joinedAt: 500, leftAt: 600 },
    ]);
    expect(dissolveTeam(done, 700)).toBe(done);
  });
});

describe('team change input', () => {
  const ctx = fullCtx('PLANNING');
  const change = (teamRole: TeamRole, targetAccountId: string, targetStandingRoles: string[] = [], teamChange: 'ADD' | 'REMOVE' = 'ADD') =>
    decide(actor('mgr'), ctx, 'changeTeam', NOW, DEFAULT_POLICY, { teamChange, teamRole, targetAccountId, targetStandingRoles: targetStandingRoles as never });

  test.each([
    ['TRAINING_LEAD', 'acc-x', [], ['TARGET_NOT_IN_ROLE_POOL']],
    ['TRAINING_LEAD', 'acc-x', ['TRAINING_LEAD'], []],
    ['SOFTWARE_CONTROL_LEAD', 'acc-x', ['TRAINING_LEAD'], ['TARGET_NOT_IN_ROLE_POOL']],
    ['TEST_EXPERT', ID.lead, [], ['TEAM_DUAL_ROLE_FORBIDDEN']],
    ['IMPLEMENTER', ID.impl, [], ['TEAM_ALREADY_IN_ROLE']],
    ['LEAD', 'acc-x', ['RELEASE_LEAD'], ['TEAM_LEAD_NOT_ASSIGNED_LEAD']],
    ['TEST_EXPERT', 'acc-x', [], []],
  ] as [TeamRole, string, string[], string[]][])('add %s %s (pools %j) → %j', (role, target, pools, reasons) => {
    const d = change(role, target, pools);
    expect(d).toEqual(reasons.length ? { allowed: false, reasons } : { allowed: true });
  });

  test('remove needs a current member in that role', () => {
    expect(change('IMPLEMENTER', ID.impl, [], 'REMOVE')).toEqual({ allowed: true });
    expect(change('IMPLEMENTER', ID.test, [], 'REMOVE')).toEqual({ allowed: false, reasons: ['TARGET_NOT_TEAM_MEMBER'] });
  });

  test('missing target and role are named', () => {
    expect(decide(actor('mgr'), ctx, 'changeTeam', NOW, DEFAULT_POLICY, {})).toEqual({ allowed: false, reasons: ['TARGET_REQUIRED', 'TEAM_ROLE_REQUIRED'] });
  });

  test('the lead may add implementers, within the dual-role policy', () => {
    expect(decide(actor('lead'), ctx, 'addImplementer', NOW, DEFAULT_POLICY, { targetAccountId: ID.test })).toEqual({ allowed: true });
    const strict = withPolicyDefaults({ allowDualTeamRoles: false });
    expect(decide(actor('lead'), ctx, 'addImplementer', NOW, strict, { targetAccountId: ID.test })).toEqual({ allowed: false, reasons: ['TEAM_DUAL_ROLE_FORBIDDEN'] });
    expect(decide(actor('lead'), ctx, 'addImplementer', NOW, DEFAULT_POLICY, {})).toEqual({ allowed: false, reasons: ['TARGET_REQUIRED'] });
  });

  test('assignLead picks from the lead pool', () => {
    const sub = fullCtx('SUBMITTED');
    expect(decide(actor('mgr'), sub, 'assignLead', NOW, DEFAULT_POLICY, { targetAccountId: 'acc-x', targetStandingRoles: [] })).toEqual({ allowed: false, reasons: ['TARGET_NOT_IN_ROLE_POOL'] });
  });

  test('only someone who was on the team can be evaluated', () => {
    const closed = fullCtx('CLOSED');
    expect(decide(actor('mgr'), closed, 'evaluateParticipant', NOW, DEFAULT_POLICY, { targetAccountId: ID.biz })).toEqual({ allowed: false, reasons: ['TARGET_NOT_TEAM_MEMBER'] });
  });
});

describe('reasons and release presence', () => {
  test.each([['reject'], ['cancel'], ['invokeFallback'], ['recordEmergencyOverride']] as const)('%s needs a reason', (action) => {
    const status = { reject: 'SUBMITTED', cancel: 'READY', invokeFallback: 'IMPLEMENTING', recordEmergencyOverride: 'READY' } as const;
    const who = action === 'invokeFallback' ? 'lead' : 'mgr';
    expect(decide(actor(who), fullCtx(status[action]), action, NOW, DEFAULT_POLICY, { reason: '   ' })).toEqual({ allowed: false, reasons: ['REASON_REQUIRED'] });
    // without extras only "could they?" is asked, so a button can be shown
    expect(decide(actor(who), fullCtx(status[action]), action, NOW, DEFAULT_POLICY)).toEqual({ allowed: true });
  });

  test('release actions without a release', () => {
    expect(decide(actor('mgr'), null, 'approve', NOW, DEFAULT_POLICY)).toEqual({ allowed: false, reasons: ['RELEASE_REQUIRED'] });
  });

  test.each([['IMPLEMENTING'], ['VERIFYING'], ['ROLLING_BACK'], ['CLOSED']] as const)('cancel is refused in %s', (status) => {
    expect(decide(actor('mgr'), fullCtx(status), 'cancel', NOW, DEFAULT_POLICY, { reason: 'x' })).toEqual({ allowed: false, reasons: ['WRONG_STATUS'] });
  });

  test('classify, assign lead, set window and assess risk only in SUBMITTED and PLANNING', () => {
    for (const action of ['classify', 'setWindow', 'assessRisk'] as const) {
      expect(decide(actor('mgr'), fullCtx('PLANNING'), action, NOW, DEFAULT_POLICY).allowed).toBe(true);
      expect(decide(actor('mgr'), fullCtx('BUILD_TEST'), action, NOW, DEFAULT_POLICY)).toEqual({ allowed: false, reasons: ['WRONG_STATUS'] });
    }
  });

  test('availableActions is what the panel offers each persona', () => {
    expect(availableActions(actor('impl'), fullCtx('IMPLEMENTING'), NOW, DEFAULT_POLICY)).toEqual([
      'markDeployed',
      'reportProgress',
      'recordDeploymentResult',
      'read',
      'submitRelease',
    ]);
    expect(availableActions(actor('out'), fullCtx('IMPLEMENTING'), NOW, DEFAULT_POLICY)).toEqual([]);
  });
});

describe('DSL', () => {
  const expected: Record<DslAction, Partial<Record<DslStatus | 'NONE', DslStatus>>> = {
    dslRegister: { NONE: 'REGISTERED' },
    dslApprove: { REGISTERED: 'APPROVED' },
    dslCheckIn: { APPROVED: 'IN_LIBRARY' },
    dslCheckOut: { IN_LIBRARY: 'CHECKED_OUT' },
    dslReturn: { CHECKED_OUT: 'IN_LIBRARY' },
    dslReplace: { IN_LIBRARY: 'SUPERSEDED', CHECKED_OUT: 'SUPERSEDED' },
    dslRetire: { REGISTERED: 'RETIRED', APPROVED: 'RETIRED', IN_LIBRARY: 'RETIRED' },
    dslAudit: { APPROVED: 'APPROVED', IN_LIBRARY: 'IN_LIBRARY', CHECKED_OUT: 'CHECKED_OUT', SUPERSEDED: 'SUPERSEDED', RETIRED: 'RETIRED' },
  };
  const all = ['NONE', 'REGISTERED', 'APPROVED', 'IN_LIBRARY', 'CHECKED_OUT', 'SUPERSEDED', 'RETIRED'] as const;
  test.each(DSL_ACTIONS.flatMap((a) => all.map((s) => [a, s] as const)))('%s from %s', (action, from) => {
    expect(dslNextStatus(action, from === 'NONE' ? null : from)).toBe(expected[action][from] ?? null);
  });

  test('wrong item status, missing item and missing usage request are named', () => {
    expect(decide(actor('scl'), null, 'dslCheckIn', NOW, DEFAULT_POLICY, { dslItem: { id: 'd', status: 'RETIRED' } })).toEqual({ allowed: false, reasons: ['DSL_WRONG_STATUS'] });
    // Checking in what the release manager has not approved says so (SPEC §2: only approved software is recorded).
    expect(decide(actor('scl'), null, 'dslCheckIn', NOW, DEFAULT_POLICY, { dslItem: { id: 'd', status: 'REGISTERED' } })).toEqual({ allowed: false, reasons: ['DSL_NOT_APPROVED'] });
    expect(decide(actor('scl'), null, 'dslCheckOut', NOW, DEFAULT_POLICY, {})).toEqual({ allowed: false, reasons: ['DSL_ITEM_REQUIRED', 'DSL_USAGE_REQUEST_REQUIRED'] });
  });

  test("a team's software control lead without the standing role may act for the release", () => {
    const teamOnly = { accountId: ID.scl, standingRoles: [], canBrowse: true };
    const input = { dslItem: { id: 'd', status: 'APPROVED' as const } };
    expect(decide(teamOnly, fullCtx('BUILD_TEST'), 'dslCheckIn', NOW, DEFAULT_POLICY, input)).toEqual({ allowed: true });
    expect(decide(teamOnly, null, 'dslCheckIn', NOW, DEFAULT_POLICY, input)).toEqual({ allowed: false, reasons: ['NOT_SOFTWARE_CONTROL_LEAD'] });
  });
});

describe('applyTransition', () => {
  test('approve forms the team with the lead and stamps the status', () => {
    const ctx = { ...fullCtx('SUBMITTED'), team: null };
    const r = applyTransition(ctx, 'approve', { actorAccountId: ID.mgr }, NOW);
    if (!r.ok) throw new Error('expected ok');
    expect(r.release.status).toBe('PLANNING');
    expect(r.release.statusEnteredAt.PLANNING).toBe(NOW);
    expect(r.release.statusEnteredAt.SUBMITTED).toBe(ctx.release.statusEnteredAt.SUBMITTED);
    expect(r.team).toEqual({ releaseId: '10001', formedAt: NOW, dissolvedAt: null, members: [{ accountId: ID.lead, teamRole: 'LEAD', joinedAt: NOW, leftAt: null }] });
    expect(r.effects).toEqual([]);
    expect(r.release.version).toBe(ctx.release.version);
  });

  test('verifyAndClose: SUCCESS, team dissolved, CMDB and DSL effects', () => {
    const r = applyTransition(fullCtx('VERIFYING'), 'verifyAndClose', { actorAccountId: ID.ops }, NOW);
    if (!r.ok) throw new Error('expected ok');
    expect(r.release.status).toBe('CLOSED');
    expect(r.release.outcome).toBe('SUCCESS');
    expect(r.team?.dissolvedAt).toBe(NOW);
    expect(r.team?.members.every((m) => m.leftAt === NOW)).toBe(true);
    expect(r.effects).toEqual(['RAISE_CMDB_UPDATE_TASK', 'UPDATE_DSL_ENVIRONMENT_VERSIONS', 'RECORD_KPI_FACTS']);
  });

  test('invokeFallback starts the execution record; completeFallback closes with ROLLED_BACK or FAILED', () => {
    const impl = fullCtx('IMPLEMENTING');
    const inv = applyTransition({ ...impl, fallbackPlan: { ...impl.fallbackPlan!, execution: null } }, 'invokeFallback', { actorAccountId: ID.lead, reason: 'errors' }, NOW);
    if (!inv.ok) throw new Error('expected ok');
    expect(inv.release.status).toBe('ROLLING_BACK');
    expect(inv.fallbackPlan?.execution).toEqual({ decidedBy: ID.lead, reason: 'errors', startedAt: NOW, executedBy: null, endedAt: null, result: null });

    const rb = fullCtx('ROLLING_BACK');
    const ok = applyTransition(rb, 'completeFallback', { actorAccountId: ID.impl }, NOW + 1);
    if (!ok.ok) throw new Error('expected ok');
    expect([ok.release.status, ok.release.outcome, ok.team?.dissolvedAt]).toEqual(['CLOSED', 'ROLLED_BACK', NOW + 1]);
    const failed = { ...rb, fallbackPlan: { ...rb.fallbackPlan!, execution: { ...rb.fallbackPlan!.execution!, result: 'FAILED' as const } } };
    const bad = applyTransition(failed, 'completeFallback', { actorAccountId: ID.impl }, NOW + 1);
    expect(bad.ok && bad.release.outcome).toBe('FAILED');
  });

  test('reject and cancel keep their reasons; cancel dissolves a formed team', () => {
    const rej = applyTransition(fullCtx('SUBMITTED'), 'reject', { actorAccountId: ID.mgr, reason: 'not needed' }, NOW);
    expect(rej.ok && [rej.release.status, rej.release.rejectionReason]).toEqual(['REJECTED', 'not needed']);
    const can = applyTransition(fullCtx('READY'), 'cancel', { actorAccountId: ID.mgr, reason: 'obsolete' }, NOW);
    expect(can.ok && [can.release.status, can.release.cancelReason, can.team?.dissolvedAt]).toEqual(['CANCELLED', 'obsolete', NOW]);
  });

  test('from the wrong status it refuses with WRONG_STATUS', () => {
    expect(applyTransition(fullCtx('CLOSED'), 'approve', { actorAccountId: ID.mgr }, NOW)).toEqual({ ok: false, reasons: ['WRONG_STATUS'] });
  });

  test('the whole happy path, each step allowed by decide first', () => {
    let ctx = { ...fullCtx('SUBMITTED'), team: null as ReturnType<typeof fullTeam> | null };
    const steps = [
      ['approve', 'mgr'],
      ['startBuild', 'lead'],
      ['markReady', 'lead'],
      ['startImplementation', 'impl'],
      ['markDeployed', 'impl'],
      ['verifyAndClose', 'ops'],
    ] as const;
    for (const [action, who] of steps) {
      if (action === 'startBuild') ctx = { ...ctx, team: { ...fullTeam(), formedAt: ctx.team!.formedAt } };
      expect([action, decide(actor(who), ctx, action, NOW, DEFAULT_POLICY)]).toEqual([action, { allowed: true }]);
      const r = applyTransition(ctx, action, { actorAccountId: ID[who] }, NOW);
      if (!r.ok) throw new Error(action);
      ctx = { ...ctx, release: r.release, team: r.team, fallbackPlan: r.fallbackPlan };
    }
    expect(ctx.release.status).toBe('CLOSED');
    expect(Object.keys(ctx.release.statusEnteredAt).sort()).toEqual(['BUILD_TEST', 'CLOSED', 'IMPLEMENTING', 'PLANNING', 'READY', 'SUBMITTED', 'VERIFYING']);
  });

  test('review SLA', () => {
    const sub = fullCtx('SUBMITTED').release;
    expect(isReviewOverdue({ ...sub, statusEnteredAt: { SUBMITTED: T0 } }, T0 + 5 * DAY, 5)).toBe(false);
    expect(isReviewOverdue({ ...sub, statusEnteredAt: { SUBMITTED: T0 } }, T0 + 5 * DAY + 1, 5)).toBe(true);
  });
});
