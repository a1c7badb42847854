/**
 * Releases as people name them: by issue key (`PAY-196`), not by Jira's numeric id. Keys typed into a DSL form
 * are resolved here, as the user (Jira answers 404 for an issue they cannot see), and refused with the key in
 * the message when it is not a release request of this project; reads give each release id its key back.
 */
import type { ReleaseName } from '../contracts/views';
import { browseIssue, issueSummaries } from '../jira/issues';
import { getRows } from '../storage/dsl';
import { releaseRef } from '../storage/records';
import { ServiceError } from './errors';

export type { ReleaseName };

function notARelease(key: string, field: string): ServiceError {
  return new ServiceError('VALIDATION_FAILED', { field, messageKey: 'dsl.notAReleaseOfProject', params: { key } });
}

/** The release ids of `keys` (in order, without repeats), or a refusal naming the first key that is not a release of the project. */
export async function releaseIdsOfKeys(projectId: string, keys: readonly string[], field: string): Promise<string[]> {
  const unique = [...new Set(keys.map((k) => k.trim().toUpperCase()).filter(Boolean))];
  if (unique.length === 0) return [];
  const issues = await Promise.all(unique.map((k) => browseIssue(k)));
  unique.forEach((key, n) => {
    if (issues[n]?.projectId !== projectId) throw notARelease(key, field);
  });
  const ids = issues.map((i) => i?.id as string);
  const rows = await getRows(ids.map((id) => releaseRef(id)));
  rows.forEach((row, n) => {
    if (!row || row.doc.release.projectId !== projectId) throw notARelease(unique[n] as string, field);
  });
  return ids;
}

/** The issue key of each release id that has a record in the project (ids without one are left out). */
export async function releaseNames(projectId: string, ids: readonly (string | null | undefined)[]): Promise<Record<string, ReleaseName>> {
  const unique = [...new Set(ids.filter((x): x is string => typeof x === 'string' && x !== ''))];
  const rows = await getRows(unique.map((id) => releaseRef(id)));
  const out: Record<string, ReleaseName> = {};
  rows.forEach((row, n) => {
    const id = unique[n] as string;
    if (row && row.doc.release.projectId === projectId && row.doc.release.issueKey) out[id] = { issueKey: row.doc.release.issueKey };
  });
  return out;
}

/** Keys and, from Jira (one search, as the user), summaries; without Jira's answer the keys alone. */
export async function releaseNamesWithSummaries(projectId: string, ids: readonly (string | null | undefined)[]): Promise<Record<string, ReleaseName>> {
  const names = await releaseNames(projectId, ids);
  const summaries = await issueSummaries(Object.keys(names)).catch(() => new Map<string, string>());
  return Object.fromEntries(Object.entries(names).map(([id, n]) => {
    const summary = summaries.get(id);
    return [id, summary ? { ...n, summary } : n];
  }));
}
