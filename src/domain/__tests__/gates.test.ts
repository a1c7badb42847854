import {
  DEFAULT_POLICY,
  GATE_REASON_CODES,
  GATES,
  decide,
  nextStepChecklist,
  withPolicyDefaults,
  type GateReasonCode,
  type ReleaseContext,
  type ReleaseStatus,
  type TransitionAction,
} from '..';
import { actor, DAY, fullCtx, H, ID, NOW, T0, withRelease, type Persona } from './fixtures';

/** The freeze conditions need a policy with freezes: freeze.test.ts breaks them one by one. */
const FREEZE_CODES = ['GATE_WINDOW_IN_FREEZE', 'GATE_HARD_FREEZE', 'GATE_SOFT_FREEZE'] as const;
type FreezeCode = (typeof FREEZE_CODES)[number];
const isFreezeCode = (c: GateReasonCode): c is FreezeCode => (FREEZE_CODES as readonly string[]).includes(c);

/** For each gate condition: the transition, who fires it, the status, and how to break only that condition. */
const BREAK: Record<Exclude<GateReasonCode, FreezeCode>, [TransitionAction, Persona, ReleaseStatus, (c: ReleaseContext) => ReleaseContext]> = {
  GATE_NO_CLASSIFICATION: ['approve', 'mgr', 'SUBMITTED', (c) => withRelease(c, { classification: null })],
  GATE_NO_RISK_LEVEL: ['approve', 'mgr', 'SUBMITTED', (c) => withRelease(c, { riskLevel: null })],
  GATE_NO_WINDOW: ['approve', 'mgr', 'SUBMITTED', (c) => withRelease(c, { windowEnd: null })],
  GATE_WINDOW_INVALID: ['approve', 'mgr', 'SUBMITTED', (c) => withRelease(c, { windowEnd: c.release.windowStart })],
  GATE_NO_LEAD: ['approve', 'mgr', 'SUBMITTED', (c) => withRelease(c, { leadAccountId: null })],
  GATE_NO_LINKED_CHANGE: ['approve', 'mgr', 'SUBMITTED', (c) => withRelease(c, { linkedChangeKey: '  ' })],
  GATE_TEAM_NO_LEAD: ['startBuild', 'lead', 'PLANNING', (c) => ({ ...c, team: c.team && { ...c.team, members: c.team.members.filter((m) => m.teamRole !== 'LEAD') } })],
  GATE_TEAM_LEAD_MISMATCH: [
    'startBuild',
    'lead',
    'PLANNING',
    (c) => ({ ...c, team: c.team && { ...c.team, members: [...c.team.members, { accountId: 'acc-other', teamRole: 'LEAD', joinedAt: T0, leftAt: null }] } }),
  ],
  GATE_TEAM_NO_SOFTWARE_CONTROL_LEAD: [
    'startBuild',
    'lead',
    'PLANNING',
    (c) => ({ ...c, team: c.team && { ...c.team, members: c.team.members.map((m) => (m.teamRole === 'SOFTWARE_CONTROL_LEAD' ? { ...m, leftAt: T0 + 2 * DAY } : m)) } }),
  ],
  GATE_TEAM_NO_TRAINING_LEAD: ['startBuild', 'lead', 'PLANNING', (c) => ({ ...c, team: c.team && { ...c.team, members: c.team.members.filter((m) => m.teamRole !== 'TRAINING_LEAD') } })],
  GATE_TEAM_NO_TEST_EXPERT: ['startBuild', 'lead', 'PLANNING', (c) => ({ ...c, team: c.team && { ...c.team, members: c.team.members.filter((m) => m.teamRole !== 'TEST_EXPERT') } })],
  GATE_TEAM_DUAL_ROLE: [
    'startBuild',
    'lead',
    'PLANNING',
    (c) => ({ ...c, team: c.team && { ...c.team, members: [...c.team.members, { accountId: ID.lead, teamRole: 'TEST_EXPERT', joinedAt: T0, leftAt: null }] } }),
  ],
  GATE_NO_PLAN_SCOPE: ['startBuild', 'lead', 'PLANNING', (c) => withRelease(c, { plan: { scope: '', schedule: 'w', plannedEffortHours: 1 } })],
  GATE_NO_PLAN_SCHEDULE: ['startBuild', 'lead', 'PLANNING', (c) => withRelease(c, { plan: { scope: 's', schedule: ' ', plannedEffortHours: 1 } })],
  GATE_NO_PLANNED_EFFORT: ['startBuild', 'lead', 'PLANNING', (c) => withRelease(c, { plan: { scope: 's', schedule: 'w', plannedEffortHours: 0 } })],
  GATE_NO_FALLBACK_STEP: ['startBuild', 'lead', 'PLANNING', (c) => ({ ...c, fallbackPlan: c.fallbackPlan && { ...c.fallbackPlan, steps: [] } })],
  GATE_NO_FALLBACK_TRIGGER: ['startBuild', 'lead', 'PLANNING', (c) => ({ ...c, fallbackPlan: c.fallbackPlan && { ...c.fallbackPlan, triggerCriteria: '' } })],
  GATE_INTEGRATION_TEST_NOT_PASSED: [
    'markReady',
    'lead',
    'BUILD_TEST',
    (c) => withRelease(c, { tests: { ...c.release.tests, integration: { passed: false, recordedBy: ID.impl, recordedAt: T0 } } }),
  ],
  GATE_UAT_NOT_PASSED: ['markReady', 'lead', 'BUILD_TEST', (c) => withRelease(c, { tests: { ...c.release.tests, uat: null } })],
  GATE_NO_PASSED_REHEARSAL: [
    'markReady',
    'lead',
    'BUILD_TEST',
    (c) => ({ ...c, fallbackPlan: c.fallbackPlan && { ...c.fallbackPlan, rehearsals: [{ at: T0, environment: 'stg', result: 'FAILED', recordedBy: ID.impl }] } }),
  ],
  GATE_NO_DSL_ITEMS: ['markReady', 'lead', 'BUILD_TEST', (c) => ({ ...c, dslItems: [] })],
  GATE_DSL_ITEM_NOT_APPROVED: ['markReady', 'lead', 'BUILD_TEST', (c) => ({ ...c, dslItems: [...c.dslItems, { id: 'x', status: 'REGISTERED' }] })],
  GATE_DSL_ITEM_NOT_CHECKED_IN: ['markReady', 'lead', 'BUILD_TEST', (c) => ({ ...c, dslItems: [...c.dslItems, { id: 'x', status: 'APPROVED' }] })],
  GATE_HELP_DESK_TRAINING_NOT_DELIVERED: [
    'markReady',
    'lead',
    'BUILD_TEST',
    (c) => ({ ...c, trainingTasks: c.trainingTasks.map((t) => ({ ...t, deliveredAt: null })) }),
  ],
  GATE_DEPARTMENT_OPINIONS_MISSING: ['markReady', 'lead', 'BUILD_TEST', (c) => withRelease(c, { departmentOpinions: [] })],
  GATE_NO_IMPLEMENTER: ['markReady', 'lead', 'BUILD_TEST', (c) => ({ ...c, team: c.team && { ...c.team, members: c.team.members.filter((m) => m.teamRole !== 'IMPLEMENTER') } })],
  GATE_OUTSIDE_WINDOW: ['startImplementation', 'impl', 'READY', (c) => withRelease(c, { windowStart: NOW + H, windowEnd: NOW + 5 * H })],
  GATE_NO_DEPLOYMENT_RESULT: ['markDeployed', 'impl', 'IMPLEMENTING', (c) => withRelease(c, { deployment: null })],
  GATE_DEPLOYMENT_FAILED: ['markDeployed', 'impl', 'IMPLEMENTING', (c) => withRelease(c, { deployment: { succeeded: false, recordedBy: ID.impl, finishedAt: NOW } })],
  GATE_NO_FALLBACK_RESULT: [
    'completeFallback',
    'impl',
    'ROLLING_BACK',
    (c) => ({ ...c, fallbackPlan: c.fallbackPlan && { ...c.fallbackPlan, execution: { decidedBy: ID.lead, reason: 'x', startedAt: NOW, executedBy: null, endedAt: null, result: null } } }),
  ],
  GATE_NO_OPERATIONAL_ACCEPTANCE: [
    'verifyAndClose',
    'ops',
    'VERIFYING',
    (c) => withRelease(c, { operationalAcceptance: { accepted: false, resultConfirmed: true, confirmedBy: ID.ops, confirmedAt: NOW } }),
  ],
  GATE_RELEASE_RESULT_NOT_CONFIRMED: [
    'verifyAndClose',
    'ops',
    'VERIFYING',
    (c) => withRelease(c, { operationalAcceptance: { accepted: true, resultConfirmed: false, confirmedBy: ID.ops, confirmedAt: NOW } }),
  ],
  GATE_NO_BUSINESS_CUTOVER: ['verifyAndClose', 'ops', 'VERIFYING', (c) => withRelease(c, { cutover: null })],
};

