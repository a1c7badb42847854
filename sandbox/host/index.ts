import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Platform } from '../index';
import type { ManifestModule } from '../manifest';
import { readClientFile, transpileClient } from './assets';
import { handleBridgeCall } from './bridge';
import { frameCsp } from './csp';
import { GLOBAL_MODULES, hasFrame, isFrameSpec, PROJECT_MODULES } from './frames';
import { html } from './html';
import { AppTranslations, chromeText, type HostLang } from './i18n';
import { ChromeJira, parseBody, type JiraIssue, type JiraProject, type JiraUser } from './jira';
import { adminPage, dashboardPage, fullPageApp, homePage, issuePage, notFound, projectPage, searchPage, type DashboardGadget, type PageEnv } from './pages';
import type { FrameSpec } from './protocol';
import { COOKIE, parseLang, parseTheme, readCookies, setCookie, type Session } from './session';
import { ThemeCatalog } from './theme';

export interface HostOptions {
  platform: Platform;
  /** Port of the Jira chrome; 0 picks a free one. Default: `PORT` or 4000. The app frames get their own port. */
  port?: number;
  /** Interface to listen on; loopback only. Default 127.0.0.1. */
  host?: string;
  /** The Custom UI build the resource deploys (manifest `resources[main].path`). Default: `static/build`. */
  staticDir?: string;
  /** manifest.yml, for module titles (`title.i18n`) and translations. Default: the app's own. */
  manifestPath?: string;
  /** Users for the acting-user switch when Jira cannot list them. */
  users?: JiraUser[];
  /** Starting language and theme of a new session. */
  defaultLang?: HostLang;
  defaultTheme?: 'light' | 'dark';
  /** Apply Forge's Content-Security-Policy (from the manifest's permissions) to app frames. Default true. */
  csp?: boolean;
  /** Gadgets on the dashboard, configured as their edit views would have saved them (the demo's). */
  gadgets?: DashboardGadget[];
}

export interface RunningHost {
  /** The Jira chrome, e.g. `http://127.0.0.1:4000`. */
  url: string;
  /** Where app frames are served from: another origin, as Forge serves Custom UI from its own CDN. */
  frameUrl: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const MAX_BODY = 1024 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
}
const sendJson = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
  send(res, status, JSON.stringify(value ?? null), MIME['.json'] as string, headers);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new HttpError(413, 'Request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** State-changing calls come from the host page's own script, never from a form on another site. */
function requireChrome(req: IncomingMessage): void {
  if (req.headers['x-host-chrome'] !== '1') throw new HttpError(403, 'Missing x-host-chrome header');
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => {
    server.close(() => ok());
    server.closeAllConnections();
  });
}

