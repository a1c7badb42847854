/**
 * Applying a release's pending Jira effects, idempotently, in order (property, status, CMDB task, DSL
 * environments), until done. Each effect is "bring Jira to what the record says now", so applying it twice,
 * late, or after a lost answer changes nothing more:
 * - PROPERTY writes the record's facts with the record version, and never a version older than Jira's;
 * - STATUS reads Jira's status and walks the workflow along the release's own path to the record's status
 *   (several steps when Jira fell behind), re-reading after a refused step (its answer may have been lost);
 * - CHANGE_LINK links a submitted request to its change request (Jira keeps one link per pair);
 * - CMDB_TASK raises the task once (found by its marker when it exists);
 * - DSL_ENVIRONMENTS points the environment rows at the release's items (skips what is already there).
 * The outcome is written to the release's STATE outbox row (applied versions, attempts, next attempt, last
 * error), which only appliers write: an applier never makes a user's change conflict.
 */
import type { ReleaseContext } from '../domain/context';
import { TRANSITIONS, lifecyclePath, type TransitionAction } from '../domain/lifecycle';
import { JiraError, type JiraAs, type RetryPolicy } from '../jira/client';
import { mirrorStateAsApp, setIssueProperty, transitionIssue, type MirrorState } from '../jira/issue-sync';
import { linkToChangeRequest } from '../jira/links';
import { updateDslEnvironmentVersions } from '../services/dsl-environments';
import { policyOf } from '../services/load';
import { EFFECT_KINDS, effectRequestRef, effectStateRef, putEffectState, type EffectKind, type EffectRequest, type EffectState } from '../storage/outbox';
import { fallbackRef, getMany, releaseRef, setupRef, teamRef, trainingOfRelease, type ProjectSetup } from '../storage/records';
import { Changes, ConflictError, type Row } from '../storage/store';
import { RELEASE_PROPERTY_KEY, TRANSITION_IDS, releaseProperty, statusForId } from '../workflow/rules';
import { raiseCmdbTaskFor } from './cmdb';
import { APPLY_ORDER } from './kinds';

export interface EffectsSnapshot {
  ctx: ReleaseContext;
  setup: ProjectSetup | null;
  request: Row<EffectRequest> | null;
  state: Row<EffectState> | null;
}

export interface ApplyOptions {
  now: number;
  /** The user whose change it was, right after its commit: Jira's transition is made as them (Jira's history names them). */
  asUserAccountId?: string;
  /** A read found Jira disagreeing with the record: status and property are applied even if the outbox thinks them done. */
  drift?: boolean;
  /** The records in hand right after a commit; read from storage otherwise. */
  snapshot?: EffectsSnapshot;
  /** Right after a user's commit the user is waiting: a few quick retries, the rest is left to the retries later. */
  retry?: Partial<RetryPolicy>;
}

export interface EffectsOutcome {
  /** synced: Jira shows the record; pending: still owed, retried later; skipped: the project has no app workflow. */
  status: 'synced' | 'pending' | 'skipped';
  message?: string;
  nextAttemptAt?: number;
  cmdbTaskKey?: string;
  /** Kinds applied by this call. */
  applied: EffectKind[];
}

