/** The KPIs of SPEC §5: names, direction and which role they measure. */
import type { StandingRole } from './roles';

export const KPI_NAMES = [
  'RELEASE_SUCCESS_RATE',
  'RELEASE_TIMELINESS',
  'RELEASE_EFFICIENCY_MEDIAN_DAYS',
  'RELEASE_EFFICIENCY_WITHIN_PLAN',
  'RESOURCE_USE',
  'PROCESS_EFFECTIVENESS',
  'PROCESS_COMPLETENESS',
  'PROCESS_OPTIMISATION_TIMELINESS',
  'TRAINING_TIMELINESS',
  'TRAINEE_PASS_RATE',
  'DSL_ACCURACY',
  'DSL_TIMELY_UPDATE_RATE',
  'ROLLBACK_RATE',
  'EMERGENCY_SHARE',
  'MEAN_TIME_TO_ROLLBACK_MINUTES',
  // DORA alongside the ITSS KPIs (SPEC §5)
  'DEPLOYMENT_FREQUENCY',
  'LEAD_TIME_FROM_APPROVAL_DAYS',
  'LEAD_TIME_FROM_REQUEST_DAYS',
  'CHANGE_FAILURE_RATE',
  'RECOVERY_TIME_MINUTES',
] as const;
export type KpiName = (typeof KPI_NAMES)[number];

export type KpiDirection = 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER';
/** PER_WEEK: a rate, deployments per week of the period. */
export type KpiUnit = 'RATIO' | 'DAYS' | 'MINUTES' | 'PER_WEEK';
export type KpiFamily = 'ITSS' | 'DORA';

export interface KpiDefinition {
  readonly name: KpiName;
  readonly direction: KpiDirection;
  readonly unit: KpiUnit;
  /** Standing roles the source document holds accountable (empty: process-wide indicator). */
  readonly roles: readonly StandingRole[];
  readonly family: KpiFamily;
}

export const KPI_DEFINITIONS: Readonly<Record<KpiName, KpiDefinition>> = {
  RELEASE_SUCCESS_RATE: { name: 'RELEASE_SUCCESS_RATE', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['RELEASE_LEAD'], family: 'ITSS' },
  RELEASE_TIMELINESS: { name: 'RELEASE_TIMELINESS', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['RELEASE_LEAD'], family: 'ITSS' },
  RELEASE_EFFICIENCY_MEDIAN_DAYS: { name: 'RELEASE_EFFICIENCY_MEDIAN_DAYS', direction: 'LOWER_IS_BETTER', unit: 'DAYS', roles: ['RELEASE_LEAD'], family: 'ITSS' },
  RELEASE_EFFICIENCY_WITHIN_PLAN: { name: 'RELEASE_EFFICIENCY_WITHIN_PLAN', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['RELEASE_LEAD'], family: 'ITSS' },
  RESOURCE_USE: { name: 'RESOURCE_USE', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['RELEASE_LEAD'], family: 'ITSS' },
  PROCESS_EFFECTIVENESS: { name: 'PROCESS_EFFECTIVENESS', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['RELEASE_MANAGER'], family: 'ITSS' },
  PROCESS_COMPLETENESS: { name: 'PROCESS_COMPLETENESS', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['PROCESS_OWNER'], family: 'ITSS' },
  PROCESS_OPTIMISATION_TIMELINESS: { name: 'PROCESS_OPTIMISATION_TIMELINESS', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['PROCESS_OWNER'], family: 'ITSS' },
  TRAINING_TIMELINESS: { name: 'TRAINING_TIMELINESS', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['TRAINING_LEAD'], family: 'ITSS' },
  TRAINEE_PASS_RATE: { name: 'TRAINEE_PASS_RATE', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['TRAINING_LEAD'], family: 'ITSS' },
  DSL_ACCURACY: { name: 'DSL_ACCURACY', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['SOFTWARE_CONTROL_LEAD'], family: 'ITSS' },
  DSL_TIMELY_UPDATE_RATE: { name: 'DSL_TIMELY_UPDATE_RATE', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['SOFTWARE_CONTROL_LEAD'], family: 'ITSS' },
  ROLLBACK_RATE: { name: 'ROLLBACK_RATE', direction: 'LOWER_IS_BETTER', unit: 'RATIO', roles: [], family: 'ITSS' },
  EMERGENCY_SHARE: { name: 'EMERGENCY_SHARE', direction: 'LOWER_IS_BETTER', unit: 'RATIO', roles: [], family: 'ITSS' },
  MEAN_TIME_TO_ROLLBACK_MINUTES: { name: 'MEAN_TIME_TO_ROLLBACK_MINUTES', direction: 'LOWER_IS_BETTER', unit: 'MINUTES', roles: [], family: 'ITSS' },
  DEPLOYMENT_FREQUENCY: { name: 'DEPLOYMENT_FREQUENCY', direction: 'HIGHER_IS_BETTER', unit: 'PER_WEEK', roles: [], family: 'DORA' },
  LEAD_TIME_FROM_APPROVAL_DAYS: { name: 'LEAD_TIME_FROM_APPROVAL_DAYS', direction: 'LOWER_IS_BETTER', unit: 'DAYS', roles: [], family: 'DORA' },
  LEAD_TIME_FROM_REQUEST_DAYS: { name: 'LEAD_TIME_FROM_REQUEST_DAYS', direction: 'LOWER_IS_BETTER', unit: 'DAYS', roles: [], family: 'DORA' },
  CHANGE_FAILURE_RATE: { name: 'CHANGE_FAILURE_RATE', direction: 'LOWER_IS_BETTER', unit: 'RATIO', roles: [], family: 'DORA' },
  RECOVERY_TIME_MINUTES: { name: 'RECOVERY_TIME_MINUTES', direction: 'LOWER_IS_BETTER', unit: 'MINUTES', roles: [], family: 'DORA' },
};

