import { cmdbTaskContent } from '../domain/cmdb-task';
import type { ReleaseContext } from '../domain/context';
import { TRANSITIONS, type TransitionAction } from '../domain/lifecycle';
import { JiraError } from '../jira/client';
import { setIssueProperty, transitionIssueAsUser } from '../jira/issue-sync';
import { raiseCmdbUpdateTask } from '../jira/links';
import { dslItemRef, getRows } from '../storage/dsl';
import type { ProjectSetup } from '../storage/records';
import { policyOf } from './load';
import { RELEASE_PROPERTY_KEY, TRANSITION_IDS, releaseProperty } from '../workflow/rules';

/**
 * Record → Jira, after a change made through the app has committed: the issue property (what JQL indexes
 * and the workflow condition reads) follows every change, and a lifecycle transition moves the Jira issue
 * too — as the user, so Jira applies its own permissions, the condition and the validator (which lets the
 * transition through because the record is already there). The record is the app's source of truth; if Jira
 * cannot follow, the result says so and the issue-event trigger reconciles when Jira moves.
 */

export interface JiraSyncResult {
  status: 'synced' | 'skipped' | 'failed';
  message?: string;
  /** The CMDB-update task raised when the release closed successfully. */
  cmdbTaskKey?: string;
}

/**
 * 发布成功后通知配置管理更新配置信息: a successful close raises the CMDB-update task in Jira (once, however
 * often it is asked), bilingual since Jira shows one text to everyone.
 */
export async function raiseCmdbTaskFor(ctx: ReleaseContext, setup: ProjectSetup | null): Promise<string | null> {
  const r = ctx.release;
  if (r.status !== 'CLOSED' || r.outcome !== 'SUCCESS' || !r.issueKey) return null;
  // The summaries a release keeps carry no checksum or CI reference: the task names them from the items.
  const items = (await getRows(ctx.dslItems.map((i) => dslItemRef(i.id)))).flatMap((row) => (row && row.doc.projectId === r.projectId ? [row.doc] : []));
  const content = cmdbTaskContent({ release: { issueKey: r.issueKey, closedAt: r.statusEnteredAt.CLOSED ?? null }, items });
  const task = await raiseCmdbUpdateTask({
    releaseIssueKey: r.issueKey,
    projectId: r.projectId,
    releaseIssueTypeId: setup?.issueTypeId,
    summary: content.summary,
    description: content.description,
  });
  return task?.key ?? null;
}

export async function mirrorToJira(ctx: ReleaseContext, setup: ProjectSetup | null, transition: TransitionAction | null): Promise<JiraSyncResult> {
  let status: JiraSyncResult['status'] = 'synced';
  try {
    await setIssueProperty(ctx.release.id, RELEASE_PROPERTY_KEY, releaseProperty(ctx, policyOf(setup)));
    // Only projects set up with the app's workflow have the transition in Jira.
    if (transition && setup?.statusIds[TRANSITIONS[transition].to]) await transitionIssueAsUser(ctx.release.id, TRANSITION_IDS[transition]);
    else if (transition) status = 'skipped';
    const cmdbTaskKey = transition === 'verifyAndClose' ? await raiseCmdbTaskFor(ctx, setup) : null;
    return { status, ...(cmdbTaskKey ? { cmdbTaskKey } : {}) };
  } catch (err) {
    const message = err instanceof JiraError ? [err.message, ...err.messages].join(' ') : err instanceof Error ? err.message : String(err);
    console.warn('Jira did not follow the release record', ctx.release.id, message);
    return { status: 'failed', message: message.slice(0, 500) };
  }
}
