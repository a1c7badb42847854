import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { checkAuditExport, auditExportRowOf, type AuditExportRow } from '../../src/domain/audit-export';
import { ENTITY } from '../../src/storage/entities';
import type { AuditEvent } from '../../src/storage/schemas';
import { sha256Hex } from '../../src/storage/store';
import type { RunningHost } from '../../sandbox/host';
import { createDemoPlatform, seedDemo, type DemoPlatform, type SeedSummary } from '../../sandbox/seed/demo';
import { PEOPLE } from '../../sandbox/seed/people';
import { axe, chromiumSuite, launchChromium, moduleFrame, setSession, startDemoHost, type Chromium } from './support/project-browser';

/**
 * The audit trail as an auditor reads it, on the seeded demo: a closed release's History in English and in
 * 中文 with no raw identifier on the page, the project's Audit trail page filtered, exported (CSV and JSON
 * downloaded and read back) and verified by the process owner.
 */
const suite = chromiumSuite();

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const EPOCH = /\b\d{13}\b/;
const CAMEL = /\b[a-z]+[A-Z][A-Za-z]*\b/;

/** Reads until the value equals `expected` (ten seconds at most), then asserts it. */
async function eventually<T>(read: () => Promise<T>, expected: T): Promise<void> {
  const until = Date.now() + 10_000;
  let last = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 150));
    last = await read();
  }
  expect(last).toEqual(expected);
}

function rawIdentifiers(text: string): string[] {
  return [UUID, EPOCH, CAMEL].map((re) => re.exec(text)?.[0]).filter((m): m is string => m !== undefined);
}

