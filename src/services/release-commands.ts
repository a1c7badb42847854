/** The release use cases of SPEC §3: transitions and every role-gated record, one function each. */
import { RESOLVER_KEYS as K, type PayloadOf } from '../contracts';
import type { Action } from '../domain/actions';
import { emptyFallbackPlan, recordFallbackResult, type FallbackPlan } from '../domain/fallback';
import type { ParticipantEvaluation } from '../domain/improvement';
import { applyClosedRelease, emptyKpiMonth, monthOf, releaseKpiFacts } from '../domain/kpi';
import { applyTransition, type TransitionAction } from '../domain/lifecycle';
import { releaseTimeReasons, type RecordedTime, type TimeReasonCode } from '../domain/recordedTime';
import type { Release } from '../domain/release';
import type { StandingRole } from '../domain/roles';
import { addTeamMember, removeTeamMember, setTeamLead, type Team } from '../domain/team';
import type { TrainingTask } from '../domain/training';
import { dslSummariesAtClose } from '../domain/dsl';
import { kpiMonthRow } from '../storage/records';
import { newId } from '../storage/store';
import { badInput, refused, ServiceError } from './errors';
import type { LoadedRelease } from './load';
import { standingRolesOf } from './roles';
import { runReleaseCommand, type Built, type CommandResult, type CommandSpec } from './run';
import type { Caller } from './scope';
import { assertRestorableDslItem } from './dsl-commands';
import { updateDslEnvironmentVersionsAfterClose } from './dsl-environments';

/** Bounds that keep a release's records far below Forge's 240 KiB value limit. */
export const RECORD_LIMITS = { opinions: 50, progressReports: 100, trainingTasks: 20, teamMembers: 30, rehearsals: 20, feedback: 50 } as const;

type TransitionKey =
  | typeof K.approve
  | typeof K.reject
  | typeof K.startBuild
  | typeof K.markReady
  | typeof K.startImplementation
  | typeof K.markDeployed
  | typeof K.invokeFallback
  | typeof K.completeFallback
  | typeof K.verifyAndClose
  | typeof K.cancel;

const targetRoles = (b: LoadedRelease, accountId: string): StandingRole[] => standingRolesOf(b.roles, accountId);

function limit(n: number, max: number, field: string): void {
  if (n > max) throw badInput(field, 'tooMany');
}

const on = (p: { releaseId: string; expectedVersion?: number }) => ({ releaseId: p.releaseId, expectedVersion: p.expectedVersion });

// ------------------------------------------------------------------ transitions

export async function transitionRelease(caller: Caller, action: TransitionAction, payload: PayloadOf<TransitionKey>): Promise<CommandResult> {
  const reason = 'reason' in payload ? payload.reason : undefined;
  const res = await runReleaseCommand(caller, {
    action,
    ...on(payload),
    extras: () => (reason !== undefined ? { reason } : {}),
    build: async (b, ctx, now) => {
      const r = applyTransition(
        { release: ctx.release, team: ctx.team, fallbackPlan: ctx.fallbackPlan },
        action,
        { actorAccountId: b.scope.accountId, ...(reason !== undefined ? { reason } : {}) },
        now,
      );
      if (!r.ok) throw refused(r.reasons);
      const built: Built = { release: r.release, team: r.team, fallbackPlan: r.fallbackPlan };
      let dslItems = [...ctx.dslItems];
      if (r.effects.includes('UPDATE_DSL_ENVIRONMENT_VERSIONS') && b.release) {
        // The release's item summaries record the production update in the closing transaction (run.ts writes b.release.doc).
        dslItems = dslSummariesAtClose(ctx.dslItems, now);
        b.release.doc = { ...b.release.doc, dslItems };
      }
      if (r.effects.includes('RECORD_KPI_FACTS')) {
        // The month's KPI aggregate changes in the same transaction as the closing transition.
        const facts = releaseKpiFacts({ ...ctx, dslItems, release: r.release, team: r.team, fallbackPlan: r.fallbackPlan }, b.policy);
        if (facts) {
          const row = await kpiMonthRow(facts.projectId, facts.month);
          const agg = applyClosedRelease(row?.doc ?? emptyKpiMonth(facts.projectId, monthOf(facts.closedAt)), facts);
          built.kpi = { agg, expectedVersion: row?.version ?? null };
        }
      }
      // CMDB task and DSL environment versions are Jira/DSL work of later issues; the audit keeps them visible.
      const pending = r.effects.filter((e) => e !== 'RECORD_KPI_FACTS');
      if (pending.length > 0) built.audit = { before: {}, after: { pendingEffects: pending } };
      return built;
    },
  });
  // UPDATE_DSL_ENVIRONMENT_VERSIONS: the environment rows follow the committed close (flagged if they cannot).
  if (action === 'verifyAndClose') await updateDslEnvironmentVersionsAfterClose(res.release.projectId, res.release.id, res.event.actorAccountId, res.event.at);
  return res;
}

