import {
  DEFAULT_POLICY,
  applyClosedRelease,
  applyDslAudit,
  applyImprovementAction,
  emptyKpiMonth,
  improvementActionFact,
  kpiReadings,
  kpiValuesOf,
  median,
  mergeKpiMonths,
  monthOf,
  reconcileKpiMonth,
  releaseKpiFacts,
  improvementCompletionReasons,
  MAX_KPI_ENTRIES_PER_MONTH,
  combineKpiPages,
  kpiDrillDown,
  releaseTimeReasons,
  kpiDrillJql,
  KPI_NAMES,
  periodDays,
  releaseKpiProperty,
  type DslAuditFact,
  type ImprovementAction,
  type ImprovementFact,
  type KpiMonthAggregate,
  type ReleaseKpiFacts,
} from '..';
import { DAY, fullCtx, H, ID, T0 } from './fixtures';

const MAR = Date.UTC(2025, 2, 15);
const APR = Date.UTC(2025, 3, 2);

function facts(id: string, p: Partial<ReleaseKpiFacts>): ReleaseKpiFacts {
  return {
    releaseId: id,
    issueKey: `PAY-${id}`,
    projectId: 'P1',
    month: '2025-03',
    closedAt: MAR,
    outcome: 'SUCCESS',
    classification: 'STANDARD',
    deployed: true,
    deployedOnTime: true,
    approvalToDeploymentMinutes: 1440,
    requestToDeploymentMinutes: 2880,
    deployedWithinPlannedDuration: true,
    plannedEffortCentiHours: 100,
    actualEffortCentiHours: 100,
    rollbackMinutes: null,
    emergencyOverride: false,
    effective: true,
    missingRecords: [],
    dslTimelyUpdate: true,
    training: { due: 0, deliveredOnTime: 0, assessed: 0, passed: 0 },
    ...p,
  };
}

// Hand-computed month: see expectations below.
const A = facts('A', { classification: 'MAJOR', approvalToDeploymentMinutes: 2880, requestToDeploymentMinutes: 4320, plannedEffortCentiHours: 1000, actualEffortCentiHours: 1200, training: { due: 2, deliveredOnTime: 1, assessed: 10, passed: 8 } });
const B = facts('B', {
  classification: 'EMERGENCY',
  deployedOnTime: false,
  approvalToDeploymentMinutes: 5760,
  requestToDeploymentMinutes: 10080,
  deployedWithinPlannedDuration: false,
  plannedEffortCentiHours: 2000,
  actualEffortCentiHours: 2000,
  effective: false,
  emergencyOverride: true,
  missingRecords: ['PLAN'],
  dslTimelyUpdate: false,
  training: { due: 1, deliveredOnTime: 1, assessed: 5, passed: 5 },
});
const C = facts('C', { outcome: 'ROLLED_BACK', plannedEffortCentiHours: 500, actualEffortCentiHours: 800, effective: false, dslTimelyUpdate: null, rollbackMinutes: 90 });
const D = facts('D', {
  outcome: 'FAILED',
  classification: 'MINOR',
  deployed: false,
  deployedOnTime: false,
  approvalToDeploymentMinutes: null,
  requestToDeploymentMinutes: null,
  deployedWithinPlannedDuration: null,
  plannedEffortCentiHours: 800,
  actualEffortCentiHours: null,
  effective: false,
  missingRecords: ['CLOSING_RECORD'],
  dslTimelyUpdate: null,
  rollbackMinutes: 30,
  training: { due: 1, deliveredOnTime: 0, assessed: 0, passed: 0 },
});
const audits: DslAuditFact[] = [
  { auditId: 'a1', projectId: 'P1', at: MAR, matched: true },
  { auditId: 'a2', projectId: 'P1', at: MAR + DAY, matched: true },
  { auditId: 'a3', projectId: 'P1', at: MAR + 2 * DAY, matched: false },
  { auditId: 'a4', projectId: 'P1', at: APR, matched: false },
];
const improvements: ImprovementFact[] = [
  { actionId: 'i1', projectId: 'P1', month: '2025-03', onTime: true },
  { actionId: 'i2', projectId: 'P1', month: '2025-03', onTime: false },
  { actionId: 'i3', projectId: 'P2', month: '2025-03', onTime: false },
];