suite('the audit trail (Chromium)', () => {
  let demo: DemoPlatform;
  let summary: SeedSummary;
  let host: RunningHost;
  let browser: Chromium;
  let page: Page;
  let closedKey: string;
  let rejectedKey: string;

  beforeAll(async () => {
    demo = createDemoPlatform({ dbPath: ':memory:' });
    summary = await seedDemo(demo, {});
    await demo.events.open(demo.platform);
    host = await startDemoHost(demo, { defaultLang: 'en-US', defaultTheme: 'light' });
    browser = await launchChromium();
    page = browser.page;
    // The newest closed release with the most events: the richest history.
    const rows = demo.platform.db.prepare("SELECT value FROM kvs_items WHERE ns = 'entity:release'").all() as { value: string }[];
    const closed = rows.map((r) => (JSON.parse(r.value) as { doc: { release: { id: string; issueKey: string; status: string; statusEnteredAt: { CLOSED?: number } } } }).doc.release).filter((r) => r.status === 'CLOSED');
    closed.sort((a, b) => (b.statusEnteredAt.CLOSED ?? 0) - (a.statusEnteredAt.CLOSED ?? 0));
    closedKey = closed[0]?.issueKey ?? '';
    rejectedKey = rows.map((r) => (JSON.parse(r.value) as { doc: { release: { issueKey: string; status: string } } }).doc.release).find((r) => r.status === 'REJECTED')?.issueKey ?? '';
    expect(closedKey).not.toBe('');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    demo?.platform.close();
  });

  const panel = (): FrameLocator => page.frameLocator('iframe[data-module-key="release-panel"]').first();
  const workbench = (): FrameLocator => page.frameLocator('iframe[data-module-key="release-workbench"]').first();

  async function history(lang: 'en-US' | 'zh-CN', tab: string, key = closedKey): Promise<{ frame: Frame; text: string }> {
    await setSession(browser.context, host.url, { accountId: PEOPLE.manager.accountId, lang });
    await page.goto(`${host.url}/browse/${key}`);
    await panel().getByRole('tab', { name: tab, exact: true }).click();
    const table = panel().getByTestId('rg-history-table');
    await table.locator('tbody tr').first().waitFor();
    const frame = await moduleFrame(page, 'release-panel');
    return { frame, text: await frame.evaluate(() => document.body.innerText) };
  }

  it('History in English: actions, labels, names, translated values, reasons; no ids, epoch numbers or field names', async () => {
    const { text, frame } = await history('en-US', 'History');
    expect(rawIdentifiers(text)).toEqual([]);
    expect(await axe(frame)).toEqual([]);
    expect(text).toContain('Verified and closed');
    expect(text).toMatch(/Status: Verifying → Closed/);
    expect(text).toContain(PEOPLE.operations.displayName);
    await page.screenshot({ path: '/tmp/i15-history-en.png', fullPage: true });
    const rejected = await history('en-US', 'History', rejectedKey);
    expect(rawIdentifiers(rejected.text)).toEqual([]);
    expect(rejected.text).toMatch(/Release rejected[\s\S]*Reason: \S/);
    expect(rejected.text).toMatch(/Status: Submitted → Rejected/);
  }, 60_000);

  it('History in 中文: the same events in Chinese, English field labels gone', async () => {
    const { text } = await history('zh-CN', '历史');
    expect(rawIdentifiers(text)).toEqual([]);
    expect(text).toContain('已验证并关闭');
    expect(text).toMatch(/状态: 验证中 → 已关闭/);
    expect(text).not.toMatch(/\b(Status|Release lead|Window start):/);
    await page.screenshot({ path: '/tmp/i15-history-zh.png', fullPage: true });
  }, 60_000);

  async function auditPage(): Promise<FrameLocator> {
    await setSession(browser.context, host.url, { accountId: PEOPLE.owner.accountId, lang: 'en-US' });
    await page.goto(`${host.url}/projects/${summary.project.key}/apps/release-workbench/audit`);
    const wb = workbench();
    await wb.getByTestId('rg-audit-table').locator('tbody tr').first().waitFor();
    return wb;
  }

  const rowsText = async (wb: FrameLocator, col: number): Promise<string[]> => wb.getByTestId('rg-audit-table').locator(`tbody tr td:nth-child(${col})`).allInnerTexts();

  it('the auditor’s view: the whole trail, then narrowed by action, release, person and period', async () => {
    const wb = await auditPage();
    const frame = await moduleFrame(page, 'release-workbench');
    expect(rawIdentifiers(await frame.evaluate(() => document.body.innerText))).toEqual([]);
    expect(await axe(frame)).toEqual([]);
    await page.screenshot({ path: '/tmp/i15-audit-page.png', fullPage: true });

    await wb.getByTestId('rg-audit-action').selectOption({ label: 'Release rejected' });
    await wb.getByTestId('rg-audit-apply').click();
    await wb.getByTestId('rg-audit-table').locator('tbody tr').first().waitFor();
    await eventually(async () => [...new Set(await rowsText(wb, 4))], ['Release rejected']);
    const changes = await rowsText(wb, 5);
    expect(changes.every((c) => /^Reason: \S.{4,}/.test(c))).toBe(true);

    await wb.getByTestId('rg-audit-clear').click();
    await wb.getByTestId('rg-audit-release').fill(closedKey);
    await wb.getByTestId('rg-audit-apply').click();
    await eventually(async () => [...new Set(await rowsText(wb, 3))], [closedKey]);

    await wb.getByTestId('rg-audit-clear').click();
    await wb.getByTestId('rg-audit-person').selectOption({ label: PEOPLE.operations.displayName });
    await wb.getByTestId('rg-audit-apply').click();
    await eventually(async () => [...new Set(await rowsText(wb, 2))], [PEOPLE.operations.displayName]);

    await wb.getByTestId('rg-audit-clear').click();
    await wb.getByTestId('rg-audit-from').fill('2099-01-01');
    await wb.getByTestId('rg-audit-apply').click();
    await wb.getByTestId('rg-audit-table-empty').waitFor();
  }, 90_000);

  it('exports the filtered view: the CSV and the JSON are downloaded, hold every event once, and their chains verify', async () => {
    const wb = await auditPage();
    await wb.getByTestId('rg-audit-release').fill(closedKey);
    await wb.getByTestId('rg-audit-apply').click();
    await eventually(async () => [...new Set(await rowsText(wb, 3))], [closedKey]);
    const releaseId = (demo.platform.db.prepare("SELECT json_extract(value, '$.doc.release.id') AS id FROM kvs_items WHERE ns = 'entity:release' AND json_extract(value, '$.doc.release.issueKey') = ?").get(closedKey) as { id: string }).id;
    const stored = (demo.platform.db.prepare('SELECT value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.audit}`) as { value: string }[])
      .map((r) => (JSON.parse(r.value) as { doc: AuditEvent }).doc)
      .filter((e) => e.subjectId === releaseId);

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), wb.getByTestId('rg-audit-export-csv').click()]);
    expect(csvDownload.suggestedFilename()).toMatch(new RegExp(`^audit-${summary.project.key}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const csv = await readFile((await csvDownload.path()) as string, 'utf8');
    const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const rows = parsed.data.map(auditExportRowOf);
    expect(rows.map((r) => r.eventId).sort()).toEqual(stored.map((e) => e.id).sort());
    expect(checkAuditExport(rows, sha256Hex)).toEqual({ ok: true, events: stored.length, chains: 1 });
    expect(rows.some((r) => r.actionZh === '已验证并关闭' && r.actionEn === 'Verified and closed')).toBe(true);
    await wb.getByTestId('rg-audit-export-note').getByText(`${stored.length} events exported`).waitFor();

    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), wb.getByTestId('rg-audit-export-json').click()]);
    const json = JSON.parse(await readFile((await jsonDownload.path()) as string, 'utf8')) as { count: number; events: AuditExportRow[] };
    expect(json.count).toBe(stored.length);
    expect(checkAuditExport(json.events, sha256Hex)).toMatchObject({ ok: true });
  }, 90_000);

  it('the process owner verifies the whole trail: intact, with the number of events and chains', async () => {
    const wb = await auditPage();
    const total = (demo.platform.db.prepare('SELECT count(*) AS n FROM kvs_items WHERE ns = ?').get(`entity:${ENTITY.audit}`) as { n: number }).n;
    await wb.getByTestId('rg-audit-verify').click();
    await wb.getByTestId('rg-audit-verify-result').getByText(new RegExp(`^Intact: ${total.toLocaleString('en-US').replace(/,/g, ',?')} events in \\d+ chains`)).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: '/tmp/i15-audit-verified.png', fullPage: true });
  }, 60_000);
});
