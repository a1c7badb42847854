/**
 * The deployment gate on `npm start`: its URL on the local platform, and a pipeline token made for this run
 * through the app's own admin resolver as the release manager (the previous run's demo token is revoked:
 * a token's secret is shown once, so each run makes its own).
 */
import type { CreatedPipelineToken, PipelineTokenView } from '../../src/contracts/views';
import type { Envelope } from '../../src/contracts/envelope';
import { webTriggerPath, type Platform } from '../index';
import { PEOPLE } from '../seed/people';
import type { SeedSummary } from '../seed/demo';

export const GATE_MODULE = 'deployment-gate';
export const DEMO_TOKEN_NAME = 'Demo pipeline (npm start)';

export interface DemoGate {
  readonly url: string;
  readonly token: string;
  readonly releaseKey: string | null;
}

async function call<T>(platform: Platform, functionKey: string, payload: Record<string, unknown>): Promise<T> {
  const res = await platform.invokeResolver<Envelope<T>>({ moduleKey: 'release-admin', functionKey, payload, accountId: PEOPLE.manager.accountId });
  if (!res.value.ok) throw new Error(`${functionKey}: ${res.value.error.code} ${res.value.error.message}`);
  return res.value.data;
}

export async function demoGate(platform: Platform, chromeUrl: string, summary: SeedSummary): Promise<DemoGate> {
  const projectId = summary.project.id;
  const tokens = await call<PipelineTokenView[]>(platform, 'pipeline/listTokens', { projectId });
  for (const t of tokens) if (t.name === DEMO_TOKEN_NAME && t.revokedAt === null) await call(platform, 'pipeline/revokeToken', { projectId, tokenId: t.id, expectedVersion: t.version });
  const created = await call<CreatedPipelineToken>(platform, 'pipeline/createToken', { projectId, name: DEMO_TOKEN_NAME });
  const ready = summary.hints.find((h) => h.status === 'READY') ?? summary.hints.find((h) => h.status === 'IMPLEMENTING');
  return { url: `${chromeUrl}${webTriggerPath(platform.webTriggerId(GATE_MODULE))}`, token: created.secret, releaseKey: ready?.issueKey ?? null };
}

/** The lines `npm start` prints for the gate. */
export function gateBanner(g: DemoGate): string[] {
  const release = g.releaseKey ?? 'PAY-1';
  return [
    '',
    'Deployment gate (web trigger) for pipelines:',
    `  ${g.url}`,
    `  token for this run: ${g.token}`,
    '  ask it, as a pipeline would:',
    `  curl -sS -X POST '${g.url}' -H 'Authorization: Bearer ${g.token}' -H 'Content-Type: application/json' -d '{"event":"check","release":"${release}","environment":"production"}'`,
    "  a `finished` success is recorded only; to let it mark the release deployed, tick 'Deployed by a pipeline' in the admin page's Policy (process owner).",
  ];
}
