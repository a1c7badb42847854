import { route } from '@forge/api';
import { ADMIN, ALICE, BOB, OUTSIDER, SITE_ADMIN, list, obj, useHarness } from './harness';

const h = useHarness();

describe('project roles', () => {
  it('creates a role, adds and removes actors (project admin), and lists roles', async () => {
    const created = await h.call(SITE_ADMIN, 'POST', route`/rest/api/3/role`, { name: 'Release Lead', description: 'Leads a release' });
    expect(created.status).toBe(200);
    const id = String(obj(created.body).id);
    expect((await h.call(SITE_ADMIN, 'POST', route`/rest/api/3/role`, { name: 'Release Lead' })).status).toBe(409);
    expect((await h.call(SITE_ADMIN, 'GET', route`/rest/api/3/role/${id}`)).status).toBe(200);
    expect(list((await h.call(SITE_ADMIN, 'GET', route`/rest/api/3/role`)).body).map((r) => r.name)).toEqual(['Administrators', 'Release Lead']);

    const added = await h.call(ADMIN, 'POST', route`/rest/api/3/project/REL/role/${id}`, { user: [ALICE, BOB] });
    expect(added.status).toBe(200);
    expect(list(obj(added.body).actors).map((a) => obj(a.actorUser).accountId)).toEqual([ALICE, BOB]);
    const roles = await h.call(ADMIN, 'GET', route`/rest/api/3/project/REL/role`);
    expect(Object.keys(obj(roles.body))).toEqual(['Administrators', 'Release Lead']);
    expect((await h.call(ADMIN, 'DELETE', route`/rest/api/3/project/REL/role/${id}?user=${BOB}`)).status).toBe(204);
    const after = await h.call(ADMIN, 'GET', route`/rest/api/3/project/REL/role/${id}`);
    expect(list(obj(after.body).actors).map((a) => a.displayName)).toEqual(['Alice Manager']);
  });

  it('refuses role administration to non-admins (as Jira documents it, 404 / 403)', async () => {
    expect((await h.call(ALICE, 'GET', route`/rest/api/3/project/REL/role`)).status).toBe(404);
    expect((await h.call(ALICE, 'POST', route`/rest/api/3/project/REL/role/10002`, { user: [ALICE] })).status).toBe(404);
    expect((await h.call(ADMIN, 'POST', route`/rest/api/3/role`, { name: 'Nope' })).status).toBe(403);
    expect((await h.call(ADMIN, 'GET', route`/rest/api/3/role`)).status).toBe(403);
  });
});

describe('permissions', () => {
  it('answers mypermissions for a project and an issue', async () => {
    const issue = h.jira.addIssue({ project: 'REL', summary: 'x' });
    const alice = await h.call(ALICE, 'GET', route`/rest/api/3/mypermissions?projectKey=REL&permissions=BROWSE_PROJECTS,ADMINISTER_PROJECTS`);
    const perms = obj(obj(alice.body).permissions);
    expect(obj(perms.BROWSE_PROJECTS).havePermission).toBe(true);
    expect(obj(perms.ADMINISTER_PROJECTS).havePermission).toBe(false);
    const admin = await h.call(ADMIN, 'GET', route`/rest/api/3/mypermissions?issueKey=${issue.key}&permissions=ADMINISTER_PROJECTS`);
    expect(obj(obj(obj(admin.body).permissions).ADMINISTER_PROJECTS).havePermission).toBe(true);
    expect((await h.call(OUTSIDER, 'GET', route`/rest/api/3/mypermissions?issueKey=${issue.key}&permissions=BROWSE_PROJECTS`)).status).toBe(404);
    expect((await h.call(ALICE, 'GET', route`/rest/api/3/mypermissions?permissions=NOT_A_PERMISSION`)).status).toBe(400);
  });

  it('checks permissions in bulk for another user (site admin or the app)', async () => {
    const issue = h.jira.addIssue({ project: 'REL', summary: 'x' });
    const project = h.jira.state.project('REL');
    const res = await h.call('app', 'POST', route`/rest/api/3/permissions/check`, {
      accountId: BOB,
      globalPermissions: ['ADMINISTER'],
      projectPermissions: [{ permissions: ['EDIT_ISSUES', 'ADMINISTER_PROJECTS'], projects: [project?.id], issues: [issue.id] }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      globalPermissions: [],
      projectPermissions: [
        { permission: 'EDIT_ISSUES', projects: [project?.id], issues: [issue.id] },
        { permission: 'ADMINISTER_PROJECTS', projects: [], issues: [] },
      ],
    });
    expect((await h.call(ALICE, 'POST', route`/rest/api/3/permissions/check`, { accountId: BOB, globalPermissions: ['ADMINISTER'] })).status).toBe(403);
  });
});
