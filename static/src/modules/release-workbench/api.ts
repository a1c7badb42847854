import { RESOLVER_KEYS as K } from '../../../../src/contracts/keys';
import type { ImprovementAction } from '../../../../src/domain/improvement';
import type { Release, ReleaseStatus } from '../../../../src/domain/release';
import type { StandingRole } from '../../../../src/domain/roles';
import type { TrainingTask } from '../../../../src/domain/training';
import { resolver } from '../../shared';
import type { KpiName, KpiView } from '../../shared/kpi';

export type { ImprovementAction, Release, ReleaseStatus, StandingRole, TrainingTask };

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export type QueueRole = StandingRole | 'IMPLEMENTER' | 'TEST_EXPERT';

export interface QueueView {
  role: string;
  releases: Release[];
  trainingTasks: TrainingTask[];
  improvementActions: ImprovementAction[];
  cursor?: string;
}

export const listQueue = resolver<{ projectId: string; role: QueueRole; limit?: number }, QueueView>(K.listQueue);
export const listReleases = resolver<
  { projectId: string; status?: ReleaseStatus; leadAccountId?: string; windowFrom?: number; windowTo?: number; cursor?: string; limit?: number },
  Page<Release>
>(K.listReleases);
export const listTraining = resolver<{ projectId: string; overdueOnly?: boolean; dueFrom?: number; dueTo?: number; limit?: number; cursor?: string }, Page<TrainingTask>>(
  K.listTraining,
);
export const listImprovementActions = resolver<{ projectId: string; openOnly?: boolean; limit?: number; cursor?: string }, Page<ImprovementAction & { overdue: boolean }>>(
  K.listImprovementActions,
);
export const getKpis = resolver<{ projectId: string; fromMonth: string; toMonth: string; kpis?: KpiName[] }, KpiView>(K.getKpis);

export type ImprovementCommand =
  | { op: 'CREATE'; projectId: string; title: string; description?: string; ownerAccountId: string; dueAt: number }
  | { op: 'COMPLETE'; projectId: string; actionId: string; expectedVersion: number; completedAt: number }
  | { op: 'DELETE'; projectId: string; actionId: string; expectedVersion: number };
export const manageImprovementAction = resolver<ImprovementCommand, ImprovementAction | null>(K.manageImprovementActions);
export const proposeImprovementAction = resolver<{ projectId: string; title: string; description?: string }, ImprovementAction>(K.proposeImprovementAction);

/** The part of `panel/get` the workbench reads: who the actor is in this project. */
interface PanelActor {
  actor: { accountId: string; standingRoles: StandingRole[] };
}
const getPanel = resolver<{ releaseId: string }, PanelActor>(K.getPanel);

export interface Workbench {
  /** null: not known (the project has no release yet); the server still decides every action. */
  roles: StandingRole[] | null;
  /** The project's newest releases (id → key for training tasks, which carry only the release id). */
  recent: Release[];
}

/**
 * The actor's standing roles in the project. There is no project-level "who am I" resolver yet, so they are
 * read from `panel/get` on the project's newest release (a read every browser of the project may make). One
 * `release/list` call also proves the actor can browse the project: an outsider gets CANNOT_BROWSE here.
 */
export async function loadWorkbench(projectId: string): Promise<Workbench> {
  const recent = await listReleases({ projectId, limit: 100 });
  const newest = recent.items[0];
  if (!newest) return { roles: null, recent: [] };
  const panel = await getPanel({ releaseId: newest.id });
  return { roles: panel.actor.standingRoles, recent: recent.items };
}
