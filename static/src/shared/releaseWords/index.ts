import type { SupportedLocale } from '../i18n';

/**
 * The words of a release in the user's language — statuses, roles, action names, refusal reasons,
 * classifications, risk levels, outcomes, training audiences, gate conditions (`gate.<CODE>`, a neutral label
 * such as "Classification set", whereas `reason.<CODE>` says what is missing) — from the top-level sections of `locales/*.json`
 * (`shared/vocabulary` serves the KPI names and a few of these for the project pages). One chunk per
 * language, loaded once; an unknown code falls back to English, then to the code itself.
 */
export type ReleaseWordSection = 'reason' | 'role' | 'status' | 'action' | 'classification' | 'risk' | 'outcome' | 'audience' | 'gate';
type Sections = Record<ReleaseWordSection, Record<string, string>>;

export interface ReleaseWords {
  /** `word('status', 'BUILD_TEST')` → "Build and test". */
  word(section: ReleaseWordSection, code: string): string;
  /** Each reason code's message, in order. */
  reasons(codes: readonly string[]): string[];
}

const loaders: Record<SupportedLocale, () => Promise<Sections>> = {
  'en-US': () => import('./words.en-US'),
  'zh-CN': () => import('./words.zh-CN'),
};

const cache = new Map<SupportedLocale, Promise<ReleaseWords>>();

function lookup(sections: Sections | undefined, section: ReleaseWordSection, code: string): string | undefined {
  const table = sections?.[section];
  return table && Object.prototype.hasOwnProperty.call(table, code) ? table[code] : undefined;
}

export function loadReleaseWords(locale: SupportedLocale): Promise<ReleaseWords> {
  let pending = cache.get(locale);
  if (!pending) {
    pending = Promise.all([loaders[locale](), locale === 'en-US' ? Promise.resolve(undefined) : loaders['en-US']()]).then(([primary, fallback]) => {
      const word = (section: ReleaseWordSection, code: string) => lookup(primary, section, code) ?? lookup(fallback, section, code) ?? code;
      return { word, reasons: (codes: readonly string[]) => codes.map((c) => word('reason', c)) };
    });
    pending.catch(() => cache.delete(locale));
    cache.set(locale, pending);
  }
  return pending;
}
