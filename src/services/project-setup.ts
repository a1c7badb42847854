import { TRANSITION_ACTIONS, TRANSITIONS } from '../domain/lifecycle';
import { RELEASE_STATUSES, type ReleaseStatus } from '../domain/release';
import { STANDING_ROLES, type StandingRole } from '../domain/roles';
import type { SetupStatusView } from '../contracts/views';
import { appIdentity, projectAsUser, projectRoles, userHasProjectPermission } from '../jira/projects';
import { getRow, putSetup, setupRef } from '../storage/records';
import { Changes } from '../storage/store';
import { ServiceError } from './errors';
import { loadProject } from './load';
import {
  ensureIssueType,
  ensureIssueTypeInProjectScheme,
  ensureProjectRoles,
  ensureStatuses,
  analyseExpressions,
  ensureWorkflow,
  ensureWorkflowScheme,
  workflowDrift,
  type OwnedWorkflowSpec,
  type RoleSpec,
  type WorkflowOutcome,
  type WorkflowTransitionSpec,
} from '../jira/setup';
import {
  SETUP_STEPS,
  loadGlobalSetup,
  loadSetupProgress,
  saveGlobalSetup,
  saveSetupProgress,
  type GlobalSetup,
  type SetupProgressRecord,
  type SetupStep,
} from '../storage/setup-progress';
import {
  CONDITION_MODULE_KEY,
  STATUS_SPECS,
  TRANSITION_IDS,
  TRANSITION_NAMES,
  VALIDATOR_MODULE_KEY,
  ROLE_VALIDATOR_MODULE_KEY,
  CONDITION_EXPRESSION,
  ROLE_VALIDATOR_EXPRESSION,
  workflowNameFor,
  conditionConfig,
  extensionAri,
} from '../workflow/rules';

/**
 * Set-up of a project (SPEC §7), step by step. Each step asks Jira what exists, creates what is missing and
 * stores the ids at once, so a run stopped after any step resumes where it stopped and a second run
 * creates nothing.
 */

export const ROLE_SPECS: Readonly<Record<StandingRole, RoleSpec>> = {
  PROCESS_OWNER: { key: 'PROCESS_OWNER', name: 'Release Process Owner', description: 'Owns the release process: policy, KPIs, improvement (发布流程负责人).' },
  RELEASE_MANAGER: { key: 'RELEASE_MANAGER', name: 'Release Manager', description: 'Reviews, classifies and approves release requests (发布经理).' },
  RELEASE_LEAD: { key: 'RELEASE_LEAD', name: 'Release Lead', description: 'Pool of release leads who plan and lead releases (发布主管).' },
  TRAINING_LEAD: { key: 'TRAINING_LEAD', name: 'Release Training Lead', description: 'Trains users, operators and the help desk (培训主管).' },
  SOFTWARE_CONTROL_LEAD: { key: 'SOFTWARE_CONTROL_LEAD', name: 'Software Control Lead', description: 'Keeps the Definitive Software Library (软件控制主管).' },
  BUSINESS_LEAD: { key: 'BUSINESS_LEAD', name: 'Release Business Lead', description: 'Runs user acceptance and supports cutover (业务主管).' },
  OPERATIONS_LEAD: { key: 'OPERATIONS_LEAD', name: 'Release Operations Lead', description: 'Confirms the release result and operational fitness (运维主管).' },
};

export const ISSUE_TYPE_NAME = 'Release Request';

export class SetupRefused extends Error {
  constructor(readonly code: 'NOT_PROJECT_ADMIN' | 'PROJECT_NOT_FOUND') {
    super(code);
  }
}

/** The admin page's set-up, as a use case: project admins only; resumes where a previous run stopped. */
export async function setupProjectFor(caller: { accountId: string | undefined }, projectId: string): Promise<SetupProgress> {
  if (!caller.accountId) throw new ServiceError('NOT_PROJECT_ADMIN');
  const project = await adminProject(projectId);
  return setUpProject(project, { now: () => Date.now(), actorAccountId: caller.accountId });
}

/**
 * The admin page's view of a project: set-up progress, the set-up record with its version (for the role
 * mapping and policy forms), the Jira project roles to map onto, and what the actor may do. Readable by a
 * Jira project admin or the project's process owner (who edits policy and mapping without being a Jira
 * admin); running set-up stays with the admins. Asks Jira (as the user) whether they can browse and
 * administer the project, and only then reads the project's roles as the app.
 */
