import { createPlatform, type Platform } from '../../sandbox';
import { jiraEmulatorOf, jiraFactory } from '../../sandbox/jira';
import { setUpProject, getSetupProgress, SetupRefused } from '../../src/services/project-setup';
import { SETUP_STEPS, loadGlobalSetup } from '../../src/storage/setup-progress';
import { RELEASE_STATUSES } from '../../src/domain/release';
import { STANDING_ROLES } from '../../src/domain/roles';
import { TRANSITION_ACTIONS } from '../../src/domain/lifecycle';

/**
 * Set-up of a project against the local Jira, which holds every request to Atlassian's OpenAPI document:
 * from nothing it creates everything; run twice it creates nothing; stopped after any step and run again
 * it reaches the same end state.
 */

const ADMIN = 'admin-ann';
const OUTSIDER = 'outsider-otto';

function newPlatform(): Platform {
  const platform = createPlatform({ jira: jiraFactory() });
  const jira = jiraEmulatorOf(platform);
  jira.addUser({ accountId: ADMIN, displayName: 'Ann Admin' });
  jira.addUser({ accountId: OUTSIDER, displayName: 'Otto Outsider' });
  jira.addProject({ key: 'RG', name: 'Release Governance Demo', adminAccountId: ADMIN });
  jira.grantBrowse('RG', OUTSIDER);
  return platform;
}

