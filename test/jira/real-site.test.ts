import { createPlatform, type Platform } from '../../sandbox';
import { jiraEmulatorOf, jiraFactory, type JiraEmulator, type JiraEmulatorOptions } from '../../sandbox/jira';
import { assertProjectAdmin, getSetupProgress, setUpProject } from '../../src/services/project-setup';
import { loadGlobalSetup } from '../../src/storage/setup-progress';
import { getRow, releaseRef } from '../../src/storage/records';
import { ENTITY } from '../../src/storage/entities';
import { CONDITION_EXPRESSION, RELEASE_PROPERTY_KEY, ROLE_VALIDATOR_EXPRESSION, TRANSITION_IDS, WORKFLOW_NAME } from '../../src/workflow/rules';
import en from '../../locales/en-US.json';

/**
 * What a real Jira Cloud site does differently from a friendly emulator, made explicit:
 * - Forge's `jira:workflowValidator` page documents the function's event without a user: the rule must hold
 *   with and without the principal (the role part moves into a Jira-expression validator, which has `user`;
 *   the function checks the gate and that the issue property it read equals the records).
 * - `@forge/manifest` accepts any expression text: set-up asks Jira's `expression/analyse` first and stops
 *   with a clear error when Jira refuses it.
 * - Several environments of the app on one site each keep their own workflow and rule keys.
 */
const ADMIN = 'admin-ann';
const MANAGER = 'manager-max';
const REQUESTER = 'requester-rita';
const LEAD = 'lead-li';
const MALLORY = 'mallory-editor';
const DAY = 86_400_000;

interface Ctx {
  platform: Platform;
  jira: JiraEmulator;
  roleIds: Record<string, number>;
  issueTypeId: string;
  projectId: string;
}

async function setUp(opts: Omit<JiraEmulatorOptions, 'manifest'>): Promise<Ctx> {
  const platform = createPlatform({ jira: jiraFactory(opts) });
  const jira = jiraEmulatorOf(platform);
  for (const accountId of [ADMIN, MANAGER, REQUESTER, LEAD, MALLORY]) jira.addUser({ accountId, displayName: accountId });
  const project = jira.addProject({ key: 'RG', name: 'Release Governance Demo', adminAccountId: ADMIN });
  for (const who of [MANAGER, REQUESTER, LEAD, MALLORY]) jira.grantBrowse('RG', who);
  // Any editor of an issue may write its entity properties (Jira's entity-properties page says so).
  jira.state.grant(project.id, MALLORY, 'EDIT_ISSUES');
  const done = await platform.run(async () => setUpProject(await assertProjectAdmin('RG'), { now: () => Date.now(), actorAccountId: ADMIN }), { accountId: ADMIN });
  expect(done.value.complete).toBe(true);
  const global = (await platform.run(() => loadGlobalSetup())).value;
  const roleIds = global.roleIds as Record<string, number>;
  jira.addRoleMember('RG', roleIds.RELEASE_MANAGER!, MANAGER);
  jira.addRoleMember('RG', roleIds.RELEASE_LEAD!, LEAD);
  return { platform, jira, roleIds, issueTypeId: global.issueTypeId!, projectId: String(project.id) };
}

/** A release request raised from a change request, through the workbench's resolver, as the requester. */
async function raise(c: Ctx, summary: string): Promise<{ id: string; key: string; version: number }> {
  const change = c.jira.addIssue({ project: 'RG', summary: `CHG: ${summary}`, reporterAccountId: REQUESTER });
  const res = await c.platform.invokeResolver<{ ok: boolean; data?: { id: string; issueKey: string; version: number }; error?: unknown }>({
    moduleKey: 'release-workbench',
    functionKey: 'release/submit',
    payload: { projectId: c.projectId, linkedChangeKey: change.key, summary },
    accountId: REQUESTER,
    extension: { project: { id: c.projectId, key: 'RG' } },
  });
  expect(res.value.error).toBeUndefined();
  await settle(c);
  return { id: res.value.data!.id, key: res.value.data!.issueKey, version: res.value.data!.version };
}

