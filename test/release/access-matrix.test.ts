import { RESOLVER_KEYS as K, type ResolverKey } from '../../src/contracts';
import type { ReleaseAction } from '../../src/domain/actions';
import { RELEASE_ACTIONS } from '../../src/domain/actions';
import { getRow } from '../../src/storage/records';
import { DAY, HOUR, P, PERSONAS, setupRef, startWorld, type Persona, type Stage, type World } from '../support/release-world';

/**
 * Every cell of (action × persona), plus an outsider who cannot browse the project, through the resolver.
 * The expectations are written out from SPEC §3 here, not derived from the domain's table.
 */

interface Row {
  key: ResolverKey;
  stage: Stage;
  allowed: Persona[];
  /** The first reason code a persona who may not act gets. */
  refusal: string;
  payload: (w: World, id: string) => Promise<Record<string, unknown>>;
  /** False for payloads without `expectedVersion` in their contract. */
  versioned?: boolean;
}

const none = async () => ({});
const reason = async () => ({ reason: 'Because the change board said so' });
const taskId = async (w: World, id: string) => ({ taskId: (await w.stored(id)).training[0]?.id });

const TABLE: Record<ReleaseAction, Row> = {
  approve: { key: K.approve, stage: 'SUBMITTED', allowed: ['manager'], refusal: 'NOT_RELEASE_MANAGER', payload: none },
  reject: { key: K.reject, stage: 'SUBMITTED', allowed: ['manager'], refusal: 'NOT_RELEASE_MANAGER', payload: reason },
  cancel: { key: K.cancel, stage: 'SUBMITTED', allowed: ['manager'], refusal: 'NOT_RELEASE_MANAGER', payload: reason },
  startBuild: { key: K.startBuild, stage: 'PLANNING', allowed: ['lead'], refusal: 'NOT_RELEASE_LEAD', payload: none },
  markReady: { key: K.markReady, stage: 'BUILD_TEST', allowed: ['lead'], refusal: 'NOT_RELEASE_LEAD', payload: none },
  startImplementation: { key: K.startImplementation, stage: 'READY', allowed: ['implementer'], refusal: 'NOT_TEAM_IMPLEMENTER', payload: none },
  markDeployed: { key: K.markDeployed, stage: 'IMPLEMENTING', allowed: ['implementer'], refusal: 'NOT_TEAM_IMPLEMENTER', payload: none },
  invokeFallback: { key: K.invokeFallback, stage: 'IMPLEMENTING', allowed: ['lead'], refusal: 'NOT_RELEASE_LEAD', payload: reason },
  completeFallback: { key: K.completeFallback, stage: 'ROLLING_BACK', allowed: ['implementer'], refusal: 'NOT_TEAM_IMPLEMENTER', payload: none },
  verifyAndClose: { key: K.verifyAndClose, stage: 'VERIFYING', allowed: ['operations'], refusal: 'NOT_OPERATIONS_LEAD', payload: none },
  classify: { key: K.classify, stage: 'SUBMITTED', allowed: ['manager'], refusal: 'NOT_RELEASE_MANAGER', payload: async () => ({ classification: 'MINOR' }) },
  assignLead: { key: K.assignLead, stage: 'SUBMITTED', allowed: ['manager'], refusal: 'NOT_RELEASE_MANAGER', payload: async () => ({ leadAccountId: P.lead }) },
  setWindow: {
    key: K.setWindow,
    stage: 'SUBMITTED',
    allowed: ['manager'],
    refusal: 'NOT_RELEASE_MANAGER',
    payload: async () => ({ windowStart: Date.now() - HOUR, windowEnd: Date.now() + 3 * DAY }),
  },
  assessRisk: { key: K.assessRisk, stage: 'SUBMITTED', allowed: ['manager'], refusal: 'NOT_RELEASE_MANAGER', payload: async () => ({ riskLevel: 'LOW', riskAnalysis: '' }) },
  changeTeam: {
    key: K.changeTeam,
    stage: 'PLANNING',
    allowed: ['manager'],
    refusal: 'NOT_RELEASE_MANAGER',
    payload: async () => ({ op: 'ADD', accountId: P.requester, teamRole: 'IMPLEMENTER' }),
  },
  evaluateParticipant: {
    key: K.evaluateParticipant,
    stage: 'CLOSED',
    allowed: ['manager'],
    refusal: 'NOT_RELEASE_MANAGER',
    versioned: false,
    payload: async () => ({ accountId: P.implementer, role: 'IMPLEMENTER', rating: 4, note: 'Calm under pressure' }),
  },
  recordEmergencyOverride: { key: K.recordEmergencyOverride, stage: 'READY', allowed: ['manager'], refusal: 'NOT_RELEASE_MANAGER', payload: reason },
  recordFreezeException: { key: K.recordFreezeException, stage: 'READY', allowed: ['manager'], refusal: 'NOT_RELEASE_MANAGER', payload: reason },
  editPlan: {
    key: K.editPlan,
    stage: 'PLANNING',
    allowed: ['lead'],
    refusal: 'NOT_RELEASE_LEAD',
    payload: async () => ({ scope: 'Billing 2.1', schedule: 'Week 13', plannedEffortHours: 12 }),
  },
  editFallbackPlan: {
    key: K.editFallbackPlan,
    stage: 'PLANNING',
    allowed: ['lead'],
    refusal: 'NOT_RELEASE_LEAD',
    payload: async () => ({
      triggerCriteria: 'Any failed health check',
      steps: [{ action: 'Restore the database snapshot', ownerAccountId: P.implementer, expectedMinutes: 30 }],
      restoreDslItemId: null,
      dataBackupRef: null,
    }),
  },
  recordOpinion: { key: K.recordOpinion, stage: 'PLANNING', allowed: ['lead'], refusal: 'NOT_RELEASE_LEAD', payload: async () => ({ department: 'Sales', opinion: 'Fine by us' }) },
  addImplementer: { key: K.addImplementer, stage: 'PLANNING', allowed: ['lead'], refusal: 'NOT_RELEASE_LEAD', payload: async () => ({ accountId: P.requester }) },
  recordRehearsal: {
    key: K.recordRehearsal,
    stage: 'BUILD_TEST',
    allowed: ['lead', 'implementer'],
    refusal: 'NOT_RELEASE_LEAD',
    payload: async () => ({ at: Date.now(), environment: 'pre-production', result: 'PASSED' }),
  },
  recordIntegrationTest: { key: K.recordIntegrationTest, stage: 'BUILD_TEST', allowed: ['implementer', 'tester'], refusal: 'NOT_TEAM_IMPLEMENTER', payload: async () => ({ passed: true }) },
  recordUat: { key: K.recordUat, stage: 'BUILD_TEST', allowed: ['business'], refusal: 'NOT_BUSINESS_LEAD', payload: async () => ({ passed: true }) },
  recordCutover: { key: K.recordCutover, stage: 'IMPLEMENTING', allowed: ['business'], refusal: 'NOT_BUSINESS_LEAD', payload: async () => ({ confirmed: true }) },
  reportProgress: { key: K.reportProgress, stage: 'IMPLEMENTING', allowed: ['implementer'], refusal: 'NOT_TEAM_IMPLEMENTER', payload: async () => ({ note: 'Half the nodes done', effortHours: 3 }) },
  recordDeploymentResult: {
    key: K.recordDeploymentResult,
    stage: 'IMPLEMENTING',
    allowed: ['implementer'],
    refusal: 'NOT_TEAM_IMPLEMENTER',
    payload: async () => ({ succeeded: true, finishedAt: Date.now() }),
  },
  recordFallbackExecution: { key: K.recordFallbackExecution, stage: 'ROLLING_BACK', allowed: ['implementer'], refusal: 'NOT_TEAM_IMPLEMENTER', payload: async () => ({ result: 'SUCCEEDED' }) },
  recordOperationalAcceptance: {
    key: K.recordOperationalAcceptance,
    stage: 'VERIFYING',
    allowed: ['operations'],
    refusal: 'NOT_OPERATIONS_LEAD',
    payload: async () => ({ accepted: true, resultConfirmed: true }),
  },
  manageTraining: {
    key: K.manageTraining,
    stage: 'PLANNING',
    allowed: ['trainer'],
    refusal: 'NOT_TEAM_TRAINING_LEAD',
    payload: async () => ({ op: 'CREATE', audience: 'END_USER', trainerAccountId: P.trainer, dueAt: Date.now() + 5 * DAY }),
  },
  recordTrainingDelivery: {
    key: K.recordTrainingDelivery,
    stage: 'BUILD_TEST',
    allowed: ['trainer'],
    refusal: 'NOT_TEAM_TRAINING_LEAD',
    payload: async (w, id) => ({ ...(await taskId(w, id)), deliveredAt: Date.now() }),
  },
  recordTrainingResult: {
    key: K.recordTrainingResult,
    stage: 'BUILD_TEST',
    allowed: ['trainer'],
    refusal: 'NOT_TEAM_TRAINING_LEAD',
    payload: async (w, id) => ({ ...(await taskId(w, id)), assessed: 12, passed: 11 }),
  },
};

