import { Queue, type AsyncEvent } from '@forge/events';
import { z } from 'zod';
import { runDailyJob, type DailyJobOptions, type DailyJobResult } from '../services/kpi-reconcile';

/**
 * The daily job's continuation, on an `@forge/events` queue (forge-docs/runtime-reference/async-events-api,
 * manifest-reference/modules/consumer). The scheduled trigger works for its 55 s; what is left (more
 * projects, more pages of releases) is pushed to `daily-job`, whose consumer resumes from the stored progress
 * within its own limit and pushes the rest again — so a site with thousands of releases finishes the same
 * day, each invocation within its limit, and a stopped one is simply resumed by the next event (the progress
 * record is versioned: an overlapping invocation loses the race and stops).
 */
export const DAILY_JOB_QUEUE = 'daily-job';

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

/** Runs a slice of the job; when work is left (and no other invocation holds it), queues the next slice. */
export async function runDailyJobSlice(options: DailyJobOptions, hop: number): Promise<DailyJobResult & { continued: boolean }> {
  const res = await runDailyJob(options);
  // A slice that made no step (no time, maxSteps 0) would only hand the same work on: leave it to tomorrow.
  const continued = !res.done && !res.overlapped && res.steps > 0;
  if (continued) {
    // `months` asked once: the continuation resumes the same run, it does not start another.
    const { months: _months, ...rest } = options;
    await new Queue({ key: DAILY_JOB_QUEUE }).push({ body: { options: rest, hop: hop + 1 } });
  }
  return { ...res, continued };
}

const bodySchema = z.object({ options: optionsSchema.optional(), hop: z.number().int().min(0).optional() }).loose();

export async function dailyJobConsumer(event: AsyncEvent): Promise<void> {
  const body = bodySchema.safeParse(event.body);
  if (!body.success) {
    console.error('daily job continuation: unexpected event', body.error.message);
    return; // not retried: it would fail the same way
  }
  const hop = body.data.hop ?? 1;
  const res = await runDailyJobSlice(body.data.options ?? {}, hop);
  console.info(`daily job continuation ${hop}: ${res.done ? 'done' : res.overlapped ? 'another invocation holds the run' : 'continues'} after ${res.steps} step(s)`);
}
