/**
 * The policy "a pipeline's `finished: success` marks the release deployed": which environment counts, and the
 * decision the pipeline then asks (`pipelineMarkDeployed`): the person's mark-deployed transition with its gate,
 * plus an implementer on the team to answer for the machine's act. Segregation of duties stays with persons.
 */
import { DEFAULT_POLICY, decide, withPolicyDefaults, type Actor } from '..';
import { applyTransition } from '../lifecycle';
import { pipelineFinishCounts } from '../policy';
import { actor, fullCtx, ID, NOW, withRelease } from './fixtures';

const pipeline: Actor = { accountId: 'pipeline:tok-1', standingRoles: [], canBrowse: true, pipeline: true };
const on = withPolicyDefaults({ pipelineDeployEnvironment: 'production' });
const deployed = { succeeded: true, recordedBy: pipeline.accountId, finishedAt: NOW };

describe('which finish counts', () => {
  test('off by default: no environment counts', () => {
    expect(DEFAULT_POLICY.pipelineDeployEnvironment).toBeNull();
    expect(pipelineFinishCounts(DEFAULT_POLICY, 'production')).toBe(false);
  });
  test('only the named environment, letter case aside; a staging success never counts for production', () => {
    expect(pipelineFinishCounts(on, 'production')).toBe(true);
    expect(pipelineFinishCounts(on, 'Production')).toBe(true);
    expect(pipelineFinishCounts(on, 'staging')).toBe(false);
    expect(pipelineFinishCounts(on, 'production-eu')).toBe(false);
    expect(pipelineFinishCounts(on, 'prod')).toBe(false);
  });
  test('a stored policy without the field keeps it off; an explicit null turns it off again', () => {
    expect(withPolicyDefaults({}).pipelineDeployEnvironment).toBeNull();
    expect(withPolicyDefaults({ pipelineDeployEnvironment: null }, on).pipelineDeployEnvironment).toBeNull();
    expect(withPolicyDefaults({}, on).pipelineDeployEnvironment).toBe('production');
  });
});

describe('pipelineMarkDeployed: the same transition and gate as a person’s mark deployed', () => {
  const implementing = withRelease(fullCtx('IMPLEMENTING'), { deployment: deployed });

  test('allowed for the pipeline with a successful result and an implementer on the team; it moves to VERIFYING', () => {
    expect(decide(pipeline, implementing, 'pipelineMarkDeployed', NOW, on)).toEqual({ allowed: true });
    const moved = applyTransition({ release: implementing.release, team: implementing.team, fallbackPlan: implementing.fallbackPlan }, 'markDeployed', { actorAccountId: pipeline.accountId }, NOW);
    expect(moved.ok && moved.release.status).toBe('VERIFYING');
  });

  test('refused by the mark-deployed gate: no result, or a failed one', () => {
    expect(decide(pipeline, withRelease(implementing, { deployment: null }), 'pipelineMarkDeployed', NOW, on)).toEqual({ allowed: false, reasons: ['GATE_NO_DEPLOYMENT_RESULT'] });
    expect(decide(pipeline, withRelease(implementing, { deployment: { ...deployed, succeeded: false } }), 'pipelineMarkDeployed', NOW, on)).toEqual({
      allowed: false,
      reasons: ['GATE_DEPLOYMENT_FAILED'],
    });
  });

  test('refused in any status but IMPLEMENTING (the release has moved on, or not got there)', () => {
    for (const s of ['READY', 'VERIFYING', 'ROLLING_BACK', 'CLOSED'] as const) {
      expect(decide(pipeline, withRelease(fullCtx(s), { deployment: deployed }), 'pipelineMarkDeployed', NOW, on)).toEqual({ allowed: false, reasons: ['WRONG_STATUS'] });
    }
  });

  test('refused when no implementer is left on the team to answer for it (a person could not mark it deployed either)', () => {
    const noImplementer = { ...implementing, team: implementing.team && { ...implementing.team, members: implementing.team.members.filter((m) => m.teamRole !== 'IMPLEMENTER') } };
    expect(decide(pipeline, noImplementer, 'pipelineMarkDeployed', NOW, on)).toEqual({ allowed: false, reasons: ['GATE_NO_IMPLEMENTER'] });
    expect(decide(actor('impl'), noImplementer, 'markDeployed', NOW, on)).toEqual({ allowed: false, reasons: ['NOT_TEAM_IMPLEMENTER'] });
    // Regardless of the segregation-of-duties switch: it is accountability, not a SoD rule.
    expect(decide(pipeline, noImplementer, 'pipelineMarkDeployed', NOW, withPolicyDefaults({ segregationOfDuties: false, pipelineDeployEnvironment: 'production' }))).toEqual({
      allowed: false,
      reasons: ['GATE_NO_IMPLEMENTER'],
    });
  });

  test('a person cannot take the pipeline’s action, and the pipeline cannot take the person’s', () => {
    expect(decide(actor('impl'), implementing, 'pipelineMarkDeployed', NOW, on)).toEqual({ allowed: false, reasons: ['NOT_PIPELINE'] });
    expect(decide(pipeline, implementing, 'markDeployed', NOW, on)).toEqual({ allowed: false, reasons: ['NOT_TEAM_IMPLEMENTER'] });
  });

  test('segregation of duties still holds after the pipeline marked it deployed: the implementer may not verify, the pipeline cannot', () => {
    const verifying = withRelease(fullCtx('VERIFYING'), { deployment: deployed });
    expect(decide(actor('impl', ['OPERATIONS_LEAD']), verifying, 'verifyAndClose', NOW, on)).toEqual({ allowed: false, reasons: ['SOD_IMPLEMENTER_VERIFIER'] });
    expect(decide(actor('ops'), verifying, 'verifyAndClose', NOW, on)).toEqual({ allowed: true });
    expect(decide(pipeline, verifying, 'verifyAndClose', NOW, on)).toEqual({ allowed: false, reasons: ['NOT_OPERATIONS_LEAD'] });
    expect(ID.impl).not.toBe(pipeline.accountId);
  });
});
