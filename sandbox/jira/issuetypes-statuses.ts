import { badRequest, conflict, fieldErrors, isObject, noContent, notFound, ok, queryInt, queryList } from './http';
import { route, type Route } from './router';
import type { Site } from './site';
import type { IssueTypeRow, StatusCategory, StatusRow } from './state';
import { page } from './users-projects';
import type { JiraActor } from '../runtime/backends';

/** Issue types, issue type schemes and statuses. */

const CATEGORIES: StatusCategory[] = ['TODO', 'IN_PROGRESS', 'DONE'];

/** Administer Jira, or Administer Projects for a project-scoped request. */
export function requireScopeAdmin(site: Site, actor: JiraActor, projectId: string | number | null): void {
  if (projectId === null) return site.requireSiteAdmin(actor);
  const p = site.state.project(projectId);
  if (!p) throw badRequest([], { scope: `The project '${projectId}' does not exist.` });
  site.requireProjectAdmin(actor, p);
}

/** Creates (or finds by name, in the same scope) a status; used by the status and workflow APIs. */
export function createStatus(site: Site, name: string, description: string, category: StatusCategory, scopeProjectId: number | null): StatusRow {
  const row: StatusRow = { id: site.state.nextId('status', 10000), name, description, category, scopeProjectId };
  site.state.putStatus(row);
  return row;
}

export function statusByName(site: Site, name: string, scopeProjectId: number | null): StatusRow | undefined {
  return site.state.statuses().find((s) => s.name.toLowerCase() === name.toLowerCase() && s.scopeProjectId === scopeProjectId);
}

