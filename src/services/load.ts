/**
 * Loading what a release action or the panel needs, in as few storage operations as Forge allows: one
 * `batchGet` for the set-up record, the role cache, the release, its team and its fallback plan; one index
 * query for its training tasks; one for its history when the panel shows it.
 */
import type { ReleaseContext } from '../domain/context';
import type { FallbackPlan } from '../domain/fallback';
import { KPI_NAMES, type KpiName } from '../domain/kpiCatalog';
import { withPolicyDefaults, type Policy, type PolicyPatch } from '../domain/policy';
import type { Actor } from '../domain/roles';
import type { Team } from '../domain/team';
import type { TrainingTask } from '../domain/training';
import {
  auditOfSubject,
  fallbackRef,
  getMany,
  releaseRef,
  roleCacheRef,
  setupRef,
  teamRef,
  trainingOfRelease,
  type AuditEvent,
  type ProjectSetup,
  type RoleMembership,
  type StoredReleaseDoc,
} from '../storage/records';
import type { Page, Row } from '../storage/store';
import type { EffectRequest, EffectState } from '../storage/outbox';
import { outboxRefs } from '../effects/request';
import { roleMembership, standingRolesOf } from './roles';
import type { ProjectScope } from './scope';

export function policyOf(setup: ProjectSetup | null): Policy {
  const p = setup?.policy;
  if (!p) return withPolicyDefaults(setup?.freezes ? { freezes: setup.freezes } : null);
  const kpiTargets: Partial<Record<KpiName, number>> = {};
  for (const name of KPI_NAMES) {
    const v = p.kpiTargets?.[name];
    if (v !== undefined) kpiTargets[name] = v;
  }
  const patch: PolicyPatch = {
    ...(p.gates ? { gates: p.gates } : {}),
    ...(p.segregationOfDuties !== undefined ? { segregationOfDuties: p.segregationOfDuties } : {}),
    ...(p.allowDualTeamRoles !== undefined ? { allowDualTeamRoles: p.allowDualTeamRoles } : {}),
    ...(p.forbiddenTeamRolePairs ? { forbiddenTeamRolePairs: p.forbiddenTeamRolePairs } : {}),
    ...(p.reviewSlaDays !== undefined ? { reviewSlaDays: p.reviewSlaDays } : {}),
    ...(p.dslTimelyUpdateHours !== undefined ? { dslTimelyUpdateHours: p.dslTimelyUpdateHours } : {}),
    ...(p.timeZone !== undefined ? { timeZone: p.timeZone } : {}),
    ...(p.pipelineDeployEnvironment !== undefined ? { pipelineDeployEnvironment: p.pipelineDeployEnvironment } : {}),
    ...(setup?.freezes ? { freezes: setup.freezes } : {}),
    kpiTargets,
  };
  return withPolicyDefaults(patch);
}

export interface LoadedProject {
  scope: ProjectScope;
  setup: Row<ProjectSetup> | null;
  policy: Policy;
  roles: RoleMembership;
  actor: Actor;
}

export interface LoadedRelease extends LoadedProject {
  releaseId: string;
  release: Row<StoredReleaseDoc> | null;
  team: Row<Team> | null;
  fallback: Row<FallbackPlan> | null;
  training: Row<TrainingTask>[];
  history: Page<AuditEvent> | null;
  /** The release's Jira effects outbox (src/effects/): what its changes asked of Jira, and how far it got. */
  effectRequest: Row<EffectRequest> | null;
  effectState: Row<EffectState> | null;
}

function actorOf(accountId: string, roles: RoleMembership): Actor {
  return { accountId, standingRoles: standingRolesOf(roles, accountId), canBrowse: true };
}

/** Everything about one release (the Jira issue id is the release id). */
export async function loadRelease(scope: ProjectScope, releaseId: string, now: number, opts: { history?: boolean } = {}): Promise<LoadedRelease> {
  const [requestRef, stateRef] = outboxRefs(releaseId);
  const [[setup, cachedRoles, release, team, fallback, effectRequest, effectState], training, history] = await Promise.all([
    getMany([setupRef(scope.projectId), roleCacheRef(scope.projectId), releaseRef(releaseId), teamRef(releaseId), fallbackRef(releaseId), requestRef, stateRef] as const),
    trainingOfRelease(releaseId),
    opts.history ? auditOfSubject(releaseId, { limit: 20 }) : Promise.resolve(null),
  ]);
  const roles = await roleMembership(scope.projectId, setup?.doc ?? null, cachedRoles, now);
  return {
    scope,
    releaseId,
    setup,
    policy: policyOf(setup?.doc ?? null),
    roles,
    actor: actorOf(scope.accountId, roles),
    release,
    team,
    fallback,
    training,
    history,
    effectRequest,
    effectState,
  };
}

/** The project's set-up, policy and the actor's standing roles: one storage operation when warm. */
export async function loadProject(scope: ProjectScope, now: number): Promise<LoadedProject> {
  const [setup, cachedRoles] = await getMany([setupRef(scope.projectId), roleCacheRef(scope.projectId)] as const);
  const roles = await roleMembership(scope.projectId, setup?.doc ?? null, cachedRoles, now);
  return { scope, setup, policy: policyOf(setup?.doc ?? null), roles, actor: actorOf(scope.accountId, roles) };
}

export function contextOf(b: LoadedRelease): ReleaseContext | null {
  if (!b.release) return null;
  return {
    release: b.release.doc.release,
    team: b.team?.doc ?? null,
    fallbackPlan: b.fallback?.doc ?? null,
    trainingTasks: b.training.map((t) => t.doc),
    dslItems: b.release.doc.dslItems,
  };
}
