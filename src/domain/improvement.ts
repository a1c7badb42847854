/** Process improvement actions (process owner) and participant evaluations (release manager). */
import type { StandingRole, TeamRole } from './roles';

export interface ImprovementAction {
  readonly id: string;
  readonly projectId: string;
  readonly title: string;
  readonly description?: string;
  readonly ownerAccountId: string;
  readonly dueAt: number;
  readonly completedAt: number | null;
  readonly createdAt: number;
  readonly createdBy: string;
  /** Release whose evaluation gave rise to it, if any. */
  readonly sourceReleaseId?: string;
}

export interface ParticipantEvaluation {
  readonly id: string;
  readonly releaseId: string;
  readonly accountId: string;
  readonly role: TeamRole | StandingRole;
  /** 1 (poor) … 5 (excellent). */
  readonly rating: number;
  readonly note: string;
  readonly evaluatedBy: string;
  readonly evaluatedAt: number;
}

export const MIN_RATING = 1;
export const MAX_RATING = 5;

/** Who may see an evaluation: the manager who wrote it, any release manager, and the person evaluated. */
export function canSeeEvaluation(
  evaluation: ParticipantEvaluation,
  viewer: { accountId: string; isReleaseManager: boolean },
): boolean {
  return viewer.isReleaseManager || viewer.accountId === evaluation.accountId || viewer.accountId === evaluation.evaluatedBy;
}

export function isImprovementOverdue(action: ImprovementAction, now: number): boolean {
  return action.completedAt === null && action.dueAt < now;
}
