/** Project-level use cases: raising a release request, policy, role mapping, improvement actions. */
import type { AuditAction } from '../domain/audit';
import { RESOLVER_KEYS as K, type PayloadOf } from '../contracts';
import { decide } from '../domain/decide';
import type { ImprovementAction } from '../domain/improvement';
import { applyImprovementAction, emptyKpiMonth, improvementActionFact } from '../domain/kpi';
import { improvementCompletionReasons, type TimeReasonCode } from '../domain/recordedTime';
import { newRelease, type Release } from '../domain/release';
import { createReleaseRequestIssue, browseIssue, canAdministerProject } from '../jira/issues';
import { linkToChangeRequest } from '../jira/links';
import { getRow, improvementRef, kpiMonthRow, putImprovement, putKpiMonth, putRelease, putSetup, releaseRef, type ProjectSetup, type StoredReleaseDoc } from '../storage/records';
import { ROLE_CACHE_PREFIX } from '../storage/entities';
import { Changes, newId, type Row } from '../storage/store';
import { badInput, refused, ServiceError } from './errors';
import { loadProject, type LoadedProject } from './load';
import { mirrorToJira } from './jira-mirror';
import { commit, now } from './run';
import { resolveProjectScope, type Caller } from './scope';

const DAY = 86_400_000;

async function projectFor(caller: Caller, projectId: string, action: 'submitRelease' | 'editPolicy' | 'manageImprovementActions' | 'proposeImprovementAction'): Promise<LoadedProject & { t: number }> {
  const scope = await resolveProjectScope(caller, projectId);
  const t = now();
  const p = await loadProject(scope, t);
  const d = decide(p.actor, null, action, t, p.policy);
  if (!d.allowed) throw refused(d.reasons);
  return { ...p, t };
}

function emptySetup(projectId: string, t: number): ProjectSetup {
  return { projectId, roleIds: {}, statusIds: {}, policy: {}, updatedAt: t };
}

/** Raises a Release Request issue (as the user) linked to a change request, and its release record. */
export async function submitRelease(caller: Caller, p: PayloadOf<typeof K.submitRelease>): Promise<Release> {
  const ctx = await projectFor(caller, p.projectId, 'submitRelease');
  const issueTypeId = ctx.setup?.doc.issueTypeId;
  if (!issueTypeId) throw new ServiceError('NOT_SET_UP');
  const change = await browseIssue(p.linkedChangeKey);
  if (!change) throw badInput('linkedChangeKey', 'changeNotFound');
  const issue = await createReleaseRequestIssue({ projectId: ctx.scope.projectId, issueTypeId, summary: p.summary, description: p.description });
  const release = newRelease({
    id: issue.id,
    issueKey: issue.key,
    projectId: ctx.scope.projectId,
    requesterAccountId: ctx.scope.accountId,
    now: ctx.t,
    linkedChangeKey: change.key,
    classification: p.classification ?? null,
  });
  const after = { issueKey: issue.key, linkedChangeKey: change.key, classification: release.classification };
  let saved: Release;
  try {
    saved = await createRecord(ctx, release, null, after);
  } catch (err) {
    // Jira's issue-created event may have made the record first (without what the request said): complete it.
    if (!(err instanceof ServiceError && err.code === 'CONFLICT')) throw err;
    const row = await getRow(releaseRef(release.id));
    if (!row) throw err;
    const merged: Release = { ...row.doc.release, requesterAccountId: ctx.scope.accountId, linkedChangeKey: change.key, classification: release.classification ?? row.doc.release.classification };
    saved = await createRecord(ctx, merged, { version: row.version, dslItems: row.doc.dslItems }, after);
  }
  // Jira's copy of the release's facts from the start: the role validator reads it (requester, for
  // segregation of duties) and the function validator refuses while it is missing.
  await mirrorToJira({ release: saved, team: null, fallbackPlan: null, trainingTasks: [], dslItems: [] }, ctx.setup?.doc ?? null, null);
  // The request points back at its change request in Jira. The record holds the link already, so a refused
  // or failed Jira link leaves nothing inconsistent.
  try {
    await linkToChangeRequest(issue.key, change.key);
  } catch (err) {
    console.warn('could not link the release request to its change', issue.key, change.key, err instanceof Error ? err.message : String(err));
  }
  return saved;
}

