/**
 * What stands behind a KPI's number: the releases it counts (its denominator, or the sample of a median),
 * those of them in its numerator, what each contributed — from the month aggregates' entries, so the list
 * adds up to the number shown by construction — and the same two sets as Jira searches over the release
 * facts the issue entity property indexes (`releaseKpiProperty`, manifest `jira:entityProperty`).
 */
import type { KpiMonthAggregate, KpiReleaseEntry, ReleaseKpiFacts } from './kpi';
import type { KpiName } from './kpiCatalog';

/**
 * COUNT_RATIO: releases in the numerator ÷ releases counted. WEIGHTED_RATIO: Σ of what each release adds to
 * numerator ÷ Σ of what it adds to the denominator (trainees, training tasks, effort hours). SAMPLE: the
 * median or mean of one value per release. RATE: releases ÷ weeks of the period. NOT_RELEASES: the KPI
 * counts DSL audits or improvement actions, not releases.
 */
export type KpiDrillKind = 'COUNT_RATIO' | 'WEIGHTED_RATIO' | 'SAMPLE' | 'RATE' | 'NOT_RELEASES';

/** The searchable aliases of the release facts (manifest.yml `jira:entityProperty`, property `kpi.*`). */
export const KPI_FACT_ALIASES = {
  closedMonth: 'releaseClosedMonth',
  deployed: 'releaseDeployed',
  onTime: 'releaseOnTime',
  withinPlan: 'releaseWithinPlan',
  effortRecorded: 'releaseEffortRecorded',
  effective: 'releaseEffective',
  complete: 'releaseComplete',
  dslTimely: 'releaseDslTimely',
  emergency: 'releaseEmergency',
  leadTimeApprovalMinutes: 'releaseLeadTimeApproval',
  leadTimeRequestMinutes: 'releaseLeadTimeRequest',
  recoveryMinutes: 'releaseRecoveryMinutes',
  trainingDue: 'releaseTrainingDue',
  traineesAssessed: 'releaseTraineesAssessed',
} as const;
export type KpiFactPath = keyof typeof KPI_FACT_ALIASES;

const A = KPI_FACT_ALIASES;
const yes = (alias: string) => `${alias} = true`;
const present = (alias: string) => `${alias} is not EMPTY`;

interface DrillSpec {
  readonly kind: KpiDrillKind;
  /** Counted releases (denominator / sample / rate); all closed releases of the period when absent. */
  readonly counted?: (e: KpiReleaseEntry) => boolean;
  /** Numerator of a COUNT_RATIO. */
  readonly hit?: (e: KpiReleaseEntry) => boolean;
  /** [numerator, denominator] a release adds to a WEIGHTED_RATIO. */
  readonly weight?: (e: KpiReleaseEntry) => readonly [number, number];
  /** The value a release adds to a SAMPLE. */
  readonly sample?: (e: KpiReleaseEntry) => number | null;
  /** The same predicates as JQL clauses over the indexed facts. */
  readonly jqlCounted: readonly string[];
  readonly jqlHit?: readonly string[];
}

const ALL: DrillSpec = { kind: 'COUNT_RATIO', jqlCounted: [] };

