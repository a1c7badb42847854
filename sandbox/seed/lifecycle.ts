/**
 * Drives one release from a change request to the stage its script names, through the real resolvers, as the
 * user of each step, at the time of each step. The order of the steps is SPEC §3's: review → approve →
 * team, plan, fallback plan, opinions, training → build and test → ready → implement → verify or roll back.
 */
import { RESOLVER_KEYS as K } from '../../src/contracts';
import type { Classification, Outcome, RiskLevel } from '../../src/domain/release';
import type { TrainingAudience, TrainingTask } from '../../src/domain/training';
import { trainingOfRelease } from '../../src/storage/records';
import type { DslSeeding, Software } from './dsl';
import { PEOPLE, type PersonKey } from './people';
import { DAY, HOUR, MINUTE, SECOND, type SeededRelease, type SeedWorld } from './world';

export type Stage = 'SUBMITTED' | 'PLANNING' | 'BUILD_TEST' | 'READY' | 'IMPLEMENTING' | 'VERIFYING' | 'ROLLING_BACK' | 'CLOSED' | 'REJECTED' | 'CANCELLED';

/** Steps of the last stage that an in-flight release may leave undone (what its gate checklist then shows). */
export type Step =
  | 'classify'
  | 'risk'
  | 'window'
  | 'lead'
  | 'team'
  | 'implementers'
  | 'plan'
  | 'fallback'
  | 'opinions'
  | 'training'
  | 'integrationTest'
  | 'uat'
  | 'rehearsal'
  | 'trainingDelivered'
  | 'dsl'
  | 'progress'
  | 'deployment'
  | 'cutover'
  | 'acceptance'
  | 'fallbackResult';

/** When each step happens (epoch ms). Built by `timeline`; in-flight scripts may move the window. */
export interface Timeline {
  change: number;
  submit: number;
  review: number;
  approve: number;
  team: number;
  plan: number;
  build: number;
  integrationTest: number;
  uat: number;
  rehearsal: number;
  trainingDue: number;
  trainingDelivered: number;
  dsl: number;
  ready: number;
  windowStart: number;
  windowEnd: number;
  implStart: number;
  deployFinished: number;
  productionUpdated: number;
  acceptance: number;
  close: number;
  fallbackInvoke: number;
  fallbackExecuted: number;
  fallbackDone: number;
  evaluation: number;
}

export interface ReleaseScript {
  readonly title: string;
  readonly description: string;
  readonly changeSummary: string;
  readonly requester: PersonKey;
  readonly manager: PersonKey;
  readonly lead: PersonKey;
  /** The first one deploys; all of them are on the team. */
  readonly implementers: readonly PersonKey[];
  readonly tester: PersonKey;
  readonly trainer: PersonKey;
  readonly classification: Classification;
  readonly risk: RiskLevel;
  readonly riskAnalysis: string;
  readonly scope: string;
  readonly schedule: string;
  readonly software: readonly Software[];
  readonly plannedEffortHours: number;
  /** Actual ÷ planned effort, reported in progress reports. */
  readonly effortFactor: number;
  readonly opinions: readonly { department: string; opinion: string }[];
  /** HELP_DESK first (the ready gate needs it delivered). */
  readonly training: readonly TrainingAudience[];
  readonly trainees: { readonly assessed: number; readonly passed: number; readonly feedback: readonly string[] };
  readonly fallback: { readonly trigger: string; readonly steps: readonly { action: string; owner: PersonKey; minutes: number }[]; readonly backupRef: string };
  readonly stage: Stage;
  /** CLOSED only. */
  readonly outcome?: Outcome;
  /** CANCELLED: the status it is cancelled from. */
  readonly cancelFrom?: 'SUBMITTED' | 'PLANNING' | 'BUILD_TEST' | 'READY';
  readonly reason?: string;
  /** Steps of the final stage left undone. */
  readonly skip?: readonly Step[];
  readonly quirks: {
    readonly lateTraining?: boolean;
    readonly failedRehearsalFirst?: boolean;
    readonly failedIntegrationFirst?: boolean;
    /** Deployment finishes after the window's end. */
    readonly lateDeployment?: boolean;
    /** Production version updated outside the DSL timely-update window. */
    readonly lateDslUpdate?: boolean;
    /** An emergency override lets implementation start before the window. */
    readonly emergencyOverride?: boolean;
    /** The manager evaluates the participants after closure. */
    readonly evaluate?: boolean;
  };
  readonly timeline: Timeline;
}

/** Stage order along the happy path; ROLLING_BACK branches off IMPLEMENTING. */
const ORDER: readonly Stage[] = ['SUBMITTED', 'PLANNING', 'BUILD_TEST', 'READY', 'IMPLEMENTING', 'VERIFYING', 'CLOSED'];

