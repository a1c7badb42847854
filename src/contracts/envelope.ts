/** The one resolver response envelope (ARCHITECTURE.md "Boundaries"). */
import type { ReasonCode } from '../domain';

/** Errors that are not domain refusals. Domain refusals use their reason code. */
export const TRANSPORT_ERROR_CODES = [
  'VALIDATION_FAILED', // payload rejected by its schema; `field` names the first offending path
  'UNKNOWN_RESOLVER',
  'NOT_FOUND',
  'CONFLICT', // optimistic-concurrency version mismatch: reload and retry
  'NOT_SET_UP', // the project has not been set up for the app
  'NOT_PROJECT_ADMIN', // set-up and its status need Jira's project-admin permission
  'RATE_LIMITED',
  'JIRA_REJECTED_EXPRESSION', // set-up: Jira's expression engine refused the workflow rules' expression
  'INTERNAL',
] as const;
export type TransportErrorCode = (typeof TRANSPORT_ERROR_CODES)[number];
export type ErrorCode = TransportErrorCode | ReasonCode;

export interface ResolverError {
  readonly code: ErrorCode;
  /**
   * English text, for logs and callers without the locale files. Forge's resolver context carries no locale,
   * so the UI renders `messageKey` with `params` (and each of `reasons` as `reason.<CODE>`) from `locales/`
   * in the user's language instead.
   */
  readonly message: string;
  /** The locale key of the message (e.g. `server.error.NOT_FOUND`, `server.field.tooMany`). */
  readonly messageKey?: string;
  readonly params?: Readonly<Record<string, string | number>>;
  /** Further sentences after the message (e.g. the freeze in force), each a locale key with its parameters. */
  readonly notes?: readonly { readonly messageKey: string; readonly params?: Readonly<Record<string, string | number>> }[];
  readonly field?: string;
  /** When the domain refused: every reason (code is the first of them). */
  readonly reasons?: readonly ReasonCode[];
}

export type Envelope<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: ResolverError };

export function ok<T>(data: T): Envelope<T> {
  return { ok: true, data };
}

export function fail(error: ResolverError): Envelope<never> {
  return { ok: false, error };
}
