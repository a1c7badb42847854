import { z } from 'zod';
import { dailyJobOptionsSchema } from '../consumers/daily-job';
import { startDailyJob } from '../services/daily-job';

/**
 * `scheduledTrigger` (interval: day): KPI reconciliation, overdue training reminders and the Jira sweep. Forge
 * sends `{ context: { cloudId, moduleKey }, contextToken }` and no user. This invocation plans the day's run
 * and pushes its units to the `daily-job` queue, where consumers run them (src/services/daily-job.ts).
 * `options` never comes from Forge: an operator (or a test) invoking the function directly may bound the
 * invocations or ask for more months (`months`).
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
  const res = await startDailyJob(parsed.data.options ?? {});
  const p = res.progress;
  const state = res.done ? 'done' : res.overlapped ? 'today’s run is under way' : res.continued ? 'planning continues on the queue' : 'planned';
  console.info(`daily job: ${state}; ${p?.projects.length ?? 0} project(s), ${p?.pushed ?? 0} pushed to the queue`);
  return { statusCode: 204 };
}