/**
 * Starts the local Jira chrome around the app's Custom UI: project page, issue view (fields, the app's
 * panels and glances, a transitions menu), dashboard with gadgets and the admin page, each app frame
 * running the unmodified `static/build` with the bridge that `@forge/bridge` expects.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const { platform } = options;
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`The local host listens on loopback only, not '${host}'`);
  const port = options.port ?? (process.env.PORT ? Number(process.env.PORT) : 4000);
  const manifestPath = resolve(options.manifestPath ?? join(__dirname, '..', '..', 'manifest.yml'));
  const staticDir = resolve(options.staticDir ?? join(__dirname, '..', '..', 'static', 'build'));
  const translations = AppTranslations.forManifest(platform.manifest, manifestPath);
  const themes = await ThemeCatalog.load();
  const themeIds = ['light', 'dark', 'shape', 'spacing', 'typography', 'motion'].filter((id) => themes.stylesheet(id) !== undefined);
  const jira = new ChromeJira(platform.jira);
  const gadgetConfigs = new Map<string, Record<string, unknown>>();
  for (const g of options.gadgets ?? []) if (g.config) gadgetConfigs.set(g.id, g.config);
  const scripts = {
    hostPage: transpileClient('host-page.ts', false),
    frameBridge: transpileClient('frame-bridge.ts', true),
    css: readClientFile('host.css'),
  };

  const chrome = createServer();
  const frames = createServer();
  const chromePort = await listen(chrome, port, host);
  const framePort = await listen(frames, 0, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${chromePort}`;
  const frameUrl = `http://${host.includes(':') ? `[${host}]` : host}:${framePort}`;
  const cspOn = options.csp !== false;
  /** Host headers this host answers to: its own loopback address and port (DNS rebinding gets a 421). */
  const ownHosts = (p: number) => new Set([`${host.includes(':') ? `[${host}]` : host}:${p}`, `localhost:${p}`]);
  const chromeHosts = ownHosts(chromePort);
  const frameHosts = ownHosts(framePort);

  let usersCache: { at: number; users: JiraUser[] } | undefined;
  async function users(): Promise<JiraUser[]> {
    if (usersCache && Date.now() - usersCache.at < 5000) return usersCache.users;
    const fromJira = await jira.getAsApp<JiraUser[]>('/rest/api/3/users/search?maxResults=200');
    const list = (Array.isArray(fromJira) ? fromJira : []).filter((u) => u.accountType !== 'app' && u.active !== false);
    const all = list.length > 0 ? list : (options.users ?? []);
    usersCache = { at: Date.now(), users: all };
    return all;
  }

  async function session(req: IncomingMessage): Promise<{ session: Session; users: JiraUser[] }> {
    const cookies = readCookies(req);
    const all = await users();
    const user = all.find((u) => u.accountId === cookies[COOKIE.user]) ?? all[0];
    const lang = parseLang(cookies[COOKIE.lang]) ?? options.defaultLang ?? 'en-US';
    const theme = parseTheme(cookies[COOKIE.theme]) ?? options.defaultTheme ?? 'light';
    const timeZone = user?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    return { session: { accountId: user?.accountId, lang, theme, timeZone }, users: all };
  }

  function modulePath(spec: FrameSpec): string | undefined {
    const m = platform.manifest.modules.find((x) => x.key === spec.moduleKey);
    if (!m) return undefined;
    if (PROJECT_MODULES.includes(m.moduleType) && spec.projectKey) return `/projects/${encodeURIComponent(spec.projectKey)}/apps/${encodeURIComponent(m.key)}`;
    if (GLOBAL_MODULES.includes(m.moduleType)) return `/admin/apps/${encodeURIComponent(m.key)}`;
    return undefined;
  }

  const findModule = (key: string, types: string[]): ManifestModule | undefined =>
    platform.manifest.modules.find((m) => m.key === key && types.includes(m.moduleType) && hasFrame(m));

  async function servePage(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const { session: s, users: all } = await session(req);
    const env: PageEnv = { session: s, users: all, modules: platform.manifest.modules, translations, frameOrigin: frameUrl, themeIds, ...(options.gadgets ? { gadgets: options.gadgets } : {}) };
    const page = (body: string, status = 200) => send(res, status, body, MIME['.html'] as string);
    const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));

    if (parts.length === 0) {
      const found = await jira.get<{ values?: JiraProject[] } | JiraProject[]>(s.accountId, '/rest/api/3/project/search?maxResults=50');
      const projects = Array.isArray(found) ? found : (found?.values ?? []);
      return page(homePage(env, projects));
    }
    if (parts[0] === 'browse' && parts.length === 2) {
      const key = parts[1] as string;
      const fields = 'summary,description,status,issuetype,project,assignee,reporter,priority,created,updated';
      const issue = await jira.get<JiraIssue>(s.accountId, `/rest/api/3/issue/${encodeURIComponent(key)}?fields=${fields}`);
      return issue ? page(issuePage(env, issue)) : page(notFound(env, key), 404);
    }
    if (parts[0] === 'projects' && parts.length >= 2) {
      const key = parts[1] as string;
      const project = await jira.get<JiraProject>(s.accountId, `/rest/api/3/project/${encodeURIComponent(key)}`);
      if (!project) return page(notFound(env, key), 404);
      if (parts.length === 2) {
        const jql = `project = "${key.replace(/"/g, '')}" ORDER BY key ASC`;
        const found = await jira.get<{ issues?: JiraIssue[] }>(
          s.accountId,
          `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&fields=summary,status,issuetype&maxResults=100`,
        );
        return page(projectPage(env, project, found?.issues ?? []));
      }
      if (parts[2] === 'apps' && parts[3]) {
        const module = findModule(parts[3], PROJECT_MODULES);
        if (!module) return page(notFound(env, parts[3]), 404);
        const prefix = `/projects/${encodeURIComponent(key)}/apps/${encodeURIComponent(module.key)}`;
        const subPath = `/${parts.slice(4).map(encodeURIComponent).join('/')}`;
        const crumbs = html`<nav class="crumbs" aria-label="Breadcrumbs"><a href="/projects/${encodeURIComponent(key)}">${project.name ?? key}</a></nav>`;
        return page(fullPageApp(env, module, { moduleKey: module.key, projectKey: project.key, subPath }, prefix, crumbs));
      }
      return page(notFound(env, path), 404);
    }
    if (parts[0] === 'dashboard' && parts.length === 1) return page(dashboardPage(env, (id) => gadgetConfigs.get(id)));
    if (parts[0] === 'issues' && parts.length === 1) {
      const jql = new URL(req.url ?? '/', url).searchParams.get('jql') ?? '';
      const found = await jira.search(s.accountId, jql);
      return page(searchPage(env, jql, found));
    }
    if (parts[0] === 'admin') {
      if (parts.length === 1) return page(adminPage(env));
      if (parts[1] === 'apps' && parts[2]) {
        const module = findModule(parts[2], GLOBAL_MODULES);
        if (!module) return page(notFound(env, parts[2]), 404);
        const prefix = `/admin/apps/${encodeURIComponent(module.key)}`;
        const subPath = `/${parts.slice(3).map(encodeURIComponent).join('/')}`;
        const crumbs = html`<nav class="crumbs" aria-label="Breadcrumbs"><a href="/admin">${chromeText(s.lang, 'admin')}</a></nav>`;
        return page(fullPageApp(env, module, { moduleKey: module.key, subPath }, prefix, crumbs));
      }
    }
    return page(notFound(env, path), 404);
  }

  async function handleChrome(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', url);
    const path = u.pathname;
    const method = req.method ?? 'GET';

    if (path.startsWith('/__host/')) return serveHostAsset(res, path);
    if (path === '/api/bridge' && method === 'POST') {
      requireChrome(req);
      const body = parseBody(await readBody(req)) as { frame?: unknown; name?: unknown; args?: unknown };
      if (!isFrameSpec(body?.frame) || typeof body.name !== 'string') throw new HttpError(400, 'Expected { frame, name, args }');
      const { session: s } = await session(req);
      const result = await handleBridgeCall(
        { platform, jira, themes, themeBase: `${frameUrl}/__host/theme/`, siteUrl: url, gadgetConfigs, modulePath },
        s,
        { frame: body.frame, name: body.name, args: body.args },
      );
      return sendJson(res, 200, result);
    }
    if (path === '/api/session' && method === 'POST') {
      requireChrome(req);
      const body = (parseBody(await readBody(req)) ?? {}) as Record<string, unknown>;
      const cookies: string[] = [];
      const { session: s, users: all } = await session(req);
      if (typeof body.accountId === 'string' && all.some((x) => x.accountId === body.accountId)) cookies.push(setCookie(COOKIE.user, body.accountId));
      const lang = parseLang(body.lang);
      if (lang) cookies.push(setCookie(COOKIE.lang, lang));
      const theme = parseTheme(body.theme) ?? s.theme;
      if (parseTheme(body.theme)) cookies.push(setCookie(COOKIE.theme, theme));
      res.setHeader('set-cookie', cookies);
      return sendJson(res, 200, { frameTheme: themes.frameTheme(theme, `${frameUrl}/__host/theme/`) });
    }
    const trigger = /^\/public\/([A-Za-z0-9_-]{10,64})(\/.*)?$/.exec(path);
    if (trigger) {
      // A web trigger, called by a pipeline (curl), as Forge serves its v2 URLs: no session, no user.
      const moduleKey = platform.webTriggerModule(trigger[1] as string);
      if (!moduleKey) throw new HttpError(404, path);
      const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
      const answer = await platform.invokeWebTrigger(moduleKey, {
        method,
        headers: req.headers,
        ...(body !== undefined ? { body } : {}),
        userPath: trigger[2] ?? '',
        query: u.searchParams,
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(answer.headers)) headers[k.toLowerCase()] = v.join(', ');
      res.writeHead(answer.statusCode, { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
      res.end(answer.body);
      return;
    }
    if (path.startsWith('/rest/')) {
      // Jira's REST API as the chrome's own script calls it (transitions menu), as the acting user.
      if (method !== 'GET') requireChrome(req);
      const { session: s } = await session(req);
      const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
      const answer = await platform.jira.handle({
        method,
        path: `${u.pathname}${u.search}`,
        headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body || undefined,
        actor: s.accountId ? { kind: 'user', accountId: s.accountId } : { kind: 'anonymous' },
      });
      const payload = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      return send(res, answer.status, payload, MIME['.json'] as string);
    }
    if (method === 'GET' || method === 'HEAD') return servePage(req, res, path);
    throw new HttpError(405, `${method} ${path}`);
  }

  function serveHostAsset(res: ServerResponse, path: string): void {
    if (path === '/__host/host-page.js') return send(res, 200, scripts.hostPage, MIME['.js'] as string);
    if (path === '/__host/frame-bridge.js') return send(res, 200, scripts.frameBridge, MIME['.js'] as string);
    if (path === '/__host/host.css') return send(res, 200, scripts.css, MIME['.css'] as string);
    const theme = /^\/__host\/theme\/([a-z-]+)\.css$/.exec(path);
    const css = theme ? themes.stylesheet(theme[1] as string) : undefined;
    if (css !== undefined) return send(res, 200, css, MIME['.css'] as string);
    throw new HttpError(404, path);
  }

  /**
   * The frame document: the build's index.html with the bridge script placed before any of the app's, and the
   * policy Forge would derive from the build's own index.html.
   */
  async function frameDocument(): Promise<{ doc: string; csp: string | undefined }> {
    const index = await readFile(join(staticDir, 'index.html'), 'utf8');
    const csp = cspOn ? frameCsp(platform.manifest, url, index, `${frameUrl}/__host/csp-report`) : undefined;
    const tag = `<script src="/__host/frame-bridge.js" data-host-origin="${url}"></script>`;
    const at = index.search(/<script\b/i);
    if (at >= 0) return { doc: `${index.slice(0, at)}${tag}\n    ${index.slice(at)}`, csp };
    return { doc: index.replace(/<head[^>]*>/i, (m) => `${m}\n    ${tag}`), csp };
  }

  async function handleFrame(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', frameUrl);
    const path = decodeURIComponent(u.pathname);
    if (path === '/__host/csp-report' && req.method === 'POST') {
      await readBody(req); // the browser's report; the frame bridge already told the chrome
      return send(res, 204, '', 'text/plain; charset=utf-8');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `${req.method} ${path}`);
    if (path === '/__host/frame-bridge.js' || path.startsWith('/__host/theme/')) return serveHostAsset(res, path);
    if (path === '/frame/' || path === '/frame/index.html') {
      const { doc, csp } = await frameDocument().catch(() => {
        throw new HttpError(503, `No Custom UI build at ${staticDir}: run \`npm run build:ui\``);
      });
      return send(res, 200, doc, MIME['.html'] as string, csp ? { 'content-security-policy': csp } : {});
    }
    if (!path.startsWith('/frame/')) throw new HttpError(404, path);
    const file = normalize(join(staticDir, path.slice('/frame/'.length)));
    if (!file.startsWith(staticDir + sep)) throw new HttpError(404, path);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new HttpError(404, path);
    const hashed = path.startsWith('/frame/assets/');
    return send(res, 200, await readFile(file), MIME[extname(file)] ?? 'application/octet-stream', {
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-store',
    });
  }

  const wrap = (handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>, hosts: Set<string>, chromeSide: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    // Only requests addressed to this host itself: a page on another name that resolves to 127.0.0.1 (DNS
    // rebinding) would otherwise drive the demo as its first user.
    if (!hosts.has(String(req.headers.host ?? '').toLowerCase())) {
      send(res, 421, 'Misdirected request: this host answers only to its own loopback address and port', 'text/plain; charset=utf-8');
      return;
    }
    // The chrome's pages are Jira's: no other page may frame them (clickjacking the acting-user switch).
    if (chromeSide) {
      res.setHeader('x-frame-options', 'DENY');
      res.setHeader('content-security-policy', "frame-ancestors 'none'");
    }
    handler(req, res).catch((err: unknown) => {
      // A path that does not decode (`/browse/%E0%A4%A`) or parse is the client's mistake.
      const malformed = err instanceof URIError || (err instanceof TypeError && (err as NodeJS.ErrnoException).code === 'ERR_INVALID_URL');
      const status = err instanceof HttpError ? err.status : malformed ? 400 : 500;
      if (!res.headersSent) send(res, status, err instanceof Error ? err.message : String(err), 'text/plain; charset=utf-8');
      else res.end();
    });
  };
  chrome.on('request', wrap(handleChrome, chromeHosts, true));
  frames.on('request', wrap(handleFrame, frameHosts, false));

  return {
    url,
    frameUrl,
    async close() {
      await Promise.all([closeServer(chrome), closeServer(frames)]);
    },
  };
}

