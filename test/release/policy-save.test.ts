import { RESOLVER_KEYS as K } from '../../src/contracts';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { KPI_NAMES } from '../../src/domain/kpiCatalog';
import { startWorld, type World } from '../support/release-world';

/** The admin page sends every policy field at once; each one must be savable and audited (none unknown to the trail). */
describe('saving the whole policy as the admin page sends it', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  it('saves every field, time zone included, and the next save sees the new version', async () => {
    const policy = {
      gates: { ...DEFAULT_POLICY.gates, requireDepartmentOpinions: false },
      segregationOfDuties: true,
      allowDualTeamRoles: true,
      reviewSlaDays: 7,
      dslTimelyUpdateHours: 48,
      timeZone: 'Asia/Shanghai',
      pipelineDeployEnvironment: 'production',
      kpiTargets: Object.fromEntries(KPI_NAMES.map((k) => [k, DEFAULT_POLICY.kpiTargets[k]])),
    };
    const res = await w.onProject('owner', K.savePolicy, { projectId: w.project.id, expectedVersion: 1, policy });
    expect(res.value).toMatchObject({ ok: true, data: { policy: { timeZone: 'Asia/Shanghai', pipelineDeployEnvironment: 'production', reviewSlaDays: 7, gates: { requireDepartmentOpinions: false } } } });
    const stale = await w.onProject('owner', K.savePolicy, { projectId: w.project.id, expectedVersion: 1, policy: { timeZone: 'UTC' } });
    expect(stale.value).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});
