import type { Platform } from '../index';
import { missingScopes } from '../jira/scopes';

export { missingScopes };

/**
 * `requestJira` from a frame: `@forge/bridge` calls `callBridge('fetchProduct', { product, restPath,
 * fetchRequestInit: { method, body, headers: [name, value][] }, isMultipartFormData })` and builds a
 * `Response` from `{ body, headers, status, statusText, isAttachment }`. As on Jira, the request runs as the
 * acting user and only within the app's scopes: an operation whose current OAuth scopes the manifest does
 * not declare is refused (403) before Jira sees it.
 */
export interface ProductFetchAnswer {
  body: string;
  headers: Record<string, string>;
  status: number;
  statusText: string;
  isAttachment: boolean;
}

export class ProductFetchError extends Error {}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests', 500: 'Internal Server Error', 501: 'Not Implemented' };

/** Headers a frame may send on to Jira (the bridge adds `X-Atlassian-Token`; cookies and auth are the host's). */
const FORWARDED = new Set(['accept', 'content-type', 'x-atlassian-token', 'x-experimentalapi']);

export function manifestScopes(platform: Platform): string[] {
  const permissions = platform.manifest.raw.permissions;
  const scopes = isObj(permissions) ? permissions.scopes : undefined;
  return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [];
}

export async function fetchProduct(platform: Platform, accountId: string | undefined, args: unknown): Promise<ProductFetchAnswer> {
  if (!isObj(args) || typeof args.restPath !== 'string') throw new ProductFetchError('fetchProduct expects { product, restPath, fetchRequestInit }');
  if (args.product !== 'jira') throw new ProductFetchError(`The local host has no ${String(args.product)} to fetch from (only Jira)`);
  if (!args.restPath.startsWith('/')) throw new ProductFetchError('restPath must start with "/"');
  if (args.isMultipartFormData === true) throw new ProductFetchError('The local host does not forward multipart requests');
  const init = isObj(args.fetchRequestInit) ? args.fetchRequestInit : {};
  const method = (typeof init.method === 'string' ? init.method : 'GET').toUpperCase();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (Array.isArray(init.headers)) {
    for (const pair of init.headers) {
      if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string' && FORWARDED.has(pair[0].toLowerCase())) headers[pair[0].toLowerCase()] = pair[1];
    }
  }
  const body = typeof init.body === 'string' && init.body !== '' && method !== 'GET' && method !== 'HEAD' ? init.body : undefined;

  const path = new URL(args.restPath, 'http://jira.local').pathname;
  const missing = missingScopes(method, path, manifestScopes(platform));
  if (missing.length > 0) {
    const message = `The app is not allowed to call ${method} ${path}: manifest.yml lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
    return answer(403, { errorMessages: [message], errors: {} });
  }
  const res = await platform.jira.handle({
    method,
    path: args.restPath,
    headers,
    body,
    actor: accountId ? { kind: 'user', accountId } : { kind: 'anonymous' },
  });
  return answer(res.status, res.body, res.headers);
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): ProductFetchAnswer {
  const text = body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    body: text,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...lower },
    status,
    statusText: STATUS_TEXT[status] ?? '',
    isAttachment: false,
  };
}
