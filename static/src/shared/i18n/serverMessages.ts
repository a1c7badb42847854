import type { SupportedLocale } from './locale';

/**
 * What a resolver's error envelope carries for the UI to say: the locale key of its message, the message's
 * parameters and, for a domain refusal, every reason code. Forge's resolver context has no locale, so the
 * server cannot pick the language; the UI renders these from `locales/` (and falls back to English, then to
 * the server's English `message`).
 */
export interface CodedError {
  messageKey?: unknown;
  params?: unknown;
  reasons?: unknown;
  /** Further sentences (e.g. the change freeze in force), each `{ messageKey, params }`. */
  notes?: unknown;
}

export interface ServerMessages {
  primary: unknown;
  fallback: unknown;
}

const loaders: Record<SupportedLocale, () => Promise<unknown>> = {
  'en-US': () => import('./server.en-US'),
  'zh-CN': () => import('./server.zh-CN'),
};

export async function loadServerMessages(locale: SupportedLocale): Promise<ServerMessages> {
  const [primary, fallback] = await Promise.all([loaders[locale](), locale === 'en-US' ? Promise.resolve(undefined) : loaders['en-US']()]);
  return { primary, fallback };
}

function lookup(tree: unknown, key: string): string | undefined {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

const KEY = /^(reason|server)\.[A-Za-z0-9_.]+$/;

function say(messages: ServerMessages, key: string, params: Record<string, unknown>): string | undefined {
  if (!KEY.test(key)) return undefined;
  const text = lookup(messages.primary, key) ?? lookup(messages.fallback, key);
  if (text === undefined) return undefined;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (typeof params[name] === 'string' || typeof params[name] === 'number' ? String(params[name]) : whole));
}

const paramsOf = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

/** The error in the user's language, or undefined when the envelope carries nothing the locale files know. */
export function renderServerError(messages: ServerMessages, error: CodedError): string | undefined {
  const params = paramsOf(error.params);
  let main: string | undefined;
  if (Array.isArray(error.reasons) && error.reasons.length > 0) {
    const parts = error.reasons.map((r) => (typeof r === 'string' ? say(messages, `reason.${r}`, params) : undefined));
    if (parts.every((p): p is string => p !== undefined)) main = parts.join(' ');
  }
  main ??= typeof error.messageKey === 'string' ? say(messages, error.messageKey, params) : undefined;
  if (main === undefined) return undefined;
  const notes = Array.isArray(error.notes) ? error.notes : [];
  const said = notes.map((n) => {
    const note = paramsOf(n);
    return typeof note.messageKey === 'string' ? say(messages, note.messageKey, paramsOf(note.params)) : undefined;
  });
  // A note the locale files do not know would be lost: then the server's whole message is the better answer.
  if (said.some((x) => x === undefined)) return undefined;
  return [main, ...said].join(' ');
}