const SPECS: Readonly<Record<KpiName, DrillSpec>> = {
  RELEASE_SUCCESS_RATE: { ...ALL, hit: (e) => e.outcome === 'SUCCESS', jqlHit: ['releaseOutcome = SUCCESS'] },
  RELEASE_TIMELINESS: { kind: 'COUNT_RATIO', counted: (e) => e.deployed, hit: (e) => e.onTime, jqlCounted: [yes(A.deployed)], jqlHit: [yes(A.onTime)] },
  RELEASE_EFFICIENCY_MEDIAN_DAYS: { kind: 'SAMPLE', sample: (e) => e.approvalMinutes, jqlCounted: [present(A.leadTimeApprovalMinutes)] },
  RELEASE_EFFICIENCY_WITHIN_PLAN: {
    kind: 'COUNT_RATIO',
    counted: (e) => e.withinPlan !== null,
    hit: (e) => e.withinPlan === true,
    jqlCounted: [present(A.withinPlan)],
    jqlHit: [yes(A.withinPlan)],
  },
  RESOURCE_USE: { kind: 'WEIGHTED_RATIO', counted: (e) => e.effort !== null, weight: (e) => e.effort ?? [0, 0], jqlCounted: [yes(A.effortRecorded)] },
  PROCESS_EFFECTIVENESS: { ...ALL, hit: (e) => e.effective, jqlHit: [yes(A.effective)] },
  PROCESS_COMPLETENESS: { ...ALL, hit: (e) => e.complete, jqlHit: [yes(A.complete)] },
  PROCESS_OPTIMISATION_TIMELINESS: { kind: 'NOT_RELEASES', jqlCounted: [] },
  TRAINING_TIMELINESS: {
    kind: 'WEIGHTED_RATIO',
    counted: (e) => e.training.due > 0,
    weight: (e) => [e.training.deliveredOnTime, e.training.due],
    jqlCounted: [`${A.trainingDue} > 0`],
  },
  TRAINEE_PASS_RATE: {
    kind: 'WEIGHTED_RATIO',
    counted: (e) => e.training.assessed > 0,
    weight: (e) => [e.training.passed, e.training.assessed],
    jqlCounted: [`${A.traineesAssessed} > 0`],
  },
  DSL_ACCURACY: { kind: 'NOT_RELEASES', jqlCounted: [] },
  DSL_TIMELY_UPDATE_RATE: {
    kind: 'COUNT_RATIO',
    counted: (e) => e.outcome === 'SUCCESS',
    hit: (e) => e.dslTimely === true,
    jqlCounted: ['releaseOutcome = SUCCESS'],
    jqlHit: [yes(A.dslTimely)],
  },
  ROLLBACK_RATE: { ...ALL, hit: (e) => e.outcome === 'ROLLED_BACK', jqlHit: ['releaseOutcome = ROLLED_BACK'] },
  EMERGENCY_SHARE: { ...ALL, hit: (e) => e.emergency, jqlHit: [yes(A.emergency)] },
  MEAN_TIME_TO_ROLLBACK_MINUTES: { kind: 'SAMPLE', sample: (e) => e.rollbackMinutes, jqlCounted: [present(A.recoveryMinutes)] },
  DEPLOYMENT_FREQUENCY: { kind: 'RATE', jqlCounted: [] },
  LEAD_TIME_FROM_APPROVAL_DAYS: { kind: 'SAMPLE', sample: (e) => e.approvalMinutes, jqlCounted: [present(A.leadTimeApprovalMinutes)] },
  LEAD_TIME_FROM_REQUEST_DAYS: { kind: 'SAMPLE', sample: (e) => e.requestMinutes, jqlCounted: [present(A.leadTimeRequestMinutes)] },
  CHANGE_FAILURE_RATE: { ...ALL, hit: (e) => e.outcome === 'ROLLED_BACK' || e.outcome === 'FAILED', jqlHit: ['releaseOutcome in (ROLLED_BACK, FAILED)'] },
  RECOVERY_TIME_MINUTES: { kind: 'SAMPLE', sample: (e) => e.rollbackMinutes, jqlCounted: [present(A.recoveryMinutes)] },
};

export function kpiDrillKind(name: KpiName): KpiDrillKind {
  return SPECS[name].kind;
}

/** One release behind a number: in the numerator or not, and what it added (n ÷ d, or its sample value). */
export interface KpiDrillRow {
  readonly entry: KpiReleaseEntry;
  readonly inNumerator: boolean;
  readonly n: number;
  readonly d: number;
  readonly value: number | null;
}

export interface KpiDrillDown {
  readonly name: KpiName;
  readonly kind: KpiDrillKind;
  /** Counted releases, oldest close first. */
  readonly rows: readonly KpiDrillRow[];
  /** COUNT_RATIO: releases in the numerator; WEIGHTED_RATIO: Σ n; RATE: releases; SAMPLE: null. */
  readonly numerator: number | null;
  /** COUNT_RATIO: releases counted; WEIGHTED_RATIO: Σ d; SAMPLE: releases in the sample; RATE: null (weeks). */
  readonly denominator: number | null;
  /** DSL audits or improvement actions behind a NOT_RELEASES KPI: matched/on time ÷ all. */
  readonly other: { readonly numerator: number; readonly denominator: number } | null;
}

function sampleOf(spec: DrillSpec, e: KpiReleaseEntry): number | null {
  return spec.sample ? spec.sample(e) : null;
}

function isCounted(spec: DrillSpec, e: KpiReleaseEntry): boolean {
  if (spec.kind === 'SAMPLE') return sampleOf(spec, e) !== null;
  return spec.counted ? spec.counted(e) : true;
}

