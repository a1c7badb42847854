import { RESOLVER_KEYS as K } from '../../../../src/contracts/keys';
import type { CalendarEntry, CalendarView, ImprovementRow, Page, ProjectContextView, QueueView, TrainingRow } from '../../../../src/contracts/views';
import type { Classification } from '../../../../src/domain/release';
import type { FreezeRecurrence, FreezeSeverity, FreezeWindow } from '../../../../src/domain/freeze';
import type { ImprovementAction } from '../../../../src/domain/improvement';
import type { Policy } from '../../../../src/domain/policy';
import type { Release, ReleaseStatus } from '../../../../src/domain/release';
import type { StandingRole } from '../../../../src/domain/roles';
import type { TrainingTask } from '../../../../src/domain/training';
import { resolver } from '../../shared';
import type { KpiDrillView, KpiName, KpiView } from '../../shared/kpi';

export type { CalendarEntry, CalendarView, Classification, FreezeRecurrence, FreezeSeverity, FreezeWindow };
export type { ImprovementAction, ImprovementRow, Page, Policy, QueueView, Release, ReleaseStatus, StandingRole, TrainingRow, TrainingTask };

export type QueueRole = StandingRole | 'IMPLEMENTER' | 'TEST_EXPERT';

export const listQueue = resolver<{ projectId: string; role: QueueRole; limit?: number }, QueueView>(K.listQueue);
export const listReleases = resolver<
  { projectId: string; status?: ReleaseStatus; leadAccountId?: string; windowFrom?: number; windowTo?: number; cursor?: string; limit?: number },
  Page<Release>
>(K.listReleases);

export const listTraining = resolver<{ projectId: string; overdueOnly?: boolean; dueFrom?: number; dueTo?: number; limit?: number; cursor?: string }, Page<TrainingRow>>(
  K.listTraining,
);
export const listImprovementActions = resolver<{ projectId: string; openOnly?: boolean; limit?: number; cursor?: string }, Page<ImprovementRow>>(
  K.listImprovementActions,
);
export const getKpis = resolver<{ projectId: string; fromMonth: string; toMonth: string; kpis?: KpiName[] }, KpiView>(K.getKpis);
export const getKpiDrillDown = resolver<{ projectId: string; kpi: KpiName; fromMonth: string; toMonth: string }, KpiDrillView>(K.getKpiDrillDown);

export type ImprovementCommand =
  | { op: 'CREATE'; projectId: string; title: string; description?: string; ownerAccountId: string; dueAt: number }
  | { op: 'COMPLETE'; projectId: string; actionId: string; expectedVersion: number; completedAt: number }
  | { op: 'DELETE'; projectId: string; actionId: string; expectedVersion: number };
export const manageImprovementAction = resolver<ImprovementCommand, ImprovementAction | null>(K.manageImprovementActions);
export const proposeImprovementAction = resolver<{ projectId: string; title: string; description?: string }, ImprovementAction>(K.proposeImprovementAction);

export const getCalendar = resolver<{ projectId: string; from: number; to: number }, CalendarView>(K.getCalendar);
export interface FreezeInput {
  id?: string;
  reason: string;
  severity: FreezeSeverity;
  appliesTo: Classification[];
  recurrence: FreezeRecurrence;
}
export const saveFreeze = resolver<{ projectId: string; expectedVersion: number; freeze: FreezeInput }, FreezeWindow>(K.saveFreeze);
export const deleteFreeze = resolver<{ projectId: string; expectedVersion: number; freezeId: string }, { deleted: string }>(K.deleteFreeze);

export const getProjectContext = resolver<{ projectId?: string }, ProjectContextView>(K.getProjectContext);

export interface Workbench {
  /** The actor's standing roles in the project (from `project/context`). */
  roles: StandingRole[];
  /** The project's policy, defaults filled in (review SLA, gate switches...). */
  policy: Policy;
  /** The project's newest releases (id → key for improvement actions, which carry only the release id). */
  recent: Release[];
}

/**
 * Who the actor is in the project and its policy (`project/context`: one browse check, one storage read
 * when warm), with the newest releases for issue keys. An outsider gets CANNOT_BROWSE here.
 */
export async function loadWorkbench(projectId: string): Promise<Workbench> {
  const [context, recent] = await Promise.all([getProjectContext({ projectId }), listReleases({ projectId, limit: 100 })]);
  return { roles: context.actor.standingRoles, policy: context.policy, recent: recent.items };
}
