/**
 * `npm run screenshots`: the README's pictures of the app, in English and 中文, from the seeded demo (what
 * `npm start` runs, in memory on a free port) in Debian's Chromium. Writes `docs/screenshots/<name>.<lang>.png`,
 * each cropped to what it shows. Chinese text needs a CJK font (Debian: `fonts-noto-cjk`).
 *
 *   npm run screenshots                 # all
 *   npm run screenshots -- panel-team   # only the shots whose name contains an argument
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../sandbox/cli/demo';
import { ensureUiBuilt } from '../sandbox/cli/ui-build';
import type { DemoHint } from '../sandbox/seed/demo';
import { PEOPLE, type PersonKey } from '../sandbox/seed/people';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'docs', 'screenshots');
const LANGS = [
  { code: 'en-US', suffix: 'en' },
  { code: 'zh-CN', suffix: 'zh' },
] as const;
const MAX_BYTES = 250 * 1024;

interface Shot {
  name: string;
  who: PersonKey;
  /** Path on the chrome (from the demo's hints). */
  path: (hints: Hints) => string;
  /** Waits until the screen is complete, then returns what to capture. */
  capture: (page: Page) => Promise<Locator>;
  /** Most pixels tall a capture is cropped to. */
  maxHeight?: number;
}

type Hints = { issue(fragment: string): string; project: string };

const frame = (page: Page, moduleKey: string): FrameLocator => page.frameLocator(`iframe[data-module-key="${moduleKey}"]`).first();

/** Lets names (`people/names`, asked after the first render) and late layout settle. */
const settle = (page: Page, ms = 1_200) => page.waitForTimeout(ms);

async function openPanelTab(page: Page, tabId: string): Promise<void> {
  const panel = frame(page, 'release-panel');
  await panel.getByTestId('rg-panel-status').waitFor();
  await panel.getByTestId(`rg-tab-${tabId}`).click();
  await panel.getByTestId(`rg-tabpanel-${tabId}`).waitFor();
}

const SHOTS: Shot[] = [
  {
    name: 'issue-overview',
    who: 'manager',
    path: (h) => `/browse/${h.issue('review: classify')}`,
    async capture(page) {
      await frame(page, 'release-panel').getByTestId('rg-checklist').waitFor();
      await frame(page, 'release-glance').getByTestId('rg-glance-status').waitFor();
      await settle(page);
      return page.locator('.issue');
    },
    maxHeight: 1_250,
  },
  {
    name: 'panel-team',
    who: 'business',
    path: (h) => `/browse/${h.issue('record the user acceptance test')}`,
    async capture(page) {
      await openPanelTab(page, 'team');
      await frame(page, 'release-panel').getByTestId('rg-team-members').waitFor();
      await settle(page);
      return page.locator('section.panel').first();
    },
    maxHeight: 900,
  },
  {
    name: 'panel-fallback',
    who: 'lead2',
    path: (h) => `/browse/${h.issue('mark ready')}`,
    async capture(page) {
      await openPanelTab(page, 'fallback');
      await frame(page, 'release-panel').getByTestId('rg-fallback-steps').waitFor();
      await settle(page);
      return page.locator('section.panel').first();
    },
    maxHeight: 1_000,
  },
  {
    name: 'panel-history',
    who: 'manager',
    path: (h) => `/browse/${h.issue('see why a request was rejected')}`,
    async capture(page) {
      await openPanelTab(page, 'history');
      await frame(page, 'release-panel').getByTestId('rg-history-table').waitFor();
      await settle(page);
      return page.locator('section.panel').first();
    },
    maxHeight: 900,
  },
  {
    name: 'workbench-audit',
    who: 'owner',
    path: (h) => `/projects/${h.project}/apps/release-workbench/audit`,
    async capture(page) {
      await frame(page, 'release-workbench').getByTestId('rg-audit-table').waitFor();
      await settle(page);
      return page.locator('#host-module');
    },
    maxHeight: 1_000,
  },
  {
    name: 'workbench-review',
    who: 'manager',
    path: (h) => `/projects/${h.project}/apps/release-workbench/review`,
    async capture(page) {
      await frame(page, 'release-workbench').locator('table').first().waitFor();
      await settle(page);
      return page.locator('#host-module');
    },
    maxHeight: 360,
  },
  {
    name: 'workbench-calendar',
    who: 'manager',
    path: (h) => `/projects/${h.project}/apps/release-workbench/calendar`,
    async capture(page) {
      await frame(page, 'release-workbench').locator('h2, table').first().waitFor();
      await settle(page, 2_000);
      return page.locator('#host-module');
    },
    maxHeight: 1_000,
  },
  {
    name: 'dsl-library',
    who: 'scl',
    path: (h) => `/projects/${h.project}/apps/release-workbench/dsl`,
    async capture(page) {
      await frame(page, 'release-workbench').locator('table').first().waitFor();
      await settle(page, 2_000);
      return page.locator('#host-module');
    },
    maxHeight: 720,
  },
  {
    name: 'admin',
    who: 'owner',
    path: () => '/admin/apps/release-admin',
    async capture(page) {
      const admin = frame(page, 'release-admin');
      await admin.locator('h1, h2').first().waitFor();
      await settle(page, 1_500);
      // The admin page may open on a project picker: choose the demo project when it offers one.
      const picker = admin.getByLabel(/^(Project|项目)$/).first();
      if ((await picker.count()) > 0 && (await picker.evaluate((el) => el.tagName === 'SELECT'))) {
        const value = await picker.evaluate((el) => Array.from((el as HTMLSelectElement).options).find((o) => o.text.includes('PAY'))?.value ?? '');
        if (value) await picker.selectOption(value);
        await settle(page, 2_000);
      }
      return page.locator('#host-module');
    },
    maxHeight: 1_300,
  },
  {
    name: 'dashboard-gadget',
    who: 'owner',
    path: () => '/dashboard',
    async capture(page) {
      const gadget = frame(page, 'kpi-gadget');
      // The demo's gadgets come configured (sandbox/seed/gadgets.ts); configure one only if it is not.
      const table = gadget.getByTestId('rg-kpi-board');
      await gadget.locator('body *').first().waitFor();
      await settle(page, 1_500);
      if ((await table.count()) === 0) {
        // Configured once, in its edit view, as a user would (the host keeps gadget settings while it runs).
        await page.locator('button.gadget-edit').first().click();
        await gadget.getByTestId('rg-gadget-edit').waitFor();
        const project = gadget.getByLabel(/^(Project|项目)$/).first();
        const value = await project.evaluate((el) => (el.tagName === 'SELECT' ? (Array.from((el as HTMLSelectElement).options).find((o) => o.text.includes('PAY'))?.value ?? '') : ''));
        if (value) await project.selectOption(value);
        await gadget.getByTestId('rg-gadget-save').click();
      }
      await table.waitFor();
      await settle(page, 2_000);
      return page.locator('.gadgets').first();
    },
    maxHeight: 1_400,
  },
];

