import { TIME_REASON_CODES } from './recordedTime';

/**
 * Every reason code the domain can return. User text lives in locales/*.json under `reason.<CODE>`.
 * Codes are grouped so callers can tell "who you are" apart from "what is missing".
 */

/** The actor does not hold the role the action needs. */
export const ROLE_REASON_CODES = [
  'CANNOT_BROWSE',
  'NOT_PROCESS_OWNER',
  'NOT_RELEASE_MANAGER',
  'NOT_RELEASE_LEAD',
  'NOT_TEAM_IMPLEMENTER',
  'NOT_TEAM_TRAINING_LEAD',
  'NOT_TEAM_TEST_EXPERT',
  'NOT_SOFTWARE_CONTROL_LEAD',
  'NOT_BUSINESS_LEAD',
  'NOT_OPERATIONS_LEAD',
  // the project's audit trail: process owner, release manager or Jira project administrator
  'NOT_AUDITOR',
  'NOT_PIPELINE',
] as const;

/** Segregation of duties (SPEC §2), switched by policy. */
export const SOD_REASON_CODES = ['SOD_REQUESTER_APPROVER', 'SOD_IMPLEMENTER_VERIFIER', 'SOD_REQUESTER_FREEZE_EXCEPTION'] as const;

/** The release is not in a state where the action applies. */
export const STATE_REASON_CODES = [
  'RELEASE_REQUIRED',
  'WRONG_STATUS',
  'TEAM_DISSOLVED',
  // Jira's copy of the release's facts (the issue property the role validator reads) differs from the record.
  'JIRA_FACTS_OUT_OF_DATE',
] as const;

/** Transition gates (SPEC §3); each condition has its own code. */
export const GATE_REASON_CODES = [
  // approve
  'GATE_NO_CLASSIFICATION',
  'GATE_NO_RISK_LEVEL',
  'GATE_NO_WINDOW',
  'GATE_WINDOW_INVALID',
  // approve and startImplementation: advisory (flagged, never blocking)
  'GATE_WINDOW_IN_FREEZE',
  'GATE_NO_LEAD',
  'GATE_NO_LINKED_CHANGE',
  // startBuild
  'GATE_TEAM_NO_LEAD',
  'GATE_TEAM_LEAD_MISMATCH',
  'GATE_TEAM_NO_SOFTWARE_CONTROL_LEAD',
  'GATE_TEAM_NO_TRAINING_LEAD',
  'GATE_TEAM_NO_TEST_EXPERT',
  'GATE_TEAM_DUAL_ROLE',
  'GATE_NO_PLAN_SCOPE',
  'GATE_NO_PLAN_SCHEDULE',
  'GATE_NO_PLANNED_EFFORT',
  'GATE_NO_FALLBACK_STEP',
  'GATE_NO_FALLBACK_TRIGGER',
  // markReady
  'GATE_INTEGRATION_TEST_NOT_PASSED',
  'GATE_UAT_NOT_PASSED',
  'GATE_NO_PASSED_REHEARSAL',
  'GATE_NO_DSL_ITEMS',
  'GATE_DSL_ITEM_NOT_APPROVED',
  'GATE_DSL_ITEM_NOT_CHECKED_IN',
  'GATE_HELP_DESK_TRAINING_NOT_DELIVERED',
  'GATE_DEPARTMENT_OPINIONS_MISSING',
  'GATE_NO_IMPLEMENTER',
  // startImplementation
  'GATE_OUTSIDE_WINDOW',
  'GATE_HARD_FREEZE',
  // advisory: a soft freeze warns
  'GATE_SOFT_FREEZE',
  // markDeployed
  'GATE_NO_DEPLOYMENT_RESULT',
  'GATE_DEPLOYMENT_FAILED',
  // completeFallback
  'GATE_NO_FALLBACK_RESULT',
  // verifyAndClose
  'GATE_NO_OPERATIONAL_ACCEPTANCE',
  'GATE_RELEASE_RESULT_NOT_CONFIRMED',
  'GATE_NO_BUSINESS_CUTOVER',
] as const;

/** The action's input (passed as `extras` to decide) is not acceptable. */
export const INPUT_REASON_CODES = [
  'REASON_REQUIRED',
  'TARGET_REQUIRED',
  'TARGET_UNKNOWN_ACCOUNT',
  'TARGET_CANNOT_BROWSE',
  'TARGET_NOT_IN_ROLE_POOL',
  'TARGET_NOT_TEAM_MEMBER',
  'TEAM_ROLE_REQUIRED',
  'TEAM_ALREADY_IN_ROLE',
  'TEAM_DUAL_ROLE_FORBIDDEN',
  'TEAM_LEAD_NOT_ASSIGNED_LEAD',
  'RAISE_FROM_RELEASE_REQUEST',
  'CHANGE_ALREADY_HAS_RELEASE',
  'DSL_ITEM_REQUIRED',
  'DSL_WRONG_STATUS',
  'DSL_USAGE_REQUEST_REQUIRED',
  'DSL_NOT_APPROVED',
  'DSL_DUPLICATE_NAME_VERSION',
  'DSL_USAGE_REQUEST_NOT_APPROVED',
  'DSL_REPLACEMENT_INVALID',
  'DSL_RELEASE_CLOSED',
  'DSL_FIX_VERSION_NOT_FOUND',
  // change freezes (manageFreezes)
  'FREEZE_REASON_REQUIRED',
  'FREEZE_NO_CLASSIFICATION',
  'FREEZE_END_BEFORE_START',
  'FREEZE_BAD_WORKING_DAYS',
  'FREEZE_BAD_TIME',
  'FREEZE_EMPTY_WEEKLY',
] as const;

/** A recorded time outside the record's life: TIME_REASON_CODES (recordedTime.ts). */
export const REASON_CODES = [
  ...ROLE_REASON_CODES,
  ...SOD_REASON_CODES,
  ...STATE_REASON_CODES,
  ...GATE_REASON_CODES,
  ...INPUT_REASON_CODES,
  ...TIME_REASON_CODES,
] as const;

export type RoleReasonCode = (typeof ROLE_REASON_CODES)[number];
export type SodReasonCode = (typeof SOD_REASON_CODES)[number];
export type StateReasonCode = (typeof STATE_REASON_CODES)[number];
export type GateReasonCode = (typeof GATE_REASON_CODES)[number];
export type InputReasonCode = (typeof INPUT_REASON_CODES)[number];
export type ReasonCode = (typeof REASON_CODES)[number];

export function isReasonCode(value: string): value is ReasonCode {
  return (REASON_CODES as readonly string[]).includes(value);
}
