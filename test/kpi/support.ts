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
import type { DrainOptions, QueueDelivery } from '../../sandbox/runtime/queue';

export const JOB_MODULE = 'daily-kpi-and-training';

export interface JobOptions {
  pageSize?: number;
  maxSteps?: number;
  budgetMs?: number;
  months?: string[];
}

/**
 * Fires the scheduled trigger, then lets the queue deliver every unit it pushed (and their continuations).
 * Returns the daily-job consumer's deliveries.
 */
export async function runJob(w: World, options?: JobOptions, drain: DrainOptions = {}): Promise<QueueDelivery[]> {
  const inv = await w.platform.runScheduled<{ statusCode: number }>(JOB_MODULE, options ? { options } : {});
  expect(inv.value.statusCode).toBe(204);
  const drained = await w.platform.drainQueues(drain);
  return drained.deliveries.filter((d) => d.consumer === 'daily-job-consumer');
}

export async function progress(w: World): Promise<JobProgress | null> {
  return (await w.platform.run(async () => (await getRow(jobProgressRef(DAILY_JOB_KEY)))?.doc ?? null)).value;
}

/** The daily job's rows other than the run's: its units, project rows, recount pages. */
export function jobRows(w: World): { key: string; doc: Record<string, unknown> }[] {
  const rows = w.platform.db.prepare('SELECT key, value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.jobProgress}`) as { key: string; value: string }[];
  return rows.map((r) => ({ key: r.key, doc: (JSON.parse(r.value) as { doc: Record<string, unknown> }).doc }));
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