/** The drill-down of a KPI over the months given (their entries), consistent with `kpiValuesOf`. */
export function kpiDrillDown(name: KpiName, months: readonly KpiMonthAggregate[]): KpiDrillDown {
  const spec = SPECS[name];
  if (spec.kind === 'NOT_RELEASES') {
    const other =
      name === 'DSL_ACCURACY'
        ? { numerator: months.reduce((s, m) => s + m.dslAuditsMatched, 0), denominator: months.reduce((s, m) => s + m.dslAudits, 0) }
        : { numerator: months.reduce((s, m) => s + m.improvementsOnTime, 0), denominator: months.reduce((s, m) => s + m.improvementsDue, 0) };
    return { name, kind: spec.kind, rows: [], numerator: null, denominator: null, other };
  }
  const entries = months.flatMap((m) => m.entries).filter((e) => isCounted(spec, e));
  entries.sort((x, y) => x.closedAt - y.closedAt || (x.releaseId < y.releaseId ? -1 : 1));
  const rows = entries.map((entry): KpiDrillRow => {
    if (spec.kind === 'WEIGHTED_RATIO' && spec.weight) {
      const [n, d] = spec.weight(entry);
      return { entry, inNumerator: n > 0, n, d, value: null };
    }
    if (spec.kind === 'SAMPLE') return { entry, inNumerator: false, n: 0, d: 1, value: sampleOf(spec, entry) };
    const hit = spec.kind === 'RATE' ? true : (spec.hit?.(entry) ?? false);
    return { entry, inNumerator: hit, n: hit ? 1 : 0, d: 1, value: null };
  });
  const sumN = rows.reduce((s, r) => s + r.n, 0);
  const sumD = rows.reduce((s, r) => s + r.d, 0);
  switch (spec.kind) {
    case 'SAMPLE':
      return { name, kind: spec.kind, rows, numerator: null, denominator: rows.length, other: null };
    case 'RATE':
      return { name, kind: spec.kind, rows, numerator: rows.length, denominator: null, other: null };
    default:
      return { name, kind: spec.kind, rows, numerator: sumN, denominator: sumD, other: null };
  }
}

const quote = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/**
 * Jira searches for the releases behind a KPI in the given months of a project: `counted` finds every
 * release counted (denominator, sample), `numerator` those in the numerator of a count ratio (else null).
 * Null for a KPI that does not count releases.
 */
export function kpiDrillJql(name: KpiName, projectId: string, months: readonly string[]): { counted: string; numerator: string | null } | null {
  const spec = SPECS[name];
  if (spec.kind === 'NOT_RELEASES' || months.length === 0) return null;
  const base = [`project = ${projectId}`, months.length === 1 ? `${A.closedMonth} = ${quote(months[0] as string)}` : `${A.closedMonth} in (${months.map(quote).join(', ')})`];
  const counted = [...base, ...spec.jqlCounted];
  const order = ' ORDER BY key ASC';
  return {
    counted: counted.join(' AND ') + order,
    numerator: spec.kind === 'COUNT_RATIO' && spec.jqlHit ? [...counted, ...spec.jqlHit].join(' AND ') + order : null,
  };
}

/** A boolean fact as the property stores it: the strings `true` / `false` (Jira indexes them as strings). */
const flag = (v: boolean): 'true' | 'false' => (v ? 'true' : 'false');

/** The KPI facts of a closed release as the issue property's `kpi` object holds them (absent: no value). */
export type ReleaseKpiProperty = Partial<Record<KpiFactPath, string | number>>;

/**
 * Pure: the release facts Jira indexes for the drill-down's JQL, from the same facts the aggregate counts.
 * A value that does not exist (no deployment, no plan) is left out, so `IS EMPTY` finds it.
 */
export function releaseKpiProperty(f: ReleaseKpiFacts): ReleaseKpiProperty {
  const out: ReleaseKpiProperty = {
    closedMonth: f.month,
    deployed: flag(f.deployed),
    onTime: flag(f.deployed && f.deployedOnTime),
    effortRecorded: flag(f.plannedEffortCentiHours !== null && f.actualEffortCentiHours !== null && f.actualEffortCentiHours > 0),
    effective: flag(f.effective),
    complete: flag(f.missingRecords.length === 0),
    emergency: flag(f.classification === 'EMERGENCY'),
    trainingDue: f.training.due,
    traineesAssessed: f.training.assessed,
  };
  if (f.deployedWithinPlannedDuration !== null) out.withinPlan = flag(f.deployedWithinPlannedDuration);
  if (f.dslTimelyUpdate !== null) out.dslTimely = flag(f.dslTimelyUpdate);
  if (f.approvalToDeploymentMinutes !== null) out.leadTimeApprovalMinutes = f.approvalToDeploymentMinutes;
  if (f.requestToDeploymentMinutes !== null) out.leadTimeRequestMinutes = f.requestToDeploymentMinutes;
  if (f.rollbackMinutes !== null) out.recoveryMinutes = f.rollbackMinutes;
  return out;
}

/** The manifest's indexed values for `releaseKpiProperty` (a test holds manifest.yml to it). */
export const KPI_FACT_INDEX: readonly { path: string; type: 'string' | 'number'; searchAlias: string }[] = (Object.keys(KPI_FACT_ALIASES) as KpiFactPath[]).map((k) => ({
  path: `kpi.${k}`,
  type: k === 'leadTimeApprovalMinutes' || k === 'leadTimeRequestMinutes' || k === 'recoveryMinutes' || k === 'trainingDue' || k === 'traineesAssessed' ? 'number' : 'string',
  searchAlias: KPI_FACT_ALIASES[k],
}));
