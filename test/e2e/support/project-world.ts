/**
 * A Jira site for the project-module browser tests: the platform in memory with the Jira emulator, project RG
 * set up by the app's own set-up (as a project admin would from the admin page), one person per role, and a few
 * releases raised and driven through the real resolvers. A second project, NEW, is left for the admin page to set up.
 */
import { createPlatform, type Platform } from '../../../sandbox';
import { jiraEmulatorOf, jiraFactory, type JiraEmulator } from '../../../sandbox/jira';
import { RESOLVER_KEYS as K, type ResolverKey } from '../../../src/contracts';
import type { Envelope } from '../../../src/contracts/envelope';
import type { Release } from '../../../src/domain/release';
import type { StandingRole } from '../../../src/domain/roles';
import { assertProjectAdmin, setUpProject } from '../../../src/services/project-setup';
import { getRow, putRelease, releaseRef, trainingOfRelease } from '../../../src/storage/records';
import { loadGlobalSetup } from '../../../src/storage/setup-progress';
import { Changes } from '../../../src/storage/store';

export const PEOPLE = {
  admin: 'acc-admin',
  owner: 'acc-owner',
  manager: 'acc-manager',
  lead: 'acc-lead',
  implementer: 'acc-implementer',
  tester: 'acc-tester',
  trainer: 'acc-trainer',
  softwareControl: 'acc-scl',
  business: 'acc-business',
  operations: 'acc-operations',
  requester: 'acc-requester',
  outsider: 'acc-outsider',
} as const;
export type Person = keyof typeof PEOPLE;

