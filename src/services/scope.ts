/**
 * Who is acting, and on what. The actor is the invocation's account id (never the payload); the issue and
 * project come from `context.extension` and are re-checked against Jira as the user: if the user cannot
 * browse them, Jira says so and we stop. A payload may name an issue only on project-level modules, and then
 * only an issue of the module's own project.
 */
import { z } from 'zod';
import { browseIssue, browseProject, type IssueRef } from '../jira/issues';
import { badInput, ServiceError } from './errors';

const idLike = z.union([z.string(), z.number()]).transform(String);

const extensionSchema = z
  .object({
    issue: z.object({ id: idLike.optional(), key: z.string().optional() }).loose().optional(),
    project: z.object({ id: idLike.optional(), key: z.string().optional() }).loose().optional(),
  })
  .loose();

export interface Caller {
  /** From the invocation principal. */
  accountId: string | undefined;
  extension: unknown;
  locale?: string | undefined;
}

export interface ProjectScope {
  accountId: string;
  projectId: string;
  projectKey: string;
  /** Jira's project name, where the browse check returned it. */
  projectName?: string;
}

export interface IssueScope extends ProjectScope {
  issue: IssueRef;
}

function parseExtension(extension: unknown): z.infer<typeof extensionSchema> {
  const p = extensionSchema.safeParse(extension ?? {});
  return p.success ? p.data : {};
}

export function requireAccount(caller: Caller): string {
  if (!caller.accountId) throw new ServiceError('CANNOT_BROWSE');
  return caller.accountId;
}

/** What the extension claims, before Jira confirms it (used to start storage reads in parallel). */
export function claimedIssue(caller: Caller): { issueId?: string; issueKey?: string; projectId?: string } {
  const ext = parseExtension(caller.extension);
  return {
    ...(ext.issue?.id ? { issueId: ext.issue.id } : {}),
    ...(ext.issue?.key ? { issueKey: ext.issue.key } : {}),
    ...(ext.project?.id ? { projectId: ext.project.id } : {}),
  };
}

/**
 * The release issue the caller acts on. On an issue module, the extension's issue (a payload `releaseId`
 * must then be the same issue). On a project module, the payload's `releaseId`, which must be an issue of
 * the module's project. One asUser request to Jira either way.
 */
export async function resolveIssueScope(caller: Caller, payloadReleaseId?: string): Promise<IssueScope> {
  const accountId = requireAccount(caller);
  const ext = parseExtension(caller.extension);
  const extIssue = ext.issue?.id ?? ext.issue?.key;
  const extProject = ext.project?.id ?? ext.project?.key;
  let target: string;
  if (extIssue) {
    if (payloadReleaseId && payloadReleaseId !== ext.issue?.id && payloadReleaseId !== ext.issue?.key) throw badInput('releaseId', 'otherIssue');
    target = extIssue;
  } else if (payloadReleaseId) {
    if (!extProject) throw badInput('releaseId', 'noProjectContext');
    target = payloadReleaseId;
  } else {
    throw badInput('releaseId', 'noIssueContext');
  }
  const issue = await browseIssue(target);
  if (!issue) throw new ServiceError('CANNOT_BROWSE');
  if (ext.issue?.id && issue.id !== ext.issue.id) throw badInput('releaseId', 'otherIssue');
  if (extProject && issue.projectId !== ext.project?.id && issue.projectKey !== ext.project?.key) throw badInput('releaseId', 'otherProject');
  return { accountId, projectId: issue.projectId, projectKey: issue.projectKey, issue };
}

/**
 * The project the caller acts on: the extension's project (project page, issue modules), else the payload's
 * (admin page, dashboard gadget, where the user picks one). One asUser request to Jira.
 */
export async function resolveProjectScope(caller: Caller, payloadProjectId?: string): Promise<ProjectScope> {
  const accountId = requireAccount(caller);
  const ext = parseExtension(caller.extension);
  const extProject = ext.project?.id ?? ext.project?.key;
  if (extProject && payloadProjectId && payloadProjectId !== ext.project?.id && payloadProjectId !== ext.project?.key) {
    throw badInput('projectId', 'otherProject');
  }
  const target = extProject ?? payloadProjectId;
  if (!target) throw badInput('projectId', 'noProjectContext');
  const project = await browseProject(target);
  if (!project) throw new ServiceError('CANNOT_BROWSE');
  return { accountId, projectId: project.id, projectKey: project.key, ...(project.name !== undefined ? { projectName: project.name } : {}) };
}
