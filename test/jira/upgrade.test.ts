import { createPlatform, type Platform } from '../../sandbox';
import { jiraEmulatorOf, jiraFactory, type JiraEmulator } from '../../sandbox/jira';
import type { WorkflowRow } from '../../sandbox/jira/state';
import { assertProjectAdmin, setUpProject } from '../../src/services/project-setup';
import { getSetupProgress } from '../../src/services/project-setup';
import { loadGlobalSetup } from '../../src/storage/setup-progress';
import { canonical } from '../../src/workflow/workflow-doc';
import { ROLE_VALIDATOR_MODULE_KEY, WORKFLOW_NAME } from '../../src/workflow/rules';
import { UPGRADE_RETRIES } from '../../src/services/setup-upgrade';
import { ENTITY } from '../../src/storage/entities';

/**
 * `avi:forge:upgraded:app` (forge-docs/events-reference/life-cycle): a site set up by an earlier version of the
 * app — its workflow without the role validator, with an older condition config — gets the current rules in
 * place (`POST /rest/api/3/workflows/update`), equal to a fresh set-up's; a second delivery writes nothing; a
 * failing Jira is retried and shown on the admin page, and ends where a clean run does; each environment on a
 * site updates only its own workflow.
 */

const ADMIN = 'admin-ann';

function site(environment?: { id: string; type: 'DEVELOPMENT' | 'PRODUCTION' }, jira?: Platform['jira']): Platform {
  return createPlatform({ jira: jira ? () => jira : jiraFactory(), ...(environment ? { environment } : {}) });
}

async function setUpOn(p: Platform, key: string): Promise<void> {
  const res = await p.run(async () => setUpProject(await assertProjectAdmin(key), { now: () => Date.now(), actorAccountId: ADMIN }), { accountId: ADMIN });
  expect(res.value.complete).toBe(true);
}

async function workflowOf(p: Platform): Promise<WorkflowRow> {
  const global = (await p.run(() => loadGlobalSetup())).value;
  const wf = jiraEmulatorOf(p).state.workflow(global.workflowId ?? '');
  if (!wf) throw new Error('no workflow');
  return wf;
}

/** The rules as data, without the ids Jira gives each rule (a fresh set-up's ids differ from an updated one's). */
const rulesOf = (wf: WorkflowRow): string =>
  canonical(
    wf.transitions.map((t) => ({
      ...t,
      conditions: t.conditions ? { ...t.conditions, conditions: (t.conditions.conditions ?? []).map(({ id: _id, ...r }) => r) } : null,
      validators: t.validators.map(({ id: _id, ...r }) => r),
      actions: t.actions.map(({ id: _id, ...r }) => r),
    })),
  );

/**
 * What an earlier version of set-up left: no role validator, a condition config without `catchUp` / `sod`, and
 * one rule a site admin added by hand (which the update must keep).
 */
function makeItOld(jira: JiraEmulator, wf: WorkflowRow): void {
  jira.state.putWorkflow({
    ...wf,
    transitions: wf.transitions.map((t, i) => ({
      ...t,
      ...(t.conditions
        ? {
            conditions: {
              ...t.conditions,
              conditions: (t.conditions.conditions ?? []).map((r) => {
                const { catchUp: _c, sod: _s, ...older } = JSON.parse(r.parameters?.config ?? '{}') as Record<string, unknown>;
                return { ...r, parameters: { ...r.parameters, config: JSON.stringify(older) } };
              }),
            },
          }
        : {}),
      validators: [
        ...t.validators.filter((v) => !(v.parameters?.key ?? '').endsWith(`/static/${ROLE_VALIDATOR_MODULE_KEY}`) && v.id !== 'admin-rule-1'),
        ...(i === 1 ? [{ id: 'admin-rule-1', ruleKey: 'system:check-permission-validator', parameters: { permissionKey: 'TRANSITION_ISSUES' } }] : []),
      ],
    })),
  });
}

const ASKS = /\/(expression\/analyse|workflows\/(create|update)\/validation|workflowscheme\/read)\b|\/workflows$/;
const writesTo = (jira: JiraEmulator, from: number) => jira.requestLog.slice(from).filter((r) => r.method !== 'GET' && r.status < 300 && !ASKS.test(r.path));

