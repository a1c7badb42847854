import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createFormatter, type Formatter } from '../format';
import type { SupportedLocale } from './locale';
import { translate, type Catalog, type MessageKey, type MessageVars } from './messages';

export interface I18n {
  locale: SupportedLocale;
  timeZone: string | undefined;
  t(key: MessageKey, vars?: MessageVars): string;
  format: Formatter;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ catalog, timeZone, children }: { catalog: Catalog; timeZone?: string; children: ReactNode }) {
  const value = useMemo<I18n>(
    () => ({
      locale: catalog.locale,
      timeZone,
      t: (key, vars) => translate(catalog, key, vars),
      format: createFormatter(catalog.locale, timeZone),
    }),
    [catalog, timeZone],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n() outside <I18nProvider>');
  return value;
}
