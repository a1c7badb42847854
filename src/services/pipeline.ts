/**
 * Deployment pipelines: per-project tokens (the release manager creates, names and revokes them on the admin
 * page; the secret is shown once and only its SHA-256 is kept, in the KVS secret store) and the deployment
 * gate a pipeline calls (web trigger): `check` asks the start-implementation rule through `decide`;
 * `started` / `progress` / `finished` are recorded on the release as progress reports and the deployment
 * result, audited as the pipeline, once per idempotency key. A pipeline moves no status a person must move:
 * only where the project policy names the environment whose `finished: success` marks the release deployed
 * does it make that one transition, through the same `decide`, and Jira follows through the effects outbox.
 */
import { createHash, randomBytes } from 'node:crypto';
import { RESOLVER_KEYS as K, type CreatedPipelineToken, type PayloadOf, type PipelineTokenView } from '../contracts';
import { CHECK_WARNINGS, outputKey, PIPELINE_OUTPUT_KEYS, PIPELINE_BODY_MAX_BYTES, PIPELINE_RATE_PER_MINUTE, pipelineBodySchema, type PipelineBody, type PipelineError } from '../contracts/pipeline';
import { releaseAuditDiff } from '../domain/audit';
import type { ReleaseContext } from '../domain/context';
import { decide } from '../domain/decide';
import { applyTransition, type TransitionEffect } from '../domain/lifecycle';
import { pipelineFinishCounts, type Policy } from '../domain/policy';
import type { ReasonCode } from '../domain/reasons';
import { releaseTimeReasons } from '../domain/recordedTime';
import type { Release } from '../domain/release';
import { hasStandingRole, type Actor } from '../domain/roles';
import { applyReleaseEffects, effectsOfChange, pendingKinds, requestEffects, scheduleRetry, type EffectsSnapshot } from '../effects';
import { issueStateAsApp } from '../jira/issue-sync';
import { displayNames } from '../jira/users';
import { putRelease } from '../storage/records';
import {
  countTokenRequest,
  getPipelineEvent,
  getPipelineToken,
  pipelineTokensOf,
  putPipelineEvent,
  putPipelineToken,
  storeTokenHash,
  tokenByHash,
  type PipelineToken,
} from '../storage/pipeline';
import { Changes, ConflictError, newId, type Row } from '../storage/store';
import { refused, ServiceError } from './errors';
import { contextOf, loadProject, loadRelease } from './load';
import { AFTER_COMMIT_RETRY, commit, now } from './run';
import { resolveProjectScope, type Caller } from './scope';

// ------------------------------------------------------------------ tokens (admin page)

const TOKEN_PREFIX = 'rgp_';
const MAX_TOKENS_PER_PROJECT = 50;

export const hashToken = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

function view(row: Row<PipelineToken>, names: Record<string, string> = {}): PipelineTokenView {
  const t = row.doc;
  return {
    id: t.id,
    name: t.name,
    createdBy: t.createdBy,
    createdByName: names[t.createdBy] ?? null,
    revokedByName: t.revokedBy ? (names[t.revokedBy] ?? null) : null,
    createdAt: t.createdAt,
    revokedAt: t.revokedAt,
    revokedBy: t.revokedBy,
    lastUsedAt: t.lastUsedAt,
    version: row.version,
  };
}

/** Tokens are the release manager's: the same role that may let a release start in a freeze. */
async function tokenKeeper(caller: Caller, projectId: string) {
  const scope = await resolveProjectScope(caller, projectId);
  const t = now();
  const p = await loadProject(scope, t);
  if (!hasStandingRole(p.actor.standingRoles, 'RELEASE_MANAGER')) throw refused(['NOT_RELEASE_MANAGER']);
  if (!p.setup?.doc.issueTypeId) throw new ServiceError('NOT_SET_UP');
  return { ...p, t };
}

