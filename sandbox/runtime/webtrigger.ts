/**
 * Web triggers as Forge runs them (forge-docs events-reference/web-trigger, manifest-reference/modules/
 * web-trigger): the HTTP request becomes `{ method, headers: { name: [values] }, body, path, userPath,
 * queryParameters }`; the function's result becomes the response. A `static` trigger may only answer with
 * the key of one of its configured outputs (`{ outputKey }`), whose status, content type and body are
 * fixed; a `dynamic` one answers `{ statusCode, headers?, body? }`. Anything else is a 500, as on Forge.
 */
import { createHash } from 'node:crypto';
import type { ManifestModule } from '../manifest';

export interface WebTriggerHttpRequest {
  method: string;
  /** Header values as received; names keep their case. */
  headers?: Record<string, string | string[] | undefined>;
  body?: string;
  /** Segments after the trigger id, e.g. `/check`. */
  userPath?: string;
  query?: URLSearchParams | Record<string, string | string[]>;
}

export interface WebTriggerResponse {
  statusCode: number;
  headers: Record<string, string[]>;
  body: string;
}

export interface WebTriggerEvent {
  method: string;
  headers: Record<string, string[]>;
  body?: string;
  path: string;
  userPath: string;
  queryParameters: Record<string, string[]>;
}

interface StaticOutput {
  key: string;
  statusCode: number;
  contentType?: string;
  body?: string;
}

/** The trigger's id in its URL: stable per app, site and module (forge-docs runtime-reference/web-trigger-api). */
export function webTriggerId(appId: string, cloudId: string, moduleKey: string): string {
  return createHash('sha256').update(`${appId}\u0000${cloudId}\u0000${moduleKey}`).digest('base64url').slice(0, 26);
}

/** The URL path Forge's v2 format uses: `/public/<id>` on the installation's web-trigger domain. */
export const webTriggerPath = (id: string): string => `/public/${id}`;

export function webTriggerEvent(id: string, req: WebTriggerHttpRequest): WebTriggerEvent {
  const headers: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    if (v === undefined) continue;
    headers[k] = Array.isArray(v) ? v : [v];
  }
  const queryParameters: Record<string, string[]> = {};
  const q = req.query ?? {};
  if (q instanceof URLSearchParams) {
    for (const [k, v] of q) queryParameters[k] = [...(queryParameters[k] ?? []), ...v.split(',')];
  } else {
    for (const [k, v] of Object.entries(q)) queryParameters[k] = Array.isArray(v) ? v : [v];
  }
  const userPath = req.userPath ?? '';
  return {
    method: req.method.toUpperCase(),
    headers,
    ...(req.body !== undefined && req.body !== '' ? { body: req.body } : {}),
    path: `${webTriggerPath(id)}${userPath}`,
    userPath,
    queryParameters,
  };
}

const INCOMPATIBLE: WebTriggerResponse = { statusCode: 500, headers: { 'Content-Type': ['text/plain'] }, body: 'The web trigger function returned an incompatible response.' };

function outputsOf(module: ManifestModule): StaticOutput[] | null {
  const response = module.response as { type?: unknown; outputs?: unknown } | undefined;
  if (!response || response.type !== 'static') return null;
  return Array.isArray(response.outputs) ? (response.outputs as StaticOutput[]) : [];
}

/** The HTTP response for what the function returned. */
export function webTriggerResponse(module: ManifestModule, result: unknown): WebTriggerResponse {
  const r = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : null;
  const outputs = outputsOf(module);
  if (outputs) {
    const out = r && typeof r.outputKey === 'string' ? outputs.find((o) => o.key === r.outputKey) : undefined;
    if (!out) return INCOMPATIBLE;
    return { statusCode: out.statusCode, headers: out.contentType ? { 'Content-Type': [out.contentType] } : {}, body: out.body ?? '' };
  }
  if (!r || typeof r.statusCode !== 'number' || !Number.isInteger(r.statusCode)) return INCOMPATIBLE;
  const headers: Record<string, string[]> = {};
  if (typeof r.headers === 'object' && r.headers !== null) {
    for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) headers[k] = Array.isArray(v) ? v.map(String) : [String(v)];
  }
  return { statusCode: r.statusCode, headers, body: typeof r.body === 'string' ? r.body : '' };
}
