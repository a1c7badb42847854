import { benchAudit } from './audit';
import { benchDailyJob } from './daily-job';
import { benchGate } from './gate';
import { benchImport } from './import';
import { benchKpi } from './kpi';
import { benchKvs } from './kvs';
import { benchUi } from './ui';
import { benchUpgrade } from './upgrade';

/** `npm run bench`: each section prints its own lines. Add new benches to this list. */
const sections: { name: string; run: () => Promise<string[]> }[] = [
  { name: 'kvs', run: benchKvs },
  { name: 'kpi (gadget reads vs recompute, 1k / 10k / 100k releases)', run: benchKpi },
  { name: 'ui (Chromium, local host)', run: benchUi },
  { name: 'audit (20,000 events: export and verify)', run: benchAudit },
  { name: 'gate (deployment web trigger)', run: benchGate },
  { name: 'import (DSL CSV, 2,000 rows through chunks and the queue consumer)', run: benchImport },
  { name: 'daily-job (seeded demo + 2,000 releases, fanned out over consumers)', run: benchDailyJob },
  { name: 'upgrade (avi:forge:upgraded:app, 50 set-up projects)', run: benchUpgrade },
];

async function main(): Promise<void> {
  const only = process.argv[2];
  for (const section of sections.filter((s) => !only || s.name.startsWith(only))) {
    const t0 = Date.now();
    const lines = await section.run();
    console.log(`\n== ${section.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    for (const line of lines) console.log(line);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
