import { RESOLVER_KEYS as K } from '../../src/contracts';
import type { Envelope } from '../../src/contracts/envelope';
import type { AuditExportRow } from '../../src/domain/audit-export';
import { checkAuditExport } from '../../src/domain/audit-export';
import { Changes, sha256Hex } from '../../src/storage/store';
import { P, startWorld, type World } from '../support/release-world';

/**
 * `npm run bench -- audit`: a year of a busy project's trail (20,000 events over 200 releases), exported through
 * `audit/export` page by page and verified through `audit/verify`, as the UI does: per invocation, the response
 * size (Forge: 5 MB per front-end invoke response, we keep under 400 KB), the duration (Forge: 25 s) and the
 * storage operations; in total, the calls and the time.
 */
const EVENTS = 20_000;
const RELEASES = 200;
const YEAR_START = Date.UTC(2025, 11, 1);

async function writeTrail(w: World): Promise<void> {
  const perRelease = EVENTS / RELEASES;
  const step = (365 * 86_400_000) / EVENTS;
  let n = 0;
  for (let r = 0; r < RELEASES; r++) {
    // Twelve events per transaction: 24 of Forge's 25 operations (event + chain head each).
    for (let i = 0; i < perRelease; i += 12) {
      await w.platform.run(async () => {
        const changes = new Changes();
        for (let j = i; j < Math.min(i + 12, perRelease); j++) {
          const at = YEAR_START + Math.floor(n++ * step);
          changes.audit({
            projectId: w.project.id,
            subjectType: 'RELEASE',
            subjectId: String(20_000 + r),
            action: 'reportProgress',
            actorAccountId: j % 2 ? P.implementer : P.lead,
            at,
            before: { actualEffortHours: j },
            after: { actualEffortHours: j + 1, progressReports: [{ reportedBy: P.implementer, reportedAt: at, note: 'Batch migrated; smoke tests green on the staging cluster.', percentComplete: 50, effortHours: 1 }] },
          });
        }
        await changes.commit();
      });
    }
  }
}

interface Calls {
  calls: number;
  maxBytes: number;
  maxMs: number;
  maxOps: number;
  totalMs: number;
}

function summary(label: string, c: Calls): string {
  return `${label}: ${c.calls} invocations, ${(c.totalMs / 1000).toFixed(1)} s in total; per invocation at most ${(c.maxBytes / 1024).toFixed(1)} KB response, ${(c.maxMs / 1000).toFixed(2)} s, ${c.maxOps} storage operations`;
}

export async function benchAudit(): Promise<string[]> {
  const w = startWorld();
  const lines: string[] = [];
  try {
    const t0 = Date.now();
    await writeTrail(w);
    lines.push(`wrote ${EVENTS.toLocaleString('en-US')} audit events on ${RELEASES} releases in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const exp: Calls = { calls: 0, maxBytes: 0, maxMs: 0, maxOps: 0, totalMs: 0 };
    const rows: AuditExportRow[] = [];
    let cursor: string | undefined;
    do {
      const inv = await w.onProject<{ rows: AuditExportRow[]; cursor?: string }>('owner', K.exportAudit, { projectId: w.project.id, ...(cursor ? { cursor } : {}) });
      const res = inv.value as Envelope<{ rows: AuditExportRow[]; cursor?: string }>;
      if (!res.ok) throw new Error(JSON.stringify(res.error));
      exp.calls++;
      exp.maxBytes = Math.max(exp.maxBytes, Buffer.byteLength(JSON.stringify(res)));
      exp.maxMs = Math.max(exp.maxMs, inv.durationMs);
      exp.maxOps = Math.max(exp.maxOps, inv.counters.storageOps);
      exp.totalMs += inv.durationMs;
      rows.push(...res.data.rows);
      cursor = res.data.cursor;
    } while (cursor);
    const check = checkAuditExport(rows, sha256Hex);
    lines.push(summary('export (CSV/JSON rows, both languages)', exp));
    lines.push(`  exported ${rows.length.toLocaleString('en-US')} events; the file's chains ${check.ok ? `verify (${check.chains} chains)` : `do NOT verify: ${JSON.stringify(check)}`}`);

    const ver: Calls = { calls: 0, maxBytes: 0, maxMs: 0, maxOps: 0, totalMs: 0 };
    let vcursor: string | undefined;
    let last: unknown;
    for (;;) {
      const inv = await w.onProject<{ state: string; cursor?: string }>('owner', K.verifyAudit, { projectId: w.project.id, ...(vcursor ? { cursor: vcursor } : {}) });
      const res = inv.value as Envelope<{ state: string; cursor?: string }>;
      if (!res.ok) throw new Error(JSON.stringify(res.error));
      ver.calls++;
      ver.maxBytes = Math.max(ver.maxBytes, Buffer.byteLength(JSON.stringify(res)));
      ver.maxMs = Math.max(ver.maxMs, inv.durationMs);
      ver.maxOps = Math.max(ver.maxOps, inv.counters.storageOps);
      ver.totalMs += inv.durationMs;
      last = res.data;
      if (res.data.state !== 'RUNNING') break;
      vcursor = res.data.cursor;
    }
    lines.push(summary('verify', ver));
    lines.push(`  ${JSON.stringify(last)}`);
  } finally {
    await w.close();
  }
  return lines;
}