// ------------------------------------------------------------------ simple field edits

function edit(
  caller: Caller,
  action: Action,
  p: { releaseId: string; expectedVersion?: number },
  change: (r: Release, now: number, b: LoadedRelease) => Partial<Release>,
  extras?: CommandSpec['extras'],
): Promise<CommandResult> {
  return runReleaseCommand(caller, {
    action,
    ...on(p),
    ...(extras ? { extras } : {}),
    build: (b, ctx, now) => ({ release: { ...ctx.release, ...change(ctx.release, now, b) } }),
  });
}

export const classifyRelease = (caller: Caller, p: PayloadOf<typeof K.classify>) => edit(caller, 'classify', p, () => ({ classification: p.classification }));

export const setReleaseWindow = (caller: Caller, p: PayloadOf<typeof K.setWindow>) =>
  edit(caller, 'setWindow', p, () => ({ windowStart: p.windowStart, windowEnd: p.windowEnd }));

export const assessRisk = (caller: Caller, p: PayloadOf<typeof K.assessRisk>) =>
  edit(caller, 'assessRisk', p, () => ({ riskLevel: p.riskLevel, riskAnalysis: p.riskAnalysis.trim() || null }));

export const recordEmergencyOverride = (caller: Caller, p: PayloadOf<typeof K.recordEmergencyOverride>) =>
  edit(caller, 'recordEmergencyOverride', p, (_r, now, b) => ({ emergencyOverride: { recordedBy: b.scope.accountId, recordedAt: now, reason: p.reason } }), () => ({
    reason: p.reason,
  }));

/** The release manager lets this release start implementation inside a hard freeze (never for a release they requested). */
export const recordFreezeException = (caller: Caller, p: PayloadOf<typeof K.recordFreezeException>) =>
  edit(caller, 'recordFreezeException', p, (_r, now, b) => ({ freezeException: { recordedBy: b.scope.accountId, recordedAt: now, reason: p.reason } }), () => ({
    reason: p.reason,
  }));

export function assignLead(caller: Caller, p: PayloadOf<typeof K.assignLead>): Promise<CommandResult> {
  return runReleaseCommand(caller, {
    action: 'assignLead',
    ...on(p),
    extras: (b) => ({ targetAccountId: p.leadAccountId, targetStandingRoles: targetRoles(b, p.leadAccountId) }),
    build: (_b, ctx, now) => ({
      release: { ...ctx.release, leadAccountId: p.leadAccountId },
      // Once the team exists, its LEAD follows the assignment.
      ...(ctx.team && ctx.team.dissolvedAt === null ? { team: setTeamLead(ctx.team, p.leadAccountId, now) } : {}),
    }),
  });
}

// ------------------------------------------------------------------ team and evaluation

function checkedTeam(team: Team | null): Team {
  if (!team) throw new ServiceError('NOT_FOUND', { field: 'releaseId' });
  return team;
}

export function changeTeam(caller: Caller, p: PayloadOf<typeof K.changeTeam>): Promise<CommandResult> {
  return runReleaseCommand(caller, {
    action: 'changeTeam',
    ...on(p),
    extras: (b) => ({ teamChange: p.op, teamRole: p.teamRole, targetAccountId: p.accountId, targetStandingRoles: targetRoles(b, p.accountId) }),
    build: (_b, ctx, now) => {
      const team = checkedTeam(ctx.team);
      const next = p.op === 'ADD' ? addTeamMember(team, p.accountId, p.teamRole, now) : removeTeamMember(team, p.accountId, p.teamRole, now);
      limit(next.members.length, RECORD_LIMITS.teamMembers, 'accountId');
      return { release: ctx.release, team: next, audit: { before: {}, after: { [p.op === 'ADD' ? 'memberAdded' : 'memberRemoved']: { accountId: p.accountId, teamRole: p.teamRole } } } };
    },
  });
}

