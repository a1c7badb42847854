import { route } from '@forge/api';
import { ADMIN, ALICE, BOB, OUTSIDER, list, obj, useHarness } from './harness';

const h = useHarness();

describe('myself and users', () => {
  it('answers myself for the acting user and for the app', async () => {
    const me = await h.call(ALICE, 'GET', route`/rest/api/3/myself`);
    expect(me.status).toBe(200);
    expect(obj(me.body)).toMatchObject({ accountId: ALICE, displayName: 'Alice Manager', accountType: 'atlassian', active: true });
    const app = await h.call('app', 'GET', route`/rest/api/3/myself`);
    expect(obj(app.body)).toMatchObject({ accountId: h.jira.appAccountId, accountType: 'app' });
  });

  it('gets one user, several users, and searches by name', async () => {
    const one = await h.call(ALICE, 'GET', route`/rest/api/3/user?accountId=${BOB}`);
    expect(obj(one.body).displayName).toBe('Bob Builder');
    const missing = await h.call(ALICE, 'GET', route`/rest/api/3/user?accountId=${'nobody'}`);
    expect(missing.status).toBe(404);
    const bulk = await h.call(ALICE, 'GET', route`/rest/api/3/user/bulk?accountId=${ALICE}&accountId=${BOB}`);
    expect(list(obj(bulk.body).values).map((u) => u.accountId)).toEqual([ALICE, BOB]);
    const found = await h.call(ALICE, 'GET', route`/rest/api/3/user/search?query=${'bob'}`);
    expect(list(found.body).map((u) => u.accountId)).toEqual([BOB]);
  });

  it('finds users who can browse a project, by name prefix or exactly by account id, for its administrators and the app', async () => {
    const byName = await h.call('app', 'GET', route`/rest/api/3/user/permission/search?query=${'bo'}&permissions=BROWSE_PROJECTS&projectKey=REL`);
    expect(byName.status).toBe(200);
    expect(list(byName.body).map((u) => u.accountId)).toEqual([BOB]);
    // Olga exists but cannot browse REL; a word of the name matches too ("Builder").
    expect(list((await h.call(ADMIN, 'GET', route`/rest/api/3/user/permission/search?query=${'olga'}&permissions=BROWSE_PROJECTS&projectKey=REL`)).body)).toEqual([]);
    expect(list((await h.call(ADMIN, 'GET', route`/rest/api/3/user/permission/search?query=${'builder'}&permissions=BROWSE&projectKey=REL`)).body).map((u) => u.accountId)).toEqual([BOB]);
    const byId = await h.call('app', 'GET', route`/rest/api/3/user/permission/search?accountId=${ALICE}&permissions=BROWSE_PROJECTS&projectKey=REL`);
    expect(list(byId.body).map((u) => u.displayName)).toEqual(['Alice Manager']);
    expect(list((await h.call('app', 'GET', route`/rest/api/3/user/permission/search?accountId=${OUTSIDER}&permissions=BROWSE_PROJECTS&projectKey=REL`)).body)).toEqual([]);
    expect(list((await h.call('app', 'GET', route`/rest/api/3/user/permission/search?accountId=${'ghost-0000'}&permissions=BROWSE_PROJECTS&projectKey=REL`)).body)).toEqual([]);
  });

  it('refuses a permission search without a target, with both query and account, with an unknown permission, or from a non-administrator', async () => {
    expect((await h.call('app', 'GET', route`/rest/api/3/user/permission/search?query=${'a'}&permissions=BROWSE_PROJECTS`)).status).toBe(400);
    expect((await h.call('app', 'GET', route`/rest/api/3/user/permission/search?permissions=BROWSE_PROJECTS&projectKey=REL`)).status).toBe(400);
    expect((await h.call('app', 'GET', route`/rest/api/3/user/permission/search?query=${'a'}&accountId=${BOB}&permissions=BROWSE_PROJECTS&projectKey=REL`)).status).toBe(400);
    expect((await h.call('app', 'GET', route`/rest/api/3/user/permission/search?query=${'a'}&permissions=FLY&projectKey=REL`)).status).toBe(400);
    expect((await h.call('app', 'GET', route`/rest/api/3/user/permission/search?query=${'a'}&permissions=BROWSE_PROJECTS&projectKey=${'rel'}`)).status).toBe(404);
    expect((await h.call(ALICE, 'GET', route`/rest/api/3/user/permission/search?query=${'a'}&permissions=BROWSE_PROJECTS&projectKey=REL`)).status).toBe(403);
  });

  it('answers 401 to an invocation without a user', async () => {
    const inv = await h.platform.run(async () => {
      const { default: api } = await import('@forge/api');
      return (await api.asUser().requestJira(route`/rest/api/3/myself`)).status;
    });
    expect(inv.value).toBe(401);
  });
});

describe('projects', () => {
  it('shows a browsable project with its issue types and lead', async () => {
    const res = await h.call(ALICE, 'GET', route`/rest/api/3/project/REL`);
    expect(res.status).toBe(200);
    const p = obj(res.body);
    expect(p).toMatchObject({ key: 'REL', name: 'Releases', style: 'classic' });
    expect(list(p.issueTypes).map((t) => t.name)).toEqual(['Task', 'Bug']);
    expect(obj(p.lead).accountId).toBe(ADMIN);
  });

  it('hides a project the user cannot browse (404, as Jira)', async () => {
    const res = await h.call(OUTSIDER, 'GET', route`/rest/api/3/project/REL`);
    expect(res.status).toBe(404);
    expect(obj(res.body).errorMessages).toEqual(["No project could be found with key 'REL'."]);
  });

  it('searches only projects the user can browse; the app sees all', async () => {
    const alice = await h.call(ALICE, 'GET', route`/rest/api/3/project/search`);
    expect(list(obj(alice.body).values).map((p) => p.key)).toEqual(['REL']);
    const app = await h.call('app', 'GET', route`/rest/api/3/project/search?maxResults=1`);
    expect(obj(app.body)).toMatchObject({ total: 2, isLast: false, maxResults: 1 });
    const edit = await h.call(ALICE, 'GET', route`/rest/api/3/project/search?action=edit`);
    expect(list(obj(edit.body).values)).toEqual([]);
  });
});
