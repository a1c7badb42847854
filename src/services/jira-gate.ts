import { decide } from '../domain/decide';
import { isTransitionAction, type TransitionAction } from '../domain/lifecycle';
import type { ReasonCode } from '../domain/reasons';
import { browseIssue } from '../jira/issues';
import { issueStateAsApp } from '../jira/issue-sync';
import { getMany, releaseRef, setupRef } from '../storage/records';
import { actionForStatusChange, isCatchUpStep, statusForId } from '../workflow/rules';
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

/**
 * A step that only brings a lagging Jira towards the record (the effects outbox catching up, possibly several
 * steps behind, possibly as the app) changes no record, so it needs no role and no gate: let it through
 * whoever fires it. Read as the app: the app's own catch-up has no browsing user.
 */
async function catchUpAction(q: JiraTransitionQuestion): Promise<TransitionAction | null> {
  if (!q.fromStatusId) return null;
  const issue = await issueStateAsApp(q.issueKey);
  if (!issue) return null;
  const [setup, release] = await getMany([setupRef(issue.projectId), releaseRef(issue.id)] as const);
  if (!setup || !release || release.doc.release.projectId !== issue.projectId) return null;
  const statusIds = setup.doc.statusIds;
  const from = statusForId(statusIds, q.fromStatusId);
  const to = q.toStatusId ? statusForId(statusIds, q.toStatusId) : null;
  const action = q.configuredAction && isTransitionAction(q.configuredAction) ? q.configuredAction : from && to ? actionForStatusChange(from, to) : null;
  return from && action && isCatchUpStep(from, action, release.doc.release) ? action : null;
}

export async function checkJiraTransition(q: JiraTransitionQuestion): Promise<GateAnswer> {
  const refuse = (reasons: ReasonCode[], action: TransitionAction | null = null): GateAnswer => ({ allowed: false, reasons, action });
  const catchUp = await catchUpAction(q);
  if (catchUp) return { allowed: true, reasons: [], action: catchUp };
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
  const decision = decide(loaded.actor, ctx, action, q.now, loaded.policy, {});
  return decision.allowed ? { allowed: true, reasons: [], action } : refuse([...decision.reasons], action);
}
