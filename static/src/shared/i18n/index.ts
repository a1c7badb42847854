export { I18nProvider, useI18n, type I18n } from './I18nProvider';
export { resolveLocale, SUPPORTED_LOCALES, DEFAULT_LOCALE, type SupportedLocale } from './locale';
export { loadCatalog, translate, type Catalog, type MessageKey, type MessageVars } from './messages';
