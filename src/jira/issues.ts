import { route } from '@forge/api';
import { z } from 'zod';
import { createOnce, JiraError, requestJira, SINGLE_ATTEMPT } from './client';
import { findIssueByProperty } from './links';

/**
 * The issue and project reads the services need to re-check what `context.extension` claims. Always
 * `asUser`: Jira answers 404 when the user cannot browse the issue or project, which is exactly the check.
 */

const issueSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.object({
    project: z.object({ id: z.string(), key: z.string() }),
    issuetype: z.object({ id: z.string() }).optional(),
    status: z.object({ id: z.string() }).loose().optional(),
  }),
  properties: z.record(z.string(), z.unknown()).optional(),
});

export interface IssueRef {
  id: string;
  key: string;
  projectId: string;
  projectKey: string;
  issueTypeId: string | null;
  /** With `mirrorProperty`: what Jira shows of the release (its status and that property), read in the same request. */
  mirror?: { statusId: string | null; property: unknown };
}

/**
 * The issue as the acting user sees it, or null when they cannot see it (or it does not exist). With
 * `mirrorProperty`, the same request also brings the issue's status and that property, so that a read can
 * tell whether Jira shows what the record says at no extra cost.
 */
export async function browseIssue(issueIdOrKey: string, opts: { mirrorProperty?: string } = {}): Promise<IssueRef | null> {
  const res = opts.mirrorProperty
    ? await requestJira(route`/rest/api/3/issue/${issueIdOrKey}?fields=project,issuetype,status&properties=${opts.mirrorProperty}`, {
        as: 'user',
        schema: issueSchema,
        accept: [401, 403, 404],
      })
    : await requestJira(route`/rest/api/3/issue/${issueIdOrKey}?fields=project,issuetype`, { as: 'user', schema: issueSchema, accept: [401, 403, 404] });
  if (res.status !== 200) return null;
  const { id, key, fields } = res.data;
  const ref: IssueRef = { id, key, projectId: fields.project.id, projectKey: fields.project.key, issueTypeId: fields.issuetype?.id ?? null };
  if (opts.mirrorProperty) ref.mirror = { statusId: fields.status?.id ?? null, property: res.data.properties?.[opts.mirrorProperty] ?? null };
  return ref;
}

const factsSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    fields: z.object({ project: z.object({ id: z.string(), key: z.string() }).loose() }).loose(),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

/**
 * The issue and one of its entity properties, read as the app: for entry points Jira calls without a user
 * (a workflow validator, as Forge documents it), after the app's own checks. Null when there is no such issue.
 */
export async function issueFactsAsApp(issueIdOrKey: string, propertyKey: string): Promise<(IssueRef & { property: unknown }) | null> {
  const res = await requestJira(route`/rest/api/3/issue/${issueIdOrKey}?fields=project,issuetype&properties=${propertyKey}`, {
    as: 'app',
    schema: factsSchema,
    accept: [404],
  });
  if (res.status !== 200) return null;
  const { id, key, fields, properties } = res.data;
  return { id, key, projectId: fields.project.id, projectKey: fields.project.key, issueTypeId: null, property: properties?.[propertyKey] ?? null };
}

const projectSchema = z.object({ id: z.string(), key: z.string(), name: z.string().optional() });

export interface ProjectRef {
  id: string;
  key: string;
  name?: string;
}

/** The project as the acting user sees it, or null when they cannot browse it. */
export async function browseProject(projectIdOrKey: string): Promise<ProjectRef | null> {
  const res = await requestJira(route`/rest/api/3/project/${projectIdOrKey}`, { as: 'user', schema: projectSchema, accept: [401, 403, 404] });
  if (res.status !== 200) return null;
  return { id: res.data.id, key: res.data.key, ...(res.data.name !== undefined ? { name: res.data.name } : {}) };
}

const permissionsSchema = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean().optional() })),
});

/** Does the acting user hold ADMINISTER_PROJECTS on the project? (Bootstraps the role mapping.) */
export async function canAdministerProject(projectId: string): Promise<boolean> {
  const res = await requestJira(route`/rest/api/3/mypermissions?projectId=${projectId}&permissions=ADMINISTER_PROJECTS`, { as: 'user',
    schema: permissionsSchema,
    accept: [400, 401, 404],
  });
  if (res.status !== 200) return false;
  return res.data.permissions.ADMINISTER_PROJECTS?.havePermission === true;
}

export { JiraError };

const createdSchema = z.object({ id: z.string(), key: z.string() });

/** Carried by a Release Request issue the app creates (indexed for JQL), naming the submission it came from. */
export const ORIGIN_PROPERTY = 'release-governance-origin';

/**
 * Creates a Release Request issue as the user (Jira applies their create permission), once per
 * submission: the issue carries the submission id, so that a create whose answer was lost is found by it.
 */
export async function createReleaseRequestIssue(input: {
  submissionId: string;
  projectId: string;
  issueTypeId: string;
  summary: string;
  description?: string | undefined;
}): Promise<{ id: string; key: string }> {
  const fields: Record<string, unknown> = {
    project: { id: input.projectId },
    issuetype: { id: input.issueTypeId },
    summary: input.summary,
  };
  if (input.description) {
    fields.description = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: input.description }] }] };
  }
  const made = await createOnce(
    () => findIssueByProperty(ORIGIN_PROPERTY, 'submissionId', input.submissionId),
    async () =>
      (
        await requestJira(route`/rest/api/3/issue`, {
          as: 'user',
          method: 'POST',
          body: { fields, properties: [{ key: ORIGIN_PROPERTY, value: { submissionId: input.submissionId } }] },
          schema: createdSchema,
          retry: SINGLE_ATTEMPT,
        })
      ).data,
    { findFirst: false },
  );
  return made.value;
}

const summariesSchema = z.object({ issues: z.array(z.object({ id: z.string(), fields: z.object({ summary: z.string().optional() }).loose().optional() }).loose()) }).loose();

/** Summaries of up to 100 issues, as the acting user sees them (one search request; issues they cannot see are absent). */
export async function issueSummaries(issueIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = [...new Set(issueIds)].filter((i) => /^\d+$/.test(i)).slice(0, 100);
  if (ids.length === 0) return out;
  const res = await requestJira(route`/rest/api/3/search/jql`, {
    as: 'user',
    method: 'POST',
    body: { jql: `id in (${ids.join(',')})`, fields: ['summary'], maxResults: ids.length },
    schema: summariesSchema,
  });
  for (const i of res.data.issues) if (i.fields?.summary !== undefined) out.set(i.id, i.fields.summary);
  return out;
}