async function newContext(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
  });
}

function hintsOf(demo: RunningDemo): Hints {
  const hints: readonly DemoHint[] = demo.summary?.hints ?? [];
  return {
    project: demo.summary?.project.key ?? 'PAY',
    issue(fragment) {
      const hit = hints.find((h) => h.what.includes(fragment));
      if (!hit) throw new Error(`no demo release for "${fragment}"`);
      return hit.issueKey;
    },
  };
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  ensureUiBuilt(ROOT, (line) => console.log(line));
  mkdirSync(OUT, { recursive: true });
  console.log('Seeding the demo in memory…');
  const demo = await startDemo({ dbPath: ':memory:', port: 0 });
  const profile = mkdtempSync(join(tmpdir(), 'rg-screenshots-'));
  const context = await newContext(profile);
  const host = new URL(demo.url);
  try {
    const hints = hintsOf(demo);
    const page = context.pages()[0] ?? (await context.newPage());
    for (const lang of LANGS) {
      for (const shot of SHOTS) {
        if (only.length > 0 && !only.some((o) => shot.name.includes(o))) continue;
        await context.clearCookies();
        await context.addCookies(
          [
            ['rg_user', PEOPLE[shot.who].accountId],
            ['rg_lang', lang.code],
            ['rg_theme', 'light'],
          ].map(([name, value]) => ({ name: name as string, value: value as string, domain: host.hostname, path: '/' })),
        );
        await page.goto(`${demo.url}${shot.path(hints)}`);
        const target = await shot.capture(page);
        await target.scrollIntoViewIfNeeded();
        const box = await target.boundingBox();
        if (!box) throw new Error(`${shot.name}: nothing to capture`);
        const file = join(OUT, `${shot.name}.${lang.suffix}.png`);
        const height = Math.min(box.height, shot.maxHeight ?? box.height);
        await page.setViewportSize({ width: 1280, height: Math.max(900, Math.ceil(box.y + height + 20)) });
        const again = (await target.boundingBox()) ?? box;
        await page.screenshot({ path: file, clip: { x: again.x, y: again.y, width: again.width, height: Math.min(again.height, shot.maxHeight ?? again.height) } });
        await page.setViewportSize({ width: 1280, height: 900 });
        const size = statSync(file).size;
        console.log(`${file.replace(`${ROOT}/`, '')}  ${Math.round(size / 1024)} KB${size > MAX_BYTES ? '  (over 250 KB: crop it)' : ''}`);
      }
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await demo.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
