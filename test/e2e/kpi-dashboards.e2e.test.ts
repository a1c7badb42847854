import type { Frame, FrameLocator, Page } from 'playwright-core';
import type { RunningHost } from '../../sandbox/host';
import { createDemoPlatform, seedDemo, type DemoPlatform } from '../../sandbox/seed/demo';
import { demoGadgets } from '../../sandbox/seed/gadgets';
import { PEOPLE } from '../../sandbox/seed/people';
import { axe, chromiumSuite, launchChromium, moduleFrame, setSession, startDemoHost, type Chromium } from './support/project-browser';

/**
 * KPI dashboards on the seeded demo (four months of closed releases): the two configured gadgets draw their
 * charts (target line, months without data as gaps), a click on a value lists the releases behind it — as
 * many as the numerator and denominator say — and its JQL link finds the same issues in the local Jira's
 * issue search; each role's KPI view on the workbench; English and 中文, light and dark, axe-clean.
 */
const suite = chromiumSuite();

suite('KPI dashboards (Chromium, seeded demo)', () => {
  let demo: DemoPlatform;
  let host: RunningHost;
  let browser: Chromium;
  let page: Page;

  beforeAll(async () => {
    demo = createDemoPlatform({ dbPath: ':memory:' });
    await seedDemo(demo, { months: 4 });
    await demo.events.open(demo.platform);
    host = await startDemoHost(demo, { gadgets: demoGadgets(demo.jira) });
    browser = await launchChromium();
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    demo?.platform.close();
  });

  const gadget = (n: number): FrameLocator => page.frameLocator('iframe[data-module-key="kpi-gadget"]').nth(n);
  const gadgetFrame = async (n: number): Promise<Frame> => {
    const handle = page.locator('iframe[data-module-key="kpi-gadget"]').nth(n);
    const f = await (await handle.elementHandle())?.contentFrame();
    if (!f) throw new Error('no gadget frame');
    return f;
  };

  async function openDashboard(who: keyof typeof PEOPLE, lang: 'en-US' | 'zh-CN' = 'en-US', theme: 'light' | 'dark' = 'light'): Promise<void> {
    await setSession(browser.context, host.url, { accountId: PEOPLE[who].accountId, lang, theme });
    await page.goto(`${host.url}/dashboard`);
    await gadget(0).getByTestId('rg-kpi-board').waitFor({ timeout: 20_000 });
    await gadget(1).getByTestId('rg-kpi-board').waitFor({ timeout: 20_000 });
  }

  it('shows both configured gadgets at once, naming the project, with a chart per KPI and its target line', async () => {
    await openDashboard('manager');
    await gadget(0).getByTestId('rg-gadget-project').getByText('Payroll Platform (PAY)').waitFor();
    for (const k of ['RELEASE_SUCCESS_RATE', 'RELEASE_TIMELINESS', 'PROCESS_EFFECTIVENESS', 'TRAINING_TIMELINESS', 'DSL_ACCURACY']) {
      await gadget(0).getByTestId(`rg-kpi-${k}-chart`).waitFor();
      await gadget(0).getByTestId(`rg-kpi-${k}-chart-target`).waitFor({ state: 'attached' });
    }
    for (const k of ['DEPLOYMENT_FREQUENCY', 'LEAD_TIME_FROM_REQUEST_DAYS', 'CHANGE_FAILURE_RATE', 'RECOVERY_TIME_MINUTES']) await gadget(1).getByTestId(`rg-kpi-${k}-chart`).waitFor();
    // The chart's text alternative names the KPI and how many months have data.
    const label = await gadget(0).getByTestId('rg-kpi-RELEASE_SUCCESS_RATE-chart').getAttribute('aria-label');
    expect(label).toMatch(/^Release success rate over 12 months, \d+ of them with data/);
  });

  it('leaves months without data as gaps, never as 0 %', async () => {
    const chart = gadget(0).getByTestId('rg-kpi-RELEASE_SUCCESS_RATE-chart');
    // Four months of history in a 12-month chart: the months before have no point at all.
    const marks = await chart.locator('[data-month]').count();
    expect(marks).toBeGreaterThan(0);
    expect(marks).toBeLessThanOrEqual(5);
    const table = gadget(0).getByTestId('rg-kpi-RELEASE_SUCCESS_RATE-table');
    await gadget(0).getByTestId('rg-kpi-RELEASE_SUCCESS_RATE').getByText('Data table').click();
    const noData = await table.getByText('No data').count();
    expect(noData).toBe(12 - marks);
  });

  it('lists the releases behind a value, as many as its numerator and denominator, and Jira finds the same issues', async () => {
    await gadget(1).getByTestId('rg-kpi-CHANGE_FAILURE_RATE-value').click();
    const drill = gadget(1).getByTestId('rg-drill-CHANGE_FAILURE_RATE');
    const summary = await drill.getByTestId('rg-drill-CHANGE_FAILURE_RATE-summary').innerText();
    const [, n, d] = /(\d+) of (\d+) releases/.exec(summary) ?? [];
    const rows = drill.getByTestId('rg-drill-CHANGE_FAILURE_RATE-rows').locator('tbody tr');
    expect(await rows.count()).toBe(Number(d));
    expect(await rows.filter({ hasText: 'Counted, meets the KPI' }).count()).toBe(Number(n));
    const listed = (await drill.locator('a[data-issue-key]').evaluateAll((as) => as.map((a) => a.getAttribute('data-issue-key')))).sort();
    const failedKeys = (await rows.filter({ hasText: 'Counted, meets the KPI' }).locator('a[data-issue-key]').evaluateAll((as) => as.map((a) => a.getAttribute('data-issue-key')))).sort();

    const counted = await drill.getByTestId('rg-drill-CHANGE_FAILURE_RATE-jql').getAttribute('href');
    const numerator = await drill.getByTestId('rg-drill-CHANGE_FAILURE_RATE-jql-numerator').getAttribute('href');
    const found = async (href: string | null) => {
      await page.goto(href ?? '');
      await page.locator('[data-search-count]').waitFor();
      return (await page.locator('table.issues a[data-issue-key]').evaluateAll((as) => as.map((a) => a.getAttribute('data-issue-key')))).sort();
    };
    expect(await found(counted)).toEqual(listed);
    expect(await found(numerator)).toEqual(failedKeys);
    expect(failedKeys.length).toBe(Number(n));
  });

  it('a month of the chart’s data table opens that month’s releases', async () => {
    await openDashboard('manager');
    const card = gadget(0).getByTestId('rg-kpi-RELEASE_TIMELINESS');
    await card.getByText('Data table').click();
    await card.getByTestId('rg-kpi-RELEASE_TIMELINESS-table').getByRole('button').last().click();
    const drill = gadget(0).getByTestId('rg-drill-RELEASE_TIMELINESS');
    const summary = await drill.getByTestId('rg-drill-RELEASE_TIMELINESS-summary').innerText();
    const [, , d] = /(\d+) of (\d+) releases/.exec(summary) ?? [];
    expect(await drill.getByTestId('rg-drill-RELEASE_TIMELINESS-rows').locator('tbody tr').count()).toBe(Number(d));
    // and a mouse click on a point opens the same list for its month
    await gadget(0).getByTestId('rg-kpi-PROCESS_EFFECTIVENESS-chart').locator('[data-month]').last().click();
    await gadget(0).getByTestId('rg-drill-PROCESS_EFFECTIVENESS-rows').waitFor();
  });

  const roleViews: [keyof typeof PEOPLE, string, string[]][] = [
    ['lead1', 'RELEASE_LEAD', ['RELEASE_SUCCESS_RATE', 'RESOURCE_USE', 'RELEASE_EFFICIENCY_MEDIAN_DAYS']],
    ['impl1', 'IMPLEMENTER', ['RELEASE_SUCCESS_RATE', 'RELEASE_TIMELINESS']],
    ['trainer', 'TRAINING_LEAD', ['TRAINING_TIMELINESS', 'TRAINEE_PASS_RATE']],
    ['scl', 'SOFTWARE_CONTROL_LEAD', ['DSL_ACCURACY', 'DSL_TIMELY_UPDATE_RATE']],
    ['manager', 'RELEASE_MANAGER', ['PROCESS_EFFECTIVENESS']],
    ['owner', 'PROCESS_OWNER', ['PROCESS_COMPLETENESS', 'PROCESS_OPTIMISATION_TIMELINESS', 'DEPLOYMENT_FREQUENCY', 'CHANGE_FAILURE_RATE']],
  ];

  async function openKpis(who: keyof typeof PEOPLE, lang: 'en-US' | 'zh-CN', theme: 'light' | 'dark'): Promise<FrameLocator> {
    await setSession(browser.context, host.url, { accountId: PEOPLE[who].accountId, lang, theme });
    await page.goto(`${host.url}/projects/PAY/apps/release-workbench/kpis`);
    const wb = page.frameLocator('iframe[data-module-key="release-workbench"]').first();
    await wb.getByTestId('rg-kpi-board').waitFor({ timeout: 20_000 });
    return wb;
  }

  describe.each([
    ['en-US', 'light'],
    ['zh-CN', 'dark'],
  ] as const)('each role’s KPIs on the workbench (%s, %s)', (lang, theme) => {
    it.each(roleViews)('%s lands on the %s KPIs with their charts, axe-clean', async (who, audience, kpis) => {
      const wb = await openKpis(who, lang, theme);
      expect(await wb.getByTestId(`rg-kpi-role-${audience}`).getAttribute('aria-pressed')).toBe('true');
      for (const k of kpis) await wb.getByTestId(`rg-kpi-${k}-chart`).waitFor();
      const frame = await moduleFrame(page, 'release-workbench');
      await frame.waitForFunction((mode) => document.documentElement.dataset.colorMode === mode, theme);
      expect(await frame.evaluate(() => document.documentElement.lang)).toBe(lang);
      expect(await axe(frame)).toEqual([]);
    });
  });

  it('the process owner opens a drill-down on the workbench and exports a chart’s table as CSV', async () => {
    const wb = await openKpis('owner', 'en-US', 'light');
    await wb.getByTestId('rg-kpi-RELEASE_SUCCESS_RATE-value').click();
    await wb.getByTestId('rg-drill-RELEASE_SUCCESS_RATE-rows').waitFor();
    const frame = await moduleFrame(page, 'release-workbench');
    expect(await axe(frame)).toEqual([]);
    const download = page.waitForEvent('download');
    await wb.getByTestId('rg-kpi-RELEASE_SUCCESS_RATE-csv').click();
    const file = await download;
    const text = await (await file.createReadStream()).toArray();
    const csv = Buffer.concat(text as Buffer[]).toString('utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe('Month,KPI,Value,Target,Unit');
    expect(lines).toHaveLength(13);
    expect(lines.filter((l) => /,Release success rate,,0\.95,/.test(l)).length).toBeGreaterThan(0); // months without data: empty, not 0
  });

  describe.each([
    ['en-US', 'light'],
    ['en-US', 'dark'],
    ['zh-CN', 'light'],
    ['zh-CN', 'dark'],
  ] as const)('the gadgets in %s, %s', (lang, theme) => {
    it('render their charts and are axe-clean, with a drill-down open', async () => {
      await openDashboard('owner', lang, theme);
      await gadget(0).getByTestId('rg-kpi-RELEASE_SUCCESS_RATE-chart').waitFor();
      if (lang === 'zh-CN') await gadget(0).getByText('发布成功率').first().waitFor();
      await gadget(0).getByTestId('rg-kpi-RELEASE_SUCCESS_RATE-value').click();
      await gadget(0).getByTestId('rg-drill-RELEASE_SUCCESS_RATE-rows').waitFor();
      for (const n of [0, 1]) {
        const f = await gadgetFrame(n);
        await f.waitForFunction((mode) => document.documentElement.dataset.colorMode === mode, theme);
        expect(await axe(f)).toEqual([]);
      }
      await page.screenshot({ path: `/tmp/rg-kpi-gadgets-${lang}-${theme}.png`, fullPage: true });
    });
  });
});
