import type { FrameLocator, Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../sandbox/cli/demo';
import { PEOPLE } from '../../sandbox/seed/people';
import { dslCsv } from '../dsl/import-fixture';
import { assertBuilt, axeViolations, browserSuite, launchBrowser, STATIC_DIR, type Browser } from './support/browser';
import { setSession } from './support/project-browser';
import { tr } from './support/locale-text';

/**
 * A full-size CSV import as the software control lead does it, in Chromium on the seeded demo, in English
 * and in 中文: a generated 2,000-row file (~720 KB, Chinese vendor names) is read, sent in parts — every
 * invoke the page makes stays under Forge's 500 KB — checked, imported, its progress shown while the queue's
 * consumer writes it, and its items are then in the library.
 */
const suite = browserSuite();

suite('a full-size DSL CSV import (Chromium)', () => {
  let demo: RunningDemo;
  let browser: Browser;
  let page: Page;
  let project: string;
  /** Every invoke the page sent: its resolver key and its request's size as Forge measures it. */
  const invokes: { functionKey: string; bytes: number; wireBytes: number }[] = [];

  beforeAll(async () => {
    assertBuilt();
    demo = await startDemo({ dbPath: ':memory:', port: 0, months: 2, staticDir: STATIC_DIR });
    project = demo.summary?.project.key ?? 'PAY';
    browser = await launchBrowser();
    page = browser.page;
    page.on('request', (req) => {
      if (!req.url().endsWith('/api/bridge') || req.method() !== 'POST') return;
      const body = req.postData() ?? '';
      const call = JSON.parse(body) as { name?: string; args?: { functionKey?: string; payload?: unknown } };
      if (call.name !== 'invoke' || !call.args?.functionKey) return;
      invokes.push({
        functionKey: call.args.functionKey,
        bytes: Buffer.byteLength(JSON.stringify({ functionKey: call.args.functionKey, payload: call.args.payload ?? {} })),
        wireBytes: Buffer.byteLength(body),
      });
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  const wb = (): FrameLocator => page.frameLocator('iframe[data-module-key="release-workbench"]').first();

  it('a file over 2,000 rows is refused before anything is sent, in the user\'s language (中文)', async () => {
    await setSession(browser.context, demo.url, { accountId: PEOPLE.scl.accountId, lang: 'zh-CN' });
    await page.goto(`${demo.url}/projects/${project}/apps/release-workbench/dsl`);
    const f = wb();
    await f.getByTestId('rg-page-dsl').waitFor();
    await f.getByRole('button', { name: tr('zh-CN', 'ui.dsl.csv.title'), exact: true }).click();
    const csv = f.getByTestId('rg-dsl-csv');
    invokes.length = 0;
    await csv.locator('#rg-dsl-csv-file').setInputFiles({ name: 'too-many.csv', mimeType: 'text/csv', buffer: Buffer.from(dslCsv(2001, 'toomany')) });
    await f.getByRole('alert').getByText(tr('zh-CN', 'ui.dsl.csv.tooManyRows', { rows: 2001, max: 2000 })).waitFor();
    expect(await csv.getByTestId('rg-dsl-csv-check').isDisabled()).toBe(true);
    // Nothing of the file sent (the section's own look for an import in progress is not the file).
    expect(invokes.filter((i) => i.functionKey.startsWith('dsl/import') && i.functionKey !== 'dsl/importStatus')).toEqual([]);
  }, 120_000);

  for (const lang of ['en-US', 'zh-CN'] as const) {
    const tag = lang === 'en-US' ? 'en' : 'zh';

    it(`in ${lang}: 2,000 rows sent in parts under 500 KB, checked, written with progress shown, then in the library`, async () => {
      await setSession(browser.context, demo.url, { accountId: PEOPLE.scl.accountId, lang });
      await page.goto(`${demo.url}/projects/${project}/apps/release-workbench/dsl`);
      const f = wb();
      await f.getByTestId('rg-page-dsl').waitFor();
      await f.getByRole('button', { name: tr(lang, 'ui.dsl.csv.title'), exact: true }).click();
      const csv = f.getByTestId('rg-dsl-csv');
      const prefix = `bulk${tag}`;
      const file = Buffer.from(dslCsv(2000, prefix));
      expect(file.byteLength).toBeGreaterThan(700_000);
      invokes.length = 0;
      // As a person does it: the app's own button (in the app's language, not the browser's) opens the file dialog.
      await expect(csv.getByTestId('rg-dsl-csv-file-name').textContent()).resolves.toBe(tr(lang, 'ui.dsl.csv.noFile'));
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), csv.getByRole('button', { name: tr(lang, 'ui.dsl.csv.choose'), exact: true }).click()]);
      await chooser.setFiles({ name: `dsl-${tag}.csv`, mimeType: 'text/csv', buffer: file });
      await csv.getByTestId('rg-dsl-csv-size').waitFor();
      await expect(csv.getByTestId('rg-dsl-csv-file-name').textContent()).resolves.toBe(`dsl-${tag}.csv`);
      const sizeLine = (await csv.getByTestId('rg-dsl-csv-size').textContent()) ?? '';
      expect(sizeLine).toContain('2000');

      await csv.getByTestId('rg-dsl-csv-check').click();
      await csv.getByText(tr(lang, 'ui.dsl.csv.valid', { rows: 2000 })).waitFor({ timeout: 60_000 });
      const chunks = invokes.filter((i) => i.functionKey === 'dsl/importChunk');
      expect(chunks.length).toBeGreaterThanOrEqual(5);
      expect(sizeLine).toContain(String(chunks.length));

      // The queue held for a moment, so that each step of the progress is seen for sure (on Forge and in
      // `npm start` events are delivered by themselves).
      demo.demo.platform.queues.setAutoDeliver(false);
      await csv.getByTestId('rg-dsl-csv-import').click();
      const bar = csv.getByRole('progressbar');
      await csv.getByText(tr(lang, 'ui.dsl.csv.queued')).waitFor({ timeout: 30_000 });
      expect(await bar.getAttribute('aria-valuenow')).toBe('0');
      expect(await bar.getAttribute('aria-valuemax')).toBe('2000');
      // One delivery: the consumer writes its slice (60 batches of 7 rows) and queues the rest.
      await demo.demo.platform.drainQueues({ maxDeliveries: 1 });
      await csv.getByText(tr(lang, 'ui.dsl.csv.writing', { done: 420, rows: 2000 })).waitFor({ timeout: 10_000 });
      expect(await bar.getAttribute('aria-valuenow')).toBe('420');
      await page.screenshot({ path: `/tmp/i10-import-progress.${tag}.png`, fullPage: false });
      // The progress as a screen reader meets it.
      const frame = await (await page.waitForSelector('iframe[data-module-key="release-workbench"]')).contentFrame();
      expect(frame ? await axeViolations(frame) : ['no frame']).toEqual([]);
      // The page opened again mid-import shows the import being written.
      await page.goto(`${demo.url}/projects/${project}/apps/release-workbench/dsl`);
      await f.getByTestId('rg-page-dsl').waitFor();
      await f.getByRole('button', { name: tr(lang, 'ui.dsl.csv.title'), exact: true }).click();
      await csv.getByText(tr(lang, 'ui.dsl.csv.writing', { done: 420, rows: 2000 })).waitFor({ timeout: 10_000 });
      demo.demo.platform.queues.setAutoDeliver(true);
      const done = tr(lang, 'ui.dsl.csv.complete', { written: 2000, already: 0 });
      await csv.getByText(done).waitFor({ timeout: 120_000 });
      await page.screenshot({ path: `/tmp/i10-import-complete.${tag}.png`, fullPage: false });
      // It polled the status until the end.
      expect(invokes.filter((i) => i.functionKey === 'dsl/importStatus').length).toBeGreaterThanOrEqual(2);

      // Every request the page made for the import under Forge's 500 KB front-end limit.
      expect(invokes.length).toBeGreaterThan(chunks.length);
      for (const i of invokes) {
        expect(i.bytes).toBeLessThan(500 * 1024);
        expect(i.wireBytes).toBeLessThan(500 * 1024);
      }
      expect(invokes.some((i) => i.functionKey === 'dsl/import')).toBe(false);

      // The same file again (chosen anew: the page was reloaded): checked clean, every row already written
      // by the run above, skipped.
      await csv.locator('#rg-dsl-csv-file').setInputFiles({ name: `dsl-${tag}.csv`, mimeType: 'text/csv', buffer: file });
      await csv.getByTestId('rg-dsl-csv-size').waitFor();
      await csv.getByTestId('rg-dsl-csv-check').click();
      await csv.getByText(tr(lang, 'ui.dsl.csv.validAlready', { rows: 2000, already: 2000 })).waitFor({ timeout: 60_000 });
      await csv.getByTestId('rg-dsl-csv-import').click();
      await csv.getByText(tr(lang, 'ui.dsl.csv.complete', { written: 0, already: 2000 })).waitFor({ timeout: 60_000 });
      // Checked once more without choosing it again: a new run of the same file, checked afresh.
      await csv.getByTestId('rg-dsl-csv-check').click();
      await csv.getByText(tr(lang, 'ui.dsl.csv.validAlready', { rows: 2000, already: 2000 })).waitFor({ timeout: 60_000 });

      // The items are in the library: the last row of the file, by name.
      await f.locator('#rg-dsl-q-name').fill(`${prefix}-component-2000`);
      await f.locator('#rg-dsl-q-version').fill('');
      await f.getByRole('button', { name: tr(lang, 'ui.dsl.search.apply'), exact: true }).click();
      await f.getByTestId('rg-dsl-items').locator('tbody tr', { hasText: `${prefix}-component-2000` }).first().waitFor();
      await f.locator('#rg-dsl-q-name').fill(`${prefix}-component-0001`);
      await f.getByRole('button', { name: tr(lang, 'ui.dsl.search.apply'), exact: true }).click();
      await f.getByTestId('rg-dsl-items').locator('tbody tr', { hasText: `${prefix}-component-0001` }).first().waitFor();
      await page.screenshot({ path: `/tmp/i10-import-library.${tag}.png`, fullPage: true });
    }, 240_000);
  }
});
