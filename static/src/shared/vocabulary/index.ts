import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import type { SupportedLocale } from '../i18n/locale';

/**
 * The names the server and the manifest share with the UI, in the user's language — statuses, roles, action
 * names, refusal reasons, classifications, risk levels, outcomes, training audiences, gate conditions
 * (`gate.<CODE>`, a neutral label such as "Classification set", whereas `reason.<CODE>` says what is missing)
 * and KPIs — from the top-level sections of `locales/*.json`. One chunk per language, fetched only by the
 * modules that show such names and loaded once (again after a failure); an unknown code falls back to
 * English, then to the code itself.
 */
export type VocabularySection = 'reason' | 'role' | 'status' | 'action' | 'classification' | 'risk' | 'outcome' | 'audience' | 'gate' | 'kpi';
type Sections = Record<VocabularySection, Record<string, string>>;

export interface Vocabulary {
  /** `word('status', 'BUILD_TEST')` → "Build and test". */
  word(section: VocabularySection, code: string): string;
  /** Each reason code's message, in order. */
  reasons(codes: readonly string[]): string[];
}

const loaders: Record<SupportedLocale, () => Promise<Sections>> = {
  'en-US': () => import('./vocabulary.en-US'),
  'zh-CN': () => import('./vocabulary.zh-CN'),
};

const cache = new Map<SupportedLocale, Promise<Vocabulary>>();

function lookup(sections: Sections | undefined, section: VocabularySection, code: string): string | undefined {
  const table = sections?.[section];
  return table && Object.prototype.hasOwnProperty.call(table, code) ? table[code] : undefined;
}

export function loadVocabulary(locale: SupportedLocale): Promise<Vocabulary> {
  let pending = cache.get(locale);
  if (!pending) {
    pending = Promise.all([loaders[locale](), locale === 'en-US' ? Promise.resolve(undefined) : loaders['en-US']()]).then(([primary, fallback]) => {
      const word = (section: VocabularySection, code: string) => lookup(primary, section, code) ?? lookup(fallback, section, code) ?? code;
      return { word, reasons: (codes: readonly string[]) => codes.map((c) => word('reason', c)) };
    });
    pending.catch(() => cache.delete(locale));
    cache.set(locale, pending);
  }
  return pending;
}

/** `name(section, code)`: the code's name in the user's language (the code itself until loaded or if unknown). */
export type NameOf = (section: VocabularySection, code: string) => string;

export function useVocabulary(): { name: NameOf; ready: boolean } {
  const { locale } = useI18n();
  const [vocabulary, setVocabulary] = useState<Vocabulary | null>(null);
  useEffect(() => {
    let live = true;
    loadVocabulary(locale).then(
      (v) => {
        if (live) setVocabulary(v);
      },
      () => {
        // Without the vocabulary the codes themselves are shown; never blocks the page.
      },
    );
    return () => {
      live = false;
    };
  }, [locale]);
  const name: NameOf = (section, code) => vocabulary?.word(section, code) ?? code;
  return { name, ready: vocabulary !== null };
}