/** Retries later: 30 s, doubling per failed attempt, at most 6 h; never before Jira's Retry-After. */
export function nextAttemptDelayMs(attempts: number, retryAfterMs: number | undefined): number {
  const backoff = Math.min(6 * 3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
  return Math.max(backoff, retryAfterMs ?? 0);
}

export function pendingKinds(request: EffectRequest | null, state: EffectState | null): EffectKind[] {
  const out = EFFECT_KINDS.filter((k) => (request?.requested[k] ?? 0) > (state?.applied[k] ?? 0));
  if (state?.drift) for (const k of ['PROPERTY', 'STATUS'] as const) if (!out.includes(k)) out.push(k);
  return APPLY_ORDER.filter((k) => out.includes(k));
}

async function loadSnapshot(releaseId: string, projectId: string): Promise<EffectsSnapshot | null> {
  const [[release, team, fallback, setup, request, state], training] = await Promise.all([
    getMany([releaseRef(releaseId), teamRef(releaseId), fallbackRef(releaseId), setupRef(projectId), effectRequestRef(releaseId), effectStateRef(releaseId)] as const),
    trainingOfRelease(releaseId),
  ]);
  if (!release || release.doc.release.projectId !== projectId) return null;
  return {
    ctx: { release: release.doc.release, team: team?.doc ?? null, fallbackPlan: fallback?.doc ?? null, trainingTasks: training.map((t) => t.doc), dslItems: release.doc.dslItems },
    setup: setup?.doc ?? null,
    request,
    state,
  };
}

class StatusOffPath extends Error {}

/** Brings Jira's status to the record's, step by step along the release's own path. */
async function bringStatus(snap: EffectsSnapshot, mirror: MirrorState, as: JiraAs, retry: Partial<RetryPolicy> | undefined): Promise<void> {
  const r = snap.ctx.release;
  const statusIds = snap.setup?.statusIds ?? {};
  let current = mirror.statusId ? statusForId(statusIds, mirror.statusId) : null;
  let actingAs = as;
  for (let guard = 0; guard < 12; guard++) {
    if (current === r.status) return;
    const path = current ? lifecyclePath(current, r) : null;
    const action: TransitionAction | undefined = path?.[0];
    if (!action) throw new StatusOffPath(`Jira's status (${current ?? mirror.statusId ?? '?'}) is not on the release's path to ${r.status}`);
    try {
      await transitionIssue(r.id, TRANSITION_IDS[action], actingAs, retry);
      current = TRANSITIONS[action].to;
    } catch (err) {
      if (!(err instanceof JiraError) || err.status !== 400) throw err;
      // Refused: its answer may have been lost after Jira moved (a retried POST then finds the issue moved on),
      // or the step is not offered to this user. Read again; as the app the second time.
      const again = await mirrorStateAsApp(r.id, RELEASE_PROPERTY_KEY, retry);
      const now = again?.statusId ? statusForId(statusIds, again.statusId) : null;
      if (now === current) {
        if (actingAs === 'app') throw err;
        actingAs = 'app';
      }
      current = now;
    }
  }
  throw new StatusOffPath(`Jira's status did not reach ${r.status}`);
}

function propertyVersion(value: unknown): number {
  const v = typeof value === 'object' && value !== null ? (value as { version?: unknown }).version : undefined;
  return typeof v === 'number' ? v : 0;
}

function messageOf(err: unknown): string {
  const text = err instanceof JiraError ? [err.message, ...err.messages].join(' ') : err instanceof Error ? err.message : String(err);
  return text.slice(0, 500);
}

/** Applies what the release still owes Jira; records the outcome in its STATE row. Never throws for Jira's failures. */
export async function applyReleaseEffects(releaseId: string, projectId: string, opts: ApplyOptions): Promise<EffectsOutcome> {
  const snap = opts.snapshot ?? (await loadSnapshot(releaseId, projectId));
  if (!snap) return { status: 'synced', applied: [] };
  const baseState = opts.drift ? { ...(snap.state?.doc ?? emptyState(releaseId, projectId, opts.now)), drift: true } : (snap.state?.doc ?? null);
  const kinds = pendingKinds(snap.request?.doc ?? null, baseState);
  if (kinds.length === 0) return { status: 'synced', applied: [] };

  const r = snap.ctx.release;
  const wanted = (k: EffectKind) => Math.max(snap.request?.doc.requested[k] ?? 0, opts.drift && (k === 'PROPERTY' || k === 'STATUS') ? r.version : 0);
  const applied: EffectKind[] = [];
  let failure: { message: string; status?: number; retryAfterMs?: number } | null = null;
  let cmdbTaskKey: string | undefined;
  let skipped = false;
  let mirror: MirrorState | null = null;
  const readMirror = async (): Promise<MirrorState | null> => (mirror ??= await mirrorStateAsApp(r.id, RELEASE_PROPERTY_KEY, opts.retry));

  for (const kind of kinds) {
    try {
      switch (kind) {
        case 'PROPERTY': {
          const m = await readMirror();
          if (m && propertyVersion(m.property) < r.version) await setIssueProperty(r.id, RELEASE_PROPERTY_KEY, releaseProperty(snap.ctx, policyOf(snap.setup)), opts.retry);
          break;
        }
        case 'STATUS': {
          const m = await readMirror();
          // Only projects set up with the app's workflow have the release's statuses in Jira.
          if (!m || !snap.setup?.statusIds[r.status] || !m.statusId || !statusForId(snap.setup.statusIds, m.statusId)) {
            skipped = true;
            break;
          }
          await bringStatus(snap, m, opts.asUserAccountId ? 'user' : 'app', opts.retry);
          break;
        }
        case 'CHANGE_LINK':
          if (r.issueKey && r.linkedChangeKey) await linkToChangeRequest(r.issueKey, r.linkedChangeKey, opts.asUserAccountId ? 'user' : 'app');
          break;
        case 'CMDB_TASK':
          cmdbTaskKey = (await raiseCmdbTaskFor(snap.ctx, snap.setup)) ?? undefined;
          break;
        case 'DSL_ENVIRONMENTS': {
          if (r.status === 'CLOSED' && r.outcome === 'SUCCESS') {
            const res = await updateDslEnvironmentVersions(projectId, r.id, snap.request?.doc.actorAccountId ?? 'app', r.statusEnteredAt.CLOSED ?? opts.now);
            if (res.fixVersionsFailed.length > 0) throw new Error(`Jira did not release fix version(s) ${res.fixVersionsFailed.join(', ')}`);
          }
          break;
        }
      }
      applied.push(kind);
    } catch (err) {
      if (err instanceof ConflictError) {
        // Someone changed the rows meanwhile (an overlapping applier): theirs stands, this kind is tried again.
        failure = { message: 'changed meanwhile' };
      } else {
        failure = {
          message: messageOf(err),
          ...(err instanceof JiraError ? { status: err.status, ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}) } : {}),
        };
        console.warn('Jira effect not applied yet', r.id, kind, failure.message);
      }
      break; // in order per issue: what follows waits for this one
    }
  }

  const prev = snap.state?.doc ?? emptyState(releaseId, projectId, opts.now);
  const appliedSeqs = { ...prev.applied };
  for (const k of applied) appliedSeqs[k] = Math.max(appliedSeqs[k] ?? 0, wanted(k));
  const attempts = failure ? prev.attempts + 1 : 0;
  const nextAttemptAt = failure ? opts.now + nextAttemptDelayMs(attempts, failure.retryAfterMs) : null;
  const next: EffectState = {
    releaseId,
    projectId,
    applied: appliedSeqs,
    attempts,
    nextAttemptAt,
    lastError: failure ? { message: failure.message, at: opts.now, ...(failure.status !== undefined ? { status: failure.status } : {}) } : null,
    drift: failure ? baseState?.drift === true && !(applied.includes('PROPERTY') && applied.includes('STATUS')) : false,
    updatedAt: opts.now,
  };
  try {
    const changes = new Changes();
    putEffectState(changes, next, snap.state?.version ?? null);
    await changes.commit();
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    // Another applier settled this release meanwhile; what it wrote stands, and what remains is retried.
  }
  const base = { applied, ...(cmdbTaskKey ? { cmdbTaskKey } : {}) };
  if (failure) return { ...base, status: 'pending', message: failure.message, ...(nextAttemptAt !== null ? { nextAttemptAt } : {}) };
  return { ...base, status: skipped ? 'skipped' : 'synced' };
}

function emptyState(releaseId: string, projectId: string, now: number): EffectState {
  return { releaseId, projectId, applied: {}, attempts: 0, nextAttemptAt: null, lastError: null, drift: false, updatedAt: now };
}