export function addImplementer(caller: Caller, p: PayloadOf<typeof K.addImplementer>): Promise<CommandResult> {
  return runReleaseCommand(caller, {
    action: 'addImplementer',
    ...on(p),
    extras: (b) => ({ targetAccountId: p.accountId, targetStandingRoles: targetRoles(b, p.accountId) }),
    build: (_b, ctx, now) => {
      const next = addTeamMember(checkedTeam(ctx.team), p.accountId, 'IMPLEMENTER', now);
      limit(next.members.length, RECORD_LIMITS.teamMembers, 'accountId');
      return { release: ctx.release, team: next, audit: { before: {}, after: { memberAdded: { accountId: p.accountId, teamRole: 'IMPLEMENTER' } } } };
    },
  });
}

export function evaluateParticipant(caller: Caller, p: PayloadOf<typeof K.evaluateParticipant>): Promise<CommandResult> {
  return runReleaseCommand(caller, {
    action: 'evaluateParticipant',
    releaseId: p.releaseId,
    extras: () => ({ targetAccountId: p.accountId }),
    build: (b, ctx, now) => {
      const evaluation: ParticipantEvaluation = {
        id: newId(),
        releaseId: ctx.release.id,
        accountId: p.accountId,
        role: p.role,
        rating: p.rating,
        note: p.note,
        evaluatedBy: b.scope.accountId,
        evaluatedAt: now,
      };
      // The trail names who was evaluated, not the rating: only the manager and the person may read that.
      return { release: ctx.release, evaluation, audit: { before: {}, after: { evaluated: p.accountId, evaluationId: evaluation.id } } };
    },
  });
}

// ------------------------------------------------------------------ plan, fallback plan, opinions

export const editPlan = (caller: Caller, p: PayloadOf<typeof K.editPlan>) =>
  edit(caller, 'editPlan', p, () => ({ plan: { scope: p.scope, schedule: p.schedule, plannedEffortHours: p.plannedEffortHours } }));

export function editFallbackPlan(caller: Caller, p: PayloadOf<typeof K.editFallbackPlan>): Promise<CommandResult> {
  return runReleaseCommand(caller, {
    action: 'editFallbackPlan',
    ...on(p),
    build: async (_b, ctx) => {
      const base = ctx.fallbackPlan ?? emptyFallbackPlan(ctx.release.id);
      // "Restore to" points at an item in the library (SPEC §4 fallback plan).
      if (p.restoreDslItemId && p.restoreDslItemId !== base.restoreDslItemId) await assertRestorableDslItem(ctx.release.projectId, p.restoreDslItemId);
      const plan: FallbackPlan = { ...base, triggerCriteria: p.triggerCriteria, steps: p.steps, restoreDslItemId: p.restoreDslItemId, dataBackupRef: p.dataBackupRef };
      return {
        release: ctx.release,
        fallbackPlan: plan,
        audit: { before: { steps: base.steps.length, triggerCriteria: base.triggerCriteria }, after: { steps: plan.steps.length, triggerCriteria: plan.triggerCriteria } },
      };
    },
  });
}

export const recordOpinion = (caller: Caller, p: PayloadOf<typeof K.recordOpinion>) =>
  edit(caller, 'recordOpinion', p, (r, now, b) => {
    limit(r.departmentOpinions.length + 1, RECORD_LIMITS.opinions, 'opinion');
    return { departmentOpinions: [...r.departmentOpinions, { department: p.department, opinion: p.opinion, recordedBy: b.scope.accountId, recordedAt: now }] };
  });

