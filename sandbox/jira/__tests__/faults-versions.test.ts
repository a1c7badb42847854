import { route } from '@forge/api';
import { ADMIN, ALICE, OUTSIDER, list, obj, useHarness } from './harness';

const h = useHarness();

describe('fault injection', () => {
  it('answers 429 with Retry-After the given number of times, then recovers', async () => {
    h.jira.injectFault({ method: 'GET', pathPattern: /^\/rest\/api\/3\/myself$/, status: 429, retryAfterSeconds: 2, times: 2 });
    const first = await h.call(ALICE, 'GET', route`/rest/api/3/myself`);
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('2');
    expect((await h.call(ALICE, 'GET', route`/rest/api/3/myself`)).status).toBe(429);
    expect((await h.call(ALICE, 'GET', route`/rest/api/3/myself`)).status).toBe(200);
    expect(h.jira.requestLog.map((l) => [l.status, l.fault ?? false])).toEqual([
      [429, true],
      [429, true],
      [200, false],
    ]);
  });

  it('answers 5xx on the chosen endpoint only, and leaves state untouched', async () => {
    const issue = h.jira.addIssue({ project: 'REL', summary: 'x' });
    h.jira.injectFault({ pathPattern: `/rest/api/3/issue/${issue.key}/properties/p`, status: 503, times: 1 });
    expect((await h.call(ALICE, 'GET', route`/rest/api/3/issue/${issue.key}`)).status).toBe(200);
    expect((await h.call(ALICE, 'PUT', route`/rest/api/3/issue/${issue.key}/properties/p`, 1)).status).toBe(503);
    expect(h.jira.getIssue(issue.key)?.properties).toEqual({});
    expect((await h.call(ALICE, 'PUT', route`/rest/api/3/issue/${issue.key}/properties/p`, 1)).status).toBe(201);
    h.jira.injectFault({ method: 'POST', pathPattern: /search\/jql/, status: 500, times: 1 });
    h.jira.injectFault({ method: 'POST', pathPattern: /search\/jql/, status: 502, times: 1 });
    expect((await h.call(ALICE, 'POST', route`/rest/api/3/search/jql`, { jql: 'project = REL' })).status).toBe(500);
    expect((await h.call(ALICE, 'POST', route`/rest/api/3/search/jql`, { jql: 'project = REL' })).status).toBe(502);
  });

  it('adds latency alone, or before a fault', async () => {
    h.jira.injectLatency({ pathPattern: /myself/, latencyMs: 60, times: 1 });
    let t = Date.now();
    expect((await h.call(ALICE, 'GET', route`/rest/api/3/myself`)).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(55);
    h.jira.injectFault({ pathPattern: /myself/, status: 503, latencyMs: 40, retryAfterSeconds: 1 });
    t = Date.now();
    expect((await h.call(ALICE, 'GET', route`/rest/api/3/myself`)).status).toBe(503);
    expect(Date.now() - t).toBeGreaterThanOrEqual(35);
  });
});

describe('versions', () => {
  it('creates, lists, releases; refuses duplicates and non-admins', async () => {
    const project = h.jira.state.project('REL');
    const created = await h.call(ADMIN, 'POST', route`/rest/api/3/version`, { name: '1.0', projectId: project?.id, startDate: '2026-01-01' });
    expect(created.status).toBe(201);
    const id = String(obj(created.body).id);
    const dup = await h.call(ADMIN, 'POST', route`/rest/api/3/version`, { name: '1.0', projectId: project?.id });
    expect(obj(dup.body).errors).toEqual({ name: 'A version with this name already exists in this project.' });
    expect((await h.call(ALICE, 'POST', route`/rest/api/3/version`, { name: '2.0', projectId: project?.id })).status).toBe(404);
    const released = await h.call(ADMIN, 'PUT', route`/rest/api/3/version/${id}`, { released: true, releaseDate: '2026-02-01' });
    expect(obj(released.body)).toMatchObject({ released: true, releaseDate: '2026-02-01', name: '1.0' });
    expect(list((await h.call(ALICE, 'GET', route`/rest/api/3/project/REL/versions`)).body).map((v) => v.name)).toEqual(['1.0']);
    expect((await h.call(OUTSIDER, 'GET', route`/rest/api/3/version/${id}`)).status).toBe(404);
    const fix = h.jira.addIssue({ project: 'REL', summary: 'fixed', fields: { fixVersions: [] } });
    expect((await h.call(ALICE, 'PUT', route`/rest/api/3/issue/${fix.key}`, { update: { fixVersions: [{ add: { name: '1.0' } }] } })).status).toBe(204);
    const shown = await h.call(ALICE, 'GET', route`/rest/api/3/issue/${fix.key}?fields=fixVersions`);
    expect(list(obj(obj(shown.body).fields).fixVersions).map((v) => v.name)).toEqual(['1.0']);
  });
});
