import { applyClosedRelease, emptyKpiMonth, monthOf, releaseKpiFacts } from '../domain/kpi';
import { applyTransition } from '../domain/lifecycle';
import { newRelease } from '../domain/release';
import { issueStateAsApp, setIssueProperty } from '../jira/issue-sync';
import { getRow, kpiMonthRow, putFallback, putKpiMonth, putMembershipChanges, putRelease, putTeam, setupRef } from '../storage/records';
import { Changes, ConflictError } from '../storage/store';
import { RELEASE_PROPERTY_KEY, actionForStatusChange, releaseProperty, statusForId } from '../workflow/rules';
import { dslSummariesAtClose } from '../domain/dsl';
import { updateDslEnvironmentVersionsAfterClose } from './dsl-environments';
import { raiseCmdbTaskFor } from './jira-mirror';
import { contextOf, loadRelease } from './load';

/**
 * Jira → record: a status change made in Jira (its issue view, a bulk change, the REST API) reaches the
 * release record exactly once. The record follows Jira's *current* status: a duplicate event finds the
 * record already there; a late one finds Jira moved on and cannot move the record backwards. A Release
 * Request created in Jira directly gets its record.
 */

export type SyncOutcome = 'created' | 'moved' | 'unchanged' | 'ignored' | 'out-of-step';

const APP_ACTOR = 'app';

export async function syncReleaseFromJira(issueIdOrKey: string, actorAccountId: string | undefined, now: number): Promise<SyncOutcome> {
  const issue = await issueStateAsApp(issueIdOrKey);
  if (!issue) return 'ignored';
  const setup = await getRow(setupRef(issue.projectId));
  if (!setup?.doc.issueTypeId || issue.issueTypeId !== setup.doc.issueTypeId) return 'ignored';
  const actor = actorAccountId ?? APP_ACTOR;
  const loaded = await loadRelease({ accountId: actor, projectId: issue.projectId, projectKey: issue.projectKey }, issue.id, now);

  if (!loaded.release) {
    const release = newRelease({ id: issue.id, issueKey: issue.key, projectId: issue.projectId, requesterAccountId: issue.reporterAccountId ?? actor, now });
    const changes = new Changes();
    putRelease(changes, { release, dslItems: [] }, null, now);
    changes.audit({
      projectId: issue.projectId,
      subjectType: 'RELEASE',
      subjectId: release.id,
      action: 'submitRelease',
      actorAccountId: actor,
      at: now,
      before: {},
      after: { issueKey: issue.key, source: 'jira' },
    });
    try {
      await changes.commit();
    } catch (err) {
      if (err instanceof ConflictError) return 'unchanged'; // created meanwhile by the app or a twin event
      throw err;
    }
    await setIssueProperty(issue.id, RELEASE_PROPERTY_KEY, releaseProperty({ release: { ...release, version: 1 }, team: null, fallbackPlan: null, trainingTasks: [], dslItems: [] }));
    return 'created';
  }

  const ctx = contextOf(loaded);
  if (!ctx || !issue.statusId) return 'ignored';
  const to = statusForId(setup.doc.statusIds, issue.statusId);
  if (!to || to === ctx.release.status) return 'unchanged';
  const action = actionForStatusChange(ctx.release.status, to);
  if (!action) return 'out-of-step';
  const applied = applyTransition({ release: ctx.release, team: ctx.team, fallbackPlan: ctx.fallbackPlan }, action, { actorAccountId: actor }, now);
  if (!applied.ok) return 'out-of-step';

  const changes = new Changes();
  // Closing in Jira records the production update of the release's DSL items, as the app's own close does.
  const dslItems = applied.effects.includes('UPDATE_DSL_ENVIRONMENT_VERSIONS') ? dslSummariesAtClose(ctx.dslItems, now) : [...ctx.dslItems];
  const stored = putRelease(changes, { ...loaded.release!.doc, release: applied.release, dslItems }, loaded.release!.version, now);
  if (applied.team) {
    putTeam(changes, issue.projectId, applied.team, loaded.team?.version ?? null);
    putMembershipChanges(changes, issue.projectId, ctx.team, applied.team);
  }
  if (applied.fallbackPlan && applied.fallbackPlan !== ctx.fallbackPlan) putFallback(changes, issue.projectId, applied.fallbackPlan, loaded.fallback?.version ?? null, now);
  if (applied.effects.includes('RECORD_KPI_FACTS')) {
    const facts = releaseKpiFacts({ ...ctx, dslItems, release: applied.release, team: applied.team, fallbackPlan: applied.fallbackPlan }, loaded.policy);
    if (facts) {
      const row = await kpiMonthRow(facts.projectId, facts.month);
      putKpiMonth(changes, applyClosedRelease(row?.doc ?? emptyKpiMonth(facts.projectId, monthOf(facts.closedAt)), facts), row?.version ?? null);
    }
  }
  changes.audit({
    projectId: issue.projectId,
    subjectType: 'RELEASE',
    subjectId: issue.id,
    action,
    actorAccountId: actor,
    at: now,
    before: { status: ctx.release.status },
    after: { status: applied.release.status, source: 'jira' },
  });
  try {
    await changes.commit();
  } catch (err) {
    // Someone (the app's own panel, a twin event) moved the record meanwhile: theirs stands.
    if (err instanceof ConflictError) return 'unchanged';
    throw err;
  }
  const after = { ...ctx, dslItems, release: stored.release, team: applied.team, fallbackPlan: applied.fallbackPlan };
  await setIssueProperty(issue.id, RELEASE_PROPERTY_KEY, releaseProperty(after, loaded.policy));
  if (applied.effects.includes('UPDATE_DSL_ENVIRONMENT_VERSIONS')) await updateDslEnvironmentVersionsAfterClose(issue.projectId, issue.id, actor, now);
  if (applied.effects.includes('RAISE_CMDB_UPDATE_TASK')) await raiseCmdbTaskFor(after, setup.doc);
  return 'moved';
}
