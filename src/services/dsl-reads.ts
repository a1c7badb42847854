/** What the library page and the release's software tab read: items by the indexes, one item with its history, usage requests, environments, export. */
import { DSL_CSV_COLUMNS, DSL_CSV_EXPORT_ONLY, RESOLVER_KEYS as K, type PayloadOf } from '../contracts';
import type { DslExport, DslItemRow, DslItemView, FixVersion, UsageRequestRow } from '../contracts/views';
import { DSL_ENVIRONMENTS, dslNameKey, dslReplacementFits, type DslEnvironment, type DslEnvironmentVersion, type DslItem } from '../domain/dsl';
import { listProjectVersions } from '../jira/versions';
import {
  allPages,
  dslHistoryOf,
  dslItemRef,
  dslItemsByName,
  dslItemsByStatus,
  dslItemsNamed,
  environmentRef,
  environmentVersions,
  getRows,
  usageRequestsByStatus,
  usageRequestsOfItem,
} from '../storage/dsl';
import { getRow, releaseRef } from '../storage/records';
import type { Page, Row } from '../storage/store';
import { ServiceError } from './errors';
import { readableProject } from './reads';
import { releaseNames } from './release-keys';
import type { Caller } from './scope';

/** The most items a whole-library read (consistency, export) takes: 50 index pages. */
export const LIBRARY_READ_LIMIT = 5_000;


const withVersion = (r: Row<DslItem>): DslItemRow => ({ ...r.doc, rowVersion: r.version });
const pageOf = <T>(items: T[], cursor?: string): Page<T> => ({ items, ...(cursor ? { cursor } : {}) });

/** Search: by status, name prefix, version, environment or release (one index, then filters). */
export async function listDslItems(caller: Caller, p: PayloadOf<typeof K.listDslItems>): Promise<Page<DslItemRow>> {
  const ctx = await readableProject(caller, p.projectId);
  const pid = ctx.scope.projectId;
  const o = { ...(p.limit ? { limit: p.limit } : {}), ...(p.cursor ? { cursor: p.cursor } : {}) };
  const prefix = p.nameStartsWith ?? '';
  let rows: Row<DslItem>[];
  let cursor: string | undefined;
  if (p.releaseId) {
    // The release record lists its items exactly (an item may belong to several releases).
    const rel = await getRow(releaseRef(p.releaseId));
    if (!rel || rel.doc.release.projectId !== pid) throw new ServiceError('NOT_FOUND', { field: 'releaseId' });
    rows = (await getRows(rel.doc.dslItems.map((i) => dslItemRef(i.id)))).filter((r): r is Row<DslItem> => r !== null);
  } else if (p.environment) {
    const envs = await environmentVersions(pid, p.environment, o);
    rows = (await getRows(envs.items.map((e) => dslItemRef(e.doc.itemId)))).filter((r): r is Row<DslItem> => r !== null);
    cursor = envs.cursor;
  } else {
    const page = p.status ? await dslItemsByStatus(pid, p.status, prefix, o) : await dslItemsByName(pid, prefix, o);
    rows = page.items;
    cursor = page.cursor;
  }
  const lower = prefix.trim().toLowerCase();
  const items = rows
    .filter((r) => r.doc.projectId === pid)
    .filter((r) => !p.status || r.doc.status === p.status)
    .filter((r) => !lower || r.doc.name.toLowerCase().startsWith(lower))
    .filter((r) => !p.version || r.doc.version.toLowerCase().startsWith(p.version.trim().toLowerCase()))
    .map(withVersion);
  return pageOf(items, cursor);
}

export async function getDslItem(caller: Caller, p: PayloadOf<typeof K.getDslItem>): Promise<DslItemView> {
  const ctx = await readableProject(caller);
  const pid = ctx.scope.projectId;
  const row = await getRow(dslItemRef(p.itemId));
  if (!row || row.doc.projectId !== pid) throw new ServiceError('NOT_FOUND', { field: 'itemId' });
  const item = row.doc;
  const relatedIds = [item.supersedesItemId, item.supersededByItemId].filter((x): x is string => !!x);
  const replaceable = item.status === 'IN_LIBRARY' || item.status === 'CHECKED_OUT';
  const [history, usage, envs, related, sameName] = await Promise.all([
    dslHistoryOf(item.id, { limit: 50, ...(p.historyCursor ? { cursor: p.historyCursor } : {}) }),
    usageRequestsOfItem(item.id, { limit: 50 }),
    getRows(DSL_ENVIRONMENTS.map((env) => environmentRef(pid, env, item.name))),
    getRows(relatedIds.map((id) => dslItemRef(id))),
    replaceable ? allPages((cursor) => dslItemsNamed(pid, item.name, { limit: 100, ...(cursor ? { cursor } : {}) }), 500) : Promise.resolve({ items: [], truncated: false }),
  ]);
  const usageRows = usage.items.map((r) => ({ ...r.doc, rowVersion: r.version }));
  const releases = await releaseNames(pid, [...item.releaseIds, item.checkout?.releaseId, ...history.items.map((e) => e.releaseId), ...usageRows.map((u) => u.releaseId)]);
  return {
    item: withVersion(row),
    history: history.items,
    ...(history.cursor ? { historyCursor: history.cursor } : {}),
    usageRequests: usageRows,
    environments: envs.flatMap((e) => (e ? [e.doc] : [])),
    related: related.flatMap((r) => (r ? [withVersion(r)] : [])),
    // The index range is the name followed by a blank, which a longer name may share: the name is compared again.
    replacementCandidates: sameName.items.filter((r) => dslNameKey(r.doc.name) === dslNameKey(item.name) && dslReplacementFits(item, r.doc)).map(withVersion),
    releases,
  };
}

