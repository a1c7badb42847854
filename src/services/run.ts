/**
 * The shape every release use case follows: establish the scope (one asUser Jira request), load the release,
 * ask the domain, build the new records, and persist them with their audit event in one transaction in which
 * the release row's version is the lock for the whole release (team, fallback plan, training included).
 */
import type { Action } from '../domain/actions';
import { isAuditAction, releaseAuditDiff, type AuditAction } from '../domain/audit';
import type { ReleaseContext } from '../domain/context';
import { decide, type DecideExtras } from '../domain/decide';
import { freezesInForce } from '../domain/freeze';
import type { FallbackPlan } from '../domain/fallback';
import type { ParticipantEvaluation } from '../domain/improvement';
import type { KpiMonthAggregate } from '../domain/kpi';
import type { Release } from '../domain/release';
import type { Team } from '../domain/team';
import type { TrainingTask } from '../domain/training';
import {
  putEvaluation,
  putFallback,
  putKpiMonth,
  putMembershipChanges,
  putRelease,
  putTeam,
  putTraining,
  type AuditEvent,
  type StoredReleaseDoc,
} from '../storage/records';
import { ENTITY } from '../storage/entities';
import { Changes } from '../storage/store';
import { ServiceError, refused } from './errors';
import { isTransitionAction, type TransitionEffect } from '../domain/lifecycle';
import { applyReleaseEffects, effectsOfChange, requestEffects, scheduleRetry, type EffectsOutcome } from '../effects';
import { commit, now } from './commit';
import { contextOf, loadRelease, type LoadedRelease } from './load';
import { resolveIssueScope, type Caller } from './scope';

export interface CommandResult {
  /** The release as a caller sees it: the records after the change. */
  release: Release;
  team: Team | null;
  fallbackPlan: FallbackPlan | null;
  trainingTasks: TrainingTask[];
  event: AuditEvent;
  /** Whether Jira (issue property, workflow status, close effects) followed the change yet; what it owes is retried. */
  jira: JiraSyncResult;
}

export type JiraSyncResult = Omit<EffectsOutcome, 'applied'>;

/** Right after the commit the user is waiting: quick retries only; the outbox keeps what is left for later. */
export const AFTER_COMMIT_RETRY = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 1_000, reserveMs: 3_000 } as const;

export interface Built {
  release: Release;
  /** Set when the team changed (approve forms it, close dissolves it, team changes). */
  team?: Team | null;
  fallbackPlan?: FallbackPlan | null;
  training?: TrainingTask[];
  /** Training task ids to delete. */
  removeTraining?: string[];
  evaluation?: ParticipantEvaluation;
  kpi?: { agg: KpiMonthAggregate; expectedVersion: number | null };
  /** Extra before/after details beyond the release fields that changed. */
  audit?: { before: Record<string, unknown>; after: Record<string, unknown> };
  /** What the transition sets off (CMDB task, DSL environments), for the effects outbox. */
  effects?: readonly TransitionEffect[];
}

export interface CommandSpec {
  action: Action;
  /** Audit action name, when it differs from `action` (e.g. `training.create`). */
  auditAction?: AuditAction;
  /** The release named by the payload (checked against the module's issue or project). */
  releaseId?: string | undefined;
  /** The version the user saw; a different stored version is a CONFLICT. */
  expectedVersion?: number | undefined;
  /** The action's input for `decide`; may ask Jira (e.g. whether a target account may browse the project). */
  extras?: (b: LoadedRelease) => DecideExtras | Promise<DecideExtras>;
  build: (b: LoadedRelease, ctx: ReleaseContext, now: number) => Built | Promise<Built>;
}

export { commit, now };

