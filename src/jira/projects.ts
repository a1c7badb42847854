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
export function appIdentity(): { appAri: string; environmentAri: string } {
  const app = getAppContext();
  return { appAri: app.appAri.toString(), environmentAri: app.environmentAri.toString() };
}