describe('each gate condition failing alone names itself', () => {
  test.each(GATE_REASON_CODES.filter((c) => !isFreezeCode(c)).map((c) => [c as Exclude<GateReasonCode, FreezeCode>]))('%s', (code) => {
    const [action, who, status, breakIt] = BREAK[code];
    const happy = fullCtx(status);
    expect(decide(actor(who), happy, action, NOW, DEFAULT_POLICY)).toEqual({ allowed: true });
    expect(decide(actor(who), breakIt(happy), action, NOW, DEFAULT_POLICY)).toEqual({ allowed: false, reasons: [code] });
    // ...and the checklist marks exactly that condition unmet.
    const list = nextStepChecklist(breakIt(happy), DEFAULT_POLICY, NOW);
    expect(list.action).toBe(action);
    expect(list.items.filter((i) => !i.met).map((i) => i.code)).toEqual([code]);
    expect(list.allMet).toBe(false);
  });

  test('every gate code belongs to exactly one transition gate', () => {
    const listed = Object.values(GATES).flatMap((g) => g.map((c) => c.code));
    // The window-in-freeze flag is shown at review and before implementation: the only code in two gates.
    const once = listed.filter((c, i) => listed.indexOf(c) === i);
    expect(listed.filter((c) => c === 'GATE_WINDOW_IN_FREEZE')).toHaveLength(2);
    expect(listed.length).toBe(once.length + 1);
    expect([...once].sort()).toEqual([...GATE_REASON_CODES].sort());
  });
});

