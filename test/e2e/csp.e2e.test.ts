import type { ConsoleMessage, FrameLocator, Page, Response } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../sandbox/cli/demo';
import { jiraEmulatorOf } from '../../sandbox/jira';
import { PEOPLE, type PersonKey } from '../../sandbox/seed/people';
import { getRow, releaseRef } from '../../src/storage/records';
import { assertBuilt, browserSuite, launchBrowser, STATIC_DIR, type Browser } from './support/browser';
import { setSession } from './support/project-browser';

/**
 * Every module and every tab of the app, opened in Chromium from the seeded demo with the frames' Content-
 * Security-Policy applied, counting the violations the browser reports (a `securitypolicyviolation` event in
 * any frame, or Chromium's "Refused to …" console line): there must be none. On Forge each of them is a CSP
 * report on every load (zod's JIT probe did this on the Software library tab).
 *
 * The test does not care how the host builds its policy: it checks that each frame document arrives with a
 * Content-Security-Policy that forbids eval, and counts what the browser reports under it. A control at the
 * end proves the counter counts: an inline script added to a frame is reported.
 */
const suite = browserSuite();
const MARK = '[rg-csp-violation]';

/** Runs in every frame before its own scripts (through DevTools, so the frame's policy does not apply to it). */
const LISTENER = `document.addEventListener('securitypolicyviolation', (e) => {
  console.warn(${JSON.stringify(MARK)} + ' ' + e.effectiveDirective + ' ' + (e.blockedURI || e.sample || '') + ' @ ' + location.pathname);
});`;

