/**
 * `npm start`: the app on the local platform with its seeded demo. Builds the UI when it is missing or older
 * than its sources, seeds on first run (or with --reset), serves on 127.0.0.1, and prints who can do what.
 */
import { resolve } from 'node:path';
import { PEOPLE, PERSON_KEYS } from '../seed/people';
import type { SeedSummary } from '../seed/demo';
import { startDemo, type RunningDemo } from './demo';
import { gateBanner } from './gate-demo';
import { parseStartArgs, USAGE, UsageError } from './options';
import { ensureUiBuilt } from './ui-build';

const ROOT = resolve(__dirname, '..', '..');

const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - [...s].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0)));

export function banner(running: Pick<RunningDemo, 'url' | 'dbPath' | 'seeded'> & Partial<Pick<RunningDemo, 'gate'>>, summary: SeedSummary | null): string {
  const lines: string[] = [];
  lines.push('', `Release Governance on the local platform: ${running.url}`, `  database ${running.dbPath}${running.seeded ? ' (seeded now)' : ''}`);
  if (summary) {
    const statuses = Object.entries(summary.byStatus).map(([k, v]) => `${k} ${v}`).join(', ');
    const outcomes = Object.entries(summary.byOutcome).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(
      `  project ${summary.project.key} “${summary.project.name}”: ${summary.releases} releases (${statuses}); closed: ${outcomes}`,
      `  KPI months ${summary.closedMonths[0] ?? '-'} … ${summary.closedMonths.at(-1) ?? '-'}; ${summary.improvementActions} improvement actions; demo today ${summary.today}, seed ${summary.seed}` +
        (running.seeded ? `; seeded in ${(summary.ms / 1000).toFixed(1)} s (${summary.resolverCalls} resolver calls)` : ''),
    );
    if (summary.dsl.mode === 'direct') lines.push(`  note: ${summary.dsl.note}`);
  }
  lines.push('', 'Demo users (switch with “Acting as” in the top bar):');
  for (const key of PERSON_KEYS) {
    const p = PEOPLE[key];
    lines.push(`  ${pad(p.displayName, 20)} ${pad(p.title, 48)} ${p.tryThis}`);
  }
  if (summary && summary.hints.length > 0) {
    lines.push('', 'Try:');
    for (const h of summary.hints) lines.push(`  ${pad(PEOPLE[h.who].displayName, 20)} ${running.url}/browse/${h.issueKey}  (${h.status}) ${h.what}`);
    lines.push(
      `  ${pad(PEOPLE.owner.displayName, 20)} ${running.url}/projects/${summary.project.key}  KPIs over 12 months, improvement actions; ${running.url}/dashboard for the gadgets`,
    );
  }
  if (running.gate) lines.push(...gateBanner(running.gate));
  lines.push('', 'Ctrl-C stops.', '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  let opts;
  try {
    opts = parseStartArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  ensureUiBuilt(ROOT, log);
  const running = await startDemo({
    dbPath: opts.dbPath === ':memory:' ? opts.dbPath : resolve(ROOT, opts.dbPath),
    port: opts.port,
    reset: opts.reset,
    upgrade: opts.upgrade,
    size: opts.size,
    seed: opts.seed,
    today: opts.today,
    log,
  });
  log(banner(running, running.summary));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`\n${signal}: closing…`);
    running
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        process.stderr.write(`${String(err)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`npm start failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
