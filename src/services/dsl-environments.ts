/**
 * Environment versions (SPEC §3 verify and close: "DSL environment versions updated or flagged"). When a
 * release closes successfully, the test and production versions of every software name it delivered point at
 * its items, and the Jira fix versions of those items are marked released.
 *
 * The closing transaction itself stamps the release's item summaries (`dslSummariesAtClose`: the production
 * update time the DSL timely-update KPI reads). The environment rows follow right after, in batches that stay
 * under Forge's 25 operations per transaction. The follow-up is idempotent (a row that already points at the
 * release's item is left alone; a row set by a release closed later is never moved back), so if it fails
 * half-way the consistency check lists the environments that disagree with the last successful release and
 * `dsl/syncEnvironments` (or the next close) completes it.
 */
import { RESOLVER_KEYS as K, type PayloadOf } from '../contracts';
import { decide } from '../domain/decide';
import { DSL_ENVIRONMENTS, type DslEnvironmentVersion, type DslHistoryEvent } from '../domain/dsl';
import { listProjectVersions, releaseVersionAsApp } from '../jira/versions';
import { appendDslHistory, dslItemRef, environmentRef, getRows, putEnvironment } from '../storage/dsl';
import { getRow, releaseRef } from '../storage/records';
import { Changes, newId } from '../storage/store';
import { refused, ServiceError } from './errors';
import { loadProject } from './load';
import { commit, now } from './run';
import { resolveProjectScope, type Caller } from './scope';

/** Items per transaction: 2 environment rows + 1 history event each, plus the audit event. */
const ITEMS_PER_BATCH = 7;

export interface EnvironmentUpdate {
  /** Environment rows written. */
  updated: number;
  /** Rows left alone because a release closed later owns them. */
  keptNewer: number;
  fixVersionsReleased: string[];
  /** Fix versions Jira would not release (listed by the consistency check too). */
  fixVersionsFailed: string[];
}

/**
 * Points the test and production versions at the items of a successfully closed release. The caller has
 * checked the actor's right to close (or to run the DSL); `actorAccountId` is recorded.
 */
export async function updateDslEnvironmentVersions(projectId: string, releaseId: string, actorAccountId: string, t: number): Promise<EnvironmentUpdate> {
  const result: EnvironmentUpdate = { updated: 0, keptNewer: 0, fixVersionsReleased: [], fixVersionsFailed: [] };
  const row = await getRow(releaseRef(releaseId));
  const r = row?.doc.release;
  if (!row || !r || r.projectId !== projectId || r.status !== 'CLOSED' || r.outcome !== 'SUCCESS') return result;
  const closedAt = r.statusEnteredAt.CLOSED ?? t;
  const delivered = row.doc.dslItems.filter((i) => i.status === 'IN_LIBRARY' || i.status === 'CHECKED_OUT');
  const items = (await getRows(delivered.map((i) => dslItemRef(i.id)))).flatMap((x) => (x && x.doc.projectId === projectId ? [x.doc] : []));

  for (let i = 0; i < items.length; i += ITEMS_PER_BATCH) {
    const batch = items.slice(i, i + ITEMS_PER_BATCH);
    const refs = batch.flatMap((item) => DSL_ENVIRONMENTS.map((env) => environmentRef(projectId, env, item.name)));
    const current = await getRows(refs);
    const changes = new Changes();
    const touched: string[] = [];
    batch.forEach((item, n) => {
      const envs: string[] = [];
      DSL_ENVIRONMENTS.forEach((env, e) => {
        const cur = current[n * DSL_ENVIRONMENTS.length + e] ?? null;
        if (cur && cur.doc.itemId === item.id && cur.doc.releaseId === releaseId) return;
        if (cur && cur.doc.releaseId !== releaseId && cur.doc.updatedAt > closedAt) {
          result.keptNewer++;
          return;
        }
        const next: DslEnvironmentVersion = { projectId, environment: env, name: item.name, itemId: item.id, version: item.version, releaseId, updatedAt: t, updatedBy: actorAccountId };
        putEnvironment(changes, next, cur?.version ?? null);
        envs.push(env);
        result.updated++;
      });
      if (envs.length > 0) {
        const event: DslHistoryEvent = {
          id: `${item.id}:${String(Math.floor(t)).padStart(15, '0')}:${newId().slice(0, 8)}`,
          itemId: item.id,
          projectId,
          type: 'ENVIRONMENT_UPDATED',
          at: t,
          actorAccountId,
          releaseId,
          note: envs.join(', '),
        };
        appendDslHistory(changes, event);
        touched.push(`${item.name} ${item.version}`);
      }
    });
    if (touched.length === 0) continue;
    changes.audit({ projectId, subjectType: 'RELEASE', subjectId: releaseId, action: 'dslEnvironmentUpdate', actorAccountId, at: t, before: {}, after: { dslEnvironments: [...DSL_ENVIRONMENTS], dslItems: touched } });
    await commit(changes);
  }

  // Fix versions of the delivered items are released in Jira (as the app: the closer is seldom a project admin).
  const fixIds = [...new Set(items.map((x) => x.fixVersionId).filter((x): x is string => !!x))];
  if (fixIds.length > 0) {
    const versions = await listProjectVersions(projectId).catch(() => null);
    const date = new Date(closedAt).toISOString().slice(0, 10);
    for (const id of fixIds) {
      const v = versions?.find((x) => x.id === id);
      if (!v || v.released) continue;
      try {
        await releaseVersionAsApp(id, date);
        result.fixVersionsReleased.push(id);
      } catch (err) {
        console.error('fix version not released', id, err instanceof Error ? err.message : String(err));
        result.fixVersionsFailed.push(id);
      }
    }
  }
  return result;
}

/** The close's follow-up, never failing the close itself: what it could not do, the consistency check flags. */
export async function updateDslEnvironmentVersionsAfterClose(projectId: string, releaseId: string, actorAccountId: string, t: number): Promise<EnvironmentUpdate | null> {
  try {
    return await updateDslEnvironmentVersions(projectId, releaseId, actorAccountId, t);
  } catch (err) {
    console.error('DSL environment versions not updated; flagged by the consistency check', releaseId, err instanceof Error ? err.message : String(err));
    return null;
  }
}

/** `dsl/syncEnvironments`: completes the follow-up of a successfully closed release (software control lead). */
export async function syncDslEnvironments(caller: Caller, p: PayloadOf<typeof K.dslSyncEnvironments>): Promise<EnvironmentUpdate> {
  const scope = await resolveProjectScope(caller);
  const t = now();
  const proj = await loadProject(scope, t);
  const d = decide(proj.actor, null, 'dslCheckIn', t, proj.policy);
  if (!d.allowed) throw refused(d.reasons);
  const row = await getRow(releaseRef(p.releaseId));
  if (!row || row.doc.release.projectId !== scope.projectId) throw new ServiceError('NOT_FOUND', { field: 'releaseId' });
  if (row.doc.release.status !== 'CLOSED' || row.doc.release.outcome !== 'SUCCESS') throw refused(['WRONG_STATUS']);
  return updateDslEnvironmentVersions(scope.projectId, p.releaseId, scope.accountId, t);
}
