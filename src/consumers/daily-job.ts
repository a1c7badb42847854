import type { AsyncEvent } from '@forge/events';
import { z } from 'zod';
import { jobTaskSchema } from '../storage/jobs';
import { runUnitEvent, type UnitEventBody } from '../services/daily-job';

/**
 * The daily job's units, on the `daily-job` queue (forge-docs/runtime-reference/async-events-api,
 * manifest-reference/modules/consumer): the scheduled trigger plans the run and pushes one event per project
 * and task; each event runs here, in its own invocation, within its limit (src/services/daily-job.ts).
 */
export { DAILY_JOB_QUEUE } from '../services/daily-job';

const optionsSchema = z
  .object({
    pageSize: z.number().int().min(1).max(10).optional(),
    budgetMs: z.number().int().min(0).max(900_000).optional(),
    maxSteps: z.number().int().min(0).max(100_000).optional(),
    months: z.array(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/)).max(24).optional(),
  })
  .strict();
export type DailyJobEventOptions = z.infer<typeof optionsSchema>;
export { optionsSchema as dailyJobOptionsSchema };

const bodySchema = z
  .object({
    runId: z.number(),
    task: z.union([jobTaskSchema, z.object({ kind: z.literal('PLAN') }).strict()]),
    options: optionsSchema.omit({ months: true }).default({}),
    hop: z.number().int().min(0).default(0),
  })
  .strict();

export async function dailyJobConsumer(event: AsyncEvent): Promise<void> {
  const body = bodySchema.safeParse(event.body);
  if (!body.success) {
    console.error('daily job unit: unexpected event', body.error.message);
    return; // not retried: it would fail the same way
  }
  const b = body.data as UnitEventBody;
  const res = await runUnitEvent(b);
  const t = b.task;
  const what = t.kind === 'PLAN' ? 'planning' : `${t.kind} ${t.projectId}${t.kind === 'RECONCILE' ? ` ${t.month}` : t.kind === 'RECONCILE_SLICE' ? ` ${t.month} week ${t.slice + 1}` : ''}`;
  const state = res.stale ? 'ignored (an older run)' : res.overlapped ? 'another invocation holds it' : res.done ? 'done' : res.waiting ? 'waits for its slices' : res.continued ? 'continues' : 'stopped';
  console.info(`daily job unit ${what} (hop ${b.hop}): ${state} after ${res.steps} step(s)`);
}
