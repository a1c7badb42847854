import type { Frame, Page } from 'playwright-core';
import { assertBuilt, axeViolations, browserSuite, launchBrowser, type Browser } from './support/browser';
import { HostUi, MODULE } from './support/host-ui';
import { PEOPLE, startE2eWorld, type E2eWorld } from './support/jira-world';

/**
 * Smoke test of the local host on the Jira emulator (a project set up by the app's own set-up): Jira's issue
 * view around the app's panel frame, the real `@forge/bridge` in the frame (getContext + invoke round trip
 * through the host to the platform's resolver), the language and theme switches, the transitions menu, and
 * no axe violations in the frame.
 */
browserSuite()('local host (Chromium)', () => {
  let world: E2eWorld;
  let browser: Browser;
  let page: Page;
  let ui: HostUi;
  let change: { id: string; key: string };

  beforeAll(async () => {
    assertBuilt();
    world = await startE2eWorld();
    browser = await launchBrowser();
    page = browser.page;
    ui = new HostUi(page, world);
    change = world.changeRequests[0]!;
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  const panelFrame = (): Promise<Frame> => ui.frameOf(MODULE.panel);

  it('shows the panel and glance only on Release Requests, and renders the panel through the real @forge/bridge', async () => {
    await ui.openIssue(change.key);
    await ui.actAs('requester');
    await expect(page.locator('#issue-summary').textContent()).resolves.toBe('Upgrade the billing service to 2.0');
    // A change request is not a Release Request: manifest displayConditions keep the panel and glance off it.
    await expect(page.locator(`iframe[data-module-key="${MODULE.panel}"]`).count()).resolves.toBe(0);
    await expect(page.locator(`iframe[data-module-key="${MODULE.glance}"]`).count()).resolves.toBe(0);

    const releaseKey = await world.submit('requester', change.key, 'Release: billing service 2.0');
    const release = await world.release(releaseKey);
    await ui.openIssue(releaseKey);
    await ui.panel.getByRole('heading', { name: 'Release', exact: true }).waitFor();
    await expect(page.locator(`iframe[data-module-key="${MODULE.glance}"]`).count()).resolves.toBe(1);

    // The frame is served from its own origin under a path, with the bridge installed before the bundle.
    const frame = await panelFrame();
    expect(new URL(frame.url()).origin).not.toBe(new URL(world.host.url).origin);
    expect(await frame.evaluate(() => typeof (globalThis as { __bridge?: unknown }).__bridge)).toBe('object');

    // invoke with a payload: the resolver re-checks the issue named in the payload against the frame's own
    // (display conditions protect nothing: the server checks).
    const own = (await ui.invokeFromFrame(MODULE.panel, 'panel/get', { releaseId: release.id })) as { ok: boolean; data?: { issueKey: string; release: unknown } };
    expect(own).toMatchObject({ ok: true, data: { issueKey: releaseKey } });
    const other = world.changeRequests[1]!;
    const foreign = (await ui.invokeFromFrame(MODULE.panel, 'panel/get', { releaseId: other.id })) as { ok: boolean; error?: { code: string } };
    expect(foreign.ok).toBe(false);
  });

  it("answers @forge/bridge's requestJira from a frame as the acting user, within the manifest's scopes", async () => {
    const frame = await panelFrame();
    const read = await frame.evaluate(async (key) => {
      const bridge = (globalThis as unknown as { __bridge: { callBridge(name: string, args: unknown): Promise<{ status: number; body: string }> } }).__bridge;
      // What `requestJira(path, init)` sends (node_modules/@forge/bridge/out/fetch/fetch.js).
      const call = (restPath: string) => bridge.callBridge('fetchProduct', { product: 'jira', restPath, fetchRequestInit: { headers: [['accept', 'application/json'], ['x-atlassian-token', 'no-check']], body: null }, isMultipartFormData: false });
      const issue = await call(`/rest/api/3/issue/${key}?fields=summary`);
      const myself = await call('/rest/api/3/myself');
      const webhooks = await call('/rest/api/3/webhook');
      return { issue, myself, webhooks };
    }, change.key);
    expect(read.issue.status).toBe(200);
    expect(JSON.parse(read.issue.body)).toMatchObject({ key: change.key, fields: { summary: 'Upgrade the billing service to 2.0' } });
    // As the acting user (the requester), not as the app.
    expect(JSON.parse(read.myself.body)).toMatchObject({ accountId: PEOPLE.requester.accountId });
    // manage:jira-webhook is not among manifest.yml's scopes: refused before Jira sees it.
    expect(read.webhooks.status).toBe(403);
    expect(read.webhooks.body).toContain('manage:jira-webhook');
  });

  it('has no axe violations in the panel frame', async () => {
    expect(await axeViolations(await panelFrame())).toEqual([]);
  });

  it('switches the language to 中文 and the panel follows', async () => {
    await ui.language('中文');
    await ui.panel.getByRole('heading', { name: '发布', exact: true }).waitFor();
    await ui.panel.getByText('已提交').first().waitFor();
    expect(await (await panelFrame()).evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await ui.language('en');
  });

  it('switches the theme to dark, live, and stays free of axe violations', async () => {
    await ui.theme('dark');
    expect(await axeViolations(await panelFrame())).toEqual([]);
    await ui.theme('light');
  });

  it('fires a Jira transition from the transitions menu as the acting user', async () => {
    await ui.openIssue(change.key);
    await page.locator('#host-transitions').click();
    await page.getByRole('menuitem', { name: /In Progress/ }).click();
    await page.locator('#host-flags .flag-success').waitFor();
    await page.waitForLoadState('load');
    await page.locator('#issue-status', { hasText: 'In Progress' }).waitFor();
    expect(world.jira.getIssue(change.key)?.statusName).toBe('In Progress');
  });

  it("reports nothing that Forge's Content-Security-Policy would block", async () => {
    // The frames run under the policy Forge derives from manifest.yml `permissions`; Atlaskit inserts <style>
    // elements at run time, so the manifest must allow `permissions.content.styles: ['unsafe-inline']`.
    const warnings = await page.locator('#host-banner .csp-warning').allTextContents();
    if (warnings.length > 0) {
      throw new Error(`Forge's CSP would block, in the app's frames:\n  ${warnings.join('\n  ')}\n(inline styles: add permissions.content.styles: ['unsafe-inline'] to manifest.yml)`);
    }
  });
});
