import { badRequest, conflict, forbidden, isObject, noContent, notFound, ok, queryList } from './http';
import { route, type Route } from './router';
import { ALL_PROJECT_PERMISSIONS, GLOBAL_PERMISSIONS, type Site } from './site';
import type { ProjectRow, RoleRow } from './state';
import type { JiraActor } from '../runtime/backends';

/** Project roles, `mypermissions` and the bulk permission check. */

function roleJson(site: Site, role: RoleRow, project?: ProjectRow, currentAccountId?: string): Record<string, unknown> {
  const base = {
    self: site.url(project ? `/rest/api/3/project/${project.id}/role/${role.id}` : `/rest/api/3/role/${role.id}`),
    name: role.name,
    id: role.id,
    description: role.description,
  };
  if (!project) return { ...base, actors: [] };
  const actors = site.state.roleActors(project.id, role.id).map((accountId, i) => {
    const u = site.state.user(accountId);
    return {
      id: role.id * 1000 + i,
      displayName: u?.displayName ?? accountId,
      type: 'atlassian-user-role-actor',
      actorUser: { accountId },
      avatarUrl: site.avatarUrls('user', 10122)['48x48'],
    };
  });
  return { ...base, actors, ...(currentAccountId ? { currentUserRole: actors.some((a) => a.actorUser.accountId === currentAccountId) } : {}) };
}

function adminProject(site: Site, actor: JiraActor, idOrKey: string): ProjectRow {
  const p = site.state.project(idOrKey);
  // Jira documents 404 both for a missing project and for a caller who may not administer it.
  if (!p || !site.projectPermissions(actor, p).has('ADMINISTER_PROJECTS')) throw notFound(`No project could be found with key '${idOrKey}'.`);
  return p;
}

function findRole(site: Site, id: string | undefined): RoleRow {
  const role = /^\d+$/.test(id ?? '') ? site.state.role(Number(id)) : undefined;
  if (!role) throw notFound(`No project role with id '${id}' exists.`);
  return role;
}

const PERMISSION_NAMES: Record<string, string> = {
  BROWSE_PROJECTS: 'Browse Projects',
  ADMINISTER_PROJECTS: 'Administer Projects',
  CREATE_ISSUES: 'Create Issues',
  EDIT_ISSUES: 'Edit Issues',
  TRANSITION_ISSUES: 'Transition Issues',
  ADMINISTER: 'Administer Jira',
};

function permissionEntry(key: string, type: 'PROJECT' | 'GLOBAL', have: boolean): Record<string, unknown> {
  return {
    id: String(Math.abs([...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7)) % 100),
    key,
    name: PERMISSION_NAMES[key] ?? key,
    type,
    description: `Permission ${key}`,
    havePermission: have,
  };
}

