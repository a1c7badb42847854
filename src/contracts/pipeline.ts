/**
 * The deployment gate's wire contract (the `webtrigger` module): what a pipeline sends, and every answer it
 * can get. The web trigger is `response.type: static` (forge-docs manifest-reference/modules/web-trigger:
 * only static web triggers keep the app eligible for Runs on Atlassian), so each answer is one output of the
 * manifest with a fixed body; the handler returns only the output's key. The outputs are generated from this
 * file (`npm run gen:webtrigger`) and a test holds manifest.yml to it.
 */
import { z } from 'zod';
import { ACTION_CONDITIONS, GATES } from '../domain/gates';
import { PIPELINE_ENVIRONMENT_PATTERN } from '../domain/policy';
import { epochMs, httpsUrl, issueKey } from './primitives';

/** Bodies above this are refused before parsing. */
export const PIPELINE_BODY_MAX_BYTES = 8 * 1024;
/** Requests per token per minute. */
export const PIPELINE_RATE_PER_MINUTE = 60;

const environment = z.string().regex(PIPELINE_ENVIRONMENT_PATTERN, 'letters, digits and . _ - (at most 40)');
const idempotencyKey = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, '8 to 128 letters, digits or . _ : -');
const version = z.string().trim().min(1).max(100);
const base = { release: issueKey, environment };

export const pipelineBodySchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('check'), ...base }).strict(),
  z.object({ event: z.literal('started'), ...base, idempotencyKey, version: version.optional(), runUrl: httpsUrl.optional() }).strict(),
  z
    .object({
      event: z.literal('progress'),
      ...base,
      idempotencyKey,
      message: z.string().trim().min(1).max(500),
      percentComplete: z.number().int().min(0).max(100).optional(),
      runUrl: httpsUrl.optional(),
    })
    .strict(),
  z
    .object({
      event: z.literal('finished'),
      ...base,
      idempotencyKey,
      result: z.enum(['success', 'failure']),
      version: version.optional(),
      runUrl: httpsUrl.optional(),
      finishedAt: epochMs.optional(),
      message: z.string().trim().max(500).optional(),
    })
    .strict(),
]);
export type PipelineBody = z.infer<typeof pipelineBodySchema>;
export type PipelineEvent = PipelineBody['event'];

/** Failures that are not the release rule's: each has its own output. */
export const PIPELINE_ERRORS = {
  // A method other than POST is a request that is not a gate event (400): folding 405 into it keeps the
  // outputs within Forge's 20 now that `finished` can also answer "deployed" / "not deployed".
  TOKEN_INVALID: 401,
  TOKEN_REVOKED: 401,
  BODY_TOO_LARGE: 413,
  BODY_INVALID: 400,
  RELEASE_NOT_FOUND: 404,
  RELEASE_OTHER_PROJECT: 403,
  IDEMPOTENCY_KEY_REUSED: 409,
  EVENT_LIMIT: 409,
  RATE_LIMITED: 429,
  RETRY: 503,
} as const;
export type PipelineError = keyof typeof PIPELINE_ERRORS;

/**
 * The start-implementation gate split as a pipeline sees it: blocking conditions, and the warning that
 * concerns deploying now (a soft freeze). Whether the planned window overlaps a freeze is the planners'
 * flag, not a deploy-time answer; leaving it out keeps the outputs within Forge's 20.
 */
export const CHECK_REASONS = GATES.startImplementation.filter((g) => !g.advisory).map((g) => g.code);
export const CHECK_WARNINGS = GATES.startImplementation.filter((g) => g.advisory && g.code === 'GATE_SOFT_FREEZE').map((g) => g.code);
/**
 * What can stop a pipeline's successful finish from marking the release deployed once `pipelineFinish` was
 * allowed: the mark-deployed gate is met by the result just recorded and the status is IMPLEMENTING, so only
 * the conditions the pipeline's action adds remain (an implementer on the team).
 */
