import { fieldErrors, isObject, notFound, ok } from './http';
import { versionJson } from './issue-view';
import { route, type Route } from './router';
import type { Site } from './site';
import type { VersionRow } from './state';
import type { JiraActor } from '../runtime/backends';

/** Project versions (fix versions): list, create, get, update / release. */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function adminVersion(site: Site, actor: JiraActor, id: string): VersionRow {
  const v = site.state.version(id);
  const p = v ? site.state.project(v.projectId) : undefined;
  if (!v || !p || !site.canBrowse(actor, p)) throw notFound(`Could not find version for id '${id}'`);
  return v;
}

function dateField(body: Record<string, unknown>, name: 'startDate' | 'releaseDate', fallback: string | null): string | null {
  if (!(name in body)) return fallback;
  const v = body[name];
  if (v === null) return null;
  if (typeof v !== 'string' || !DATE.test(v)) throw fieldErrors({ [name]: 'Please enter the date in the following format: yyyy-MM-dd' });
  return v;
}

export const versionRoutes: Route[] = [
  route('GET', '/rest/api/3/project/{projectIdOrKey}/versions', (req, site) => {
    const p = site.browsableProject(req.actor, req.pathParams.projectIdOrKey ?? '');
    return ok(site.state.versions(p.id).map((v) => versionJson(site, v)));
  }),

  route('POST', '/rest/api/3/version', (req, site) => {
    site.actorAccountId(req.actor);
    const body = isObject(req.body) ? req.body : {};
    const ref = body.projectId ?? body.project;
    const p = ref === undefined ? undefined : site.state.project(String(ref));
    if (!p || !site.projectPermissions(req.actor, p).has('ADMINISTER_PROJECTS')) throw notFound('Project not found or you do not have permission to administer it.');
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name) throw fieldErrors({ name: 'You must specify a valid version name' });
    if (name.length > 255) throw fieldErrors({ name: 'The version name must not exceed 255 characters.' });
    if (site.state.versions(p.id).some((v) => v.name.toLowerCase() === name.toLowerCase())) {
      throw fieldErrors({ name: 'A version with this name already exists in this project.' });
    }
    const v: VersionRow = {
      id: site.state.nextId('version', 10000),
      projectId: p.id,
      name,
      description: typeof body.description === 'string' ? body.description : '',
      released: body.released === true,
      archived: body.archived === true,
      startDate: dateField(body, 'startDate', null),
      releaseDate: dateField(body, 'releaseDate', null),
    };
    site.state.putVersion(v);
    return ok(versionJson(site, v), 201);
  }),

  route('GET', '/rest/api/3/version/{id}', (req, site) => {
    site.actorAccountId(req.actor);
    return ok(versionJson(site, adminVersion(site, req.actor, req.pathParams.id ?? '')));
  }),

  route('PUT', '/rest/api/3/version/{id}', (req, site) => {
    site.actorAccountId(req.actor);
    const v = adminVersion(site, req.actor, req.pathParams.id ?? '');
    const p = site.state.project(v.projectId);
    if (!p || !site.projectPermissions(req.actor, p).has('ADMINISTER_PROJECTS')) {
      throw fieldErrors({ permission: 'You do not have permission to edit this version.' });
    }
    const body = isObject(req.body) ? req.body : {};
    const name = typeof body.name === 'string' ? body.name.trim() : v.name;
    if (!name) throw fieldErrors({ name: 'You must specify a valid version name' });
    if (name !== v.name && site.state.versions(v.projectId).some((x) => x.id !== v.id && x.name.toLowerCase() === name.toLowerCase())) {
      throw fieldErrors({ name: 'A version with this name already exists in this project.' });
    }
    const updated: VersionRow = {
      ...v,
      name,
      description: typeof body.description === 'string' ? body.description : v.description,
      released: typeof body.released === 'boolean' ? body.released : v.released,
      archived: typeof body.archived === 'boolean' ? body.archived : v.archived,
      startDate: dateField(body, 'startDate', v.startDate),
      releaseDate: dateField(body, 'releaseDate', v.releaseDate),
    };
    site.state.putVersion(updated);
    return ok(versionJson(site, updated));
  }),
];
