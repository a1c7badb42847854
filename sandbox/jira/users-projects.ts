import { badRequest, forbidden, notFound, ok, queryInt, queryList } from './http';
import { route, type Route } from './router';
import { ALL_PROJECT_PERMISSIONS, type Site } from './site';
import type { ProjectRow } from './state';

/** `myself`, users and projects. */

function page<T>(site: Site, path: string, all: T[], startAt: number, maxResults: number): Record<string, unknown> {
  const values = all.slice(startAt, startAt + maxResults);
  const isLast = startAt + values.length >= all.length;
  return {
    self: site.url(`${path}?startAt=${startAt}&maxResults=${maxResults}`),
    ...(isLast ? {} : { nextPage: site.url(`${path}?startAt=${startAt + maxResults}&maxResults=${maxResults}`) }),
    maxResults,
    startAt,
    total: all.length,
    isLast,
    values,
  };
}

export { page };

export function projectJson(site: Site, p: ProjectRow, expand: string[] = []): Record<string, unknown> {
  const lead = site.userRef(p.leadAccountId);
  const roles = Object.fromEntries(site.state.roles().map((r) => [r.name, site.url(`/rest/api/3/project/${p.id}/role/${r.id}`)]));
  return {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    self: site.url(`/rest/api/3/project/${p.id}`),
    id: String(p.id),
    key: p.key,
    name: p.name,
    description: p.description,
    ...(lead ? { lead } : {}),
    avatarUrls: site.avatarUrls('project', 10200),
    projectTypeKey: p.projectTypeKey,
    simplified: false,
    style: 'classic',
    isPrivate: false,
    assigneeType: 'UNASSIGNED',
    issueTypes: site.projectIssueTypes(p).map((t) => site.issueTypeJson(t)),
    versions: [],
    components: [],
    roles,
    properties: {},
    ...(expand.includes('projectKeys') ? {} : {}),
  };
}

