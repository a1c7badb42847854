import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import type { SupportedLocale } from '../i18n/locale';

/**
 * Names the server and the manifest share with the UI (release statuses, roles, KPIs, refusal reasons,
 * training audiences, classifications) live once, in the top-level sections of `locales/*.json`. Each
 * language's sections are one lazily loaded chunk, fetched only by the modules that show such names.
 */
export type VocabularySection = 'status' | 'role' | 'kpi' | 'reason' | 'audience' | 'classification';
type Sections = Record<VocabularySection, Record<string, string>>;

const loaders: Record<SupportedLocale, () => Promise<Sections>> = {
  'en-US': () => import('./vocabulary.en-US'),
  'zh-CN': () => import('./vocabulary.zh-CN'),
};

const cache = new Map<SupportedLocale, Promise<Sections>>();

export function loadVocabulary(locale: SupportedLocale): Promise<Sections> {
  let p = cache.get(locale);
  if (!p) {
    p = loaders[locale]();
    cache.set(locale, p);
  }
  return p;
}

/** `name(section, code)`: the code's name in the user's language (the code itself until loaded or if unknown). */
export type NameOf = (section: VocabularySection, code: string) => string;

export function useVocabulary(): { name: NameOf; ready: boolean } {
  const { locale } = useI18n();
  const [sections, setSections] = useState<Sections | null>(null);
  useEffect(() => {
    let live = true;
    loadVocabulary(locale).then(
      (s) => {
        if (live) setSections(s);
      },
      () => {
        // Without the vocabulary the codes themselves are shown; never blocks the page.
      },
    );
    return () => {
      live = false;
    };
  }, [locale]);
  const name: NameOf = (section, code) => sections?.[section][code] ?? code;
  return { name, ready: sections !== null };
}