async function createRecord(
  ctx: LoadedProject & { t: number },
  release: Release,
  existing: { version: number; dslItems: StoredReleaseDoc['dslItems'] } | null,
  after: Record<string, unknown>,
): Promise<Release> {
  const changes = new Changes();
  const stored = putRelease(changes, { release, dslItems: existing?.dslItems ?? [] }, existing?.version ?? null, ctx.t);
  changes.audit({ projectId: ctx.scope.projectId, subjectType: 'RELEASE', subjectId: release.id, action: 'submitRelease', actorAccountId: ctx.scope.accountId, at: ctx.t, before: {}, after });
  await commit(changes);
  return stored.release;
}

function auditProject(changes: Changes, ctx: LoadedProject, t: number, action: AuditAction, before: Record<string, unknown>, after: Record<string, unknown>): void {
  changes.audit({ projectId: ctx.scope.projectId, subjectType: 'PROJECT', subjectId: ctx.scope.projectId, action, actorAccountId: ctx.scope.accountId, at: t, before, after });
}

function checkVersion(row: Row<unknown> | null, expected: number): void {
  if ((row?.version ?? 0) !== expected) throw new ServiceError('CONFLICT');
}

export async function savePolicy(caller: Caller, p: PayloadOf<typeof K.savePolicy>): Promise<ProjectSetup> {
  const ctx = await projectFor(caller, p.projectId, 'editPolicy');
  checkVersion(ctx.setup, p.expectedVersion);
  const base = ctx.setup?.doc ?? emptySetup(ctx.scope.projectId, ctx.t);
  const policy = { ...base.policy, ...p.policy, ...(p.policy.gates ? { gates: { ...(base.policy.gates ?? {}), ...p.policy.gates } } : {}) };
  const next: ProjectSetup = { ...base, policy, updatedAt: ctx.t, updatedBy: ctx.scope.accountId };
  const changes = new Changes();
  putSetup(changes, next, ctx.setup?.version ?? null);
  auditProject(changes, ctx, ctx.t, 'editPolicy', { policy: base.policy }, { policy });
  await commit(changes);
  return next;
}

/**
 * Maps standing roles onto Jira project roles. The process owner may remap; before any process owner is
 * mapped, a Jira project administrator bootstraps it (one more asUser request to Jira).
 */
export async function saveRoleMapping(caller: Caller, p: PayloadOf<typeof K.saveRoleMapping>): Promise<ProjectSetup> {
  const scope = await resolveProjectScope(caller, p.projectId);
  const t = now();
  const ctx = await loadProject(scope, t);
  const d = decide(ctx.actor, null, 'mapRoles', t, ctx.policy);
  if (!d.allowed) {
    const bootstrap = !ctx.setup?.doc.roleIds.PROCESS_OWNER && (await canAdministerProject(scope.projectId));
    if (!bootstrap) throw refused(d.reasons);
  }
  checkVersion(ctx.setup, p.expectedVersion);
  const base = ctx.setup?.doc ?? emptySetup(scope.projectId, t);
  const next: ProjectSetup = { ...base, roleIds: { ...p.roles }, updatedAt: t, updatedBy: scope.accountId };
  const changes = new Changes();
  putSetup(changes, next, ctx.setup?.version ?? null);
  // Membership is read again on the next call, under the new mapping.
  changes.dropPlain(`${ROLE_CACHE_PREFIX}${scope.projectId}`);
  auditProject(changes, ctx, t, 'mapRoles', { roleIds: base.roleIds }, { roleIds: next.roleIds });
  await commit(changes);
  return next;
}

function improvementAudit(changes: Changes, ctx: LoadedProject, t: number, action: AuditAction, before: ImprovementAction | null, after: ImprovementAction | null): void {
  const subject = (after ?? before) as ImprovementAction;
  changes.audit({
    projectId: ctx.scope.projectId,
    subjectType: 'PROJECT',
    subjectId: ctx.scope.projectId,
    action,
    actorAccountId: ctx.scope.accountId,
    at: t,
    before: before ? { id: before.id, title: before.title, owner: before.ownerAccountId, dueAt: before.dueAt, completedAt: before.completedAt } : {},
    after: after ? { id: after.id, title: after.title, owner: after.ownerAccountId, dueAt: after.dueAt, completedAt: after.completedAt } : { id: subject.id, deleted: true },
  });
}

