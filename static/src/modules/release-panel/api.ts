import type { DslItemSummary } from '../../../../src/domain/dsl';
import type { FallbackPlan } from '../../../../src/domain/fallback';
import type { GateChecklist } from '../../../../src/domain/gates';
import type { ReleaseAction } from '../../../../src/domain/actions';
import type { ReasonCode } from '../../../../src/domain/reasons';
import type { ActionAvailability, AuditEntry, AuditRefs, PanelView } from '../../../../src/contracts/views';
import type { Release } from '../../../../src/domain/release';
import type { StandingRole, TeamRole } from '../../../../src/domain/roles';
import type { Team } from '../../../../src/domain/team';
import type { TrainingTask } from '../../../../src/domain/training';
import { ACTION_RESOLVER, RESOLVER_KEYS } from '../../../../src/contracts/keys';
import { FIELD_LIMITS, LIMITS } from '../../../../src/contracts/limits';
import { callResolver, resolver } from '../../shared';

export type { ActionAvailability, AuditEntry, DslItemSummary, FallbackPlan, GateChecklist, PanelView, ReleaseAction, ReasonCode, Release, StandingRole, Team, TeamRole, TrainingTask };

export const getPanel = resolver<{ releaseId?: string }, PanelView>(RESOLVER_KEYS.getPanel);

/** `audit/list` of this release, newest first, with the names of the people, releases and items it refers to. */
export const listReleaseAudit = resolver<{ projectId: string; releaseId: string; cursor?: string; limit?: number }, { items: AuditEntry[]; cursor?: string; refs: AuditRefs }>(RESOLVER_KEYS.listAudit);

/** Runs a release action. `evaluation/record` names the release without a version; every other action names both. */
export function runAction(action: ReleaseAction, release: { id: string; version: number }, payload: Record<string, unknown>): Promise<unknown> {
  const base = action === 'evaluateParticipant' ? { releaseId: release.id } : { releaseId: release.id, expectedVersion: release.version };
  return callResolver(ACTION_RESOLVER[action], { ...base, ...payload });
}

/** Payload bounds, from the module the zod schemas are built from (zod-free, so the bundle carries no zod). */
export const BOUNDS = {
  shortText: LIMITS.shortText,
  text: LIMITS.text,
  longText: LIMITS.longText,
  url: LIMITS.url,
  fallbackSteps: LIMITS.fallbackSteps,
  listItems: LIMITS.listItems,
  summary: FIELD_LIMITS.summary,
  environment: FIELD_LIMITS.environment,
  plannedEffortHours: FIELD_LIMITS.plannedEffortHours,
  stepMinutes: FIELD_LIMITS.stepMinutes,
  progressEffortHours: FIELD_LIMITS.progressEffortHours,
  trainees: FIELD_LIMITS.trainees,
  dataBackupRef: FIELD_LIMITS.dataBackupRef,
} as const;
