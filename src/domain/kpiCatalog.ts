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
] as const;
export type KpiName = (typeof KPI_NAMES)[number];

export type KpiDirection = 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER';
export type KpiUnit = 'RATIO' | 'DAYS' | 'MINUTES';

export interface KpiDefinition {
  readonly name: KpiName;
  readonly direction: KpiDirection;
  readonly unit: KpiUnit;
  /** Standing roles the source document holds accountable (empty: process-wide indicator). */
  readonly roles: readonly StandingRole[];
}

export const KPI_DEFINITIONS: Readonly<Record<KpiName, KpiDefinition>> = {
  RELEASE_SUCCESS_RATE: { name: 'RELEASE_SUCCESS_RATE', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['RELEASE_LEAD'] },
  RELEASE_TIMELINESS: { name: 'RELEASE_TIMELINESS', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['RELEASE_LEAD'] },
  RELEASE_EFFICIENCY_MEDIAN_DAYS: { name: 'RELEASE_EFFICIENCY_MEDIAN_DAYS', direction: 'LOWER_IS_BETTER', unit: 'DAYS', roles: ['RELEASE_LEAD'] },
  RELEASE_EFFICIENCY_WITHIN_PLAN: { name: 'RELEASE_EFFICIENCY_WITHIN_PLAN', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['RELEASE_LEAD'] },
  RESOURCE_USE: { name: 'RESOURCE_USE', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['RELEASE_LEAD'] },
  PROCESS_EFFECTIVENESS: { name: 'PROCESS_EFFECTIVENESS', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['RELEASE_MANAGER'] },
  PROCESS_COMPLETENESS: { name: 'PROCESS_COMPLETENESS', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['PROCESS_OWNER'] },
  PROCESS_OPTIMISATION_TIMELINESS: { name: 'PROCESS_OPTIMISATION_TIMELINESS', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['PROCESS_OWNER'] },
  TRAINING_TIMELINESS: { name: 'TRAINING_TIMELINESS', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['TRAINING_LEAD'] },
  TRAINEE_PASS_RATE: { name: 'TRAINEE_PASS_RATE', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['TRAINING_LEAD'] },
  DSL_ACCURACY: { name: 'DSL_ACCURACY', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['SOFTWARE_CONTROL_LEAD'] },
  DSL_TIMELY_UPDATE_RATE: { name: 'DSL_TIMELY_UPDATE_RATE', direction: 'HIGHER_IS_BETTER', unit: 'RATIO', roles: ['SOFTWARE_CONTROL_LEAD'] },
  ROLLBACK_RATE: { name: 'ROLLBACK_RATE', direction: 'LOWER_IS_BETTER', unit: 'RATIO', roles: [] },
  EMERGENCY_SHARE: { name: 'EMERGENCY_SHARE', direction: 'LOWER_IS_BETTER', unit: 'RATIO', roles: [] },
  MEAN_TIME_TO_ROLLBACK_MINUTES: { name: 'MEAN_TIME_TO_ROLLBACK_MINUTES', direction: 'LOWER_IS_BETTER', unit: 'MINUTES', roles: [] },
};
