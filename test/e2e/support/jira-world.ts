import { createHash } from 'node:crypto';
import { createPlatform, type Platform } from '../../../sandbox';
import { startHost, type RunningHost } from '../../../sandbox/host';
import { jiraEmulatorOf, jiraFactory, type JiraEmulator } from '../../../sandbox/jira';
import type { StandingRole } from '../../../src/domain/roles';
import { assertProjectAdmin, setUpProject } from '../../../src/services/project-setup';
import { getRow, releaseRef } from '../../../src/storage/records';
import { loadGlobalSetup } from '../../../src/storage/setup-progress';
import { STATIC_DIR } from './browser';

/**
 * The app on the local platform with the Jira emulator, a project RG set up by the app's own set-up
 * (`setUpProject`, as a Jira admin), one person per role, a change request to raise releases from, and the
 * local host serving `static/build` around it.
 */
export const PEOPLE = {
  admin: { accountId: 'acc-admin', displayName: 'Ada Admin' },
  owner: { accountId: 'acc-owner', displayName: 'Olga Owner' },
  manager: { accountId: 'acc-manager', displayName: 'Max Manager' },
  lead: { accountId: 'acc-lead', displayName: 'Li Lead' },
  implementer: { accountId: 'acc-implementer', displayName: 'Ivan Implementer' },
  tester: { accountId: 'acc-tester', displayName: 'Tess Tester' },
  trainer: { accountId: 'acc-trainer', displayName: 'Tao Trainer' },
  softwareControl: { accountId: 'acc-scl', displayName: 'Sam Software' },
  business: { accountId: 'acc-business', displayName: 'Bea Business' },
  operations: { accountId: 'acc-operations', displayName: 'Otto Operations' },
  requester: { accountId: 'acc-requester', displayName: 'Rita Requester' },
  observer: { accountId: 'acc-observer', displayName: 'Oscar Observer' },
} as const;
export type Persona = keyof typeof PEOPLE;

const STANDING: Partial<Record<Persona, StandingRole>> = {
  owner: 'PROCESS_OWNER',
  manager: 'RELEASE_MANAGER',
  lead: 'RELEASE_LEAD',
  trainer: 'TRAINING_LEAD',
  softwareControl: 'SOFTWARE_CONTROL_LEAD',
  business: 'BUSINESS_LEAD',
  operations: 'OPERATIONS_LEAD',
};

export const PROJECT_KEY = 'RG';

