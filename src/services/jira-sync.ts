import { applyClosedRelease, emptyKpiMonth, monthOf, releaseKpiFacts } from '../domain/kpi';
import { applyTransition } from '../domain/lifecycle';
import { newRelease } from '../domain/release';
import { issueStateAsApp } from '../jira/issue-sync';
import { getRow, kpiMonthRow, putFallback, putKpiMonth, putMembershipChanges, putRelease, putTeam, setupRef } from '../storage/records';
import { Changes, ConflictError } from '../storage/store';
import { actionForStatusChange, statusForId } from '../workflow/rules';
import { dslSummariesAtClose } from '../domain/dsl';
import { applyReleaseEffects, effectsOfChange, requestEffects, scheduleRetry } from '../effects';
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
    requestEffects(changes, loaded.effectRequest, { releaseId: release.id, projectId: issue.projectId, releaseVersion: 1, kinds: effectsOfChange({ transition: false }), actorAccountId: actor, at: now });
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
    await followUp(issue.id, issue.projectId, now);
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
  requestEffects(changes, loaded.effectRequest, {
    releaseId: issue.id,
    projectId: issue.projectId,
    releaseVersion: stored.release.version,
    kinds: effectsOfChange({ transition: true, effects: applied.effects }),
    actorAccountId: actor,
    at: now,
  });
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
  // The property, the CMDB task and the DSL environments follow through the outbox, as after the app's own changes.
  await followUp(issue.id, issue.projectId, now);
  return 'moved';
}

async function followUp(releaseId: string, projectId: string, now: number): Promise<void> {
  const outcome = await applyReleaseEffects(releaseId, projectId, { now });
  if (outcome.status === 'pending') await scheduleRetry({ releaseId, projectId, notBefore: outcome.nextAttemptAt ?? now });
}