/** The audit events of one action, as stored. */
const auditsOf = (p: Platform, action: string): { action: string; actorAccountId: string; after: Record<string, unknown> }[] =>
  (p.db.prepare('SELECT value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.audit}`) as { value: string }[])
    .map((r) => JSON.parse(r.value) as { doc?: { action: string; actorAccountId: string; after: Record<string, unknown> } })
    .map((r) => r.doc)
    .filter((d): d is { action: string; actorAccountId: string; after: Record<string, unknown> } => d?.action === action);

async function adminStatus(p: Platform, projectId: string): Promise<{ workflowRulesUpToDate?: boolean | null; steps: { step: string; done: boolean; error?: string }[] }> {
  const res = await p.invokeResolver<{ ok: boolean; data: { workflowRulesUpToDate?: boolean | null; steps: { step: string; done: boolean; error?: string }[] } }>({
    moduleKey: 'release-admin',
    functionKey: 'admin/getSetupStatus',
    payload: { projectId },
    accountId: ADMIN,
    extension: { type: 'jira:adminPage' },
  });
  expect(res.value.ok).toBe(true);
  return res.value.data;
}

describe('avi:forge:upgraded:app brings set-up up to date', () => {
  it('gives an earlier version\'s workflow the current rules in place, keeps an admin\'s own rule, and a second delivery writes nothing', async () => {
    const p = site();
    try {
      const jira = jiraEmulatorOf(p);
      jira.addUser({ accountId: ADMIN, displayName: 'Ann Admin' });
      const rg = jira.addProject({ key: 'RG', name: 'Release Governance Demo', adminAccountId: ADMIN });
      jira.addProject({ key: 'PAY', name: 'Payroll', adminAccountId: ADMIN });
      // A project nobody has set up: the upgrade leaves it alone, its page says nothing about rules.
      const untouched = jira.addProject({ key: 'NEW', name: 'New', adminAccountId: ADMIN });
      await setUpOn(p, 'RG');
      await setUpOn(p, 'PAY');
      const fresh = await workflowOf(p);
      expect(await adminStatus(p, String(rg.id))).toMatchObject({ workflowRulesUpToDate: true });
      makeItOld(jira, fresh);
      expect(rulesOf(await workflowOf(p))).not.toBe(rulesOf(fresh));
      expect(await adminStatus(p, String(rg.id))).toMatchObject({ workflowRulesUpToDate: false });
      expect(await adminStatus(p, String(untouched.id))).toMatchObject({ workflowRulesUpToDate: null });

      const before = jira.requestLog.length;
      const [delivery] = await p.upgradeApp({ version: '2.0.0', upgraderAccountId: ADMIN });
      expect(delivery?.value).toEqual({ projects: 2 });
      const drained = await p.drainQueues();
      expect(drained.deliveries.filter((d) => d.queueName === 'setup-upgrade').map((d) => d.outcome)).toEqual(['succeeded', 'succeeded']);
      const after = await workflowOf(p);
      // The admin's own validator stays; everything set-up owns equals a fresh set-up's.
      const withoutAdminRule = { ...after, transitions: after.transitions.map((t) => ({ ...t, validators: t.validators.filter((v) => v.id !== 'admin-rule-1') })) };
      expect(after.transitions[1]?.validators.some((v) => v.id === 'admin-rule-1')).toBe(true);
      expect(rulesOf(withoutAdminRule)).toBe(rulesOf(fresh));
      expect(after.id).toBe(fresh.id);
      expect(after.versionNumber).toBe(fresh.versionNumber + 1);
      // One write: the workflow update (the second project found it up to date).
      expect(writesTo(jira, before).map((r) => r.path)).toEqual(['/rest/api/3/workflows/update']);
      expect(await adminStatus(p, String(rg.id))).toMatchObject({ workflowRulesUpToDate: true });
      // Audited once, by who upgraded, with the app version and Jira's workflow version.
      expect(auditsOf(p, 'setupWorkflowUpdated').map((a) => [a.actorAccountId, a.after])).toEqual([
        [ADMIN, { appVersion: '2.0.0', workflowVersion: after.versionNumber, transitionsUpdated: after.transitions.length - 1 }],
      ]);

      // Redelivered (or a later upgrade): nothing to write.
      const again = jira.requestLog.length;
      await p.upgradeApp({ version: '2.0.0', upgraderAccountId: ADMIN });
      await p.drainQueues();
      expect(writesTo(jira, again)).toEqual([]);
      expect((await workflowOf(p)).versionNumber).toBe(after.versionNumber);
      expect(auditsOf(p, 'setupWorkflowUpdated')).toHaveLength(1);
      expect(jira.validationErrors).toEqual([]);
    } finally {
      p.close();
    }
  });

  it("adds a status (with its transitions) that the earlier version's workflow lacked; the status keeps its name and marker", async () => {
    const p = site();
    try {
      const jira = jiraEmulatorOf(p);
      jira.addUser({ accountId: ADMIN, displayName: 'Ann Admin' });
      jira.addProject({ key: 'RG', name: 'Release Governance Demo', adminAccountId: ADMIN });
      await setUpOn(p, 'RG');
      const fresh = await workflowOf(p);
      const global = (await p.run(() => loadGlobalSetup())).value;
      const cancelled = global.statusIds.CANCELLED ?? '';
      const statusBefore = jira.state.status(cancelled);
      jira.state.putWorkflow({ ...fresh, statusIds: fresh.statusIds.filter((id) => id !== cancelled), transitions: fresh.transitions.filter((t) => t.toStatusId !== cancelled) });
      await p.upgradeApp();
      await p.drainQueues();
      const after = await workflowOf(p);
      expect(after.statusIds).toContain(cancelled);
      expect(rulesOf(after)).toBe(rulesOf(fresh));
      expect(jira.state.status(cancelled)).toEqual(statusBefore);
      expect(jira.validationErrors).toEqual([]);
    } finally {
      p.close();
    }
  });

  it('a Jira that fails the update is retried and shown on the admin page; the end state equals the clean run\'s', async () => {
    const p = site();
    try {
      const jira = jiraEmulatorOf(p);
      jira.addUser({ accountId: ADMIN, displayName: 'Ann Admin' });
      const rg = jira.addProject({ key: 'RG', name: 'Release Governance Demo', adminAccountId: ADMIN });
      await setUpOn(p, 'RG');
      const fresh = await workflowOf(p);
      makeItOld(jira, fresh);
      const old = await workflowOf(p);
      const clean = { ...fresh, transitions: fresh.transitions.map((t, i) => ({ ...t, validators: [...t.validators, ...(i === 1 ? old.transitions[1]?.validators.filter((v) => v.id === 'admin-rule-1') ?? [] : [])] })) };

      // The answer to the update is lost after the update landed.
      jira.injectFault({ operation: 'updateWorkflows', mode: 'lostAnswer', status: 502 });
      await p.upgradeApp();
      await p.drainQueues();
      // One update request, applied (200) and its answer lost (502); read again, found up to date, no second update.
      expect(jira.requestLog.filter((r) => r.path === '/rest/api/3/workflows/update').map((r) => [r.status, r.fault ?? false])).toEqual([
        [200, false],
        [502, true],
      ]);
      expect(rulesOf(await workflowOf(p))).toBe(rulesOf(clean));
      expect((await workflowOf(p)).versionNumber).toBe(fresh.versionNumber + 1);

      // Now an earlier version's workflow again, and a Jira that keeps failing the update.
      makeItOld(jira, await workflowOf(p));
      jira.injectFault({ operation: 'updateWorkflows', status: 500, times: Infinity });
      await p.upgradeApp();
      const failing = await p.drainQueues();
      const outcomes = failing.deliveries.filter((d) => d.queueName === 'setup-upgrade').map((d) => d.outcome);
      // Retried with a back-off, then left to the admin: the failed step is on the admin page, and it says the rules are out of date.
      expect(outcomes).toEqual([...Array<string>(UPGRADE_RETRIES).fill('retry-requested'), 'succeeded']);
      const status = await adminStatus(p, String(rg.id));
      expect(status.workflowRulesUpToDate).toBe(false);
      expect(status.steps.find((s) => s.step === 'workflow')).toMatchObject({ done: false, error: expect.stringContaining('500') as unknown });
      // Jira recovers; the admin's "re-run set-up" updates the workflow: the end state equals the clean run's.
      jira.clearFaults();
      const rerun = await p.invokeResolver<{ ok: boolean; data: { complete: boolean; workflow?: string } }>({
        moduleKey: 'release-admin',
        functionKey: 'admin/setupProject',
        payload: { projectId: String(rg.id) },
        accountId: ADMIN,
        extension: { type: 'jira:adminPage' },
      });
      expect(rerun.value).toMatchObject({ ok: true, data: { complete: true, workflow: 'updated' } });
      expect(rulesOf(await workflowOf(p))).toBe(rulesOf(clean));
      expect(await adminStatus(p, String(rg.id))).toMatchObject({ workflowRulesUpToDate: true });
      expect((await p.run(() => getSetupProgress(String(rg.id), 'RG'))).value.steps.every((s) => s.done && !s.error)).toBe(true);
    } finally {
      p.close();
    }
  });

  it('another writer updating the workflow between read and update: Jira answers 409, set-up reads again and keeps their change', async () => {
    const p = site();
    try {
      const jira = jiraEmulatorOf(p);
      jira.addUser({ accountId: ADMIN, displayName: 'Ann Admin' });
      jira.addProject({ key: 'RG', name: 'Release Governance Demo', adminAccountId: ADMIN });
      await setUpOn(p, 'RG');
      const fresh = await workflowOf(p);
      makeItOld(jira, fresh);
      // While set-up validates its update, a site admin saves the workflow with a rule of their own (a new version).
      jira.injectLatency({ pathPattern: '/rest/api/3/workflows/update/validation', latencyMs: 300, times: 1 });
      const meddle = new Promise<void>((resolve) =>
        setTimeout(() => {
          const wf = jira.state.workflow(fresh.id) as WorkflowRow;
          const t = wf.transitions[2] as WorkflowRow['transitions'][number];
          t.validators.push({ id: 'admin-rule-2', ruleKey: 'system:check-permission-validator', parameters: { permissionKey: 'EDIT_ISSUES' } });
          jira.state.putWorkflow({ ...wf, versionId: 'someone-else', versionNumber: wf.versionNumber + 1 });
          resolve();
        }, 100),
      );
      await p.upgradeApp();
      await p.drainQueues();
      await meddle;
      const updates = jira.requestLog.filter((r) => r.path === '/rest/api/3/workflows/update').map((r) => r.status);
      expect(updates).toEqual([409, 200]);
      const after = await workflowOf(p);
      expect(after.versionNumber).toBe(fresh.versionNumber + 2);
      expect(after.transitions[2]?.validators.some((v) => v.id === 'admin-rule-2')).toBe(true);
      const strip = (wf: WorkflowRow) => ({ ...wf, transitions: wf.transitions.map((x) => ({ ...x, validators: x.validators.filter((v) => !String(v.id).startsWith('admin-rule')) })) });
      expect(rulesOf(strip(after))).toBe(rulesOf(fresh));
    } finally {
      p.close();
    }
  });

  it('a set-up run that dies right after its commit is delivered again and ends as a clean run: one update, one audit, set-up complete', async () => {
    const p = site();
    try {
      const jira = jiraEmulatorOf(p);
      jira.addUser({ accountId: ADMIN, displayName: 'Ann Admin' });
      const rg = jira.addProject({ key: 'RG', name: 'Release Governance Demo', adminAccountId: ADMIN });
      await setUpOn(p, 'RG');
      const fresh = await workflowOf(p);
      makeItOld(jira, fresh);
      // The first commit of the consumer is the audit of the update: it dies right after it.
      const kill = p.killAfterStorage({ functionKey: 'setup-upgrade' });
      await p.upgradeApp({ upgraderAccountId: ADMIN });
      const drained = await p.drainQueues();
      expect(kill.fired).toBe(1);
      expect(drained.deliveries.filter((d) => d.queueName === 'setup-upgrade').map((d) => d.outcome)).toEqual(['error', 'succeeded']);
      expect(jira.requestLog.filter((r) => r.path === '/rest/api/3/workflows/update' && r.status === 200)).toHaveLength(1);
      expect(auditsOf(p, 'setupWorkflowUpdated')).toHaveLength(1);
      expect((await workflowOf(p)).versionNumber).toBe(fresh.versionNumber + 1);
      expect((await p.run(() => getSetupProgress(String(rg.id), 'RG'))).value.complete).toBe(true);
    } finally {
      p.close();
    }
  });

  it('two environments on one site: each upgrade updates only its own workflow', async () => {
    const dev = site({ id: 'aaaaaaaa-dev-0000', type: 'DEVELOPMENT' });
    const prod = site({ id: 'bbbbbbbb-prod-0000', type: 'PRODUCTION' }, dev.jira);
    try {
      const jira = jiraEmulatorOf(dev);
      jira.addUser({ accountId: ADMIN, displayName: 'Ann Admin' });
      jira.addProject({ key: 'DEV', name: 'Trying the app', adminAccountId: ADMIN });
      jira.addProject({ key: 'PAY', name: 'Payroll', adminAccountId: ADMIN });
      await setUpOn(dev, 'DEV');
      await setUpOn(prod, 'PAY');
      const devFresh = await workflowOf(dev);
      const prodFresh = await workflowOf(prod);
      expect(prodFresh.name).toBe(WORKFLOW_NAME);
      expect(devFresh.id).not.toBe(prodFresh.id);
      makeItOld(jira, devFresh);
      makeItOld(jira, prodFresh);
      const prodOld = await workflowOf(prod);

      await dev.upgradeApp();
      await dev.drainQueues();
      const strip = (wf: WorkflowRow) => ({ ...wf, transitions: wf.transitions.map((t) => ({ ...t, validators: t.validators.filter((v) => v.id !== 'admin-rule-1') })) });
      expect(rulesOf(strip(await workflowOf(dev)))).toBe(rulesOf(devFresh));
      // Production's workflow is untouched by development's upgrade.
      expect(await workflowOf(prod)).toEqual(prodOld);

      await prod.upgradeApp();
      await prod.drainQueues();
      expect(rulesOf(strip(await workflowOf(prod)))).toBe(rulesOf(prodFresh));
      expect(rulesOf(await workflowOf(prod))).not.toContain('aaaaaaaa-dev');
      expect(rulesOf(await workflowOf(dev))).not.toContain('bbbbbbbb-prod');
    } finally {
      prod.close();
      dev.close();
    }
  });
});
