import type { ReleaseContext } from '../domain/context';
import { TRANSITIONS, type TransitionAction } from '../domain/lifecycle';
import { JiraError } from '../jira/client';
import { setIssueProperty, transitionIssueAsUser } from '../jira/issue-sync';
import type { ProjectSetup } from '../storage/records';
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
}

export async function mirrorToJira(ctx: ReleaseContext, setup: ProjectSetup | null, transition: TransitionAction | null): Promise<JiraSyncResult> {
  try {
    await setIssueProperty(ctx.release.id, RELEASE_PROPERTY_KEY, releaseProperty(ctx));
    if (!transition) return { status: 'synced' };
    // Only projects set up with the app's workflow have the transition in Jira.
    if (!setup?.statusIds[TRANSITIONS[transition].to]) return { status: 'skipped' };
    await transitionIssueAsUser(ctx.release.id, TRANSITION_IDS[transition]);
    return { status: 'synced' };
  } catch (err) {
    const message = err instanceof JiraError ? [err.message, ...err.messages].join(' ') : err instanceof Error ? err.message : String(err);
    console.warn('Jira did not follow the release record', ctx.release.id, message);
    return { status: 'failed', message: message.slice(0, 500) };
  }
}
