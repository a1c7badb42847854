import type { Page } from 'playwright-core';
import { startHost, type RunningHost } from '../../sandbox/host';
import type { WorkflowRow } from '../../sandbox/jira/state';
import { loadGlobalSetup } from '../../src/storage/setup-progress';
import { ROLE_VALIDATOR_MODULE_KEY } from '../../src/workflow/rules';
import { axe, chromiumSuite, launchChromium, moduleFrame, setSession, STATIC_DIR, type Chromium } from './support/project-browser';
import { PEOPLE, startProjectWorld, type ProjectWorld } from './support/project-world';

/**
 * The admin page after an upgrade that left the workflow with an earlier version's rules (here: no role
 * validator): the set-up section says the rules are out of date, in English and 中文, and its button updates
 * them in place; afterwards the page is back to "Run set-up again" and Jira's workflow has the rules again.
 */
const suite = chromiumSuite();

const isRoleValidator = (key: string | undefined) => (key ?? '').endsWith(`/static/${ROLE_VALIDATOR_MODULE_KEY}`);

suite('set-up after an upgrade, on the admin page (Chromium)', () => {
  let world: ProjectWorld;
  let host: RunningHost;
  let browser: Chromium;
  let page: Page;

  async function workflow(): Promise<WorkflowRow> {
    const global = (await world.platform.run(() => loadGlobalSetup())).value;
    const wf = world.jira.state.workflow(global.workflowId ?? '');
    if (!wf) throw new Error('no workflow');
    return wf;
  }

  beforeAll(async () => {
    world = await startProjectWorld();
    host = await startHost({ platform: world.platform, port: 0, host: '127.0.0.1', staticDir: STATIC_DIR, users: world.users });
    browser = await launchChromium();
    page = browser.page;
    // What an earlier version of set-up left in Jira.
    const wf = await workflow();
    world.jira.state.putWorkflow({ ...wf, transitions: wf.transitions.map((t) => ({ ...t, validators: t.validators.filter((v) => !isRoleValidator(v.parameters?.key)) })) });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await world?.close();
  });

  const openAdmin = async (lang: 'en-US' | 'zh-CN') => {
    await setSession(browser.context, host.url, { accountId: PEOPLE.admin, lang, theme: 'light' });
    await page.goto(`${host.url}/admin/apps/release-admin`);
    const admin = page.frameLocator('iframe[data-module-key="release-admin"]').first();
    await admin.getByLabel(lang === 'en-US' ? 'Project' : '项目', { exact: true }).selectOption(world.project.id);
    await admin.getByTestId('rg-setup-steps').waitFor();
    await admin.getByTestId('rg-loading').waitFor({ state: 'detached' });
    return admin;
  };

  it('says the rules are out of date, in English and 中文, with no axe violations', async () => {
    const admin = await openAdmin('zh-CN');
    await admin.getByTestId('rg-setup-rules-out-of-date').getByText('规则已过期').waitFor();
    await admin.getByTestId('rg-setup-rules-help').getByText(/早期版本的规则/).waitFor();
    await admin.getByRole('button', { name: '更新设置' }).waitFor();
    await page.screenshot({ path: '/tmp/i10-upgrade-admin-zh.png', fullPage: true });

    const en = await openAdmin('en-US');
    await en.getByTestId('rg-setup-step-workflow').getByText('Rules out of date').waitFor();
    await en.getByTestId('rg-setup-rules-help').getByText(/rules of an earlier version of the app/).waitFor();
    await en.getByRole('button', { name: 'Update set-up' }).waitFor();
    await page.screenshot({ path: '/tmp/i10-upgrade-admin-en.png', fullPage: true });
    expect(await axe(await moduleFrame(page, 'release-admin'))).toEqual([]);
  });

  it('updates the workflow in place when the admin asks, and then shows it up to date', async () => {
    const before = await workflow();
    const admin = await openAdmin('en-US');
    await admin.getByRole('button', { name: 'Update set-up' }).click();
    await admin.getByRole('button', { name: 'Run set-up again' }).waitFor({ timeout: 60_000 });
    await page.getByText('The workflow rules of project RG are up to date').waitFor();
    expect(await admin.getByTestId('rg-setup-rules-out-of-date').count()).toBe(0);
    await admin.getByTestId('rg-setup-step-workflow').getByText('Done').waitFor();
    await page.screenshot({ path: '/tmp/i10-upgrade-admin-updated.png', fullPage: true });
    const after = await workflow();
    expect(after.id).toBe(before.id);
    expect(after.versionNumber).toBe(before.versionNumber + 1);
    const directed = after.transitions.filter((t) => t.type === 'DIRECTED');
    expect(directed.every((t) => t.validators.some((v) => isRoleValidator(v.parameters?.key)))).toBe(true);
    // A reload asks Jira again: up to date.
    const again = await openAdmin('en-US');
    await again.getByRole('button', { name: 'Run set-up again' }).waitFor();
    expect(await again.getByTestId('rg-setup-rules-help').count()).toBe(0);
  });
});
