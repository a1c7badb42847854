import type { Frame, FrameLocator, Page } from 'playwright-core';
import type { RunningHost } from '../../sandbox/host';
import { createDemoPlatform, seedDemo, type DemoPlatform } from '../../sandbox/seed/demo';
import { demoGadgets } from '../../sandbox/seed/gadgets';
import { PEOPLE } from '../../sandbox/seed/people';
import { monthBounds } from '../../src/domain/kpi';
import { ENTITY } from '../../src/storage/entities';
import { putRelease, type StoredReleaseDoc } from '../../src/storage/records';
import { Changes } from '../../src/storage/store';
import { axe, chromiumSuite, launchChromium, setSession, startDemoHost, type Chromium } from './support/project-browser';

/**
 * A month busier than its drill-down list holds (1,000 closed releases, written behind the aggregates' back
 * and counted by the daily job on its queue): the drill-down says how many of how many it lists and that the
 * number and the Jira search count them all, in English and 中文 — it never looks complete while it is not.
 */
const suite = chromiumSuite();

suite('KPI drill-down of a busy month (Chromium, seeded demo + 1,000 releases in one month)', () => {
  let demo: DemoPlatform;
  let host: RunningHost;
  let browser: Chromium;
  let page: Page;
  let busy = '';

  beforeAll(async () => {
    demo = createDemoPlatform({ dbPath: ':memory:' });
    const summary = await seedDemo(demo, { months: 2 });
    await demo.events.open(demo.platform);
    await demo.platform.drainQueues();
    busy = [...summary.closedMonths].sort()[0] as string;
    const closed = (demo.platform.db.prepare('SELECT value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.release}`) as { value: string }[])
      .map((r) => (JSON.parse(r.value) as { doc: StoredReleaseDoc }).doc)
      .filter((d) => d.release.status === 'CLOSED');
    const start = monthBounds(busy).start;
    await demo.platform.run(
      async () => {
        for (let i = 0; i < 1_000; i++) {
          const from = closed[i % closed.length] as StoredReleaseDoc;
          const statusEnteredAt = { ...from.release.statusEnteredAt, CLOSED: start + 3_600_000 + i * 60_000 };
          const changes = new Changes();
          putRelease(changes, { ...from, release: { ...from.release, id: String(900_000 + i), issueKey: `PAY-X${i}`, statusEnteredAt } }, null, Date.now());
          await changes.commit();
        }
      },
      { timeoutMs: 600_000 },
    );
    await demo.platform.runScheduled('daily-kpi-and-training', { options: { months: [busy] } });
    await demo.platform.drainQueues();
    host = await startDemoHost(demo, { gadgets: demoGadgets(demo.jira) });
    browser = await launchChromium();
    page = browser.page;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    demo?.platform.close();
  });

  const gadget = (): FrameLocator => page.frameLocator('iframe[data-module-key="kpi-gadget"]').first();
  const gadgetFrame = async (): Promise<Frame> => {
    const f = await (await page.locator('iframe[data-module-key="kpi-gadget"]').first().elementHandle())?.contentFrame();
    if (!f) throw new Error('no gadget frame');
    return f;
  };

  it.each([
    ['en-US', /: ([\d,]+) releases closed, more than a month's list holds; the list and its count show the first 300\. The number above counts all \1, and the Jira search below finds them all\./],
    ['zh-CN', /：关闭了 ([\d,]+) 个发布，超过每月列表的容量；列表及其计数只显示前 300 个。上方数值计入全部 \1 个/],
  ] as const)('says, in %s, that the month lists 300 of its releases while the number counts them all', async (lang, text) => {
    await setSession(browser.context, host.url, { accountId: PEOPLE.manager.accountId, lang, theme: 'light' });
    await page.goto(`${host.url}/dashboard`);
    await gadget().getByTestId('rg-kpi-board').waitFor({ timeout: 20_000 });
    await gadget().getByTestId('rg-kpi-RELEASE_SUCCESS_RATE-value').click();
    const drill = gadget().getByTestId('rg-drill-RELEASE_SUCCESS_RATE');
    const capped = drill.getByTestId('rg-drill-RELEASE_SUCCESS_RATE-capped');
    await capped.waitFor({ timeout: 20_000 });
    const said = await capped.innerText();
    expect(said).toMatch(text);
    expect(Number(text.exec(said)?.[1]?.replace(/,/g, ''))).toBeGreaterThanOrEqual(1_000);
    expect(said).toContain('1,00'); // the number as the reader's language writes it
    // The old message ("counted before this list existed") is not shown for it.
    expect(await drill.getByText(/before this list existed|在此列表出现之前/).count()).toBe(0);
    await capped.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `/tmp/i10-job-capped-${lang}.png`, fullPage: false });
    expect(await axe(await gadgetFrame())).toEqual([]);
  });
});