suite('Content-Security-Policy: every module and tab (Chromium)', () => {
  let demo: RunningDemo;
  let browser: Browser;
  let page: Page;
  const violations: string[] = [];
  const policies = new Map<string, string | null>();
  const opened: string[] = [];

  beforeAll(async () => {
    assertBuilt();
    demo = await startDemo({ dbPath: ':memory:', port: 0, months: 2, staticDir: STATIC_DIR });
    browser = await launchBrowser();
    page = browser.page;
    await browser.context.addInitScript({ content: LISTENER });
    const onConsole = (m: ConsoleMessage) => {
      const text = m.text();
      if (text.startsWith(MARK) || /Refused to (evaluate|execute|load|apply|connect|frame)/.test(text)) violations.push(text);
    };
    page.on('console', onConsole);
    page.on('response', (r: Response) => {
      if (r.request().resourceType() !== 'document' || r.frame() === page.mainFrame()) return;
      policies.set(new URL(r.url()).pathname, r.headers()['content-security-policy'] ?? null);
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  const frame = (moduleKey: string): FrameLocator => page.frameLocator(`iframe[data-module-key="${moduleKey}"]`).first();
  const settle = () => page.waitForTimeout(600);
  const hint = (fragment: string): string => {
    const h = demo.summary?.hints.find((x) => x.what.includes(fragment));
    if (!h) throw new Error(`no demo release for "${fragment}"`);
    return h.issueKey;
  };

  async function as(who: PersonKey, path: string, lang: 'en-US' | 'zh-CN' = 'en-US'): Promise<void> {
    await setSession(browser.context, demo.url, { accountId: PEOPLE[who].accountId, lang });
    await page.goto(`${demo.url}${path}`);
  }

  async function panelTabs(issueKey: string, who: PersonKey): Promise<void> {
    await as(who, `/browse/${issueKey}`);
    const panel = frame('release-panel');
    await panel.getByTestId('rg-panel-status').waitFor();
    await frame('release-glance').locator('body *').first().waitFor();
    for (const tab of ['overview', 'team', 'fallback', 'training', 'software', 'records', 'history']) {
      await panel.getByTestId(`rg-tab-${tab}`).click();
      await panel.getByTestId(`rg-tabpanel-${tab}`).waitFor();
      await settle();
      opened.push(`panel ${issueKey} ${tab}`);
    }
  }

  it('the issue panel (every tab) and the glance, on releases in several statuses', async () => {
    await panelTabs(hint('review: classify'), 'manager');
    await panelTabs(hint('mark ready'), 'lead2');
    await panelTabs(hint('record operational acceptance'), 'operations');
    expect(violations).toEqual([]);
  });

  it('the issue action (raise a release request) on a change request', async () => {
    const jira = jiraEmulatorOf(demo.demo.platform);
    const releaseId = String(jira.getIssue(hint('review: classify'))?.id);
    const row = await demo.demo.platform.run(() => getRow(releaseRef(releaseId)));
    const changeKey = row.value?.doc.release.linkedChangeKey;
    expect(changeKey).toBeTruthy();
    await as('requester', `/browse/${changeKey}`);
    await page.locator('button.issue-action').first().click();
    await frame('raise-release').locator('body *').first().waitFor();
    await settle();
    opened.push('raise-release');
    expect(violations).toEqual([]);
  });

  it('every page of the project workbench, the library with an item, the register form and the CSV view', async () => {
    const pages: [string, PersonKey][] = [
      ['review', 'manager'],
      ['leading', 'lead1'],
      ['deployments', 'impl1'],
      ['verifications', 'operations'],
      ['training', 'trainer'],
      ['calendar', 'manager'],
      ['improvement', 'owner'],
      ['kpis', 'owner'],
      ['dsl', 'scl'],
    ];
    for (const [sub, who] of pages) {
      await as(who, `/projects/${demo.summary?.project.key ?? 'PAY'}/apps/release-workbench/${sub}`);
      const wb = frame('release-workbench');
      await wb.getByTestId(`rg-page-${sub}`).waitFor();
      await settle();
      opened.push(`workbench ${sub}`);
    }
    const wb = frame('release-workbench');
    await wb.getByTestId('rg-dsl-items').locator('tbody tr button').first().click();
    await wb.getByTestId('rg-dsl-item').waitFor();
    await wb.getByTestId('rg-dsl-history').waitFor();
    await wb.getByRole('button', { name: 'Register software' }).first().click();
    await wb.getByTestId('rg-dsl-register').waitFor();
    await wb.getByRole('button', { name: 'Export and import (CSV)' }).click();
    await wb.getByTestId('rg-dsl-csv').waitFor();
    await wb.getByTestId('rg-dsl-findings').waitFor();
    await settle();
    opened.push('dsl item, register, csv');
    expect(violations).toEqual([]);
  });

  it('the admin page, the dashboard gadget and its edit view, in English and 中文', async () => {
    for (const lang of ['en-US', 'zh-CN'] as const) {
      await as('owner', '/admin/apps/release-admin', lang);
      await frame('release-admin').locator('h1, h2').first().waitFor();
      await settle();
      await as('owner', '/dashboard', lang);
      await frame('kpi-gadget').locator('body *').first().waitFor();
      await settle();
      await page.locator('button.gadget-edit').first().click();
      await frame('kpi-gadget').getByTestId('rg-gadget-edit').waitFor();
      await settle();
      await as('scl', `/projects/${demo.summary?.project.key ?? 'PAY'}/apps/release-workbench/dsl`, lang);
      await frame('release-workbench').getByTestId('rg-page-dsl').waitFor();
      await settle();
      opened.push(`admin, gadget, edit, dsl (${lang})`);
    }
    expect(violations).toEqual([]);
  });

  it('every frame document came with a policy that forbids eval (script-src without unsafe-eval)', () => {
    expect(policies.size).toBeGreaterThan(0);
    for (const [path, csp] of policies) {
      expect({ path, csp: csp !== null }).toEqual({ path, csp: true });
      const script = (csp ?? '').split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src') || d.startsWith('default-src'));
      expect({ path, script }).toEqual({ path, script: expect.not.stringContaining('unsafe-eval') });
    }
    expect(opened.length).toBeGreaterThanOrEqual(30);
  });

  it('control: the counter counts (an inline script in a frame is reported)', async () => {
    const before = violations.length;
    const handle = await page.waitForSelector('iframe[data-module-key="release-workbench"]');
    const wb = await handle.contentFrame();
    if (!wb) throw new Error('no app frame');
    expect(await wb.evaluate(() => document.querySelector('[data-testid="rg-page-dsl"]') !== null)).toBe(true);
    await wb.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__rgInline = 1;';
      document.body.appendChild(s);
    });
    const until = Date.now() + 5_000;
    while (violations.length === before && Date.now() < until) await page.waitForTimeout(100);
    expect(violations.length).toBeGreaterThan(before);
    violations.length = before;
  });
});
