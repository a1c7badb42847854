import { route } from '@forge/api';
import { ADMIN, ALICE, BOB, OUTSIDER, list, obj, useHarness } from './harness';

const h = useHarness();

const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

describe('issues', () => {
  it('creates an issue and reads it with fields and properties selections', async () => {
    const created = await h.call(ALICE, 'POST', route`/rest/api/3/issue`, {
      fields: { project: { key: 'REL' }, issuetype: { name: 'Task' }, summary: 'Ship it', description: adf('Body'), labels: ['q1'] },
      properties: [{ key: 'rg-release', value: { classification: 'MINOR' } }],
    });
    expect(created.status).toBe(201);
    const key = String(obj(created.body).key);
    expect(key).toBe('REL-1');
    const full = obj((await h.call(BOB, 'GET', route`/rest/api/3/issue/${key}`)).body);
    expect(obj(full.fields)).toMatchObject({ summary: 'Ship it', labels: ['q1'], description: adf('Body') });
    expect(obj(obj(full.fields).status).name).toBe('To Do');
    expect(obj(obj(full.fields).reporter).accountId).toBe(ALICE);
    const some = obj((await h.call(BOB, 'GET', route`/rest/api/3/issue/${key}?fields=summary,status&properties=rg-release`)).body);
    expect(Object.keys(obj(some.fields)).sort()).toEqual(['status', 'summary']);
    expect(some.properties).toEqual({ 'rg-release': { classification: 'MINOR' } });
  });

  it('answers 404 for an issue in a project the user cannot browse, and after browse is revoked', async () => {
    const issue = h.jira.addIssue({ project: 'REL', summary: 'Secret' });
    expect((await h.call(OUTSIDER, 'GET', route`/rest/api/3/issue/${issue.key}`)).status).toBe(404);
    expect((await h.call(OUTSIDER, 'GET', route`/rest/api/3/issue/${issue.key}/transitions`)).status).toBe(404);
    expect((await h.call(OUTSIDER, 'GET', route`/rest/api/3/issue/${issue.key}/properties`)).status).toBe(404);
    expect((await h.call(BOB, 'GET', route`/rest/api/3/issue/${issue.key}`)).status).toBe(200);
    h.jira.revokeBrowse('REL', BOB);
    const gone = await h.call(BOB, 'GET', route`/rest/api/3/issue/${issue.key}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
  });

  it('refuses bad creates with Jira field errors', async () => {
    const noSummary = await h.call(ALICE, 'POST', route`/rest/api/3/issue`, { fields: { project: { key: 'REL' }, issuetype: { name: 'Task' } } });
    expect(noSummary.status).toBe(400);
    expect(obj(noSummary.body).errors).toEqual({ summary: 'You must specify a summary of the issue.' });
    const hidden = await h.call(OUTSIDER, 'POST', route`/rest/api/3/issue`, { fields: { project: { key: 'REL' }, issuetype: { name: 'Task' }, summary: 'x' } });
    expect(obj(hidden.body).errors).toEqual({ project: 'Specify a valid project ID or key' });
    const badType = await h.call(ALICE, 'POST', route`/rest/api/3/issue`, { fields: { project: { key: 'REL' }, issuetype: { id: '999' }, summary: 'x' } });
    expect(obj(badType.body).errors).toEqual({ issuetype: 'The issue type selected is invalid.' });
  });

  it('edits fields, records the change and emits an update event', async () => {
    const issue = h.jira.addIssue({ project: 'REL', summary: 'Before' });
    const res = await h.call(BOB, 'PUT', route`/rest/api/3/issue/${issue.key}`, {
      fields: { summary: 'After', assignee: { accountId: ALICE } },
      update: { labels: [{ add: 'urgent' }] },
    });
    expect(res.status).toBe(204);
    const after = h.jira.getIssue(issue.key);
    expect(after?.summary).toBe('After');
    expect(after?.fields).toMatchObject({ assignee: ALICE, labels: ['urgent'] });
    const status = await h.call(BOB, 'PUT', route`/rest/api/3/issue/${issue.key}`, { fields: { status: { id: '10001' } } });
    expect(status.status).toBe(400);
    expect(obj(status.body).errors).toEqual({ status: "Field 'status' cannot be set. It is not on the appropriate screen, or unknown." });
    const returned = await h.call(BOB, 'PUT', route`/rest/api/3/issue/${issue.key}?returnIssue=true`, { fields: { summary: 'Again' } });
    expect(returned.status).toBe(200);
    expect(obj(obj(returned.body).fields).summary).toBe('Again');
  });

  it('keeps issue properties: list, get, set (201 then 200), delete', async () => {
    const issue = h.jira.addIssue({ project: 'REL', summary: 'Props' });
    const put1 = await h.call(BOB, 'PUT', route`/rest/api/3/issue/${issue.key}/properties/rg-release`, { classification: 'MAJOR' });
    expect(put1.status).toBe(201);
    const put2 = await h.call(BOB, 'PUT', route`/rest/api/3/issue/${issue.key}/properties/rg-release`, { classification: 'MINOR' });
    expect(put2.status).toBe(200);
    const keys = await h.call(BOB, 'GET', route`/rest/api/3/issue/${issue.key}/properties`);
    expect(list(obj(keys.body).keys).map((k) => k.key)).toEqual(['rg-release']);
    const got = await h.call(BOB, 'GET', route`/rest/api/3/issue/${issue.key}/properties/rg-release`);
    expect(got.body).toEqual({ key: 'rg-release', value: { classification: 'MINOR' } });
    expect((await h.call(OUTSIDER, 'PUT', route`/rest/api/3/issue/${issue.key}/properties/x`, 1)).status).toBe(404);
    expect((await h.call(BOB, 'DELETE', route`/rest/api/3/issue/${issue.key}/properties/rg-release`)).status).toBe(204);
    expect((await h.call(BOB, 'GET', route`/rest/api/3/issue/${issue.key}/properties/rg-release`)).status).toBe(404);
    const big = await h.call(BOB, 'PUT', route`/rest/api/3/issue/${issue.key}/properties/big`, { s: 'x'.repeat(40000) });
    expect(big.status).toBe(400);
  });

  it('links issues and shows the link on both', async () => {
    const change = h.jira.addIssue({ project: 'REL', summary: 'Change request' });
    const release = h.jira.addIssue({ project: 'REL', summary: 'Release request' });
    const types = await h.call(ALICE, 'GET', route`/rest/api/3/issueLinkType`);
    expect(list(obj(types.body).issueLinkTypes).map((t) => t.name)).toContain('Relates');
    const link = await h.call(ALICE, 'POST', route`/rest/api/3/issueLink`, {
      type: { name: 'Relates' },
      inwardIssue: { key: release.key },
      outwardIssue: { key: change.key },
    });
    expect(link.status).toBe(201);
    const links = list(obj(obj((await h.call(ALICE, 'GET', route`/rest/api/3/issue/${release.key}?fields=issuelinks`)).body).fields).issuelinks);
    expect(obj(links[0]?.outwardIssue).key).toBe(change.key);
    const linkId = String(links[0]?.id);
    expect(obj((await h.call(ALICE, 'GET', route`/rest/api/3/issueLink/${linkId}`)).body)).toMatchObject({ inwardIssue: { key: release.key } });
    expect((await h.call(OUTSIDER, 'POST', route`/rest/api/3/issueLink`, { type: { name: 'Relates' }, inwardIssue: { key: release.key }, outwardIssue: { key: change.key } })).status).toBe(404);
    expect((await h.call(ALICE, 'DELETE', route`/rest/api/3/issueLink/${linkId}`)).status).toBe(204);
  });

  it('lists the default workflow transitions and moves an issue', async () => {
    const issue = h.jira.addIssue({ project: 'REL', summary: 'Default flow' });
    const t = await h.call(ADMIN, 'GET', route`/rest/api/3/issue/${issue.key}/transitions`);
    expect(list(obj(t.body).transitions).map((x) => x.name)).toEqual(['In Progress', 'Done']);
    expect((await h.call(ADMIN, 'POST', route`/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: '31' } })).status).toBe(204);
    expect(h.jira.getIssue(issue.key)?.statusName).toBe('Done');
    const screen = await h.call(ADMIN, 'POST', route`/rest/api/3/issue/${issue.key}/transitions`, { transition: { id: '11' }, fields: { resolution: { name: 'Done' } } });
    expect(screen.status).toBe(400);
  });
});