export async function listDslUsageRequests(caller: Caller, p: PayloadOf<typeof K.listDslUsageRequests>): Promise<Page<UsageRequestRow>> {
  const ctx = await readableProject(caller, p.projectId);
  const o = { ...(p.limit ? { limit: p.limit } : {}), ...(p.cursor ? { cursor: p.cursor } : {}) };
  const page = p.itemId ? await usageRequestsOfItem(p.itemId, o) : await usageRequestsByStatus(ctx.scope.projectId, p.status ?? 'REQUESTED', o);
  const items = page.items
    .filter((r) => r.doc.projectId === ctx.scope.projectId && (!p.status || r.doc.status === p.status))
    .map((r) => ({ ...r.doc, rowVersion: r.version }));
  return pageOf(items, page.cursor);
}

export async function listDslEnvironments(caller: Caller, p: PayloadOf<typeof K.listDslEnvironments>): Promise<DslEnvironmentVersion[]> {
  const ctx = await readableProject(caller, p.projectId);
  return allEnvironments(ctx.scope.projectId, p.environment ? [p.environment] : DSL_ENVIRONMENTS);
}

export async function allEnvironments(projectId: string, envs: readonly DslEnvironment[] = DSL_ENVIRONMENTS): Promise<DslEnvironmentVersion[]> {
  const out: DslEnvironmentVersion[] = [];
  for (const env of envs) out.push(...(await allPages((cursor) => environmentVersions(projectId, env, { limit: 100, ...(cursor ? { cursor } : {}) }), LIBRARY_READ_LIMIT)).items.map((r) => r.doc));
  return out;
}

export async function allItems(projectId: string): Promise<{ items: DslItem[]; truncated: boolean }> {
  const res = await allPages((cursor) => dslItemsByName(projectId, '', { limit: 100, ...(cursor ? { cursor } : {}) }), LIBRARY_READ_LIMIT);
  return { items: res.items.map((r) => r.doc), truncated: res.truncated };
}

export async function listDslFixVersions(caller: Caller, p: PayloadOf<typeof K.listDslFixVersions>): Promise<FixVersion[]> {
  const ctx = await readableProject(caller, p.projectId);
  return (await listProjectVersions(ctx.scope.projectId)) ?? [];
}

/** The library as a table (the browser writes the CSV with papaparse); an import reads the same columns back. */
export async function exportDsl(caller: Caller, p: PayloadOf<typeof K.exportDsl>): Promise<DslExport> {
  const ctx = await readableProject(caller, p.projectId);
  const { items, truncated } = await allItems(ctx.scope.projectId);
  // The releases by issue key, as people name them (the ids stay beside them for tools).
  const names = await releaseNames(ctx.scope.projectId, items.flatMap((i) => i.releaseIds));
  const columns = [...DSL_CSV_COLUMNS, ...DSL_CSV_EXPORT_ONLY];
  const cell = (i: DslItem, c: string): string => {
    switch (c) {
      case 'sizeBytes':
        return String(i.sizeBytes);
      case 'fixVersionId':
        return i.fixVersionId ?? '';
      case 'cmdbCiRef':
        return i.cmdbCiRef ?? '';
      case 'releaseIds':
        return i.releaseIds.join(' ');
      case 'releaseKeys':
        return i.releaseIds.map((id) => names[id]?.issueKey ?? id).join(' ');
      case 'supersedesItemId':
        return i.supersedesItemId ?? '';
      case 'supersededByItemId':
        return i.supersededByItemId ?? '';
      case 'checkedInAt':
        return i.checkedInAt === null ? '' : new Date(i.checkedInAt).toISOString();
      default: {
        const v = (i as unknown as Record<string, unknown>)[c];
        return typeof v === 'string' ? v : '';
      }
    }
  };
  const rows = items.filter((i) => !p.status || i.status === p.status).map((i) => columns.map((c) => cell(i, c)));
  return { columns, rows, truncated };
}
