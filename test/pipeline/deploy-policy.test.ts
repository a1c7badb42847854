import { RESOLVER_KEYS as K, type CreatedPipelineToken } from '../../src/contracts';
import { getRow, setupRef } from '../../src/storage/records';
import { STATUS_SPECS } from '../../src/workflow/rules';
import { P, startWorld, type World } from '../support/release-world';

/**
 * The project policy "a pipeline's `finished: success` marks the release deployed", through the local platform:
 * the real web trigger handler, the app's own set-up (workflow with its condition and validator) on the local
 * Jira, the admin page's resolver for the policy. The record moves through `decide` as the pipeline; Jira's
 * status follows as an app-made transition (the effects outbox), never as a person.
 */

jest.setTimeout(60_000);

const GATE = 'deployment-gate';

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

async function post(w: World, body: unknown, token: string): Promise<Answer> {
  const res = await w.platform.invokeWebTrigger(GATE, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: res.statusCode, json: JSON.parse(res.body) as Record<string, unknown> };
}

async function newToken(w: World): Promise<CreatedPipelineToken> {
  const res = await w.platform.invokeResolver<{ ok: true; data: CreatedPipelineToken } | { ok: false }>({
    moduleKey: 'release-admin',
    functionKey: K.createPipelineToken,
    payload: { projectId: w.project.id, name: 'GitHub Actions' },
    accountId: P.manager,
  });
  if (!res.value.ok) throw new Error(`no token: ${JSON.stringify(res.value)}`);
  return res.value.data;
}

const setupVersion = async (w: World) => (await w.platform.run(async () => (await getRow(setupRef(w.project.id)))?.version ?? 0)).value;

async function savePolicy(w: World, who: 'owner' | 'manager', policy: Record<string, unknown>) {
  return w.onProject('owner' === who ? 'owner' : 'manager', K.savePolicy, { projectId: w.project.id, expectedVersion: await setupVersion(w), policy });
}

/** Stored rows without the per-minute request counters (rate limiting counts every request, by design). */
const records = (w: World) => w.snapshot().filter((r) => !r.startsWith('kvs pipeline-rate:'));
const jiraStatus = (w: World, id: string) => w.jira.getIssue(id)?.statusName;

