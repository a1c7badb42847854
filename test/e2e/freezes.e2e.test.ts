import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations, browserSuite } from './support/browser';
import { HostUi, MODULE, wallTime } from './support/host-ui';
import { useHostSession } from './support/host-session';
import { PEOPLE, type E2eWorld } from './support/jira-world';
import { TRANSITION_IDS } from '../../src/workflow/rules';
import en from '../../locales/en-US.json';

/**
 * A change freeze as people meet it, in Chromium: the process owner adds a hard freeze on the release
 * calendar (it shows there, with the release and its status); the implementer finds Start implementation
 * refused with the freeze named; the release manager records a freeze exception; the implementer starts.
 */
const HOUR = 3_600_000;
const SHOTS = join(__dirname, '..', '..', '.data', 'e2e-shots');

browserSuite()('change freezes on the calendar and in the panel (Chromium)', () => {
  let world: E2eWorld;
  let ui: HostUi;
  let page: Page;
  let key = '';

  useHostSession(async (s) => {
    ({ world, ui, page } = s);
    mkdirSync(SHOTS, { recursive: true });
    key = await world.submit('requester', world.changeRequests[0]!.key, 'Release: gateway TLS 1.3');
    await world.driveToReady(key);
    await world.settle();
  });

  const workbench = () => ui.frame('release-workbench');

  it('the process owner adds a hard freeze on the calendar; it shows with the release, its summary and status', async () => {
    await page.goto(`${world.host.url}/projects/RG/apps/release-workbench/calendar`);
    await ui.actAs('owner');
    const wb = workbench();
    const form = wb.getByTestId('rg-freeze-form');
    await form.waitFor();
    await form.getByLabel('Reason (shown to everyone who is refused)').fill('Quarter-end close');
    await form.getByLabel('Kind').selectOption('HARD');
    await form.getByLabel('Repeats').selectOption('ONCE');
    const now = Date.now();
    await form.getByLabel('Starts (UTC)').fill(wallTime(now - HOUR));
    await form.getByLabel('Ends (UTC)').fill(wallTime(now + 3 * HOUR));
    // This release is an EMERGENCY: the freeze must cover emergencies too.
    await form.getByLabel('Emergency').check();
    await form.getByRole('button', { name: 'Add freeze' }).click();
    await page.locator('#host-flags .flag-success', { hasText: 'Change freeze added' }).waitFor();
    const calendar = wb.getByTestId('rg-calendar');
    await calendar.getByTestId('rg-calendar-freeze').filter({ hasText: 'Hard freeze: Quarter-end close' }).first().waitFor();
    const entry = calendar.getByTestId('rg-calendar-entry').filter({ hasText: key }).first();
    await entry.waitFor();
    expect(await entry.textContent()).toContain('Release: gateway TLS 1.3');
    expect(await entry.textContent()).toContain('Ready');
    // Its window overlaps the freeze: a conflict, marked and listed.
    expect(await entry.getAttribute('data-conflict')).toBe('true');
    await wb.getByTestId('rg-calendar-conflicts').getByText('The window overlaps the hard freeze “Quarter-end close”').waitFor();
    await wb.getByTestId('rg-freeze-list').getByText('Quarter-end close').waitFor();
    await page.screenshot({ path: join(SHOTS, 'calendar-freeze.png'), fullPage: true });
    expect(await axeViolations(await ui.frameOf('release-workbench'))).toEqual([]);
  });

  it('the filter by status hides the release when another status is chosen', async () => {
    const wb = workbench();
    await wb.getByTestId('rg-calendar-filter').selectOption('CLOSED');
    await wb.getByTestId('rg-calendar-entry').filter({ hasText: key }).waitFor({ state: 'detached' });
    await wb.getByTestId('rg-calendar-filter').selectOption('READY');
    await wb.getByTestId('rg-calendar-entry').filter({ hasText: key }).first().waitFor();
  });

  it('the implementer finds Start implementation refused, with the freeze named', async () => {
    await ui.openIssue(key);
    await ui.actAs('implementer');
    await ui.panelStatus('Ready');
    await ui.panel.getByTestId('rg-freezes-in-force').getByText(/Hard change freeze in force: “Quarter-end close”/).waitFor();
    const start = ui.button('Start implementation');
    expect(await start.isDisabled()).toBe(true);
    await ui.panel.getByTestId('rg-action-item-startImplementation').getByText(/hard change freeze is in force/).waitFor();
    await ui.panel.locator('[data-code="GATE_HARD_FREEZE"][data-met="false"]').waitFor();
    await page.screenshot({ path: join(SHOTS, 'panel-freeze-refused.png'), fullPage: true });
    // The server refuses it too, whatever the UI shows, and names the freeze.
    const r = await world.release(key);
    const answer = (await ui.invokeFromFrame(MODULE.panel, 'release/startImplementation', { releaseId: r.id, expectedVersion: r.version })) as { ok: boolean; error?: { code: string; message: string } };
    expect(answer).toMatchObject({ ok: false, error: { code: 'GATE_HARD_FREEZE' } });
    expect(answer.error?.message).toContain('Quarter-end close');
    // And so does Jira's own transition (the app's workflow validator asks the same rule).
    const jira = await world.jira.handle({
      method: 'POST',
      path: `/rest/api/3/issue/${key}/transitions`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transition: { id: TRANSITION_IDS.startImplementation } }),
      actor: { kind: 'user', accountId: PEOPLE.implementer.accountId },
    });
    expect(jira.status).toBe(400);
    expect(JSON.stringify(jira.body)).toContain(en.reason.GATE_HARD_FREEZE);
    expect((await world.release(key)).status).toBe('READY');
  });

  it('the release manager records a freeze exception; the implementer then starts implementation', async () => {
    await ui.actAs('manager');
    await ui.act('Record freeze exception', (form) => form.getByLabel('Reason').fill('Certificate expires on the 1st: must ship inside the freeze'));
    await ui.panel.getByTestId('rg-overview-details').getByText(/Certificate expires on the 1st/).waitFor();
    await ui.actAs('implementer');
    await ui.panel.locator('[data-code="GATE_HARD_FREEZE"][data-met="true"]').waitFor();
    await ui.act('Start implementation');
    await ui.panelStatus('Implementing');
    expect((await world.release(key)).status).toBe('IMPLEMENTING');
    await page.screenshot({ path: join(SHOTS, 'panel-freeze-exception.png'), fullPage: true });
  });

  it('the release manager creates a pipeline token on the admin page (shown once), which the gate accepts until revoked', async () => {
    await page.goto(`${world.host.url}/admin/apps/release-admin`);
    await ui.actAs('manager');
    const admin = ui.frame('release-admin');
    await admin.getByLabel('Project', { exact: true }).selectOption(world.project.id);
    await admin.getByRole('heading', { name: 'Deployment pipelines', level: 2 }).waitFor();
    await admin.getByLabel('Pipeline name').fill('GitHub Actions: gateway');
    await admin.getByRole('button', { name: 'Create token' }).click();
    const secret = (await admin.getByTestId('rg-pipeline-secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^rgp_/);
    await admin.getByTestId('rg-pipeline-tokens').getByText('GitHub Actions: gateway').waitFor();
    await page.screenshot({ path: join(SHOTS, 'admin-pipeline-token.png'), fullPage: true });
    expect(await axeViolations(await ui.frameOf('release-admin'))).toEqual([]);
    const ask = async () =>
      world.platform.invokeWebTrigger('deployment-gate', {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}` },
        body: JSON.stringify({ event: 'check', release: key, environment: 'production' }),
      });
    expect((await ask()).statusCode).toBe(200);
    // Shown once: after "I have copied it" the secret is gone from the page.
    await admin.getByRole('button', { name: 'I have copied it' }).click();
    expect(await admin.getByTestId('rg-pipeline-secret-value').count()).toBe(0);
    await admin.getByRole('button', { name: 'Revoke' }).click();
    await page.locator('#host-flags .flag-success', { hasText: 'Token of “GitHub Actions: gateway” revoked' }).waitFor();
    await admin.getByTestId('rg-pipeline-tokens').getByText(/^Revoked /).waitFor();
    const after = await ask();
    expect(after.statusCode).toBe(401);
    expect(JSON.parse(after.body)).toMatchObject({ error: { code: 'TOKEN_REVOKED' } });
  });
});