export async function listPipelineTokens(caller: Caller, p: PayloadOf<typeof K.listPipelineTokens>): Promise<PipelineTokenView[]> {
  const ctx = await tokenKeeper(caller, p.projectId);
  const rows = await pipelineTokensOf(ctx.scope.projectId);
  // Names asApp, after the caller was checked as the project's release manager (at most 50 people).
  const people = [...new Set(rows.flatMap((r) => [r.doc.createdBy, ...(r.doc.revokedBy ? [r.doc.revokedBy] : [])]))].slice(0, 50);
  const names = await displayNames(people);
  return rows.map((r) => view(r, names));
}

export async function createPipelineToken(caller: Caller, p: PayloadOf<typeof K.createPipelineToken>): Promise<CreatedPipelineToken> {
  const ctx = await tokenKeeper(caller, p.projectId);
  const existing = await pipelineTokensOf(ctx.scope.projectId);
  if (existing.filter((r) => r.doc.revokedAt === null).length >= MAX_TOKENS_PER_PROJECT) throw new ServiceError('VALIDATION_FAILED', { field: 'name', messageKey: 'tooMany' });
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const token: PipelineToken = { id: newId(), projectId: ctx.scope.projectId, name: p.name, createdBy: ctx.scope.accountId, createdAt: ctx.t, revokedAt: null, revokedBy: null, lastUsedAt: null };
  // The pointer first: if the row then fails to commit, the pointer names no token and authenticates nothing.
  await storeTokenHash(hashToken(secret), token.id, token.projectId);
  const changes = new Changes();
  putPipelineToken(changes, token, null);
  changes.audit({
    projectId: token.projectId,
    subjectType: 'PROJECT',
    subjectId: token.projectId,
    action: 'pipelineToken.create',
    actorAccountId: ctx.scope.accountId,
    at: ctx.t,
    before: {},
    after: { pipeline: token.name, pipelineTokenId: token.id },
  });
  await commit(changes);
  return { token: view({ key: token.id, version: 1, doc: token }), secret };
}

export async function revokePipelineToken(caller: Caller, p: PayloadOf<typeof K.revokePipelineToken>): Promise<PipelineTokenView> {
  const ctx = await tokenKeeper(caller, p.projectId);
  const row = await getPipelineToken(p.tokenId);
  if (!row || row.doc.projectId !== ctx.scope.projectId) throw new ServiceError('NOT_FOUND', { field: 'tokenId' });
  if (row.version !== p.expectedVersion) throw new ServiceError('CONFLICT');
  if (row.doc.revokedAt !== null) return view(row);
  const next: PipelineToken = { ...row.doc, revokedAt: ctx.t, revokedBy: ctx.scope.accountId };
  const changes = new Changes();
  putPipelineToken(changes, next, row.version);
  changes.audit({
    projectId: next.projectId,
    subjectType: 'PROJECT',
    subjectId: next.projectId,
    action: 'pipelineToken.revoke',
    actorAccountId: ctx.scope.accountId,
    at: ctx.t,
    before: { pipeline: next.name, pipelineTokenId: next.id },
    after: { revokedAt: ctx.t },
  });
  await commit(changes);
  return view({ key: next.id, version: row.version + 1, doc: next });
}

// ------------------------------------------------------------------ the gate (web trigger)

/** The web trigger request as Forge delivers it (forge-docs events-reference/web-trigger). */
export interface WebTriggerRequest {
  method?: unknown;
  headers?: unknown;
  body?: unknown;
}

/** An answer: the key of one of the manifest's static outputs. */
export interface GateAnswer {
  outputKey: string;
}

const fail = (code: PipelineError): GateAnswer => ({ outputKey: outputKey.error(code) });

function header(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
    if (k.toLowerCase() !== name) continue;
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

function bearer(headers: unknown): string | undefined {
  const auth = header(headers, 'authorization');
  const m = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return m?.[1];
}

interface Authenticated {
  token: PipelineToken;
  version: number;
}

async function authenticate(headers: unknown): Promise<Authenticated | PipelineError> {
  const secret = bearer(headers);
  if (!secret) return 'TOKEN_INVALID';
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return 'TOKEN_INVALID';
  const pointer = await tokenByHash(hashToken(secret));
  if (!pointer) return 'TOKEN_INVALID';
  const row = await getPipelineToken(pointer.tokenId);
  if (!row || row.doc.projectId !== pointer.projectId) return 'TOKEN_INVALID';
  if (row.doc.revokedAt !== null) return 'TOKEN_REVOKED';
  return { token: row.doc, version: row.version };
}

function parseBody(body: unknown): PipelineBody | PipelineError {
  if (typeof body !== 'string' || body.length === 0) return 'BODY_INVALID';
  if (Buffer.byteLength(body, 'utf8') > PIPELINE_BODY_MAX_BYTES) return 'BODY_TOO_LARGE';
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'BODY_INVALID';
  }
  const p = pipelineBodySchema.safeParse(json);
  return p.success ? p.data : 'BODY_INVALID';
}

