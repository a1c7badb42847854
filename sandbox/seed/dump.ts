import type { Platform } from '../index';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** DSL history ids end in a slice of a random id: `<item>:<time>:<8 hex>`. */
const HISTORY_SUFFIX = /(<uuid>:\d+:)[0-9a-f]{8}\b/g;
const mask = (s: string): string => s.replace(UUID, '<uuid>').replace(HISTORY_SUFFIX, '$1<id>');

/** Masks random ids; a list of such ids (e.g. a KPI month's audit ids) is a set, so it is sorted once masked. */
function masked(value: unknown): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) {
    const items = value.map(masked);
    return items.every((i) => typeof i === 'string' && i.includes('<uuid>')) ? [...(items as string[])].sort() : items;
  }
  // An audit event's hash covers its random id: the chain's hashes differ between two seeds as the ids do.
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, (k === 'hash' || k === 'prevHash') && typeof v === 'string' ? '<hash>' : masked(v)]));
  return value;
}

const maskedJson = (text: string): string => JSON.stringify(masked(JSON.parse(text)));

/**
 * Every stored record of the app and every Jira issue, one line each, sorted: what "the same data" means
 * for two seeds. Ids the app draws at random (`randomUUID` for training tasks, audit events, evaluations...)
 * are masked; everything else, timestamps included, must match. The role-membership cache is left out.
 */
export function stableDump(platform: Platform): string[] {
  const kvs = platform.db
    .prepare("SELECT ns, key, value, created_at, updated_at FROM kvs_items WHERE NOT (ns = 'kvs' AND key LIKE 'role-cache:%')")
    .all() as { ns: string; key: string; value: string; created_at: number; updated_at: number }[];
  const issues = platform.db.prepare('SELECT key, doc FROM jira_issues').all() as { key: string; doc: string }[];
  const properties = platform.db.prepare('SELECT * FROM jira_issue_properties').all() as Record<string, unknown>[];
  return [
    ...kvs.map((r) => `kvs ${r.ns} ${r.key} ${r.created_at} ${r.updated_at} ${maskedJson(r.value)}`),
    ...issues.map((r) => `issue ${r.key} ${maskedJson(r.doc)}`),
    ...properties.map((r) => `property ${JSON.stringify(r)}`),
  ]
    .map(mask)
    .sort();
}
