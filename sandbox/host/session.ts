import type { IncomingMessage } from 'node:http';
import { HOST_LANGS, type HostLang } from './i18n';
import type { ColorMode } from './theme';

/** Who is looking at the host and how: the switches of the top bar, kept in cookies. */
export interface Session {
  accountId: string | undefined;
  lang: HostLang;
  theme: ColorMode;
  timeZone: string;
}

export const COOKIE = { user: 'rg_user', lang: 'rg_lang', theme: 'rg_theme' } as const;

export function readCookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A malformed cookie is ignored, as a browser would.
    }
  }
  return out;
}

export function parseLang(v: unknown): HostLang | undefined {
  return HOST_LANGS.find((l) => l === v);
}

export function parseTheme(v: unknown): ColorMode | undefined {
  return v === 'light' || v === 'dark' ? v : undefined;
}

export function setCookie(name: string, value: string): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; SameSite=Strict; HttpOnly; Max-Age=31536000`;
}
