import { z } from 'zod';
import { dailyJobOptionsSchema, runDailyJobSlice } from '../consumers/daily-job';

/**
 * `scheduledTrigger` (interval: day): KPI reconciliation and overdue training reminders. Forge sends
 * `{ context: { cloudId, moduleKey }, contextToken }` and no user. `options` never comes from Forge: an
 * operator (or a test) invoking the function directly may bound a run or ask for more months.
 */
const eventSchema = z
  .object({
    options: dailyJobOptionsSchema.optional(),
  })
  .loose();

export async function dailyJob(event: unknown): Promise<{ statusCode: number }> {
  const parsed = eventSchema.safeParse(event ?? {});
  if (!parsed.success) {
    console.error('daily job: unexpected event', parsed.error.message);
    return { statusCode: 400 };
  }
  // What does not fit in this invocation continues on the daily-job queue (src/consumers/daily-job.ts).
  const res = await runDailyJobSlice(parsed.data.options ?? {}, 0);
  console.info(`daily job: ${res.done ? 'done' : res.continued ? 'continues on the queue' : 'stopped, continues next time'} after ${res.steps} step(s)${res.overlapped ? ' (another invocation is running)' : ''}`, JSON.stringify(res.progress?.stats ?? {}));
  return { statusCode: 204 };
}