export const DEPLOY_REASONS = (ACTION_CONDITIONS.pipelineMarkDeployed ?? []).filter((g) => !g.advisory).map((g) => g.code);
/** @forge/manifest: a static web trigger has at most 20 outputs. */
export const MAX_STATIC_OUTPUTS = 20;

/** Every non-empty subset of `codes`, each in the given order. */
function subsets<T>(codes: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 1; mask < 1 << codes.length; mask++) out.push(codes.filter((_, i) => (mask & (1 << i)) !== 0));
  return out;
}

/** A check or an event refused for the release's status alone: one output for both (its body says both). */
const WRONG_STATUS_ONLY = 'refused__WRONG_STATUS';
const wrongStatusOnly = (reasons: readonly string[]) => reasons.length === 1 && reasons[0] === 'WRONG_STATUS';

export const outputKey = {
  allowed: (warnings: readonly string[]) => (warnings.length === 0 ? 'check-allowed' : `check-allowed__${warnings.join('__')}`),
  refused: (reasons: readonly string[]) => (wrongStatusOnly(reasons) ? WRONG_STATUS_ONLY : `check-refused__${reasons.join('__')}`),
  eventRefused: (reasons: readonly string[]) => (wrongStatusOnly(reasons) ? WRONG_STATUS_ONLY : `event-refused__${reasons.join('__')}`),
  recorded: 'event-recorded',
  /** `finished: success` in the policy's environment: recorded, and the release marked deployed (VERIFYING). */
  deployed: 'event-recorded__deployed',
  /** Recorded as the deployment result only: marking deployed was refused for these reasons. */
  notDeployed: (reasons: readonly string[]) => `event-recorded__not-deployed__${reasons.join('__')}`,
  replayed: 'event-replayed',
  error: (code: PipelineError) => `error__${code}`,
};

export interface OutputSpec {
  key: string;
  statusCode: number;
  /** The body as a value (serialised once, into manifest.yml). */
  body: unknown;
}

/**
 * Every answer the gate can give. `message(code)` gives the English text of a reason or error code (a
 * pipeline's log is read by engineers; the static body cannot follow a reader's language).
 */
export function pipelineOutputs(message: (code: string) => string): OutputSpec[] {
  const item = (code: string) => ({ code, message: message(code) });
  const out: OutputSpec[] = [{ key: outputKey.allowed([]), statusCode: 200, body: { allowed: true } }];
  for (const w of subsets(CHECK_WARNINGS)) out.push({ key: outputKey.allowed(w), statusCode: 200, body: { allowed: true, warnings: w.map(item) } });
  // Gates are only weighed in the right status, so a wrong status comes alone: a check is not allowed, an event not recorded.
  out.push({ key: WRONG_STATUS_ONLY, statusCode: 409, body: { allowed: false, recorded: false, reasons: [item('WRONG_STATUS')] } });
  for (const r of subsets(CHECK_REASONS)) out.push({ key: outputKey.refused(r), statusCode: 409, body: { allowed: false, reasons: r.map(item) } });
  out.push({ key: outputKey.recorded, statusCode: 202, body: { recorded: true } });
  out.push({ key: outputKey.deployed, statusCode: 202, body: { recorded: true, deployed: true } });
  for (const r of subsets(DEPLOY_REASONS)) out.push({ key: outputKey.notDeployed(r), statusCode: 202, body: { recorded: true, deployed: false, reasons: r.map(item) } });
  out.push({ key: outputKey.replayed, statusCode: 200, body: { recorded: true, replayed: true } });
  for (const [code, statusCode] of Object.entries(PIPELINE_ERRORS)) out.push({ key: outputKey.error(code as PipelineError), statusCode, body: { error: item(code) } });
  return out;
}

/** The key of every output the manifest declares (what the handler may answer). */
export const PIPELINE_OUTPUT_KEYS: ReadonlySet<string> = new Set(pipelineOutputs(() => '').map((o) => o.key));