async function existingAction(projectId: string, id: string, expectedVersion: number): Promise<Row<ImprovementAction>> {
  const row = await getRow(improvementRef(id));
  if (!row || row.doc.projectId !== projectId) throw new ServiceError('NOT_FOUND', { field: 'actionId' });
  if (row.version !== expectedVersion) throw new ServiceError('CONFLICT');
  return row;
}

export async function manageImprovementAction(caller: Caller, p: PayloadOf<typeof K.manageImprovementActions>): Promise<ImprovementAction | null> {
  const ctx = await projectFor(caller, p.projectId, 'manageImprovementActions');
  const t = ctx.t;
  const changes = new Changes();
  let result: ImprovementAction | null;
  if (p.op === 'CREATE') {
    result = {
      id: newId(),
      projectId: ctx.scope.projectId,
      title: p.title,
      ...(p.description ? { description: p.description } : {}),
      ownerAccountId: p.ownerAccountId,
      dueAt: p.dueAt,
      completedAt: null,
      createdAt: t,
      createdBy: ctx.scope.accountId,
      ...(p.sourceReleaseId ? { sourceReleaseId: p.sourceReleaseId } : {}),
    };
    putImprovement(changes, result, null);
    improvementAudit(changes, ctx, t, 'improvement.create', null, result);
  } else {
    const row = await existingAction(ctx.scope.projectId, p.actionId, p.expectedVersion);
    if (p.op === 'COMPLETE') {
      // Numbers that cannot lie: completed after it was created, and not in the future.
      const reasons = improvementCompletionReasons(p.completedAt, row.doc.createdAt, t);
      if (reasons.length > 0) throw new ServiceError(reasons[0] as TimeReasonCode, { reasons, field: 'completedAt' });
    }
    if (p.op === 'DELETE') {
      changes.remove('improvement-action', row.key, row.version);
      improvementAudit(changes, ctx, t, 'improvement.delete', row.doc, null);
      result = null;
    } else {
      result =
        p.op === 'COMPLETE'
          ? { ...row.doc, completedAt: p.completedAt }
          : {
              ...row.doc,
              ...(p.title ? { title: p.title } : {}),
              ...(p.description !== undefined ? { description: p.description } : {}),
              ...(p.ownerAccountId ? { ownerAccountId: p.ownerAccountId } : {}),
              ...(p.dueAt !== undefined ? { dueAt: p.dueAt } : {}),
            };
      putImprovement(changes, result, row.version);
      improvementAudit(changes, ctx, t, p.op === 'COMPLETE' ? 'improvement.complete' : 'improvement.update', row.doc, result);
      if (p.op === 'COMPLETE') await countImprovement(changes, result, t);
    }
  }
  await commit(changes);
  return result;
}

/**
 * A completed action's timeliness is settled: it counts in the month it was due (process-optimisation
 * timeliness), in the same transaction as the completion. Already counted (e.g. late, by the daily job):
 * nothing changes.
 */
async function countImprovement(changes: Changes, action: ImprovementAction, t: number): Promise<void> {
  const fact = improvementActionFact(action, t);
  if (!fact) return;
  const row = await kpiMonthRow(fact.projectId, fact.month);
  const before = row?.doc ?? emptyKpiMonth(fact.projectId, fact.month);
  const after = applyImprovementAction(before, fact);
  if (after !== before) putKpiMonth(changes, after, row?.version ?? null);
}

/** The release manager (or process owner) proposes; the process owner later sets owner and due date. */
export async function proposeImprovementAction(caller: Caller, p: PayloadOf<typeof K.proposeImprovementAction>): Promise<ImprovementAction> {
  const ctx = await projectFor(caller, p.projectId, 'proposeImprovementAction');
  const action: ImprovementAction = {
    id: newId(),
    projectId: ctx.scope.projectId,
    title: p.title,
    ...(p.description ? { description: p.description } : {}),
    ownerAccountId: ctx.scope.accountId,
    dueAt: ctx.t + 30 * DAY,
    completedAt: null,
    createdAt: ctx.t,
    createdBy: ctx.scope.accountId,
    ...(p.sourceReleaseId ? { sourceReleaseId: p.sourceReleaseId } : {}),
  };
  const changes = new Changes();
  putImprovement(changes, action, null);
  improvementAudit(changes, ctx, ctx.t, 'improvement.propose', null, action);
  await commit(changes);
  return action;
}
