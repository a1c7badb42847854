import type { JiraActor, JiraResponse } from '../runtime/backends';

/** Jira's error body: `{ errorMessages: [...], errors: { field: message } }`. */
export interface JiraErrorBody {
  errorMessages: string[];
  errors: Record<string, string>;
}

export class JiraHttpError extends Error {
  readonly status: number;
  readonly body: JiraErrorBody;
  readonly headers: Record<string, string>;

  constructor(status: number, messages: string[], errors: Record<string, string> = {}, headers: Record<string, string> = {}) {
    super(`${status} ${[...messages, ...Object.values(errors)].join('; ')}`);
    this.status = status;
    this.body = { errorMessages: messages, errors };
    this.headers = headers;
  }
}

export const badRequest = (message: string | string[], errors: Record<string, string> = {}): JiraHttpError =>
  new JiraHttpError(400, Array.isArray(message) ? message : message ? [message] : [], errors);
export const fieldErrors = (errors: Record<string, string>): JiraHttpError => new JiraHttpError(400, [], errors);
export const notFound = (message: string): JiraHttpError => new JiraHttpError(404, [message]);
export const forbidden = (message: string): JiraHttpError => new JiraHttpError(403, [message]);
export const conflict = (message: string): JiraHttpError => new JiraHttpError(409, [message]);
export const unauthorized = (): JiraHttpError =>
  new JiraHttpError(401, ['You are not authorized to perform this operation. Please log in.']);

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a route handler receives. */
export interface RouteRequest {
  method: string;
  template: string;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  actor: JiraActor;
}

export type RouteResult = JiraResponse;

export const ok = (body: unknown, status = 200, headers?: Record<string, string>): RouteResult => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});
export const noContent = (): RouteResult => ({ status: 204 });

/** Query helpers: Jira accepts both repeated parameters and comma-separated lists. */
export function queryList(q: URLSearchParams, name: string): string[] {
  return q
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

export function queryInt(q: URLSearchParams, name: string, fallback: number): number {
  const v = q.get(name);
  if (v === null || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`The '${name}' parameter must be an integer.`);
  return n;
}

export function queryBool(q: URLSearchParams, name: string, fallback: boolean): boolean {
  const v = q.get(name);
  if (v === null) return fallback;
  return v === 'true';
}
