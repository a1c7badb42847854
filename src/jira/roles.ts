import { route } from '@forge/api';
import { z } from 'zod';
import { requestJira } from './client';

/**
 * Members of a Jira project role. Called `asApp`, and only after the service has checked (asUser) that the
 * acting user can browse the project: the app reads role membership to decide, the user does not need
 * permission to view it. Only user actors count; group actors would need a site-admin scope to expand
 * (see the report), so the app asks admins to add people to its roles directly.
 */

const projectRoleSchema = z.object({
  id: z.number(),
  name: z.string().optional(),
  actors: z
    .array(
      z.object({
        type: z.string().optional(),
        actorUser: z.object({ accountId: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

/** Account ids holding the role in the project; [] when the role no longer exists. */
export async function projectRoleMembers(projectId: string, roleId: string): Promise<string[]> {
  const res = await requestJira(route`/rest/api/3/project/${projectId}/role/${roleId}`, { as: 'app',
    schema: projectRoleSchema,
    accept: [404],
  });
  if (res.status !== 200) return [];
  const ids = (res.data.actors ?? [])
    .filter((a) => a.type === undefined || a.type === 'atlassian-user-role-actor')
    .map((a) => a.actorUser?.accountId)
    .filter((id): id is string => !!id && id !== 'unknown');
  return [...new Set(ids)];
}
