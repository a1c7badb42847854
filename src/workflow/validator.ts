import { z } from 'zod';
import { checkJiraTransition } from '../services/jira-gate';
import { bilingualReasons } from './messages';

/**
 * `jira:workflowValidator` (function): Jira calls it when anyone fires a Release Request transition, from
 * any screen or the REST API. Answers `{ result, errorMessage }` as Forge documents.
 */

const eventSchema = z
  .object({
    issue: z.object({ key: z.string() }).loose(),
    transition: z
      .object({
        from: z.object({ id: z.union([z.string(), z.number()]).transform(String).optional() }).loose().optional(),
        to: z.object({ id: z.union([z.string(), z.number()]).transform(String).optional() }).loose().optional(),
      })
      .loose()
      .optional(),
    configuration: z.object({ action: z.string().optional() }).loose().optional(),
  })
  .loose();

const contextSchema = z.object({ principal: z.object({ accountId: z.string() }).loose().optional() }).loose();

export async function gateValidator(event: unknown, context: unknown): Promise<{ result: boolean; errorMessage?: string }> {
  const e = eventSchema.safeParse(event);
  if (!e.success) return { result: false, errorMessage: 'Release Governance could not read this transition. / 发布治理无法读取此转换。' };
  const c = contextSchema.safeParse(context ?? {});
  const answer = await checkJiraTransition({
    accountId: c.success ? c.data.principal?.accountId : undefined,
    issueKey: e.data.issue.key,
    fromStatusId: e.data.transition?.from?.id,
    toStatusId: e.data.transition?.to?.id,
    configuredAction: e.data.configuration?.action,
    now: Date.now(),
  });
  return answer.allowed ? { result: true } : { result: false, errorMessage: bilingualReasons(answer.reasons) };
}
