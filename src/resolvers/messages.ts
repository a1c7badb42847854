/**
 * User-facing text of resolver errors, in the user's language, from the same locale files as the UI
 * (bundled into the function by the JSON import). Domain reasons: `reason.<CODE>`; transport errors:
 * `server.error.<CODE>`; field problems: `server.field.<key>`.
 */
import enUS from '../../locales/en-US.json';
import zhCN from '../../locales/zh-CN.json';

type Tree = { [k: string]: string | Tree };
export type Locale = 'en-US' | 'zh-CN';

const BUNDLES: Record<Locale, Tree> = { 'en-US': enUS as unknown as Tree, 'zh-CN': zhCN as unknown as Tree };

/** Forge gives e.g. `en_US`, `zh_CN` or `zh-CN`; anything Chinese gets zh-CN, anything else en-US. */
export function localeOf(raw: unknown): Locale {
  return typeof raw === 'string' && /^zh/i.test(raw) ? 'zh-CN' : 'en-US';
}

function lookup(tree: Tree, path: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function t(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const text = lookup(BUNDLES[locale], key) ?? lookup(BUNDLES['en-US'], key) ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (params[name] !== undefined ? String(params[name]) : m));
}

export function hasKey(locale: Locale, key: string): boolean {
  return lookup(BUNDLES[locale], key) !== undefined;
}
