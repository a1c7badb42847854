import type { LoadedManifest } from '../manifest';

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function list(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v
    .map((x) => (typeof x === 'string' ? x : isObj(x) && typeof x.address === 'string' ? x.address : undefined))
    .filter((x): x is string => Boolean(x));
}

const quoteKeyword = (s: string) => (/^'.*'$/.test(s) ? s : /^unsafe-/.test(s) ? `'${s}'` : s);

/**
 * The Content-Security-Policy Forge puts on a Custom UI resource, from the manifest's `permissions.content`
 * and `permissions.external`: `'self'` only, unless the app declared more. Running the UI under the same
 * policy locally shows, before deployment, what Forge would block (inline styles, third-party hosts).
 */
export function frameCsp(manifest: LoadedManifest, hostOrigin: string): string {
  const perms = isObj(manifest.raw.permissions) ? manifest.raw.permissions : {};
  const content = isObj(perms.content) ? perms.content : {};
  const external = isObj(perms.external) ? perms.external : {};
  const fetch = isObj(external.fetch) ? external.fetch : {};
  const src = (base: string[], ...extra: string[][]) => [...base, ...extra.flat().map(quoteKeyword)].join(' ');
  return [
    `default-src 'self'`,
    `script-src ${src(["'self'"], list(content.scripts), list(external.scripts))}`,
    `style-src ${src(["'self'"], list(content.styles), list(external.styles))}`,
    `img-src ${src(["'self'", 'data:', 'blob:'], list(external.images))}`,
    `font-src ${src(["'self'", 'data:'], list(external.fonts))}`,
    `media-src ${src(["'self'", 'blob:'], list(external.media))}`,
    `connect-src ${src(["'self'"], list(fetch.client))}`,
    `frame-src ${src(["'self'"], list(external.frames))}`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `frame-ancestors ${hostOrigin}`,
  ].join('; ');
}