/** Counts of what exists in the emulated Jira, read straight from its tables. */
function jiraCounts(platform: Platform): Record<string, number> {
  const count = (sql: string) => (platform.db.prepare(sql).get() as { n: number }).n;
  const tables = (platform.db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'jira_%'").all() as { name: string }[]).map((t) => t.name);
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = count(`SELECT count(*) AS n FROM ${t}`);
  return out;
}

async function runSetup(platform: Platform, stopAfter?: (typeof SETUP_STEPS)[number]) {
  return platform.run(async () => {
    const project = { id: '', key: 'RG' };
    const { assertProjectAdmin } = await import('../../src/services/project-setup');
    Object.assign(project, await assertProjectAdmin('RG'));
    return setUpProject(project, { now: () => 1_700_000_000_000, actorAccountId: ADMIN, ...(stopAfter ? { stopAfter } : {}) });
  }, { accountId: ADMIN });
}

function mutatingRequests(platform: Platform): number {
  // POSTs that only ask (expression analysis, validation, bulk reads) change nothing in Jira.
  const asks = /\/(expression\/analyse|workflows\/(create|update)\/validation|workflowscheme\/read)\b|\/workflows$/;
  return jiraEmulatorOf(platform).requestLog.filter((r) => r.method !== 'GET' && r.status < 300 && !asks.test(r.path)).length;
}

describe('project set-up against the local Jira', () => {
  it('creates roles, issue type, statuses, the workflow with its rules and the scheme from nothing', async () => {
    const platform = newPlatform();
    try {
      const res = await runSetup(platform);
      expect(res.value.complete).toBe(true);
      expect(res.value.steps.map((s) => s.step)).toEqual([...SETUP_STEPS]);
      const ids = (await platform.run(() => loadGlobalSetup())).value;
      expect(Object.keys(ids.roleIds).sort()).toEqual([...STANDING_ROLES].sort());
      expect(Object.keys(ids.statusIds).sort()).toEqual([...RELEASE_STATUSES].sort());
      expect(ids.issueTypeId).toMatch(/^\d+$/);
      expect(ids.workflowName).toBeTruthy();
      // The project offers the Release Request type and uses our workflow for it.
      const types = await platform.run(async () => {
        const api = (await import('@forge/api')).default;
        const { route } = await import('@forge/api');
        const r = await api.asApp().requestJira(route`/rest/api/3/issuetype/project?projectId=${'10000'}`);
        return (await r.json()) as { id: string; name: string }[];
      });
      expect(types.value.map((t) => t.id)).toContain(ids.issueTypeId);
      expect(jiraEmulatorOf(platform).validationErrors).toEqual([]);
    } finally {
      platform.close();
    }
  });

  it('run twice creates nothing new in Jira', async () => {
    const platform = newPlatform();
    try {
      await runSetup(platform);
      const after1 = jiraCounts(platform);
      const writes1 = mutatingRequests(platform);
      const second = await runSetup(platform);
      expect(second.value.complete).toBe(true);
      expect(jiraCounts(platform)).toEqual(after1);
      // The second run only reads.
      expect(mutatingRequests(platform)).toBe(writes1);
    } finally {
      platform.close();
    }
  });

  it.each(SETUP_STEPS.slice(0, -1))('stopped after %s and run again reaches the same end state', async (step) => {
    const reference = newPlatform();
    const resumed = newPlatform();
    try {
      await runSetup(reference);
      await expect(runSetup(resumed, step)).rejects.toThrow(`set-up stopped after ${step}`);
      const partial = (await resumed.run(() => getSetupProgress('10000', 'RG'))).value;
      expect(partial.complete).toBe(false);
      expect(partial.steps.find((s) => s.step === step)?.done).toBe(true);
      const res = await runSetup(resumed);
      expect(res.value.complete).toBe(true);
      expect(jiraCounts(resumed)).toEqual(jiraCounts(reference));
    } finally {
      reference.close();
      resumed.close();
    }
  });

  it('refuses a user who is not a project admin, and creates nothing', async () => {
    const platform = newPlatform();
    try {
      const before = jiraCounts(platform);
      await expect(
        platform.run(async () => {
          const { assertProjectAdmin } = await import('../../src/services/project-setup');
          return assertProjectAdmin('RG');
        }, { accountId: OUTSIDER }),
      ).rejects.toBeInstanceOf(SetupRefused);
      expect(jiraCounts(platform)).toEqual(before);
    } finally {
      platform.close();
    }
  });

  it('generates one gated Jira transition per lifecycle transition', async () => {
    const platform = newPlatform();
    try {
      await runSetup(platform);
      const wf = await platform.run(async () => {
        const api = (await import('@forge/api')).default;
        const { route } = await import('@forge/api');
        const r = await api.asApp().requestJira(route`/rest/api/3/workflows/search?queryString=${'Release Governance'}&expand=${'values.transitions'}`);
        return (await r.json()) as { values: { name: string; transitions?: { name: string; conditions?: unknown; validators?: unknown[] }[] }[] };
      });
      const ours = wf.value.values.find((w) => w.name.startsWith('Release Governance'));
      expect(ours).toBeDefined();
      const transitions = ours?.transitions ?? [];
      expect(transitions.length).toBe(TRANSITION_ACTIONS.length + 1);
      for (const t of transitions.filter((x) => x.name !== 'Submit release request')) {
        expect(JSON.stringify(t.conditions)).toContain('forge:expression-condition');
        expect(JSON.stringify(t.validators)).toContain('forge:expression-validator');
      }
    } finally {
      platform.close();
    }
  });
});

describe('set-up of a project that already has issues', () => {
  it('adds the Release Request mapping to the scheme the project uses, and stays idempotent', async () => {
    const platform = newPlatform();
    try {
      jiraEmulatorOf(platform).addIssue({ project: 'RG', summary: 'An existing task' });
      const first = await runSetup(platform);
      expect(first.value.complete).toBe(true);
      const counts = jiraCounts(platform);
      await runSetup(platform);
      expect(jiraCounts(platform)).toEqual(counts);
      const ids = (await platform.run(() => loadGlobalSetup())).value;
      const scheme = await platform.run(async () => {
        const api = (await import('@forge/api')).default;
        const { route } = await import('@forge/api');
        const r = await api.asApp().requestJira(route`/rest/api/3/workflowscheme/project?projectId=${'10000'}`);
        return (await r.json()) as { values: { workflowScheme: { issueTypeMappings?: Record<string, string> } }[] };
      });
      expect(scheme.value.values[0]?.workflowScheme.issueTypeMappings?.[ids.issueTypeId!]).toBe(ids.workflowName);
      expect(jiraEmulatorOf(platform).validationErrors).toEqual([]);
    } finally {
      platform.close();
    }
  });
});

describe('set-up through the admin page resolver', () => {
  it('runs for a project admin and reports progress per step; refuses anyone else with a structured error', async () => {
    const platform = newPlatform();
    try {
      const call = (functionKey: string, accountId: string) =>
        platform.invokeResolver<{
          ok: boolean;
          data?: { complete: boolean; steps: { step: string; done: boolean }[]; setup?: { version: number; roleIds: Record<string, string> } | null; jiraRoles?: { id: string; name: string }[]; actor?: { canAdminister: boolean } };
          error?: { code: string; message: string };
        }>({
          moduleKey: 'release-admin',
          functionKey,
          payload: { projectId: '10000' },
          accountId,
          extension: { type: 'jira:adminPage' },
        });
      const before = (await call('admin/getSetupStatus', ADMIN)).value;
      expect(before.ok).toBe(true);
      expect(before.data?.complete).toBe(false);
      // Nothing recorded yet: the forms start from the defaults at version 0.
      expect(before.data?.setup).toBeNull();
      expect(before.data?.actor).toEqual({ standingRoles: [], canAdminister: true });
      const outsiderStatus = (await call('admin/getSetupStatus', OUTSIDER)).value;
      expect(outsiderStatus).toMatchObject({ ok: false, error: { code: 'NOT_PROJECT_ADMIN' } });
      const untouched = jiraCounts(platform);
      const refused = (await call('admin/setupProject', OUTSIDER)).value;
      expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_PROJECT_ADMIN' } });
      expect(refused.error?.message).toMatch(/administrator/);
      expect(jiraCounts(platform)).toEqual(untouched);
      const done = (await call('admin/setupProject', ADMIN)).value;
      expect(done.ok).toBe(true);
      expect(done.data?.steps.every((s) => s.done)).toBe(true);
      const after = (await call('admin/getSetupStatus', ADMIN)).value;
      expect(after.data?.complete).toBe(true);
      // Set-up recorded the ids of the project roles it created, which the role-mapping dropdowns offer.
      const roleIds = Object.values(after.data?.setup?.roleIds ?? {});
      expect(roleIds).toHaveLength(7);
      expect(after.data?.jiraRoles?.map((r) => r.id)).toEqual(expect.arrayContaining(roleIds));
      expect(after.data?.setup?.version).toBe(1);
    } finally {
      platform.close();
    }
  });
});

describe('install trigger', () => {
  it('creates the global project roles on avi:forge:installed:app, and nothing more when the event repeats', async () => {
    const platform = newPlatform();
    try {
      await platform.deliverEvent('avi:forge:installed:app', { id: 'install-1', installerAccountId: ADMIN });
      const first = (await platform.run(() => loadGlobalSetup())).value;
      expect(Object.keys(first.roleIds).sort()).toEqual([...STANDING_ROLES].sort());
      const counts = jiraCounts(platform);
      await platform.deliverEvent('avi:forge:installed:app', { id: 'install-1', installerAccountId: ADMIN });
      expect(jiraCounts(platform)).toEqual(counts);
      expect((await platform.run(() => loadGlobalSetup())).value.roleIds).toEqual(first.roleIds);
    } finally {
      platform.close();
    }
  });
});