const pipelineActor = (token: PipelineToken): Actor => ({ accountId: `pipeline:${token.id}`, standingRoles: [], canBrowse: true, pipeline: true });

const RECORD_LIMIT_PROGRESS = 100;

function describe(body: Exclude<PipelineBody, { event: 'check' }>, pipeline: string): string {
  const parts = [`${pipeline}: ${body.event} (${body.environment})`];
  if ('version' in body && body.version) parts.push(body.version);
  if (body.event === 'progress') parts.push(body.message);
  if (body.event === 'finished') {
    parts.push(body.result);
    if (body.message) parts.push(body.message);
  }
  if (body.runUrl) parts.push(body.runUrl);
  return parts.join(' · ').slice(0, 1000);
}

/**
 * "Last event" on the admin page, best effort and outside the event's transaction: parallel jobs sharing a
 * token must not conflict on its row.
 */
async function noteTokenUse(auth: Authenticated, t: number): Promise<void> {
  try {
    const changes = new Changes();
    putPipelineToken(changes, { ...auth.token, lastUsedAt: t }, auth.version);
    await changes.commit();
  } catch {
    // Someone else noted a use (or revoked it) meanwhile: theirs stands.
  }
}

/** Handles one gate request; never throws (every failure is an output). */
export async function handleGateRequest(req: WebTriggerRequest): Promise<GateAnswer> {
  try {
    const answer = await gate(req);
    // A static trigger can only answer with a declared output: a combination the manifest lacks is a defect, not a 500.
    if (PIPELINE_OUTPUT_KEYS.has(answer.outputKey)) return answer;
    console.error('deployment gate: no manifest output for', answer.outputKey);
    return fail('RETRY');
  } catch (err) {
    if (err instanceof ServiceError && err.code === 'CONFLICT') return fail('RETRY');
    console.error('deployment gate failed', err instanceof Error ? `${err.name}: ${err.message}` : String(err));
    return fail('RETRY');
  }
}

