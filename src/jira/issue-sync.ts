import { route } from '@forge/api';
import { z } from 'zod';
import { requestJira } from './client';

/**
 * What triggers need of an issue, read `asApp` (product events carry no user to act as): its current
 * status, type, project and reporter. Triggers act on Jira's current state, not on the event's, so a late
 * or repeated event cannot move a record backwards.
 */

const issueSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    fields: z
      .object({
        status: z.object({ id: z.string() }).loose().optional(),
        issuetype: z.object({ id: z.string() }).loose().optional(),
        project: z.object({ id: z.string(), key: z.string() }).loose(),
        reporter: z.object({ accountId: z.string() }).loose().nullable().optional(),
      })
      .loose(),
  })
  .loose();

export interface IssueState {
  id: string;
  key: string;
  statusId: string | null;
  issueTypeId: string | null;
  projectId: string;
  projectKey: string;
  reporterAccountId: string | null;
}

export async function issueStateAsApp(issueIdOrKey: string): Promise<IssueState | null> {
  const res = await requestJira(route`/rest/api/3/issue/${issueIdOrKey}?fields=status,issuetype,project,reporter`, { as: 'app', schema: issueSchema, accept: [404] });
  if (res.status === 404) return null;
  const f = res.data.fields;
  return {
    id: res.data.id,
    key: res.data.key,
    statusId: f.status?.id ?? null,
    issueTypeId: f.issuetype?.id ?? null,
    projectId: f.project.id,
    projectKey: f.project.key,
    reporterAccountId: f.reporter?.accountId ?? null,
  };
}

/** Keeps the release facts Jira indexes for JQL and reads in the workflow condition in step (asApp). */
export async function setIssueProperty(issueIdOrKey: string, propertyKey: string, value: unknown): Promise<void> {
  await requestJira(route`/rest/api/3/issue/${issueIdOrKey}/properties/${propertyKey}`, { as: 'app', method: 'PUT', body: value });
}

/** Fires a workflow transition as the user (Jira checks the condition and runs the validator). */
export async function transitionIssueAsUser(issueIdOrKey: string, transitionId: string): Promise<void> {
  await requestJira(route`/rest/api/3/issue/${issueIdOrKey}/transitions`, { as: 'user', method: 'POST', body: { transition: { id: transitionId } } });
}

const transitionsSchema = z.object({ transitions: z.array(z.object({ id: z.string(), to: z.object({ id: z.string() }).loose().optional() }).loose()) }).loose();

/** The transitions Jira offers this user now (conditions applied). */
export async function availableTransitionIds(issueIdOrKey: string): Promise<string[]> {
  const { data } = await requestJira(route`/rest/api/3/issue/${issueIdOrKey}/transitions`, { as: 'user', schema: transitionsSchema });
  return data.transitions.map((t) => t.id);
}
