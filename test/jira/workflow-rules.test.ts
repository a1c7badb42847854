import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EntityProperties, evaluateWorkflowCondition } from '../../sandbox/jira/expression';
import { ACTION_TABLE } from '../../src/domain/actions';
import { actorIs } from '../../src/domain/decide';
import type { ReleaseContext } from '../../src/domain/context';
import { TRANSITION_ACTIONS, TRANSITIONS_NEEDING_REASON, applyTransition, lifecyclePath } from '../../src/domain/lifecycle';
import { newRelease } from '../../src/domain/release';
import { STANDING_ROLES, type StandingRole } from '../../src/domain/roles';
import { CONDITION_EXPRESSION, ROLE_VALIDATOR_EXPRESSION, RELEASE_PROPERTY_KEY, catchUpStates, conditionConfig, isCatchUpStep, releaseProperty } from '../../src/workflow/rules';

/**
 * The workflow condition Jira evaluates and the domain's own role check are generated from one table; this
 * test holds them equal for every lifecycle transition and every kind of person, so they cannot drift.
 */

const roleIds: Record<StandingRole, number> = Object.fromEntries(STANDING_ROLES.map((r, i) => [r, 10100 + i])) as Record<StandingRole, number>;

const NOW = 1_750_000_000_000;
const release = { ...newRelease({ id: '10001', projectId: '10000', requesterAccountId: 'requester', now: NOW }), leadAccountId: 'lead' };
const ctx: ReleaseContext = {
  release,
  team: {
    releaseId: '10001',
    formedAt: NOW,
    dissolvedAt: null,
    members: [
      { accountId: 'lead', teamRole: 'LEAD', joinedAt: NOW, leftAt: null },
      { accountId: 'impl', teamRole: 'IMPLEMENTER', joinedAt: NOW, leftAt: null },
      { accountId: 'trainer', teamRole: 'TRAINING_LEAD', joinedAt: NOW, leftAt: null },
      { accountId: 'tester', teamRole: 'TEST_EXPERT', joinedAt: NOW, leftAt: null },
      { accountId: 'scl-team', teamRole: 'SOFTWARE_CONTROL_LEAD', joinedAt: NOW, leftAt: null },
      { accountId: 'former', teamRole: 'IMPLEMENTER', joinedAt: NOW, leftAt: NOW + 1 },
    ],
  },
  fallbackPlan: null,
  trainingTasks: [],
  dslItems: [],
};

const personas: { accountId: string; standing: StandingRole[] }[] = [
  ...STANDING_ROLES.map((r) => ({ accountId: `standing-${r}`, standing: [r] })),
  { accountId: 'lead', standing: ['RELEASE_LEAD'] },
  { accountId: 'impl', standing: [] },
  { accountId: 'trainer', standing: [] },
  { accountId: 'tester', standing: [] },
  { accountId: 'scl-team', standing: [] },
  { accountId: 'former', standing: [] },
  { accountId: 'nobody', standing: [] },
];

function jiraSays(action: (typeof TRANSITION_ACTIONS)[number], p: { accountId: string; standing: StandingRole[] }, of: ReleaseContext = ctx): boolean {
  const property = JSON.parse(JSON.stringify(releaseProperty(of))) as Record<string, never>;
  const outcome = evaluateWorkflowCondition(CONDITION_EXPRESSION, {
    user: { accountId: p.accountId, getProjectRoles: () => p.standing.map((r) => ({ id: roleIds[r], name: r })) },
    project: { id: 10000, key: 'RG' },
    issue: { key: 'RG-1', properties: new EntityProperties({ [RELEASE_PROPERTY_KEY]: property }) },
    config: JSON.parse(JSON.stringify(conditionConfig(action, roleIds))) as Record<string, never>,
  });
  if (outcome.error) throw new Error(String(outcome.error));
  return outcome.passed;
}

describe('workflow condition generated from the domain', () => {
  it("manifest.yml's condition expression is the one the code generates configs for", () => {
    const m = parse(readFileSync(join(__dirname, '..', '..', 'manifest.yml'), 'utf8')) as { modules: Record<string, { key: string; expression?: string }[]> };
    const cond = m.modules['jira:workflowCondition']?.find((c) => c.key === 'release-role-condition');
    expect(cond?.expression).toBe(CONDITION_EXPRESSION);
    // The role validator enforces, at transition time, exactly what the condition offers.
    const roleValidator = m.modules['jira:workflowValidator']?.find((c) => c.key === 'release-role-validator');
    expect(roleValidator?.expression).toBe(ROLE_VALIDATOR_EXPRESSION);
  });

  for (const action of TRANSITION_ACTIONS) {
    const needsReason = TRANSITIONS_NEEDING_REASON.includes(action);
    it.each(personas)(`${action}: Jira's condition agrees with the domain for %o${needsReason ? ' (never offered: no screen asks for the reason)' : ''}`, (p) => {
      const domain = ACTION_TABLE[action].who.some((w) => actorIs({ accountId: p.accountId, standingRoles: p.standing, canBrowse: true }, w, ctx));
      expect(jiraSays(action, p)).toBe(needsReason ? false : domain);
    });
  }

  it('offers a lagging Jira exactly the steps of the way to the record, to anyone (the validator lets only those through)', () => {
    // The record went SUBMITTED → PLANNING → BUILD_TEST → READY → IMPLEMENTING → ROLLING_BACK → CLOSED (rolled back).
    let c: ReleaseContext = ctx;
    const walk = ['approve', 'startBuild', 'markReady', 'startImplementation', 'invokeFallback', 'completeFallback'] as const;
    walk.forEach((a, i) => {
      const r = applyTransition({ release: c.release, team: c.team, fallbackPlan: c.fallbackPlan }, a, { actorAccountId: 'x', reason: 'r' }, NOW + i + 1);
      if (!r.ok) throw new Error(a);
      c = { ...c, release: r.release, team: r.team, fallbackPlan: r.fallbackPlan };
    });
    expect(c.release.status).toBe('CLOSED');
    expect(lifecyclePath('SUBMITTED', c.release)).toEqual([...walk]);
    expect(lifecyclePath('IMPLEMENTING', c.release)).toEqual(['invokeFallback', 'completeFallback']);
    const nobody = { accountId: 'nobody', standing: [] };
    expect(jiraSays('completeFallback', nobody, c)).toBe(true);
    expect(jiraSays('invokeFallback', nobody, c)).toBe(true);
    expect(jiraSays('markDeployed', nobody, c)).toBe(false); // the release never went through VERIFYING
    expect(jiraSays('verifyAndClose', nobody, c)).toBe(false);
    expect(isCatchUpStep('IMPLEMENTING', 'invokeFallback', c.release)).toBe(true);
    expect(isCatchUpStep('IMPLEMENTING', 'markDeployed', c.release)).toBe(false);
    expect(isCatchUpStep('ROLLING_BACK', 'completeFallback', c.release)).toBe(true);
    expect(isCatchUpStep('CLOSED', 'completeFallback', c.release)).toBe(false);
    expect(catchUpStates('verifyAndClose')).toEqual(['CLOSED/SUCCESS']);
  });

  it('hides a transition from a member who left the team', () => {
    expect(jiraSays('markDeployed', { accountId: 'former', standing: [] })).toBe(false);
    expect(jiraSays('markDeployed', { accountId: 'impl', standing: [] })).toBe(true);
  });
});