async function gate(req: WebTriggerRequest): Promise<GateAnswer> {
  if (req.method !== 'POST') return fail('BODY_INVALID');
  const auth = await authenticate(req.headers);
  if (typeof auth === 'string') return fail(auth);
  const t = now();
  if (!(await countTokenRequest(auth.token.id, t, PIPELINE_RATE_PER_MINUTE))) return fail('RATE_LIMITED');
  const body = parseBody(req.body);
  if (typeof body === 'string') return fail(body);

  const issue = await issueStateAsApp(body.release);
  if (!issue) return fail('RELEASE_NOT_FOUND');
  if (issue.projectId !== auth.token.projectId) return fail('RELEASE_OTHER_PROJECT');
  const scope = { accountId: pipelineActor(auth.token).accountId, projectId: issue.projectId, projectKey: issue.projectKey };
  const loaded = await loadRelease(scope, issue.id, t);
  const ctx = contextOf(loaded);
  if (!ctx || !loaded.release) return fail('RELEASE_NOT_FOUND');
  const actor = pipelineActor(auth.token);

  if (body.event === 'check') {
    const d = decide(actor, ctx, 'pipelineCheck', t, loaded.policy);
    return d.allowed ? { outputKey: outputKey.allowed((d.warnings ?? []).filter((w) => CHECK_WARNINGS.includes(w))) } : { outputKey: outputKey.refused(d.reasons) };
  }

  // The parsed event (keys in schema order) is hashed, so the same event with other whitespace is the same event.
  const bodyHash = createHash('sha256').update(JSON.stringify(body), 'utf8').digest('hex');
  const previous = await getPipelineEvent(issue.id, body.idempotencyKey);
  if (previous) {
    if (previous.doc.bodyHash !== bodyHash) return fail('IDEMPOTENCY_KEY_REUSED');
    // A pipeline resends an event it got no answer for: if that call died after its commit, Jira may still be
    // owed its effects; apply them now rather than wait for the queue or the daily sweep (nothing when in step).
    if (pendingKinds(loaded.effectRequest?.doc ?? null, loaded.effectState?.doc ?? null).length > 0) {
      await followInJira(issue.id, issue.projectId, t, { ctx, setup: loaded.setup?.doc ?? null, request: loaded.effectRequest, state: loaded.effectState });
    }
    return { outputKey: outputKey.replayed };
  }

  const action = body.event === 'finished' ? 'pipelineFinish' : 'pipelineReport';
  const d = decide(actor, ctx, action, t, loaded.policy);
  if (!d.allowed) return { outputKey: outputKey.eventRefused(d.reasons) };

  const r = ctx.release;
  // Numbers that cannot lie (recordedTime.ts): a finish time outside the release's life is not a valid event.
  if (body.event === 'finished' && body.finishedAt !== undefined && releaseTimeReasons('DEPLOYMENT_FINISHED', body.finishedAt, r, t).length > 0) return fail('BODY_INVALID');
  const note = describe(body, auth.token.name);
  const report = { reportedBy: actor.accountId, reportedAt: t, note, ...(body.event === 'progress' && body.percentComplete !== undefined ? { percentComplete: body.percentComplete } : {}) };
  if (r.progressReports.length + 1 > RECORD_LIMIT_PROGRESS) return fail('EVENT_LIMIT');
  const recorded: Release = {
    ...r,
    progressReports: [...r.progressReports, report],
    ...(body.event === 'finished' ? { deployment: { succeeded: body.result === 'success', recordedBy: actor.accountId, finishedAt: body.finishedAt ?? t, note } } : {}),
  };
  const deploy = body.event === 'finished' ? markDeployedByPolicy(actor, { ...ctx, release: recorded }, body, t, loaded.policy) : null;
  const next = deploy?.moved ? deploy.release : recorded;

  const changes = new Changes();
  const stored = putRelease(changes, { ...loaded.release.doc, release: next }, loaded.release.version, t);
  putPipelineEvent(changes, { releaseId: issue.id, projectId: issue.projectId, tokenId: auth.token.id, event: body.event, idempotencyKey: body.idempotencyKey, bodyHash, at: t });
  changes.audit({
    projectId: issue.projectId,
    subjectType: 'RELEASE',
    subjectId: issue.id,
    // Named after the domain action (as `manageTraining.create` is): pipelineReport.started / .progress, pipelineFinish.
    action: body.event === 'finished' ? 'pipelineFinish' : `pipelineReport.${body.event}`,
    actorAccountId: actor.accountId,
    at: t,
    before: body.event === 'finished' ? { deployment: r.deployment } : {},
    // The actor is `pipeline:<token id>`; `pipeline` names it for the trail ("pipeline <name>").
    after: {
      pipeline: auth.token.name,
      environment: body.environment,
      ...(body.event === 'finished' ? { pipelineResult: body.result, ...(recorded.deployment ? { deployment: recorded.deployment } : {}) } : {}),
      ...('version' in body && body.version ? { deployedVersion: body.version } : {}),
      ...(body.event === 'progress' && body.percentComplete !== undefined ? { percentComplete: body.percentComplete } : {}),
      ...(body.runUrl ? { runUrl: body.runUrl } : {}),
      note,
      idempotencyKey: body.idempotencyKey,
      // The policy would have marked it deployed, and `decide` refused: why, for the trail.
      ...(deploy && !deploy.moved ? { notDeployedReasons: deploy.reasons } : {}),
    },
  });
  if (deploy?.moved) {
    // The same transition a person's "mark deployed" makes, with the pipeline as its actor.
    const diff = releaseAuditDiff(recorded, next);
    changes.audit({
      projectId: issue.projectId,
      subjectType: 'RELEASE',
      subjectId: issue.id,
      action: 'markDeployed',
      actorAccountId: actor.accountId,
      at: t,
      before: diff.before,
      after: { ...diff.after, pipeline: auth.token.name, environment: body.environment },
    });
  }
  // Jira follows the record through the effects outbox, as the app (a web trigger has no user): the
  // property at the record's version and, when it moved, the status (IMPLEMENTING → VERIFYING).
  const request = requestEffects(changes, loaded.effectRequest, {
    releaseId: issue.id,
    projectId: issue.projectId,
    releaseVersion: stored.release.version,
    kinds: effectsOfChange({ transition: deploy?.moved === true, effects: deploy?.moved ? deploy.effects : [] }),
    actorAccountId: actor.accountId,
    at: t,
  });
  try {
    await commit(changes);
  } catch (err) {
    // Another call with the same key won the race: it is a replay; anything else is for the caller to retry.
    if (err instanceof ServiceError && err.code === 'CONFLICT') {
      const winner = await getPipelineEvent(issue.id, body.idempotencyKey);
      if (winner) return { outputKey: winner.doc.bodyHash === bodyHash ? outputKey.replayed : outputKey.error('IDEMPOTENCY_KEY_REUSED') };
      return fail('RETRY');
    }
    if (err instanceof ConflictError) return fail('RETRY');
    throw err;
  }
  await followInJira(issue.id, issue.projectId, t, {
    ctx: { ...ctx, release: stored.release },
    setup: loaded.setup?.doc ?? null,
    request: { key: issue.id, version: (loaded.effectRequest?.version ?? 0) + 1, doc: request },
    state: loaded.effectState,
  });
  await noteTokenUse(auth, t);
  if (!deploy) return { outputKey: outputKey.recorded };
  if (deploy.moved) return { outputKey: outputKey.deployed };
  const answer = outputKey.notDeployed(deploy.reasons);
  // Every reason the domain can give here has an output (DEPLOY_REASONS); were one missing, the event is
  // still recorded, and says so, with the reasons in the audit trail.
  return { outputKey: PIPELINE_OUTPUT_KEYS.has(answer) ? answer : outputKey.recorded };
}