type Reply = { ok: true; data: unknown } | { ok: false; error: { code: string; reasons?: string[] } };

describe('access matrix: every release action × every persona, through the resolver', () => {
  let w: World;
  const shared = new Map<Stage, string>();
  beforeAll(async () => {
    w = startWorld();
    for (const stage of ['SUBMITTED', 'PLANNING', 'BUILD_TEST', 'READY', 'IMPLEMENTING', 'VERIFYING', 'ROLLING_BACK', 'CLOSED'] as Stage[]) {
      shared.set(stage, await w.releaseAt(stage));
    }
  }, 120_000);
  afterAll(() => w.close());

  async function call(who: Persona, row: Row, id: string): Promise<Reply> {
    const body = await row.payload(w, id);
    const payload = { releaseId: id, ...(row.versioned === false ? {} : { expectedVersion: await w.version(id) }), ...body };
    return (await w.onRelease(who, id, row.key, payload)).value as Reply;
  }

  it('covers every release action of the domain', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...RELEASE_ACTIONS].sort());
  });

  describe.each(Object.entries(TABLE) as [ReleaseAction, Row][])('%s', (action, row) => {
    it.each(PERSONAS.filter((p) => !row.allowed.includes(p)))(`refuses %s, changing nothing`, async (who) => {
      const id = shared.get(row.stage) as string;
      const before = w.snapshot();
      const res = await call(who, row, id);
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res.error.code).toBe(who === 'outsider' ? 'CANNOT_BROWSE' : row.refusal);
      expect(w.snapshot()).toEqual(before);
    });

    it.each(row.allowed)(`allows %s`, async (who) => {
      const id = await w.releaseAt(row.stage);
      const events = w.auditCount(id);
      const res = await call(who, row, id);
      if (!res.ok) throw new Error(`${action} by ${who}: ${JSON.stringify(res.error)}`);
      expect(w.auditCount(id)).toBe(events + 1);
    });
  });
});

