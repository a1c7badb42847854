import { invoke as bridgeInvoke } from '@forge/bridge';
import { renderServerError, type ServerMessages } from './i18n/serverMessages';

/** A resolver's answer: the one envelope every resolver of the app returns. */
export type Envelope<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; field?: string; messageKey?: string; params?: Record<string, string | number>; reasons?: string[] } };

let serverMessages: ServerMessages | undefined;
/** The user's language for what resolvers answer (set once at start, before any module renders). */
export function setServerMessages(messages: ServerMessages): void {
  serverMessages = messages;
}

/** What went wrong in a resolver call, with the resolver's code (or `TRANSPORT` / `BAD_RESPONSE`). */
export class ResolverError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  constructor(code: string, message: string, field?: string) {
    super(message);
    this.name = 'ResolverError';
    this.code = code;
    this.field = field;
  }
}

export type Payload = Record<string, unknown>;

function isEnvelope(v: unknown): v is Envelope<unknown> {
  if (typeof v !== 'object' || v === null || !('ok' in v)) return false;
  const e = v as { ok: unknown; error?: unknown };
  if (e.ok === true) return 'data' in v;
  return e.ok === false && typeof e.error === 'object' && e.error !== null;
}

/** Calls a resolver and returns its `data`, or throws a {@link ResolverError} carrying its error. */
export async function callResolver<T>(functionKey: string, payload: Payload = {}): Promise<T> {
  let raw: unknown;
  try {
    raw = await bridgeInvoke(functionKey, payload);
  } catch (err) {
    throw new ResolverError('TRANSPORT', err instanceof Error ? err.message : String(err));
  }
  if (!isEnvelope(raw)) throw new ResolverError('BAD_RESPONSE', `Resolver '${functionKey}' answered outside the envelope`);
  if (raw.ok) return raw.data as T;
  const { code, message, field } = raw.error;
  const said = serverMessages ? renderServerError(serverMessages, raw.error) : undefined;
  throw new ResolverError(String(code), said ?? String(message), typeof field === 'string' ? field : undefined);
}

/** One typed function per resolver key: `const listNotes = resolver<{}, Note[]>('example/listNotes')`. */
export function resolver<P extends Payload, R>(functionKey: string): (payload: P) => Promise<R> {
  return (payload) => callResolver<R>(functionKey, payload);
}
