import { createPlatform, type Platform } from '../../sandbox';
import { jiraEmulatorOf, jiraFactory, type JiraEmulator } from '../../sandbox/jira';
import { assertProjectAdmin, setUpProject } from '../../src/services/project-setup';
import { loadGlobalSetup } from '../../src/storage/setup-progress';
import { getRow, releaseRef, auditOfSubject } from '../../src/storage/records';
import { TRANSITION_IDS, RELEASE_PROPERTY_KEY } from '../../src/workflow/rules';
import en from '../../locales/en-US.json';
import zh from '../../locales/zh-CN.json';

/**
 * The app's workflow rules in Jira's own issue view: the condition hides a transition from the wrong role;
 * forced through the REST API it is refused; the right role meets the validator, which refuses with the
 * release gate's reasons in both languages; a Release Request created in Jira gets its record once, however
 * often the event arrives.
 */

const ADMIN = 'admin-ann';
const MANAGER = 'manager-max';
const REQUESTER = 'requester-rita';

interface Ctx {
  platform: Platform;
  jira: JiraEmulator;
  roleIds: Record<string, number>;
  issueTypeId: string;
}

async function setUp(): Promise<Ctx> {
  const platform = createPlatform({ jira: jiraFactory({ duplicateEvents: true, eventDelayMs: 10 }) });
  const jira = jiraEmulatorOf(platform);
  for (const accountId of [ADMIN, MANAGER, REQUESTER]) jira.addUser({ accountId, displayName: accountId });
  jira.addProject({ key: 'RG', name: 'Release Governance Demo', adminAccountId: ADMIN });
  jira.grantBrowse('RG', MANAGER);
  jira.grantBrowse('RG', REQUESTER);
  await platform.run(async () => setUpProject(await assertProjectAdmin('RG'), { now: () => Date.now(), actorAccountId: ADMIN }), { accountId: ADMIN });
  const global = (await platform.run(() => loadGlobalSetup())).value;
  const roleIds = global.roleIds as Record<string, number>;
  jira.addRoleMember('RG', roleIds.RELEASE_MANAGER!, MANAGER);
  return { platform, jira, roleIds, issueTypeId: global.issueTypeId! };
}

async function asUser<T>(c: Ctx, accountId: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await c.jira.handle({ method, path, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), actor: { kind: 'user', accountId } });
  await c.platform.drainEvents();
  return { status: res.status, body: res.body as T };
}

describe('Release Request workflow in Jira', () => {
  let c: Ctx;
  let issue: { id: string; key: string };
  beforeAll(async () => {
    c = await setUp();
    const created = c.jira.addIssue({ project: 'RG', issueType: c.issueTypeId, summary: 'Release payroll 2.4', reporterAccountId: REQUESTER });
    issue = { id: String(created.id), key: created.key };
    await c.platform.drainEvents();
    await c.jira.flushEvents();
    await c.platform.drainEvents();
  });
  afterAll(() => c.platform.close());

  it('gives a Release Request created in Jira exactly one record, though the event came twice', async () => {
    const row = (await c.platform.run(() => getRow(releaseRef(issue.id)))).value;
    expect(row?.doc.release.status).toBe('SUBMITTED');
    expect(row?.doc.release.requesterAccountId).toBe(REQUESTER);
    expect(row?.version).toBe(1);
    const history = (await c.platform.run(() => auditOfSubject(issue.id))).value;
    expect(history.items.filter((e) => e.action === 'submitRelease')).toHaveLength(1);
    expect(c.jira.getIssue(issue.id)?.properties[RELEASE_PROPERTY_KEY]).toMatchObject({ status: 'SUBMITTED' });
  });

  it('hides the approve transition from a requester without the manager role, and refuses it forced', async () => {
    const listed = await asUser<{ transitions: { id: string }[] }>(c, REQUESTER, 'GET', `/rest/api/3/issue/${issue.key}/transitions`);
    expect(listed.status).toBe(200);
    expect(listed.body.transitions.map((t) => t.id)).not.toContain(TRANSITION_IDS.approve);
    const forced = await asUser<{ errorMessages?: string[] }>(c, REQUESTER, 'POST', `/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: TRANSITION_IDS.approve } });
    expect(forced.status).toBe(400);
    expect(c.jira.getIssue(issue.id)?.statusName).toBe('Release Submitted');
  });

  it('shows approve to the manager but the validator refuses it until the gate holds, naming each reason in both languages', async () => {
    const listed = await asUser<{ transitions: { id: string }[] }>(c, MANAGER, 'GET', `/rest/api/3/issue/${issue.key}/transitions`);
    expect(listed.body.transitions.map((t) => t.id)).toContain(TRANSITION_IDS.approve);
    const tried = await asUser<{ errorMessages?: string[]; errors?: Record<string, string> }>(c, MANAGER, 'POST', `/rest/api/3/issue/${issue.key}/transitions`, {
      transition: { id: TRANSITION_IDS.approve },
    });
    expect(tried.status).toBe(400);
    const message = [...(tried.body.errorMessages ?? []), ...Object.values(tried.body.errors ?? {})].join(' ');
    expect(message).toContain(en.reason.GATE_NO_CLASSIFICATION);
    expect(message).toContain(zh.reason.GATE_NO_CLASSIFICATION);
    expect(message).toContain(en.reason.GATE_NO_LEAD);
    const row = (await c.platform.run(() => getRow(releaseRef(issue.id)))).value;
    expect(row?.doc.release.status).toBe('SUBMITTED');
    expect(row?.version).toBe(1);
  });

  it("does not offer reject or cancel in Jira's menu, where no reason can be given (the panel asks for it)", async () => {
    const menu = await asUser<{ transitions: { id: string }[] }>(c, MANAGER, 'GET', `/rest/api/3/issue/${issue.key}/transitions`);
    const offered = menu.body.transitions.map((t) => t.id);
    expect(offered).not.toContain(TRANSITION_IDS.reject);
    expect(offered).not.toContain(TRANSITION_IDS.cancel);
    const tried = await asUser<{ errorMessages?: string[] }>(c, MANAGER, 'POST', `/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: TRANSITION_IDS.reject } });
    expect(tried.status).toBe(400);
    expect(JSON.stringify(tried.body)).toContain('is not valid for this issue');
    const row = (await c.platform.run(() => getRow(releaseRef(issue.id)))).value;
    expect(row?.doc.release.status).toBe('SUBMITTED');
  });

  it('keeps every request and response within the OpenAPI document', () => {
    expect(c.jira.validationErrors).toEqual([]);
  });
});

