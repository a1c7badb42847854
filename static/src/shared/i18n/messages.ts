import type EN from './messages.en-US';
import type { SupportedLocale } from './locale';

/** The shape of the `ui` section; English is the reference every other language must match. */
export type Messages = typeof EN;

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every translatable UI string, as a dotted path under `ui` (e.g. `common.loading`). */
export type MessageKey = Leaves<Messages>;

export type MessageVars = Record<string, string | number>;

/** Each language is its own chunk, so a user downloads only the strings of the language shown. */
const loaders: Record<SupportedLocale, () => Promise<{ default: unknown }>> = {
  'en-US': () => import('./messages.en-US'),
  'zh-CN': () => import('./messages.zh-CN'),
};

export interface Catalog {
  locale: SupportedLocale;
  primary: unknown;
  fallback: unknown;
}

export async function loadCatalog(locale: SupportedLocale): Promise<Catalog> {
  const [primary, fallback] = await Promise.all([
    loaders[locale](),
    locale === 'en-US' ? Promise.resolve(undefined) : loaders['en-US'](),
  ]);
  return { locale, primary: primary.default, fallback: fallback?.default };
}

function lookup(tree: unknown, key: string): string | undefined {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Looks a key up in the user's language, then English, then shows the key itself (never blank). */
export function translate(catalog: Catalog, key: MessageKey, vars?: MessageVars): string {
  const text = lookup(catalog.primary, key) ?? lookup(catalog.fallback, key) ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
