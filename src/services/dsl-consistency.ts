/**
 * The consistency list of the library page and of a release's software tab: loads what the pure rules of
 * domain/dsl-consistency.ts need (items, environment versions, Jira's fix versions, open and recently closed
 * releases) and returns their findings.
 */
import { RESOLVER_KEYS as K, type PayloadOf } from '../contracts';
import type { DslConsistencyView } from '../contracts/views';
import type { DslFinding } from '../domain/dsl-consistency';
import { DSL_ENVIRONMENTS, dslNameKey, type DslItem } from '../domain/dsl';
import { libraryFindings, releaseFindings, type DslReleaseFacts, type JiraFixVersion } from '../domain/dsl-consistency';
import type { ReleaseStatus } from '../domain/release';
import { listProjectVersions } from '../jira/versions';
import { dslItemRef, environmentRef, getRows } from '../storage/dsl';
import { ENTITY, INDEX } from '../storage/entities';
import { fallbackRef, getMany, releaseRef, type StoredReleaseDoc } from '../storage/records';
import { storedReleaseDocSchema } from '../storage/schemas';
import { queryIndex, type Row } from '../storage/store';
import { allEnvironments, allItems } from './dsl-reads';
import { readableProject } from './reads';
import { releaseNamesWithSummaries } from './release-keys';
import { ServiceError } from './errors';
import type { Caller } from './scope';

function factsOf(doc: StoredReleaseDoc, restore?: string | null): DslReleaseFacts {
  const r = doc.release;
  return { id: r.id, status: r.status, outcome: r.outcome, closedAt: r.statusEnteredAt.CLOSED ?? null, items: doc.dslItems, ...(restore !== undefined ? { restoreDslItemId: restore } : {}) };
}

async function releasesIn(projectId: string, status: ReleaseStatus, limit: number): Promise<StoredReleaseDoc[]> {
  const page = await queryIndex({ entity: ENTITY.release, index: INDEX.release.byStatus, partition: [projectId, status], sort: 'DESC', limit }, storedReleaseDocSchema);
  return page.items.map((r) => r.doc);
}

/** The 100 most recently changed closed releases: enough to know the last successful delivery of each name. */
async function recentlyClosed(projectId: string): Promise<DslReleaseFacts[]> {
  return (await releasesIn(projectId, 'CLOSED', 100)).map((d) => factsOf(d));
}

async function fixVersions(projectId: string): Promise<JiraFixVersion[] | null> {
  return listProjectVersions(projectId).catch(() => null);
}

export async function getDslConsistency(caller: Caller, p: PayloadOf<typeof K.getDslConsistency>): Promise<DslConsistencyView> {
  const ctx = await readableProject(caller, p.projectId);
  const pid = ctx.scope.projectId;
  if (p.releaseId) return releaseConsistency(pid, p.releaseId, ctx.t);
  const [{ items, truncated }, environments, versions, closed, planning, building] = await Promise.all([
    allItems(pid),
    allEnvironments(pid),
    fixVersions(pid),
    recentlyClosed(pid),
    releasesIn(pid, 'PLANNING', 100),
    releasesIn(pid, 'BUILD_TEST', 100),
  ]);
  const releases = [...closed, ...[...planning, ...building].map((d) => factsOf(d))];
  const findings = libraryFindings({ items, environments, fixVersions: versions, releases });
  return { findings, checkedAt: ctx.t, truncated, fixVersionsUnknown: versions === null, ...(await namesOf(pid, findings, items)) };
}

/** The releases (key, summary) and items (name, version) that the findings name, so that a person reads names, not ids. */
async function namesOf(projectId: string, findings: readonly DslFinding[], known: readonly DslItem[]): Promise<Pick<DslConsistencyView, 'releases' | 'items'>> {
  const byId = new Map(known.map((i) => [i.id, i]));
  const missing = [...new Set(findings.map((f) => f.itemId).filter((id): id is string => !!id && !byId.has(id)))];
  for (const row of await getRows(missing.map((id) => dslItemRef(id)))) if (row && row.doc.projectId === projectId) byId.set(row.doc.id, row.doc);
  const items: DslConsistencyView['items'] = {};
  for (const f of findings) {
    const i = f.itemId ? byId.get(f.itemId) : undefined;
    if (i) items[i.id] = { name: i.name, version: i.version };
  }
  return { releases: await releaseNamesWithSummaries(projectId, findings.map((f) => f.releaseId)), items };
}

async function releaseConsistency(projectId: string, releaseId: string, t: number): Promise<DslConsistencyView> {
  const [row, fallback] = await getMany([releaseRef(releaseId), fallbackRef(releaseId)] as const);
  if (!row || row.doc.release.projectId !== projectId) throw new ServiceError('NOT_FOUND', { field: 'releaseId' });
  const restoreId = fallback?.doc.restoreDslItemId ?? null;
  const names = [...new Set(row.doc.dslItems.map((i) => dslNameKey(i.name ?? '')))];
  const [itemRows, envRows, versions, successful] = await Promise.all([
    getRows([...row.doc.dslItems.map((i) => dslItemRef(i.id)), ...(restoreId ? [dslItemRef(restoreId)] : [])]),
    getRows(names.flatMap((n) => DSL_ENVIRONMENTS.map((env) => environmentRef(projectId, env, n)))),
    fixVersions(projectId),
    row.doc.release.status === 'CLOSED' ? recentlyClosed(projectId) : Promise.resolve([]),
  ]);
  const items = itemRows.filter((r): r is Row<DslItem> => r !== null && r.doc.projectId === projectId).map((r) => r.doc);
  const restoreItem = restoreId ? (items.find((i) => i.id === restoreId) ?? null) : null;
  const findings = releaseFindings(factsOf(row.doc, restoreId), {
    items,
    environments: envRows.flatMap((e) => (e ? [e.doc] : [])),
    fixVersions: versions,
    successful,
    restoreItem,
  });
  return { findings, checkedAt: t, truncated: false, fixVersionsUnknown: versions === null, ...(await namesOf(projectId, findings, items)) };
}
