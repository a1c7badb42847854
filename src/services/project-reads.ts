/** Project-level reads: who the actor is in a project (the workbench's frame), and the projects to pick from. */
import { RESOLVER_KEYS as K, type PayloadOf, type ProjectContextView, type ProjectListItem } from '../contracts';
import type { StandingRole } from '../domain/roles';
import { browsableProjects } from '../jira/projects';
import { getMany, setupRef } from '../storage/records';
import { loadProject } from './load';
import { now } from './run';
import { requireAccount, resolveProjectScope, type Caller } from './scope';

/**
 * The actor's standing roles and the project's policy (defaults filled in): one Jira request (the browse
 * check) and, when the role cache is warm, one storage read (set-up and role cache together).
 */
export async function getProjectContext(caller: Caller, p: PayloadOf<typeof K.getProjectContext>): Promise<ProjectContextView> {
  const scope = await resolveProjectScope(caller, p.projectId);
  const loaded = await loadProject(scope, now());
  return {
    projectId: scope.projectId,
    projectKey: scope.projectKey,
    setUp: Boolean(loaded.setup?.doc.issueTypeId),
    actor: { accountId: scope.accountId, standingRoles: [...(loaded.actor.standingRoles as readonly StandingRole[])] },
    policy: loaded.policy,
  };
}

/** batchGet takes at most 25 keys. */
const BATCH = 25;

/**
 * Projects the user can browse (asked of Jira as the user, so Jira applies their permissions) that are set
 * up for the app, or all of them with `includeNotSetUp` (the admin page sets new ones up). One storage read
 * per 25 projects for their set-up records.
 */
export async function listProjects(caller: Caller, p: PayloadOf<typeof K.listProjects>): Promise<ProjectListItem[]> {
  requireAccount(caller);
  const projects = await browsableProjects(p.query?.trim() || undefined);
  const setUp = new Set<string>();
  for (let i = 0; i < projects.length; i += BATCH) {
    const chunk = projects.slice(i, i + BATCH);
    const rows = await getMany(chunk.map((x) => setupRef(x.id)));
    rows.forEach((row, j) => {
      const project = chunk[j];
      if (row?.doc.issueTypeId && project) setUp.add(project.id);
    });
  }
  return projects.map((x) => ({ ...x, setUp: setUp.has(x.id) })).filter((x) => p.includeNotSetUp === true || x.setUp);
}
