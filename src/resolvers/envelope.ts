/** Turns what a use case returned or threw into the one envelope, with the message in the user's language. */
import { JiraError } from '../jira/client';
import { fail, ok, type Envelope, type ResolverError } from '../contracts/envelope';
import { isReasonCode } from '../domain/reasons';
import { ServiceError } from '../services/errors';
import { t, type Locale } from './messages';

/**
 * The locale key of a server message: a use case's `messageKey` (`dsl.*` in server.dsl, the others field
 * problems in server.field), a domain reason (`reason.<CODE>`), or a transport code (`server.error.<CODE>`).
 * Adding a code or a messageKey means adding its key to both locale files (test/i18n checks every one).
 */
export function serverMessageKey(code: string, messageKey?: string): string {
  if (messageKey) return messageKey.startsWith('dsl.') ? `server.${messageKey}` : `server.field.${messageKey}`;
  if (isReasonCode(code)) return `reason.${code}`;
  return `server.error.${code}`;
}

function coded(locale: Locale, code: ResolverError['code'], key: string, params: Record<string, string | number>, extra: Partial<ResolverError> = {}): Envelope<never> {
  return fail({ code, message: t(locale, key, params), messageKey: key, ...(Object.keys(params).length > 0 ? { params } : {}), ...extra });
}

/** `2026-12-24 18:00` in the given time zone: a date-time any language can show as is. */
function neutralTime(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at));
  const get = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export function errorEnvelope(err: unknown, locale: Locale): Envelope<never> {
  if (err instanceof ServiceError) {
    const reasons = err.options.reasons;
    const field = err.options.field;
    const freeze = err.options.freeze;
    // A freeze in force adds a note (its reason and end, in the freeze's time zone, written language-neutrally
    // so that the UI can say the note in the user's language around it).
    const notes = freeze ? [{ messageKey: 'server.freezeInForce', params: { freeze: freeze.reason, until: neutralTime(freeze.until, freeze.timeZone), timeZone: freeze.timeZone } }] : [];
    const noteText = notes.map((n) => ` ${t(locale, n.messageKey, n.params)}`).join('');
    const extra = { ...(field ? { field } : {}), ...(reasons && reasons.length > 0 ? { reasons } : {}), ...(notes.length > 0 ? { notes } : {}) };
    if (reasons && reasons.length > 0) {
      return fail({ code: err.code, message: reasons.map((r) => t(locale, `reason.${r}`)).join(' ') + noteText, messageKey: `reason.${reasons[0] ?? err.code}`, ...extra });
    }
    const base = coded(locale, err.code, serverMessageKey(err.code, err.options.messageKey), { ...(err.options.params ?? {}), ...(field ? { field } : {}) }, extra);
    return base.ok || noteText === '' ? base : fail({ ...base.error, message: base.error.message + noteText });
  }
  if (err instanceof JiraError && err.status === 429) return coded(locale, 'RATE_LIMITED', 'server.error.RATE_LIMITED', {});
  // Unexpected: logged for the app's logs, reported without internals.
  console.error('resolver failed', err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  return coded(locale, 'INTERNAL', 'server.error.INTERNAL', {});
}

export function validationEnvelope(locale: Locale, field: string | undefined): Envelope<never> {
  return field
    ? coded(locale, 'VALIDATION_FAILED', 'server.error.VALIDATION_FAILED', { field }, { field })
    : coded(locale, 'VALIDATION_FAILED', 'server.error.VALIDATION_FAILED_NO_FIELD', {});
}

/** A resolver key that is not one of ours (`constructor`, `__proto__`, `''`…): refused before anything runs. */
export function unknownResolverEnvelope(locale: Locale): Envelope<never> {
  return coded(locale, 'UNKNOWN_RESOLVER', 'server.error.UNKNOWN_RESOLVER', {});
}

export { ok };