export const rolePermissionRoutes: Route[] = [
  route('GET', '/rest/api/3/project/{projectIdOrKey}/role', (req, site) => {
    const p = adminProject(site, req.actor, req.pathParams.projectIdOrKey ?? '');
    return ok(Object.fromEntries(site.state.roles().map((r) => [r.name, site.url(`/rest/api/3/project/${p.id}/role/${r.id}`)])));
  }),

  route('GET', '/rest/api/3/project/{projectIdOrKey}/role/{id}', (req, site) => {
    const p = adminProject(site, req.actor, req.pathParams.projectIdOrKey ?? '');
    return ok(roleJson(site, findRole(site, req.pathParams.id), p));
  }),

  route('POST', '/rest/api/3/project/{projectIdOrKey}/role/{id}', (req, site) => {
    const p = adminProject(site, req.actor, req.pathParams.projectIdOrKey ?? '');
    const role = findRole(site, req.pathParams.id);
    const body = isObject(req.body) ? req.body : {};
    const users = Array.isArray(body.user) ? body.user.map(String) : [];
    if ((Array.isArray(body.group) && body.group.length > 0) || (Array.isArray(body.groupId) && body.groupId.length > 0)) {
      throw badRequest('Groups are not supported by the local Jira emulator.');
    }
    if (users.length === 0) throw badRequest('You must specify at least one user or group.');
    for (const accountId of users) {
      const u = site.state.user(accountId);
      if (!u || !u.active) throw notFound(`We couldn't find the user with account ID '${accountId}'.`);
    }
    site.state.transaction(() => users.forEach((a) => site.state.addRoleActor(p.id, role.id, a)));
    return ok(roleJson(site, role, p));
  }),

  route('DELETE', '/rest/api/3/project/{projectIdOrKey}/role/{id}', (req, site) => {
    const p = adminProject(site, req.actor, req.pathParams.projectIdOrKey ?? '');
    const role = findRole(site, req.pathParams.id);
    const user = req.query.get('user');
    if (!user) throw badRequest('You must specify a user or a group.');
    if (site.state.removeRoleActor(p.id, role.id, user) === 0) {
      throw notFound(`The user '${user}' is not an actor of role '${role.name}' in project '${p.key}'.`);
    }
    return noContent();
  }),

  route('GET', '/rest/api/3/role', (req, site) => {
    site.requireSiteAdmin(req.actor);
    return ok(site.state.roles().map((r) => roleJson(site, r)));
  }),

  route('POST', '/rest/api/3/role', (req, site) => {
    site.requireSiteAdmin(req.actor);
    const body = isObject(req.body) ? req.body : {};
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name) throw badRequest([], { name: 'You must specify a project role name.' });
    if (site.state.roleByName(name)) throw conflict(`A project role with name '${name}' already exists.`);
    const role: RoleRow = { id: site.state.nextId('role', 10002), name, description: typeof body.description === 'string' ? body.description : '' };
    site.state.putRole(role);
    return ok(roleJson(site, role));
  }),

  route('GET', '/rest/api/3/role/{id}', (req, site) => {
    site.requireSiteAdmin(req.actor);
    return ok(roleJson(site, findRole(site, req.pathParams.id)));
  }),

  route('GET', '/rest/api/3/mypermissions', (req, site) => {
    const keys = queryList(req.query, 'permissions');
    if (keys.length === 0) throw badRequest('The permissions query parameter is required.');
    site.actorAccountId(req.actor);
    let project: ProjectRow | undefined;
    const issueRef = req.query.get('issueKey') ?? req.query.get('issueId');
    const projectRef = req.query.get('projectKey') ?? req.query.get('projectId');
    if (issueRef) {
      const issue = site.state.issue(issueRef);
      project = issue ? site.state.project(issue.projectId) : undefined;
      if (!issue || !project || !site.canBrowse(req.actor, project)) throw notFound(`Issue does not exist or you do not have permission to see it.`);
    } else if (projectRef) {
      project = site.state.project(projectRef);
      if (!project) throw notFound(`No project could be found with key '${projectRef}'.`);
    }
    const global = site.globalPermissions(req.actor);
    const granted = project ? site.projectPermissions(req.actor, project) : new Set<string>();
    const anyProject = !project ? site.state.projects().map((p) => site.projectPermissions(req.actor, p)) : [];
    const permissions: Record<string, unknown> = {};
    for (const key of keys) {
      if (GLOBAL_PERMISSIONS.includes(key)) permissions[key] = permissionEntry(key, 'GLOBAL', global.has(key));
      else if (ALL_PROJECT_PERMISSIONS.includes(key)) {
        const have = project ? granted.has(key) : anyProject.some((s) => s.has(key));
        permissions[key] = permissionEntry(key, 'PROJECT', have);
      } else throw badRequest([], { [key]: 'Unrecognized permission' });
    }
    return ok({ permissions });
  }),

  route('POST', '/rest/api/3/permissions/check', (req, site) => {
    const callerId = site.actorAccountId(req.actor);
    const body = isObject(req.body) ? req.body : {};
    const accountId = typeof body.accountId === 'string' ? body.accountId : callerId;
    if (accountId !== callerId && !site.isSiteAdmin(req.actor)) throw forbidden('Only Jira administrators can perform this operation.');
    const subject = accountId === site.options.appAccountId ? ({ kind: 'app' } as const) : ({ kind: 'user', accountId } as const);
    const subjectUser = site.state.user(accountId);
    if (!subjectUser) throw badRequest([], { accountId: 'The user does not exist.' });
    const globals = Array.isArray(body.globalPermissions) ? body.globalPermissions.map(String) : [];
    for (const g of globals) if (!GLOBAL_PERMISSIONS.includes(g)) throw badRequest([], { [g]: 'Unrecognized permission' });
    const haveGlobal = site.globalPermissions(subject);
    const projectPermissions: { issues: number[]; permission: string; projects: number[] }[] = [];
    for (const spec of Array.isArray(body.projectPermissions) ? body.projectPermissions : []) {
      if (!isObject(spec)) continue;
      const perms = Array.isArray(spec.permissions) ? spec.permissions.map(String) : [];
      const projects = Array.isArray(spec.projects) ? spec.projects.map(Number) : [];
      const issues = Array.isArray(spec.issues) ? spec.issues.map(Number) : [];
      for (const perm of perms) {
        if (!ALL_PROJECT_PERMISSIONS.includes(perm)) throw badRequest([], { [perm]: 'Unrecognized permission' });
        const okProjects = projects.filter((id) => {
          const p = site.state.project(id);
          return p !== undefined && site.permissionsOf(accountId, p).has(perm);
        });
        const okIssues = issues.filter((id) => {
          const issue = site.state.issue(id);
          const p = issue ? site.state.project(issue.projectId) : undefined;
          return p !== undefined && site.permissionsOf(accountId, p).has(perm);
        });
        projectPermissions.push({ permission: perm, projects: okProjects, issues: okIssues });
      }
    }
    return ok({ globalPermissions: globals.filter((g) => haveGlobal.has(g)), projectPermissions });
  }),
];