describe('all failing conditions are listed, not just the first', () => {
  test('approve on an empty request lists every approve gate plus segregation of duties', () => {
    const ctx = withRelease(fullCtx('SUBMITTED'), { classification: null, riskLevel: null, windowStart: null, windowEnd: null, leadAccountId: null, linkedChangeKey: null, requesterAccountId: ID.mgr });
    expect(decide(actor('mgr'), ctx, 'approve', NOW, DEFAULT_POLICY)).toEqual({
      allowed: false,
      reasons: ['SOD_REQUESTER_APPROVER', 'GATE_NO_CLASSIFICATION', 'GATE_NO_RISK_LEVEL', 'GATE_NO_WINDOW', 'GATE_NO_LEAD', 'GATE_NO_LINKED_CHANGE'],
    });
  });

  test('startBuild without team, plan or fallback plan lists all of them', () => {
    const ctx = { ...withRelease(fullCtx('PLANNING'), { plan: null }), team: null, fallbackPlan: null };
    expect(decide(actor('lead'), ctx, 'startBuild', NOW, DEFAULT_POLICY)).toEqual({
      allowed: false,
      reasons: [
        'GATE_TEAM_NO_LEAD',
        'GATE_TEAM_NO_SOFTWARE_CONTROL_LEAD',
        'GATE_TEAM_NO_TRAINING_LEAD',
        'GATE_TEAM_NO_TEST_EXPERT',
        'GATE_NO_PLAN_SCOPE',
        'GATE_NO_PLAN_SCHEDULE',
        'GATE_NO_PLANNED_EFFORT',
        'GATE_NO_FALLBACK_STEP',
        'GATE_NO_FALLBACK_TRIGGER',
      ],
    });
  });

  test('role, status and input failures are reported together', () => {
    expect(decide(actor('view'), fullCtx('CLOSED'), 'reject', NOW, DEFAULT_POLICY, { reason: ' ' })).toEqual({
      allowed: false,
      reasons: ['NOT_RELEASE_MANAGER', 'WRONG_STATUS', 'REASON_REQUIRED'],
    });
  });

  test('gates are not evaluated in the wrong status', () => {
    const ctx = withRelease(fullCtx('READY'), { classification: null });
    expect(decide(actor('mgr'), ctx, 'approve', NOW, DEFAULT_POLICY)).toEqual({ allowed: false, reasons: ['WRONG_STATUS'] });
  });
});

