import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { webTriggerPath } from '../../sandbox';
import { axeViolations, browserSuite } from './support/browser';
import { HostUi } from './support/host-ui';
import { useHostSession } from './support/host-session';
import { PEOPLE, type E2eWorld } from './support/jira-world';

/**
 * The policy "a pipeline's success marks the release deployed", as people meet it in Chromium: the process
 * owner turns it on in the admin page's Policy section (production); a pipeline reports `finished: success`
 * over HTTP to the local web trigger; the release lead finds the release Verifying in the panel, Jira's
 * status with it, and the History naming the pipeline — in English and in 中文.
 */
const SHOTS = join(__dirname, '..', '..', '.data', 'e2e-shots');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

browserSuite()('a pipeline marks a release deployed under the project policy (Chromium)', () => {
  let world: E2eWorld;
  let ui: HostUi;
  let page: Page;
  let key = '';

  useHostSession(async (s) => {
    ({ world, ui, page } = s);
    mkdirSync(SHOTS, { recursive: true });
    key = await world.submit('requester', world.changeRequests[0]!.key, 'Release: gateway TLS 1.3');
    await world.driveToImplementing(key);
    await world.settle();
  });

  const admin = () => ui.frame('release-admin');

  it('the process owner turns the policy on for production in the Policy section; it is saved and audited', async () => {
    await page.goto(`${world.host.url}/admin/apps/release-admin`);
    await ui.actAs('owner');
    await admin().getByLabel('Project', { exact: true }).selectOption(world.project.id);
    const env = admin().getByLabel('Environment that counts');
    await env.waitFor();
    // Off by default: the environment field waits for the switch.
    expect(await env.isDisabled()).toBe(true);
    await admin().getByLabel("A pipeline's successful finish marks the release deployed (implementing → verifying)").check();
    expect(await env.isDisabled()).toBe(false);
    expect(await env.inputValue()).toBe('production');
    await admin().getByRole('button', { name: 'Save policy' }).click();
    await page.locator('#host-flags .flag-success', { hasText: 'Policy saved' }).waitFor();
    await admin().getByRole('heading', { name: 'Policy', level: 2 }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'admin-policy-pipeline.en.png'), fullPage: true });
    expect(await axeViolations(await ui.frameOf('release-admin'))).toEqual([]);
    const status = await world.onProject('owner', 'admin/getSetupStatus', { projectId: world.project.id });
    expect(status.ok && (status.data.setup as { policy: { pipelineDeployEnvironment: string | null } }).policy.pipelineDeployEnvironment).toBe('production');
  });

  it('the same section in 中文', async () => {
    await ui.language('中文');
    await admin().locator('select').first().selectOption(world.project.id);
    await admin().getByLabel('流水线成功完成即将发布标记为已部署（实施中 → 验证中）').waitFor();
    expect(await admin().getByLabel('流水线成功完成即将发布标记为已部署（实施中 → 验证中）').isChecked()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'admin-policy-pipeline.zh.png'), fullPage: true });
    await ui.language('en');
  });

  it('a pipeline reports finished: success for production over HTTP; the panel shows the release Verifying and its History names the pipeline', async () => {
    const made = await world.platform.invokeResolver<{ ok: true; data: { secret: string } } | { ok: false }>({
      moduleKey: 'release-admin',
      functionKey: 'pipeline/createToken',
      payload: { projectId: world.project.id, name: 'GitHub Actions: gateway' },
      accountId: PEOPLE.manager.accountId,
    });
    if (!made.value.ok) throw new Error('no pipeline token');
    // Before: the implementer sees the release Implementing, and that a production success will mark it deployed.
    await ui.openIssue(key);
    await ui.actAs('implementer');
    await ui.panelStatus('Implementing');
    await ui.panel.getByTestId('rg-pipeline-deploys').getByText(/A successful pipeline run in “production” marks this release deployed/).waitFor();
    await page.screenshot({ path: join(SHOTS, 'panel-pipeline-policy.en.png'), fullPage: true });
    const url = `${world.host.url}${webTriggerPath(world.platform.webTriggerId('deployment-gate'))}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${made.value.data.secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        event: 'finished',
        release: key,
        environment: 'production',
        idempotencyKey: 'gh-run-8812-finished',
        result: 'success',
        version: '1.3.0',
        runUrl: 'https://github.com/acme/gateway/actions/runs/8812',
      }),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ recorded: true, deployed: true });
    await world.settle();
    expect((await world.release(key)).status).toBe('VERIFYING');

    await ui.openIssue(key);
    await ui.actAs('lead');
    await ui.panelStatus('Verifying');
    expect(await ui.panel.getByTestId('rg-pipeline-deploys').count()).toBe(0);
    // Jira's own status followed (the issue header), made by the app.
    await page.getByText('Release Verifying', { exact: false }).first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'panel-pipeline-deployed.en.png'), fullPage: true });
    await ui.tab('History');
    const table = ui.panel.getByTestId('rg-history-table');
    const row = table.locator('tbody tr', { hasText: 'Marked deployed' }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('pipeline GitHub Actions: gateway');
    expect(await row.textContent()).toContain('Implementing → Verifying');
    const result = table.locator('tbody tr', { hasText: 'Deployment result reported by a pipeline' }).first();
    expect(await result.textContent()).toContain('pipeline GitHub Actions: gateway');
    // The result it recorded names a pipeline, not "a person whose name could not be read".
    expect(await result.textContent()).toContain('Recorded by: a deployment pipeline');
    expect(await result.textContent()).not.toContain('a person whose name could not be read');
    // Newest first: the transition after the result it was made on (one commit, in chain order).
    const actions = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(actions.slice(0, 2)).toEqual(['Marked deployed', 'Deployment result reported by a pipeline']);
    const text = (await table.textContent()) ?? '';
    expect(UUID.exec(text)).toBeNull();
    expect(text).not.toContain('pipeline:');
    expect(text).not.toContain('gh-run-8812-finished');
    await page.screenshot({ path: join(SHOTS, 'history-pipeline-deployed.en.png'), fullPage: true });
    expect(await axeViolations(await ui.frameOf('release-panel'))).toEqual([]);
  });

  it('the same panel and History in 中文', async () => {
    await ui.language('中文');
    await ui.panelStatus('验证中');
    await ui.tab('历史');
    const row = ui.panel.getByTestId('rg-history-table').locator('tbody tr', { hasText: '已标记为已部署' }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('流水线 GitHub Actions: gateway');
    await page.screenshot({ path: join(SHOTS, 'history-pipeline-deployed.zh.png'), fullPage: true });
    await ui.language('en');
  });
});
