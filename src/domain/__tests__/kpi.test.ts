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
  releasesBehind,
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
    projectId: 'P1',
    month: '2025-03',
    closedAt: MAR,
    outcome: 'SUCCESS',
    classification: 'STANDARD',
    deployed: true,
    deployedOnTime: true,
    approvalToDeploymentMinutes: 1440,
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
const A = facts('A', { classification: 'MAJOR', approvalToDeploymentMinutes: 2880, plannedEffortCentiHours: 1000, actualEffortCentiHours: 1200, training: { due: 2, deliveredOnTime: 1, assessed: 10, passed: 8 } });
const B = facts('B', {
  classification: 'EMERGENCY',
  deployedOnTime: false,
  approvalToDeploymentMinutes: 5760,
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
  const v = kpiValuesOf(agg);
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
  ] as const)('%s = %d', (name, expected) => {
    expect(v[name]).toBeCloseTo(expected, 12);
  });

  test('an empty month has no values, not zeros', () => {
    expect(Object.values(kpiValuesOf(emptyKpiMonth('P1', '2025-05'))).every((x) => x === null)).toBe(true);
  });

  test('readings compare with targets in the right direction', () => {
    const r = Object.fromEntries(kpiReadings(agg, DEFAULT_POLICY).map((x) => [x.name, x]));
    expect(r.RELEASE_SUCCESS_RATE).toEqual({ name: 'RELEASE_SUCCESS_RATE', value: 0.5, target: 0.95, onTarget: false });
    expect(r.RELEASE_EFFICIENCY_MEDIAN_DAYS?.onTarget).toBe(true); // 2 days ≤ 14
    expect(r.ROLLBACK_RATE?.onTarget).toBe(false); // 0.25 > 0.05
    expect(r.MEAN_TIME_TO_ROLLBACK_MINUTES?.onTarget).toBe(true); // 60 ≤ 60
  });

  test('releases behind a number', () => {
    expect(releasesBehind('RELEASE_TIMELINESS', [D, C, B, A])).toEqual(['A', 'B', 'C']);
    expect(releasesBehind('DSL_TIMELY_UPDATE_RATE', [A, B, C, D])).toEqual(['A', 'B']);
    expect(releasesBehind('RELEASE_SUCCESS_RATE', [A, B, C, D])).toEqual(['A', 'B', 'C', 'D']);
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
      projectId: 'P1',
      month: '2025-03',
      closedAt: T0 + 10 * DAY + 5 * H,
      outcome: 'SUCCESS',
      classification: 'MAJOR',
      deployed: true,
      deployedOnTime: true,
      approvalToDeploymentMinutes: 9 * 1440 + 180,
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
        deployedWithinPlannedDuration: maybe(r() < 0.5),
        plannedEffortCentiHours: maybe(Math.floor(r() * 10_000)),
        actualEffortCentiHours: maybe(Math.floor(r() * 10_000)),
        rollbackMinutes: maybe(Math.floor(r() * 300)),
        effective: r() < 0.5,
        missingRecords: r() < 0.3 ? ['PLAN'] : [],
        dslTimelyUpdate: maybe(r() < 0.5),
        training: { due: Math.floor(r() * 4), deliveredOnTime: Math.floor(r() * 2), assessed: Math.floor(r() * 20), passed: Math.floor(r() * 10) },
      }),
    );
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
  });
});
