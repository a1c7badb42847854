/**
 * Which Jira effects a change implies, said by the services in the domain's words and turned here into the
 * outbox's effect kinds. Every change of a release changes what Jira should show of it (the issue property
 * carries the record version); a submission links the request to its change request; a transition moves its status; a successful close raises the CMDB-update task
 * and updates the DSL environment versions.
 */
import type { TransitionEffect } from '../domain/lifecycle';
import type { EffectKind } from '../storage/outbox';

export type { EffectKind };

/** The order effects are applied in, per issue: the property first (the workflow condition reads it). */
export const APPLY_ORDER: readonly EffectKind[] = ['PROPERTY', 'STATUS', 'CHANGE_LINK', 'CMDB_TASK', 'DSL_ENVIRONMENTS'];

export function effectsOfChange(change: { transition: boolean; effects?: readonly TransitionEffect[]; linkedChange?: boolean }): EffectKind[] {
  const kinds: EffectKind[] = ['PROPERTY'];
  if (change.linkedChange) kinds.push('CHANGE_LINK');
  if (change.transition) kinds.push('STATUS');
  if (change.effects?.includes('RAISE_CMDB_UPDATE_TASK')) kinds.push('CMDB_TASK');
  if (change.effects?.includes('UPDATE_DSL_ENVIRONMENT_VERSIONS')) kinds.push('DSL_ENVIRONMENTS');
  return kinds;
}
