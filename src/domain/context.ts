/** Everything the rules need to know about one release, loaded together by the service. */
import type { DslItemSummary } from './dsl';
import type { FallbackPlan } from './fallback';
import type { Release } from './release';
import type { Team } from './team';
import type { TrainingTask } from './training';

export interface ReleaseContext {
  readonly release: Release;
  readonly team: Team | null;
  readonly fallbackPlan: FallbackPlan | null;
  readonly trainingTasks: readonly TrainingTask[];
  /** DSL items linked to this release. */
  readonly dslItems: readonly DslItemSummary[];
}