describe('a release moved through the app moves its Jira issue too', () => {
  const LEAD = 'lead-li';
  let c: Ctx;
  beforeAll(async () => {
    c = await setUp();
    c.jira.addUser({ accountId: LEAD, displayName: 'Li Lead' });
    c.jira.grantBrowse('RG', LEAD);
    c.jira.addRoleMember('RG', c.roleIds.RELEASE_LEAD!, LEAD);
    for (const [accountId, role] of [
      ['scl-sam', 'SOFTWARE_CONTROL_LEAD'],
      ['trainer-tao', 'TRAINING_LEAD'],
      ['tester-tess', null],
      ['impl-ivan', null],
    ] as const) {
      c.jira.addUser({ accountId, displayName: accountId });
      c.jira.grantBrowse('RG', accountId);
      if (role) c.jira.addRoleMember('RG', c.roleIds[role]!, accountId);
    }
  });
  let issue: { key: string; id: string };
  let version = 0;
  afterAll(() => c.platform.close());

  type Env = { ok: boolean; data?: { id?: string; issueKey?: string; version?: number; release?: { version: number; status: string }; jira?: { status: string } }; error?: { code: string; message: string } };
  const call = async (accountId: string, functionKey: string, payload: Record<string, unknown>, issue?: { key: string; id: string }) => {
    const res = await c.platform.invokeResolver<Env>({
      moduleKey: issue ? 'release-panel' : 'release-workbench',
      functionKey,
      payload,
      accountId,
      extension: issue ? { issue: { key: issue.key, id: issue.id }, project: { id: '10000', key: 'RG' } } : { project: { id: '10000', key: 'RG' } },
    });
    await c.platform.drainEvents();
    await c.jira.flushEvents();
    await c.platform.drainEvents();
    return res.value;
  };

  it('approve from the panel: record, Jira status and issue property agree; the echoed events change nothing', async () => {
    const change = c.jira.addIssue({ project: 'RG', summary: 'CHG: payroll tax tables 2027', reporterAccountId: REQUESTER });
    const submitted = await call(REQUESTER, 'release/submit', { projectId: '10000', linkedChangeKey: change.key, summary: 'Release payroll 2.5' });
    expect(submitted.ok).toBe(true);
    const issueKey = submitted.data!.issueKey!;
    const id = submitted.data!.id!;
    issue = { key: issueKey, id };
    version = submitted.data!.version!;
    const step = async (accountId: string, key: string, extra: Record<string, unknown>) => {
      const r = await call(accountId, key, { releaseId: id, expectedVersion: version, ...extra }, { key: issueKey, id });
      expect(r.error).toBeUndefined();
      version = r.data!.release!.version;
      return r;
    };
    await step(MANAGER, 'release/classify', { classification: 'MINOR' });
    await step(MANAGER, 'release/assessRisk', { riskLevel: 'LOW', riskAnalysis: 'Tables only; no code change.' });
    await step(MANAGER, 'release/setWindow', { windowStart: Date.now() + 86_400_000, windowEnd: Date.now() + 2 * 86_400_000 });
    await step(MANAGER, 'release/assignLead', { leadAccountId: LEAD });
    const approved = await step(MANAGER, 'release/approve', {});
    expect(approved.data?.jira?.status).toBe('synced');

    expect(c.jira.getIssue(issueKey)?.statusName).toBe('Release Planning');
    expect(c.jira.getIssue(issueKey)?.properties[RELEASE_PROPERTY_KEY]).toMatchObject({ status: 'PLANNING', lead: LEAD, classification: 'MINOR' });
    const row = (await c.platform.run(() => getRow(releaseRef(id)))).value;
    expect(row?.doc.release.status).toBe('PLANNING');
    expect(row?.version).toBe(version);
    const history = (await c.platform.run(() => auditOfSubject(id, { limit: 50 }))).value;
    expect(history.items.filter((e) => e.action === 'approve')).toHaveLength(1);
    // The lead may now start the build from Jira (when its gate holds); the manager may not.
    const managerSees = await asUser<{ transitions: { id: string }[] }>(c, MANAGER, 'GET', `/rest/api/3/issue/${issueKey}/transitions`);
    expect(managerSees.body.transitions.map((t) => t.id)).not.toContain(TRANSITION_IDS.startBuild);
    const leadSees = await asUser<{ transitions: { id: string }[] }>(c, LEAD, 'GET', `/rest/api/3/issue/${issueKey}/transitions`);
    expect(leadSees.body.transitions.map((t) => t.id)).toContain(TRANSITION_IDS.startBuild);
    expect(c.jira.validationErrors).toEqual([]);
  });

  it('a status change made in Jira reaches the record exactly once, though its event comes late and twice', async () => {
    const act = async (accountId: string, key: string, extra: Record<string, unknown>) => {
      const r = await call(accountId, key, { releaseId: issue.id, expectedVersion: version, ...extra }, issue);
      expect(r.error).toBeUndefined();
      version = r.data!.release!.version;
    };
    await act(MANAGER, 'team/change', { op: 'ADD', accountId: 'scl-sam', teamRole: 'SOFTWARE_CONTROL_LEAD' });
    await act(MANAGER, 'team/change', { op: 'ADD', accountId: 'trainer-tao', teamRole: 'TRAINING_LEAD' });
    await act(MANAGER, 'team/change', { op: 'ADD', accountId: 'tester-tess', teamRole: 'TEST_EXPERT' });
    await act('lead-li', 'team/addImplementer', { accountId: 'impl-ivan' });
    await act('lead-li', 'plan/edit', { scope: 'Payroll tax tables', schedule: 'Week 49', plannedEffortHours: 16 });
    await act('lead-li', 'fallback/edit', {
      triggerCriteria: 'Payslip totals differ from the dry run',
      steps: [{ action: 'Restore tables 2026', ownerAccountId: 'impl-ivan', expectedMinutes: 15 }],
      restoreDslItemId: null,
      dataBackupRef: 'backup-payroll-49',
    });
    // The implementer cannot start the build from Jira: hidden and refused.
    const implSees = await asUser<{ transitions: { id: string }[] }>(c, 'impl-ivan', 'GET', `/rest/api/3/issue/${issue.key}/transitions`);
    expect(implSees.body.transitions.map((t) => t.id)).not.toContain(TRANSITION_IDS.startBuild);
    // The lead fires it in Jira's own issue view.
    const fired = await asUser<unknown>(c, 'lead-li', 'POST', `/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: TRANSITION_IDS.startBuild } });
    expect(fired.status).toBe(204);
    await c.jira.flushEvents();
    await c.platform.drainEvents();
    expect(c.jira.getIssue(issue.key)?.statusName).toBe('Release Build & Test');
    const row = (await c.platform.run(() => getRow(releaseRef(issue.id)))).value;
    expect(row?.doc.release.status).toBe('BUILD_TEST');
    expect(row?.version).toBe(version + 1);
    const history = (await c.platform.run(() => auditOfSubject(issue.id, { limit: 50 }))).value;
    const moves = history.items.filter((e) => e.action === 'startBuild');
    expect(moves).toHaveLength(1);
    expect(moves[0]?.actorAccountId).toBe('lead-li');
    expect(c.jira.getIssue(issue.key)?.properties[RELEASE_PROPERTY_KEY]).toMatchObject({ status: 'BUILD_TEST' });
    // A late replay of the same event changes nothing.
    await c.platform.deliverEvent('avi:jira:updated:issue', { issue: { id: issue.id, key: issue.key }, atlassianId: 'lead-li', changelog: { items: [{ field: 'status', fieldId: 'status' }] } });
    expect((await c.platform.run(() => getRow(releaseRef(issue.id)))).value?.version).toBe(version + 1);
    expect(c.jira.validationErrors).toEqual([]);
  });
});