export function recordRehearsal(caller: Caller, p: PayloadOf<typeof K.recordRehearsal>): Promise<CommandResult> {
  return runReleaseCommand(caller, {
    action: 'recordRehearsal',
    ...on(p),
    build: (b, ctx, now) => {
      assertReleaseTime('REHEARSAL_HELD', p.at, ctx.release, now, 'at');
      const base = ctx.fallbackPlan ?? emptyFallbackPlan(ctx.release.id);
      limit(base.rehearsals.length + 1, RECORD_LIMITS.rehearsals, 'result');
      const rehearsal = { at: p.at, environment: p.environment, result: p.result, recordedBy: b.scope.accountId, ...(p.evidenceUrl ? { evidenceUrl: p.evidenceUrl } : {}) };
      return {
        release: ctx.release,
        fallbackPlan: { ...base, rehearsals: [...base.rehearsals, rehearsal] },
        audit: { before: {}, after: { rehearsal: { rehearsalResult: p.result, environment: p.environment } } },
      };
    },
  });
}

export function recordFallbackExecution(caller: Caller, p: PayloadOf<typeof K.recordFallbackExecution>): Promise<CommandResult> {
  return runReleaseCommand(caller, {
    action: 'recordFallbackExecution',
    ...on(p),
    build: (b, ctx, now) => {
      const base = ctx.fallbackPlan ?? emptyFallbackPlan(ctx.release.id);
      return {
        release: ctx.release,
        fallbackPlan: recordFallbackResult(base, b.scope.accountId, p.result, now),
        audit: { before: {}, after: { fallbackResult: p.result, ...(p.note ? { note: p.note } : {}) } },
      };
    },
  });
}

// ------------------------------------------------------------------ tests, cutover, progress, deployment, acceptance

function testRecord(p: { passed: boolean; note?: string | undefined; evidenceUrl?: string | undefined }, by: string, now: number) {
  return { passed: p.passed, recordedBy: by, recordedAt: now, ...(p.note ? { note: p.note } : {}), ...(p.evidenceUrl ? { evidenceUrl: p.evidenceUrl } : {}) };
}

export const recordIntegrationTest = (caller: Caller, p: PayloadOf<typeof K.recordIntegrationTest>) =>
  edit(caller, 'recordIntegrationTest', p, (r, now, b) => ({ tests: { ...r.tests, integration: testRecord(p, b.scope.accountId, now) } }));

export const recordUat = (caller: Caller, p: PayloadOf<typeof K.recordUat>) =>
  edit(caller, 'recordUat', p, (r, now, b) => ({ tests: { ...r.tests, uat: testRecord(p, b.scope.accountId, now) } }));

export const recordCutover = (caller: Caller, p: PayloadOf<typeof K.recordCutover>) =>
  edit(caller, 'recordCutover', p, (_r, now, b) => ({ cutover: { confirmed: p.confirmed, confirmedBy: b.scope.accountId, confirmedAt: now, ...(p.note ? { note: p.note } : {}) } }));

export const reportProgress = (caller: Caller, p: PayloadOf<typeof K.reportProgress>) =>
  edit(caller, 'reportProgress', p, (r, now, b) => {
    limit(r.progressReports.length + 1, RECORD_LIMITS.progressReports, 'note');
    const report = {
      reportedBy: b.scope.accountId,
      reportedAt: now,
      note: p.note,
      ...(p.percentComplete !== undefined ? { percentComplete: p.percentComplete } : {}),
      ...(p.effortHours !== undefined ? { effortHours: p.effortHours } : {}),
    };
    const effort = p.effortHours !== undefined ? Math.round(((r.actualEffortHours ?? 0) + p.effortHours) * 100) / 100 : r.actualEffortHours;
    return { progressReports: [...r.progressReports, report], actualEffortHours: effort };
  });

/** A recorded time outside the release's life is refused with its reasons (recordedTime.ts); nothing is written. */
function assertReleaseTime(kind: RecordedTime, at: number, r: Release, now: number, field: string): void {
  const reasons = releaseTimeReasons(kind, at, r, now);
  if (reasons.length > 0) throw new ServiceError(reasons[0] as TimeReasonCode, { reasons, field });
}

export const recordDeploymentResult = (caller: Caller, p: PayloadOf<typeof K.recordDeploymentResult>) =>
  edit(caller, 'recordDeploymentResult', p, (r, now, b) => {
    assertReleaseTime('DEPLOYMENT_FINISHED', p.finishedAt, r, now, 'finishedAt');
    return {
      deployment: { succeeded: p.succeeded, recordedBy: b.scope.accountId, finishedAt: p.finishedAt, ...(p.note ? { note: p.note } : {}) },
    };
  });