async function settle(c: Ctx): Promise<void> {
  await c.platform.drainEvents();
  await c.jira.flushEvents();
  await c.platform.drainEvents();
}

async function asUser<T>(c: Ctx, accountId: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await c.jira.handle({ method, path, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), actor: { kind: 'user', accountId } });
  await settle(c);
  return { status: res.status, body: res.body as T };
}

const messageOf = (b: { errorMessages?: string[]; errors?: Record<string, string> } | undefined) => [...(b?.errorMessages ?? []), ...Object.values(b?.errors ?? {})].join(' ');

describe.each([
  ['with the principal (as the local Jira used to pass it)', true],
  ['without a principal (as Forge documents the validator event)', false],
])('Jira transitions %s', (_label, validatorPrincipal) => {
  let c: Ctx;
  let issue: { id: string; key: string };
  let version = 0;
  beforeAll(async () => {
    c = await setUp({ validatorPrincipal });
    const raised = await raise(c, 'Release payroll 2.4');
    issue = { id: raised.id, key: raised.key };
    version = raised.version;
  });
  afterAll(() => c.platform.close());

  const act = async (accountId: string, functionKey: string, extra: Record<string, unknown>) => {
    const res = await c.platform.invokeResolver<{ ok: boolean; data?: { release?: { version: number } }; error?: unknown }>({
      moduleKey: 'release-panel',
      functionKey,
      payload: { releaseId: issue.id, expectedVersion: version, ...extra },
      accountId,
      extension: { issue: { key: issue.key, id: issue.id }, project: { id: c.projectId, key: 'RG' } },
    });
    expect(res.value.error).toBeUndefined();
    version = res.value.data!.release!.version;
    await settle(c);
  };

  it('refuses the manager while the gate is unmet, with the gate’s reasons (not "cannot browse")', async () => {
    const tried = await asUser<{ errorMessages?: string[] }>(c, MANAGER, 'POST', `/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: TRANSITION_IDS.approve } });
    expect(tried.status).toBe(400);
    expect(messageOf(tried.body)).toContain(en.reason.GATE_NO_CLASSIFICATION);
    expect(messageOf(tried.body)).not.toContain(en.reason.CANNOT_BROWSE);
  });

  it('refuses the requester, who holds no role for it, even when forced through the REST API', async () => {
    const forced = await asUser<{ errorMessages?: string[] }>(c, REQUESTER, 'POST', `/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: TRANSITION_IDS.approve } });
    expect(forced.status).toBe(400);
    expect(c.jira.getIssue(issue.id)?.statusName).toBe('Release Submitted');
  });

  it('lets the manager approve in Jira once the gate holds; the record follows', async () => {
    await act(MANAGER, 'release/classify', { classification: 'MINOR' });
    await act(MANAGER, 'release/assessRisk', { riskLevel: 'LOW', riskAnalysis: 'Tables only.' });
    await act(MANAGER, 'release/setWindow', { windowStart: Date.now() + DAY, windowEnd: Date.now() + 2 * DAY });
    await act(MANAGER, 'release/assignLead', { leadAccountId: LEAD });
    const done = await asUser<{ errorMessages?: string[] }>(c, MANAGER, 'POST', `/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: TRANSITION_IDS.approve } });
    expect(messageOf(done.body)).toBe('');
    expect(done.status).toBe(204);
    expect(c.jira.getIssue(issue.id)?.statusName).toBe('Release Planning');
    const row = (await c.platform.run(() => getRow(releaseRef(issue.id)))).value;
    expect(row?.doc.release.status).toBe('PLANNING');
  });

  it('makes a forged issue property useless: an editor who names himself lead is still refused', async () => {
    const property = c.jira.getIssue(issue.id)?.properties[RELEASE_PROPERTY_KEY] as { holders: Record<string, string[]> };
    const forged = { ...property, holders: { ...property.holders, RELEASE_LEAD: [MALLORY] } };
    const put = await asUser(c, MALLORY, 'PUT', `/rest/api/3/issue/${issue.key}/properties/${RELEASE_PROPERTY_KEY}`, forged);
    expect(put.status).toBeLessThan(300);
    // The condition (and role validator) read the forged property and let him see the step…
    const sees = await asUser<{ transitions: { id: string }[] }>(c, MALLORY, 'GET', `/rest/api/3/issue/${issue.key}/transitions`);
    expect(sees.body.transitions.map((t) => t.id)).toContain(TRANSITION_IDS.startBuild);
    // …but the function validator refuses: without a principal because the facts differ from the records,
    // with one because he is not the release's lead.
    const tried = await asUser<{ errorMessages?: string[] }>(c, MALLORY, 'POST', `/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: TRANSITION_IDS.startBuild } });
    expect(tried.status).toBe(400);
    expect(messageOf(tried.body)).toContain(validatorPrincipal ? en.reason.NOT_RELEASE_LEAD : en.reason.JIRA_FACTS_OUT_OF_DATE);
    expect(c.jira.getIssue(issue.id)?.statusName).toBe('Release Planning');
  });

  it('keeps segregation of duties: a requester who is also a release manager may not approve her own release', async () => {
    c.jira.addRoleMember('RG', c.roleIds.RELEASE_MANAGER!, REQUESTER);
    const own = await raise(c, 'Release payroll 2.5');
    const ownIssue = { id: own.id, key: own.key };
    issue = ownIssue;
    version = own.version;
    await act(MANAGER, 'release/classify', { classification: 'MINOR' });
    await act(MANAGER, 'release/assessRisk', { riskLevel: 'LOW', riskAnalysis: 'Tables only.' });
    await act(MANAGER, 'release/setWindow', { windowStart: Date.now() + DAY, windowEnd: Date.now() + 2 * DAY });
    await act(MANAGER, 'release/assignLead', { leadAccountId: LEAD });
    // She sees it (the condition is about roles)…
    const sees = await asUser<{ transitions: { id: string }[] }>(c, REQUESTER, 'GET', `/rest/api/3/issue/${ownIssue.key}/transitions`);
    expect(sees.body.transitions.map((t) => t.id)).toContain(TRANSITION_IDS.approve);
    // …and is refused by the role validator's expression, which has `user` whether or not Jira passes a principal.
    const tried = await asUser<{ errorMessages?: string[] }>(c, REQUESTER, 'POST', `/rest/api/3/issue/${ownIssue.key}/transitions`, { transition: { id: TRANSITION_IDS.approve } });
    expect(tried.status).toBe(400);
    expect(messageOf(tried.body)).toContain('Only the people the release process names for this step may make it.');
    expect(c.jira.getIssue(ownIssue.id)?.statusName).toBe('Release Submitted');
  });

  it('kept every request within the OpenAPI document', () => {
    expect(c.jira.validationErrors).toEqual([]);
  });
});

