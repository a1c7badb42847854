import { createPlatform, type Platform } from '../../sandbox';
import { jiraEmulatorOf, jiraFactory } from '../../sandbox/jira';
import { assertProjectAdmin, setUpProject } from '../../src/services/project-setup';

/**
 * Set-up creates every Jira object once even when Jira's answer to a create is lost (the object was made,
 * the reply never came) or when Jira keeps failing and set-up is run again later: the same objects as a
 * clean run, none twice.
 */

const ADMIN = 'admin-ann';
const CREATES = ['createProjectRole', 'createIssueType', 'createStatuses', 'createWorkflows', 'createWorkflowScheme'] as const;

function newPlatform(): Platform {
  const platform = createPlatform({ jira: jiraFactory() });
  const jira = jiraEmulatorOf(platform);
  jira.addUser({ accountId: ADMIN, displayName: 'Ann Admin' });
  jira.addProject({ key: 'RG', name: 'Release Governance Demo', adminAccountId: ADMIN });
  return platform;
}

async function setUp(platform: Platform): Promise<boolean> {
  const res = await platform.run(async () => setUpProject(await assertProjectAdmin('RG'), { now: () => 1_700_000_000_000, actorAccountId: ADMIN }), { accountId: ADMIN }).catch(() => null);
  return res?.value.complete === true;
}

/** What exists in the emulated Jira, by table, read straight from it. */
function counts(platform: Platform): Record<string, number> {
  const tables = (platform.db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'jira_%' AND name NOT LIKE '%changelog%'").all() as { name: string }[]).map((t) => t.name);
  return Object.fromEntries(tables.map((t) => [t, (platform.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
}

describe('project set-up when Jira loses answers or fails', () => {
  let clean: Record<string, number>;
  beforeAll(async () => {
    const p = newPlatform();
    expect(await setUp(p)).toBe(true);
    clean = counts(p);
    p.close();
  });

  it.each(CREATES)('%s: applied, then 502 (lost answer): one of each, as in a clean run', async (operation) => {
    const p = newPlatform();
    try {
      jiraEmulatorOf(p).injectFault({ operation, status: 502, mode: 'lostAnswer', times: 1 });
      const done = (await setUp(p)) || (await setUp(p));
      expect(done).toBe(true);
      expect(jiraEmulatorOf(p).requestLog.some((e) => e.fault)).toBe(true);
      expect(counts(p)).toEqual(clean);
    } finally {
      p.close();
    }
  });

  it.each(CREATES)('%s: every answer lost (applied, then 503): set-up still finishes in one run, one of each', async (operation) => {
    const p = newPlatform();
    try {
      jiraEmulatorOf(p).injectFault({ operation, status: 503, mode: 'lostAnswer', times: Infinity });
      expect(await setUp(p)).toBe(true);
      expect(counts(p)).toEqual(clean);
    } finally {
      p.close();
    }
  });

  it('createWorkflowScheme refused (503) until set-up gives up; run again once Jira is back: one scheme', async () => {
    const p = newPlatform();
    try {
      jiraEmulatorOf(p).injectFault({ operation: 'createWorkflowScheme', status: 503, times: Infinity });
      expect(await setUp(p)).toBe(false);
      jiraEmulatorOf(p).clearFaults();
      expect(await setUp(p)).toBe(true);
      expect(counts(p)).toEqual(clean);
    } finally {
      p.close();
    }
  }, 60_000);
});
