import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { PEOPLE, type E2eWorld, type Persona } from './jira-world';

export const MODULE = { panel: 'release-panel', glance: 'release-glance', raise: 'raise-release' } as const;

/**
 * Jira's issue view in the local host, driven like a user: the acting-user switch in the top bar, the issue
 * panel's tabs and action forms, the glance, the issue action dialog, and the flags Jira shows.
 */
export class HostUi {
  constructor(
    readonly page: Page,
    readonly world: E2eWorld,
  ) {}

  /** Switches the acting user in the host's top bar (the page reloads as them). */
  async actAs(who: Persona): Promise<void> {
    const select = this.page.locator('#host-user');
    if ((await select.inputValue()) === PEOPLE[who].accountId) return;
    await Promise.all([this.page.waitForEvent('load'), select.selectOption(PEOPLE[who].accountId)]);
  }

  async language(lang: 'en' | '中文'): Promise<void> {
    const button = this.page.getByRole('button', { name: lang, exact: true });
    if ((await button.getAttribute('aria-pressed')) === 'true') return;
    await Promise.all([this.page.waitForEvent('load'), button.click()]);
  }

  async theme(theme: 'light' | 'dark'): Promise<void> {
    await this.page.locator('#host-theme').selectOption(theme);
    await this.page.waitForFunction((t) => document.documentElement.dataset.colorMode === t, theme);
    for (const frame of this.page.frames().filter((f) => f.url().startsWith(`${this.world.host.frameUrl}/frame/`))) {
      await frame.waitForFunction((t) => document.documentElement.dataset.colorMode === t, theme);
    }
  }

  async openIssue(key: string): Promise<void> {
    await this.page.goto(`${this.world.host.url}/browse/${encodeURIComponent(key)}`);
  }

  frame(module: string): FrameLocator {
    return this.page.frameLocator(`iframe[data-module-key="${module}"]`).first();
  }

  get panel(): FrameLocator {
    return this.frame(MODULE.panel);
  }

  /** The frame object of a module (for axe and direct bridge calls). */
  async frameOf(module: string): Promise<Frame> {
    const handle = await this.page.waitForSelector(`iframe[data-module-key="${module}"]`, { state: 'attached' });
    const frame = await handle.contentFrame();
    if (!frame) throw new Error(`no frame for ${module}`);
    return frame;
  }

  /** Waits until the panel shows a release in `status` (its lozenge, in the user's language). */
  async panelStatus(status: string): Promise<void> {
    await this.panel.getByTestId('rg-panel-status').getByText(status, { exact: true }).waitFor();
  }

  async tab(name: string): Promise<void> {
    const tab = this.panel.getByRole('tab', { name, exact: true });
    await tab.click();
    await this.panel.locator('[role="tab"][aria-selected="true"]', { hasText: name }).waitFor();
  }

  button(name: string): Locator {
    return this.panel.getByRole('button', { name, exact: true });
  }

  /**
   * Takes an action from the panel: its button, then (when it has one) its form filled by `fill` and saved,
   * then its confirmation when it asks for one (irreversible actions); waits for the panel's own "done" notice
   * (said in the panel, where no flag covers the buttons) and the panel's reload.
   */
  async act(name: string, fill?: (form: Locator) => Promise<unknown>, opts: { save?: string; done?: string } = {}): Promise<void> {
    const done = opts.done ?? `${name}: done`;
    const notice = this.panel.getByTestId('rg-panel-notice');
    // A notice from an earlier action is dismissed, so the wait below sees this one.
    const dismiss = notice.getByRole('button');
    if (await dismiss.count()) await dismiss.click();
    await this.button(name).click();
    if (fill) {
      const form = this.panel.getByRole('form', { name, exact: true });
      await fill(form);
      await form.getByRole('button', { name: opts.save ?? 'Save', exact: true }).click();
    }
    const confirm = this.panel.getByRole('alertdialog');
    const outcome = await Promise.race([
      notice.getByText(done).waitFor().then(() => 'done' as const),
      confirm.waitFor().then(() => 'confirm' as const),
    ]);
    if (outcome === 'confirm') {
      await confirm.getByRole('button').first().click();
      await notice.getByText(done).waitFor();
    }
    await this.panel.getByText(/Updating…|正在更新…/).waitFor({ state: 'detached' });
  }

  /** Chooses a person in a people picker of `scope` (labelled `label`): types `query`, picks the option named `name`. */
  async pickPerson(scope: Locator, label: string, name: string, query = name.split(' ')[0] ?? name): Promise<void> {
    await this.pickPersonIn(this.panel, scope, label, name, query);
  }

  /** The same in another module's frame (the picker's menu opens in that frame's body). */
  async pickPersonIn(frame: FrameLocator, scope: Locator, label: string, name: string, query = name.split(' ')[0] ?? name): Promise<void> {
    const input = scope.getByRole('combobox', { name: label });
    await input.click();
    await input.fill(query);
    await frame.getByTestId('rg-person-option').filter({ hasText: name }).first().click();
  }

  /** Every action button in the panel that is enabled (testIds `rg-action-*`). */
  async enabledActions(): Promise<string[]> {
    const buttons = this.panel.locator('[data-testid^="rg-action-"]:not([data-testid^="rg-action-item-"])');
    const out: string[] = [];
    for (const b of await buttons.all()) {
      if (await b.isEnabled()) out.push((await b.getAttribute('data-testid')) ?? '?');
    }
    return out;
  }

  /** Calls a resolver directly through the frame's bridge, as a script in the frame could. */
  async invokeFromFrame(module: string, functionKey: string, payload: Record<string, unknown>): Promise<unknown> {
    const frame = await this.frameOf(module);
    return frame.evaluate(
      ({ key, body }) => (globalThis as unknown as { __bridge: { callBridge(name: string, args: unknown): Promise<unknown> } }).__bridge.callBridge('invoke', { functionKey: key, payload: body }),
      { key: functionKey, body: payload },
    );
  }
}

/** `2026-11-28T09:30` in UTC (the people of the e2e world work in UTC), for `datetime-local` inputs. */
export function wallTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}
