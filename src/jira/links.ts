import { route } from '@forge/api';
import { z } from 'zod';
import { CMDB_TASK_PROPERTY } from '../contracts/jira-properties';
import { requestJira } from './client';

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

/** Links the release request to its change request, as the user (Jira checks LINK_ISSUES). */
export async function linkToChangeRequest(releaseIssueKey: string, changeIssueKey: string): Promise<boolean> {
  const typeId = await relatesLinkTypeId();
  if (!typeId) return false;
  await requestJira(route`/rest/api/3/issueLink`, {
    as: 'user',
    method: 'POST',
    body: { type: { id: typeId }, inwardIssue: { key: releaseIssueKey }, outwardIssue: { key: changeIssueKey } },
  });
  return true;
}

const issueTypesSchema = z.array(z.object({ id: z.string(), name: z.string(), subtask: z.boolean().optional(), hierarchyLevel: z.number().optional() }).loose());
const propertySchema = z.object({ key: z.string(), value: z.unknown() }).loose();
const createdSchema = z.object({ id: z.string(), key: z.string() }).loose();

export { CMDB_TASK_PROPERTY };

/**
 * Raises the CMDB-update task for a closed release, once: the created task's key is kept in a property of
 * the release issue, which a repeated call finds. Created `asApp` (the app's own follow-up, after its
 * decision that the release closed), in the release's project, with a standard issue type other than the
 * release request's.
 */
export async function raiseCmdbUpdateTask(input: {
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
  if (existing.status === 200) {
    const key = (existing.data.value as { key?: unknown } | undefined)?.key;
    if (typeof key === 'string') return { key, created: false };
  }
  const { data: types } = await requestJira(route`/rest/api/3/issuetype/project?projectId=${input.projectId}`, { as: 'app', schema: issueTypesSchema });
  const type = types.find((t) => t.id !== input.releaseIssueTypeId && !t.subtask && (t.hierarchyLevel ?? 0) === 0);
  if (!type) return null;
  const { data: task } = await requestJira(route`/rest/api/3/issue`, {
    as: 'app',
    method: 'POST',
    body: { fields: { project: { id: input.projectId }, issuetype: { id: type.id }, summary: input.summary, description: input.description } },
    schema: createdSchema,
  });
  await requestJira(route`/rest/api/3/issue/${input.releaseIssueKey}/properties/${CMDB_TASK_PROPERTY}`, { as: 'app', method: 'PUT', body: { key: task.key } });
  const typeId = await relatesLinkTypeId();
  if (typeId) {
    await requestJira(route`/rest/api/3/issueLink`, {
      as: 'app',
      method: 'POST',
      body: { type: { id: typeId }, inwardIssue: { key: input.releaseIssueKey }, outwardIssue: { key: task.key } },
    });
  }
  return { key: task.key, created: true };
}