/**
 * Whose KPIs are whose (SPEC §2's KPI column): the release lead, an implementer (a team role, so everyone
 * may look), the training lead, the software control lead, the release manager; the process owner sees all.
 */
export const KPI_AUDIENCES = ['RELEASE_LEAD', 'IMPLEMENTER', 'TRAINING_LEAD', 'SOFTWARE_CONTROL_LEAD', 'RELEASE_MANAGER', 'PROCESS_OWNER'] as const;
export type KpiAudience = (typeof KPI_AUDIENCES)[number];

export const AUDIENCE_KPIS: Readonly<Record<KpiAudience, readonly KpiName[]>> = {
  RELEASE_LEAD: ['RELEASE_SUCCESS_RATE', 'RESOURCE_USE', 'RELEASE_EFFICIENCY_MEDIAN_DAYS', 'RELEASE_EFFICIENCY_WITHIN_PLAN'],
  IMPLEMENTER: ['RELEASE_SUCCESS_RATE', 'RELEASE_TIMELINESS'],
  TRAINING_LEAD: ['TRAINING_TIMELINESS', 'TRAINEE_PASS_RATE'],
  SOFTWARE_CONTROL_LEAD: ['DSL_ACCURACY', 'DSL_TIMELY_UPDATE_RATE'],
  RELEASE_MANAGER: ['PROCESS_EFFECTIVENESS'],
  PROCESS_OWNER: KPI_NAMES,
};

/** The audiences a person with these standing roles belongs to, most specific first; everyone may be an implementer. */
export function kpiAudiencesOf(roles: readonly StandingRole[]): KpiAudience[] {
  const held = KPI_AUDIENCES.filter((a) => a !== 'IMPLEMENTER' && (roles as readonly string[]).includes(a));
  return [...held.filter((a) => a !== 'PROCESS_OWNER'), 'IMPLEMENTER', ...held.filter((a) => a === 'PROCESS_OWNER')];
}