describe("set-up asks Jira's expression engine first", () => {
  it("accepts the app's expressions on the local Jira (syntax check)", async () => {
    const platform = createPlatform({ jira: jiraFactory() });
    try {
      const res = await jiraEmulatorOf(platform).handle({
        method: 'POST',
        path: '/rest/api/3/expression/analyse?check=syntax',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ expressions: [CONDITION_EXPRESSION, ROLE_VALIDATOR_EXPRESSION, 'issue.summary ==='] }),
        actor: { kind: 'app' },
      });
      const results = (res.body as { results: { valid: boolean; errors?: { line: number }[] }[] }).results;
      expect(results.map((r) => r.valid)).toEqual([true, true, false]);
      expect(results[2]?.errors?.[0]?.line).toBe(1);
    } finally {
      platform.close();
    }
  });

  it('stops with a clear message, before creating the workflow, when Jira refuses the condition expression', async () => {
    const platform = createPlatform({ jira: jiraFactory({ rejectExpression: (e) => (e.includes('??') ? { message: "Unsupported operator '??'", line: 1, column: 150 } : undefined) }) });
    try {
      const jira = jiraEmulatorOf(platform);
      jira.addUser({ accountId: ADMIN, displayName: 'Ann Admin' });
      const project = jira.addProject({ key: 'RG', name: 'Release Governance Demo', adminAccountId: ADMIN });
      const res = await platform.invokeResolver<{ ok: boolean; error?: { code: string; messageKey: string } }>({
        moduleKey: 'release-admin',
        functionKey: 'admin/setupProject',
        payload: { projectId: String(project.id) },
        accountId: ADMIN,
        extension: { type: 'jira:adminPage' },
      });
      expect(res.value).toMatchObject({ ok: false, error: { code: 'JIRA_REJECTED_EXPRESSION', messageKey: 'server.error.JIRA_REJECTED_EXPRESSION' } });
      const progress = (await platform.run(() => getSetupProgress(String(project.id), 'RG'))).value;
      const workflowStep = progress.steps.find((s) => s.step === 'workflow');
      expect(workflowStep).toMatchObject({ done: false, error: expect.stringContaining("Unsupported operator '??' (line 1, column 150)") as unknown });
      expect(progress.complete).toBe(false);
      expect(jira.state.workflows().filter((w) => w.name.startsWith(WORKFLOW_NAME))).toEqual([]);
    } finally {
      platform.close();
    }
  });
});

