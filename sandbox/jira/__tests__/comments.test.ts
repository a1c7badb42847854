import { route } from '@forge/api';
import { ALICE, BOB, OUTSIDER, list, obj, useHarness } from './harness';

const h = useHarness();

const text = (t: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }] });

describe('issue comments', () => {
  it('adds a comment as the app or a user, lists them in either order, with properties on request', async () => {
    const issue = h.jira.addIssue({ project: 'REL', summary: 'release' });
    const first = await h.call('app', 'POST', route`/rest/api/3/issue/${issue.key}/comment`, { body: text('first'), properties: [{ key: 'rg', value: { taskId: 't1' } }] });
    expect(first.status).toBe(201);
    expect(obj(first.body)).toMatchObject({ body: text('first'), jsdPublic: true });
    expect(obj(first.body).properties).toBeUndefined();
    const second = await h.call(ALICE, 'POST', route`/rest/api/3/issue/${issue.key}/comment?expand=properties`, { body: text('second') });
    expect(obj(second.body)).toMatchObject({ author: { accountId: ALICE }, properties: [] });

    const asc = await h.call(BOB, 'GET', route`/rest/api/3/issue/${issue.key}/comment`);
    expect(obj(asc.body)).toMatchObject({ startAt: 0, total: 2 });
    expect(list(obj(asc.body).comments).map((c) => c.body)).toEqual([text('first'), text('second')]);
    const desc = await h.call(BOB, 'GET', route`/rest/api/3/issue/${issue.key}/comment?orderBy=-created&maxResults=1&expand=properties`);
    expect(list(obj(desc.body).comments).map((c) => c.properties)).toEqual([[]]);
    const page2 = await h.call(BOB, 'GET', route`/rest/api/3/issue/${issue.key}/comment?orderBy=-created&startAt=1&expand=properties`);
    expect(list(obj(page2.body).comments).map((c) => c.properties)).toEqual([[{ key: 'rg', value: { taskId: 't1' } }]]);
  });

  it('refuses bodies that are not ADF, empty bodies, visibility; hides issues one cannot browse', async () => {
    const issue = h.jira.addIssue({ project: 'REL', summary: 'release' });
    const plain = await h.call(ALICE, 'POST', route`/rest/api/3/issue/${issue.key}/comment`, { body: 'plain text' });
    expect(plain.status).toBe(400);
    expect(obj(plain.body).errors).toEqual({ comment: 'Comment body is not valid!' });
    const empty = await h.call(ALICE, 'POST', route`/rest/api/3/issue/${issue.key}/comment`, { body: { type: 'doc', version: 1, content: [] } });
    expect(obj(empty.body).errors).toEqual({ comment: 'Comment body can not be empty!' });
    expect((await h.call(ALICE, 'POST', route`/rest/api/3/issue/${issue.key}/comment`, { body: text('x'), visibility: { type: 'role', value: 'Developers' } })).status).toBe(400);
    expect((await h.call(OUTSIDER, 'POST', route`/rest/api/3/issue/${issue.key}/comment`, { body: text('x') })).status).toBe(404);
    expect((await h.call(OUTSIDER, 'GET', route`/rest/api/3/issue/${issue.key}/comment`)).status).toBe(404);
    expect(h.jira.state.comments(issue.id)).toEqual([]);
  });
});
