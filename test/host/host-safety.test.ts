import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlatform, type Platform } from '../../sandbox';
import { startHost, type RunningHost } from '../../sandbox/host';
import { jiraEmulatorOf, jiraFactory } from '../../sandbox/jira';

/**
 * The local host is safe to leave running: it answers only requests addressed to its own loopback address
 * (DNS rebinding), its chrome refuses to be framed, a malformed path is a 400, an invoke over Forge's 500 KB
 * front-end limit is refused as Forge refuses it, and app frames carry the policy @forge/csp builds.
 */
interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(base: string, path: string, opts: { method?: string; host?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers: { host: opts.host ?? u.host, ...(opts.headers ?? {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('the local host, safe to leave running', () => {
  let platform: Platform;
  let host: RunningHost;
  let staticDir: string;
  let issueKey: string;
  beforeAll(async () => {
    staticDir = mkdtempSync(join(tmpdir(), 'host-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><html><head><script>window.inline = 1;</script></head><body><div id="root"></div></body></html>');
    platform = createPlatform({ jira: jiraFactory() });
    const jira = jiraEmulatorOf(platform);
    jira.addUser({ accountId: 'acc-a', displayName: 'Ada' });
    jira.addProject({ key: 'RG', name: 'Release Governance', adminAccountId: 'acc-a' });
    issueKey = jira.addIssue({ project: 'RG', summary: 'A change', reporterAccountId: 'acc-a' }).key;
    host = await startHost({ platform, port: 0, staticDir, users: [{ accountId: 'acc-a', displayName: 'Ada' }] });
  });
  afterAll(async () => {
    await host.close();
    platform.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('answers its own address and refuses any other Host (DNS rebinding) with 421, on both origins', async () => {
    expect((await call(host.url, `/browse/${issueKey}`)).status).toBe(200);
    const port = new URL(host.url).port;
    expect((await call(host.url, `/browse/${issueKey}`, { host: `localhost:${port}` })).status).toBe(200);
    for (const evil of ['attacker.example:80', `attacker.example:${port}`, `127.0.0.1.nip.io:${port}`, `127.0.0.1:${Number(port) + 1}`]) {
      const r = await call(host.url, `/browse/${issueKey}`, { host: evil });
      expect(r.status).toBe(421);
      expect(r.body).not.toContain(issueKey);
    }
    const bridge = await call(host.url, '/api/bridge', { method: 'POST', host: `rebound.example:${port}`, headers: { 'x-host-chrome': '1', 'content-type': 'application/json' }, body: '{}' });
    expect(bridge.status).toBe(421);
    expect((await call(host.frameUrl, '/frame/index.html', { host: `rebound.example:${new URL(host.frameUrl).port}` })).status).toBe(421);
  });

  it('refuses to let its chrome pages be framed', async () => {
    const r = await call(host.url, '/');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['content-security-policy']).toBe("frame-ancestors 'none'");
  });

  it('answers a malformed path with 400, not 500', async () => {
    for (const path of ['/browse/%E0%A4%A', '/projects/%', '/browse/%ZZ']) {
      expect((await call(host.url, path)).status).toBe(400);
    }
    expect((await call(host.frameUrl, '/frame/%E0%A4%A')).status).toBe(400);
  });

  it("refuses an invoke over Forge's 500 KB front-end request limit before any resolver runs", async () => {
    const frame = { moduleKey: 'release-panel', issueKey };
    const payload = (n: number) => JSON.stringify({ frame, name: 'invoke', args: { functionKey: 'panel/get', payload: { blob: 'x'.repeat(n) } } });
    const before = platform.logs.length;
    const big = await call(host.url, '/api/bridge', { method: 'POST', headers: { 'x-host-chrome': '1', 'content-type': 'application/json' }, body: payload(510 * 1024) });
    expect(big.status).toBe(200);
    expect(JSON.parse(big.body)).toEqual({ ok: false, message: expect.stringMatching(/payload of \d+ bytes exceeds the 500 KB limit/) as unknown });
    expect(platform.logs.length).toBe(before); // no function ran
    // Just under the limit reaches the resolver, which answers with its own envelope (a schema refusal here).
    const small = await call(host.url, '/api/bridge', { method: 'POST', headers: { 'x-host-chrome': '1', 'content-type': 'application/json' }, body: payload(400 * 1024) });
    const answer = JSON.parse(small.body) as { ok: boolean; value?: { ok: boolean; error?: { code: string } } };
    expect(answer).toMatchObject({ ok: true, value: { ok: false, error: { code: 'VALIDATION_FAILED' } } });
  });

  it("serves app frames under the policy @forge/csp builds (Forge's own), framable by the chrome only", async () => {
    const r = await call(host.frameUrl, '/frame/index.html');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain(`frame-ancestors 'self' ${host.url}`);
    expect(csp).toMatch(/script-src 'self' https:\/\/forge\.cdn\.prod\.atlassian-dev\.net/);
    // The inline script of the build's index.html is allowed by its hash, as Forge's CDN computes it.
    expect(csp).toMatch(/'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("'unsafe-inline'"); // manifest permissions.content.styles
    expect(csp).toContain(`report-uri ${host.frameUrl}/__host/csp-report`);
    expect(csp).not.toContain('unsafe-eval');
    expect((await call(host.frameUrl, '/__host/csp-report', { method: 'POST', body: '{}' })).status).toBe(204);
  });
});
