/**
 * What `npm start` does, callable from a test: the platform on a SQLite file with the local Jira, the demo
 * seeded on first run, the host on loopback. `start.ts` adds the UI build, the banner and Ctrl-C.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { startHost, type RunningHost } from '../host';
import { demoGadgets } from '../seed/gadgets';
import { ALL_PEOPLE, PEOPLE } from '../seed/people';
import { createDemoPlatform, seedDemo, type DemoPlatform, type SeedSummary } from '../seed/demo';
import { demoGate, type DemoGate } from './gate-demo';

export interface DemoOptions {
  dbPath: string;
  port: number;
  reset?: boolean;
  /** Deliver `avi:forge:upgraded:app` (an existing database only: a new one is set up by the current code). */
  upgrade?: boolean;
  size?: number;
  seed?: number | undefined;
  today?: number | undefined;
  /** Months of closed history (default 12; tests use fewer). */
  months?: number;
  /** The Custom UI build the host serves (default `static/build`). */
  staticDir?: string;
  log?: (line: string) => void;
}

export interface RunningDemo {
  readonly url: string;
  readonly frameUrl: string;
  readonly dbPath: string;
  readonly demo: DemoPlatform;
  /** What the seed made: this run's when it seeded, else the stored summary of the run that did. */
  readonly summary: SeedSummary | null;
  /** True when this run seeded the database. */
  readonly seeded: boolean;
  /** The deployment gate's URL and this run's demo pipeline token (with a demo). */
  readonly gate: DemoGate | null;
  close(): Promise<void>;
}

/** The seed's progress, kept in the database so that an interrupted seed is noticed and redone. */
const MARKER_TABLE = 'sandbox_demo';

function markerTable(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${MARKER_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
}

function marker(db: Database.Database, key: 'seeding' | 'seeded'): string | undefined {
  markerTable(db);
  const row = db.prepare(`SELECT value FROM ${MARKER_TABLE} WHERE key = ?`).get(key) as { value: string } | undefined;
  return row?.value;
}

function setMarker(db: Database.Database, key: 'seeding' | 'seeded', value: string): void {
  markerTable(db);
  db.prepare(`INSERT OR REPLACE INTO ${MARKER_TABLE} (key, value) VALUES (?, ?)`).run(key, value);
}

function deleteDb(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

export async function startDemo(o: DemoOptions): Promise<RunningDemo> {
  const log = o.log ?? (() => undefined);
  const memory = o.dbPath === ':memory:';
  const dbPath = memory ? o.dbPath : resolve(o.dbPath);
  if (!memory) {
    if (o.reset) deleteDb(dbPath);
    mkdirSync(dirname(dbPath), { recursive: true });
  }
  let isNew = memory || !existsSync(dbPath);
  let demo = createDemoPlatform({ dbPath });
  let summary: SeedSummary | null = null;
  let seeded = false;
  try {
    if (!isNew && marker(demo.platform.db, 'seeding') !== undefined && marker(demo.platform.db, 'seeded') === undefined) {
      log(`${dbPath} holds an interrupted seed: starting it again.`);
      demo.platform.close();
      deleteDb(dbPath);
      demo = createDemoPlatform({ dbPath });
      isNew = true;
    }
    if (isNew) {
      setMarker(demo.platform.db, 'seeding', new Date().toISOString());
      log(`Seeding the demo into ${memory ? 'memory' : dbPath}${o.size ? ` with ${o.size} extra releases` : ''}…`);
      summary = await seedDemo(demo, {
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
        ...(o.today !== undefined ? { today: o.today } : {}),
        ...(o.months !== undefined ? { months: o.months } : {}),
        size: o.size ?? 0,
        log: (line) => log(`  ${line}`),
      });
      setMarker(demo.platform.db, 'seeded', JSON.stringify(summary));
      seeded = true;
    } else {
      const stored = marker(demo.platform.db, 'seeded');
      summary = stored ? (JSON.parse(stored) as SeedSummary) : null;
      if (!summary) log(`${dbPath} was not made by npm start: running it as it is, without the demo (use --reset to seed).`);
      if (summary && (o.size ?? 0) > 0) log('--size applies when the demo is seeded: add --reset to seed again with it.');
    }
    // From now on Jira's events reach the app as they happen.
    await demo.events.open(demo.platform);
    if (o.upgrade && !isNew) {
      // A database set up by earlier code: the upgrade event re-runs set-up on each set-up project (queued).
      await demo.platform.upgradeApp({ upgraderAccountId: PEOPLE.owner.accountId });
      log('Delivered avi:forge:upgraded:app: set-up runs again on every set-up project.');
    } else if (o.upgrade) {
      log('--upgrade applies to an existing database: a new one is set up by the current code.');
    }
    // …and queued work (@forge/events) reaches its consumers by itself, on time, as on Forge.
    await demo.platform.drainQueues();
    demo.platform.queues.setAutoDeliver(true);
    let host: RunningHost;
    try {
      host = await startHost({
        platform: demo.platform,
        port: o.port,
        host: '127.0.0.1',
        ...(o.staticDir ? { staticDir: o.staticDir } : {}),
        users: ALL_PEOPLE.map((u) => ({ accountId: u.accountId, displayName: u.displayName, timeZone: u.timeZone, locale: u.locale, accountType: 'atlassian', active: true })),
        defaultLang: 'en-US',
        defaultTheme: 'light',
        gadgets: demoGadgets(demo.jira),
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`port ${o.port} is in use: set PORT or --port`);
      throw err;
    }
    const platform = demo.platform;
    const finalDemo = demo;
    const gate = summary ? await demoGate(platform, host.url, summary) : null;
    let closed = false;
    return {
      url: host.url,
      frameUrl: host.frameUrl,
      dbPath,
      demo: finalDemo,
      summary,
      seeded,
      gate,
      async close() {
        if (closed) return;
        closed = true;
        await host.close();
        await finalDemo.jira.flushEvents();
        await platform.drainEvents();
        platform.queues.setAutoDeliver(false);
        await platform.queues.close();
        platform.close();
      },
    };
  } catch (err) {
    demo.platform.close();
    throw err;
  }
}
