/** Helpers of the KPI tests: the daily job fired as Forge's scheduler does, and direct looks at its records. */
import { RESOLVER_KEYS as K } from '../../src/contracts';
import type { AuditValue } from '../../src/domain/audit';
import type { KpiMonthAggregate } from '../../src/domain/kpi';
import { DAILY_JOB_KEY } from '../../src/services/daily-job';
import { jobProgressRef, type JobProgress } from '../../src/storage/jobs';
import { getRow, kpiMonthRow, putKpiMonth } from '../../src/storage/records';
import { ENTITY } from '../../src/storage/entities';
import { Changes } from '../../src/storage/store';
import { realNow } from '../../sandbox/runtime/context';
import type { World } from '../support/release-world';

export const JOB_MODULE = 'daily-kpi-and-training';

export interface JobOptions {
  pageSize?: number;
  maxSteps?: number;
  budgetMs?: number;
  months?: string[];
}

export async function runJob(w: World, options?: JobOptions): Promise<void> {
  const inv = await w.platform.runScheduled<{ statusCode: number }>(JOB_MODULE, options ? { options } : {});
  expect(inv.value.statusCode).toBe(204);
}

export async function progress(w: World): Promise<JobProgress | null> {
  return (await w.platform.run(async () => (await getRow(jobProgressRef(DAILY_JOB_KEY)))?.doc ?? null)).value;
}

/** Runs the job in invocations of `maxSteps` steps until the run completes; returns how many it took. */
export async function runJobInPieces(w: World, options: JobOptions & { maxSteps: number }): Promise<number> {
  for (let n = 1; n <= 500; n++) {
    await runJob(w, options);
    const completedAt = (await progress(w))?.completedAt;
    if (completedAt !== null && completedAt !== undefined) return n;
  }
  throw new Error('the job never completed');
}

export async function kpiRow(w: World, month: string): Promise<{ version: number; doc: KpiMonthAggregate } | null> {
  return (await w.platform.run(() => kpiMonthRow(w.project.id, month))).value;
}

/** Rewrites the stored aggregate (drift, as a lost or doubled incremental update would leave it). */
export async function injectDrift(w: World, month: string, fn: (a: KpiMonthAggregate) => KpiMonthAggregate): Promise<void> {
  await w.platform.run(async () => {
    const row = await kpiMonthRow(w.project.id, month);
    if (!row) throw new Error(`no aggregate for ${month}`);
    const changes = new Changes();
    putKpiMonth(changes, fn(row.doc), row.version);
    await changes.commit();
  });
}

/** Every stored row but the job's own progress record. */
export function dataSnapshot(w: World): string[] {
  return w.snapshot().filter((r) => !r.startsWith(`entity:${ENTITY.jobProgress} `));
}

export interface StoredAudit {
  action: string;
  subjectId: string;
  actorAccountId: string;
  before: Record<string, AuditValue>;
  after: Record<string, AuditValue>;
}

export function auditsOf(w: World, action: string): StoredAudit[] {
  const rows = w.platform.db.prepare('SELECT value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.audit}`) as { value: string }[];
  return rows.map((r) => (JSON.parse(r.value) as { doc: StoredAudit }).doc).filter((a) => a.action === action);
}

export async function getKpis(w: World, month: string): Promise<{ months: KpiMonthAggregate[]; total: { name: string; value: number | null }[] }> {
  const res = await w.onProject<{ months: KpiMonthAggregate[]; total: { name: string; value: number | null }[] }>('owner', K.getKpis, { projectId: w.project.id, fromMonth: month, toMonth: month });
  if (!res.value.ok) throw new Error(JSON.stringify(res.value.error));
  return res.value.data;
}

/** Moves the app's clock `days` days ahead of the real one (invocations started from now on). */
export function daysLater(w: World, days: number): void {
  w.platform.setClock(() => realNow() + days * 86_400_000);
}
