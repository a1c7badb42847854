import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from '../../sandbox/cli/demo';
import { parseStartArgs, UsageError } from '../../sandbox/cli/options';
import { banner } from '../../sandbox/cli/start';

/** `npm start` without the terminal: seed on first run, serve the host, close; a second run keeps the data. */

const TODAY = Date.UTC(2026, 10, 28);

describe('npm start', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rg-demo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds a new database, serves the host page on a free loopback port, and closes', async () => {
    const dbPath = join(dir, 'demo.sqlite');
    const running = await startDemo({ dbPath, port: 0, months: 0, today: TODAY });
    try {
      expect(running.seeded).toBe(true);
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      for (const path of ['/', '/projects/PAY', `/browse/${running.summary?.hints[0]?.issueKey ?? 'PAY-1'}`]) {
        const res = await fetch(`${running.url}${path}`);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
      }
      expect(banner(running, running.summary)).toContain('Daniel Okafor');
    } finally {
      await running.close();
    }
    const again = await startDemo({ dbPath, port: 0 });
    try {
      expect(again.seeded).toBe(false);
      expect(again.summary?.releases).toBe(running.summary?.releases);
      expect((await fetch(`${again.url}/projects/PAY`)).status).toBe(200);
    } finally {
      await again.close();
    }
  }, 240_000);

  it('parses its flags', () => {
    expect(parseStartArgs(['--reset', '--db', 'x.sqlite', '--size', '200'], {})).toMatchObject({ reset: true, dbPath: 'x.sqlite', size: 200, port: 4000 });
    expect(parseStartArgs(['--size=5'], { PORT: '4100' })).toMatchObject({ size: 5, port: 4100, upgrade: false });
    expect(parseStartArgs(['--upgrade'], {})).toMatchObject({ upgrade: true, reset: false });
    expect(parseStartArgs(['--today', '2026-01-31'], {}).today).toBe(Date.UTC(2026, 0, 31));
    expect(() => parseStartArgs(['--size', '-1'], {})).toThrow(UsageError);
    expect(() => parseStartArgs(['--bogus'], {})).toThrow(UsageError);
  });
});
