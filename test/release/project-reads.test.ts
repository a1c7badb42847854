import { RESOLVER_KEYS as K, type ProjectContextView, type ProjectListItem, type SetupStatusView } from '../../src/contracts';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { DAY, P, startWorld, type Reply, type World } from '../support/release-world';

const JIRA_ADMIN = 'acc-jira-admin';

/** The project-level reads the workbench, the admin page and the gadget editor need, through the resolver. */
describe('project-level reads', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  /** A call from the global admin page (Jira gives it no project: the payload names one). */
  const onAdmin = <T>(accountId: string, key: string, payload: Record<string, unknown>) =>
    w.platform.invokeResolver<Reply<T>>({ moduleKey: 'release-admin', functionKey: key, payload, accountId, extension: { type: 'jira:adminPage' } });
  /** A call from the dashboard gadget's edit view. */
  const onGadget = <T>(accountId: string, key: string, payload: Record<string, unknown>) =>
    w.platform.invokeResolver<Reply<T>>({ moduleKey: 'kpi-gadget', functionKey: key, payload, accountId, extension: { type: 'jira:dashboardGadget', entryPoint: 'edit' } });

  function data<T>(r: Reply<T>): T {
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.data;
  }

  describe('project/context', () => {
    it("answers the actor's standing roles, the policy with its defaults and whether the project is set up", async () => {
      const manager = data((await w.onProject<ProjectContextView>('manager', K.getProjectContext)).value);
      expect(manager).toEqual({
        projectId: w.project.id,
        projectKey: 'RG',
        setUp: true,
        actor: { accountId: P.manager, standingRoles: ['RELEASE_MANAGER'] },
        policy: DEFAULT_POLICY,
      });
      const requester = data((await w.onProject<ProjectContextView>('requester', K.getProjectContext, { projectId: w.project.id })).value);
      expect(requester.actor.standingRoles).toEqual([]);
    });

    it('costs one Jira request (the browse check) and one storage read when warm', async () => {
      await w.onProject('lead', K.getProjectContext);
      const warm = await w.onProject('lead', K.getProjectContext);
      console.info(`project/context warm: ${warm.counters.jiraRequests} Jira requests, ${warm.counters.storageOps} storage ops`);
      expect(warm.value.ok).toBe(true);
      expect(warm.counters.jiraRequests).toBe(1);
      expect(warm.counters.storageOps).toBe(1);
    });

    it('reflects the policy the process owner saved', async () => {
      const status = data((await onAdmin<SetupStatusView>(P.owner, K.getSetupStatus, { projectId: w.project.id })).value);
      const saved = await onAdmin(P.owner, K.savePolicy, { projectId: w.project.id, expectedVersion: status.setup?.version, policy: { reviewSlaDays: 9 } });
      expect(saved.value.ok).toBe(true);
      const ctx = data((await w.onProject<ProjectContextView>('implementer', K.getProjectContext)).value);
      expect(ctx.policy.reviewSlaDays).toBe(9);
      expect(ctx.policy.gates).toEqual(DEFAULT_POLICY.gates);
    });

    it('refuses an outsider, another project than the page’s, and bad payloads', async () => {
      expect((await w.onProject('outsider', K.getProjectContext)).value).toMatchObject({ ok: false, error: { code: 'CANNOT_BROWSE' } });
      expect((await w.onProject('manager', K.getProjectContext, { projectId: w.other.id })).value).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', field: 'projectId' },
      });
      expect((await w.onProject('manager', K.getProjectContext, { projectId: 'RG' })).value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'projectId' } });
      expect((await w.onProject('manager', K.getProjectContext, { accountId: P.owner })).value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      // From a module without a project, the payload must name one.
      expect((await onAdmin(P.manager, K.getProjectContext, {})).value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'projectId' } });
    });
  });

  describe('admin/getSetupStatus', () => {
    it('gives a Jira project admin the progress, the set-up record with its version, the Jira roles and what they may do', async () => {
      const s = data((await onAdmin<SetupStatusView>(JIRA_ADMIN, K.getSetupStatus, { projectId: w.project.id })).value);
      expect(s.projectId).toBe(w.project.id);
      expect(s.steps.map((x) => x.step)).toEqual(['roles', 'issueType', 'issueTypeScheme', 'statuses', 'workflow', 'workflowScheme']);
      expect(s.setup?.version).toBeGreaterThanOrEqual(1);
      expect(s.setup?.roleIds.RELEASE_MANAGER).toMatch(/^\d+$/);
      expect(Object.keys(s.setup?.policy ?? {}).sort()).toEqual(Object.keys(DEFAULT_POLICY).sort());
      expect(s.jiraRoles).toEqual(expect.arrayContaining([{ id: s.setup?.roleIds.RELEASE_MANAGER, name: 'RG RELEASE_MANAGER' }]));
      expect(s.jiraRoles.length).toBeGreaterThanOrEqual(7);
      expect(s.actor).toEqual({ standingRoles: [], canAdminister: true });
    });

    it('lets the process owner (not a Jira admin) read it and save role mapping and policy with its version, but not run set-up', async () => {
      const s = data((await onAdmin<SetupStatusView>(P.owner, K.getSetupStatus, { projectId: w.project.id })).value);
      expect(s.actor).toEqual({ standingRoles: ['PROCESS_OWNER'], canAdminister: false });
      const version = s.setup?.version ?? -1;
      const mapped = await onAdmin(P.owner, K.saveRoleMapping, { projectId: w.project.id, expectedVersion: version, roles: { ...s.setup?.roleIds } });
      expect(mapped.value.ok).toBe(true);
      const after = data((await onAdmin<SetupStatusView>(P.owner, K.getSetupStatus, { projectId: w.project.id })).value);
      expect(after.setup?.version).toBe(version + 1);
      const stale = await onAdmin(P.owner, K.savePolicy, { projectId: w.project.id, expectedVersion: version, policy: { reviewSlaDays: 3 } });
      expect(stale.value).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

      const before = w.snapshot();
      const setup = await onAdmin(P.owner, K.setupProject, { projectId: w.project.id });
      expect(setup.value).toMatchObject({ ok: false, error: { code: 'NOT_PROJECT_ADMIN' } });
      expect(w.snapshot()).toEqual(before);
    });

    it('refuses anyone else: a browser of the project who is neither, and an outsider', async () => {
      const manager = await onAdmin(P.manager, K.getSetupStatus, { projectId: w.project.id });
      expect(manager.value).toMatchObject({ ok: false, error: { code: 'NOT_PROJECT_ADMIN', field: 'projectId' } });
      if (!manager.value.ok) expect(manager.value.error.message).toMatch(/process owner/);
      const outsider = await onAdmin(P.outsider, K.getSetupStatus, { projectId: w.project.id });
      expect(outsider.value.ok).toBe(false);
      expect(JSON.stringify(outsider.value)).not.toContain('RELEASE_MANAGER');
    });

    it('validates its payload', async () => {
      expect((await onAdmin(JIRA_ADMIN, K.getSetupStatus, { projectId: 'RG' })).value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'projectId' } });
      expect((await onAdmin(JIRA_ADMIN, K.getSetupStatus, { projectId: w.project.id, more: true })).value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    });
  });

  describe('list fields the UI needs', () => {
    it('improvement/list carries each row version, which completing expects', async () => {
      await w.onProject('owner', K.manageImprovementActions, { projectId: w.project.id, op: 'CREATE', title: 'Tighten the SLA', ownerAccountId: P.manager, dueAt: Date.now() + 3 * DAY });
      const list = data((await w.onProject<{ items: { id: string; version: number; title: string }[] }>('lead', K.listImprovementActions, { projectId: w.project.id })).value);
      const action = list.items.find((a) => a.title === 'Tighten the SLA');
      expect(action?.version).toBe(1);
      const done = await w.onProject('owner', K.manageImprovementActions, { projectId: w.project.id, op: 'COMPLETE', actionId: action?.id, expectedVersion: action?.version, completedAt: Date.now() });
      expect(done.value.ok).toBe(true);
      const again = data((await w.onProject<{ items: { id: string; version: number }[] }>('lead', K.listImprovementActions, { projectId: w.project.id })).value);
      expect(again.items.find((a) => a.id === action?.id)?.version).toBe(2);
    });

    it("training/list carries the release's issue key", async () => {
      const id = await w.releaseAt('PLANNING');
      const issueKey = (await w.stored(id)).release.issueKey;
      const list = data((await w.onProject<{ items: { releaseId: string; issueKey: string | null }[] }>('requester', K.listTraining, { projectId: w.project.id })).value);
      const task = list.items.find((x) => x.releaseId === id);
      expect(task?.issueKey).toBe(issueKey);
      expect(issueKey).toMatch(/^RG-\d+$/);
    });
  });

  describe('project/list', () => {
    it('lists the projects the user can browse that are set up; with includeNotSetUp, the others too', async () => {
      const listed = data((await onGadget<ProjectListItem[]>(P.manager, K.listProjects, {})).value);
      expect(listed).toEqual([{ id: w.project.id, key: 'RG', name: 'Release Governance', setUp: true }]);
      const all = data((await onAdmin<ProjectListItem[]>(P.manager, K.listProjects, { includeNotSetUp: true })).value);
      expect(all).toEqual([
        { id: w.other.id, key: 'OTH', name: 'Other', setUp: false },
        { id: w.project.id, key: 'RG', name: 'Release Governance', setUp: true },
      ]);
      const found = data((await onAdmin<ProjectListItem[]>(P.manager, K.listProjects, { query: 'oth', includeNotSetUp: true })).value);
      expect(found.map((x) => x.key)).toEqual(['OTH']);
    });

    it('shows an outsider nothing, and validates its payload', async () => {
      expect(data((await onGadget<ProjectListItem[]>(P.outsider, K.listProjects, {})).value)).toEqual([]);
      expect((await onGadget(P.manager, K.listProjects, { query: 'x'.repeat(101) })).value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'query' } });
      expect((await onGadget(P.manager, K.listProjects, { projectId: w.project.id })).value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    });
  });

  it('asked Jira only what its OpenAPI document allows', () => {
    expect(w.jira.validationErrors).toEqual([]);
  });
});