function reaches(script: ReleaseScript, stage: Stage): boolean {
  const target: Stage =
    script.stage === 'REJECTED' ? 'SUBMITTED' : script.stage === 'CANCELLED' ? (script.cancelFrom ?? 'SUBMITTED') : script.stage === 'ROLLING_BACK' ? 'IMPLEMENTING' : script.stage;
  if (script.stage === 'CLOSED' && script.outcome !== 'SUCCESS' && (stage === 'VERIFYING')) return false;
  return ORDER.indexOf(target) >= ORDER.indexOf(stage);
}

/** Is this step done? Steps of the final stage may be skipped; earlier stages are always complete. */
function doing(script: ReleaseScript, stage: Stage, step: Step): boolean {
  const finalStage = script.stage === 'CANCELLED' ? script.cancelFrom : script.stage === 'REJECTED' ? 'SUBMITTED' : script.stage;
  return !(finalStage === stage && (script.skip ?? []).includes(step));
}

/**
 * Runs the script; returns the release as the seed last saw it. Steps that one person does in one sitting
 * (forming the team, filling the plan) are seconds apart; the process's own steps are hours or days apart.
 */
export async function driveRelease(w: SeedWorld, dsl: DslSeeding, s: ReleaseScript): Promise<SeededRelease> {
  const t = s.timeline;
  const id = (p: PersonKey) => PEOPLE[p].accountId;
  const main = s.implementers[0] as PersonKey;
  const act = (who: PersonKey, key: Parameters<SeedWorld['onRelease']>[2], payload: Record<string, unknown> = {}) => w.onRelease(who, rel, key, payload);

  w.at(t.change);
  const change = await w.changeRequest(s.requester, s.changeSummary);
  w.at(t.submit);
  const rel = await w.submit(s.requester, change, s.title, s.description);

  // ---- SUBMITTED: the manager reviews
  w.at(t.review);
  if (doing(s, 'SUBMITTED', 'classify')) await act(s.manager, K.classify, { classification: s.classification });
  if (doing(s, 'SUBMITTED', 'risk')) await act(s.manager, K.assessRisk, { riskLevel: s.risk, riskAnalysis: s.riskAnalysis });
  if (doing(s, 'SUBMITTED', 'window')) await act(s.manager, K.setWindow, { windowStart: t.windowStart, windowEnd: t.windowEnd });
  if (doing(s, 'SUBMITTED', 'lead')) await act(s.manager, K.assignLead, { leadAccountId: id(s.lead) });
  if (s.stage === 'REJECTED') {
    await w.at(t.approve).onRelease(s.manager, rel, K.reject, { reason: s.reason ?? 'Not needed' });
    return rel;
  }
  if (await cancelled(w, s, rel, 'SUBMITTED')) return rel;
  if (!reaches(s, 'PLANNING')) return rel;

  // ---- PLANNING: the team, the plan, the fallback plan, opinions, training
  await w.at(t.approve).onRelease(s.manager, rel, K.approve);
  w.at(t.team);
  if (doing(s, 'PLANNING', 'team')) {
    await act(s.manager, K.changeTeam, { op: 'ADD', accountId: id('scl'), teamRole: 'SOFTWARE_CONTROL_LEAD' });
    await act(s.manager, K.changeTeam, { op: 'ADD', accountId: id(s.trainer), teamRole: 'TRAINING_LEAD' });
    await act(s.manager, K.changeTeam, { op: 'ADD', accountId: id(s.tester), teamRole: 'TEST_EXPERT' });
  }
  if (doing(s, 'PLANNING', 'implementers')) {
    w.at(t.team + 20 * SECOND);
    for (const p of s.implementers) await act(s.lead, K.addImplementer, { accountId: id(p) });
  }
  w.at(t.plan);
  if (doing(s, 'PLANNING', 'plan')) await act(s.lead, K.editPlan, { scope: s.scope, schedule: s.schedule, plannedEffortHours: s.plannedEffortHours });
  if (doing(s, 'PLANNING', 'fallback')) {
    await act(s.lead, K.editFallbackPlan, {
      triggerCriteria: s.fallback.trigger,
      steps: s.fallback.steps.map((x) => ({ action: x.action, ownerAccountId: id(x.owner), expectedMinutes: x.minutes })),
      restoreDslItemId: null,
      dataBackupRef: s.fallback.backupRef,
    });
  }
  if (doing(s, 'PLANNING', 'opinions')) {
    let k = 0;
    for (const o of s.opinions) await w.at(t.plan + ++k * 12 * SECOND).onRelease(s.lead, rel, K.recordOpinion, o);
  }
  if (doing(s, 'PLANNING', 'training') && (s.stage !== 'PLANNING' || doing(s, 'PLANNING', 'team'))) {
    w.at(t.plan + 50 * SECOND);
    for (const audience of s.training) {
      await act(s.trainer, K.manageTraining, { op: 'CREATE', audience, trainerAccountId: id(s.trainer), dueAt: t.trainingDue + (audience === 'HELP_DESK' ? 0 : DAY) });
    }
  }
  if (await cancelled(w, s, rel, 'PLANNING')) return rel;
  if (!reaches(s, 'BUILD_TEST')) return rel;

  // ---- BUILD_TEST: tests, rehearsal, training delivered, software in the DSL
  await w.at(t.build).onRelease(s.lead, rel, K.startBuild);
  const effort = (share: number) => Math.round(s.plannedEffortHours * s.effortFactor * share * 10) / 10;
  if (doing(s, 'BUILD_TEST', 'progress')) {
    await w.at(t.build + DAY).onRelease(main, rel, K.reportProgress, { note: `Build of ${s.software.map((x) => `${x.name} ${x.version}`).join(', ')} complete; integration environment deployed.`, percentComplete: 40, effortHours: effort(0.6) });
  }
  if (doing(s, 'BUILD_TEST', 'integrationTest')) {
    if (s.quirks.failedIntegrationFirst) {
      await w.at(t.integrationTest - DAY).onRelease(s.tester, rel, K.recordIntegrationTest, { passed: false, note: '3 of 212 cases failed: rounding of night-shift premiums', evidenceUrl: `https://ci.example.com/payroll/${rel.key}/it/1` });
    }
    await w.at(t.integrationTest).onRelease(s.tester, rel, K.recordIntegrationTest, { passed: true, note: 'All integration cases passed', evidenceUrl: `https://ci.example.com/payroll/${rel.key}/it/2` });
  }
  if (doing(s, 'BUILD_TEST', 'uat')) await w.at(t.uat).onRelease('business', rel, K.recordUat, { passed: true, note: 'Parallel payroll run matches the previous month to the cent' });
  if (doing(s, 'BUILD_TEST', 'rehearsal')) {
    if (s.quirks.failedRehearsalFirst) {
      await w.at(t.rehearsal - DAY).onRelease(main, rel, K.recordRehearsal, { at: w.now, environment: 'staging', result: 'FAILED', evidenceUrl: `https://wiki.example.com/payroll/rehearsals/${rel.key}-1` });
    }
    await w.at(t.rehearsal).onRelease(s.lead, rel, K.recordRehearsal, { at: w.now, environment: 'staging', result: 'PASSED', evidenceUrl: `https://wiki.example.com/payroll/rehearsals/${rel.key}` });
  }
  if (doing(s, 'BUILD_TEST', 'trainingDelivered')) {
    const tasks = await w.run(() => trainingOfRelease(rel.id));
    const ordered: TrainingTask[] = tasks.map((r) => r.doc).sort((a, b) => a.dueAt - b.dueAt || a.audience.localeCompare(b.audience));
    let k = 0;
    for (const task of ordered) {
      const at = t.trainingDelivered + k++ * 2 * HOUR;
      await w.at(at).onRelease(s.trainer, rel, K.recordTrainingDelivery, { taskId: task.id, deliveredAt: at });
      const assessed = task.audience === 'END_USER' ? s.trainees.assessed : Math.max(2, Math.round(s.trainees.assessed / 3));
      const passed = Math.min(assessed, Math.round((assessed * s.trainees.passed) / Math.max(1, s.trainees.assessed)));
      await w.at(at + 40 * SECOND).onRelease(s.trainer, rel, K.recordTrainingResult, { taskId: task.id, assessed, passed, feedback: [...s.trainees.feedback] });
    }
  }
  if (doing(s, 'BUILD_TEST', 'dsl')) {
    w.at(t.dsl);
    await dsl.linkSoftware(w, rel, s.software);
  }
  if (s.quirks.emergencyOverride && reaches(s, 'READY')) {
    await w.at(t.dsl + HOUR).onRelease(s.manager, rel, K.recordEmergencyOverride, { reason: 'Payroll run on Friday is blocked without this fix; CAB chair approved by phone' });
  }
  if (await cancelled(w, s, rel, 'BUILD_TEST')) return rel;
  if (!reaches(s, 'READY')) return rel;

  // ---- READY → IMPLEMENTING
  await w.at(t.ready).onRelease(s.lead, rel, K.markReady);
  if (await cancelled(w, s, rel, 'READY')) return rel;
  if (!reaches(s, 'IMPLEMENTING')) return rel;
  await w.at(t.implStart).onRelease(main, rel, K.startImplementation);
  if (doing(s, 'IMPLEMENTING', 'progress')) {
    await w.at(t.implStart + HOUR).onRelease(main, rel, K.reportProgress, { note: 'Payroll batch stopped; database migration applied', percentComplete: 70, effortHours: effort(0.25) });
  }
  const rollingBack = s.stage === 'ROLLING_BACK' || (s.stage === 'CLOSED' && s.outcome !== 'SUCCESS');
  if (rollingBack) {
    await w.at(t.fallbackInvoke).onRelease(s.lead, rel, K.invokeFallback, { reason: s.reason ?? 'Smoke test: payslip totals differ from the parallel run' });
    if (doing(s, 'ROLLING_BACK', 'fallbackResult')) {
      const result = s.outcome === 'FAILED' ? 'FAILED' : 'SUCCEEDED';
      const note = result === 'FAILED' ? 'Restore of the payroll database failed checksum; data repaired manually' : 'Previous version restored, payroll batch resumed';
      await w.at(t.fallbackExecuted).onRelease(main, rel, K.recordFallbackExecution, { result, note });
    }
    if (s.stage === 'ROLLING_BACK') return rel;
    await w.at(t.fallbackDone).onRelease(main, rel, K.completeFallback);
    await evaluate(w, s, rel);
    return rel;
  }
  if (doing(s, 'IMPLEMENTING', 'deployment')) {
    await w.at(t.deployFinished).onRelease(main, rel, K.recordDeploymentResult, { succeeded: true, finishedAt: t.deployFinished, note: 'Deployed to production; smoke tests green' });
    if (doing(s, 'IMPLEMENTING', 'progress')) {
      await w.at(t.deployFinished + 20 * SECOND).onRelease(main, rel, K.reportProgress, { note: 'Deployment finished, monitoring', percentComplete: 100, effortHours: effort(0.15) });
    }
  }
  if (doing(s, 'IMPLEMENTING', 'cutover')) await w.at(t.deployFinished + 30 * MINUTE).onRelease('business', rel, K.recordCutover, { confirmed: true, note: 'Payroll office switched to the new version' });
  if (!reaches(s, 'VERIFYING')) return rel;

  // ---- VERIFYING → CLOSED
  await w.at(t.deployFinished + 45 * MINUTE).onRelease(main, rel, K.markDeployed);
  if (doing(s, 'VERIFYING', 'dsl')) {
    w.at(t.productionUpdated);
    await dsl.productionUpdated(w, rel, t.productionUpdated);
  }
  if (doing(s, 'VERIFYING', 'acceptance')) {
    await w.at(t.acceptance).onRelease('operations', rel, K.recordOperationalAcceptance, { accepted: true, resultConfirmed: true, note: 'Monitoring green for 24 h; batch window unchanged' });
  }
  if (!reaches(s, 'CLOSED')) return rel;
  await w.at(t.close).onRelease('operations', rel, K.verifyAndClose);
  await evaluate(w, s, rel);
  return rel;
}