describe('policy switches turn gate conditions off', () => {
  const off = withPolicyDefaults({
    gates: { requireLinkedChange: false, requireHelpDeskTraining: false, requireDepartmentOpinions: false, requireBusinessCutover: false },
  });
  test.each([
    ['GATE_NO_LINKED_CHANGE'],
    ['GATE_HELP_DESK_TRAINING_NOT_DELIVERED'],
    ['GATE_DEPARTMENT_OPINIONS_MISSING'],
    ['GATE_NO_BUSINESS_CUTOVER'],
  ] as [Exclude<GateReasonCode, FreezeCode>][])('%s', (code) => {
    const [action, who, status, breakIt] = BREAK[code];
    const ctx = breakIt(fullCtx(status));
    expect(decide(actor(who), ctx, action, NOW, off)).toEqual({ allowed: true });
    expect(nextStepChecklist(ctx, off, NOW).items.map((i) => i.code)).not.toContain(code);
  });
});

describe('start implementation and the release window', () => {
  const ready = fullCtx('READY');
  const start = ready.release.windowStart as number;
  const end = ready.release.windowEnd as number;
  test.each([
    [start - 1, false],
    [start, true],
    [end, true],
    [end + 1, false],
  ])('at %d inside=%s', (at, inside) => {
    expect(decide(actor('impl'), ready, 'startImplementation', at, DEFAULT_POLICY).allowed).toBe(inside);
  });
  test('an emergency override recorded by the manager lets it start outside the window', () => {
    const ctx = withRelease(ready, { emergencyOverride: { recordedBy: ID.mgr, recordedAt: start - DAY, reason: 'outage' } });
    expect(decide(actor('impl'), ctx, 'startImplementation', start - DAY, DEFAULT_POLICY)).toEqual({ allowed: true });
  });
});

describe('nextStepChecklist', () => {
  test.each([
    ['SUBMITTED', 'approve'],
    ['PLANNING', 'startBuild'],
    ['BUILD_TEST', 'markReady'],
    ['READY', 'startImplementation'],
    ['IMPLEMENTING', 'markDeployed'],
    ['VERIFYING', 'verifyAndClose'],
    ['ROLLING_BACK', 'completeFallback'],
  ] as [ReleaseStatus, TransitionAction][])('%s waits for %s, all met in the full context', (status, action) => {
    const list = nextStepChecklist(fullCtx(status), DEFAULT_POLICY, NOW);
    expect(list.action).toBe(action);
    // Without freezes in the policy, the freeze conditions are not listed.
    expect(list.items.length).toBe(GATES[action].filter((g) => !isFreezeCode(g.code)).length);
    expect(list.allMet).toBe(true);
  });
  test.each([['CLOSED'], ['REJECTED'], ['CANCELLED']] as [ReleaseStatus][])('%s has no next step', (status) => {
    expect(nextStepChecklist(fullCtx(status), DEFAULT_POLICY, NOW)).toEqual({ action: null, items: [], allMet: false });
  });
  test('a fresh request shows each approve condition unmet; window validity is not listed until a window exists', () => {
    const ctx = { ...fullCtx('SUBMITTED'), release: { ...fullCtx('SUBMITTED').release, classification: null, riskLevel: null, windowStart: null, windowEnd: null, leadAccountId: null } };
    expect(nextStepChecklist(ctx, DEFAULT_POLICY, NOW).items).toEqual([
      { code: 'GATE_NO_CLASSIFICATION', met: false },
      { code: 'GATE_NO_RISK_LEVEL', met: false },
      { code: 'GATE_NO_WINDOW', met: false },
      { code: 'GATE_NO_LEAD', met: false },
      { code: 'GATE_NO_LINKED_CHANGE', met: true },
    ]);
    const withWindow = { ...ctx, release: { ...ctx.release, windowStart: NOW + 10, windowEnd: NOW } };
    expect(nextStepChecklist(withWindow, DEFAULT_POLICY, NOW).items).toContainEqual({ code: 'GATE_WINDOW_INVALID', met: false });
  });
});
