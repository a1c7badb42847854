import type { Site } from './site';
import type { IssueTypeSchemeRow, JiraState, ProjectRow, StoredTransition, WorkflowRow } from './state';

/**
 * What a fresh Jira Cloud site has: the three default statuses, Task and Bug, the classic `jira` workflow
 * (global transitions to every status), the Default Workflow Scheme, the Administrators role and the
 * usual link types.
 */

export const DEFAULT_WORKFLOW = 'jira';
export const DEFAULT_WORKFLOW_SCHEME_ID = 10000;
export const ADMINISTRATORS_ROLE_ID = 10002;

export function seedSite(state: JiraState): void {
  if (state.workflowByName(DEFAULT_WORKFLOW)) return;
  state.transaction(() => {
    const todo = state.nextId('status', 10000);
    const doing = state.nextId('status', 10000);
    const done = state.nextId('status', 10000);
    state.putStatus({ id: todo, name: 'To Do', description: '', category: 'TODO', scopeProjectId: null });
    state.putStatus({ id: doing, name: 'In Progress', description: 'This issue is being actively worked on.', category: 'IN_PROGRESS', scopeProjectId: null });
    state.putStatus({ id: done, name: 'Done', description: '', category: 'DONE', scopeProjectId: null });
    for (const [name, description] of [
      ['Task', 'A small, distinct piece of work.'],
      ['Bug', 'A problem or error.'],
    ] as const) {
      state.putIssueType({ id: state.nextId('issuetype', 10001), name, description, hierarchyLevel: 0, entityId: state.uuid() });
    }
    const global = (id: string, name: string, to: number): StoredTransition => ({
      id,
      name,
      description: '',
      type: 'GLOBAL',
      toStatusId: String(to),
      links: [],
      validators: [],
      actions: [],
      properties: {},
    });
    const now = new Date().toISOString();
    const wf: WorkflowRow = {
      id: state.uuid(),
      name: DEFAULT_WORKFLOW,
      description: 'The default Jira workflow.',
      scopeProjectId: null,
      statusIds: [todo, doing, done].map(String),
      statusProperties: {},
      transitions: [
        { ...global('1', 'Create', todo), type: 'INITIAL' },
        global('11', 'To Do', todo),
        global('21', 'In Progress', doing),
        global('31', 'Done', done),
      ],
      created: now,
      updated: now,
      versionId: state.uuid(),
      versionNumber: 0,
    };
    state.putWorkflow(wf);
    state.nextId('workflowscheme', DEFAULT_WORKFLOW_SCHEME_ID);
    state.putWorkflowScheme({
      id: DEFAULT_WORKFLOW_SCHEME_ID,
      name: 'Default Workflow Scheme',
      description: 'Default Workflow Scheme',
      defaultWorkflow: DEFAULT_WORKFLOW,
      issueTypeMappings: {},
      versionId: state.uuid(),
      versionNumber: 0,
    });
    state.nextId('role', ADMINISTRATORS_ROLE_ID);
    state.putRole({ id: ADMINISTRATORS_ROLE_ID, name: 'Administrators', description: 'A project role that represents administrators in a project' });
    for (const [name, inward, outward] of [
      ['Blocks', 'is blocked by', 'blocks'],
      ['Cloners', 'is cloned by', 'clones'],
      ['Duplicate', 'is duplicated by', 'duplicates'],
      ['Relates', 'relates to', 'relates to'],
    ] as const) {
      state.putLinkType({ id: state.nextId('linktype', 10000), name, inward, outward });
    }
  });
}

export interface NewProject {
  key: string;
  name?: string;
  /** The project lead, made a project administrator. */
  adminAccountId: string;
  projectTypeKey?: ProjectRow['projectTypeKey'];
  description?: string;
}

/** A classic project with its own issue type scheme (Task, Bug) on the Default Workflow Scheme. */
export function addProject(site: Site, spec: NewProject): ProjectRow {
  const { state } = site;
  if (!/^[A-Z][A-Z0-9]{1,9}$/.test(spec.key)) throw new Error(`invalid project key '${spec.key}'`);
  if (state.project(spec.key)) throw new Error(`project ${spec.key} exists`);
  if (!state.user(spec.adminAccountId)) throw new Error(`no user ${spec.adminAccountId}`);
  return state.transaction(() => {
    const types = state.issueTypes().filter((t) => t.name === 'Task' || t.name === 'Bug');
    const scheme: IssueTypeSchemeRow = {
      id: state.nextId('issuetypescheme', 10000),
      name: `${spec.key}: Issue Type Scheme`,
      description: '',
      defaultIssueTypeId: types[0]?.id ?? null,
      isDefault: false,
      issueTypeIds: types.map((t) => t.id),
    };
    state.putIssueTypeScheme(scheme);
    const p: ProjectRow = {
      id: state.nextId('project', 10000),
      key: spec.key,
      name: spec.name ?? spec.key,
      description: spec.description ?? '',
      leadAccountId: spec.adminAccountId,
      projectTypeKey: spec.projectTypeKey ?? 'software',
      issueTypeSchemeId: scheme.id,
      workflowSchemeId: DEFAULT_WORKFLOW_SCHEME_ID,
    };
    state.putProject(p);
    state.grant(p.id, spec.adminAccountId, 'ADMINISTER_PROJECTS');
    state.grant(p.id, spec.adminAccountId, 'BROWSE_PROJECTS');
    state.addRoleActor(p.id, ADMINISTRATORS_ROLE_ID, spec.adminAccountId);
    return p;
  });
}
