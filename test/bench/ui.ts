import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Frame, type Page } from 'playwright-core';
import { startHost } from '../../sandbox/host';
import { createDemoPlatform, seedDemo } from '../../sandbox/seed/demo';
import { demoGadgets } from '../../sandbox/seed/gadgets';
import { ALL_PEOPLE, PEOPLE } from '../../sandbox/seed/people';

/**
 * Per Custom UI module, in Chromium on the local host: the JavaScript the frame loads before its first
 * render (gzip, as Forge's CDN serves it) and the time from the frame's navigation to its first render
 * (the `rg:first-render` mark main.tsx sets on the module's first paint), median of several cold loads.
 */

// BENCH_STATIC_DIR: another build of the same UI (e.g. the previous commit's) to compare with.
const staticDir = resolve(process.env.BENCH_STATIC_DIR ?? resolve(__dirname, '..', '..', 'static', 'build'));
const CHROMIUM = '/usr/bin/chromium';
const RUNS = 5;

interface Target {
  module: string;
  path: (demo: { issueKey: string; changeKey: string }) => string;
  /** What the user does on the page to bring the module up (an issue action opens in a dialog). */
  open?: (page: Page) => Promise<void>;
  /** A second mark the module sets when its content is complete (the gadget: numbers shown, charts drawn). */
  done?: string;
}

const targets: Target[] = [
  { module: 'release-panel', path: (d) => `/browse/${d.issueKey}` },
  { module: 'release-glance', path: (d) => `/browse/${d.issueKey}` },
  {
    module: 'raise-release',
    path: (d) => `/browse/${d.changeKey}`,
    open: (page) => page.getByRole('button', { name: 'Raise a release request', exact: true }).click(),
  },
  { module: 'release-workbench', path: () => '/projects/PAY/apps/release-workbench' },
  { module: 'release-admin', path: () => '/admin/apps/release-admin' },
  { module: 'kpi-gadget', path: () => '/dashboard', done: 'rg:kpi-drawn' },
];

const gzipSizeCache = new Map<string, number>();
function gzipSize(file: string): number {
  const cached = gzipSizeCache.get(file);
  if (cached !== undefined) return cached;
  const size = gzipSync(readFileSync(file), { level: 9 }).length;
  gzipSizeCache.set(file, size);
  return size;
}

async function frameOf(page: Page, module: string): Promise<Frame> {
  const handle = await page.waitForSelector(`iframe[data-module-key="${module}"]`, { timeout: 20_000 });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error(`no frame for ${module}`);
  return frame;
}