type Envelope = { ok: true; data: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

export interface E2eWorld {
  platform: Platform;
  jira: JiraEmulator;
  host: RunningHost;
  project: { id: string; key: string };
  /** Change requests (Bugs) to raise releases from. */
  changeRequests: { id: string; key: string; summary: string }[];
  /** Calls a resolver as `who` on the release panel of `issueKey` (for setting up a release outside the UI). */
  onRelease(who: Persona, issueKey: string, functionKey: string, payload?: Record<string, unknown>): Promise<Envelope>;
  /** Raises a release request from a change request through the issue action's resolver; returns its issue key. */
  submit(who: Persona, changeKey: string, summary: string): Promise<string>;
  /** Drives a release to IMPLEMENTING through the resolvers, each step by its role (as test/release does). */
  driveToImplementing(issueKey: string): Promise<void>;
  /** The same, stopping at READY (every gate of start implementation met). */
  driveToReady(issueKey: string): Promise<void>;
  /** `onRelease` with the release's current version; throws on an error envelope. */
  act(who: Persona, issueKey: string, functionKey: string, payload?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The stored release of an issue. */
  release(issueKey: string): Promise<{ id: string; status: string; outcome: string | null; version: number }>;
  /** Calls a resolver as `who` on the project page (the DSL library and the workbench). */
  onProject(who: Persona, functionKey: string, payload?: Record<string, unknown>): Promise<Envelope>;
  /**
   * Puts a software item into the Definitive Software Library through the DSL resolvers, each step by its role:
   * registered by the software control lead, approved by the release manager, checked in. Returns its id.
   */
  libraryItem(name: string, version: string): Promise<string>;
  /** Lets Jira's product events reach the app's triggers. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startE2eWorld(): Promise<E2eWorld> {
  const platform = createPlatform({ jira: jiraFactory() });
  const jira = jiraEmulatorOf(platform);
  for (const p of Object.values(PEOPLE)) jira.addUser({ accountId: p.accountId, displayName: p.displayName, timeZone: 'UTC' });
  const rg = jira.addProject({ key: PROJECT_KEY, name: 'Release Governance Demo', adminAccountId: PEOPLE.admin.accountId });
  for (const [persona, p] of Object.entries(PEOPLE)) {
    if (persona === 'admin') continue;
    jira.grantBrowse(PROJECT_KEY, p.accountId);
    jira.state.grant(rg.id, p.accountId, 'CREATE_ISSUES');
  }
  // The app's own set-up, as a project admin: issue type, statuses, workflow with condition and validator, roles.
  await platform.run(async () => setUpProject(await assertProjectAdmin(PROJECT_KEY), { now: () => Date.now(), actorAccountId: PEOPLE.admin.accountId }), {
    accountId: PEOPLE.admin.accountId,
  });
  const global = (await platform.run(() => loadGlobalSetup())).value;
  const roleIds = global.roleIds as Partial<Record<StandingRole, number>>;
  for (const [persona, role] of Object.entries(STANDING) as [Persona, StandingRole][]) {
    const roleId = roleIds[role];
    if (roleId === undefined) throw new Error(`set-up made no project role for ${role}`);
    jira.addRoleMember(PROJECT_KEY, roleId, PEOPLE[persona].accountId);
  }
  const changeRequests = [1, 2, 3].map((n) => {
    const summary = ['Upgrade the billing service to 2.0', 'Patch the payment gateway TLS configuration', 'Move reporting to the new warehouse'][n - 1] ?? `Change ${n}`;
    const issue = jira.addIssue({ project: PROJECT_KEY, issueType: 'Bug', summary, reporterAccountId: PEOPLE.requester.accountId });
    return { id: String(issue.id), key: issue.key, summary };
  });
  const project = { id: String(rg.id), key: PROJECT_KEY };
  // The emulator lists users only to admins; the host's acting-user switch gets them directly.
  const host = await startHost({ platform, port: 0, host: '127.0.0.1', staticDir: STATIC_DIR, users: Object.values(PEOPLE).map((p) => ({ ...p, timeZone: 'UTC', accountType: 'atlassian', active: true })) });

  async function settle(): Promise<void> {
    await jira.flushEvents();
    await platform.drainEvents();
  }
  await settle();

  const issueOf = (key: string) => {
    const issue = jira.getIssue(key);
    if (!issue) throw new Error(`no issue ${key}`);
    return issue;
  };

  const world: E2eWorld = {
    platform,
    jira,
    host,
    project,
    changeRequests,
    async onRelease(who, issueKey, functionKey, payload = {}) {
      const issue = issueOf(issueKey);
      const inv = await platform.invokeResolver<Envelope>({
        moduleKey: 'release-panel',
        functionKey,
        payload,
        accountId: PEOPLE[who].accountId,
        extension: { type: 'jira:issuePanel', issue: { id: String(issue.id), key: issue.key }, project: { id: project.id, key: PROJECT_KEY } },
      });
      await settle();
      return inv.value;
    },
    async submit(who, changeKey, summary) {
      const change = issueOf(changeKey);
      const inv = await platform.invokeResolver<Envelope>({
        moduleKey: 'raise-release',
        functionKey: 'release/submit',
        payload: { projectId: project.id, linkedChangeKey: changeKey, summary },
        accountId: PEOPLE[who].accountId,
        extension: { type: 'jira:issueAction', issue: { id: String(change.id), key: change.key }, project: { id: project.id, key: PROJECT_KEY } },
      });
      await settle();
      if (!inv.value.ok) throw new Error(`submit: ${inv.value.error.code} ${inv.value.error.message}`);
      return String(inv.value.data.issueKey);
    },
    async driveToImplementing(key) {
      await world.driveToReady(key);
      await world.act('implementer', key, 'release/startImplementation');
    },
    async driveToReady(key) {
      const now = Date.now();
      const p = (who: Persona) => PEOPLE[who].accountId;
      await world.act('manager', key, 'release/classify', { classification: 'EMERGENCY' });
      await world.act('manager', key, 'release/assessRisk', { riskLevel: 'HIGH', riskAnalysis: 'Payments stop if the gateway rejects the new ciphers' });
      await world.act('manager', key, 'release/setWindow', { windowStart: now - 2 * 3_600_000, windowEnd: now + 2 * 86_400_000 });
      await world.act('manager', key, 'release/assignLead', { leadAccountId: p('lead') });
      await world.act('manager', key, 'release/approve');
      await world.act('manager', key, 'team/change', { op: 'ADD', accountId: p('softwareControl'), teamRole: 'SOFTWARE_CONTROL_LEAD' });
      await world.act('manager', key, 'team/change', { op: 'ADD', accountId: p('trainer'), teamRole: 'TRAINING_LEAD' });
      await world.act('manager', key, 'team/change', { op: 'ADD', accountId: p('tester'), teamRole: 'TEST_EXPERT' });
      await world.act('lead', key, 'team/addImplementer', { accountId: p('implementer') });
      await world.act('lead', key, 'plan/edit', { scope: 'Gateway TLS 1.3 only', schedule: 'Saturday night', plannedEffortHours: 8 });
      await world.act('lead', key, 'fallback/edit', {
        triggerCriteria: 'Card authorisations fail above 1% for 5 minutes',
        steps: [
          { action: 'Restore the previous TLS profile', ownerAccountId: p('implementer'), expectedMinutes: 10 },
          { action: 'Flush the gateway session cache', ownerAccountId: p('implementer'), expectedMinutes: 5 },
        ],
        restoreDslItemId: null,
        dataBackupRef: 'gw-config-backup-0412',
      });
      await world.act('lead', key, 'opinion/record', { department: 'Finance', opinion: 'Agreed, outside the settlement run' });
      await world.act('trainer', key, 'training/manage', { op: 'CREATE', audience: 'HELP_DESK', trainerAccountId: p('trainer'), dueAt: now + 86_400_000 });
      await world.act('lead', key, 'release/startBuild');
      await world.act('implementer', key, 'test/recordIntegration', { passed: true });
      await world.act('business', key, 'test/recordUat', { passed: true });
      await world.act('lead', key, 'fallback/recordRehearsal', { at: now, environment: 'staging', result: 'PASSED' });
      const panel = await world.onRelease('trainer', key, 'panel/get', {});
      if (!panel.ok) throw new Error('panel/get failed');
      const task = (panel.data.trainingTasks as { id: string }[])[0];
      if (!task) throw new Error('no training task');
      await world.act('trainer', key, 'training/recordDelivery', { taskId: task.id, deliveredAt: now });
      const itemId = await world.libraryItem(`service-${key.toLowerCase()}`, '1.0.0');
      const item = await world.onProject('softwareControl', 'dsl/list', { projectId: project.id, limit: 100 });
      const row = item.ok ? (item.data.items as { id: string; rowVersion: number }[]).find((i) => i.id === itemId) : undefined;
      if (!row) throw new Error('the checked-in item is not in the library list');
      const linked = await world.onProject('softwareControl', 'dsl/link', { itemId, expectedVersion: row.rowVersion, releaseId: (await world.release(key)).id });
      if (!linked.ok) throw new Error(`dsl/link: ${linked.error.code} ${linked.error.message}`);
      await world.act('lead', key, 'release/markReady');
    },
    async act(who, issueKey, functionKey, payload = {}) {
      const r = await world.release(issueKey);
      const res = await world.onRelease(who, issueKey, functionKey, { releaseId: r.id, expectedVersion: r.version, ...payload });
      if (!res.ok) throw new Error(`${functionKey} as ${who} on ${issueKey}: ${res.error.code} ${res.error.message}`);
      return res.data;
    },
    async release(issueKey) {
      const issue = issueOf(issueKey);
      const row = (await platform.run(() => getRow(releaseRef(String(issue.id))))).value;
      if (!row) throw new Error(`no release record for ${issueKey}`);
      return { id: row.doc.release.id, status: row.doc.release.status, outcome: row.doc.release.outcome, version: row.version };
    },
    async onProject(who, functionKey, payload = {}) {
      const inv = await platform.invokeResolver<Envelope>({
        moduleKey: 'release-workbench',
        functionKey,
        payload,
        accountId: PEOPLE[who].accountId,
        extension: { type: 'jira:projectPage', project: { id: project.id, key: PROJECT_KEY } },
      });
      await settle();
      return inv.value;
    },
    async libraryItem(name, version) {
      const must = (res: Envelope, what: string) => {
        if (!res.ok) throw new Error(`${what}: ${res.error.code} ${res.error.message}`);
        return res.data as { item: { id: string }; version: number };
      };
      const registered = must(
        await world.onProject('softwareControl', 'dsl/register', {
          projectId: project.id,
          name,
          version,
          sha256: createHash('sha256').update(`${name}@${version}`).digest('hex'),
          sizeBytes: 48_213_504,
          licence: 'Proprietary',
          vendor: 'In-house',
          storageUri: `https://artifacts.example.com/${name}/${version}.tar.gz`,
          mediaType: 'application/gzip',
        }),
        'dsl/register',
      );
      const id = registered.item.id;
      const approved = must(await world.onProject('manager', 'dsl/approve', { itemId: id, expectedVersion: registered.version }), 'dsl/approve');
      must(await world.onProject('softwareControl', 'dsl/checkIn', { itemId: id, expectedVersion: approved.version }), 'dsl/checkIn');
      return id;
    },
    settle,
    async close() {
      await host.close();
      await settle().catch(() => undefined);
      platform.close();
    },
  };
  return world;
}
