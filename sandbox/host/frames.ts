import type { ManifestModule } from '../manifest';
import type { ChromeJira, JiraIssue, JiraProject } from './jira';
import type { FrameSpec } from './protocol';

/** Module types whose UI the host can place, and where. */
export const ISSUE_MODULES = ['jira:issuePanel', 'jira:issueContext', 'jira:issueGlance', 'jira:issueAction', 'jira:issueActivity'];
export const PROJECT_MODULES = ['jira:projectPage', 'jira:projectSettingsPage'];
export const GLOBAL_MODULES = ['jira:adminPage', 'jira:globalPage'];
export const GADGET_MODULES = ['jira:dashboardGadget'];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function isFrameSpec(v: unknown): v is FrameSpec {
  if (!isObj(v) || typeof v.moduleKey !== 'string') return false;
  for (const k of ['issueKey', 'projectKey', 'gadgetId', 'subPath'] as const) if (v[k] !== undefined && typeof v[k] !== 'string') return false;
  return v.entryPoint === undefined || v.entryPoint === 'edit';
}

/** A Custom UI module has a `resource`; UI Kit (`render: native`) and function-only modules have no frame. */
export function hasFrame(m: ManifestModule): boolean {
  return typeof m.resource === 'string' && m.render !== 'native';
}

export interface ExtensionInput {
  module: ManifestModule;
  spec: FrameSpec;
  accountId: string | undefined;
  jira: ChromeJira;
  gadgetConfig: (gadgetId: string) => Record<string, unknown> | undefined;
}

/**
 * `context.extension` as Jira gives it to each module type: the issue and project the frame sits in
 * (ids, keys, types), looked up in Jira as the acting user, so a user who cannot see the issue gets none.
 */
export async function buildExtension({ module, spec, accountId, jira, gadgetConfig }: ExtensionInput): Promise<Record<string, unknown>> {
  const type = module.moduleType;
  const ext: Record<string, unknown> = { type };
  if (spec.issueKey && ISSUE_MODULES.includes(type)) {
    const issue = await jira.get<JiraIssue>(accountId, `/rest/api/3/issue/${encodeURIComponent(spec.issueKey)}?fields=issuetype,project`);
    if (!issue) throw new Error(`Issue ${spec.issueKey} does not exist or you do not have permission to see it`);
    ext.issue = { id: issue.id, key: issue.key, type: issue.fields.issuetype?.name, typeId: issue.fields.issuetype?.id };
    ext.project = {
      id: issue.fields.project?.id,
      key: issue.fields.project?.key,
      type: issue.fields.project?.projectTypeKey ?? 'software',
    };
    if (type === 'jira:issuePanel') ext.isNewToIssue = false;
  }
  if (spec.projectKey && PROJECT_MODULES.includes(type)) {
    const project = await jira.get<JiraProject>(accountId, `/rest/api/3/project/${encodeURIComponent(spec.projectKey)}`);
    if (!project) throw new Error(`Project ${spec.projectKey} does not exist or you do not have permission to see it`);
    ext.project = { id: project.id, key: project.key, type: project.projectTypeKey ?? 'software' };
  }
  if (GADGET_MODULES.includes(type)) {
    const gadgetId = spec.gadgetId ?? `${module.key}-1`;
    ext.gadget = { id: gadgetId };
    ext.dashboard = { id: '10000' };
    ext.gadgetConfiguration = gadgetConfig(gadgetId) ?? {};
    if (spec.entryPoint === 'edit') ext.entryPoint = 'edit';
  }
  if (spec.subPath !== undefined && (PROJECT_MODULES.includes(type) || GLOBAL_MODULES.includes(type))) ext.location = spec.subPath;
  return ext;
}

export function localIdOf(spec: FrameSpec): string {
  return [spec.moduleKey, spec.issueKey ?? spec.projectKey ?? spec.gadgetId ?? 'global'].join(':');
}
