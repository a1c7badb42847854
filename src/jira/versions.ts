import { route } from '@forge/api';
import { z } from 'zod';
import type { FixVersion } from '../contracts/views';
import { requestJira } from './client';

/**
 * Jira fix versions (project versions) as the DSL needs them: the list, as the user (browse permission is
 * enough to read them), and marking one released when its release closes, as the app (a software control
 * lead or operations lead is seldom a project admin; the app has checked the actor's role first).
 */

const versionSchema = z.object({ id: z.string(), name: z.string(), released: z.boolean().optional(), archived: z.boolean().optional(), releaseDate: z.string().optional() }).loose();

/** The project's fix versions as the user sees them; null when Jira would not say. */
export async function listProjectVersions(projectId: string): Promise<FixVersion[] | null> {
  const res = await requestJira(route`/rest/api/3/project/${projectId}/versions`, { as: 'user', schema: z.array(versionSchema), accept: [401, 403, 404] });
  if (res.status !== 200) return null;
  return res.data.map((v) => ({ id: v.id, name: v.name, released: v.released === true, archived: v.archived === true, releaseDate: v.releaseDate ?? null }));
}

/** Marks a fix version released on `date` (YYYY-MM-DD). Call only after the app's own permission check. */
export async function releaseVersionAsApp(versionId: string, date: string): Promise<void> {
  await requestJira(route`/rest/api/3/version/${versionId}`, { as: 'app', method: 'PUT', body: { released: true, releaseDate: date }, schema: versionSchema });
}