async function cancelled(w: SeedWorld, s: ReleaseScript, rel: SeededRelease, from: Stage): Promise<boolean> {
  if (s.stage !== 'CANCELLED' || s.cancelFrom !== from) return false;
  await w.at(w.now + DAY).onRelease(s.manager, rel, K.cancel, { reason: s.reason ?? 'Superseded by another change' });
  return true;
}

async function evaluate(w: SeedWorld, s: ReleaseScript, rel: SeededRelease): Promise<void> {
  if (!s.quirks.evaluate) return;
  w.at(s.timeline.evaluation);
  const good = s.outcome === 'SUCCESS';
  const people: { who: PersonKey; role: string; rating: number; note: string }[] = [
    { who: s.lead, role: 'LEAD', rating: good ? 5 : 3, note: good ? 'Kept to the window and budget; clear communication' : 'Fallback decided quickly; rehearsal missed the data case' },
    { who: s.implementers[0] as PersonKey, role: 'IMPLEMENTER', rating: good ? 4 : 4, note: good ? 'Clean deployment, good progress reports' : 'Executed the fallback plan calmly' },
    { who: s.tester, role: 'TEST_EXPERT', rating: good ? 4 : 2, note: good ? 'Thorough integration testing' : 'Test data did not cover the failing case' },
  ];
  for (const p of people) {
    await w.onRelease(s.manager, rel, K.evaluateParticipant, { accountId: PEOPLE[p.who].accountId, role: p.role, rating: p.rating, note: p.note }, { versioned: false });
  }
}
