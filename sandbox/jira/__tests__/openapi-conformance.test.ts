import { route } from '@forge/api';
import { EMULATED_ENDPOINTS, loadOpenApi } from '../index';
import { ADMIN, ALICE, BOB, SITE_ADMIN, list, obj, ruleKey, startHarness, type Harness, type JiraReply } from './harness';

/**
 * Every endpoint the emulator answers is a documented operation, and a tour that calls each of them
 * (success and refusal paths) in strict mode leaves no OpenAPI mismatch: any response that did not validate
 * would have been turned into a 500 and recorded.
 */

type Ctx = Record<string, string>;
type Step = [endpoint: string, run: (h: Harness, c: Ctx) => Promise<JiraReply>, after?: (r: JiraReply, c: Ctx) => void];

const adf = { type: 'doc', version: 1, content: [] };

const tour: Step[] = [
  ['GET /rest/api/3/myself', (h) => h.call(ALICE, 'GET', route`/rest/api/3/myself?expand=groups`)],
  ['GET /rest/api/3/user', (h) => h.call(ALICE, 'GET', route`/rest/api/3/user?accountId=${BOB}`)],
  ['GET /rest/api/3/user/bulk', (h) => h.call(ALICE, 'GET', route`/rest/api/3/user/bulk?accountId=${BOB}&maxResults=5`)],
  ['GET /rest/api/3/user/search', (h) => h.call(ALICE, 'GET', route`/rest/api/3/user/search?query=al`)],
  ['GET /rest/api/3/user/permission/search', (h) => h.call('app', 'GET', route`/rest/api/3/user/permission/search?query=al&permissions=BROWSE_PROJECTS&projectKey=REL&maxResults=10`)],
  ['GET /rest/api/3/project/{projectIdOrKey}', (h) => h.call(ALICE, 'GET', route`/rest/api/3/project/REL`), (r, c) => (c.projectId = String(obj(r.body).id))],
  ['GET /rest/api/3/project/search', (h) => h.call('app', 'GET', route`/rest/api/3/project/search?keys=REL&startAt=0`)],
  ['POST /rest/api/3/role', (h) => h.call('app', 'POST', route`/rest/api/3/role`, { name: 'Release Manager' }), (r, c) => (c.roleId = String(obj(r.body).id))],
  ['GET /rest/api/3/role', (h) => h.call(SITE_ADMIN, 'GET', route`/rest/api/3/role`)],
  ['GET /rest/api/3/role/{id}', (h, c) => h.call('app', 'GET', route`/rest/api/3/role/${c.roleId ?? ''}`)],
  ['POST /rest/api/3/project/{projectIdOrKey}/role/{id}', (h, c) => h.call(ADMIN, 'POST', route`/rest/api/3/project/REL/role/${c.roleId ?? ''}`, { user: [ALICE, BOB] })],
  ['GET /rest/api/3/project/{projectIdOrKey}/role', (h) => h.call(ADMIN, 'GET', route`/rest/api/3/project/REL/role`)],
  ['GET /rest/api/3/project/{projectIdOrKey}/role/{id}', (h, c) => h.call(ADMIN, 'GET', route`/rest/api/3/project/REL/role/${c.roleId ?? ''}?excludeInactiveUsers=true`)],
  ['DELETE /rest/api/3/project/{projectIdOrKey}/role/{id}', (h, c) => h.call(ADMIN, 'DELETE', route`/rest/api/3/project/REL/role/${c.roleId ?? ''}?user=${BOB}`)],
  ['GET /rest/api/3/mypermissions', (h) => h.call(BOB, 'GET', route`/rest/api/3/mypermissions?projectKey=REL&permissions=BROWSE_PROJECTS,ADMINISTER`)],
  ['POST /rest/api/3/permissions/check', (h) => h.call(ALICE, 'POST', route`/rest/api/3/permissions/check`, { projectPermissions: [{ permissions: ['BROWSE_PROJECTS'], projects: [10000] }] })],
  ['POST /rest/api/3/issuetype', (h) => h.call('app', 'POST', route`/rest/api/3/issuetype`, { name: 'Release Request', type: 'standard' }), (r, c) => (c.typeId = String(obj(r.body).id))],
  ['GET /rest/api/3/issuetype', (h) => h.call(ALICE, 'GET', route`/rest/api/3/issuetype`)],
  ['GET /rest/api/3/issuetypescheme/project', (h, c) => h.call('app', 'GET', route`/rest/api/3/issuetypescheme/project?projectId=${c.projectId ?? ''}`), (r, c) => (c.itsId = String(obj(list(obj(r.body).values)[0]?.issueTypeScheme).id))],
  ['PUT /rest/api/3/issuetypescheme/{issueTypeSchemeId}/issuetype', (h, c) => h.call('app', 'PUT', route`/rest/api/3/issuetypescheme/${c.itsId ?? ''}/issuetype`, { issueTypeIds: [c.typeId] })],
  ['GET /rest/api/3/issuetype/project', (h, c) => h.call(ALICE, 'GET', route`/rest/api/3/issuetype/project?projectId=${c.projectId ?? ''}`)],
  ['POST /rest/api/3/statuses', (h, c) => h.call(ADMIN, 'POST', route`/rest/api/3/statuses`, { scope: { type: 'PROJECT', project: { id: c.projectId } }, statuses: [{ name: 'Parked', statusCategory: 'TODO' }] }), (r, c) => (c.statusId = String(list(r.body)[0]?.id))],
  ['GET /rest/api/3/statuses', (h, c) => h.call(ADMIN, 'GET', route`/rest/api/3/statuses?id=${c.statusId ?? ''}`)],
  ['GET /rest/api/3/statuses/search', (h, c) => h.call(ADMIN, 'GET', route`/rest/api/3/statuses/search?projectId=${c.projectId ?? ''}&statusCategory=TODO`)],
  ['POST /rest/api/3/workflows/create/validation', (h, c) => h.call('app', 'POST', route`/rest/api/3/workflows/create/validation`, { payload: workflowBody(c) })],
  ['POST /rest/api/3/workflows/create', (h, c) => h.call('app', 'POST', route`/rest/api/3/workflows/create`, workflowBody(c)), (r, c) => (c.workflowId = String(list(obj(r.body).workflows)[0]?.id))],
  ['GET /rest/api/3/workflows/search', (h) => h.call('app', 'GET', route`/rest/api/3/workflows/search?expand=values.transitions&scope=GLOBAL`)],
  [
    'POST /rest/api/3/workflows',
    (h, c) => h.call('app', 'POST', route`/rest/api/3/workflows`, { workflowIds: [c.workflowId], workflowNames: [], projectAndIssueTypes: [] }),
    (r, c) => {
      const wf = obj(list(obj(r.body).workflows)[0]);
      c.workflowVersion = JSON.stringify(wf.version);
      c.workflowStatuses = JSON.stringify(list(wf.statuses).map((s) => obj(s).statusReference));
    },
  ],
  ['POST /rest/api/3/workflows/update/validation', (h, c) => h.call('app', 'POST', route`/rest/api/3/workflows/update/validation`, { payload: workflowUpdateBody(c), validationOptions: { levels: ['ERROR'] } })],
  ['POST /rest/api/3/workflows/update', (h, c) => h.call('app', 'POST', route`/rest/api/3/workflows/update`, workflowUpdateBody(c))],
  ['POST /rest/api/3/workflowscheme', (h) => h.call('app', 'POST', route`/rest/api/3/workflowscheme`, { name: 'Empty', defaultWorkflow: 'jira' }), (r, c) => (c.schemeId = String(obj(r.body).id))],
  ['GET /rest/api/3/workflowscheme/{id}', (h, c) => h.call('app', 'GET', route`/rest/api/3/workflowscheme/${c.schemeId ?? ''}`)],
  ['GET /rest/api/3/workflowscheme', (h) => h.call('app', 'GET', route`/rest/api/3/workflowscheme?startAt=0&maxResults=50`)],
  ['PUT /rest/api/3/workflowscheme/project', (h, c) => h.call('app', 'PUT', route`/rest/api/3/workflowscheme/project`, { projectId: c.projectId, workflowSchemeId: c.schemeId })],
  ['GET /rest/api/3/workflowscheme/project', (h, c) => h.call('app', 'GET', route`/rest/api/3/workflowscheme/project?projectId=${c.projectId ?? ''}`)],
  ['POST /rest/api/3/workflowscheme/read', (h, c) => h.call('app', 'POST', route`/rest/api/3/workflowscheme/read`, { projectIds: [c.projectId] }), (r, c) => (c.schemeVersion = String(obj(list(r.body)[0]?.version).versionNumber))],
  [
    'POST /rest/api/3/workflowscheme/update',
    (h, c) =>
      h.call('app', 'POST', route`/rest/api/3/workflowscheme/update`, {
        id: c.schemeId,
        name: 'Release scheme',
        description: 'Releases go through governance',
        version: { versionNumber: Number(c.schemeVersion) },
        workflowsForIssueTypes: [{ workflowId: c.workflowId, issueTypeIds: [c.typeId] }],
      }),
  ],
  ['POST /rest/api/3/issue', (h, c) => h.call(ALICE, 'POST', route`/rest/api/3/issue`, { fields: { project: { id: c.projectId }, issuetype: { id: c.typeId }, summary: 'release 1', description: adf } }), (r, c) => (c.key = String(obj(r.body).key))],
  ['GET /rest/api/3/issue/{issueIdOrKey}', (h, c) => h.call(ALICE, 'GET', route`/rest/api/3/issue/${c.key ?? ''}?fields=*all&properties=*all`)],
  ['PUT /rest/api/3/issue/{issueIdOrKey}', (h, c) => h.call(ALICE, 'PUT', route`/rest/api/3/issue/${c.key ?? ''}?notifyUsers=false`, { fields: { labels: ['emergency'] } })],
  ['PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', (h, c) => h.call(ALICE, 'PUT', route`/rest/api/3/issue/${c.key ?? ''}/properties/rg-release`, { classification: 'EMERGENCY' })],
  ['GET /rest/api/3/issue/{issueIdOrKey}/properties', (h, c) => h.call(ALICE, 'GET', route`/rest/api/3/issue/${c.key ?? ''}/properties`)],
  ['GET /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', (h, c) => h.call(ALICE, 'GET', route`/rest/api/3/issue/${c.key ?? ''}/properties/rg-release`)],
  ['GET /rest/api/3/issue/{issueIdOrKey}/transitions', (h, c) => h.call(ALICE, 'GET', route`/rest/api/3/issue/${c.key ?? ''}/transitions?expand=transitions.fields`)],
  ['POST /rest/api/3/issue/{issueIdOrKey}/transitions', (h, c) => h.call(ALICE, 'POST', route`/rest/api/3/issue/${c.key ?? ''}/transitions`, { transition: { id: '11' } })],
  [
    'POST /rest/api/3/issue/{issueIdOrKey}/comment',
    (h, c) => h.call('app', 'POST', route`/rest/api/3/issue/${c.key ?? ''}/comment?expand=properties`, { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Training is overdue' }] }] }, properties: [{ key: 'rg', value: { taskId: 't1' } }] }),
  ],
  [
    'POST /rest/api/3/expression/analyse',
    (h) => h.call('app', 'POST', route`/rest/api/3/expression/analyse?check=syntax`, { expressions: ["issue.summary.includes('x')", 'issue.summary ==='] }),
  ],
  ['GET /rest/api/3/issue/{issueIdOrKey}/comment', (h, c) => h.call(ALICE, 'GET', route`/rest/api/3/issue/${c.key ?? ''}/comment?orderBy=-created&maxResults=10&expand=properties`)],
  ['DELETE /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', (h, c) => h.call(ALICE, 'DELETE', route`/rest/api/3/issue/${c.key ?? ''}/properties/rg-release`)],
  ['GET /rest/api/3/issueLinkType', (h) => h.call(ALICE, 'GET', route`/rest/api/3/issueLinkType`)],
  ['POST /rest/api/3/issueLink', (h, c) => h.call(ALICE, 'POST', route`/rest/api/3/issueLink`, { type: { name: 'Blocks' }, inwardIssue: { key: c.key }, outwardIssue: { key: c.key } })],
  ['GET /rest/api/3/issueLink/{linkId}', (h, c) => h.call(ALICE, 'GET', route`/rest/api/3/issueLink/${linkOf(h, c)}`)],
  ['DELETE /rest/api/3/issueLink/{linkId}', (h, c) => h.call(ALICE, 'DELETE', route`/rest/api/3/issueLink/${linkOf(h, c)}`)],
  ['POST /rest/api/3/version', (h, c) => h.call(ADMIN, 'POST', route`/rest/api/3/version`, { name: '2026.1', projectId: Number(c.projectId), releaseDate: '2026-03-31' }), (r, c) => (c.versionId = String(obj(r.body).id))],
  ['GET /rest/api/3/project/{projectIdOrKey}/versions', (h) => h.call(ALICE, 'GET', route`/rest/api/3/project/REL/versions`)],
  ['GET /rest/api/3/version/{id}', (h, c) => h.call(ALICE, 'GET', route`/rest/api/3/version/${c.versionId ?? ''}`)],
  ['PUT /rest/api/3/version/{id}', (h, c) => h.call(ADMIN, 'PUT', route`/rest/api/3/version/${c.versionId ?? ''}`, { released: true, releaseDate: '2026-03-30' })],
  ['GET /rest/api/3/search/jql', (h) => h.call(ALICE, 'GET', route`/rest/api/3/search/jql?jql=${'project = REL ORDER BY created DESC'}&fields=summary,status&maxResults=10`)],
  ['POST /rest/api/3/search/jql', (h) => h.call(ALICE, 'POST', route`/rest/api/3/search/jql`, { jql: 'project = REL AND status in (Parked, 10000)', fields: ['*all'], properties: ['rg-release'] })],
  // Last: the tour's issue goes (avi:jira:deleted:issue follows).
  ['DELETE /rest/api/3/issue/{issueIdOrKey}', (h, c) => h.call(ADMIN, 'DELETE', route`/rest/api/3/issue/${c.key ?? ''}`)],
];

function linkOf(h: Harness, c: Ctx): string {
  const issue = h.jira.state.issue(c.key ?? '');
  return String(issue ? h.jira.state.linksOf(issue.id)[0]?.id : '');
}

function workflowBody(c: Ctx): Record<string, unknown> {
  return {
    scope: { type: 'GLOBAL' },
    statuses: [
      { statusReference: 's', name: 'Submitted', statusCategory: 'TODO' },
      { statusReference: 'p', id: c.statusId, name: 'Parked', statusCategory: 'TODO' },
    ],
    workflows: [
      {
        name: 'Release workflow',
        statuses: [{ statusReference: 's', properties: {} }, { statusReference: 'p', properties: {} }],
        transitions: [
          { id: '1', name: 'Create', type: 'INITIAL', toStatusReference: 's', links: [] },
          {
            id: '11',
            name: 'Park',
            type: 'DIRECTED',
            toStatusReference: 'p',
            links: [{ fromStatusReference: 's' }],
            conditions: { operation: 'ANY', conditions: [{ ruleKey: 'system:restrict-issue-transition', parameters: { roleIds: c.roleId } }] },
            validators: [{ ruleKey: 'forge:expression-validator', parameters: { key: ruleKey('summary-validator') } }],
          },
        ],
      },
    ],
  };
}

/** The tour's workflow, updated in place: same statuses and transitions, the Park transition gains a second validator. */
function workflowUpdateBody(c: Ctx): Record<string, unknown> {
  const [submitted, parked] = JSON.parse(c.workflowStatuses ?? '[]') as string[];
  return {
    statuses: [],
    workflows: [
      {
        id: c.workflowId,
        description: 'Releases are parked by their managers',
        version: JSON.parse(c.workflowVersion ?? '{}') as unknown,
        statuses: [{ statusReference: submitted, properties: {} }, { statusReference: parked, properties: {} }],
        transitions: [
          { id: '1', name: 'Create', type: 'INITIAL', toStatusReference: submitted, links: [] },
          {
            id: '11',
            name: 'Park',
            type: 'DIRECTED',
            toStatusReference: parked,
            links: [{ fromStatusReference: submitted }],
            conditions: { operation: 'ANY', conditions: [{ ruleKey: 'system:restrict-issue-transition', parameters: { roleIds: c.roleId } }] },
            validators: [
              { ruleKey: 'forge:expression-validator', parameters: { key: ruleKey('summary-validator') } },
              { ruleKey: 'system:check-permission-validator', parameters: { permissionKey: 'TRANSITION_ISSUES' } },
            ],
          },
        ],
      },
    ],
  };
}

describe('OpenAPI conformance', () => {
  it('emulates only documented operations', () => {
    const spec = loadOpenApi();
    const missing = EMULATED_ENDPOINTS.filter((e) => !spec.operation(e.template, e.method));
    expect(missing).toEqual([]);
    expect(EMULATED_ENDPOINTS.length).toBe(60);
  });

  it('answers every emulated endpoint with responses valid against the document (strict mode)', async () => {
    const h = startHarness({ strictOpenApi: true });
    try {
      const ctx: Ctx = {};
      const failures: string[] = [];
      for (const [endpoint, run, after] of tour) {
        const reply = await run(h, ctx);
        if (reply.status >= 300) failures.push(`${endpoint} → ${reply.status} ${JSON.stringify(reply.body)}`);
        else after?.(reply, ctx);
      }
      expect(failures).toEqual([]);
      expect(h.jira.validationErrors).toEqual([]);
      const toured = new Set(tour.map(([e]) => e));
      expect(EMULATED_ENDPOINTS.map((e) => `${e.method} ${e.template}`).filter((e) => !toured.has(e))).toEqual([]);
      const served = new Set(h.jira.requestLog.filter((l) => l.status < 300).map((l) => l.operation));
      const spec = loadOpenApi();
      const unserved = EMULATED_ENDPOINTS.filter((e) => !served.has(spec.operation(e.template, e.method)?.operationId));
      expect(unserved).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('turns a request the document does not allow into a 500 naming the mismatch (strict), or records it (lenient)', async () => {
    const strict = startHarness();
    try {
      const res = await strict.call(ALICE, 'GET', route`/rest/api/3/myself?bogus=1`);
      expect(res.status).toBe(500);
      expect((obj(res.body).errorMessages as string[])[0]).toContain("query parameter 'bogus' is not declared by getCurrentUser");
      const badBody = await strict.call('app', 'POST', route`/rest/api/3/statuses`, { scope: { type: 'EVERYWHERE' }, statuses: [] });
      expect(badBody.status).toBe(500);
      expect(strict.jira.validationErrors.map((v) => v.operation)).toEqual(['getCurrentUser', 'createStatuses']);
      strict.jira.validationErrors.length = 0;
    } finally {
      await strict.close();
    }
    const lenient = startHarness({ strictOpenApi: false });
    try {
      const res = await lenient.call(ALICE, 'GET', route`/rest/api/3/myself?bogus=1`);
      expect(res.status).toBe(200);
      expect(lenient.jira.validationErrors).toHaveLength(1);
    } finally {
      await lenient.close();
    }
  });

  it('checks responses: undeclared status codes and bodies that break the schema', () => {
    const spec = loadOpenApi();
    const m = spec.match('GET', '/rest/api/3/issue/REL-1');
    if (!m) throw new Error('no match');
    expect(m.template).toBe('/rest/api/3/issue/{issueIdOrKey}');
    expect(spec.validateResponse(m, 418, {})).toEqual(['status 418 is not declared for getIssue (declared: 200, 401, 404)']);
    expect(spec.validateResponse(m, 200, { id: 5, fields: {}, extra: true })).toEqual([
      "response 200 body must NOT have additional properties 'extra'",
      'response 200 body/id must be string',
    ]);
  });

  it('refuses paths that are not in the document', async () => {
    const h = startHarness();
    try {
      const res = await h.call(ALICE, 'GET', route`/rest/api/3/not-a-thing`);
      expect(res.status).toBe(404);
      expect(h.jira.validationErrors).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
