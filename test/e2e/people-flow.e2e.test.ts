import type { FrameLocator, Page } from 'playwright-core';
import { startHost, type RunningHost } from '../../sandbox/host';
import { axeViolations, browserSuite, STATIC_DIR, type Browser } from './support/browser';
import { HostUi, MODULE } from './support/host-ui';
import { useHostSession } from './support/host-session';
import { PEOPLE, type E2eWorld, type Persona } from './support/jira-world';

/**
 * People and flow as users expect them, in Chromium, in English and 中文, axe-clean: the people picker searches
 * the right pool by name (with avatars), refuses nobody silently and offers no one who cannot take part; the raise
 * action shows a change request's release and asks a reason for another; every role has a queue; results start
 * unchosen; irreversible actions are confirmed; the checklist claims nothing before its evidence; participant
 * evaluations are visible to the manager and the person; withdrawn training is not overdue; improvement actions
 * have an owner, a source release and dates read in the user's time zone.
 */
const DAY = 86_400_000;

browserSuite()('people and flow (Chromium)', () => {
  let world: E2eWorld;
  let browser: Browser;
  let ui: HostUi;
  let page: Page;
  let submitted = '';
  let implementing = '';
  const axeFound: string[] = [];

  useHostSession(async (s) => {
    ({ world, browser, ui, page } = s);
    // A Jira user who cannot browse the project: never offered by a picker.
    world.jira.addUser({ accountId: 'acc-nora', displayName: 'Nora Nobrowse', timeZone: 'UTC' });
    submitted = await world.submit('requester', world.changeRequests[0]!.key, 'Release: billing service 2.0');
    implementing = await world.submit('requester', world.changeRequests[1]!.key, 'Release: payment gateway TLS profile');
    await world.driveToImplementing(implementing);
  });

  async function axe(what: string, module: string): Promise<void> {
    // The pointer rests outside the frame: a hover colour is not what a reader sees.
    await page.mouse.move(0, 0);
    for (const v of await axeViolations(await ui.frameOf(module))) axeFound.push(`${what}: ${v}`);
  }

  const workbench = (): FrameLocator => page.frameLocator('iframe[data-module-key="release-workbench"]').first();
  async function openWorkbench(who: Persona, lang: 'en' | '中文' = 'en'): Promise<FrameLocator> {
    await page.goto(`${world.host.url}/projects/RG/apps/release-workbench`);
    await ui.actAs(who);
    await ui.language(lang);
    const wb = workbench();
    await wb.getByTestId('rg-workbench-nav').waitFor();
    return wb;
  }

  it('offers the lead pool by name, with avatars, and nobody outside it', async () => {
    await ui.openIssue(submitted);
    await ui.actAs('manager');
    await ui.language('en');
    await ui.button('Assign release lead').click();
    const form = ui.panel.getByRole('form', { name: 'Assign release lead', exact: true });
    const input = form.getByRole('combobox', { name: 'Release lead' });
    await input.click();
    // The lead pool holds Li Lead only: the implementer is not offered even when typed.
    await ui.panel.getByTestId('rg-person-option').filter({ hasText: PEOPLE.lead.displayName }).waitFor();
    await input.fill('Ivan');
    await ui.panel.getByText('No one matching “Ivan” can take this part').waitFor();
    await input.fill('Li');
    const option = ui.panel.getByTestId('rg-person-option').filter({ hasText: PEOPLE.lead.displayName });
    await option.waitFor();
    // An avatar beside the name (Jira's picture, or the initials when it cannot load).
    await expect(option.locator('img, span[aria-hidden="true"]').count()).resolves.toBeGreaterThan(0);
    await axe('lead picker open', MODULE.panel);
    await option.click();
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await ui.panel.getByTestId('rg-panel-notice').getByText('Assign release lead: done').waitFor();
    await ui.panel.getByTestId('rg-overview-details').getByText(PEOPLE.lead.displayName, { exact: true }).waitFor();
  });

  it('searches everyone who can browse for a test expert, never someone who cannot (中文)', async () => {
    const planning = await world.submit('requester', world.changeRequests[2]!.key, 'Release: reporting warehouse move');
    const now = Date.now();
    await world.act('manager', planning, 'release/classify', { classification: 'MINOR' });
    await world.act('manager', planning, 'release/assessRisk', { riskLevel: 'LOW', riskAnalysis: 'Read-only reports' });
    await world.act('manager', planning, 'release/setWindow', { windowStart: now + DAY, windowEnd: now + 2 * DAY });
    await world.act('manager', planning, 'release/assignLead', { leadAccountId: PEOPLE.lead.accountId });
    await world.act('manager', planning, 'release/approve');
    await ui.openIssue(planning);
    await ui.actAs('manager');
    await ui.language('中文');
    await ui.tab('发布小组');
    await ui.button('调整发布小组').click();
    const form = ui.panel.getByRole('form', { name: '调整发布小组', exact: true });
    await form.getByLabel('小组角色').selectOption('TEST_EXPERT');
    const input = form.getByRole('combobox', { name: '人员' });
    await input.click();
    await input.fill('Nora');
    await ui.panel.getByText('没有与“Nora”匹配且可担任此职责的人员').waitFor();
    await input.fill('Oscar');
    await ui.panel.getByTestId('rg-person-option').filter({ hasText: PEOPLE.observer.displayName }).click();
    await axe('team picker (中文)', MODULE.panel);
    await form.getByRole('button', { name: '保存', exact: true }).click();
    await ui.panel.getByTestId('rg-panel-notice').getByText(/已完成/).waitFor();
    await ui.panel.getByTestId('rg-team-members').getByText(PEOPLE.observer.displayName, { exact: true }).waitFor();
    await ui.language('en');
  });

  it('shows a change request its release, and raises another only with a reason', async () => {
    const change = world.changeRequests[0]!;
    await ui.openIssue(change.key);
    await ui.actAs('requester');
    await page.getByRole('button', { name: 'Raise a release request', exact: true }).click();
    const dialog = ui.frame(MODULE.raise);
    const existing = dialog.getByTestId('rg-raise-existing');
    await existing.waitFor();
    await existing.getByText(submitted, { exact: true }).waitFor();
    await existing.getByRole('button', { name: `Open ${submitted}` }).waitFor();
    await axe('raise: the change has a release', MODULE.raise);
    await dialog.getByTestId('rg-raise-another').click();
    await dialog.getByRole('button', { name: 'Raise release request', exact: true }).click();
    await dialog.getByText('Say why a second release request is needed.').waitFor();
    await axe('raise another: reason missing', MODULE.raise);
    await dialog.getByLabel('Why another release request?').fill('The first one bundles the wrong invoice layout');
    await dialog.getByRole('button', { name: 'Raise release request', exact: true }).click();
    await dialog.getByTestId('rg-raised').waitFor();
    await page.keyboard.press('Escape');
  });

  it('does not offer the raise action on a release request (中文): its display condition holds in the host as in Jira', async () => {
    await ui.openIssue(submitted);
    await ui.language('中文');
    try {
      await ui.panel.getByRole('tab').first().waitFor();
      expect(await page.getByRole('button', { name: '提交发布请求', exact: true }).count()).toBe(0);
    } finally {
      await ui.language('en');
    }
  });

  it('confirms an irreversible action before taking it; "No" changes nothing', async () => {
    const target = submitted;
    await ui.openIssue(target);
    await ui.actAs('manager');
    await ui.button('Reject').click();
    const form = ui.panel.getByRole('form', { name: 'Reject', exact: true });
    await form.getByLabel('Reason').fill('Duplicate of another request');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    const confirm = ui.panel.getByRole('alertdialog');
    await confirm.getByText(/A rejected request is closed for good/).waitFor();
    await axe('reject confirmation', MODULE.panel);
    const before = await world.release(target);
    await confirm.getByRole('button', { name: 'No, go back' }).click();
    await expect(confirm.count()).resolves.toBe(0);
    expect((await world.release(target)).status).toBe(before.status);
  });

  it('starts result fields unchosen, and never shows "deployment succeeded" before a result exists', async () => {
    await ui.openIssue(implementing);
    await ui.actAs('implementer');
    await ui.tab('Overview');
    const checklist = ui.panel.getByTestId('rg-checklist');
    await checklist.getByText('Deployment result recorded').waitFor();
    await expect(checklist.textContent()).resolves.not.toMatch(/Met\s*Deployment succeeded/);
    await ui.tab('Opinions & tests');
    await ui.button('Record deployment result').click();
    const form = ui.panel.getByRole('form', { name: 'Record deployment result', exact: true });
    await expect(form.getByLabel('Deployment result').inputValue()).resolves.toBe('');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await form.getByText('This field is required.').waitFor();
    await axe('deployment form, result not chosen', MODULE.panel);
    await form.getByRole('button', { name: 'Cancel', exact: true }).click();
  });

  it('gives every role a queue: tests, UAT and cutover, my requests, and an explained empty one', async () => {
    let wb = await openWorkbench('tester');
    await wb.getByRole('button', { name: 'Tests to record' }).click();
    const tests = wb.getByTestId('rg-queue-tests');
    await tests.getByRole('link', { name: implementing }).waitFor();
    await tests.getByText('Release: payment gateway TLS profile').waitFor();
    await tests.getByText(PEOPLE.requester.displayName).waitFor();
    await tests.getByText(/\d+ days?/).first().waitFor();
    await axe('test expert queue', 'release-workbench');

    wb = await openWorkbench('business');
    await wb.getByRole('heading', { name: 'UAT and cutover to confirm', level: 2 }).waitFor();
    await wb.getByTestId('rg-queue-acceptance').getByRole('link', { name: implementing }).waitFor();
    await wb.getByTestId('rg-queue-acceptance').getByText('Business cutover').waitFor();

    wb = await openWorkbench('requester');
    await wb.getByRole('button', { name: 'My requests' }).click();
    await wb.getByTestId('rg-queue-requests').getByRole('link', { name: submitted }).waitFor();

    // Someone with no role and on no team (the observer joined a team above).
    wb = await openWorkbench('admin', '中文');
    try {
      await wb.getByRole('heading', { name: '我参与的发布', level: 2 }).waitFor();
      await wb.getByText(/你不在任何未关闭发布的小组中/).waitFor();
      await axe('empty queue (中文)', 'release-workbench');
    } finally {
      await ui.language('en');
    }
  });

  it('shows participant evaluations to the manager and to the person evaluated, and to nobody else', async () => {
    const id = (await world.release(implementing)).id;
    const res = await world.onRelease('manager', implementing, 'evaluation/record', { releaseId: id, accountId: PEOPLE.tester.accountId, role: 'TEST_EXPERT', rating: 4, note: 'Thorough integration tests' });
    expect(res.ok).toBe(true);
    await ui.openIssue(implementing);
    await ui.actAs('manager');
    await ui.language('en');
    await ui.tab('Team');
    await ui.panel.getByTestId('rg-evaluations-table').getByText('Thorough integration tests').waitFor();
    await axe('evaluations in the panel (manager)', MODULE.panel);
    await ui.actAs('tester');
    await ui.tab('Team');
    await ui.panel.getByTestId('rg-evaluations-table').getByText('Thorough integration tests').waitFor();
    await ui.actAs('implementer');
    await ui.tab('Team');
    await ui.panel.getByTestId('rg-evaluations').getByText('You have not been evaluated on this release.').waitFor();

    const wb = await openWorkbench('tester', '中文');
    await wb.getByRole('button', { name: '人员评价' }).click();
    await wb.getByTestId('rg-evaluations').getByText('Thorough integration tests').waitFor();
    await axe('evaluations page (中文)', 'release-workbench');
  });

  it('lists the training of a cancelled release as withdrawn, never overdue', async () => {
    const change = world.jira.addIssue({ project: 'RG', issueType: 'Bug', summary: 'Change: retire the old export', reporterAccountId: PEOPLE.requester.accountId });
    const key = await world.submit('requester', change.key, 'Release: cancelled one');
    await world.act('manager', key, 'release/classify', { classification: 'MINOR' });
    const now = Date.now();
    await world.act('manager', key, 'release/assessRisk', { riskLevel: 'LOW', riskAnalysis: 'none' });
    await world.act('manager', key, 'release/setWindow', { windowStart: now + DAY, windowEnd: now + 2 * DAY });
    await world.act('manager', key, 'release/assignLead', { leadAccountId: PEOPLE.lead.accountId });
    await world.act('manager', key, 'release/approve');
    await world.act('manager', key, 'team/change', { op: 'ADD', accountId: PEOPLE.trainer.accountId, teamRole: 'TRAINING_LEAD' });
    await world.act('trainer', key, 'training/manage', { op: 'CREATE', audience: 'END_USER', trainerAccountId: PEOPLE.trainer.accountId, dueAt: now - 2 * DAY });
    await world.act('manager', key, 'release/cancel', { reason: 'The change was withdrawn' });
    const wb = await openWorkbench('trainer');
    await wb.getByRole('button', { name: 'Training' }).click();
    const table = wb.getByTestId('rg-training');
    await table.getByRole('link', { name: key }).waitFor();
    await expect(table.locator('tr').filter({ hasText: key }).textContent()).resolves.toContain('Withdrawn (release: Cancelled)');
    await wb.getByLabel('Only overdue tasks').check();
    await wb.getByTestId('rg-training').getByRole('link', { name: key }).waitFor({ state: 'detached' });
    await wb.getByTestId('rg-loading').waitFor({ state: 'detached' });
    await expect(wb.getByTestId('rg-training').getByRole('link', { name: key }).count()).resolves.toBe(0);
  });

  it('keeps an improvement action’s owner, source release and due date in the user’s time zone (Asia/Shanghai)', async () => {
    // A host whose process owner works in Shanghai (the host takes each user's time zone from their profile).
    const users = Object.values(PEOPLE).map((p) => ({ ...p, timeZone: p.accountId === PEOPLE.owner.accountId ? 'Asia/Shanghai' : 'UTC', accountType: 'atlassian', active: true }));
    const shanghai: RunningHost = await startHost({ platform: world.platform, port: 0, host: '127.0.0.1', staticDir: STATIC_DIR, users });
    try {
      await browser.context.addCookies([{ name: 'rg_user', value: PEOPLE.owner.accountId, url: shanghai.url }, { name: 'rg_lang', value: 'en-US', url: shanghai.url }]);
      await page.goto(`${shanghai.url}/projects/RG/apps/release-workbench`);
      const wb = workbench();
      await wb.getByRole('button', { name: 'Process improvement' }).click();
      const form = wb.getByTestId('rg-improvement-form');
      await form.getByLabel('Title').fill('Shorter review turnaround');
      await form.getByLabel('Source release (optional)').selectOption({ label: `${implementing} · Release: payment gateway TLS profile` });
      await ui.pickPersonIn(wb, form, 'Owner', PEOPLE.manager.displayName, 'Max');
      await form.getByLabel(/Due date/).fill('2026-12-15');
      await form.getByRole('button', { name: 'Add action' }).click();
      const row = wb.getByTestId('rg-improvements').locator('tr').filter({ hasText: 'Shorter review turnaround' });
      await row.waitFor();
      const text = (await row.textContent()) ?? '';
      expect(text).toContain('Dec 15, 2026');
      expect(text).toContain(implementing);
      expect(text).toContain(PEOPLE.manager.displayName);
      await page.mouse.move(0, 0);
      for (const v of await axeViolations(await ui.frameOf('release-workbench'))) axeFound.push(`improvement page (Shanghai): ${v}`);
    } finally {
      await shanghai.close();
    }
  });

  it('has no axe violations on any screen visited above', () => {
    expect(axeFound).toEqual([]);
  });
});
