import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { RESOLVER_KEYS as K, type CalendarView, type CreatedPipelineToken, type PipelineTokenView } from '../../src/contracts';
import { MAX_STATIC_OUTPUTS, PIPELINE_RATE_PER_MINUTE } from '../../src/contracts/pipeline';
import { gateOutputs } from '../../scripts/webtrigger-outputs-lib';
import { startHost } from '../../sandbox/host';
import { webTriggerPath } from '../../sandbox';
import { DAY, HOUR, P, startWorld, type World } from '../support/release-world';

/**
 * The deployment gate as a pipeline meets it: HTTP-shaped requests through the local platform's web
 * trigger runtime (Forge's request shape in, the manifest's static outputs out), the real handler, the
 * real @forge/kvs and @forge/api against the local store and Jira.
 */

const GATE = 'deployment-gate';

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

async function post(w: World, body: unknown, token: string | null, opts: { method?: string; raw?: string } = {}): Promise<Answer> {
  const res = await w.platform.invokeWebTrigger(GATE, {
    method: opts.method ?? 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: opts.raw ?? JSON.stringify(body),
  });
  expect(res.headers['Content-Type']).toEqual(['application/json']);
  return { status: res.statusCode, json: JSON.parse(res.body) as Record<string, unknown> };
}

async function adminCall<T>(w: World, who: keyof typeof P, key: string, payload: Record<string, unknown>) {
  return w.platform.invokeResolver<{ ok: true; data: T } | { ok: false; error: { code: string } }>({ moduleKey: 'release-admin', functionKey: key, payload, accountId: P[who] });
}

async function newToken(w: World, name = 'GitHub Actions'): Promise<CreatedPipelineToken> {
  const res = await adminCall<CreatedPipelineToken>(w, 'manager', K.createPipelineToken, { projectId: w.project.id, name });
  if (!res.value.ok) throw new Error(JSON.stringify(res.value.error));
  return res.value.data;
}

/** Stored rows without the per-minute request counters (rate limiting counts every request, by design). */
const records = (w: World) => w.snapshot().filter((r) => !r.startsWith('kvs pipeline-rate:'));

const keyOf = async (w: World, id: string) => (await w.stored(id)).release.issueKey as string;

describe('the manifest declares the gate as a static web trigger', () => {
  it('with exactly the generated outputs, within Forge’s limit', () => {
    const manifest = parse(readFileSync(join(__dirname, '../../manifest.yml'), 'utf8')) as { modules: { webtrigger: { key: string; response: { type: string; outputs: unknown[] } }[] } };
    const gate = manifest.modules.webtrigger.find((m) => m.key === GATE);
    expect(gate?.response.type).toBe('static');
    expect(gate?.response.outputs).toEqual(gateOutputs());
    expect(gateOutputs().length).toBeLessThanOrEqual(MAX_STATIC_OUTPUTS);
  });
});

