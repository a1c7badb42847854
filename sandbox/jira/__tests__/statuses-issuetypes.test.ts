import { route } from '@forge/api';
import { ADMIN, ALICE, OUTSIDER, list, obj, useHarness } from './harness';

const h = useHarness();

describe('statuses and issue types', () => {
  it('creates statuses (project admin for a project scope), refuses duplicates, and searches them', async () => {
    const projectId = String(h.jira.state.project('REL')?.id);
    const body = { scope: { type: 'PROJECT', project: { id: projectId } }, statuses: [{ name: 'Verifying', statusCategory: 'IN_PROGRESS', description: 'Ops checks' }] };
    expect((await h.call(ALICE, 'POST', route`/rest/api/3/statuses`, body)).status).toBe(401);
    const created = await h.call(ADMIN, 'POST', route`/rest/api/3/statuses`, body);
    expect(created.status).toBe(200);
    expect(list(created.body)[0]).toMatchObject({ name: 'Verifying', statusCategory: 'IN_PROGRESS', scope: { type: 'PROJECT', project: { id: projectId } } });
    expect((await h.call(ADMIN, 'POST', route`/rest/api/3/statuses`, body)).status).toBe(400);
    const found = await h.call(ADMIN, 'GET', route`/rest/api/3/statuses/search?projectId=${projectId}&searchString=verif`);
    expect(list(obj(found.body).values).map((s) => s.name)).toEqual(['Verifying']);
    const global = await h.call(ADMIN, 'GET', route`/rest/api/3/statuses/search`);
    expect(list(obj(global.body).values).map((s) => s.name)).toEqual(['To Do', 'In Progress', 'Done']);
  });

  it('creates issue types (Administer Jira), refuses a name in use, and lists a project\'s types', async () => {
    const created = await h.call('app', 'POST', route`/rest/api/3/issuetype`, { name: 'Change Request', hierarchyLevel: 0 });
    expect(created.status).toBe(201);
    expect((await h.call('app', 'POST', route`/rest/api/3/issuetype`, { name: 'change request' })).status).toBe(409);
    const projectId = String(h.jira.state.project('REL')?.id);
    const types = await h.call(ALICE, 'GET', route`/rest/api/3/issuetype/project?projectId=${projectId}`);
    expect(list(types.body).map((t) => t.name)).toEqual(['Task', 'Bug']);
    expect((await h.call(OUTSIDER, 'GET', route`/rest/api/3/issuetype/project?projectId=${projectId}`)).status).toBe(404);
    expect(list((await h.call(OUTSIDER, 'GET', route`/rest/api/3/issuetype`)).body)).toEqual([]);
    expect((await h.call(ADMIN, 'GET', route`/rest/api/3/issuetypescheme/project?projectId=${projectId}`)).status).toBe(403);
  });

  it('refuses to assign a workflow scheme to a project that already has issues', async () => {
    h.jira.addIssue({ project: 'REL', summary: 'x' });
    const scheme = await h.call('app', 'POST', route`/rest/api/3/workflowscheme`, { name: 'Other', defaultWorkflow: 'jira' });
    const res = await h.call('app', 'PUT', route`/rest/api/3/workflowscheme/project`, {
      projectId: String(h.jira.state.project('REL')?.id),
      workflowSchemeId: String(obj(scheme.body).id),
    });
    expect(res.status).toBe(400);
  });
});
