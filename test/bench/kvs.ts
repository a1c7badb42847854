import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kvs, Sort, WhereConditions } from '@forge/kvs';
import { createPlatform, type Platform } from '../../sandbox/index';

/**
 * KVS bench: the local store driven through the real `@forge/kvs` client inside `platform.run`.
 * Seeding goes through the store directly (one SQLite transaction); every measurement goes through the client.
 */
const MANIFEST = join(__dirname, '..', 'fixtures', 'kvs', 'manifest.yml');
const PROJECTS = 10;
const PAGE = 20;

interface BenchItem {
  project: string;
  seq: number;
  status: string;
  title: string;
}

function seed(platform: Platform, from: number, to: number): void {
  platform.db.transaction(() => {
    for (let i = from; i < to; i++) {
      const value: BenchItem = { project: `P${i % PROJECTS}`, seq: i, status: i % 3 === 0 ? 'DONE' : 'OPEN', title: `Item ${i}` };
      const res = platform.kvs.handle('/api/v1/entity/set', { entityName: 'bench-item', key: `item-${i}`, value });
      if (res.status >= 300) throw new Error(`seed failed: ${JSON.stringify(res.body)}`);
    }
  })();
}

async function timeOps(platform: Platform, n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const inv = await platform.run(async () => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await op(i);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  });
  return inv.value;
}

/** One indexed page: partition + range condition, limit PAGE, at a pseudo-random position in the partition. */
function pageQuery(size: number, i: number) {
  const project = `P${i % PROJECTS}`;
  const start = ((i * 7919) % Math.max(1, size - PAGE * PROJECTS * 2)) | 0;
  return kvs
    .entity<BenchItem>('bench-item')
    .query()
    .index('by-project-seq', { partition: [project] })
    .where(WhereConditions.greaterThanEqualTo(start))
    .sort(i % 2 === 0 ? Sort.ASC : Sort.DESC)
    .limit(PAGE)
    .getMany();
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function benchKvs(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kvs-bench-'));
  const platform = createPlatform({ manifestPath: MANIFEST, dbPath: join(dir, 'kvs.sqlite') });
  const lines: string[] = [];
  try {
    lines.push(`KVS / custom entities (file-backed SQLite, real @forge/kvs client, page = ${PAGE}, partition + range condition)`);
    let loaded = 0;
    const pageMs: string[] = [];
    for (const size of [1_000, 10_000, 100_000]) {
      const t0 = Date.now();
      seed(platform, loaded, size);
      loaded = size;
      const seedMs = Date.now() - t0;
      await timeOps(platform, 400, (i) => pageQuery(size, i)); // warm-up (JIT, statement cache)
      const n = 500;
      const ms = await timeOps(platform, n, async (i) => {
        const r = await pageQuery(size, i);
        if (r.results.length !== PAGE) throw new Error(`expected a full page, got ${r.results.length}`);
      });
      pageMs.push(`${fmt(size)}: ${fmt((ms / n) * 1000)} µs`);
      lines.push(`  indexed query page at ${fmt(size).padStart(7)} entities: ${fmt((ms / n) * 1000).padStart(5)} µs/page   (seeded in ${seedMs} ms)`);
    }
    const N = 5_000;
    const getMs = await timeOps(platform, N, (i) => kvs.entity<BenchItem>('bench-item').get(`item-${(i * 7919) % loaded}`));
    const setMs = await timeOps(platform, N, (i) =>
      kvs.entity<BenchItem>('bench-item').set(`item-${(i * 104729) % loaded}`, { project: `P${i % PROJECTS}`, seq: i * 3, status: 'OPEN', title: `Updated ${i}` }),
    );
    const Q = 2_000;
    const queryMs = await timeOps(platform, Q, (i) => pageQuery(loaded, i));
    lines.push(`  at ${fmt(loaded)} entities, through the client:`);
    lines.push(`    entity get      ${fmt((N / getMs) * 1000).padStart(8)} ops/s`);
    lines.push(`    entity set      ${fmt((N / setMs) * 1000).padStart(8)} ops/s   (index rows maintained in the same transaction)`);
    lines.push(`    indexed query   ${fmt((Q / queryMs) * 1000).padStart(8)} pages/s`);
    lines.push(`  SQLite plan of a page: ${platform.kvs.explainIndexPage('bench-item', 'by-project-seq').join(' | ')}`);
  } finally {
    platform.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