export async function setupStatusFor(caller: { accountId: string | undefined }, projectId: string): Promise<SetupStatusView> {
  if (!caller.accountId) throw new ServiceError('NOT_PROJECT_ADMIN');
  const project = await projectAsUser(projectId);
  if (!project) throw new ServiceError('NOT_FOUND', { field: 'projectId' });
  const scope = { accountId: caller.accountId, projectId: project.id, projectKey: project.key };
  const [canAdminister, loaded, progress, global] = await Promise.all([
    userHasProjectPermission(project.id, 'ADMINISTER_PROJECTS'),
    loadProject(scope, Date.now()),
    getSetupProgress(project.id, project.key),
    loadGlobalSetup(),
  ]);
  const standingRoles = [...(loaded.actor.standingRoles as readonly StandingRole[])];
  if (!canAdminister && !standingRoles.includes('PROCESS_OWNER')) {
    throw new ServiceError('NOT_PROJECT_ADMIN', { field: 'projectId', messageKey: 'notAdminOrOwner' });
  }
  const [jiraRoles, rulesUpToDate] = await Promise.all([
    projectRoles(project.id),
    // Asked only where this project's workflow step is done, or failed on a re-run (an upgrade's update that Jira
    // refused): a project not set up yet is set up, not updated.
    progress.steps.some((s) => s.step === 'workflow' && (s.done || s.error !== undefined)) ? workflowRulesUpToDate(global) : Promise.resolve(null),
  ]);
  return {
    ...progress,
    workflowRulesUpToDate: rulesUpToDate,
    setup: loaded.setup ? { version: loaded.setup.version, roleIds: { ...loaded.setup.doc.roleIds }, policy: loaded.policy } : null,
    jiraRoles,
    actor: { standingRoles, canAdminister },
  };
}

async function adminProject(projectId: string): Promise<{ id: string; key: string }> {
  try {
    return await assertProjectAdmin(projectId);
  } catch (err) {
    if (err instanceof SetupRefused) throw new ServiceError(err.code === 'PROJECT_NOT_FOUND' ? 'NOT_FOUND' : 'NOT_PROJECT_ADMIN', { field: 'projectId' });
    throw err;
  }
}

/** Only a project admin may set a project up; asked of Jira as the user. */
export async function assertProjectAdmin(projectIdOrKey: string): Promise<{ id: string; key: string }> {
  const project = await projectAsUser(projectIdOrKey);
  if (!project) throw new SetupRefused('PROJECT_NOT_FOUND');
  if (!(await userHasProjectPermission(project.id, 'ADMINISTER_PROJECTS'))) throw new SetupRefused('NOT_PROJECT_ADMIN');
  return project;
}

/** The global part: project roles. Run by the install trigger and again by every project set-up. */
export async function ensureGlobalRoles(): Promise<GlobalSetup> {
  const global = await loadGlobalSetup();
  const roleIds = await ensureProjectRoles(
    STANDING_ROLES.map((r) => ROLE_SPECS[r]),
    global.roleIds,
  );
  const next: GlobalSetup = { ...global, roleIds: roleIds as Partial<Record<StandingRole, number>> };
  await saveGlobalSetup(next);
  return next;
}

function workflowTransitions(global: GlobalSetup, conditionKey: string, validatorKey: string, roleValidatorKey: string): WorkflowTransitionSpec[] {
  const initial: WorkflowTransitionSpec = {
    id: '1',
    name: 'Submit release request',
    description: 'A release request arrives from change management.',
    type: 'INITIAL',
    from: [],
    to: 'SUBMITTED',
    conditions: [],
    validators: [],
  };
  return [
    initial,
    ...TRANSITION_ACTIONS.map((action) => ({
      id: TRANSITION_IDS[action],
      name: TRANSITION_NAMES[action],
      description: `Release Governance: ${action}`,
      type: 'DIRECTED' as const,
      from: TRANSITIONS[action].from,
      to: TRANSITIONS[action].to,
      conditions: [
        { ruleKey: 'forge:expression-condition', parameters: { key: conditionKey, config: JSON.stringify(conditionConfig(action, global.roleIds)), disabled: 'false', tag: '' } },
      ],
      // The user-dependent part (project role, team slot) as a Jira-expression validator, which has `user`
      // whether or not Jira passes the principal to the function validator; the same expression and config
      // as the condition, so what Jira offers and what it lets through cannot differ. The function validator
      // then checks the gates, and that the facts the expression read equal the app's records.
      validators: [
        { ruleKey: 'forge:expression-validator', parameters: { key: roleValidatorKey, config: JSON.stringify(conditionConfig(action, global.roleIds)), disabled: 'false', tag: '' } },
        { ruleKey: 'forge:expression-validator', parameters: { key: validatorKey, config: JSON.stringify({ action }), disabled: 'false', tag: '' } },
      ],
    })),
  ];
}

export interface SetupProgress {
  projectId: string;
  projectKey: string;
  steps: { step: SetupStep; done: boolean; error?: string }[];
  complete: boolean;
  /** What the workflow step found this run: created, updated in place (an earlier version's rules), up to date. */
  workflow?: WorkflowOutcome['outcome'];
}

