import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';

/** Debian's Chromium, driven through playwright-core (no browser download). */
export const CHROMIUM = '/usr/bin/chromium';
export const STATIC_DIR = resolve(__dirname, '..', '..', '..', 'static', 'build');
export const hasChromium = existsSync(CHROMIUM);

/** `describe` when Chromium is there (or in CI, where its absence must fail), else `describe.skip` with a loud warning. */
export function browserSuite(): jest.Describe {
  if (!hasChromium && !process.env.CI) {
    const line = '!'.repeat(100);
    console.warn(`${line}\n!! SKIPPING browser e2e tests: ${CHROMIUM} is not installed. In CI (CI set) this suite fails instead.\n${line}`);
  }
  return hasChromium || process.env.CI ? describe : describe.skip;
}

export function assertBuilt(): void {
  if (!hasChromium) throw new Error(`${CHROMIUM} is required for the e2e suite in CI`);
  if (!existsSync(join(STATIC_DIR, 'index.html'))) throw new Error('static/build is missing: run `npm run build:ui` first (npm run test:e2e does)');
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh profile per run (playwright passes it to Chromium as --user-data-dir). */
export async function launchBrowser(): Promise<Browser> {
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

const axeSource = () => readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Lets a frame settle before it is judged: no transitions or animations left running (a colour caught
 * half-way through a theme switch is not the colour the user reads), then two animation frames.
 */
async function settle(frame: Frame): Promise<void> {
  await frame.evaluate(async () => {
    const style = document.createElement('style');
    style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
    document.head.appendChild(style);
    const deadline = Date.now() + 2000;
    while (document.getAnimations().some((a) => a.playState === 'running') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    style.remove();
  });
}

/** axe-core's violations in a frame, one line each (empty when there are none). */
export async function axeViolations(frame: Frame): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the frame's Content-Security-Policy does not restrict.
  if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(axeSource());
  await settle(frame);
  const result = await frame.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<AxeResult> } };
    return w.axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