describe('deployment gate through the local platform', () => {
  let w: World;
  let token: CreatedPipelineToken;
  beforeEach(async () => {
    w = startWorld();
    token = await newToken(w);
  });
  afterEach(() => w.close());

  it('tokens: the release manager creates one (secret shown once, only a hash kept), lists and revokes it', async () => {
    expect(token.secret).toMatch(/^rgp_[A-Za-z0-9_-]{43}$/);
    const rows = w.platform.db.prepare('SELECT ns, key, value FROM kvs_items').all() as { ns: string; key: string; value: string }[];
    expect(rows.some((r) => r.value.includes(token.secret) || r.key.includes(token.secret))).toBe(false);
    expect(rows.filter((r) => r.ns === 'secret' && r.key.startsWith('pipeline-token:'))).toHaveLength(1);
    const listed = await adminCall<PipelineTokenView[]>(w, 'manager', K.listPipelineTokens, { projectId: w.project.id });
    expect(listed.value).toMatchObject({ ok: true, data: [{ id: token.token.id, name: 'GitHub Actions', revokedAt: null }] });
    expect(JSON.stringify(listed.value)).not.toContain(token.secret);
    const lead = await adminCall(w, 'lead', K.createPipelineToken, { projectId: w.project.id, name: 'Mine' });
    expect(lead.value).toMatchObject({ ok: false, error: { code: 'NOT_RELEASE_MANAGER' } });
  });

  it('check: allowed in the window, 200 { allowed: true }', async () => {
    const id = await w.releaseAt('READY');
    expect(await post(w, { event: 'check', release: await keyOf(w, id), environment: 'production' }, token.secret)).toEqual({ status: 200, json: { allowed: true } });
  });

  it('check: refused with each reason the start-implementation rule gives, 409', async () => {
    const ready = await w.releaseAt('READY');
    const key = await keyOf(w, ready);
    // Outside the window.
    await w.patch(ready, ({ release }) => ({ release: { ...release, windowStart: Date.now() + DAY, windowEnd: Date.now() + 2 * DAY } }));
    const outside = await post(w, { event: 'check', release: key, environment: 'production' }, token.secret);
    expect(outside).toEqual({ status: 409, json: { allowed: false, reasons: [{ code: 'GATE_OUTSIDE_WINDOW', message: expect.stringContaining('release window') }] } });
    // Back in the window, inside a hard freeze.
    await w.patch(ready, ({ release }) => ({ release: { ...release, windowStart: Date.now() - HOUR, windowEnd: Date.now() + DAY } }));
    const cal = await w.onProject<CalendarView>('owner', K.getCalendar, { projectId: w.project.id, from: Date.now(), to: Date.now() + DAY });
    if (!cal.value.ok) throw new Error('calendar');
    const saved = await w.onProject('owner', K.saveFreeze, {
      projectId: w.project.id,
      expectedVersion: cal.value.data.freezesVersion,
      freeze: { reason: 'Quarter close', severity: 'HARD', appliesTo: ['MAJOR'], recurrence: { kind: 'ONCE', start: Date.now() - HOUR, end: Date.now() + HOUR } },
    });
    expect(saved.value.ok).toBe(true);
    const frozen = await post(w, { event: 'check', release: key, environment: 'production' }, token.secret);
    expect(frozen).toEqual({ status: 409, json: { allowed: false, reasons: [{ code: 'GATE_HARD_FREEZE', message: expect.stringContaining('hard change freeze') }] } });
    // Both at once.
    await w.patch(ready, ({ release }) => ({ release: { ...release, windowStart: Date.now() + DAY, windowEnd: Date.now() + 2 * DAY } }));
    expect((await post(w, { event: 'check', release: key, environment: 'production' }, token.secret)).json).toMatchObject({ reasons: [{ code: 'GATE_OUTSIDE_WINDOW' }, { code: 'GATE_HARD_FREEZE' }] });
    // Wrong status: a release still in planning.
    const planning = await w.releaseAt('PLANNING');
    expect(await post(w, { event: 'check', release: await keyOf(w, planning), environment: 'production' }, token.secret)).toEqual({
      status: 409,
      // One output serves a check and an event refused for the status alone: its body says both.
      json: { allowed: false, recorded: false, reasons: [{ code: 'WRONG_STATUS', message: expect.any(String) }] },
    });
  });

  it('started and finished are recorded once under replay, audited as the pipeline, and (policy off, the default) move no status', async () => {
    const id = await w.releaseAt('IMPLEMENTING', { skip: ['deployment', 'cutover'] });
    const key = await keyOf(w, id);
    const started = { event: 'started', release: key, environment: 'production', idempotencyKey: 'run-4711-started', version: '2.0.1', runUrl: 'https://github.com/acme/billing/actions/runs/4711' };
    const auditsBefore = w.auditCount(id);
    expect(await post(w, started, token.secret)).toEqual({ status: 202, json: { recorded: true } });
    const afterFirst = records(w);
    expect(await post(w, started, token.secret)).toEqual({ status: 200, json: { recorded: true, replayed: true } });
    expect(records(w)).toEqual(afterFirst);
    // The same key with another body is refused, and changes nothing.
    expect((await post(w, { ...started, version: '9.9.9' }, token.secret)).json).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(records(w)).toEqual(afterFirst);

    const finished = { event: 'finished', release: key, environment: 'production', idempotencyKey: 'run-4711-finished', result: 'success', version: '2.0.1', runUrl: started.runUrl };
    expect((await post(w, finished, token.secret)).status).toBe(202);
    expect((await post(w, finished, token.secret)).status).toBe(200);
    const s = await w.stored(id);
    expect(s.release.status).toBe('IMPLEMENTING');
    expect(s.release.deployment).toMatchObject({ succeeded: true, recordedBy: `pipeline:${token.token.id}` });
    expect(s.release.progressReports.filter((r) => r.reportedBy.startsWith('pipeline:')).map((r) => r.note)).toEqual([
      'GitHub Actions: started (production) · 2.0.1 · https://github.com/acme/billing/actions/runs/4711',
      'GitHub Actions: finished (production) · 2.0.1 · success · https://github.com/acme/billing/actions/runs/4711',
    ]);
    expect(w.auditCount(id)).toBe(auditsBefore + 2);
    const audit = await w.onRelease<{ items: { action: string; actorAccountId: string; after: Record<string, string> }[] }>('lead', id, K.listAudit, { projectId: w.project.id, releaseId: id });
    if (!audit.value.ok) throw new Error('audit');
    const pipelineEvents = audit.value.data.items.filter((e) => e.actorAccountId.startsWith('pipeline:'));
    expect(pipelineEvents.map((e) => [e.action, e.actorAccountId, e.after.pipeline])).toEqual([
      ['pipelineFinish', `pipeline:${token.token.id}`, 'GitHub Actions'],
      ['pipelineReport.started', `pipeline:${token.token.id}`, 'GitHub Actions'],
    ]);
    // The person still marks it deployed.
    await w.act('business', id, K.recordCutover, { confirmed: true });
    await w.act('implementer', id, K.markDeployed);
    expect((await w.stored(id)).release.status).toBe('VERIFYING');
  });

  it('the same event with other whitespace is a replay; parallel jobs sharing a token on two releases are both recorded', async () => {
    const a = await w.releaseAt('IMPLEMENTING', { skip: ['deployment', 'cutover'] });
    const b = await w.releaseAt('IMPLEMENTING', { skip: ['deployment', 'cutover'] });
    const body = (id: string, key: string) => ({ event: 'started', release: key, environment: 'production', idempotencyKey: `job-${id}-started` });
    const [ka, kb] = [await keyOf(w, a), await keyOf(w, b)];
    const [ra, rb] = await Promise.all([post(w, body(a, ka), token.secret), post(w, body(b, kb), token.secret)]);
    expect([ra.status, rb.status]).toEqual([202, 202]);
    const spaced = await post(w, null, token.secret, { raw: JSON.stringify(body(a, ka), null, 2) });
    expect(spaced).toEqual({ status: 200, json: { recorded: true, replayed: true } });
    for (const id of [a, b]) expect((await w.stored(id)).release.progressReports.filter((r) => r.reportedBy.startsWith('pipeline:'))).toHaveLength(1);
    // The admin page shows when the token was last used.
    const listed = await adminCall<PipelineTokenView[]>(w, 'manager', K.listPipelineTokens, { projectId: w.project.id });
    expect(listed.value.ok && listed.value.data[0]?.lastUsedAt).toEqual(expect.any(Number));
  });

  it('a finish time outside the release’s life (the year 2000, next week) is not a valid event and records nothing', async () => {
    const id = await w.releaseAt('IMPLEMENTING', { skip: ['deployment', 'cutover'] });
    const key = await keyOf(w, id);
    const before = records(w);
    for (const [n, finishedAt] of [Date.UTC(2000, 0, 1), Date.now() + 7 * 86_400_000].entries()) {
      const res = await post(w, { event: 'finished', release: key, environment: 'production', idempotencyKey: `run-t${n}-finished`, result: 'success', finishedAt }, token.secret);
      expect(res).toMatchObject({ status: 400, json: { error: { code: 'BODY_INVALID' } } });
    }
    expect(records(w)).toEqual(before);
    expect((await w.stored(id)).release.deployment).toBeNull();
  });

  it('finished on a release not implementing is refused and recorded nowhere', async () => {
    const id = await w.releaseAt('READY');
    const before = records(w);
    const res = await post(w, { event: 'finished', release: await keyOf(w, id), environment: 'production', idempotencyKey: 'run-1-finished', result: 'failure' }, token.secret);
    expect(res).toEqual({ status: 409, json: { allowed: false, recorded: false, reasons: [{ code: 'WRONG_STATUS', message: expect.any(String) }] } });
    expect(records(w)).toEqual(before);
  });

  describe('every refusal is a clear, structured error and changes nothing', () => {
    let id: string;
    let key: string;
    let before: string[];
    beforeEach(async () => {
      id = await w.releaseAt('IMPLEMENTING', { skip: ['deployment', 'cutover'] });
      key = await keyOf(w, id);
      before = records(w);
    });
    const unchanged = () => expect(records(w)).toEqual(before);
    const started = () => ({ event: 'started', release: key, environment: 'production', idempotencyKey: 'run-9-started' });

    it.each([
      ['no token', null, 401, 'TOKEN_INVALID'],
      ['a made-up token', 'rgp_notarealtokenatallnotarealtokenatallabcd', 401, 'TOKEN_INVALID'],
      ['a token of another scheme', 'ghp_abcdef', 401, 'TOKEN_INVALID'],
    ])('%s is refused', async (_label, tok, status, code) => {
      const res = await post(w, started(), tok);
      expect(res).toEqual({ status, json: { error: { code, message: expect.stringContaining('Bearer') } } });
      unchanged();
    });

    it('a revoked token → 401 TOKEN_REVOKED', async () => {
      const revoked = await adminCall(w, 'manager', K.revokePipelineToken, { projectId: w.project.id, tokenId: token.token.id, expectedVersion: token.token.version });
      expect(revoked.value.ok).toBe(true);
      before = records(w);
      expect(await post(w, started(), token.secret)).toEqual({ status: 401, json: { error: { code: 'TOKEN_REVOKED', message: expect.stringContaining('revoked') } } });
      unchanged();
    });

    it('an oversized body → 413', async () => {
      const res = await post(w, { ...started(), version: 'x'.repeat(9000) }, token.secret);
      expect(res).toMatchObject({ status: 413, json: { error: { code: 'BODY_TOO_LARGE' } } });
      unchanged();
    });

    it.each([
      ['not JSON', '{"event": "started",'],
      ['an unknown event', JSON.stringify({ event: 'deleted', release: 'RG-1', environment: 'production' })],
      ['an unknown field', JSON.stringify({ event: 'check', release: 'RG-1', environment: 'production', force: true })],
      ['a missing idempotency key', JSON.stringify({ event: 'started', release: 'RG-1', environment: 'production' })],
      ['a bad release key', JSON.stringify({ event: 'check', release: 'rg 1', environment: 'production' })],
      ['a javascript: run link', JSON.stringify({ event: 'started', release: 'RG-1', environment: 'production', idempotencyKey: 'abcdefgh', runUrl: 'javascript:alert(1)' })],
    ])('a malformed body (%s) → 400', async (_label, raw) => {
      const res = await post(w, null, token.secret, { raw });
      expect(res).toMatchObject({ status: 400, json: { error: { code: 'BODY_INVALID', message: expect.any(String) } } });
      unchanged();
    });

    it('GET → 400, not a gate event (asks for a POST)', async () => {
      expect(await post(w, started(), token.secret, { method: 'GET' })).toEqual({ status: 400, json: { error: { code: 'BODY_INVALID', message: expect.stringContaining('POST') } } });
      unchanged();
    });

    it('an unknown release → 404; a release of another project → 403', async () => {
      expect(await post(w, { ...started(), release: 'RG-9999' }, token.secret)).toMatchObject({ status: 404, json: { error: { code: 'RELEASE_NOT_FOUND' } } });
      expect(await post(w, { ...started(), release: w.other.issueKey }, token.secret)).toMatchObject({ status: 403, json: { error: { code: 'RELEASE_OTHER_PROJECT' } } });
      unchanged();
    });

    it(`more than ${PIPELINE_RATE_PER_MINUTE} requests a minute with one token → 429`, async () => {
      const check = { event: 'check', release: key, environment: 'production' };
      const answers: number[] = [];
      for (let i = 0; i < PIPELINE_RATE_PER_MINUTE + 2; i++) answers.push((await post(w, check, token.secret)).status);
      expect(answers.slice(0, PIPELINE_RATE_PER_MINUTE).every((s) => s === 409 || s === 200)).toBe(true);
      expect(answers.slice(PIPELINE_RATE_PER_MINUTE)).toEqual([429, 429]);
      // Another token of the project is counted on its own.
      const other = await newToken(w, 'Jenkins');
      expect((await post(w, check, other.secret)).status).not.toBe(429);
    });
  });

  it('a Jira that fails while the gate reads the release → 503 RETRY, nothing recorded; the retry is recorded once', async () => {
    const id = await w.releaseAt('IMPLEMENTING', { skip: ['deployment', 'cutover'] });
    const key = await keyOf(w, id);
    const body = { event: 'started', release: key, environment: 'production', idempotencyKey: 'run-77-started' };
    await w.jira.flushEvents();
    await w.platform.drainEvents();
    w.jira.injectFault({ pathPattern: `/rest/api/3/issue/${key}`, status: 503, times: Infinity });
    const failed = await post(w, body, token.secret);
    expect(failed).toMatchObject({ status: 503, json: { error: { code: 'RETRY' } } });
    expect((await w.stored(id)).release.progressReports.filter((r) => r.reportedBy.startsWith('pipeline:'))).toHaveLength(0);
    w.jira.clearFaults();
    expect((await post(w, body, token.secret)).status).toBe(202);
    expect((await post(w, body, token.secret)).status).toBe(200);
    expect((await w.stored(id)).release.progressReports.filter((r) => r.reportedBy.startsWith('pipeline:'))).toHaveLength(1);
  });
});

describe('the gate over HTTP on loopback (what curl and a pipeline see)', () => {
  it('answers a POST at /public/<id> with the static output, and 404s an unknown trigger id', async () => {
    const w = startWorld();
    const host = await startHost({ platform: w.platform, port: 0, host: '127.0.0.1', csp: false });
    try {
      const { secret } = await newToken(w);
      const id = await w.releaseAt('READY');
      const url = `${host.url}${webTriggerPath(w.platform.webTriggerId(GATE))}`;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/public\/[A-Za-z0-9_-]{26}$/);
      const res = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ event: 'check', release: await keyOf(w, id), environment: 'staging' }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual({ allowed: true });
      const unknown = await fetch(`${host.url}/public/AAAAAAAAAAAAAAAAAAAAAAAAAA`, { method: 'POST', body: '{}' });
      expect(unknown.status).toBe(404);
    } finally {
      await host.close();
      await w.close();
    }
  });
});