describe('KPI formulas on a hand-computed month', () => {
  const agg = reconcileKpiMonth('P1', '2025-03', { releases: [A, B, C, D], dslAudits: audits, improvements });
  // March 2025 has 31 days: 4 deployment attempts ÷ (31 / 7) weeks.
  const v = kpiValuesOf(agg, 31);
  test.each([
    ['RELEASE_SUCCESS_RATE', 2 / 4],
    ['RELEASE_TIMELINESS', 2 / 3],
    ['RELEASE_EFFICIENCY_MEDIAN_DAYS', 2],
    ['RELEASE_EFFICIENCY_WITHIN_PLAN', 2 / 3],
    ['RESOURCE_USE', 3500 / 4000],
    ['PROCESS_EFFECTIVENESS', 1 / 4],
    ['PROCESS_COMPLETENESS', 2 / 4],
    ['PROCESS_OPTIMISATION_TIMELINESS', 1 / 2],
    ['TRAINING_TIMELINESS', 2 / 4],
    ['TRAINEE_PASS_RATE', 13 / 15],
    ['DSL_ACCURACY', 2 / 3],
    ['DSL_TIMELY_UPDATE_RATE', 1 / 2],
    ['ROLLBACK_RATE', 1 / 4],
    ['EMERGENCY_SHARE', 1 / 4],
    ['MEAN_TIME_TO_ROLLBACK_MINUTES', 60],
    // DORA. A 2 d, B 4 d, C 1 d (the default) from approval; D never deployed.
    ['DEPLOYMENT_FREQUENCY', 4 / (31 / 7)],
    ['LEAD_TIME_FROM_APPROVAL_DAYS', 2],
    // request → deployment: A 3 d, B 7 d, C 2 d → median 3 d
    ['LEAD_TIME_FROM_REQUEST_DAYS', 3],
    // (1 rolled back + 1 failed) ÷ 4 deployment attempts
    ['CHANGE_FAILURE_RATE', 2 / 4],
    // C 90 min, D 30 min → median 60
    ['RECOVERY_TIME_MINUTES', 60],
  ] as const)('%s = %d', (name, expected) => {
    expect(v[name]).toBeCloseTo(expected, 12);
  });

  test('an empty month has no values, not zeros (divisions by zero are "no data")', () => {
    const values = kpiValuesOf(emptyKpiMonth('P1', '2025-05'), 31);
    expect(Object.entries(values).filter(([, x]) => x !== null)).toEqual([['DEPLOYMENT_FREQUENCY', 0]]);
    // Without the period's length there is no rate either; a zero-day period is no data, not infinity.
    expect(kpiValuesOf(emptyKpiMonth('P1', '2025-05')).DEPLOYMENT_FREQUENCY).toBeNull();
    expect(kpiValuesOf(agg, 0).DEPLOYMENT_FREQUENCY).toBeNull();
  });

  test('one release that only rolled back: rates that divide by missing records stay null', () => {
    const only = reconcileKpiMonth('P1', '2025-03', { releases: [D], dslAudits: [], improvements: [] });
    const x = kpiValuesOf(only, 31);
    expect([x.RELEASE_TIMELINESS, x.RELEASE_EFFICIENCY_MEDIAN_DAYS, x.RESOURCE_USE, x.DSL_TIMELY_UPDATE_RATE, x.TRAINEE_PASS_RATE, x.DSL_ACCURACY]).toEqual([null, null, null, null, null, null]);
    expect([x.RELEASE_SUCCESS_RATE, x.CHANGE_FAILURE_RATE, x.TRAINING_TIMELINESS, x.RECOVERY_TIME_MINUTES]).toEqual([0, 1, 0, 30]);
  });

  test('period days: whole past months, the current one up to now, future months nothing', () => {
    expect(periodDays('2025-01', '2025-03', Date.UTC(2025, 5, 1))).toBe(31 + 28 + 31);
    expect(periodDays('2025-03', '2025-03', Date.UTC(2025, 2, 8))).toBe(7);
    expect(periodDays('2025-04', '2025-05', Date.UTC(2025, 2, 8))).toBe(0);
  });

  test('readings compare with targets in the right direction', () => {
    const r = Object.fromEntries(kpiReadings(agg, DEFAULT_POLICY).map((x) => [x.name, x]));
    expect(r.RELEASE_SUCCESS_RATE).toEqual({ name: 'RELEASE_SUCCESS_RATE', value: 0.5, target: 0.95, onTarget: false });
    expect(r.RELEASE_EFFICIENCY_MEDIAN_DAYS?.onTarget).toBe(true); // 2 days ≤ 14
    expect(r.ROLLBACK_RATE?.onTarget).toBe(false); // 0.25 > 0.05
    expect(r.MEAN_TIME_TO_ROLLBACK_MINUTES?.onTarget).toBe(true); // 60 ≤ 60
  });

  test('releases behind a number: hand-picked sets', () => {
    const ids = (name: Parameters<typeof kpiDrillDown>[0]) => kpiDrillDown(name, [agg]).rows.map((r) => r.entry.releaseId);
    const hits = (name: Parameters<typeof kpiDrillDown>[0]) => kpiDrillDown(name, [agg]).rows.filter((r) => r.inNumerator).map((r) => r.entry.releaseId);
    expect([ids('RELEASE_TIMELINESS'), hits('RELEASE_TIMELINESS')]).toEqual([['A', 'B', 'C'], ['A', 'C']]);
    expect([ids('DSL_TIMELY_UPDATE_RATE'), hits('DSL_TIMELY_UPDATE_RATE')]).toEqual([['A', 'B'], ['A']]);
    expect([ids('CHANGE_FAILURE_RATE'), hits('CHANGE_FAILURE_RATE')]).toEqual([['A', 'B', 'C', 'D'], ['C', 'D']]);
    expect(ids('RECOVERY_TIME_MINUTES')).toEqual(['C', 'D']);
    const training = kpiDrillDown('TRAINING_TIMELINESS', [agg]);
    expect([training.rows.map((r) => [r.entry.releaseId, r.n, r.d]), training.numerator, training.denominator]).toEqual([[['A', 1, 2], ['B', 1, 1], ['D', 0, 1]], 2, 4]);
    expect(kpiDrillDown('DSL_ACCURACY', [agg])).toMatchObject({ kind: 'NOT_RELEASES', rows: [], other: { numerator: 2, denominator: 3 } });
  });

  test.each(KPI_NAMES.map((n) => [n]))('%s: the drill-down adds up to the number shown', (name) => {
    const d = kpiDrillDown(name, [agg]);
    const value = v[name];
    if (d.kind === 'COUNT_RATIO' || d.kind === 'WEIGHTED_RATIO') {
      expect(d.numerator).toBe(d.rows.reduce((s, r) => s + r.n, 0));
      expect(d.denominator).toBe(d.rows.reduce((s, r) => s + r.d, 0));
      expect(d.denominator === 0 ? null : (d.numerator as number) / (d.denominator as number)).toBeCloseTo(value as number, 12);
      if (d.kind === 'COUNT_RATIO') expect(d.rows.filter((r) => r.inNumerator)).toHaveLength(d.numerator as number);
    } else if (d.kind === 'SAMPLE') {
      const sample = d.rows.map((r) => r.value as number);
      const mean = sample.reduce((s, x) => s + x, 0) / sample.length;
      const expected = name === 'MEAN_TIME_TO_ROLLBACK_MINUTES' ? mean : (median(sample) as number) / (name === 'RECOVERY_TIME_MINUTES' ? 1 : 1440);
      expect(expected).toBeCloseTo(value as number, 12);
    } else if (d.kind === 'RATE') {
      expect((d.numerator as number) / (31 / 7)).toBeCloseTo(value as number, 12);
    } else {
      expect(d.other && d.other.numerator / d.other.denominator).toBeCloseTo(value as number, 12);
    }
  });

  test('the JQL of a drill-down names the same facts the property holds', () => {
    expect(kpiDrillJql('RELEASE_TIMELINESS', '10000', ['2025-03'])).toEqual({
      counted: 'project = 10000 AND releaseClosedMonth = "2025-03" AND releaseDeployed = true ORDER BY key ASC',
      numerator: 'project = 10000 AND releaseClosedMonth = "2025-03" AND releaseDeployed = true AND releaseOnTime = true ORDER BY key ASC',
    });
    expect(kpiDrillJql('RESOURCE_USE', '10000', ['2025-02', '2025-03'])?.counted).toBe(
      'project = 10000 AND releaseClosedMonth in ("2025-02", "2025-03") AND releaseEffortRecorded = true ORDER BY key ASC',
    );
    expect(kpiDrillJql('DSL_ACCURACY', '10000', ['2025-03'])).toBeNull();
    expect(releaseKpiProperty(D)).toEqual({
      closedMonth: '2025-03',
      deployed: 'false',
      onTime: 'false',
      effortRecorded: 'false',
      effective: 'false',
      complete: 'false',
      emergency: 'false',
      trainingDue: 1,
      traineesAssessed: 0,
      recoveryMinutes: 30,
    });
    expect(releaseKpiProperty(B)).toMatchObject({ emergency: 'true', withinPlan: 'false', dslTimely: 'false', leadTimeApprovalMinutes: 5760, leadTimeRequestMinutes: 10080 });
  });

  test('median', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  test('months are UTC calendar months', () => {
    expect(monthOf(Date.UTC(2025, 0, 31, 23, 59))).toBe('2025-01');
    expect(monthOf(Date.UTC(2025, 1, 1))).toBe('2025-02');
  });
});

describe('facts of a closed release', () => {
  const base = fullCtx('CLOSED');
  const ctx = {
    ...base,
    release: {
      ...base.release,
      statusEnteredAt: { SUBMITTED: T0, PLANNING: T0 + DAY, BUILD_TEST: T0 + 3 * DAY, READY: T0 + 8 * DAY, IMPLEMENTING: T0 + 10 * DAY, VERIFYING: T0 + 10 * DAY + 3 * H, CLOSED: T0 + 10 * DAY + 5 * H },
    },
    fallbackPlan: { ...base.fallbackPlan!, execution: null },
  };

  test('a clean successful release', () => {
    expect(releaseKpiFacts(ctx, DEFAULT_POLICY)).toEqual({
      releaseId: '10001',
      issueKey: ctx.release.issueKey ?? null,
      projectId: 'P1',
      month: '2025-03',
      closedAt: T0 + 10 * DAY + 5 * H,
      outcome: 'SUCCESS',
      classification: 'MAJOR',
      deployed: true,
      deployedOnTime: true,
      approvalToDeploymentMinutes: 9 * 1440 + 180,
      requestToDeploymentMinutes: 10 * 1440 + 180,
      deployedWithinPlannedDuration: true,
      plannedEffortCentiHours: 4000,
      actualEffortCentiHours: 5000,
      rollbackMinutes: null,
      emergencyOverride: false,
      effective: true,
      missingRecords: [],
      dslTimelyUpdate: true,
      training: { due: 1, deliveredOnTime: 1, assessed: 10, passed: 9 },
    });
  });

  test('late DSL production update, missing records, override and lateness', () => {
    const late = {
      ...ctx,
      release: { ...ctx.release, windowEnd: T0 + 10 * DAY + 2 * H, emergencyOverride: { recordedBy: ID.mgr, recordedAt: T0, reason: 'x' }, tests: { integration: null, uat: ctx.release.tests.uat } },
      dslItems: [{ id: 'd', status: 'IN_LIBRARY' as const, checkedInAt: T0, productionUpdatedAt: T0 + 12 * DAY }],
      trainingTasks: [],
    };
    const f = releaseKpiFacts(late, DEFAULT_POLICY)!;
    expect([f.deployedOnTime, f.effective, f.emergencyOverride, f.dslTimelyUpdate, f.deployedWithinPlannedDuration]).toEqual([false, false, true, false, false]);
    expect(f.missingRecords).toEqual(['TRAINING_PLAN', 'TEST_RECORDS']);
  });

  test('a rolled-back release is timed and needs the fallback execution record instead of acceptance', () => {
    const rb = {
      ...ctx,
      release: { ...ctx.release, outcome: 'ROLLED_BACK' as const, operationalAcceptance: null },
      fallbackPlan: { ...base.fallbackPlan!, execution: { decidedBy: ID.lead, reason: 'r', startedAt: T0, executedBy: ID.impl, endedAt: T0 + 45 * 60_000, result: 'SUCCEEDED' as const } },
    };
    const f = releaseKpiFacts(rb, DEFAULT_POLICY)!;
    expect([f.rollbackMinutes, f.dslTimelyUpdate, f.missingRecords, f.effective]).toEqual([45, null, [], false]);
  });

  test('not closed: no facts', () => {
    expect(releaseKpiFacts(fullCtx('VERIFYING'), DEFAULT_POLICY)).toBeNull();
  });
});

describe('improvement action facts', () => {
  const act = (p: Partial<ImprovementAction>): ImprovementAction => ({ id: 'i', projectId: 'P1', title: 't', ownerAccountId: ID.owner, dueAt: MAR, completedAt: null, createdAt: T0, createdBy: ID.owner, ...p });
  test.each([
    ['open, not yet due', act({}), MAR - 1, null],
    ['open, overdue', act({}), MAR + 1, false],
    ['done on time, before due', act({ completedAt: MAR - DAY }), MAR - 1, true],
    ['done late', act({ completedAt: MAR + DAY }), MAR + 2 * DAY, false],
  ] as const)('%s', (_label, action, now, onTime) => {
    const f = improvementActionFact(action, now);
    expect(f === null ? null : f.onTime).toBe(onTime);
    if (f) expect(f.month).toBe('2025-03');
  });
});

/** Deterministic PRNG (mulberry32) so the random test is reproducible. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('incremental aggregate equals reconciliation', () => {
  test('hand month, in any order, with duplicates and foreign facts', () => {
    let agg = emptyKpiMonth('P1', '2025-03');
    const foreign = facts('X', { projectId: 'P2' });
    const otherMonth = facts('Y', { month: '2025-04' });
    for (const f of [D, B, foreign, A, B, otherMonth, C, D]) agg = applyClosedRelease(agg, f);
    for (const a of [...audits].reverse().concat(audits)) agg = applyDslAudit(agg, a);
    for (const i of [...improvements, improvements[0]!]) agg = applyImprovementAction(agg, i);
    expect(agg).toEqual(reconcileKpiMonth('P1', '2025-03', { releases: [A, B, C, D, foreign, otherMonth], dslAudits: audits, improvements }));
  });

  test.each([[1], [2], [3], [4], [5]])('random months (seed %d)', (seed) => {
    const r = rng(seed);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const maybe = <T,>(v: T): T | null => (r() < 0.25 ? null : v);
    const all: ReleaseKpiFacts[] = Array.from({ length: 60 }, (_, i) =>
      facts(`R${i}`, {
        month: pick(['2025-03', '2025-04']),
        outcome: pick(['SUCCESS', 'SUCCESS', 'ROLLED_BACK', 'FAILED'] as const),
        classification: pick(['STANDARD', 'MINOR', 'MAJOR', 'EMERGENCY'] as const),
        deployed: r() < 0.8,
        deployedOnTime: r() < 0.7,
        approvalToDeploymentMinutes: maybe(Math.floor(r() * 30_000)),
        requestToDeploymentMinutes: maybe(Math.floor(r() * 40_000)),
        deployedWithinPlannedDuration: maybe(r() < 0.5),
        plannedEffortCentiHours: maybe(Math.floor(r() * 10_000)),
        actualEffortCentiHours: maybe(Math.floor(r() * 10_000)),
        rollbackMinutes: maybe(Math.floor(r() * 300)),
        effective: r() < 0.5,
        missingRecords: r() < 0.3 ? ['PLAN'] : [],
        dslTimelyUpdate: maybe(r() < 0.5),
        training: { due: 0, deliveredOnTime: 0, assessed: 0, passed: 0 },
      }),
    ).map((f) => {
      // consistent training counts: on time ≤ due, passed ≤ assessed (as trainingFacts gives them)
      const due = Math.floor(r() * 4);
      const assessed = Math.floor(r() * 20);
      // only a successful release has a DSL timely-update fact (releaseKpiFacts)
      return { ...f, dslTimelyUpdate: f.outcome === 'SUCCESS' ? r() < 0.5 : null, training: { due, deliveredOnTime: Math.min(due, Math.floor(r() * 3)), assessed, passed: Math.floor(r() * (assessed + 1)) } };
    });
    const auditsR: DslAuditFact[] = Array.from({ length: 30 }, (_, i) => ({ auditId: `a${i}`, projectId: 'P1', at: pick([MAR, APR]) + Math.floor(r() * 10) * H, matched: r() < 0.8 }));
    const impsR: ImprovementFact[] = Array.from({ length: 20 }, (_, i) => ({ actionId: `i${i}`, projectId: 'P1', month: pick(['2025-03', '2025-04']), onTime: r() < 0.6 }));

    // events arrive shuffled and some twice (Forge delivers duplicates)
    type Ev = { kind: 'r'; f: ReleaseKpiFacts } | { kind: 'a'; f: DslAuditFact } | { kind: 'i'; f: ImprovementFact };
    const events: Ev[] = [...all.map((f) => ({ kind: 'r' as const, f })), ...auditsR.map((f) => ({ kind: 'a' as const, f })), ...impsR.map((f) => ({ kind: 'i' as const, f }))];
    const stream = [...events, ...events.filter(() => r() < 0.3)].sort(() => r() - 0.5);
    const byMonth = new Map<string, KpiMonthAggregate>();
    for (const m of ['2025-03', '2025-04']) byMonth.set(m, emptyKpiMonth('P1', m));
    for (const ev of stream) {
      for (const [m, agg] of byMonth) {
        byMonth.set(m, ev.kind === 'r' ? applyClosedRelease(agg, ev.f) : ev.kind === 'a' ? applyDslAudit(agg, ev.f) : applyImprovementAction(agg, ev.f));
      }
    }
    for (const m of ['2025-03', '2025-04']) {
      const rec = reconcileKpiMonth('P1', m, { releases: all, dslAudits: auditsR, improvements: impsR });
      expect(byMonth.get(m)).toEqual(rec);
      expect(kpiValuesOf(byMonth.get(m)!)).toEqual(kpiValuesOf(rec));
    }
    // merging the two months equals reconciling their union
    const merged = mergeKpiMonths('P1', [byMonth.get('2025-03')!, byMonth.get('2025-04')!]);
    const union = reconcileKpiMonth('P1', 'ALL', {
      releases: all.map((f) => ({ ...f, month: 'ALL' })),
      dslAudits: [],
      improvements: impsR.map((f) => ({ ...f, month: 'ALL' })),
    });
    expect(merged.closed).toBe(union.closed);
    expect(merged.approvalToDeploymentMinutes).toEqual(union.approvalToDeploymentMinutes);
    expect(merged.improvementsOnTime).toBe(union.improvementsOnTime);
    expect(merged.dslAudits).toBe(auditsR.length);
    expect(merged.rollbackMinutes).toEqual(union.rollbackMinutes);
    expect(merged.entries).toEqual(union.entries);
    // every KPI's drill-down over the merged months adds up to the merged value
    const mv = kpiValuesOf(merged, 61);
    for (const name of KPI_NAMES) {
      const d = kpiDrillDown(name, [byMonth.get('2025-03')!, byMonth.get('2025-04')!]);
      if (d.kind === 'COUNT_RATIO' || d.kind === 'WEIGHTED_RATIO') expect([name, d.denominator ? (d.numerator as number) / d.denominator : null]).toEqual([name, mv[name]]);
    }
  });
});

describe('recorded times', () => {
  const r = { createdAt: T0, statusEnteredAt: { SUBMITTED: T0, PLANNING: T0 + DAY, IMPLEMENTING: T0 + 5 * DAY } };
  const now = T0 + 6 * DAY;
  test.each([
    ['deployment before implementation', 'DEPLOYMENT_FINISHED', T0 + 4 * DAY, ['TIME_BEFORE_IMPLEMENTATION']],
    ['deployment at implementation start', 'DEPLOYMENT_FINISHED', T0 + 5 * DAY, []],
    ['deployment a minute ahead of the clock (skew)', 'DEPLOYMENT_FINISHED', now + 60_000, []],
    ['deployment tomorrow', 'DEPLOYMENT_FINISHED', now + DAY, ['TIME_IN_FUTURE']],
    ['training before approval', 'TRAINING_DELIVERED', T0 + H, ['TIME_BEFORE_APPROVAL']],
    ['rehearsal after approval', 'REHEARSAL_HELD', T0 + 2 * DAY, []],
    ['not a number', 'REHEARSAL_HELD', Number.NaN, ['TIME_IN_FUTURE']],
  ] as const)('%s', (_label, kind, at, reasons) => {
    expect(releaseTimeReasons(kind, at, r, now)).toEqual(reasons);
  });
  test('before approval, the request is the lower bound', () => {
    expect(releaseTimeReasons('REHEARSAL_HELD', T0 - DAY, { createdAt: T0, statusEnteredAt: { SUBMITTED: T0 } }, now)).toEqual(['TIME_BEFORE_REQUEST']);
  });
  test('improvement actions', () => {
    expect(improvementCompletionReasons(T0 - DAY, T0, now)).toEqual(['TIME_BEFORE_CREATED']);
    // a browser clock a second behind the server's is not a lie
    expect(improvementCompletionReasons(T0 - 1000, T0, now)).toEqual([]);
    expect(improvementCompletionReasons(T0, T0, now)).toEqual([]);
    expect(improvementCompletionReasons(now + DAY, T0, now)).toEqual(['TIME_IN_FUTURE']);
  });
});

describe('a month with more closings than entries it can hold', () => {
  test('keeps counting every release, lists the same capped set either way, and the drill-down knows', () => {
    const many = Array.from({ length: MAX_KPI_ENTRIES_PER_MONTH + 25 }, (_, i) => facts(`R${String(i).padStart(4, '0')}`, {}));
    let agg = emptyKpiMonth('P1', '2025-03');
    for (const f of [...many].reverse()) agg = applyClosedRelease(agg, f);
    const rec = reconcileKpiMonth('P1', '2025-03', { releases: many, dslAudits: [], improvements: [] });
    expect(agg).toEqual(rec);
    expect([agg.closed, agg.entries.length]).toEqual([MAX_KPI_ENTRIES_PER_MONTH + 25, MAX_KPI_ENTRIES_PER_MONTH]);
    expect(kpiValuesOf(agg).RELEASE_SUCCESS_RATE).toBe(1);
    expect(JSON.stringify(agg).length).toBeLessThan(200 * 1024);
  });
});

describe('the daily job combines a recount from its pages', () => {
  test.each([[7], [8], [9]])('pages of any size combine to the recount of all at once, entries capped alike (seed %d)', (seed) => {
    const r = rng(seed);
    const rel: ReleaseKpiFacts[] = Array.from({ length: 700 }, (_, i) =>
      facts(`R${String(i).padStart(4, '0')}`, {
        outcome: r() < 0.8 ? 'SUCCESS' : 'ROLLED_BACK',
        deployed: r() < 0.8,
        approvalToDeploymentMinutes: r() < 0.3 ? null : Math.floor(r() * 30_000),
        rollbackMinutes: r() < 0.5 ? null : Math.floor(r() * 300),
        effective: r() < 0.5,
      }),
    );
    const aud: DslAuditFact[] = Array.from({ length: 40 }, (_, i) => ({ auditId: `a${i}`, projectId: 'P1', at: MAR + i * H, matched: r() < 0.8 }));
    const imp: ImprovementFact[] = Array.from({ length: 25 }, (_, i) => ({ actionId: `i${i}`, projectId: 'P1', month: '2025-03', onTime: r() < 0.6 }));
    // Pages as the job reads them: releases, then audits, then actions, in pages of 1–10 (a page may be empty).
    const pages: KpiMonthAggregate[] = [];
    const paged = <T,>(xs: readonly T[], sources: (page: T[]) => Parameters<typeof reconcileKpiMonth>[2]) => {
      for (let i = 0; i < xs.length; ) {
        const n = 1 + Math.floor(r() * 10);
        pages.push(reconcileKpiMonth('P1', '2025-03', sources(xs.slice(i, i + n))));
        i += n;
      }
    };
    paged([...rel].sort(() => r() - 0.5), (page) => ({ releases: page, dslAudits: [], improvements: [] }));
    paged(aud, (page) => ({ releases: [], dslAudits: page, improvements: [] }));
    paged(imp, (page) => ({ releases: [], dslAudits: [], improvements: page }));
    const whole = reconcileKpiMonth('P1', '2025-03', { releases: rel, dslAudits: aud, improvements: imp });
    expect(whole.entries).toHaveLength(MAX_KPI_ENTRIES_PER_MONTH);
    expect(combineKpiPages('P1', '2025-03', pages)).toEqual(whole);
    expect(combineKpiPages('P1', '2025-03', [])).toEqual(emptyKpiMonth('P1', '2025-03'));
  });

  test('a release counted on two pages (it moved in the index while the pages were read) gives no result: the month is counted again', () => {
    const a = reconcileKpiMonth('P1', '2025-03', { releases: [facts('R1', {}), facts('R2', {})], dslAudits: [], improvements: [] });
    const b = reconcileKpiMonth('P1', '2025-03', { releases: [facts('R2', {}), facts('R3', {})], dslAudits: [], improvements: [] });
    expect(combineKpiPages('P1', '2025-03', [a, b])).toBeNull();
  });
});