async function measure(page: Page, url: string, module: string, open?: (page: Page) => Promise<void>, done?: string): Promise<{ jsGzip: number; ms: number; files: number; doneMs?: number; doneJsGzip?: number }> {
  // Other frames on the page (the glance beside the panel) fetch their own scripts: keep this frame's.
  const requests: { frame: Frame; path: string }[] = [];
  let rendered = false;
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (!rendered && req.resourceType() === 'script' && u.pathname.includes('/frame/') && u.pathname.endsWith('.js')) requests.push({ frame: req.frame(), path: u.pathname });
  });
  await page.goto(url);
  if (open) await open(page);
  const frame = await frameOf(page, module).catch(async (err: unknown) => {
    await page.screenshot({ path: join(tmpdir(), `rg-bench-${module}.png`) });
    throw err;
  });
  await frame.waitForFunction(() => performance.getEntriesByName('rg:first-render').length > 0, undefined, { timeout: 20_000 });
  rendered = true;
  const ms = await frame.evaluate(() => performance.getEntriesByName('rg:first-render')[0]?.startTime ?? NaN);
  const gz = (paths: Set<string>) => {
    let total = 0;
    for (const p of paths) {
      const file = join(staticDir, p.replace(/^.*\/frame\//, ''));
      if (existsSync(file)) total += gzipSize(file);
    }
    return total;
  };
  // Which scripts the frame fetched before a mark, from its own resource timing (exact, unlike polling).
  const fetchedBy = (mark: string) =>
    frame.evaluate((m) => {
      const at = performance.getEntriesByName(m)[0]?.startTime ?? Infinity;
      return performance
        .getEntriesByType('resource')
        .filter((e) => e.startTime <= at && new URL(e.name).pathname.endsWith('.js'))
        .map((e) => new URL(e.name).pathname);
    }, mark);
  page.removeAllListeners('request');
  const seen = new Set(requests.filter((r) => r.frame === frame).map((r) => r.path));
  const scripts = new Set((await fetchedBy('rg:first-render')).filter((p) => p.includes('/frame/')));
  // Scripts the browser had cached in memory do not show in resource timing: fall back to the requests seen.
  if (scripts.size === 0) for (const p of seen) scripts.add(p);
  const jsGzip = gz(scripts);
  if (process.env.BENCH_UI_FILES) console.log(module, 'before first render:', [...scripts].map((p) => p.replace(/^.*\//, '')).join(' '));
  if (!done) return { jsGzip, ms, files: scripts.size };
  const reached = await frame.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, done, { timeout: 20_000 }).then(
    () => true,
    () => false,
  );
  const doneMs = reached ? await frame.evaluate((mark) => performance.getEntriesByName(mark)[0]?.startTime ?? NaN, done) : NaN;
  const later = new Set(reached ? (await fetchedBy(done)).filter((p) => p.includes('/frame/')) : scripts);
  if (process.env.BENCH_UI_FILES) console.log(module, 'until done, more:', [...later].filter((p) => !scripts.has(p)).map((p) => p.replace(/^.*\//, '')).join(' '));
  return { jsGzip, ms, files: scripts.size, doneMs, doneJsGzip: gz(later) };
}

export async function benchUi(): Promise<string[]> {
  if (!existsSync(CHROMIUM)) return [`skipped: ${CHROMIUM} not found (apt-get install chromium)`];
  if (!existsSync(join(staticDir, 'index.html'))) return ['skipped: static/build missing (npm run build:ui)'];
  const demo = createDemoPlatform({ dbPath: ':memory:' });
  const summary = await seedDemo(demo, { months: 2 });
  const hint = summary.hints.find((h) => h.status === 'BUILD_TEST') ?? summary.hints[0];
  if (!hint) throw new Error('the demo has nothing to open');
  const releaseType = demo.jira.state.issueTypes().find((t) => t.name === 'Release Request')?.id;
  const change = demo.jira.state.issues().find((i) => i.issueTypeId !== releaseType && !i.summary.startsWith('Update the CMDB'));
  if (!change) throw new Error('the demo has no change request');
  const changeKey = change.key;
  await demo.events.open(demo.platform);
  const host = await startHost({
    platform: demo.platform,
    gadgets: demoGadgets(demo.jira),
    port: 0,
    host: '127.0.0.1',
    staticDir,
    users: ALL_PEOPLE.map((u) => ({ accountId: u.accountId, displayName: u.displayName, timeZone: u.timeZone, locale: u.locale, accountType: 'atlassian', active: true })),
  });
  const profile = mkdtempSync(join(tmpdir(), 'rg-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const lines: string[] = [`demo: ${summary.releases} releases; issue ${hint.issueKey}; median of ${RUNS} cold loads; JS = scripts the frame fetched before first render, gzip -9`];
  try {
    const origin = new URL(host.url).origin;
    await context.addCookies([{ name: 'rg_user', value: PEOPLE[hint.who].accountId, url: origin }]);
    // BENCH_UI_MODULES=kpi-gadget,release-panel measures only those.
    const only = process.env.BENCH_UI_MODULES?.split(',').filter(Boolean);
    for (const t of targets.filter((x) => !only || only.includes(x.module))) {
      const samples: number[] = [];
      const doneSamples: number[] = [];
      let doneJs = 0;
      let js = 0;
      let files = 0;
      for (let i = 0; i < RUNS; i++) {
        const page = await context.newPage();
        // Cold: nothing from the HTTP cache.
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        const m = await measure(page, `${host.url}${t.path({ issueKey: hint.issueKey, changeKey })}`, t.module, t.open, t.done);
        samples.push(m.ms);
        if (m.doneMs !== undefined) doneSamples.push(m.doneMs);
        if (m.doneJsGzip !== undefined) doneJs = m.doneJsGzip;
        js = m.jsGzip;
        files = m.files;
        await page.close();
      }
      samples.sort((a, b) => a - b);
      const median = samples[Math.floor(samples.length / 2)] ?? NaN;
      lines.push(`${t.module.padEnd(18)} JS before first render ${(js / 1024).toFixed(1).padStart(6)} KB gzip in ${String(files).padStart(2)} files; first render ${median.toFixed(0).padStart(5)} ms`);
      if (t.done && doneSamples.length > 0) {
        doneSamples.sort((a, b) => a - b);
        const d = doneSamples[Math.floor(doneSamples.length / 2)] ?? NaN;
        lines.push(`${''.padEnd(18)} until ${t.done}: JS ${(doneJs / 1024).toFixed(1).padStart(6)} KB gzip; ${Number.isNaN(d) ? 'never reached' : `${d.toFixed(0)} ms`}`);
      }
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await host.close();
    demo.platform.close();
  }
  return lines;
}
