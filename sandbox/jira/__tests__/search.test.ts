import { route } from '@forge/api';
import { ALICE, OUTSIDER, list, obj, startHarness, type Harness } from './harness';

let h: Harness;
let keys: string[];
beforeEach(() => {
  h = startHarness();
  keys = [
    h.jira.addIssue({ project: 'REL', summary: 'a', properties: { 'rg-release': { classification: 'EMERGENCY', effort: 5, team: [ALICE] } } }).key,
    h.jira.addIssue({ project: 'REL', summary: 'b', issueType: 'Bug', properties: { 'rg-release': { classification: 'MINOR', effort: 13 } } }).key,
    h.jira.addIssue({ project: 'REL', summary: 'c' }).key,
    h.jira.addIssue({ project: 'OPS', summary: 'ops' }).key,
  ];
});
afterEach(async () => {
  expect(h.jira.validationErrors).toEqual([]);
  await h.close();
});

async function search(who: string, jql: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const res = await h.call(who, 'POST', route`/rest/api/3/search/jql`, { jql, fields: ['summary'], ...extra });
  expect(res.status).toBe(200);
  return obj(res.body);
}
const keysOf = (body: Record<string, unknown>) => list(body.issues).map((i) => i.key);

describe('search/jql', () => {
  it('filters by project, issue type, status and key, and orders', async () => {
    expect(keysOf(await search(ALICE, 'project = REL ORDER BY created ASC'))).toEqual(keys.slice(0, 3));
    expect(keysOf(await search(ALICE, 'project = REL AND issuetype = Bug'))).toEqual([keys[1]]);
    expect(keysOf(await search(ALICE, 'project = REL AND status = 10000 ORDER BY key DESC'))).toEqual([keys[2], keys[1], keys[0]]);
    expect(keysOf(await search(ALICE, `key in (${keys[0]}, ${keys[2]}) ORDER BY key ASC`))).toEqual([keys[0], keys[2]]);
    expect(keysOf(await search(ALICE, 'project = REL AND status in ("To Do", 10001) ORDER BY updated DESC'))).toHaveLength(3);
  });

  it('searches the entity-property aliases the manifest declares', async () => {
    expect(keysOf(await search(ALICE, 'releaseClassification = EMERGENCY'))).toEqual([keys[0]]);
    expect(keysOf(await search(ALICE, 'releaseEffort > 6'))).toEqual([keys[1]]);
    expect(keysOf(await search(ALICE, `releaseTeam = ${ALICE}`))).toEqual([keys[0]]);
    expect(keysOf(await search(ALICE, "issue.property['rg-release'].classification in (MINOR, MAJOR)"))).toEqual([keys[1]]);
  });

  it('only returns issues the user can browse, and rejects unknown projects like Jira', async () => {
    expect(keysOf(await search(OUTSIDER, 'releaseClassification = EMERGENCY'))).toEqual([]);
    const res = await h.call(OUTSIDER, 'POST', route`/rest/api/3/search/jql`, { jql: 'project = REL' });
    expect(res.status).toBe(400);
    expect(obj(res.body).errorMessages).toEqual(["Error in the JQL Query: The value 'REL' does not exist for the field 'project'."]);
  });

  it('pages with nextPageToken and maxResults (GET and POST)', async () => {
    const first = await search(ALICE, 'project = REL ORDER BY created ASC', { maxResults: 2 });
    expect(keysOf(first)).toEqual(keys.slice(0, 2));
    expect(first.isLast).toBe(false);
    const token = String(first.nextPageToken);
    const second = await h.call(ALICE, 'GET', route`/rest/api/3/search/jql?jql=${'project = REL ORDER BY created ASC'}&maxResults=2&nextPageToken=${token}&fields=summary`);
    expect(list(obj(second.body).issues).map((i) => i.key)).toEqual([keys[2]]);
    expect(obj(second.body).isLast).toBe(true);
    const idsOnly = await h.call(ALICE, 'GET', route`/rest/api/3/search/jql?jql=${'project = REL'}`);
    expect(Object.keys(obj(list(obj(idsOnly.body).issues)[0]?.fields))).toEqual([]);
  });

  it('answers the properties requested with each issue', async () => {
    const body = await search(ALICE, 'releaseClassification = MINOR', { properties: ['rg-release'] });
    expect(list(body.issues)[0]?.properties).toEqual({ 'rg-release': { classification: 'MINOR', effort: 13 } });
  });

  it.each([
    ['unknownField = 1', "Field 'unknownField' does not exist or you do not have permission to view it."],
    ['project = REL OR project = OPS', 'OR is not supported'],
    ['project = REL ORDER BY summary', "Not able to sort using field 'summary'."],
    ['releaseClassification > 3', "The operator '>' is not supported"],
    ['', 'Unbounded JQL queries are not allowed here.'],
  ])('rejects %s with a 400', async (jql, message) => {
    const res = await h.call(ALICE, 'POST', route`/rest/api/3/search/jql`, { jql });
    expect(res.status).toBe(400);
    expect((obj(res.body).errorMessages as string[])[0]).toContain(message);
  });
});
