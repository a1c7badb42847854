/** Turns what a use case returned or threw into the one envelope, with the message in the user's language. */
import { JiraError } from '../jira/client';
import { fail, ok, type Envelope, type ResolverError } from '../contracts/envelope';
import { isReasonCode } from '../domain/reasons';
import { ServiceError } from '../services/errors';
import { t, type Locale } from './messages';

function messageFor(locale: Locale, code: string, field?: string, messageKey?: string, params: Readonly<Record<string, string>> = {}): string {
  // `dsl.*` keys live in their own section (server.dsl); the others are field problems.
  if (messageKey) return t(locale, messageKey.startsWith('dsl.') ? `server.${messageKey}` : `server.field.${messageKey}`, { ...params, field: field ?? '' });
  if (isReasonCode(code)) return t(locale, `reason.${code}`);
  return t(locale, `server.error.${code}`, { field: field ?? '' });
}

export function errorEnvelope(err: unknown, locale: Locale): Envelope<never> {
  if (err instanceof ServiceError) {
    const reasons = err.options.reasons;
    let message = reasons && reasons.length > 0 ? reasons.map((r) => t(locale, `reason.${r}`)).join(' ') : messageFor(locale, err.code, err.options.field, err.options.messageKey, err.options.params);
    const freeze = err.options.freeze;
    if (freeze) {
      const until = new Intl.DateTimeFormat(locale, { timeZone: freeze.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(freeze.until));
      message = `${message} ${t(locale, 'server.freezeInForce', { freeze: freeze.reason, until, timeZone: freeze.timeZone })}`;
    }
    const error: ResolverError = {
      code: err.code,
      message,
      ...(err.options.field ? { field: err.options.field } : {}),
      ...(reasons && reasons.length > 0 ? { reasons } : {}),
    };
    return fail(error);
  }
  if (err instanceof JiraError && err.status === 429) return fail({ code: 'RATE_LIMITED', message: t(locale, 'server.error.RATE_LIMITED') });
  // Unexpected: logged for the app's logs, reported without internals.
  console.error('resolver failed', err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  return fail({ code: 'INTERNAL', message: t(locale, 'server.error.INTERNAL') });
}

export function validationEnvelope(locale: Locale, field: string | undefined): Envelope<never> {
  return fail({
    code: 'VALIDATION_FAILED',
    message: field ? t(locale, 'server.error.VALIDATION_FAILED', { field }) : t(locale, 'server.error.VALIDATION_FAILED_NO_FIELD'),
    ...(field ? { field } : {}),
  });
}

export { ok };
