/**
 * `npm run audit:verify -- --db PATH [--project ID]`: recomputes every audit hash chain stored in a database
 * file of the local platform (the one `npm start --db PATH` writes), through the same code as the process
 * owner's *Verify* button, and prints either `intact: N events in M chains` or the first broken event.
 * Exit code 0 when intact, 1 when broken, 2 on bad usage.
 */
import { existsSync } from 'node:fs';
import { createPlatform } from '../sandbox';
import { verifyChains, type ChainProgress, type VerifyOutcome } from '../src/services/audit';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function describe(out: Extract<VerifyOutcome, { state: 'BROKEN' }>): string {
  const b = out.broken;
  const where = out.event ? ` (${out.event.action} at ${new Date(out.event.at).toISOString()}, ${out.event.subjectType} ${out.event.subjectId})` : '';
  const what =
    b.problem === 'HASH_MISMATCH'
      ? `event ${b.eventId} (seq ${b.seq}) does not match its hash: its content was changed`
      : b.problem === 'PREVIOUS_MISMATCH'
        ? `event ${b.eventId} (seq ${b.seq}) does not follow the event before it: events were changed or reordered`
        : b.problem === 'SEQUENCE_GAP'
          ? `event ${b.eventId} has seq ${b.seq} where ${b.expectedSeq} was expected: events were deleted or inserted`
          : `event seq ${b.seq} is missing while the chain head says the chain has ${b.expectedSeq}: events at its end were deleted or replaced`;
  return `broken: chain ${out.chainId}: ${what}${where}; ${out.events} events in ${out.chains} chains verified before it`;
}

async function main(): Promise<number> {
  const db = arg('--db');
  if (!db || !existsSync(db)) {
    console.error('usage: npm run audit:verify -- --db PATH [--project ID]   (PATH: an existing database file)');
    return 2;
  }
  const project = arg('--project') ?? null;
  const platform = createPlatform({ dbPath: db });
  try {
    let progress: ChainProgress | undefined;
    // One invocation per budget of events, as the Verify button pages: each stays far inside Forge's 25 s.
    for (;;) {
      const inv = await platform.run(() => verifyChains(project, progress, 5_000));
      const out = inv.value;
      if (out.state === 'PAUSED') {
        progress = out.progress;
        continue;
      }
      if (out.state === 'BROKEN') {
        console.log(describe(out));
        return 1;
      }
      if (out.state === 'INTACT') {
        console.log(`intact: ${out.events} events in ${out.chains} chains`);
        return 0;
      }
      throw new Error(`unexpected state ${out.state}`);
    }
  } finally {
    platform.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
