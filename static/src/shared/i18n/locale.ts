/** The languages the app ships (manifest `translations`); everything else falls back to English. */
export const SUPPORTED_LOCALES = ['en-US', 'zh-CN'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: SupportedLocale = 'en-US';

/** Maps Jira's user locale (`zh-CN`, `zh_CN`, `zh-Hans`, `en-GB`...) onto a shipped language. */
export function resolveLocale(raw: string | undefined | null): SupportedLocale {
  const tag = (raw ?? '').replace('_', '-').toLowerCase();
  if (tag.startsWith('zh')) return 'zh-CN';
  return DEFAULT_LOCALE;
}