const STANDING: Partial<Record<Person, StandingRole>> = {
  owner: 'PROCESS_OWNER',
  manager: 'RELEASE_MANAGER',
  lead: 'RELEASE_LEAD',
  trainer: 'TRAINING_LEAD',
  softwareControl: 'SOFTWARE_CONTROL_LEAD',
  business: 'BUSINESS_LEAD',
  operations: 'OPERATIONS_LEAD',
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ProjectWorld {
  platform: Platform;
  jira: JiraEmulator;
  project: { id: string; key: string };
  /** A project nobody has set up yet (for the admin page). */
  fresh: { id: string; key: string };
  /** Release ids by what the test expects of them. */
  releases: { overdueReview: Release; planning: Release; verifying: Release };
  /** For the host's acting-user switch (the emulator lists users only to admins). */
  users: { accountId: string; displayName: string; timeZone: string; accountType: string; active: boolean }[];
  close(): Promise<void>;
}

export async function startProjectWorld(): Promise<ProjectWorld> {
  const platform = createPlatform({ jira: jiraFactory() });
  const jira = jiraEmulatorOf(platform);
  const names: Record<Person, string> = {
    admin: 'Ada Admin',
    owner: 'Olga Owner',
    manager: 'Max Manager',
    lead: 'Lea Lead',
    implementer: 'Ivan Implementer',
    tester: 'Tess Tester',
    trainer: 'Tom Trainer',
    softwareControl: 'Sam Software',
    business: 'Bea Business',
    operations: 'Otto Operations',
    requester: 'Rita Requester',
    outsider: 'Oscar Outsider',
  };
  for (const [p, accountId] of Object.entries(PEOPLE) as [Person, string][]) jira.addUser({ accountId, displayName: names[p] });
  const rg = jira.addProject({ key: 'RG', name: 'Release Governance Demo', adminAccountId: PEOPLE.admin });
  const fresh = jira.addProject({ key: 'NEW', name: 'New Project', adminAccountId: PEOPLE.admin });
  for (const [p, accountId] of Object.entries(PEOPLE) as [Person, string][]) {
    if (p === 'outsider' || p === 'admin') continue;
    jira.grantBrowse('RG', accountId);
    jira.state.grant(rg.id, accountId, 'CREATE_ISSUES');
  }
  const project = { id: String(rg.id), key: 'RG' };

  // The app's own set-up, as the project admin.
  await platform.run(async () => setUpProject(await assertProjectAdmin('RG'), { now: () => Date.now(), actorAccountId: PEOPLE.admin }), { accountId: PEOPLE.admin });
  const global = (await platform.run(() => loadGlobalSetup())).value;
  for (const [p, role] of Object.entries(STANDING) as [Person, StandingRole][]) {
    const roleId = global.roleIds[role];
    if (roleId === undefined) throw new Error(`set-up made no project role for ${role}`);
    jira.addRoleMember('RG', roleId, PEOPLE[p]);
  }
  const first = jira.addIssue({ project: 'RG', issueType: 'Bug', summary: 'Change request: upgrade the billing service', reporterAccountId: PEOPLE.requester });

  const settle = async () => {
    await jira.flushEvents();
    await platform.drainEvents();
  };
  const stored = async (id: string) => {
    const row = (await platform.run(() => getRow(releaseRef(id)))).value;
    if (!row) throw new Error(`no release ${id}`);
    return row;
  };
  const call = async <T>(who: Person, moduleKey: string, extension: Record<string, unknown>, key: ResolverKey, payload: Record<string, unknown>): Promise<T> => {
    const inv = await platform.invokeResolver<Envelope<T>>({ moduleKey, functionKey: key, payload, accountId: PEOPLE[who], extension });
    if (!inv.value.ok) throw new Error(`${key} as ${who} failed: ${JSON.stringify(inv.value.error)}`);
    return inv.value.data;
  };
  const act = async (who: Person, release: Release, key: ResolverKey, payload: Record<string, unknown> = {}) => {
    const row = await stored(release.id);
    await call(who, 'release-panel', { type: 'jira:issuePanel', issue: { id: release.id, key: release.issueKey }, project }, key, { releaseId: release.id, expectedVersion: row.version, ...payload });
  };
  let raised = 0;
  const submit = async (summary: string): Promise<Release> => {
    // One change request per release (a second raise from the same one needs a reason).
    const change = raised++ === 0 ? first : jira.addIssue({ project: 'RG', issueType: 'Bug', summary: `Change request: ${summary}`, reporterAccountId: PEOPLE.requester });
    const r = await call<Release>('requester', 'raise-release', { type: 'jira:issueAction', issue: { id: String(change.id), key: change.key }, project }, K.submitRelease, {
      projectId: project.id,
      linkedChangeKey: change.key,
      summary,
    });
    await settle();
    return r;
  };

  /** Approved, with its team formed and planned: the lead's and the implementer's queue. */
  const plan = async (r: Release) => {
    const now = Date.now();
    await act('manager', r, K.classify, { classification: 'MAJOR' });
    await act('manager', r, K.assessRisk, { riskLevel: 'MEDIUM', riskAnalysis: 'Billing downtime risk' });
    await act('manager', r, K.setWindow, { windowStart: now - HOUR, windowEnd: now + 3 * DAY });
    await act('manager', r, K.assignLead, { leadAccountId: PEOPLE.lead });
    await act('manager', r, K.approve);
    await act('manager', r, K.changeTeam, { op: 'ADD', accountId: PEOPLE.softwareControl, teamRole: 'SOFTWARE_CONTROL_LEAD' });
    await act('manager', r, K.changeTeam, { op: 'ADD', accountId: PEOPLE.trainer, teamRole: 'TRAINING_LEAD' });
    await act('manager', r, K.changeTeam, { op: 'ADD', accountId: PEOPLE.tester, teamRole: 'TEST_EXPERT' });
    await act('lead', r, K.addImplementer, { accountId: PEOPLE.implementer });
    await act('lead', r, K.editPlan, { scope: 'Billing 2.0', schedule: 'Week 12', plannedEffortHours: 40 });
    await act('lead', r, K.editFallbackPlan, {
      triggerCriteria: 'Error rate above 2% for 10 minutes',
      steps: [{ action: 'Redeploy 1.9', ownerAccountId: PEOPLE.implementer, expectedMinutes: 20 }],
      restoreDslItemId: null,
      dataBackupRef: 'backup-2026-11-28',
    });
    await act('lead', r, K.recordOpinion, { department: 'Finance', opinion: 'Agreed, outside month end' });
    await act('trainer', r, K.manageTraining, { op: 'CREATE', audience: 'HELP_DESK', trainerAccountId: PEOPLE.trainer, dueAt: now + 2 * DAY });
  };

  /** From planning to deployed, waiting for the operations lead. */
  const deploy = async (r: Release) => {
    const now = Date.now();
    await act('lead', r, K.startBuild);
    await act('implementer', r, K.recordIntegrationTest, { passed: true });
    await act('business', r, K.recordUat, { passed: true });
    await act('lead', r, K.recordRehearsal, { at: now, environment: 'staging', result: 'PASSED' });
    const task = (await platform.run(() => trainingOfRelease(r.id))).value[0];
    if (task) await act('trainer', r, K.recordTrainingDelivery, { taskId: task.doc.id, deliveredAt: now });
    // DSL items come from the DSL use cases (another module): linked here as the DSL would leave them.
    await platform.run(async () => {
      const row = await stored(r.id);
      const changes = new Changes();
      putRelease(changes, { release: row.doc.release, dslItems: [{ id: 'dsl-billing-2-0', status: 'IN_LIBRARY', name: 'billing', version: '2.0', checkedInAt: now, productionUpdatedAt: null }] }, row.version, now);
      await changes.commit();
    });
    await act('lead', r, K.markReady);
    await act('implementer', r, K.startImplementation);
    await act('implementer', r, K.recordDeploymentResult, { succeeded: true, finishedAt: Date.now() });
    await act('business', r, K.recordCutover, { confirmed: true });
    await act('implementer', r, K.markDeployed);
  };

  const overdue = await submit('Release: payroll 3.1');
  // Submitted ten days ago: past the review SLA.
  await platform.run(async () => {
    const row = await stored(overdue.id);
    const then = Date.now() - 10 * DAY;
    const release: Release = { ...row.doc.release, createdAt: then, statusEnteredAt: { ...row.doc.release.statusEnteredAt, SUBMITTED: then } };
    const changes = new Changes();
    putRelease(changes, { release, dslItems: row.doc.dslItems }, row.version, Date.now());
    await changes.commit();
  });
  const planning = await submit('Release: billing service 2.0');
  await plan(planning);
  const verifying = await submit('Release: customer portal 5.2');
  await plan(verifying);
  await deploy(verifying);
  await settle();

  return {
    platform,
    jira,
    project,
    fresh: { id: String(fresh.id), key: 'NEW' },
    users: (Object.entries(PEOPLE) as [Person, string][]).map(([p, accountId]) => ({ accountId, displayName: names[p], timeZone: 'UTC', accountType: 'atlassian', active: true })),
    releases: { overdueReview: (await stored(overdue.id)).doc.release, planning: (await stored(planning.id)).doc.release, verifying: (await stored(verifying.id)).doc.release },
    async close() {
      await settle();
      platform.close();
    },
  };
}
