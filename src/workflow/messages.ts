import en from '../../locales/en-US.json';
import zh from '../../locales/zh-CN.json';
import type { ReasonCode } from '../domain/reasons';

/**
 * Jira shows a validator's message to whoever fired the transition, in one string and without knowing the
 * app's locale files: so the message carries both languages, English first.
 */
const reasonsEn = (en as { reason?: Record<string, string> }).reason ?? {};
const reasonsZh = (zh as { reason?: Record<string, string> }).reason ?? {};

export function bilingualReasons(reasons: readonly ReasonCode[]): string {
  const line = (table: Record<string, string>) => reasons.map((r) => table[r] ?? r).join(' ');
  return `${line(reasonsEn)} / ${line(reasonsZh)}`;
}