describe('two environments of the app on one site', () => {
  it('each finds and maintains only its own workflow, whose rules name its own environment', async () => {
    const dev = createPlatform({ jira: jiraFactory(), environment: { id: 'aaaaaaaa-dev-0000', type: 'DEVELOPMENT' } });
    // The production installation talks to the same site (same Jira), with its own storage.
    const prod = createPlatform({ jira: () => dev.jira, environment: { id: 'bbbbbbbb-prod-0000', type: 'PRODUCTION' } });
    try {
      const jira = jiraEmulatorOf(dev);
      jira.addUser({ accountId: ADMIN, displayName: 'Ann Admin' });
      jira.addProject({ key: 'DEV', name: 'Trying the app', adminAccountId: ADMIN });
      jira.addProject({ key: 'PAY', name: 'Payroll', adminAccountId: ADMIN });
      const setUpOn = (p: Platform, key: string) => p.run(async () => setUpProject(await assertProjectAdmin(key), { now: () => Date.now(), actorAccountId: ADMIN }), { accountId: ADMIN });
      expect((await setUpOn(dev, 'DEV')).value.complete).toBe(true);
      expect((await setUpOn(prod, 'PAY')).value.complete).toBe(true);
      const ours = () => jira.state.workflows().filter((w) => w.name.startsWith(WORKFLOW_NAME));
      const workflows = ours();
      expect(workflows.map((w) => w.name).sort()).toEqual([WORKFLOW_NAME, `${WORKFLOW_NAME} (development aaaaaaaa)`].sort());
      const rulesOf = (name: string) => JSON.stringify(workflows.find((w) => w.name === name)?.transitions ?? []);
      expect(rulesOf(WORKFLOW_NAME)).toContain('/bbbbbbbb-prod-0000/static/release-role-condition');
      expect(rulesOf(WORKFLOW_NAME)).not.toContain('aaaaaaaa-dev');
      expect(rulesOf(`${WORKFLOW_NAME} (development aaaaaaaa)`)).toContain('/aaaaaaaa-dev-0000/static/release-gate-validator');
      expect(rulesOf(`${WORKFLOW_NAME} (development aaaaaaaa)`)).not.toContain('bbbbbbbb-prod');
      // Running set-up again in either environment changes neither workflow.
      const before = JSON.stringify(ours());
      expect((await setUpOn(dev, 'DEV')).value.complete).toBe(true);
      expect((await setUpOn(prod, 'PAY')).value.complete).toBe(true);
      expect(JSON.stringify(ours())).toBe(before);
      // Each project's Release Request type follows its own environment's workflow.
      const devGlobal = (await dev.run(() => loadGlobalSetup())).value;
      const prodGlobal = (await prod.run(() => loadGlobalSetup())).value;
      expect(devGlobal.workflowName).toBe(`${WORKFLOW_NAME} (development aaaaaaaa)`);
      expect(prodGlobal.workflowName).toBe(WORKFLOW_NAME);
      expect(devGlobal.workflowId).not.toBe(prodGlobal.workflowId);
    } finally {
      prod.close();
      dev.close();
    }
  });
});

