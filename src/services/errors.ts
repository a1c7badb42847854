import type { ErrorCode } from '../contracts/envelope';
import type { ReasonCode } from '../domain/reasons';

/**
 * A refusal or failure the caller should see. `code` is a transport code of the envelope or, for a
 * refusal by the domain, the first reason code (every reason in `reasons`). Nothing has been written when
 * it is thrown.
 */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly options: {
      field?: string;
      reasons?: readonly ReasonCode[];
      detail?: string;
      messageKey?: string;
      /** Values for the message's `{placeholders}` (e.g. the issue key that is not a release). */
      params?: Readonly<Record<string, string>>;
      /** A freeze in force when start implementation is refused in one: its reason and end, for the message. */
      freeze?: { reason: string; until: number; timeZone: string };
    } = {},
  ) {
    super(options.detail ?? code);
    this.name = 'ServiceError';
  }
}

export function refused(reasons: readonly ReasonCode[]): ServiceError {
  return new ServiceError(reasons[0] ?? 'INTERNAL', { reasons });
}

/** A payload that passed its schema but does not fit the records (wrong project, too many entries...). */
export function badInput(field: string, messageKey: string): ServiceError {
  return new ServiceError('VALIDATION_FAILED', { field, messageKey });
}