export const userProjectRoutes: Route[] = [
  route('GET', '/rest/api/3/myself', (req, site) => {
    const accountId = site.actorAccountId(req.actor);
    const u = site.state.user(accountId);
    if (!u) throw notFound('User not found');
    return ok({
      ...site.userJson(u),
      groups: { size: 0, items: [] },
      applicationRoles: { size: 1, items: [] },
      expand: 'groups,applicationRoles',
    });
  }),

  route('GET', '/rest/api/3/user', (req, site) => {
    site.actorAccountId(req.actor);
    const accountId = req.query.get('accountId');
    if (!accountId) throw badRequest('The accountId query parameter needs to be provided.');
    const u = site.state.user(accountId);
    if (!u) throw notFound(`Specified user does not exist or you do not have required permissions`);
    return ok(site.userJson(u));
  }),

  route('GET', '/rest/api/3/user/bulk', (req, site) => {
    site.actorAccountId(req.actor);
    const ids = queryList(req.query, 'accountId');
    const startAt = queryInt(req.query, 'startAt', 0);
    const maxResults = Math.min(queryInt(req.query, 'maxResults', 10), 200);
    const users = ids.map((id) => site.state.user(id)).filter((u) => u !== undefined);
    return ok(page(site, '/rest/api/3/user/bulk', users.map((u) => site.userJson(u)), startAt, maxResults));
  }),

  route('GET', '/rest/api/3/user/search', (req, site) => {
    site.actorAccountId(req.actor);
    const query = (req.query.get('query') ?? '').toLowerCase();
    const accountId = req.query.get('accountId');
    if (!query && !accountId) throw badRequest('One of the query parameters query or accountId is required.');
    const startAt = queryInt(req.query, 'startAt', 0);
    const maxResults = Math.min(queryInt(req.query, 'maxResults', 50), 1000);
    const hits = site.state
      .users()
      .filter((u) => u.active)
      .filter((u) => (accountId ? u.accountId === accountId : true))
      .filter((u) => !query || u.displayName.toLowerCase().includes(query) || (u.emailAddress ?? '').toLowerCase().startsWith(query))
      .slice(startAt, startAt + maxResults);
    return ok(hits.map((u) => site.userJson(u)));
  }),

  /**
   * Users who hold every listed permission in a project (or on an issue's project), matching `query` (prefix of
   * display name words or e-mail) or exactly `accountId`. Jira lets Jira admins and the project's administrators
   * (and so the app) ask; anyone else gets 403. Unknown permission keys are a 400, like Jira.
   */
  route('GET', '/rest/api/3/user/permission/search', (req, site) => {
    site.actorAccountId(req.actor);
    const query = (req.query.get('query') ?? '').trim().toLowerCase();
    const accountId = req.query.get('accountId');
    if (!query && !accountId) throw badRequest('The query parameter query or accountId is required.');
    if (query && accountId) throw badRequest('Only one of the query parameters query and accountId may be provided.');
    const permissions = queryList(req.query, 'permissions').map((p) => (p === 'BROWSE' ? 'BROWSE_PROJECTS' : p));
    if (permissions.length === 0) throw badRequest('The permissions query parameter must not be empty.');
    const known = new Set(ALL_PROJECT_PERMISSIONS);
    const invalid = permissions.filter((p) => !known.has(p));
    if (invalid.length > 0) throw badRequest(`Invalid permission: ${invalid.join(', ')}`);
    const issueKey = req.query.get('issueKey');
    const projectKey = req.query.get('projectKey');
    if (!issueKey && !projectKey) throw badRequest('The query parameter issueKey or projectKey is required.');
    let project: ProjectRow | undefined;
    if (issueKey) {
      const issue = site.state.issue(issueKey);
      project = issue ? site.state.project(issue.projectId) : undefined;
      if (!project) throw notFound(`Issue does not exist or you do not have permission to see it.`);
    } else {
      // Case sensitive, as documented.
      project = site.state.projects().find((p) => p.key === projectKey);
      if (!project) throw notFound(`No project could be found with key '${projectKey ?? ''}'.`);
    }
    if (!site.projectPermissions(req.actor, project).has('ADMINISTER_PROJECTS')) throw forbidden('You do not have the permission to get users for this project.');
    const startAt = queryInt(req.query, 'startAt', 0);
    const maxResults = Math.min(queryInt(req.query, 'maxResults', 50), 1000);
    const target = project;
    const matches = (name: string, email: string | null | undefined): boolean =>
      name.toLowerCase().split(/\s+/).some((w) => w.startsWith(query)) || name.toLowerCase().startsWith(query) || (email ?? '').toLowerCase().startsWith(query);
    const hits = site.state
      .users()
      .slice(0, 1000)
      .slice(startAt, startAt + maxResults)
      .filter((u) => u.active && u.accountType === 'atlassian')
      .filter((u) => (accountId ? u.accountId === accountId : matches(u.displayName, u.emailAddress)))
      .filter((u) => {
        const held = site.permissionsOf(u.accountId, target);
        return permissions.every((p) => held.has(p));
      });
    return ok(hits.map((u) => site.userJson(u)));
  }),

  route('GET', '/rest/api/3/project/{projectIdOrKey}', (req, site) => {
    const p = site.browsableProject(req.actor, req.pathParams.projectIdOrKey ?? '');
    return ok(projectJson(site, p, queryList(req.query, 'expand')));
  }),

  route('GET', '/rest/api/3/project/search', (req, site) => {
    site.actorAccountId(req.actor);
    const startAt = queryInt(req.query, 'startAt', 0);
    const maxResults = Math.min(queryInt(req.query, 'maxResults', 50), 100);
    const query = (req.query.get('query') ?? '').toLowerCase();
    const keys = new Set(queryList(req.query, 'keys').map((k) => k.toUpperCase()));
    const ids = new Set(queryList(req.query, 'id'));
    const action = req.query.get('action') ?? 'view';
    const list = site.state
      .projects()
      .filter((p) => site.canBrowse(req.actor, p))
      .filter((p) => action !== 'edit' || site.projectPermissions(req.actor, p).has('ADMINISTER_PROJECTS'))
      .filter((p) => !query || p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query))
      .filter((p) => keys.size === 0 || keys.has(p.key.toUpperCase()))
      .filter((p) => ids.size === 0 || ids.has(String(p.id)))
      .sort((a, b) => a.key.localeCompare(b.key));
    return ok(page(site, '/rest/api/3/project/search', list.map((p) => projectJson(site, p)), startAt, maxResults));
  }),
];