describe('a Release Request deleted in Jira (avi:jira:deleted:issue)', () => {
  const rowsOf = (c: Ctx, entity: string, releaseId: string): number =>
    (c.platform.db.prepare('SELECT value FROM kvs_items WHERE ns = ?').all(`entity:${entity}`) as { value: string }[]).filter((r) => r.value.includes(`"${releaseId}"`)).length;
  const ours = [ENTITY.release, ENTITY.team, ENTITY.membership, ENTITY.fallback, ENTITY.training] as const;
  const count = (c: Ctx, id: string) => Object.fromEntries(ours.map((e) => [e, rowsOf(c, e, id)]));

  it('takes the release and what hangs off it along; the audit keeps its history and says so; twice changes nothing', async () => {
    const c = await setUp({});
    try {
      const r = await raise(c, 'Release payroll 3.0');
      const kept = await raise(c, 'Release payroll 3.1');
      let version = r.version;
      const act = async (accountId: string, functionKey: string, extra: Record<string, unknown>) => {
        const res = await c.platform.invokeResolver<{ ok: boolean; data?: { release?: { version: number } }; error?: unknown }>({
          moduleKey: 'release-panel',
          functionKey,
          payload: { releaseId: r.id, expectedVersion: version, ...extra },
          accountId,
          extension: { issue: { key: r.key, id: r.id }, project: { id: c.projectId, key: 'RG' } },
        });
        expect(res.value.error).toBeUndefined();
        version = res.value.data!.release!.version;
        await settle(c);
      };
      await act(MANAGER, 'release/classify', { classification: 'MINOR' });
      await act(MANAGER, 'release/assessRisk', { riskLevel: 'LOW', riskAnalysis: 'Tables only.' });
      await act(MANAGER, 'release/setWindow', { windowStart: Date.now() + DAY, windowEnd: Date.now() + 2 * DAY });
      await act(MANAGER, 'release/assignLead', { leadAccountId: LEAD });
      await act(MANAGER, 'release/approve', {});
      expect(rowsOf(c, ENTITY.release, r.id)).toBe(1);
      expect(rowsOf(c, ENTITY.team, r.id)).toBe(1);
      const auditsOf = () =>
        (c.platform.db.prepare('SELECT value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.audit}`) as { value: string }[]).map(
          (x) => (JSON.parse(x.value) as { doc: { action: string; subjectId: string; actorAccountId: string; before: Record<string, unknown> } }).doc,
        );
      const history = auditsOf().filter((a) => a.subjectId === r.id).length;

      const deleted = await asUser(c, ADMIN, 'DELETE', `/rest/api/3/issue/${r.key}`);
      expect(deleted.status).toBe(204);
      expect(count(c, r.id)).toEqual(Object.fromEntries(ours.map((e) => [e, 0])));
      const trail = auditsOf().filter((a) => a.subjectId === r.id);
      expect(trail).toHaveLength(history + 1);
      expect(trail.filter((a) => a.action === 'releaseIssueDeleted')).toEqual([
        expect.objectContaining({ actorAccountId: ADMIN, before: { status: 'PLANNING', issueKey: r.key } }),
      ]);
      expect(rowsOf(c, ENTITY.release, kept.id)).toBe(1);

      // Delivered again (Forge may): nothing more. A deleted change request (not a Release Request): filtered out.
      const again = await c.platform.deliverEvent('avi:jira:deleted:issue', { issue: { id: r.id, key: r.key, fields: { issuetype: { name: 'Release Request' } } }, atlassianId: ADMIN });
      expect(again.map((i) => i.value)).toEqual([{ outcome: 'ignored' }]);
      const change = c.jira.addIssue({ project: 'RG', summary: 'CHG: not a release', reporterAccountId: REQUESTER });
      const before = auditsOf().length;
      expect((await asUser(c, ADMIN, 'DELETE', `/rest/api/3/issue/${change.key}`)).status).toBe(204);
      expect(auditsOf().length).toBe(before);
      expect(c.jira.validationErrors).toEqual([]);
    } finally {
      c.platform.close();
    }
  });
});
