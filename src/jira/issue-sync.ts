import { route } from '@forge/api';
import { z } from 'zod';
import { requestJira, type JiraAs, type RetryPolicy } from './client';

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
export async function setIssueProperty(issueIdOrKey: string, propertyKey: string, value: unknown, retry?: Partial<RetryPolicy>): Promise<void> {
  await requestJira(route`/rest/api/3/issue/${issueIdOrKey}/properties/${propertyKey}`, { as: 'app', method: 'PUT', body: value, ...(retry ? { retry } : {}) });
}

/** Fires a workflow transition (Jira checks the condition and runs the validator). */
export async function transitionIssue(issueIdOrKey: string, transitionId: string, as: JiraAs, retry?: Partial<RetryPolicy>): Promise<void> {
  await requestJira(route`/rest/api/3/issue/${issueIdOrKey}/transitions`, { as, method: 'POST', body: { transition: { id: transitionId } }, ...(retry ? { retry } : {}) });
}

const mirrorSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    fields: z.object({ status: z.object({ id: z.string() }).loose().optional() }).loose().optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

export interface MirrorState {
  id: string;
  key: string;
  statusId: string | null;
  /** The value of the mirrored property, or null when the issue has none. */
  property: unknown;
}

/** What Jira shows of a release, in one request (asApp): its status and the mirrored property. */
export async function mirrorStateAsApp(issueIdOrKey: string, propertyKey: string, retry?: Partial<RetryPolicy>): Promise<MirrorState | null> {
  const res = await requestJira(route`/rest/api/3/issue/${issueIdOrKey}?fields=status&properties=${propertyKey}`, {
    as: 'app',
    schema: mirrorSchema,
    accept: [404],
    ...(retry ? { retry } : {}),
  });
  if (res.status === 404) return null;
  return { id: res.data.id, key: res.data.key, statusId: res.data.fields?.status?.id ?? null, property: res.data.properties?.[propertyKey] ?? null };
}

const transitionsSchema = z.object({ transitions: z.array(z.object({ id: z.string(), to: z.object({ id: z.string() }).loose().optional() }).loose()) }).loose();

/** The transitions Jira offers this user now (conditions applied). */
export async function availableTransitionIds(issueIdOrKey: string): Promise<string[]> {
  const { data } = await requestJira(route`/rest/api/3/issue/${issueIdOrKey}/transitions`, { as: 'user', schema: transitionsSchema });
  return data.transitions.map((t) => t.id);
}

const searchSchema = z.object({ issues: z.array(mirrorSchema).optional() }).loose();

/** Status and mirrored property of several issues in one request (asApp; at most 100 ids). */
export async function mirrorStatesAsApp(issueIds: readonly string[], propertyKey: string): Promise<Map<string, MirrorState>> {
  const out = new Map<string, MirrorState>();
  const ids = issueIds.filter((x) => /^\d+$/.test(x)).slice(0, 100);
  if (ids.length === 0) return out;
  const jql = `id in (${ids.join(',')})`;
  const { data } = await requestJira(route`/rest/api/3/search/jql?jql=${jql}&maxResults=${ids.length}&fields=status&properties=${propertyKey}`, { as: 'app', schema: searchSchema });
  for (const i of data.issues ?? []) out.set(i.id, { id: i.id, key: i.key, statusId: i.fields?.status?.id ?? null, property: i.properties?.[propertyKey] ?? null });
  return out;
}
