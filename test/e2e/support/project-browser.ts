import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';

/**
 * Chromium for the project-module suite, launched as host.e2e.test.ts does (Debian's Chromium through
 * playwright-core, a fresh profile per run), with axe-core and the host's session cookies.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const STATIC_DIR = resolve(__dirname, '..', '..', '..', 'static', 'build');
const hasChromium = existsSync(CHROMIUM);

/** `describe` when Chromium is there (or in CI, where its absence must fail), else `describe.skip` with a loud warning. */
export function chromiumSuite(): jest.Describe {
  if (!hasChromium && !process.env.CI) {
    const line = '!'.repeat(100);
    console.warn(`${line}\n!! SKIPPING browser e2e tests: ${CHROMIUM} is not installed. In CI (CI set) this suite fails instead.\n${line}`);
  }
  return hasChromium || process.env.CI ? describe : describe.skip;
}

export interface Chromium {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  if (!hasChromium) throw new Error(`${CHROMIUM} is required for the e2e suite in CI`);
  if (!existsSync(join(STATIC_DIR, 'index.html'))) throw new Error('static/build is missing: run `npm run build:ui` first (npm run test:e2e does)');
  const profile = await mkdtemp(join(tmpdir(), 'rg-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

/** axe-core's violations in a frame, one line each (evaluated through DevTools, which the frame's CSP does not restrict). */
export async function axe(frame: Frame): Promise<string[]> {
  if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const result = await frame.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<AxeResult> } };
    return w.axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * The host keeps the acting user, language and theme in cookies (`rg_user`, `rg_lang`, `rg_theme`): set them
 * directly, as the top bar would, so a test can open any page as anyone without a reload dance.
 */
export async function setSession(context: BrowserContext, hostUrl: string, s: { accountId?: string; lang?: 'en-US' | 'zh-CN'; theme?: 'light' | 'dark' }): Promise<void> {
  const cookies = [
    ...(s.accountId ? [{ name: 'rg_user', value: s.accountId }] : []),
    ...(s.lang ? [{ name: 'rg_lang', value: s.lang }] : []),
    ...(s.theme ? [{ name: 'rg_theme', value: s.theme }] : []),
  ];
  await context.addCookies(cookies.map((c) => ({ ...c, url: hostUrl })));
}

/** The frame of an app module on the current page (for axe and frame-level checks). */
export async function moduleFrame(page: Page, moduleKey: string): Promise<Frame> {
  const handle = await page.waitForSelector(`iframe[data-module-key="${moduleKey}"]`, { state: 'attached' });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error(`no frame of module ${moduleKey} on ${page.url()}`);
  return frame;
}
