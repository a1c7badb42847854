import { decide } from '../domain/decide';
import { TRANSITIONS, isTransitionAction, type TransitionAction } from '../domain/lifecycle';
import type { ReasonCode } from '../domain/reasons';
import { browseIssue } from '../jira/issues';
import { actionForStatusChange, statusForId } from '../workflow/rules';
import { contextOf, loadRelease } from './load';

/**
 * The workflow validator's question, asked of the same `decide` as every other entry point: may this user
 * fire this transition on this release now? A transition the app has already applied to the record (its
 * own panel moves the record first, then Jira) is let through; anything else must pass role and gate.
 */

export interface GateAnswer {
  allowed: boolean;
  reasons: ReasonCode[];
  action: TransitionAction | null;
}

export interface JiraTransitionQuestion {
  accountId: string | undefined;
  issueKey: string;
  fromStatusId: string | undefined;
  toStatusId: string | undefined;
  /** The action named in the validator's configuration, written at set-up. */
  configuredAction: string | undefined;
  now: number;
}

export async function checkJiraTransition(q: JiraTransitionQuestion): Promise<GateAnswer> {
  const refuse = (reasons: ReasonCode[], action: TransitionAction | null = null): GateAnswer => ({ allowed: false, reasons, action });
  if (!q.accountId) return refuse(['CANNOT_BROWSE']);
  const issue = await browseIssue(q.issueKey);
  if (!issue) return refuse(['CANNOT_BROWSE']);
  const loaded = await loadRelease({ accountId: q.accountId, projectId: issue.projectId, projectKey: issue.projectKey }, issue.id, q.now);
  const ctx = contextOf(loaded);
  if (!ctx) return refuse(['RELEASE_REQUIRED']);
  const statusIds = loaded.setup?.doc.statusIds ?? {};
  const to = q.toStatusId ? statusForId(statusIds, q.toStatusId) : null;
  const from = q.fromStatusId ? statusForId(statusIds, q.fromStatusId) : ctx.release.status;
  const action: TransitionAction | null =
    q.configuredAction && isTransitionAction(q.configuredAction) ? q.configuredAction : from && to ? actionForStatusChange(from, to) : null;
  if (!action) return refuse(['WRONG_STATUS']);
  // The app moved the record already (its panel, then Jira): Jira is catching up.
  if (ctx.release.status === TRANSITIONS[action].to) return { allowed: true, reasons: [], action };
  const decision = decide(loaded.actor, ctx, action, q.now, loaded.policy, {});
  return decision.allowed ? { allowed: true, reasons: [], action } : refuse([...decision.reasons], action);
}
