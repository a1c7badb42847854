import { z } from 'zod';
import { runDailyJob } from '../services/kpi-reconcile';

/**
 * `scheduledTrigger` (interval: day): KPI reconciliation and overdue training reminders. Forge sends
 * `{ context: { cloudId, moduleKey }, contextToken }` and no user. `options` never comes from Forge: an
 * operator (or a test) invoking the function directly may bound a run or ask for more months.
 */
const eventSchema = z
  .object({
    options: z
      .object({
        pageSize: z.number().int().min(1).max(10).optional(),
        budgetMs: z.number().int().min(0).max(900_000).optional(),
        maxSteps: z.number().int().min(0).max(100_000).optional(),
        months: z.array(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/)).max(24).optional(),
      })
      .strict()
      .optional(),
  })
  .loose();

export async function dailyJob(event: unknown): Promise<{ statusCode: number }> {
  const parsed = eventSchema.safeParse(event ?? {});
  if (!parsed.success) {
    console.error('daily job: unexpected event', parsed.error.message);
    return { statusCode: 400 };
  }
  const res = await runDailyJob(parsed.data.options ?? {});
  console.info(`daily job: ${res.done ? 'done' : 'stopped, continues next time'} after ${res.steps} step(s)${res.overlapped ? ' (another invocation is running)' : ''}`, JSON.stringify(res.progress?.stats ?? {}));
  return { statusCode: 204 };
}
