import type { Frame, FrameLocator, Page } from 'playwright-core';
import { startHost, type RunningHost } from '../../sandbox/host';
import { axe, chromiumSuite, launchChromium, moduleFrame, setSession, STATIC_DIR, type Chromium } from './support/project-browser';
import { PEOPLE, startProjectWorld, type Person, type ProjectWorld } from './support/project-world';

/**
 * The project-level modules in Jira's chrome, each role in turn: the workbench on the project page (each role
 * lands on its own queue; actions enabled only for who may act, the reason shown to the others), the admin
 * page's set-up with progress per step, the process owner saving policy and role mapping there, the KPI
 * gadget and its edit view, the same in 中文, and no axe violations in light or dark.
 */
const suite = chromiumSuite();

/** Reads `read` until it gives `expected` (or ten seconds pass) and returns the last reading. */
async function eventually<T>(read: () => Promise<T>, expected: T): Promise<T> {
  const until = Date.now() + 10_000;
  let last = await read();
  while (last !== expected && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

suite('project-level modules (Chromium)', () => {
  let world: ProjectWorld;
  let host: RunningHost;
  let browser: Chromium;
  let page: Page;
  /** Whether the server registers the admin resolvers yet (src/resolvers/index.ts). */
  let adminResolvers = false;

  beforeAll(async () => {
    world = await startProjectWorld();
    host = await startHost({ platform: world.platform, port: 0, host: '127.0.0.1', staticDir: STATIC_DIR, users: world.users });
    browser = await launchChromium();
    page = browser.page;
    const probe = await world.platform
      .invokeResolver<{ ok: boolean }>({ moduleKey: 'release-admin', functionKey: 'admin/getSetupStatus', payload: { projectId: world.fresh.id }, accountId: PEOPLE.admin })
      .then((inv) => typeof inv.value?.ok === 'boolean')
      .catch(() => false);
    adminResolvers = probe;
    if (!adminResolvers) console.warn('!! admin/getSetupStatus and admin/setupProject are not registered in src/resolvers/index.ts: the admin page can only show their error.');
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await world?.close();
  });

  const workbench = (): FrameLocator => page.frameLocator('iframe[data-module-key="release-workbench"]').first();

  async function openWorkbench(who: Person, sub = ''): Promise<FrameLocator> {
    await setSession(browser.context, host.url, { accountId: PEOPLE[who] });
    await page.goto(`${host.url}/projects/RG/apps/release-workbench${sub}`);
    const wb = workbench();
    // Seen once in a full run (not reproduced in five more): the workbench not open after 30 s. Say what the
    // frame showed instead, so the next occurrence tells where it hung (still loading, or an error and which).
    await wb.getByTestId('rg-workbench-nav').waitFor().catch(async (err: unknown) => {
      const shown = await wb.locator('body').innerText({ timeout: 1_000 }).catch(() => '(no frame body)');
      throw new Error(`the workbench did not open for ${who} at ${sub || '/'}; the frame showed: ${shown.slice(0, 500)}\n${String(err)}`);
    });
    return wb;
  }

  const key = (r: { issueKey?: string; id: string }) => r.issueKey ?? r.id;

  it('shows the release manager the review queue, with the overdue review flagged and Review enabled', async () => {
    const wb = await openWorkbench('manager');
    await wb.getByRole('heading', { name: 'Review queue', level: 2 }).waitFor();
    const table = wb.getByTestId('rg-queue-review');
    await table.getByRole('link', { name: key(world.releases.overdueReview) }).waitFor();
    await table.getByText(/Overdue since/).waitFor();
    await wb.getByTestId('rg-review-overdue-count').waitFor();
    const review = table.getByRole('button', { name: 'Review' }).first();
    expect(await review.isEnabled()).toBe(true);
    // Releases under way are not in review.
    expect(await table.getByRole('link', { name: key(world.releases.planning) }).count()).toBe(0);
  });

  it('shows the release lead the releases they lead, and no review queue', async () => {
    const wb = await openWorkbench('lead');
    await wb.getByRole('heading', { name: 'My releases', level: 2 }).waitFor();
    const table = wb.getByTestId('rg-queue-leading');
    await table.getByRole('link', { name: key(world.releases.planning) }).waitFor();
    await table.getByRole('link', { name: key(world.releases.verifying) }).waitFor();
    expect(await wb.getByRole('button', { name: 'Review queue' }).count()).toBe(0);
  });

  it('shows an implementer their deployments, with the deployment result', async () => {
    // Someone without a standing role lands on the releases they are on; their deployments are one click away.
    const wb = await openWorkbench('implementer');
    await wb.getByRole('heading', { name: 'Releases I am on', level: 2 }).waitFor();
    await wb.getByRole('button', { name: 'My deployments' }).click();
    await wb.getByRole('heading', { name: 'My deployments', level: 2 }).waitFor();
    const table = wb.getByTestId('rg-queue-deployments');
    await table.getByRole('link', { name: key(world.releases.planning) }).waitFor();
    await table.getByText('Succeeded').waitFor();
  });

  it('shows the operations lead the pending verification with Verify enabled; others see it disabled with the reason', async () => {
    const wb = await openWorkbench('operations');
    await wb.getByRole('heading', { name: 'Pending verifications', level: 2 }).waitFor();
    const table = wb.getByTestId('rg-queue-verifications');
    await table.getByRole('link', { name: key(world.releases.verifying) }).waitFor();
    expect(await table.getByRole('button', { name: 'Verify' }).isEnabled()).toBe(true);

    const asManager = await openWorkbench('manager', '/verifications');
    const verify = asManager.getByTestId('rg-queue-verifications').getByRole('button', { name: 'Verify' });
    await verify.waitFor();
    expect(await verify.isDisabled()).toBe(true);
    await asManager.getByTestId('rg-disabled-reason').getByText('Only an operations lead can do this.').waitFor();
  });

  it('lets the process owner add an improvement action, which lists by due date; a lead may not', async () => {
    const wb = await openWorkbench('owner');
    await wb.getByRole('heading', { name: 'Process improvement', level: 2 }).waitFor();
    await wb.getByTestId('rg-improvements-empty').waitFor();
    await wb.getByLabel('Title', { exact: true }).fill('Shorten the review SLA for minor releases');
    await wb.getByRole('button', { name: 'Add action' }).click();
    await wb.getByTestId('rg-improvements').getByText('Shorten the review SLA for minor releases').waitFor();
    await page.locator('#host-flags .flag-success', { hasText: 'Improvement action added' }).waitFor();

    const asLead = await openWorkbench('lead', '/improvement');
    await asLead.getByTestId('rg-improvements').getByText('Shorten the review SLA for minor releases').waitFor();
    // People by name, not account id.
    await asLead.getByTestId('rg-improvements').getByText('Olga Owner').waitFor();
    expect(await asLead.getByRole('button', { name: 'Complete' }).isDisabled()).toBe(true);
    expect(await asLead.getByRole('button', { name: 'Propose' }).isDisabled()).toBe(true);
    await asLead.getByText('Only the process owner can do this.').waitFor();
  });

  it('shows training tasks, the release calendar and the KPI summary', async () => {
    const wb = await openWorkbench('trainer');
    await wb.getByRole('heading', { name: 'Training tasks', level: 2 }).waitFor();
    await wb.getByTestId('rg-training').getByText('Help desk').first().waitFor();
    // The training task links its release by issue key (training/list carries it).
    await wb.getByTestId('rg-training').getByRole('link', { name: key(world.releases.planning) }).waitFor();

    await wb.getByRole('button', { name: 'Release calendar' }).click();
    await wb.getByTestId('rg-calendar').waitFor();
    await wb.getByTestId('rg-calendar').getByRole('link', { name: key(world.releases.planning) }).first().waitFor();
    expect(page.url()).toMatch(/\/apps\/release-workbench\/calendar$/);

    await wb.getByRole('button', { name: 'KPIs' }).click();
    // The training lead lands on their own KPIs, charted.
    await wb.getByTestId('rg-kpi-board').getByText('Training timeliness').first().waitFor();
    await wb.getByTestId('rg-kpi-TRAINING_TIMELINESS-chart').waitFor();
  });

  it('opens the issue from a queue link', async () => {
    const wb = await openWorkbench('lead');
    await Promise.all([page.waitForURL(`**/browse/${key(world.releases.planning)}`), wb.getByTestId('rg-queue-leading').getByRole('link', { name: key(world.releases.planning) }).click()]);
  });

  it('shows an outsider nothing of the project', async () => {
    await setSession(browser.context, host.url, { accountId: PEOPLE.outsider });
    const res = await page.goto(`${host.url}/projects/RG/apps/release-workbench`);
    const frames = await page.locator('iframe[data-module-key="release-workbench"]').count();
    if (frames > 0) {
      // The host placed the frame: the app must refuse, showing no release.
      const wb = workbench();
      await wb.locator('[role="alert"], [data-testid="rg-error"]').first().waitFor();
      expect(await wb.getByRole('link', { name: key(world.releases.planning) }).count()).toBe(0);
    } else {
      expect(res?.status()).toBeGreaterThanOrEqual(400);
    }
    expect(await page.getByText(key(world.releases.planning)).count()).toBe(0);
  });

  it('runs set-up on the admin page and shows progress per step', async () => {
    await setSession(browser.context, host.url, { accountId: PEOPLE.admin });
    await page.goto(`${host.url}/admin/apps/release-admin`);
    const admin = page.frameLocator('iframe[data-module-key="release-admin"]').first();
    await admin.getByRole('heading', { name: 'Release Governance set-up' }).waitFor();
    // The picker lists every project the admin can browse, marking those not set up yet.
    await admin.getByRole('option', { name: 'NEW — New Project (not set up)' }).waitFor({ state: 'attached' });
    await admin.getByLabel('Project', { exact: true }).selectOption(world.fresh.id);
    await admin.getByRole('heading', { name: 'Project set-up', level: 2 }).waitFor();
    if (!adminResolvers) {
      // Until the server registers admin/getSetupStatus, the page says so instead of showing stale forms.
      await admin.getByTestId('rg-error').waitFor();
      return;
    }
    await admin.getByTestId('rg-setup-step-workflow').getByText('Not started').waitFor();
    await admin.getByTestId('rg-setup-run').click();
    await admin.getByTestId('rg-setup-step-workflowScheme').getByText('Done').waitFor({ timeout: 60_000 });
    for (const step of ['roles', 'issueType', 'issueTypeScheme', 'statuses', 'workflow']) await admin.getByTestId(`rg-setup-step-${step}`).getByText('Done').waitFor();
    await admin.getByRole('button', { name: 'Run set-up again' }).waitFor();
  });

  it('lets the process owner, who is not a Jira admin, save the policy and the role mapping on the admin page, but not run set-up', async () => {
    await setSession(browser.context, host.url, { accountId: PEOPLE.owner });
    await page.goto(`${host.url}/admin/apps/release-admin`);
    const admin = page.frameLocator('iframe[data-module-key="release-admin"]').first();
    // Only the projects the owner can browse: RG, set up.
    await admin.getByRole('option', { name: 'RG — Release Governance Demo' }).waitFor({ state: 'attached' });
    expect(await admin.getByRole('option', { name: /^NEW/ }).count()).toBe(0);
    await admin.getByLabel('Project', { exact: true }).selectOption(world.project.id);
    await admin.getByRole('heading', { name: 'Policy', level: 2 }).waitFor();
    expect(await admin.getByTestId('rg-setup-run').isDisabled()).toBe(true);
    await admin.getByText('Only a project administrator can set up this project.').waitFor();

    // Policy: a longer review SLA and one gate switched off, saved with the record's version.
    await admin.getByLabel('Review SLA (days)').fill('7');
    await admin.getByLabel('Readiness requires department opinions').uncheck();
    await admin.getByTestId('rg-policy-save').click();
    await page.locator('#host-flags .flag-success', { hasText: 'Policy saved' }).waitFor();
    await admin.getByRole('heading', { name: 'Policy', level: 2 }).waitFor();
    expect(await eventually(() => admin.getByLabel('Review SLA (days)').inputValue(), '7')).toBe('7');
    expect(await admin.getByLabel('Readiness requires department opinions').isChecked()).toBe(false);

    // Role mapping: the dropdowns offer the project's Jira roles by name.
    const business = admin.getByLabel('Business lead', { exact: true });
    const original = await business.inputValue();
    await business.selectOption({ label: 'Release Operations Lead' });
    await admin.getByTestId('rg-roles-save').click();
    await page.locator('#host-flags .flag-success', { hasText: 'Role mapping saved' }).waitFor();
    const status = async () => {
      const inv = await world.platform.invokeResolver<{ ok: boolean; data?: { setup: { roleIds: Record<string, string>; policy: { reviewSlaDays: number } } | null } }>({
        moduleKey: 'release-admin',
        functionKey: 'admin/getSetupStatus',
        payload: { projectId: world.project.id },
        accountId: PEOPLE.owner,
      });
      return inv.value.data?.setup;
    };
    const mapped = await status();
    expect(mapped?.policy.reviewSlaDays).toBe(7);
    expect(mapped?.roleIds.BUSINESS_LEAD).not.toBe(original);
    expect(mapped?.roleIds.BUSINESS_LEAD).toBe(mapped?.roleIds.OPERATIONS_LEAD);
    // And back, so the other tests keep their business lead.
    await admin.getByLabel('Business lead', { exact: true }).selectOption(original);
    await admin.getByTestId('rg-roles-save').click();
    await page.locator('#host-flags .flag-success', { hasText: 'Role mapping saved' }).nth(1).waitFor();
    expect(await eventually(async () => (await status())?.roleIds.BUSINESS_LEAD, original)).toBe(original);

    // The workbench reads the policy from project/context: the review queue states the new SLA.
    const wb = await openWorkbench('manager', '/review');
    await wb.getByText('Review is due within 7 days of submission.').waitFor();
  });

  it('configures the KPI gadget in its edit view and shows value, target and chart per KPI', async () => {
    await setSession(browser.context, host.url, { accountId: PEOPLE.manager });
    await page.goto(`${host.url}/dashboard`);
    const gadget = page.frameLocator('iframe[data-module-key="kpi-gadget"]').first();
    await gadget.getByText('Not configured yet').waitFor();
    await page.locator('button.gadget-edit').first().click();
    await gadget.getByRole('heading', { name: 'Configure release KPIs' }).waitFor();
    await gadget.getByLabel('Project', { exact: true }).selectOption({ label: 'RG — Release Governance Demo' });
    await gadget.getByLabel('12 month(s)').check();
    await gadget.getByLabel('Rollback rate').check();
    await gadget.getByLabel('Every 15 minutes').check();
    await gadget.getByTestId('rg-gadget-save').click();
    const board = gadget.getByTestId('rg-kpi-board');
    await board.waitFor();
    await board.getByText('Release success rate').first().waitFor();
    await board.getByText('Rollback rate').first().waitFor();
    await gadget.getByTestId('rg-gadget-project').getByText(/\(RG\)$/).waitFor();
    await gadget.getByTestId('rg-gadget-period').getByText('Last 12 month(s), including this month').waitFor();
    await gadget.getByTestId('rg-kpi-ROLLBACK_RATE-chart').waitFor();
    // Tables only: the same numbers without the chart library.
    await page.locator('button.gadget-edit').first().click();
    await gadget.getByLabel('Tables only').check();
    await gadget.getByTestId('rg-gadget-save').click();
    await gadget.getByTestId('rg-kpi-ROLLBACK_RATE-table').waitFor();
    expect(await gadget.getByTestId('rg-kpi-ROLLBACK_RATE-chart').count()).toBe(0);
  });

  it('shows the same in 中文', async () => {
    await setSession(browser.context, host.url, { accountId: PEOPLE.manager, lang: 'zh-CN' });
    const wb = await openWorkbench('manager');
    await wb.getByRole('heading', { name: '发布工作台' }).waitFor();
    await wb.getByRole('heading', { name: '审核队列', level: 2 }).waitFor();
    await wb.getByTestId('rg-queue-review').getByText(/自 .* 起逾期/).waitFor();
    await wb.getByTestId('rg-queue-review').getByText('已提交').first().waitFor();
    expect(await (await moduleFrame(page, 'release-workbench')).evaluate(() => document.documentElement.lang)).toBe('zh-CN');

    await page.goto(`${host.url}/dashboard`);
    const gadget = page.frameLocator('iframe[data-module-key="kpi-gadget"]').first();
    await gadget.getByTestId('rg-kpi-board').getByText('发布成功率').first().waitFor();
    await gadget.getByRole('columnheader', { name: '月份' }).first().waitFor();

    await setSession(browser.context, host.url, { accountId: PEOPLE.admin });
    await page.goto(`${host.url}/admin/apps/release-admin`);
    await page.frameLocator('iframe[data-module-key="release-admin"]').first().getByRole('heading', { name: '发布治理设置' }).waitFor();
    await setSession(browser.context, host.url, { lang: 'en-US' });
  });

  describe.each(['light', 'dark'] as const)('axe in %s', (theme) => {
    async function check(frame: Frame): Promise<void> {
      await frame.waitForFunction((mode) => document.documentElement.dataset.colorMode === mode, theme);
      expect(await axe(frame)).toEqual([]);
    }

    it.each(['review', 'mine', 'tests', 'acceptance', 'requests', 'evaluations', 'verifications', 'training', 'calendar', 'improvement', 'kpis', 'dsl'])('has no violations on the workbench page %s', async (sub) => {
      await setSession(browser.context, host.url, { theme });
      await openWorkbench('manager', `/${sub}`);
      await workbench().locator(`[data-testid="rg-page-${sub}"] h2`).waitFor();
      await workbench().getByTestId('rg-loading').waitFor({ state: 'detached' });
      await check(await moduleFrame(page, 'release-workbench'));
    });

    it('has no violations on the admin page', async () => {
      await setSession(browser.context, host.url, { accountId: PEOPLE.admin, theme });
      await page.goto(`${host.url}/admin/apps/release-admin`);
      const admin = page.frameLocator('iframe[data-module-key="release-admin"]').first();
      await admin.getByLabel('Project', { exact: true }).selectOption(world.project.id);
      await admin.getByRole('heading', { name: 'Project set-up', level: 2 }).waitFor();
      await admin.getByTestId('rg-loading').waitFor({ state: 'detached' });
      await check(await moduleFrame(page, 'release-admin'));
    });

    it('has no violations in the gadget and its edit view', async () => {
      await setSession(browser.context, host.url, { accountId: PEOPLE.manager, theme });
      await page.goto(`${host.url}/dashboard`);
      const gadget = page.frameLocator('iframe[data-module-key="kpi-gadget"]').first();
      await gadget.getByTestId('rg-kpi-board').waitFor();
      await check(await moduleFrame(page, 'kpi-gadget'));
      await page.locator('button.gadget-edit').first().click();
      await gadget.getByTestId('rg-gadget-edit').waitFor();
      await check(await moduleFrame(page, 'kpi-gadget'));
    });
  });
});