describe('access matrix: project actions and reads', () => {
  let w: World;
  let releaseId: string;
  beforeAll(async () => {
    w = startWorld();
    releaseId = await w.releaseAt('SUBMITTED');
  }, 60_000);
  afterAll(() => w.close());

  const setupVersion = async () => (await w.platform.run(async () => (await getRow(setupRef(w.project.id)))?.version ?? 0)).value;
  const roles = async () => (await w.platform.run(async () => (await getRow(setupRef(w.project.id)))?.doc.roleIds ?? {})).value;

  const PROJECT: Record<string, { key: ResolverKey; allowed: Persona[]; refusal: string; payload: () => Promise<Record<string, unknown>> }> = {
    savePolicy: { key: K.savePolicy, allowed: ['owner'], refusal: 'NOT_PROCESS_OWNER', payload: async () => ({ expectedVersion: await setupVersion(), policy: { reviewSlaDays: 4 } }) },
    saveRoleMapping: { key: K.saveRoleMapping, allowed: ['owner'], refusal: 'NOT_PROCESS_OWNER', payload: async () => ({ expectedVersion: await setupVersion(), roles: await roles() }) },
    manageImprovementActions: {
      key: K.manageImprovementActions,
      allowed: ['owner'],
      refusal: 'NOT_PROCESS_OWNER',
      payload: async () => ({ op: 'CREATE', title: 'Shorter review SLA', ownerAccountId: P.manager, dueAt: Date.now() + 10 * DAY }),
    },
    proposeImprovementAction: { key: K.proposeImprovementAction, allowed: ['owner', 'manager'], refusal: 'NOT_PROCESS_OWNER', payload: async () => ({ title: 'Automate the rehearsal' }) },
    listReleases: { key: K.listReleases, allowed: PERSONAS.filter((p) => p !== 'outsider'), refusal: 'CANNOT_BROWSE', payload: async () => ({ status: 'SUBMITTED' }) },
    listImprovementActions: { key: K.listImprovementActions, allowed: PERSONAS.filter((p) => p !== 'outsider'), refusal: 'CANNOT_BROWSE', payload: async () => ({}) },
    listTraining: { key: K.listTraining, allowed: PERSONAS.filter((p) => p !== 'outsider'), refusal: 'CANNOT_BROWSE', payload: async () => ({}) },
  };

  describe.each(Object.entries(PROJECT))('%s', (_name, row) => {
    it.each(PERSONAS)('%s', async (who) => {
      const before = w.snapshot();
      const res = (await w.onProject(who, row.key, { projectId: w.project.id, ...(await row.payload()) })).value as Reply;
      if (row.allowed.includes(who)) {
        if (!res.ok) throw new Error(`${row.key} by ${who}: ${JSON.stringify(res.error)}`);
      } else {
        expect(res.ok).toBe(false);
        if (!res.ok) expect(res.error.code).toBe(who === 'outsider' ? 'CANNOT_BROWSE' : row.refusal);
        expect(w.snapshot()).toEqual(before);
      }
    });
  });

  it.each(PERSONAS)('the panel is readable by %s when they can browse the project', async (who) => {
    const res = (await w.onRelease(who, releaseId, K.getPanel)).value as Reply;
    if (who === 'outsider') expect(res).toMatchObject({ ok: false, error: { code: 'CANNOT_BROWSE' } });
    else expect(res.ok).toBe(true);
  });
});