type DeployByPolicy = { moved: true; release: Release; effects: readonly TransitionEffect[] } | { moved: false; reasons: readonly ReasonCode[] };

/**
 * The project policy `pipelineDeployEnvironment`: a successful finish in that environment marks the release
 * deployed, asked of `decide` as the pipeline (mark deployed's status and gate, and an implementer on the team
 * to answer for it). Null when the policy does not apply (off, a failure, another environment): recorded only.
 */
function markDeployedByPolicy(actor: Actor, ctx: ReleaseContext, body: Extract<PipelineBody, { event: 'finished' }>, t: number, policy: Policy): DeployByPolicy | null {
  if (body.result !== 'success' || !pipelineFinishCounts(policy, body.environment)) return null;
  const d = decide(actor, ctx, 'pipelineMarkDeployed', t, policy);
  if (!d.allowed) return { moved: false, reasons: d.reasons };
  const moved = applyTransition({ release: ctx.release, team: ctx.team, fallbackPlan: ctx.fallbackPlan }, 'markDeployed', { actorAccountId: actor.accountId }, t);
  return moved.ok ? { moved: true, release: moved.release, effects: moved.effects } : { moved: false, reasons: moved.reasons };
}

/** Right after the commit: the effects as the app, a few quick retries; what is left goes to the queue and the daily sweep. */
async function followInJira(releaseId: string, projectId: string, t: number, snapshot: EffectsSnapshot): Promise<void> {
  try {
    const outcome = await applyReleaseEffects(releaseId, projectId, { now: t, retry: AFTER_COMMIT_RETRY, snapshot });
    if (outcome.status === 'pending') await scheduleRetry({ releaseId, projectId, notBefore: outcome.nextAttemptAt ?? t });
  } catch (err) {
    // The event is committed and its effects are in the outbox: the sweep applies them; the pipeline gets its answer.
    console.warn('deployment gate: Jira effects left to the retries', releaseId, err instanceof Error ? err.message : String(err));
  }
}
