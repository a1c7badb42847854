import { createHash } from 'node:crypto';
import type { FrameLocator, Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../sandbox/cli/demo';
import { jiraEmulatorOf } from '../../sandbox/jira';
import { PEOPLE, type PersonKey } from '../../sandbox/seed/people';
import { CMDB_TASK_PROPERTY } from '../../src/contracts/jira-properties';
import { getRow, releaseRef } from '../../src/storage/records';
import { assertBuilt, axeViolations, browserSuite, launchBrowser, STATIC_DIR, type Browser } from './support/browser';
import { setSession } from './support/project-browser';
import { tr, type Lang } from './support/locale-text';

/**
 * The Definitive Software Library as its keeper uses it (issue 13), in Chromium on the seeded demo, in
 * English and in 中文: releases typed and shown by issue key (a wrong key refused by name), buttons disabled
 * with the reason for the wrong role, audits that show each field recorded against found, consistency
 * findings that name their release, "supersedes" applied, replacement candidates whatever the list shows,
 * the CSV check's wording and Import only after a clean check, and the panel's link to the CMDB-update task.
 */
const suite = browserSuite();

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

suite('the DSL as its keeper uses it (Chromium)', () => {
  let demo: RunningDemo;
  let browser: Browser;
  let page: Page;
  let project: string;

  beforeAll(async () => {
    assertBuilt();
    demo = await startDemo({ dbPath: ':memory:', port: 0, months: 2, staticDir: STATIC_DIR });
    project = demo.summary?.project.key ?? 'PAY';
    browser = await launchBrowser();
    page = browser.page;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  const wb = (): FrameLocator => page.frameLocator('iframe[data-module-key="release-workbench"]').first();
  const hint = (fragment: string): string => {
    const h = demo.summary?.hints.find((x) => x.what.includes(fragment));
    if (!h) throw new Error(`no demo release for "${fragment}"`);
    return h.issueKey;
  };

  async function library(who: PersonKey, lang: Lang): Promise<FrameLocator> {
    await setSession(browser.context, demo.url, { accountId: PEOPLE[who].accountId, lang });
    await page.goto(`${demo.url}/projects/${project}/apps/release-workbench/dsl`);
    await wb().getByTestId('rg-page-dsl').waitFor();
    await wb().getByTestId('rg-dsl-items').waitFor();
    return wb();
  }

  /** Searches the list by name (and version) and opens the first match. */
  async function openItem(f: FrameLocator, lang: Lang, name: string, version?: string): Promise<void> {
    await f.locator('#rg-dsl-q-name').fill(name);
    await f.locator('#rg-dsl-q-version').fill(version ?? '');
    await f.getByRole('button', { name: tr(lang, 'ui.dsl.search.apply'), exact: true }).click();
    const row = f.getByTestId('rg-dsl-items').locator('tbody tr', { hasText: version ?? name }).first();
    await row.getByRole('button', { name, exact: true }).click();
    await f.getByTestId('rg-dsl-item').getByRole('heading', { name: version ? `${name} ${version}` : new RegExp(`^${name} `) }).waitFor();
  }

  async function register(f: FrameLocator, lang: Lang, fields: { name: string; version: string; releases?: string; supersedes?: string }): Promise<void> {
    const form = f.getByTestId('rg-dsl-register');
    if ((await form.count()) === 0) await f.getByRole('button', { name: tr(lang, 'ui.dsl.action.register'), exact: true }).first().click();
    await form.locator('#rg-dsl-name').fill(fields.name);
    await form.locator('#rg-dsl-version').fill(fields.version);
    await form.locator('#rg-dsl-sha').fill(sha(`${fields.name} ${fields.version}`));
    await form.locator('#rg-dsl-size').fill('123456');
    await form.locator('#rg-dsl-licence').fill('Proprietary (in-house)');
    await form.locator('#rg-dsl-uri').fill(`https://artifacts.example.com/${fields.name}/${fields.version}.tgz`);
    await form.locator('#rg-dsl-cmdb').fill(`CI-${fields.name.toUpperCase()}`);
    await form.locator('#rg-dsl-releases').fill(fields.releases ?? '');
    if (fields.supersedes) {
      const value = await form.locator('#rg-dsl-supersedes option', { hasText: fields.supersedes }).first().getAttribute('value');
      await form.locator('#rg-dsl-supersedes').selectOption(value ?? '');
    }
    await form.getByTestId('rg-dsl-register-submit').click();
  }

  for (const lang of ['en-US', 'zh-CN'] as const) {
    const tag = lang === 'en-US' ? 'en' : 'zh';

    describe(`in ${lang}`, () => {
      const name = `keeper-${tag}`;

      it('takes release issue keys (refusing one that is not a release, by name) and shows the keys on the item', async () => {
        const buildTest = hint('record the user acceptance test');
        const f = await library('scl', lang);
        await register(f, lang, { name, version: '1.0.0', releases: `${project}-99999` });
        // The refusal names the key, in the language the invocation carries (the local host forwards the
        // UI language to resolvers only once i10's change lands; on Forge it is the user's Jira locale).
        const alert = f.getByRole('alert').filter({ hasText: `“${project}-99999”` });
        await alert.waitFor();
        const said = ((await alert.textContent()) ?? '').trim();
        const expected = [lang, 'en-US' as const].map((l) => tr(l, 'server.dsl.notAReleaseOfProject', { key: `${project}-99999` }));
        expect(expected.some((e) => said.endsWith(e))).toBe(true);
        // Typed in lower case: the key as Jira writes it is sent, and resolved on the server.
        await register(f, lang, { name, version: '1.0.0', releases: buildTest.toLowerCase() });
        const item = f.getByTestId('rg-dsl-item');
        await item.getByRole('heading', { name: `${name} 1.0.0` }).waitFor();
        await item.getByTestId('rg-dsl-item-releases').getByRole('link', { name: buildTest, exact: true }).waitFor();
        await page.screenshot({ path: `/tmp/i13-dsl-keys.${tag}.png`, fullPage: true });
      });

      it('disables Approve for the software control lead and Check in for the release manager, each with the reason', async () => {
        let f = await library('scl', lang);
        await openItem(f, lang, name, '1.0.0');
        const approve = f.getByTestId('rg-dsl-approve');
        expect(await approve.isDisabled()).toBe(true);
        await expect(f.getByTestId('rg-dsl-approve-refusal').textContent()).resolves.toBe(tr(lang, 'reason.NOT_RELEASE_MANAGER'));

        f = await library('manager', lang);
        await openItem(f, lang, name, '1.0.0');
        expect(await f.getByTestId('rg-dsl-approve').isEnabled()).toBe(true);
        await f.getByTestId('rg-dsl-approve').click();
        const checkIn = f.getByTestId('rg-dsl-checkin');
        await checkIn.waitFor();
        expect(await checkIn.isDisabled()).toBe(true);
        await expect(f.getByTestId('rg-dsl-checkin-refusal').textContent()).resolves.toBe(tr(lang, 'reason.NOT_SOFTWARE_CONTROL_LEAD'));
        // The release manager may not audit, register or import either: said, not hidden.
        await expect(f.getByTestId('rg-dsl-audit-submit-refusal').textContent()).resolves.toBe(tr(lang, 'reason.NOT_SOFTWARE_CONTROL_LEAD'));

        f = await library('scl', lang);
        await openItem(f, lang, name, '1.0.0');
        expect(await f.getByTestId('rg-dsl-checkin').isEnabled()).toBe(true);
        await f.getByTestId('rg-dsl-checkin').click();
        await f.getByTestId('rg-dsl-item').getByText(tr(lang, 'ui.dsl.status.IN_LIBRARY'), { exact: true }).first().waitFor();
        await page.screenshot({ path: `/tmp/i13-dsl-buttons.${tag}.png`, fullPage: true });
      });

      it('an audit shows each field recorded against found; the history and the last audit say what differed', async () => {
        const f = await library('scl', lang);
        await openItem(f, lang, name, '1.0.0');
        const audit = f.getByTestId('rg-dsl-audit');
        await audit.locator('#rg-dsl-audit-licence').fill('GPL-3.0');
        await audit.locator('#rg-dsl-audit-version').fill('1.0.0');
        await audit.getByTestId('rg-dsl-audit-submit').click();
        const checks = f.getByTestId('rg-dsl-audit-checks');
        const licence = checks.locator('tbody tr', { hasText: tr(lang, 'ui.dsl.auditField.licence') });
        await licence.getByText('Proprietary (in-house)').waitFor();
        await licence.getByText('GPL-3.0').waitFor();
        await licence.getByText(tr(lang, 'ui.dsl.audit.differs')).waitFor();
        await checks.locator('tbody tr', { hasText: tr(lang, 'ui.dsl.auditField.version') }).getByText(tr(lang, 'ui.dsl.audit.same')).waitFor();
        const said = tr(lang, 'ui.dsl.history.mismatched', { fields: tr(lang, 'ui.dsl.history.difference', { field: tr(lang, 'ui.dsl.auditField.licence'), expected: 'Proprietary (in-house)', actual: 'GPL-3.0' }) });
        await f.getByTestId('rg-dsl-history').getByText(said).first().waitFor();
        await f.getByTestId('rg-dsl-last-audit').getByText(said, { exact: false }).waitFor();
        await page.screenshot({ path: `/tmp/i13-dsl-audit.${tag}.png`, fullPage: true });
        // The item with its actions, refusals, audit answer and history, as a screen reader meets it.
        const frame = await (await page.waitForSelector('iframe[data-module-key="release-workbench"]')).contentFrame();
        expect(frame ? await axeViolations(frame) : ['no frame']).toEqual([]);
      });

      it('consistency findings name their release (key as a link, and its summary) and the item', async () => {
        const f = await library('scl', lang);
        // A registered item on a release before readiness is a finding of that release.
        await register(f, lang, { name: `${name}-pending`, version: '0.1.0', releases: hint('record the user acceptance test') });
        await f.getByTestId('rg-dsl-item').getByRole('heading', { name: `${name}-pending 0.1.0` }).waitFor();
        await f.getByRole('button', { name: tr(lang, 'ui.dsl.consistency.refresh') }).click();
        const finding = f.getByTestId('rg-dsl-finding-RELEASE_ITEM_NOT_IN_LIBRARY').filter({ hasText: `${name}-pending` }).first();
        await finding.getByRole('link', { name: hint('record the user acceptance test'), exact: true }).waitFor();
        const jira = jiraEmulatorOf(demo.demo.platform);
        const summary = jira.getIssue(hint('record the user acceptance test'))?.summary ?? '';
        expect(summary).not.toBe('');
        await finding.getByText(summary).waitFor();
        await finding.getByText(tr(lang, 'ui.dsl.findingItem', { name: `${name}-pending`, version: '0.1.0' })).waitFor();
      });

      it('registering a newer version with "supersedes" supersedes the old one, and replace offers newer versions whatever the list shows', async () => {
        let f = await library('scl', lang);
        await register(f, lang, { name: `${name}-gw`, version: '4.1.0' });
        // Wait for the registration's answer before leaving the page (leaving would abort the invoke).
        await f.getByTestId('rg-dsl-item').getByRole('heading', { name: `${name}-gw 4.1.0` }).waitFor();
        f = await library('manager', lang);
        await openItem(f, lang, `${name}-gw`, '4.1.0');
        await f.getByTestId('rg-dsl-approve').click();
        await f.getByTestId('rg-dsl-checkin').waitFor();
        f = await library('scl', lang);
        await openItem(f, lang, `${name}-gw`, '4.1.0');
        await f.getByTestId('rg-dsl-checkin').click();
        await f.getByTestId('rg-dsl-item').getByText(tr(lang, 'ui.dsl.status.IN_LIBRARY'), { exact: true }).first().waitFor();

        // Filtered to 4.1.0 the list holds only 4.1.0; the replacement choice still offers the newer 4.1.5.
        await register(f, lang, { name: `${name}-gw`, version: '4.1.5' });
        await f.getByTestId('rg-dsl-item').getByRole('heading', { name: `${name}-gw 4.1.5` }).waitFor();
        await openItem(f, lang, `${name}-gw`, '4.1.0');
        expect(await f.getByTestId('rg-dsl-items').locator('tbody tr').count()).toBe(1);
        const options = await f.locator('#rg-dsl-replacement option').allTextContents();
        expect(options.slice(1)).toEqual([`${name}-gw 4.1.5 · ${tr(lang, 'ui.dsl.status.REGISTERED')}`]);
        // Replace cannot be undone: it asks first, and "No" leaves the item as it was.
        await f.locator('#rg-dsl-replacement').selectOption({ label: options[1] });
        await f.getByTestId('rg-dsl-replace').click();
        const confirm = f.getByTestId('rg-confirm-dsl');
        await confirm.getByText(`${name}-gw 4.1.5`, { exact: false }).waitFor();
        await confirm.getByRole('button', { name: tr(lang, 'ui.dsl.confirm.no'), exact: true }).click();
        await confirm.waitFor({ state: 'detached' });
        await f.getByTestId('rg-dsl-item').getByText(tr(lang, 'ui.dsl.status.IN_LIBRARY'), { exact: true }).first().waitFor();

        // Registering 4.2.0 with "supersedes 4.1.0" moves 4.1.0 to Superseded at once.
        await register(f, lang, { name: `${name}-gw`, version: '4.2.0', supersedes: `${name}-gw 4.1.0` });
        await f.getByTestId('rg-dsl-item').getByRole('heading', { name: `${name}-gw 4.2.0` }).waitFor();
        await openItem(f, lang, `${name}-gw`, '4.1.0');
        await f.getByTestId('rg-dsl-item').getByText(tr(lang, 'ui.dsl.status.SUPERSEDED'), { exact: true }).first().waitFor();
        await f.getByTestId('rg-dsl-history').getByText(tr(lang, 'ui.dsl.history.REPLACED')).first().waitFor();
        await page.screenshot({ path: `/tmp/i13-dsl-supersedes.${tag}.png`, fullPage: true });
      });

      it('the CSV check says how many rows would be imported or lists the problems; Import only after a clean check of that file', async () => {
        const f = await library('scl', lang);
        await f.getByRole('button', { name: tr(lang, 'ui.dsl.csv.title'), exact: true }).click();
        const csv = f.getByTestId('rg-dsl-csv');
        const header = 'name,version,sha256,sizeBytes,storageUri';
        const good = [header, `${name}-csv,1.0,${sha('a')},10,s3://dsl/a`, `${name}-csv,1.1,${sha('b')},11,s3://dsl/b`].join('\n');
        await csv.locator('#rg-dsl-csv-file').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
        await csv.getByText(tr(lang, 'ui.dsl.csv.checkFirst')).waitFor();
        expect(await csv.getByTestId('rg-dsl-csv-import').isDisabled()).toBe(true);
        await csv.getByTestId('rg-dsl-csv-check').click();
        await csv.getByText(tr(lang, 'ui.dsl.csv.valid', { rows: 2 })).waitFor();
        expect(await csv.getByTestId('rg-dsl-csv-import').isEnabled()).toBe(true);

        const bad = [header, `${name}-csv2,1.0,not-a-digest,10,s3://dsl/c`].join('\n');
        await csv.locator('#rg-dsl-csv-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
        expect(await csv.getByTestId('rg-dsl-csv-import').isDisabled()).toBe(true);
        await csv.getByTestId('rg-dsl-csv-check').click();
        await csv.getByText(tr(lang, 'ui.dsl.csv.checkInvalid', { count: 1 })).waitFor();
        await csv.getByTestId('rg-dsl-import-problems').waitFor();
        expect(await csv.getByTestId('rg-dsl-csv-import').isDisabled()).toBe(true);

        await csv.locator('#rg-dsl-csv-file').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
        await csv.getByTestId('rg-dsl-csv-check').click();
        await csv.getByText(tr(lang, 'ui.dsl.csv.valid', { rows: 2 })).waitFor();
        await csv.getByTestId('rg-dsl-csv-import').click();
        await csv.getByText(tr(lang, 'ui.dsl.csv.complete', { written: 2, already: 0 })).waitFor();
        await page.screenshot({ path: `/tmp/i13-dsl-csv.${tag}.png`, fullPage: true });
      });

      it("the panel's Add to release asks the same rule: refused with the reason for the business lead, offered to the software control lead", async () => {
        const key = hint('record the user acceptance test');
        const panel = page.frameLocator('iframe[data-module-key="release-panel"]').first();
        for (const [who, allowed] of [
          ['business', false],
          ['scl', true],
        ] as const) {
          await setSession(browser.context, demo.url, { accountId: PEOPLE[who].accountId, lang });
          await page.goto(`${demo.url}/browse/${key}`);
          await panel.getByTestId('rg-tab-software').click();
          await panel.getByTestId('rg-software').waitFor();
          const refusal = panel.getByTestId('rg-dsl-link-refusal');
          if (allowed) expect(await refusal.count()).toBe(0);
          else await expect(refusal.textContent()).resolves.toBe(tr(lang, 'reason.NOT_SOFTWARE_CONTROL_LEAD'));
          await panel.locator('#rg-dsl-link').selectOption({ index: 1 });
          expect(await panel.getByTestId('rg-dsl-link').isEnabled()).toBe(allowed);
        }
      });

      it("a closed release's Software tab links to its CMDB-update task", async () => {
        const jira = jiraEmulatorOf(demo.demo.platform);
        const closed = jira.state.issues().find((i) => {
          const p = jira.getIssue(String(i.id))?.properties[CMDB_TASK_PROPERTY] as { key?: string } | undefined;
          return typeof p?.key === 'string';
        });
        expect(closed).toBeDefined();
        const taskKey = (jira.getIssue(String(closed!.id))?.properties[CMDB_TASK_PROPERTY] as { key: string }).key;
        const row = await demo.demo.platform.run(() => getRow(releaseRef(String(closed!.id))));
        expect(row.value?.doc.release).toMatchObject({ status: 'CLOSED', outcome: 'SUCCESS' });
        await setSession(browser.context, demo.url, { accountId: PEOPLE.operations.accountId, lang });
        await page.goto(`${demo.url}/browse/${closed!.key}`);
        const panel = page.frameLocator('iframe[data-module-key="release-panel"]').first();
        await panel.getByTestId('rg-tab-software').click();
        const link = panel.getByTestId('rg-dsl-cmdb-task');
        await link.getByText(tr(lang, 'ui.dsl.cmdb.task')).waitFor();
        await link.getByRole('link', { name: taskKey, exact: true }).waitFor();
        await page.screenshot({ path: `/tmp/i13-panel-cmdb.${tag}.png`, fullPage: true });
      });
    });
  }
});
