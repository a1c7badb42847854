import { decide, decideTransitionGate } from '../domain/decide';
import type { ReleaseStatus } from '../domain/release';
import { isTransitionAction, type TransitionAction } from '../domain/lifecycle';
import type { ReasonCode } from '../domain/reasons';
import { issueFactsAsApp } from '../jira/issues';
import { issueStateAsApp } from '../jira/issue-sync';
import { getMany, releaseRef, setupRef } from '../storage/records';
import { actionForStatusChange, isCatchUpStep, RELEASE_PROPERTY_KEY, releaseProperty, statusForId, validatorFacts, type ReleaseProperty } from '../workflow/rules';
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

const refuse = (reasons: ReasonCode[], action: TransitionAction | null = null): GateAnswer => ({ allowed: false, reasons, action });

/**
 * Without a principal — what Forge's `jira:workflowValidator` page documents — the function checks what does
 * not depend on the user: the status and the gate, from the app's records read as the app. Who may make the
 * transition (role, team slot, segregation of duties) is the role validator's part: a Jira expression with
 * `user`, over the issue property. So that property must be the app's: any editor of the issue can rewrite an
 * entity property, so the facts the expression read are checked here against the records, and a forged or
 * stale copy refuses the transition.
 */
async function checkWithoutPrincipal(q: JiraTransitionQuestion): Promise<GateAnswer> {
  const issue = await issueFactsAsApp(q.issueKey, RELEASE_PROPERTY_KEY);
  if (!issue) return refuse(['RELEASE_REQUIRED']);
  const loaded = await loadRelease({ accountId: '', projectId: issue.projectId, projectKey: issue.projectKey }, issue.id, q.now);
  const ctx = contextOf(loaded);
  if (!ctx || ctx.release.projectId !== issue.projectId) return refuse(['RELEASE_REQUIRED']);
  const action = actionOf(q, loaded.setup?.doc.statusIds ?? {}, ctx.release.status);
  if (!action) return refuse(['WRONG_STATUS']);
  const mirrored = typeof issue.property === 'object' && issue.property !== null ? (issue.property as Partial<ReleaseProperty>) : null;
  const same =
    mirrored !== null &&
    validatorFacts({
      status: mirrored.status ?? ctx.release.status,
      holders: mirrored.holders ?? ({} as ReleaseProperty['holders']),
      requester: mirrored.requester ?? null,
      implementersEver: mirrored.implementersEver ?? [],
    }) === validatorFacts(releaseProperty(ctx, loaded.policy)) &&
    (!loaded.policy.segregationOfDuties || mirrored.sod === true);
  if (!same) return refuse(['JIRA_FACTS_OUT_OF_DATE'], action);
  const decision = decideTransitionGate(ctx, action, q.now, loaded.policy);
  return decision.allowed ? { allowed: true, reasons: [], action } : refuse([...decision.reasons], action);
}

function actionOf(q: JiraTransitionQuestion, statusIds: Readonly<Partial<Record<ReleaseStatus, string>>>, current: ReleaseStatus): TransitionAction | null {
  const to = q.toStatusId ? statusForId(statusIds, q.toStatusId) : null;
  const from = q.fromStatusId ? statusForId(statusIds, q.fromStatusId) : current;
  return q.configuredAction && isTransitionAction(q.configuredAction) ? q.configuredAction : from && to ? actionForStatusChange(from, to) : null;
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
  const catchUp = await catchUpAction(q);
  if (catchUp) return { allowed: true, reasons: [], action: catchUp };
  if (!q.accountId) return checkWithoutPrincipal(q);
  // Jira runs a validator only for someone it lets make the transition (who can therefore browse the issue).
  // Reading as that user would need their consent on a real site (asUser from a validator), so the app reads as
  // the app and decides for the principal from its own records.
  const issue = await issueFactsAsApp(q.issueKey, RELEASE_PROPERTY_KEY);
  if (!issue) return refuse(['RELEASE_REQUIRED']);
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
