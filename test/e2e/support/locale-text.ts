import enUS from '../../../locales/en-US.json';
import zhCN from '../../../locales/zh-CN.json';

export type Lang = 'en-US' | 'zh-CN';
const LOCALES: Record<Lang, unknown> = { 'en-US': enUS, 'zh-CN': zhCN };

/** A locale text with its `{params}` filled, as the UI and the server render it (a missing key throws). */
export function tr(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  let node: unknown = LOCALES[lang];
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'string') throw new Error(`no text ${key} in ${lang}`);
  return node.replace(/\{(\w+)\}/g, (m, n: string) => (params[n] !== undefined ? String(params[n]) : m));
}
