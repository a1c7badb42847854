/**
 * Consistency of the Definitive Software Library with the releases, Jira's fix versions and the environments
 * (SPEC §2 software control lead: "records are timely and accurate; test and production versions current;
 * DSL records agree with the CMDB"). Pure: the service loads the records, these rules list what is wrong.
 */
import { dslNameKey, type DslEnvironment, type DslEnvironmentVersion, type DslItem, type DslItemSummary } from './dsl';
import type { Outcome, ReleaseStatus } from './release';

export const DSL_FINDING_CODES = [
  /** A release before readiness has an item that is not checked into the library. */
  'RELEASE_ITEM_NOT_IN_LIBRARY',
  /** A release before readiness has no software item at all. */
  'RELEASE_HAS_NO_ITEMS',
  /** The item's Jira fix version does not exist (deleted, or never in this project). */
  'FIX_VERSION_MISSING',
  /** A successfully closed release's item has a fix version that is not released in Jira. */
  'FIX_VERSION_NOT_RELEASED',
  /** An environment does not run what the last successful release delivered. */
  'ENVIRONMENT_VERSION_MISMATCH',
  /** An item in use has no CMDB configuration-item reference. */
  'NO_CMDB_REFERENCE',
  /** A superseded or retired item is still recorded as deployed. */
  'SUPERSEDED_STILL_DEPLOYED',
  /** The fallback plan's "restore to" is not an item in the library. */
  'FALLBACK_RESTORE_NOT_IN_LIBRARY',
] as const;
export type DslFindingCode = (typeof DSL_FINDING_CODES)[number];

export interface DslFinding {
  readonly code: DslFindingCode;
  readonly itemId?: string;
  readonly releaseId?: string;
  readonly environment?: DslEnvironment;
  /** Software name (environment findings). */
  readonly name?: string;
  readonly expected?: string;
  readonly actual?: string;
}

/** What the checks need of a release. */
export interface DslReleaseFacts {
  readonly id: string;
  readonly status: ReleaseStatus;
  readonly outcome: Outcome | null;
  readonly closedAt: number | null;
  readonly items: readonly DslItemSummary[];
  readonly restoreDslItemId?: string | null;
}

export interface JiraFixVersion {
  readonly id: string;
  readonly name: string;
  readonly released: boolean;
}

const BEFORE_READY: readonly ReleaseStatus[] = ['SUBMITTED', 'PLANNING', 'BUILD_TEST'];
const IN_USE = (i: Pick<DslItem, 'status'>): boolean => i.status !== 'RETIRED' && i.status !== 'SUPERSEDED';

/** Items of a release before readiness that are not in the library (and a release without items). */
export function releaseReadinessFindings(release: DslReleaseFacts): DslFinding[] {
  if (!BEFORE_READY.includes(release.status) || release.status === 'SUBMITTED') return [];
  if (release.items.length === 0) return [{ code: 'RELEASE_HAS_NO_ITEMS', releaseId: release.id }];
  return release.items
    .filter((i) => i.status !== 'IN_LIBRARY')
    .map((i) => ({ code: 'RELEASE_ITEM_NOT_IN_LIBRARY' as const, releaseId: release.id, itemId: i.id, actual: i.status }));
}

/**
 * Fix versions: each item's must exist in Jira (when Jira's list is known); the items of a successfully
 * closed release must have theirs released.
 */
export function fixVersionFindings(
  items: readonly Pick<DslItem, 'id' | 'fixVersionId' | 'status'>[],
  versions: readonly JiraFixVersion[] | null,
  closedReleases: readonly DslReleaseFacts[],
): DslFinding[] {
  if (versions === null) return [];
  const byId = new Map(versions.map((v) => [v.id, v]));
  const out: DslFinding[] = [];
  const closedItem = new Map<string, string>();
  for (const r of closedReleases) if (r.status === 'CLOSED' && r.outcome === 'SUCCESS') for (const i of r.items) closedItem.set(i.id, r.id);
  for (const item of items) {
    if (!item.fixVersionId || item.status === 'RETIRED') continue;
    const v = byId.get(item.fixVersionId);
    if (!v) out.push({ code: 'FIX_VERSION_MISSING', itemId: item.id, expected: item.fixVersionId });
    else if (!v.released && closedItem.has(item.id)) {
      out.push({ code: 'FIX_VERSION_NOT_RELEASED', itemId: item.id, releaseId: closedItem.get(item.id) as string, expected: v.name });
    }
  }
  return out;
}

/**
 * What each environment should run, per software name: the item that the most recent successful release
 * delivered (releases are compared by closing time).
 */
export function expectedEnvironmentItems(successful: readonly DslReleaseFacts[]): Map<string, { itemId: string; version: string; releaseId: string }> {
  const latest = new Map<string, { itemId: string; version: string; releaseId: string; at: number }>();
  for (const r of successful) {
    if (r.status !== 'CLOSED' || r.outcome !== 'SUCCESS' || r.closedAt === null) continue;
    for (const i of r.items) {
      if (!i.name || (i.status !== 'IN_LIBRARY' && i.status !== 'CHECKED_OUT' && i.status !== 'SUPERSEDED')) continue;
      const key = dslNameKey(i.name);
      const prev = latest.get(key);
      if (!prev || prev.at < r.closedAt) latest.set(key, { itemId: i.id, version: i.version ?? '', releaseId: r.id, at: r.closedAt });
    }
  }
  return new Map([...latest].map(([k, v]) => [k, { itemId: v.itemId, version: v.version, releaseId: v.releaseId }]));
}