export async function runReleaseCommand(caller: Caller, spec: CommandSpec): Promise<CommandResult> {
  const scope = await resolveIssueScope(caller, spec.releaseId);
  const t = now();
  const b = await loadRelease(scope, scope.issue.id, t);
  const ctx = contextOf(b);
  if (!ctx || !b.release) throw new ServiceError('NOT_FOUND', { field: 'releaseId' });
  const extras = spec.extras ? await spec.extras(b) : {};
  const decision = decide(b.actor, ctx, spec.action, t, b.policy, extras);
  if (!decision.allowed) {
    const err = refused(decision.reasons);
    if (!decision.reasons.includes('GATE_HARD_FREEZE')) throw err;
    // Name the freeze: the person refused should know which one and until when.
    const hard = freezesInForce(b.policy.freezes, b.policy.timeZone, t, ctx.release.classification).find((o) => o.severity === 'HARD');
    throw hard ? new ServiceError(err.code, { ...err.options, freeze: { reason: hard.reason, until: hard.end, timeZone: b.policy.timeZone } }) : err;
  }
  if (spec.expectedVersion !== undefined && spec.expectedVersion !== b.release.version) throw new ServiceError('CONFLICT');

  const built = await spec.build(b, ctx, t);
  const changes = new Changes();
  const doc: StoredReleaseDoc = { ...b.release.doc, release: built.release };
  const stored = putRelease(changes, doc, b.release.version, t);

  let team = ctx.team;
  if (built.team !== undefined && built.team !== null) {
    putTeam(changes, scope.projectId, built.team, b.team?.version ?? null);
    putMembershipChanges(changes, scope.projectId, ctx.team, built.team);
    team = built.team;
  }
  let fallbackPlan = ctx.fallbackPlan;
  if (built.fallbackPlan !== undefined && built.fallbackPlan !== null) {
    putFallback(changes, scope.projectId, built.fallbackPlan, b.fallback?.version ?? null, t);
    fallbackPlan = built.fallbackPlan;
  }
  const training = new Map(b.training.map((r) => [r.doc.id, r]));
  const trainingTasks = new Map(b.training.map((r) => [r.doc.id, r.doc]));
  for (const task of built.training ?? []) {
    putTraining(changes, scope.projectId, task, training.get(task.id)?.version ?? null);
    trainingTasks.set(task.id, task);
  }
  for (const id of built.removeTraining ?? []) {
    const row = training.get(id);
    if (row) changes.remove(ENTITY.training, id, row.version);
    trainingTasks.delete(id);
  }
  if (built.evaluation) putEvaluation(changes, scope.projectId, built.evaluation);
  if (built.kpi) putKpiMonth(changes, built.kpi.agg, built.kpi.expectedVersion);

  const diff = releaseAuditDiff(ctx.release, built.release);
  const auditAction = spec.auditAction ?? spec.action;
  if (!isAuditAction(auditAction)) throw new Error(`'${auditAction}' has no audit action in AUDIT_ACTIONS`);
  const event = changes.audit({
    projectId: scope.projectId,
    subjectType: 'RELEASE',
    subjectId: b.releaseId,
    action: auditAction,
    actorAccountId: scope.accountId,
    at: t,
    before: { ...diff.before, ...(built.audit?.before ?? {}) },
    after: { ...diff.after, ...(built.audit?.after ?? {}) },
  });
  // The change's Jira effects commit with it, as pending (src/effects/): applied right below, and, if that
  // fails or this function dies, by the retries later.
  const request = requestEffects(changes, b.effectRequest, {
    releaseId: b.releaseId,
    projectId: scope.projectId,
    releaseVersion: stored.release.version,
    kinds: effectsOfChange({ transition: isTransitionAction(spec.action), effects: built.effects ?? [] }),
    actorAccountId: scope.accountId,
    at: t,
  });
  await commit(changes);
  const sortedTraining = [...trainingTasks.values()].sort((x, y) => x.dueAt - y.dueAt);
  const ctxAfter = { release: stored.release, team, fallbackPlan, trainingTasks: sortedTraining, dslItems: doc.dslItems };
  const outcome = await applyReleaseEffects(b.releaseId, scope.projectId, {
    now: t,
    asUserAccountId: scope.accountId,
    retry: AFTER_COMMIT_RETRY,
    snapshot: { ctx: ctxAfter, setup: b.setup?.doc ?? null, request: { key: b.releaseId, version: (b.effectRequest?.version ?? 0) + 1, doc: request }, state: b.effectState },
  });
  if (outcome.status === 'pending') await scheduleRetry({ releaseId: b.releaseId, projectId: scope.projectId, notBefore: outcome.nextAttemptAt ?? t });
  const { applied: _applied, ...jira } = outcome;
  return { release: stored.release, team, fallbackPlan, trainingTasks: sortedTraining, event, jira };
}