export function progressOf(setup: SetupProgressRecord): SetupProgress {
  return {
    projectId: setup.projectId,
    projectKey: setup.projectKey,
    steps: SETUP_STEPS.map((step) => ({ step, done: setup.steps[step]?.done ?? false, ...(setup.steps[step]?.error ? { error: setup.steps[step]?.error } : {}) })),
    complete: SETUP_STEPS.every((s) => setup.steps[s]?.done),
  };
}

export interface SetupOptions {
  now: () => number;
  actorAccountId: string;
  /** The app version that runs this set-up (an upgrade's `app.version`), for the audit of what it changed. */
  appVersion?: string | null;
  /** For tests of resumability: stop (throw) right after this step has been stored. */
  stopAfter?: SetupStep;
}

export async function getSetupProgress(projectId: string, projectKey: string): Promise<SetupProgress> {
  const setup = (await loadSetupProgress(projectId)) ?? { projectId, projectKey, steps: {} };
  return progressOf(setup);
}

/** Runs every step in order; each one checks Jira first, so re-running is always safe. */
export async function setUpProject(project: { id: string; key: string }, opts: SetupOptions): Promise<SetupProgress> {
  let setup: SetupProgressRecord = (await loadSetupProgress(project.id)) ?? { projectId: project.id, projectKey: project.key, steps: {} };
  let global = await loadGlobalSetup();
  const app = appIdentity();
  let workflowOutcome: WorkflowOutcome['outcome'] | undefined;

  const run = async (step: SetupStep, body: () => Promise<void>) => {
    try {
      await body();
      setup = { ...setup, steps: { ...setup.steps, [step]: { done: true, at: opts.now() } } };
      await saveSetupProgress(setup);
    } catch (err) {
      setup = { ...setup, steps: { ...setup.steps, [step]: { done: false, at: opts.now(), error: err instanceof Error ? err.message.slice(0, 2000) : String(err) } } };
      await saveSetupProgress(setup);
      throw err;
    }
    if (opts.stopAfter === step) throw new Error(`set-up stopped after ${step}`);
  };

  await run('roles', async () => {
    global = await ensureGlobalRoles();
  });
  await run('issueType', async () => {
    const id = await ensureIssueType(ISSUE_TYPE_NAME, 'A release request from change management, governed by Release Governance.', global.issueTypeId);
    global = { ...global, issueTypeId: id };
    await saveGlobalSetup(global);
  });
  await run('issueTypeScheme', async () => {
    await ensureIssueTypeInProjectScheme(project.id, required(global.issueTypeId, 'issue type'));
  });
  await run('statuses', async () => {
    const ids = await ensureStatuses(
      RELEASE_STATUSES.map((s) => ({ key: s, name: STATUS_SPECS[s].name, description: STATUS_SPECS[s].description, statusCategory: STATUS_SPECS[s].category })),
      global.statusIds,
    );
    global = { ...global, statusIds: ids as Partial<Record<ReleaseStatus, string>> };
    await saveGlobalSetup(global);
  });
  await run('workflow', async () => {
    // Jira's own engine must accept the rules' expression before a workflow depends on it: a condition Jira
    // cannot evaluate hides every transition from everyone.
    const rejected = await analyseExpressions([CONDITION_EXPRESSION, ROLE_VALIDATOR_EXPRESSION]);
    if (rejected.length > 0) {
      throw new ServiceError('JIRA_REJECTED_EXPRESSION', { detail: `Jira refused the workflow rules' expression: ${rejected.map((r) => r.message).join('; ')}` });
    }
    const wf = await ensureWorkflow(workflowSpecFor(global, app));
    workflowOutcome = wf.outcome;
    if (wf.outcome === 'updated') await auditWorkflowUpdate(project, wf, opts);
    global = { ...global, workflowId: wf.id, workflowName: wf.name };
    await saveGlobalSetup(global);
  });
  await run('workflowScheme', async () => {
    const id = await ensureWorkflowScheme(project.id, project.key, required(global.issueTypeId, 'issue type'), {
      id: required(global.workflowId, 'workflow'),
      name: required(global.workflowName, 'workflow'),
    });
    setup = { ...setup, workflowSchemeId: id };
  });
  await recordIdsInProjectSetup(project, global, opts.actorAccountId, opts.now());
  setup = { ...setup, completedAt: setup.completedAt ?? opts.now() };
  await saveSetupProgress(setup);
  return { ...progressOf(setup), ...(workflowOutcome ? { workflow: workflowOutcome } : {}) };
}

/**
 * The site's workflow is shared by every project set up on it; its update is audited on the project whose
 * set-up run made it (with the app version and Jira's workflow version after it).
 */
