import { route } from '@forge/api';
import { receivedEvents, validatorCalls } from '../../../test/fixtures/jira/src/index';
import { ADMIN, ALICE, BOB, list, obj, ruleKey, startHarness, type Harness } from './harness';

/** Set-up as the app does it (SPEC §7), then transitions gated by Forge conditions and validators. */

interface Setup {
  typeId: string;
  roleId: number;
  statuses: Record<string, string>;
  workflowId: string;
}

async function setUp(h: Harness): Promise<Setup> {
  const type = await h.call('app', 'POST', route`/rest/api/3/issuetype`, { name: 'Release Request', description: 'A release', type: 'standard' });
  expect(type.status).toBe(201);
  const typeId = String(obj(type.body).id);
  const project = obj((await h.call('app', 'GET', route`/rest/api/3/project/REL`)).body);
  const schemes = await h.call('app', 'GET', route`/rest/api/3/issuetypescheme/project?projectId=${String(project.id)}`);
  const schemeId = String(obj(list(obj(schemes.body).values)[0]?.issueTypeScheme).id);
  expect((await h.call('app', 'PUT', route`/rest/api/3/issuetypescheme/${schemeId}/issuetype`, { issueTypeIds: [typeId] })).status).toBe(204);

  const role = await h.call('app', 'POST', route`/rest/api/3/role`, { name: 'Release Manager', description: 'Approves releases' });
  expect(role.status).toBe(200);
  const roleId = Number(obj(role.body).id);
  expect((await h.call('app', 'POST', route`/rest/api/3/project/REL/role/${String(roleId)}`, { user: [ALICE] })).status).toBe(200);

  const wfBody = {
    scope: { type: 'GLOBAL' },
    statuses: [
      { statusReference: 'ref-submitted', name: 'Submitted', statusCategory: 'TODO' },
      { statusReference: 'ref-planning', name: 'Planning', statusCategory: 'IN_PROGRESS' },
      { statusReference: 'ref-rejected', name: 'Rejected', statusCategory: 'DONE' },
    ],
    workflows: [
      {
        name: 'Release workflow',
        description: 'Release Governance',
        statuses: ['ref-submitted', 'ref-planning', 'ref-rejected'].map((statusReference) => ({ statusReference, properties: {} })),
        transitions: [
          { id: '1', name: 'Create', type: 'INITIAL', toStatusReference: 'ref-submitted', links: [] },
          {
            id: '11',
            name: 'Approve',
            type: 'DIRECTED',
            toStatusReference: 'ref-planning',
            links: [{ fromStatusReference: 'ref-submitted' }],
            conditions: {
              operation: 'ALL',
              conditions: [{ ruleKey: 'forge:expression-condition', parameters: { key: ruleKey('role-condition'), config: JSON.stringify({ roleId }) } }],
            },
            validators: [{ ruleKey: 'forge:expression-validator', parameters: { key: ruleKey('gate-validator'), config: '{"gate":"approve"}' } }],
          },
          {
            id: '21',
            name: 'Reject',
            type: 'DIRECTED',
            toStatusReference: 'ref-rejected',
            links: [{ fromStatusReference: 'ref-submitted' }],
            validators: [{ ruleKey: 'forge:expression-validator', parameters: { key: ruleKey('summary-validator') } }],
          },
        ],
      },
    ],
  };
  const check = await h.call('app', 'POST', route`/rest/api/3/workflows/create/validation`, { payload: wfBody, validationOptions: { levels: ['ERROR', 'WARNING'] } });
  expect(obj(check.body).errors).toEqual([]);
  const created = await h.call('app', 'POST', route`/rest/api/3/workflows/create`, wfBody);
  expect(created.status).toBe(200);
  const wf = obj(list(obj(created.body).workflows)[0]);
  const statuses = Object.fromEntries(list(obj(created.body).statuses).map((s) => [String(s.name), String(s.id)]));

  const scheme = await h.call('app', 'POST', route`/rest/api/3/workflowscheme`, {
    name: 'Release scheme',
    defaultWorkflow: 'jira',
    issueTypeMappings: { [typeId]: 'Release workflow' },
  });
  expect(scheme.status).toBe(201);
  const assign = await h.call('app', 'PUT', route`/rest/api/3/workflowscheme/project`, { projectId: String(project.id), workflowSchemeId: String(obj(scheme.body).id) });
  expect(assign.status).toBe(204);
  return { typeId, roleId, statuses, workflowId: String(wf.id) };
}