export const issueTypeStatusRoutes: Route[] = [
  route('GET', '/rest/api/3/issuetype', (req, site) => {
    site.actorAccountId(req.actor);
    const all = site.isSiteAdmin(req.actor);
    const visible = new Set<number>();
    if (!all) {
      for (const p of site.state.projects()) if (site.canBrowse(req.actor, p)) site.projectIssueTypes(p).forEach((t) => visible.add(t.id));
    }
    return ok(site.state.issueTypes().filter((t) => all || visible.has(t.id)).map((t) => site.issueTypeJson(t)));
  }),

  route('POST', '/rest/api/3/issuetype', (req, site) => {
    site.requireSiteAdmin(req.actor);
    const body = isObject(req.body) ? req.body : {};
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name) throw fieldErrors({ name: 'You must specify a unique name for this issue type.' });
    if (name.length > 60) throw fieldErrors({ name: 'The name must not exceed 60 characters.' });
    if (site.state.issueTypes().some((t) => t.name.toLowerCase() === name.toLowerCase())) {
      throw conflict(`An issue type with the name '${name}' already exists.`);
    }
    const hierarchyLevel = typeof body.hierarchyLevel === 'number' ? body.hierarchyLevel : body.type === 'subtask' ? -1 : 0;
    if (![-1, 0].includes(hierarchyLevel)) throw fieldErrors({ hierarchyLevel: 'Only hierarchy levels -1 and 0 are supported.' });
    const t: IssueTypeRow = {
      id: site.state.nextId('issuetype', 10000),
      name,
      description: typeof body.description === 'string' ? body.description : '',
      hierarchyLevel,
      entityId: site.state.uuid(),
    };
    site.state.putIssueType(t);
    return ok(site.issueTypeJson(t), 201);
  }),

  route('GET', '/rest/api/3/issuetype/project', (req, site) => {
    const projectId = req.query.get('projectId') ?? '';
    const p = site.browsableProject(req.actor, projectId);
    return ok(site.projectIssueTypes(p).map((t) => ({ ...site.issueTypeJson(t), scope: { type: 'PROJECT', project: { id: String(p.id) } } })));
  }),

  route('GET', '/rest/api/3/issuetypescheme/project', (req, site) => {
    site.requireSiteAdmin(req.actor);
    const ids = queryList(req.query, 'projectId');
    const startAt = queryInt(req.query, 'startAt', 0);
    const maxResults = queryInt(req.query, 'maxResults', 50);
    const bySchemes = new Map<number, string[]>();
    for (const id of ids) {
      const p = site.state.project(id);
      if (!p) continue;
      bySchemes.set(p.issueTypeSchemeId, [...(bySchemes.get(p.issueTypeSchemeId) ?? []), String(p.id)]);
    }
    const values = [...bySchemes.entries()].map(([schemeId, projectIds]) => {
      const s = site.state.issueTypeScheme(schemeId);
      return {
        issueTypeScheme: {
          id: String(schemeId),
          name: s?.name ?? '',
          description: s?.description ?? '',
          ...(s?.defaultIssueTypeId ? { defaultIssueTypeId: String(s.defaultIssueTypeId) } : {}),
          isDefault: s?.isDefault ?? false,
        },
        projectIds,
      };
    });
    return ok(page(site, '/rest/api/3/issuetypescheme/project', values, startAt, maxResults));
  }),

  route('PUT', '/rest/api/3/issuetypescheme/{issueTypeSchemeId}/issuetype', (req, site) => {
    site.requireSiteAdmin(req.actor);
    const scheme = site.state.issueTypeScheme(req.pathParams.issueTypeSchemeId ?? '');
    if (!scheme) throw notFound(`The issue type scheme '${req.pathParams.issueTypeSchemeId}' was not found.`);
    const body = isObject(req.body) ? req.body : {};
    const ids = Array.isArray(body.issueTypeIds) ? body.issueTypeIds.map(String) : [];
    if (ids.length === 0) throw badRequest('At least one issue type must be specified.');
    for (const id of ids) if (!site.state.issueType(id)) throw notFound(`The issue type '${id}' was not found.`);
    for (const id of ids) {
      if (scheme.issueTypeIds.includes(Number(id))) throw badRequest(`The issue type '${id}' is already in the issue type scheme.`);
    }
    site.state.putIssueTypeScheme({ ...scheme, issueTypeIds: [...scheme.issueTypeIds, ...ids.map(Number)] });
    return noContent();
  }),

  route('POST', '/rest/api/3/statuses', (req, site) => {
    const body = isObject(req.body) ? req.body : {};
    const scope = isObject(body.scope) ? body.scope : {};
    const project = isObject(scope.project) ? String(scope.project.id) : null;
    const scopeProjectId = scope.type === 'PROJECT' ? project : null;
    if (scope.type === 'PROJECT' && !project) throw fieldErrors({ scope: 'A project must be given for a PROJECT scope.' });
    requireScopeAdmin(site, req.actor, scopeProjectId);
    const specs = Array.isArray(body.statuses) ? body.statuses.filter(isObject) : [];
    const projectId = scopeProjectId === null ? null : Number(scopeProjectId);
    for (const s of specs) {
      const name = String(s.name ?? '').trim();
      if (!name) throw fieldErrors({ name: 'A status name is required.' });
      if (statusByName(site, name, projectId)) throw badRequest(`Status with name '${name}' already exists in this scope.`);
    }
    const created = site.state.transaction(() =>
      specs.map((s) =>
        createStatus(site, String(s.name).trim(), typeof s.description === 'string' ? s.description : '', s.statusCategory as StatusCategory, projectId),
      ),
    );
    return ok(created.map((s) => site.jiraStatus(s)));
  }),

  route('GET', '/rest/api/3/statuses', (req, site) => {
    site.actorAccountId(req.actor);
    const ids = queryList(req.query, 'id');
    return ok(ids.map((id) => site.state.status(id)).filter((s) => s !== undefined).map((s) => site.jiraStatus(s)));
  }),

  route('GET', '/rest/api/3/statuses/search', (req, site) => {
    site.actorAccountId(req.actor);
    const projectId = req.query.get('projectId');
    const search = (req.query.get('searchString') ?? '').toLowerCase();
    const category = req.query.get('statusCategory');
    if (category && !CATEGORIES.includes(category as StatusCategory)) throw badRequest(`Invalid status category '${category}'.`);
    const startAt = queryInt(req.query, 'startAt', 0);
    const maxResults = Math.min(queryInt(req.query, 'maxResults', 200), 200);
    const list = site.state
      .statuses()
      .filter((s) => (projectId ? s.scopeProjectId === null || String(s.scopeProjectId) === projectId : s.scopeProjectId === null))
      .filter((s) => !search || s.name.toLowerCase().includes(search))
      .filter((s) => !category || s.category === category)
      .map((s) => site.jiraStatus(s));
    return ok(page(site, '/rest/api/3/statuses/search', list, startAt, maxResults));
  }),
];
