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

/** The error in the user's language, or undefined when the envelope carries nothing the locale files know. */
export function renderServerError(messages: ServerMessages, error: CodedError): string | undefined {
  const params = typeof error.params === 'object' && error.params !== null ? (error.params as Record<string, unknown>) : {};
  if (Array.isArray(error.reasons) && error.reasons.length > 0) {
    const parts = error.reasons.map((r) => (typeof r === 'string' ? say(messages, `reason.${r}`, params) : undefined));
    if (parts.every((p): p is string => p !== undefined)) return parts.join(' ');
  }
  return typeof error.messageKey === 'string' ? say(messages, error.messageKey, params) : undefined;
}
