import { createPlatform } from '../../sandbox';
import { jiraEmulatorOf, jiraFactory } from '../../sandbox/jira';
import { assertProjectAdmin, setUpProject } from '../../src/services/project-setup';
import { loadGlobalSetup } from '../../src/storage/setup-progress';

/**
 * `npm run bench -- upgrade`: `avi:forge:upgraded:app` on a site with 50 set-up projects whose shared workflow
 * holds an earlier version's rules (the role validator stripped): one queued set-up run per project, each its
 * own invocation (Forge: 55 s per consumer); the Jira requests per project and the writes; then the same event
 * again, which must write nothing.
 */
const PROJECTS = 50;
const ASKS = /\/(expression\/analyse|workflows\/(create|update)\/validation|workflowscheme\/read)\b|\/workflows$/;

export async function benchUpgrade(): Promise<string[]> {
  const p = createPlatform({ jira: jiraFactory() });
  try {
    const jira = jiraEmulatorOf(p);
    jira.addUser({ accountId: 'ann', displayName: 'Ann Admin' });
    for (let i = 0; i < PROJECTS; i++) jira.addProject({ key: `P${i}`, name: `Project ${i}`, adminAccountId: 'ann' });
    for (let i = 0; i < PROJECTS; i++) await p.run(async () => setUpProject(await assertProjectAdmin(`P${i}`), { now: Date.now, actorAccountId: 'ann' }), { accountId: 'ann' });
    const global = (await p.run(() => loadGlobalSetup())).value;
    const wf = jira.state.workflow(global.workflowId ?? '');
    if (!wf) throw new Error('no workflow');
    jira.state.putWorkflow({ ...wf, transitions: wf.transitions.map((t) => ({ ...t, validators: t.validators.filter((v) => !(v.parameters?.key ?? '').endsWith('release-role-validator')) })) });
    const out: string[] = [];
    for (const label of ['out of date', 'again (up to date)']) {
      const from = jira.requestLog.length;
      const t0 = Date.now();
      await p.upgradeApp();
      const drained = await p.drainQueues();
      const ms = Date.now() - t0;
      const log = jira.requestLog.slice(from);
      const writes = log.filter((r) => r.method !== 'GET' && r.status < 300 && !ASKS.test(r.path));
      out.push(
        `${label}: ${PROJECTS} projects, ${drained.deliveries.length} consumer runs, ${log.length} Jira requests (${(log.length / PROJECTS).toFixed(1)} per project), ` +
          `${writes.length} writes (${writes.map((w) => w.path.replace('/rest/api/3', '')).join(', ') || 'none'}), ${ms} ms in all`,
      );
    }
    return out;
  } finally {
    p.close();
  }
}
