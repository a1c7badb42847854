import { getAppContext, route } from '@forge/api';
import { z } from 'zod';
import { requestJira } from './client';

const projectSchema = z.object({ id: z.string(), key: z.string(), name: z.string().optional() }).passthrough();
const permissionsSchema = z
  .object({ permissions: z.record(z.string(), z.object({ havePermission: z.boolean() }).passthrough()) })
  .passthrough();

/** The project as the user sees it; null when it does not exist or the user cannot browse it. */
export async function projectAsUser(projectIdOrKey: string): Promise<{ id: string; key: string } | null> {
  const res = await requestJira(route`/rest/api/3/project/${projectIdOrKey}`, { as: 'user', schema: projectSchema, accept: [404] });
  return res.status === 404 ? null : { id: res.data.id, key: res.data.key };
}

/** Does the user hold a project permission (e.g. ADMINISTER_PROJECTS) in the project? Asked of Jira as the user. */
export async function userHasProjectPermission(projectId: string, permission: string): Promise<boolean> {
  const { data } = await requestJira(route`/rest/api/3/mypermissions?projectId=${projectId}&permissions=${permission}`, { as: 'user',
    schema: permissionsSchema,
  });
  return data.permissions[permission]?.havePermission === true;
}

/** This app's and environment's ARIs, for references Jira keeps to the app's modules. */
export function appIdentity(): { appAri: string; environmentAri: string; environmentId: string; environmentType: string } {
  const app = getAppContext();
  const environmentAri = app.environmentAri.toString();
  return { appAri: app.appAri.toString(), environmentAri, environmentId: environmentAri.split('/').pop() ?? environmentAri, environmentType: app.environmentType };
}

const projectSearchSchema = z
  .object({
    values: z.array(z.object({ id: z.string(), key: z.string(), name: z.string().optional() }).loose()),
    isLast: z.boolean().optional(),
    total: z.number().optional(),
  })
  .loose();

/** Pages of `project/search` read per call: enough for a picker; a larger site narrows with `query`. */
const SEARCH_PAGES = 4;
const SEARCH_PAGE_SIZE = 50;

/** Projects the user can browse (asUser: Jira filters by their permissions), by key, optionally matching `query`. */
export async function browsableProjects(query?: string): Promise<{ id: string; key: string; name: string }[]> {
  const out: { id: string; key: string; name: string }[] = [];
  for (let page = 0; page < SEARCH_PAGES; page++) {
    const params = new URLSearchParams({ startAt: String(page * SEARCH_PAGE_SIZE), maxResults: String(SEARCH_PAGE_SIZE), orderBy: 'key' });
    if (query) params.set('query', query);
    const { data } = await requestJira(route`/rest/api/3/project/search?${params}`, {
      as: 'user',
      schema: projectSearchSchema,
    });
    for (const p of data.values) out.push({ id: p.id, key: p.key, name: p.name ?? p.key });
    if (data.isLast !== false || data.values.length < SEARCH_PAGE_SIZE) break;
  }
  return out;
}

const projectRolesSchema = z.record(z.string(), z.string());

/**
 * The project roles of a project, for the role-mapping dropdowns: `asApp`, only after the service has
 * checked that the caller administers the project or owns its release process. Jira answers name → URL;
 * the id is the URL's last segment.
 */
export async function projectRoles(projectId: string): Promise<{ id: string; name: string }[]> {
  const res = await requestJira(route`/rest/api/3/project/${projectId}/role`, { as: 'app', schema: projectRolesSchema, accept: [404] });
  if (res.status !== 200) return [];
  return Object.entries(res.data)
    .map(([name, url]) => ({ id: /\/role\/(\d+)\/?$/.exec(url)?.[1] ?? '', name }))
    .filter((r) => r.id !== '')
    .sort((a, b) => a.name.localeCompare(b.name));
}
