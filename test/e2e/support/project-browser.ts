import type { BrowserContext, Frame, Page } from 'playwright-core';
import { startHost, type HostOptions, type RunningHost } from '../../../sandbox/host';
import type { DemoPlatform } from '../../../sandbox/seed/demo';
import { ALL_PEOPLE } from '../../../sandbox/seed/people';
import { assertBuilt, axeViolations, browserSuite, launchBrowser, STATIC_DIR, type Browser } from './browser';

export { STATIC_DIR };

/** The project-module suite uses the shared launcher (Debian's Chromium, a fresh profile per run) and axe. */
export const chromiumSuite = browserSuite;
export type Chromium = Browser;

export async function launchChromium(): Promise<Chromium> {
  assertBuilt();
  return launchBrowser();
}

export const axe = (frame: Frame): Promise<string[]> => axeViolations(frame);

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

/** The local host serving a seeded demo platform to the demo's people (extra options: gadgets, defaults). */
export function startDemoHost(demo: DemoPlatform, extra: Partial<Omit<HostOptions, 'platform'>> = {}): Promise<RunningHost> {
  return startHost({
    platform: demo.platform,
    port: 0,
    host: '127.0.0.1',
    staticDir: STATIC_DIR,
    users: ALL_PEOPLE.map((u) => ({ accountId: u.accountId, displayName: u.displayName, timeZone: u.timeZone, locale: u.locale, accountType: 'atlassian', active: true })),
    ...extra,
  });
}