async function createRelease(h: Harness, s: Setup, summary = 'Quarterly release'): Promise<string> {
  const res = await h.call(ALICE, 'POST', route`/rest/api/3/issue`, {
    fields: { project: { key: 'REL' }, issuetype: { id: s.typeId }, summary },
  });
  expect(res.status).toBe(201);
  return String(obj(res.body).key);
}

async function transitionNames(h: Harness, who: string, key: string): Promise<string[]> {
  const res = await h.call(who, 'GET', route`/rest/api/3/issue/${key}/transitions`);
  expect(res.status).toBe(200);
  return list(obj(res.body).transitions).map((t) => String(t.name));
}

describe('workflows with Forge conditions and validators', () => {
  let h: Harness;
  let s: Setup;
  beforeEach(async () => {
    receivedEvents.length = 0;
    validatorCalls.length = 0;
    h = startHarness();
    s = await setUp(h);
  });
  afterEach(async () => {
    expect(h.jira.validationErrors).toEqual([]);
    await h.close();
  });

  it('puts a new issue in the workflow initial status', async () => {
    const key = await createRelease(h, s);
    expect(h.jira.getIssue(key)?.statusName).toBe('Submitted');
  });

  it('hides a transition whose condition fails for the user, and refuses it', async () => {
    const key = await createRelease(h, s);
    expect(await transitionNames(h, ALICE, key)).toEqual(['Approve', 'Reject']);
    expect(await transitionNames(h, BOB, key)).toEqual(['Reject']);
    const refused = await h.call(BOB, 'POST', route`/rest/api/3/issue/${key}/transitions`, { transition: { id: '11' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ errorMessages: ["Transition id '11' is not valid for this issue."], errors: {} });
    expect(validatorCalls).toHaveLength(0);
    const withUnavailable = await h.call(BOB, 'GET', route`/rest/api/3/issue/${key}/transitions?includeUnavailableTransitions=true`);
    expect(list(obj(withUnavailable.body).transitions).map((t) => [t.name, t.isAvailable])).toEqual([
      ['Approve', false],
      ['Reject', true],
    ]);
  });

  it('runs the function validator with the documented event and refuses with its message', async () => {
    const key = await createRelease(h, s);
    const noRecord = await h.call(ALICE, 'POST', route`/rest/api/3/issue/${key}/transitions`, { transition: { id: '11' } });
    expect(noRecord.status).toBe(400);
    expect(obj(noRecord.body).errorMessages).toEqual(['The release has no record yet.']);
    expect(validatorCalls[0]).toEqual({
      accountId: ALICE,
      event: {
        issue: { key },
        configuration: { gate: 'approve' },
        transition: { from: { id: s.statuses.Submitted }, to: { id: s.statuses.Planning }, modifiedFields: {} },
      },
    });

    await h.call(ALICE, 'PUT', route`/rest/api/3/issue/${key}/properties/rg-release`, { fallbackReady: false });
    const notReady = await h.call(ALICE, 'POST', route`/rest/api/3/issue/${key}/transitions`, { transition: { id: '11' } });
    expect(obj(notReady.body).errorMessages).toEqual(['The fallback plan has not been rehearsed.']);
    expect(h.jira.getIssue(key)?.statusName).toBe('Submitted');

    await h.call(ALICE, 'PUT', route`/rest/api/3/issue/${key}/properties/rg-release`, { fallbackReady: true });
    const done = await h.call(ALICE, 'POST', route`/rest/api/3/issue/${key}/transitions`, { transition: { id: '11' } });
    expect(done.status).toBe(204);
    expect(h.jira.getIssue(key)?.statusName).toBe('Planning');
  });

  it('refuses with the string an expression validator returns', async () => {
    const key = await createRelease(h, s, 'Quarterly patch');
    const res = await h.call(BOB, 'POST', route`/rest/api/3/issue/${key}/transitions`, { transition: { id: '21' } });
    expect(res.status).toBe(400);
    expect(obj(res.body).errorMessages).toEqual(['The summary must mention the release.']);
    const ok = await createRelease(h, s, 'The release of May');
    expect((await h.call(BOB, 'POST', route`/rest/api/3/issue/${ok}/transitions`, { transition: { id: '21' } })).status).toBe(204);
  });

  it('emits created and updated events with the status changelog', async () => {
    const key = await createRelease(h, s);
    await h.call(ALICE, 'PUT', route`/rest/api/3/issue/${key}/properties/rg-release`, { fallbackReady: true });
    await h.call(ALICE, 'POST', route`/rest/api/3/issue/${key}/transitions`, { transition: { id: '11' } });
    await h.jira.flushEvents();
    await h.platform.drainEvents();
    expect(receivedEvents.map((e) => e.eventType)).toEqual(['avi:jira:created:issue', 'avi:jira:updated:issue']);
    const updated = receivedEvents[1]?.event ?? {};
    expect(obj(updated.issue).key).toBe(key);
    expect(updated.atlassianId).toBe(ALICE);
    expect(obj(updated.changelog).items).toEqual([
      { field: 'status', fieldtype: 'jira', fieldId: 'status', from: s.statuses.Submitted, fromString: 'Submitted', to: s.statuses.Planning, toString: 'Planning' },
    ]);
    expect(obj(obj(obj(updated.issue).fields).status).name).toBe('Planning');
  });

  it('lists the workflow in a search and refuses a workflow that names an unknown Forge module', async () => {
    const found = await h.call('app', 'GET', route`/rest/api/3/workflows/search?queryString=${'Release'}&expand=values.transitions`);
    const wf = list(obj(found.body).values)[0];
    expect(wf?.id).toBe(s.workflowId);
    expect(list(wf?.transitions).map((t) => t.name)).toEqual(['Create', 'Approve', 'Reject']);
    const bad = {
      scope: { type: 'GLOBAL' },
      statuses: [{ statusReference: 'a', name: 'Anywhere', statusCategory: 'TODO' }],
      workflows: [
        {
          name: 'Broken',
          statuses: [{ statusReference: 'a', properties: {} }],
          transitions: [
            { id: '1', name: 'Create', type: 'INITIAL', toStatusReference: 'a', links: [] },
            { id: '2', name: 'Loop', type: 'GLOBAL', toStatusReference: 'a', links: [], validators: [{ ruleKey: 'forge:expression-validator', parameters: { key: ruleKey('nope') } }] },
          ],
        },
      ],
    };
    const validation = await h.call('app', 'POST', route`/rest/api/3/workflows/create/validation`, { payload: bad });
    expect(list(obj(validation.body).errors).map((e) => e.message)).toEqual(["The app has no jira:workflowValidator module 'nope'."]);
    const refused = await h.call('app', 'POST', route`/rest/api/3/workflows/create`, bad);
    expect(refused.status).toBe(400);
  });

  it('updates a workflow in place: read with its version, validate, update; a stale version is refused with 409', async () => {
    const read = await h.call('app', 'POST', route`/rest/api/3/workflows`, { workflowIds: [s.workflowId] });
    expect(read.status).toBe(200);
    const wf = obj(list(obj(read.body).workflows)[0]);
    expect(wf.version).toEqual({ id: expect.any(String) as unknown, versionNumber: 0 });
    const transitions = list(wf.transitions);
    const reject = obj(transitions.find((t) => t.id === '21'));
    const approve = obj(transitions.find((t) => t.id === '11'));
    const approveValidatorId = String(obj(list(approve.validators)[0]).id);
    // Reject gains the role condition; Approve keeps its rules as read (their ids with them).
    const body = (version: unknown) => ({
      statuses: [],
      workflows: [
        {
          id: s.workflowId,
          version,
          statuses: list(wf.statuses).map((x) => ({ statusReference: x.statusReference, properties: {} })),
          transitions: transitions.map((t) =>
            t.id === '21'
              ? { ...reject, conditions: { operation: 'ALL', conditions: [{ ruleKey: 'forge:expression-condition', parameters: { key: ruleKey('role-condition'), config: JSON.stringify({ roleId: s.roleId }) } }] } }
              : t,
          ),
        },
      ],
    });
    const check = await h.call('app', 'POST', route`/rest/api/3/workflows/update/validation`, { payload: body(wf.version) });
    expect(obj(check.body).errors).toEqual([]);
    const updated = await h.call('app', 'POST', route`/rest/api/3/workflows/update`, body(wf.version));
    expect(updated.status).toBe(200);
    const after = obj(list(obj(updated.body).workflows)[0]);
    expect(obj(after.version).versionNumber).toBe(1);
    expect(obj(after.version).id).not.toBe(obj(wf.version).id);
    const afterApprove = obj(list(after.transitions).find((t) => t.id === '11'));
    expect(obj(list(afterApprove.validators)[0]).id).toBe(approveValidatorId);
    // The rule took effect: Bob (no role) no longer sees Reject.
    const key = await createRelease(h, s);
    expect(await transitionNames(h, BOB, key)).toEqual([]);
    expect(await transitionNames(h, ALICE, key)).toEqual(['Approve', 'Reject']);
    // The version read before the update is stale now: Jira's 409, and nothing changes.
    const stale = await h.call('app', 'POST', route`/rest/api/3/workflows/update`, body(wf.version));
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({ errorMessages: ['Workflow version and version token must match.'], errors: {} });
    expect(h.jira.state.workflow(s.workflowId)?.versionNumber).toBe(1);
  });

  it('refuses an update that names an unknown rule or drops a status issues are in; a user needs Administer Jira', async () => {
    const key = await createRelease(h, s);
    const wf = obj(list(obj((await h.call('app', 'POST', route`/rest/api/3/workflows`, { workflowNames: ['Release workflow'] })).body).workflows)[0]);
    const statuses = list(wf.statuses).map((x) => String(x.statusReference));
    const submitted = s.statuses.Submitted ?? '';
    const badRule = {
      workflows: [
        {
          id: s.workflowId,
          version: wf.version,
          statuses: statuses.map((statusReference) => ({ statusReference, properties: {} })),
          transitions: [
            { id: '1', name: 'Create', type: 'INITIAL', toStatusReference: submitted, links: [] },
            { id: '11', name: 'Approve', type: 'DIRECTED', toStatusReference: s.statuses.Planning, links: [{ fromStatusReference: submitted }], validators: [{ ruleKey: 'forge:expression-validator', parameters: { key: ruleKey('no-such-module') } }] },
          ],
        },
      ],
    };
    const checked = await h.call('app', 'POST', route`/rest/api/3/workflows/update/validation`, { payload: badRule, validationOptions: { levels: ['ERROR'] } });
    expect(list(obj(checked.body).errors).map((e) => e.code)).toEqual(['INVALID_RULE']);
    expect((await h.call('app', 'POST', route`/rest/api/3/workflows/update`, badRule)).status).toBe(400);
    const withoutSubmitted = {
      workflows: [
        {
          id: s.workflowId,
          version: wf.version,
          statuses: statuses.filter((x) => x !== submitted).map((statusReference) => ({ statusReference, properties: {} })),
          transitions: [{ id: '1', name: 'Create', type: 'INITIAL', toStatusReference: s.statuses.Planning, links: [] }],
        },
      ],
    };
    const dropped = await h.call('app', 'POST', route`/rest/api/3/workflows/update`, withoutSubmitted);
    expect(dropped.status).toBe(400);
    expect(JSON.stringify(dropped.body)).toContain(`Issue ${key} is in a status that the updated workflow 'Release workflow' no longer has`);
    expect((await h.call(ALICE, 'POST', route`/rest/api/3/workflows/update`, withoutSubmitted)).status).toBe(401);
    expect(h.jira.state.workflow(s.workflowId)?.versionNumber).toBe(0);
  });

  it('requires Administer Jira for set-up calls made as a user', async () => {
    const res = await h.call(ADMIN, 'POST', route`/rest/api/3/issuetype`, { name: 'Sneaky' });
    expect(res.status).toBe(403);
    const wf = await h.call(ADMIN, 'POST', route`/rest/api/3/workflows/create`, { scope: { type: 'GLOBAL' }, statuses: [], workflows: [] });
    expect(wf.status).toBe(401);
  });
});

describe('events, late and twice', () => {
  it('delivers product events after the configured delay, and twice when asked', async () => {
    receivedEvents.length = 0;
    const h = startHarness({ eventDelayMs: 40, duplicateEvents: true });
    try {
      const s = await setUp(h);
      const key = await createRelease(h, s);
      await h.platform.drainEvents();
      expect(receivedEvents).toHaveLength(0);
      await h.jira.flushEvents();
      await h.platform.drainEvents();
      expect(receivedEvents.map((e) => [e.eventType, obj(e.event.issue).key])).toEqual([
        ['avi:jira:created:issue', key],
        ['avi:jira:created:issue', key],
      ]);
    } finally {
      await h.close();
    }
  });
});