export const recordOperationalAcceptance = (caller: Caller, p: PayloadOf<typeof K.recordOperationalAcceptance>) =>
  edit(caller, 'recordOperationalAcceptance', p, (_r, now, b) => ({
    operationalAcceptance: { accepted: p.accepted, resultConfirmed: p.resultConfirmed, confirmedBy: b.scope.accountId, confirmedAt: now, ...(p.note ? { note: p.note } : {}) },
  }));

// ------------------------------------------------------------------ training

function findTask(tasks: readonly TrainingTask[], taskId: string): TrainingTask {
  const t = tasks.find((x) => x.id === taskId);
  if (!t) throw new ServiceError('NOT_FOUND', { field: 'taskId' });
  return t;
}

export function manageTraining(caller: Caller, p: PayloadOf<typeof K.manageTraining>): Promise<CommandResult> {
  return runReleaseCommand(caller, {
    action: 'manageTraining',
    auditAction: p.op === 'CREATE' ? 'manageTraining.create' : p.op === 'DELETE' ? 'manageTraining.delete' : 'manageTraining.update',
    ...on(p),
    build: (_b, ctx): Built => {
      if (p.op === 'CREATE') {
        limit(ctx.trainingTasks.length + 1, RECORD_LIMITS.trainingTasks, 'audience');
        const task: TrainingTask = {
          id: newId(),
          releaseId: ctx.release.id,
          audience: p.audience,
          trainerAccountId: p.trainerAccountId,
          dueAt: p.dueAt,
          deliveredAt: null,
          assessed: 0,
          passed: 0,
          feedback: [],
        };
        return { release: ctx.release, training: [task], audit: { before: {}, after: { taskId: task.id, audience: task.audience, trainer: task.trainerAccountId, dueAt: task.dueAt } } };
      }
      const t = findTask(ctx.trainingTasks, p.taskId);
      if (p.op === 'DELETE') return { release: ctx.release, removeTraining: [t.id], audit: { before: { taskId: t.id, audience: t.audience, trainer: t.trainerAccountId, dueAt: t.dueAt }, after: {} } };
      const next: TrainingTask = {
        ...t,
        ...(p.audience ? { audience: p.audience } : {}),
        ...(p.trainerAccountId ? { trainerAccountId: p.trainerAccountId } : {}),
        ...(p.dueAt !== undefined ? { dueAt: p.dueAt } : {}),
      };
      return {
        release: ctx.release,
        training: [next],
        audit: { before: { taskId: t.id, audience: t.audience, trainer: t.trainerAccountId, dueAt: t.dueAt }, after: { audience: next.audience, trainer: next.trainerAccountId, dueAt: next.dueAt } },
      };
    },
  });
}

export function recordTrainingDelivery(caller: Caller, p: PayloadOf<typeof K.recordTrainingDelivery>): Promise<CommandResult> {
  return runReleaseCommand(caller, {
    action: 'recordTrainingDelivery',
    ...on(p),
    build: (_b, ctx, now) => {
      const t = findTask(ctx.trainingTasks, p.taskId);
      assertReleaseTime('TRAINING_DELIVERED', p.deliveredAt, ctx.release, now, 'deliveredAt');
      return { release: ctx.release, training: [{ ...t, deliveredAt: p.deliveredAt }], audit: { before: { deliveredAt: t.deliveredAt }, after: { taskId: t.id, task: { audience: t.audience, trainer: t.trainerAccountId }, deliveredAt: p.deliveredAt } } };
    },
  });
}

export function recordTrainingResult(caller: Caller, p: PayloadOf<typeof K.recordTrainingResult>): Promise<CommandResult> {
  return runReleaseCommand(caller, {
    action: 'recordTrainingResult',
    ...on(p),
    build: (_b, ctx) => {
      const t = findTask(ctx.trainingTasks, p.taskId);
      const feedback = [...t.feedback, ...(p.feedback ?? [])];
      limit(feedback.length, RECORD_LIMITS.feedback, 'feedback');
      const next = { ...t, assessed: p.assessed, passed: p.passed, feedback };
      return { release: ctx.release, training: [next], audit: { before: { traineesAssessed: t.assessed, traineesPassed: t.passed }, after: { taskId: t.id, task: { audience: t.audience, trainer: t.trainerAccountId }, traineesAssessed: p.assessed, traineesPassed: p.passed } } };
    },
  });
}
