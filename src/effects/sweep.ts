/**
 * Reconciliation: a release whose Jira status or property disagrees with its record, or whose effects are
 * still pending, is repaired. The daily job sweeps every release of a project one page at a time (one KVS
 * query, one batchGet of the outbox rows, one JQL search for the page's Jira state), each page fitting the
 * job's time limit and resumable from its cursor; a read (the panel) schedules the repair of the one release
 * it shows when it sees a disagreement.
 */
import type { ProjectSetup } from '../storage/records';
import { getMany, getRow, releaseRowsOfProject, setupRef } from '../storage/records';
import { mirrorStatesAsApp, type MirrorState } from '../jira/issue-sync';
import { effectRequestRef, effectStateRef, putEffectState, type EffectState } from '../storage/outbox';
import type { Release } from '../domain/release';
import { Changes, ConflictError } from '../storage/store';
import { RELEASE_PROPERTY_KEY } from '../workflow/rules';
import { applyReleaseEffects, pendingKinds } from './apply';

function propertyVersion(value: unknown): number {
  const v = typeof value === 'object' && value !== null ? (value as { version?: unknown }).version : undefined;
  return typeof v === 'number' ? v : 0;
}

/** Does Jira show something else than the record (status, or an older property)? Unknown Jira state: no. */
export function jiraDisagrees(release: Pick<Release, 'status' | 'version'>, setup: ProjectSetup | null, mirror: Pick<MirrorState, 'statusId' | 'property'> | null): boolean {
  if (!mirror) return false;
  const expectedStatus = setup?.statusIds[release.status];
  if (expectedStatus && mirror.statusId !== expectedStatus) return true;
  return propertyVersion(mirror.property) < release.version;
}

export interface SweepPage {
  checked: number;
  repaired: number;
  /** Releases still owing Jira something after this page (retried next time). */
  stillPending: number;
  cursor?: string;
}

export async function sweepProjectEffects(projectId: string, cursor: string | undefined, env: { now: number; pageSize: number }): Promise<SweepPage> {
  const pageSize = Math.min(Math.max(env.pageSize, 1), 20); // one batchGet per outbox row kind: at most 20 keys
  const [page, setupRow] = await Promise.all([releaseRowsOfProject(projectId, { limit: pageSize, ...(cursor ? { cursor } : {}) }), getRow(setupRef(projectId))]);
  const result: SweepPage = { checked: page.items.length, repaired: 0, stillPending: 0, ...(page.cursor ? { cursor: page.cursor } : {}) };
  if (page.items.length === 0) return result;
  const [requests, states, mirrors] = await Promise.all([
    getMany(page.items.map((r) => effectRequestRef(r.key))),
    getMany(page.items.map((r) => effectStateRef(r.key))),
    mirrorStatesAsApp(page.items.map((r) => r.key), RELEASE_PROPERTY_KEY),
  ]);
  for (const [i, row] of page.items.entries()) {
    const request = requests[i] ?? null;
    const state = states[i] ?? null;
    const release = row.doc.release;
    const drift = jiraDisagrees(release, setupRow?.doc ?? null, mirrors.get(row.key) ?? null);
    if (!drift && pendingKinds(request?.doc ?? null, state?.doc ?? null).length === 0) continue;
    const outcome = await applyReleaseEffects(row.key, projectId, { now: env.now, drift });
    if (outcome.status === 'pending') result.stillPending++;
    else result.repaired++;
  }
  return result;
}

/**
 * A read saw Jira disagreeing with the record: note it on the release's STATE row (which only appliers
 * write, so no user's change can conflict with it); the next applier — the queue consumer, the sweep, an
 * admin's "retry now", the next change — re-applies status and property.
 */
export async function noteDrift(releaseId: string, projectId: string, state: { version: number; doc: EffectState } | null, now: number): Promise<void> {
  if (state?.doc.drift) return;
  const base: EffectState = state?.doc ?? { releaseId, projectId, applied: {}, attempts: 0, nextAttemptAt: null, lastError: null, drift: false, updatedAt: now };
  const changes = new Changes();
  putEffectState(changes, { ...base, drift: true, nextAttemptAt: now, updatedAt: now }, state?.version ?? null);
  try {
    await changes.commit();
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err; // an applier got there first
  }
}
