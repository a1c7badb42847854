import { route } from '@forge/api';
import { z } from 'zod';
import { CMDB_TASK_PROPERTY } from '../contracts/jira-properties';
import { createOnce, requestJira, SINGLE_ATTEMPT } from './client';

/**
 * Links and follow-up work in Jira: the release request points at the change request it came from, and a
 * closed release raises the task that tells configuration management to update the CMDB.
 */

const linkTypesSchema = z.object({ issueLinkTypes: z.array(z.object({ id: z.string(), name: z.string() }).loose()) }).loose();

/** Jira's built-in "Relates" type when the site has it, else the first type it offers. */
async function relatesLinkTypeId(): Promise<string | null> {
  const { data } = await requestJira(route`/rest/api/3/issueLinkType`, { as: 'app', schema: linkTypesSchema });
  const relates = data.issueLinkTypes.find((t) => t.name === 'Relates') ?? data.issueLinkTypes[0];
  return relates?.id ?? null;
}

/**
 * Links the release request to its change request: as the user right after their submission (Jira checks
 * LINK_ISSUES), as the app when retried later (the app checked at submission that the user could see it).
 * Jira keeps one link per type and pair, so linking again is harmless.
 */
export async function linkToChangeRequest(releaseIssueKey: string, changeIssueKey: string, as: 'user' | 'app' = 'user'): Promise<boolean> {
  const typeId = await relatesLinkTypeId();
  if (!typeId) return false;
  await requestJira(route`/rest/api/3/issueLink`, {
    as,
    method: 'POST',
    body: { type: { id: typeId }, inwardIssue: { key: releaseIssueKey }, outwardIssue: { key: changeIssueKey } },
  });
  return true;
}

const issueTypesSchema = z.array(z.object({ id: z.string(), name: z.string(), subtask: z.boolean().optional(), hierarchyLevel: z.number().optional() }).loose());
const propertySchema = z.object({ key: z.string(), value: z.unknown() }).loose();
const createdSchema = z.object({ id: z.string(), key: z.string() }).loose();

export { CMDB_TASK_PROPERTY };
/** Carried by the CMDB-update task itself (indexed for JQL by manifest.yml), so that a lost answer to its creation finds it. */
export const CMDB_ORIGIN_PROPERTY = 'release-governance-cmdb-for';

const searchSchema = z.object({ issues: z.array(z.object({ id: z.string(), key: z.string().optional() }).loose()).optional() }).loose();

/** The issue (asApp) whose `propertyKey.path` equals `value`, by JQL over an indexed property, or null. */
export async function findIssueByProperty(propertyKey: string, path: string, value: string): Promise<{ id: string; key: string } | null> {
  const jql = `issue.property[${propertyKey}].${path} = "${value.replace(/["\\]/g, '')}"`;
  const { data } = await requestJira(route`/rest/api/3/search/jql?jql=${jql}&maxResults=1&fields=key`, { as: 'app', schema: searchSchema });
  const hit = data.issues?.[0];
  return hit?.key ? { id: hit.id, key: hit.key } : null;
}

/**
 * Raises the CMDB-update task for a closed release, once, whatever fails: the task's key is kept in a
 * property of the release issue, and the task carries the release id in a property of its own, so that a
 * create whose answer was lost (or whose function died before noting the key) is found, not repeated.
 * Created `asApp` (the app's own follow-up, after its decision that the release closed), in the release's
 * project, with a standard issue type other than the release request's.
 */
export async function raiseCmdbUpdateTask(input: {
  releaseId: string;
  releaseIssueKey: string;
  projectId: string;
  releaseIssueTypeId: string | undefined;
  summary: string;
  /** Atlassian Document Format (domain/cmdb-task.ts builds it). */
  description: { type: 'doc'; version: 1; content: readonly unknown[] };
}): Promise<{ key: string; created: boolean } | null> {
  const existing = await requestJira(route`/rest/api/3/issue/${input.releaseIssueKey}/properties/${CMDB_TASK_PROPERTY}`, {
    as: 'app',
    schema: propertySchema,
    accept: [404],
  });
  const known = existing.status === 200 ? (existing.data.value as { key?: unknown } | undefined)?.key : undefined;
  let task: { key: string; created: boolean };
  if (typeof known === 'string') task = { key: known, created: false };
  else {
    const { data: types } = await requestJira(route`/rest/api/3/issuetype/project?projectId=${input.projectId}`, { as: 'app', schema: issueTypesSchema });
    const type = types.find((t) => t.id !== input.releaseIssueTypeId && !t.subtask && (t.hierarchyLevel ?? 0) === 0);
    if (!type) return null;
    const description = input.description;
    const made = await createOnce(
      () => findIssueByProperty(CMDB_ORIGIN_PROPERTY, 'releaseId', input.releaseId),
      async () =>
        (
          await requestJira(route`/rest/api/3/issue`, {
            as: 'app',
            method: 'POST',
            body: {
              fields: { project: { id: input.projectId }, issuetype: { id: type.id }, summary: input.summary, description },
              properties: [{ key: CMDB_ORIGIN_PROPERTY, value: { releaseId: input.releaseId } }],
            },
            schema: createdSchema,
            retry: SINGLE_ATTEMPT,
          })
        ).data,
      { findFirst: true },
    );
    task = { key: made.value.key, created: made.created };
    await requestJira(route`/rest/api/3/issue/${input.releaseIssueKey}/properties/${CMDB_TASK_PROPERTY}`, { as: 'app', method: 'PUT', body: { key: task.key } });
  }
  // Jira keeps one link per type and pair of issues: linking again is harmless.
  const typeId = await relatesLinkTypeId();
  if (typeId) {
    await requestJira(route`/rest/api/3/issueLink`, {
      as: 'app',
      method: 'POST',
      body: { type: { id: typeId }, inwardIssue: { key: input.releaseIssueKey }, outwardIssue: { key: task.key } },
    });
  }
  return task;
}