describe('policy: a pipeline’s finished: success marks the release deployed', () => {
  let w: World;
  let token: CreatedPipelineToken;
  let id: string;
  let key: string;
  const finished = (extra: Record<string, unknown> = {}) => ({
    event: 'finished',
    release: key,
    environment: 'production',
    idempotencyKey: 'run-4711-finished',
    result: 'success',
    version: '2.0.1',
    runUrl: 'https://github.com/acme/billing/actions/runs/4711',
    ...extra,
  });

  beforeEach(async () => {
    w = startWorld({ workflow: true });
    id = await w.releaseAt('IMPLEMENTING', { skip: ['deployment', 'cutover'] }); // after the world's set-up
    token = await newToken(w);
    key = (await w.stored(id)).release.issueKey as string;
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.IMPLEMENTING.name);
  });
  afterEach(() => w.close());

  it('off (the default): recorded as the deployment result only; record and Jira stay IMPLEMENTING', async () => {
    expect(await post(w, finished(), token.secret)).toEqual({ status: 202, json: { recorded: true } });
    const s = await w.stored(id);
    expect(s.release.status).toBe('IMPLEMENTING');
    expect(s.release.deployment).toMatchObject({ succeeded: true, recordedBy: `pipeline:${token.token.id}` });
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.IMPLEMENTING.name);
  });

  it('on: the release is marked deployed (VERIFYING) in the record and in Jira, by the app, audited and shown as the pipeline', async () => {
    const saved = await savePolicy(w, 'owner', { pipelineDeployEnvironment: 'production' });
    expect(saved.value).toMatchObject({ ok: true, data: { policy: { pipelineDeployEnvironment: 'production' } } });
    const transitionsBefore = w.jira.requestLog.filter((e) => e.operation === 'doTransition').length;

    expect(await post(w, finished(), token.secret)).toEqual({ status: 202, json: { recorded: true, deployed: true } });

    const s = await w.stored(id);
    expect(s.release.status).toBe('VERIFYING');
    expect(s.release.statusEnteredAt.VERIFYING).toEqual(expect.any(Number));
    expect(s.release.deployment).toMatchObject({ succeeded: true, recordedBy: `pipeline:${token.token.id}` });
    // Jira followed right after the commit, as the app: one transition, made without a user.
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.VERIFYING.name);
    const made = w.jira.requestLog.filter((e) => e.operation === 'doTransition').slice(transitionsBefore);
    expect(made.map((e) => [e.actor.kind, e.status])).toEqual([['app', 204]]);
    const lastChange = w.jira.state.changelog(Number(id)).at(-1);
    expect(Object.values(P)).not.toContain(lastChange?.authorAccountId);

    // The trail: the result and the transition, both the pipeline's (never a person's).
    const audit = await w.onRelease<{ items: { action: string; actorAccountId: string; before: Record<string, unknown>; after: Record<string, unknown> }[] }>('lead', id, K.listAudit, {
      projectId: w.project.id,
      releaseId: id,
    });
    if (!audit.value.ok) throw new Error('audit');
    // Newest first, in the order they happened within the one commit: the result, then the transition it made.
    expect(audit.value.data.items.slice(0, 2).map((e) => e.action)).toEqual(['markDeployed', 'pipelineFinish']);
    const first = audit.value.data.items.find((e) => e.action === 'markDeployed');
    const second = audit.value.data.items.find((e) => e.action === 'pipelineFinish');
    expect([first?.action, first?.actorAccountId, first?.before.status, first?.after.status, first?.after.pipeline]).toEqual([
      'markDeployed',
      `pipeline:${token.token.id}`,
      'IMPLEMENTING',
      'VERIFYING',
      'GitHub Actions',
    ]);
    expect([second?.action, second?.actorAccountId, second?.after.pipelineResult]).toEqual(['pipelineFinish', `pipeline:${token.token.id}`, 'success']);
    // The policy change is in the project's trail, with its field.
    const projectAudit = await w.onProject<{ items: { action: string; before: { policy?: Record<string, unknown> }; after: { policy?: Record<string, unknown> } }[] }>('owner', K.listAudit, {
      projectId: w.project.id,
      action: 'editPolicy',
    });
    if (!projectAudit.value.ok) throw new Error('project audit');
    expect(projectAudit.value.data.items[0]?.after.policy?.pipelineDeployEnvironment).toBe('production');

    // The panel shows it deployed, Jira in step.
    const panel = await w.onRelease<{ release: { status: string }; jira: { state: string } }>('lead', id, K.getPanel, { releaseId: id });
    if (!panel.value.ok) throw new Error('panel');
    expect([panel.value.data.release.status, panel.value.data.jira.state]).toEqual(['VERIFYING', 'SYNCED']);

    // Segregation of duties still holds: the operations lead verifies (an implementer could not), nothing owed to Jira.
    const verified = await w.onRelease('operations', id, K.recordOperationalAcceptance, { releaseId: id, expectedVersion: await w.version(id), accepted: true, resultConfirmed: true });
    expect(verified.value.ok).toBe(true);
  });

  it('on, replayed: the same event (same idempotency key) changes nothing, in the record or in Jira', async () => {
    await savePolicy(w, 'owner', { pipelineDeployEnvironment: 'production' });
    expect((await post(w, finished(), token.secret)).json).toEqual({ recorded: true, deployed: true });
    const after = records(w);
    const jiraRequests = w.jira.requestLog.filter((e) => e.method !== 'GET').length;
    expect(await post(w, finished(), token.secret)).toEqual({ status: 200, json: { recorded: true, replayed: true } });
    expect(records(w)).toEqual(after);
    expect(w.jira.requestLog.filter((e) => e.method !== 'GET').length).toBe(jiraRequests);
    expect((await w.stored(id)).release.status).toBe('VERIFYING');
  });

  it('on, a second, different finished: success after the release moved on: refused for its status, nothing changed', async () => {
    await savePolicy(w, 'owner', { pipelineDeployEnvironment: 'production' });
    expect((await post(w, finished(), token.secret)).json).toEqual({ recorded: true, deployed: true });
    const after = records(w);
    const second = await post(w, finished({ idempotencyKey: 'run-4712-finished', version: '2.0.2' }), token.secret);
    expect(second).toEqual({ status: 409, json: { allowed: false, recorded: false, reasons: [{ code: 'WRONG_STATUS', message: expect.any(String) }] } });
    expect(records(w)).toEqual(after);
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.VERIFYING.name);
  });

  it('on for production: a staging success is recorded only; the release stays IMPLEMENTING', async () => {
    await savePolicy(w, 'owner', { pipelineDeployEnvironment: 'production' });
    expect(await post(w, finished({ environment: 'staging' }), token.secret)).toEqual({ status: 202, json: { recorded: true } });
    const s = await w.stored(id);
    expect([s.release.status, s.release.deployment?.succeeded]).toEqual(['IMPLEMENTING', true]);
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.IMPLEMENTING.name);
    // The production run then marks it deployed (letter case aside).
    expect((await post(w, finished({ environment: 'Production', idempotencyKey: 'run-4713-finished' }), token.secret)).json).toEqual({ recorded: true, deployed: true });
    expect((await w.stored(id)).release.status).toBe('VERIFYING');
  });

  it('on: finished: failure never moves a status (recorded; the panel’s gate then says the deployment failed)', async () => {
    await savePolicy(w, 'owner', { pipelineDeployEnvironment: 'production' });
    expect(await post(w, finished({ result: 'failure' }), token.secret)).toEqual({ status: 202, json: { recorded: true } });
    const s = await w.stored(id);
    expect([s.release.status, s.release.deployment?.succeeded]).toEqual(['IMPLEMENTING', false]);
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.IMPLEMENTING.name);
  });

  it('on, refused by decide (no implementer left on the team): recorded as the result only, the reason in the answer and the audit', async () => {
    await savePolicy(w, 'owner', { pipelineDeployEnvironment: 'production' });
    await w.act('manager', id, K.changeTeam, { op: 'REMOVE', accountId: P.implementer, teamRole: 'IMPLEMENTER' });
    const res = await post(w, finished(), token.secret);
    expect(res).toEqual({ status: 202, json: { recorded: true, deployed: false, reasons: [{ code: 'GATE_NO_IMPLEMENTER', message: 'The release team has no implementer.' }] } });
    const s = await w.stored(id);
    expect([s.release.status, s.release.deployment?.succeeded]).toEqual(['IMPLEMENTING', true]);
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.IMPLEMENTING.name);
    const audit = await w.onRelease<{ items: { action: string; after: Record<string, unknown> }[] }>('lead', id, K.listAudit, { projectId: w.project.id, releaseId: id });
    if (!audit.value.ok) throw new Error('audit');
    expect(audit.value.data.items[0]).toMatchObject({ action: 'pipelineFinish', after: { notDeployedReasons: ['GATE_NO_IMPLEMENTER'] } });
    expect(audit.value.data.items.some((e) => e.action === 'markDeployed')).toBe(false);
  });

  it('the policy field: kept by the process owner only, validated, and off again with null', async () => {
    const byManager = await savePolicy(w, 'manager', { pipelineDeployEnvironment: 'production' });
    expect(byManager.value).toMatchObject({ ok: false, error: { code: 'NOT_PROCESS_OWNER' } });
    const before = records(w);
    for (const bad of ['prod uction', '', '-x', 'p'.repeat(41)]) {
      const res = await savePolicy(w, 'owner', { pipelineDeployEnvironment: bad });
      expect(res.value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'policy.pipelineDeployEnvironment' } });
    }
    expect(records(w)).toEqual(before);
    await savePolicy(w, 'owner', { pipelineDeployEnvironment: 'production' });
    await savePolicy(w, 'owner', { pipelineDeployEnvironment: null });
    expect(await post(w, finished(), token.secret)).toEqual({ status: 202, json: { recorded: true } });
    expect((await w.stored(id)).release.status).toBe('IMPLEMENTING');
  });

  it('on, Jira refuses the app’s transition for a while (429, Retry-After 10 min): answered deployed; the outbox brings Jira there later', async () => {
    await savePolicy(w, 'owner', { pipelineDeployEnvironment: 'production' });
    w.jira.injectFault({ operation: 'doTransition', status: 429, retryAfterSeconds: 600, times: Infinity });
    expect((await post(w, finished(), token.secret)).json).toEqual({ recorded: true, deployed: true });
    expect((await w.stored(id)).release.status).toBe('VERIFYING');
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.IMPLEMENTING.name);
    // The panel shows Jira is owed the change.
    const panel = await w.onRelease<{ jira: { state: string } }>('lead', id, K.getPanel, { releaseId: id });
    expect(panel.value.ok && panel.value.data.jira.state).not.toBe('SYNCED');
    w.jira.clearFaults();
    await w.platform.drainQueues();
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.VERIFYING.name);
  });

  it('on, the gate dies right after its commit: the pipeline resends the event, the replay changes no record and brings Jira along at once', async () => {
    await savePolicy(w, 'owner', { pipelineDeployEnvironment: 'production' });
    const kill = w.platform.killAfterStorage({ functionKey: 'on-pipeline-request', when: (path: string, body: unknown) => path.includes('transaction') && JSON.stringify(body).includes('pipeline-event') });
    await expect(post(w, finished(), token.secret)).rejects.toThrow();
    expect(kill.fired).toBe(1);
    expect((await w.stored(id)).release.status).toBe('VERIFYING');
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.IMPLEMENTING.name);
    const committed = records(w).filter((r) => !r.includes('jira-outbox'));
    expect(await post(w, finished(), token.secret)).toEqual({ status: 200, json: { recorded: true, replayed: true } });
    expect(records(w).filter((r) => !r.includes('jira-outbox'))).toEqual(committed);
    expect(jiraStatus(w, id)).toBe(STATUS_SPECS.VERIFYING.name);
  });
});
