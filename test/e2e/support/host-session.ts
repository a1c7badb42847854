import type { Page } from 'playwright-core';
import { assertBuilt, launchBrowser, type Browser } from './browser';
import { HostUi } from './host-ui';
import { startE2eWorld, type E2eWorld } from './jira-world';

/** One Jira world, one Chromium and the host's UI driver: what a browser suite on the issue view works with. */
export interface HostSession {
  world: E2eWorld;
  browser: Browser;
  page: Page;
  ui: HostUi;
}

/**
 * Starts the world and the browser before the suite's tests (then `prepare`, e.g. releases driven to a
 * status) and closes both after them. The session's fields are there once `beforeAll` has run.
 */
export function useHostSession(prepare?: (session: HostSession) => Promise<void>): HostSession {
  const session = {} as HostSession;
  beforeAll(async () => {
    assertBuilt();
    session.world = await startE2eWorld();
    session.browser = await launchBrowser();
    session.page = session.browser.page;
    session.ui = new HostUi(session.page, session.world);
    await prepare?.(session);
  });
  afterAll(async () => {
    // Either may be missing when the start failed.
    await (session.browser as Browser | undefined)?.close();
    await (session.world as E2eWorld | undefined)?.close();
  });
  return session;
}