/** Environment versions that disagree with the last successful release (both environments are updated at close). */
export function environmentFindings(environments: readonly DslEnvironmentVersion[], successful: readonly DslReleaseFacts[]): DslFinding[] {
  const expected = expectedEnvironmentItems(successful);
  const out: DslFinding[] = [];
  for (const [name, want] of expected) {
    for (const env of ['TEST', 'PRODUCTION'] as const) {
      const actual = environments.find((e) => e.environment === env && dslNameKey(e.name) === name);
      if (actual?.itemId !== want.itemId) {
        out.push({
          code: 'ENVIRONMENT_VERSION_MISMATCH',
          environment: env,
          name,
          itemId: want.itemId,
          releaseId: want.releaseId,
          expected: want.version,
          ...(actual ? { actual: actual.version } : {}),
        });
      }
    }
  }
  return out;
}

/** Items in use without a CMDB reference. */
export function cmdbFindings(items: readonly Pick<DslItem, 'id' | 'status' | 'cmdbCiRef'>[]): DslFinding[] {
  return items.filter((i) => IN_USE(i) && !(i.cmdbCiRef ?? '').trim()).map((i) => ({ code: 'NO_CMDB_REFERENCE' as const, itemId: i.id }));
}

/** Environments still running a superseded or retired item. */
export function supersededDeployedFindings(environments: readonly DslEnvironmentVersion[], items: readonly Pick<DslItem, 'id' | 'status' | 'supersededByItemId'>[]): DslFinding[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  const out: DslFinding[] = [];
  for (const e of environments) {
    const item = byId.get(e.itemId);
    if (item && !IN_USE(item)) {
      out.push({ code: 'SUPERSEDED_STILL_DEPLOYED', itemId: item.id, environment: e.environment, name: e.name, actual: item.status, ...(item.supersededByItemId ? { expected: item.supersededByItemId } : {}) });
    }
  }
  return out;
}

/** The fallback plan's restore target must be an item of the library that can be restored from. */
export function fallbackRestoreFindings(release: DslReleaseFacts, restoreItem: Pick<DslItem, 'id' | 'status'> | null): DslFinding[] {
  if (!release.restoreDslItemId) return [];
  if (!restoreItem || (restoreItem.status !== 'IN_LIBRARY' && restoreItem.status !== 'CHECKED_OUT')) {
    return [{ code: 'FALLBACK_RESTORE_NOT_IN_LIBRARY', releaseId: release.id, itemId: release.restoreDslItemId, ...(restoreItem ? { actual: restoreItem.status } : {}) }];
  }
  return [];
}

export interface LibraryFacts {
  readonly items: readonly DslItem[];
  readonly environments: readonly DslEnvironmentVersion[];
  /** null: Jira's list could not be read (the fix-version checks are skipped, not failed). */
  readonly fixVersions: readonly JiraFixVersion[] | null;
  /** Open releases (readiness) and recently closed ones (environments, fix versions). */
  readonly releases: readonly DslReleaseFacts[];
}

/** Every finding of the library, in a stable order (by code, then item). */
export function libraryFindings(f: LibraryFacts): DslFinding[] {
  const all = [
    ...f.releases.flatMap(releaseReadinessFindings),
    ...fixVersionFindings(f.items, f.fixVersions, f.releases),
    ...environmentFindings(f.environments, f.releases),
    ...cmdbFindings(f.items),
    ...supersededDeployedFindings(f.environments, f.items),
  ];
  return sortFindings(all);
}

/**
 * The findings that concern one release: its readiness, its items' fix versions, CMDB references and
 * environments, and its fallback plan's restore target.
 */
export function releaseFindings(
  release: DslReleaseFacts,
  f: Omit<LibraryFacts, 'releases'> & { readonly successful: readonly DslReleaseFacts[]; readonly restoreItem: Pick<DslItem, 'id' | 'status'> | null },
): DslFinding[] {
  const mine = new Set(release.items.map((i) => i.id));
  const items = f.items.filter((i) => mine.has(i.id));
  const names = new Set(release.items.map((i) => dslNameKey(i.name ?? '')));
  const successful = f.successful.some((r) => r.id === release.id) ? f.successful : [...f.successful, release];
  return sortFindings([
    ...releaseReadinessFindings(release),
    ...fixVersionFindings(items, f.fixVersions, [release]),
    ...(release.status === 'CLOSED' && release.outcome === 'SUCCESS' ? environmentFindings(f.environments, successful).filter((x) => names.has(x.name ?? '')) : []),
    ...cmdbFindings(items),
    ...supersededDeployedFindings(f.environments, items),
    ...fallbackRestoreFindings(release, f.restoreItem),
  ]);
}

function sortFindings(list: DslFinding[]): DslFinding[] {
  const order = (c: DslFindingCode) => DSL_FINDING_CODES.indexOf(c);
  return list.sort((a, b) => order(a.code) - order(b.code) || (a.itemId ?? '').localeCompare(b.itemId ?? '') || (a.environment ?? '').localeCompare(b.environment ?? ''));
}