async function auditWorkflowUpdate(project: { id: string }, wf: WorkflowOutcome, opts: SetupOptions): Promise<void> {
  const changes = new Changes();
  changes.audit({
    projectId: project.id,
    subjectType: 'PROJECT',
    subjectId: project.id,
    action: 'setupWorkflowUpdated',
    actorAccountId: opts.actorAccountId,
    at: opts.now(),
    before: {},
    after: {
      transitionsUpdated: wf.transitionsUpdated ?? 0,
      ...(wf.versionNumber === undefined ? {} : { workflowVersion: wf.versionNumber }),
      ...(opts.appVersion ? { appVersion: opts.appVersion } : {}),
    },
  });
  await changes.commit();
}

/**
 * The workflow as the current version of set-up creates it, for this environment: one generator for a fresh
 * set-up, the in-place update of an earlier version's workflow and the admin page's "out of date" check.
 */
export function workflowSpecFor(global: GlobalSetup, app: ReturnType<typeof appIdentity>): OwnedWorkflowSpec {
  const statusIds = Object.fromEntries(RELEASE_STATUSES.map((s) => [s, required(global.statusIds[s], `status ${s}`)])) as Record<ReleaseStatus, string>;
  return {
    name: workflowNameFor(app.environmentType, app.environmentId),
    environmentId: app.environmentId,
    extensionPrefix: extensionAri(app.appAri, app.environmentAri, ''),
    description: 'The release lifecycle of Release Governance: each transition gated by role and by its release gate.',
    statusIds,
    statusNames: Object.fromEntries(RELEASE_STATUSES.map((s) => [s, STATUS_SPECS[s].name])),
    statusCategories: Object.fromEntries(RELEASE_STATUSES.map((s) => [s, STATUS_SPECS[s].category])),
    statusDescriptions: Object.fromEntries(RELEASE_STATUSES.map((s) => [s, STATUS_SPECS[s].description])),
    transitions: workflowTransitions(
      global,
      extensionAri(app.appAri, app.environmentAri, CONDITION_MODULE_KEY),
      extensionAri(app.appAri, app.environmentAri, VALIDATOR_MODULE_KEY),
      extensionAri(app.appAri, app.environmentAri, ROLE_VALIDATOR_MODULE_KEY),
    ),
  };
}

/**
 * Whether this environment's workflow in Jira still holds the rules the current version creates (false: an
 * earlier version set it up, or someone edited our rules; re-running set-up updates it). Null before set-up
 * made the workflow, or when Jira could not be asked (the page then says nothing rather than guess).
 */
export async function workflowRulesUpToDate(global: GlobalSetup): Promise<boolean | null> {
  if (!global.workflowId || RELEASE_STATUSES.some((s) => !global.statusIds[s])) return null;
  try {
    const drift = await workflowDrift(global.workflowId, workflowSpecFor(global, appIdentity()));
    return drift ? drift.upToDate : false;
  } catch {
    return null;
  }
}

/**
 * Stores every id in the project's setup record, which the services read (role ids for membership, status
 * ids for the workflow). A role the process owner has mapped to another Jira role keeps that mapping.
 */
async function recordIdsInProjectSetup(project: { id: string; key: string }, global: GlobalSetup, actorAccountId: string, now: number): Promise<void> {
  const row = await getRow(setupRef(project.id));
  const before = row?.doc;
  const roleIds: Partial<Record<StandingRole, string>> = {};
  for (const role of STANDING_ROLES) {
    const mapped = before?.roleIds[role];
    const created = global.roleIds[role];
    const id = mapped ?? (created === undefined ? undefined : String(created));
    if (id !== undefined) roleIds[role] = id;
  }
  const next = {
    projectId: project.id,
    projectKey: project.key,
    roleIds,
    statusIds: { ...global.statusIds },
    ...(global.issueTypeId ? { issueTypeId: global.issueTypeId } : {}),
    policy: before?.policy ?? {},
    updatedAt: now,
    updatedBy: actorAccountId,
  };
  const ids = (x: { projectKey?: string | undefined; roleIds: object; statusIds: object; issueTypeId?: string | undefined }) =>
    stableJson({ projectKey: x.projectKey ?? null, roleIds: x.roleIds, statusIds: x.statusIds, issueTypeId: x.issueTypeId ?? null });
  if (before && ids(before) === ids(next)) return;
  const changes = new Changes();
  putSetup(changes, next, row?.version ?? null);
  changes.audit({
    projectId: project.id,
    subjectType: 'PROJECT',
    subjectId: project.id,
    action: 'setupProject',
    actorAccountId,
    at: now,
    before: before ? { roleIds: before.roleIds, statusIds: before.statusIds, issueTypeId: before.issueTypeId ?? null } : {},
    after: { roleIds: next.roleIds, statusIds: next.statusIds, issueTypeId: next.issueTypeId ?? null },
  });
  await changes.commit();
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function required<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`set-up has no ${what} yet`);
  return v;
}
