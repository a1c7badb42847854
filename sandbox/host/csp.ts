import { CSPInjectionService, CSPProcessingService } from '@forge/csp';
import type { Permissions } from '@forge/manifest';
import { load } from 'cheerio';
import type { LoadedManifest } from '../manifest';

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The Content-Security-Policy Forge puts on a Custom UI resource, built by `@forge/csp` — the package Forge's
 * CDN uses — from the manifest's `permissions` and the resource's `index.html` (inline script hashes, a legacy
 * CSP meta tag), for the production environment. Two directives are made local, because the page is not on
 * an Atlassian site: `frame-ancestors` names this host's chrome (Forge lists `*.atlassian.net` and friends),
 * and `report-uri` points at the host (violations are also posted to the chrome by the frame bridge, which
 * shows them in a banner and lets browser tests count them). Everything else — what the app's code may load,
 * run and connect to — is Forge's policy as is, so what the local frame blocks, Forge blocks.
 */
export function frameCsp(manifest: LoadedManifest, hostOrigin: string, indexHtml: string, reportUri?: string): string {
  const permissions = (isObj(manifest.raw.permissions) ? manifest.raw.permissions : {}) as Permissions;
  const processing = new CSPProcessingService({ info: () => undefined }, load);
  const details = processing.getCspDetails(indexHtml, permissions);
  const directives = new CSPInjectionService().getInjectableCSP({ existingCSPDetails: details, microsEnv: 'prod', hostname: hostOrigin });
  return directives
    .map((d) => {
      if (d.startsWith('frame-ancestors ')) return `frame-ancestors 'self' ${hostOrigin}`;
      if (d.startsWith('report-uri ')) return reportUri ? `report-uri ${reportUri}` : undefined;
      return d;
    })
    .filter((d): d is string => d !== undefined)
    .join('; ');
}
