import type { Platform } from '../index';
import type { ManifestModule } from '../manifest';
import { buildExtension, hasFrame, localIdOf } from './frames';
import type { ChromeJira } from './jira';
import { fetchProduct } from './product-fetch';
import type { BridgeRequest, BridgeResponse, FrameSpec, HostEffect } from './protocol';
import type { Session } from './session';
import type { ThemeCatalog } from './theme';

export interface BridgeDeps {
  platform: Platform;
  jira: ChromeJira;
  themes: ThemeCatalog;
  /** Path prefix, on the frame origin, of the theme style sheets. */
  themeBase: string;
  siteUrl: string;
  gadgetConfigs: Map<string, Record<string, unknown>>;
  /** Path of a full-page module on the host, for `createHistory` and `navigate`. */
  modulePath: (spec: FrameSpec) => string | undefined;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const FLAG_TYPES = ['info', 'success', 'warning', 'error'] as const;

class BridgeCallError extends Error {}

/**
 * The product side of `@forge/bridge`: what Jira answers when a frame calls `callBridge(name, args)`.
 * Context comes from the frame's place (issue, project, gadget) and the host session (acting user,
 * language, theme), never from the frame; `invoke` runs the app's resolver on the local platform.
 */
export async function handleBridgeCall(deps: BridgeDeps, session: Session, req: BridgeRequest): Promise<BridgeResponse> {
  try {
    const module = findFrameModule(deps.platform, req.frame.moduleKey);
    const { value, effects } = await dispatch(deps, session, module, req);
    return effects && effects.length > 0 ? { ok: true, value, effects } : { ok: true, value };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

function findFrameModule(platform: Platform, moduleKey: string): ManifestModule {
  const module = platform.manifest.modules.find((m) => m.key === moduleKey);
  if (!module || !hasFrame(module)) throw new BridgeCallError(`manifest.yml has no Custom UI module '${moduleKey}'`);
  return module;
}

async function context(deps: BridgeDeps, session: Session, module: ManifestModule, frame: FrameSpec) {
  const extension = await buildExtension({
    module,
    spec: frame,
    accountId: session.accountId,
    jira: deps.jira,
    gadgetConfig: (id) => deps.gadgetConfigs.get(id),
  });
  return { extension, localId: localIdOf(frame) };
}

const ISSUE_VIEW_MODULES = new Set(['jira:issuePanel', 'jira:issueContext', 'jira:issueGlance', 'jira:issueActivity']);

async function dispatch(
  deps: BridgeDeps,
  session: Session,
  module: ManifestModule,
  req: BridgeRequest,
): Promise<{ value: unknown; effects?: HostEffect[] }> {
  const args = isObj(req.args) ? req.args : {};
  switch (req.name) {
    case 'getContext': {
      const { extension, localId } = await context(deps, session, module, req.frame);
      return {
        value: {
          accountId: session.accountId,
          cloudId: deps.platform.cloudId,
          extension,
          environmentId: 'local-development',
          environmentType: 'DEVELOPMENT',
          localId,
          locale: session.lang,
          moduleKey: module.key,
          siteUrl: deps.siteUrl,
          timezone: session.timeZone,
          theme: { colorMode: session.theme },
        },
      };
    }
    case 'invoke': {
      if (typeof args.functionKey !== 'string') throw new BridgeCallError('functionKey must be a string!');
      const { extension, localId } = await context(deps, session, module, req.frame);
      const inv = await deps.platform.invokeResolver({
        moduleKey: module.key,
        functionKey: args.functionKey,
        payload: args.payload ?? {},
        accountId: session.accountId,
        extension,
        localId,
      });
      return { value: inv.value };
    }
    case 'fetchProduct':
      // `requestJira` (and its siblings): Jira's REST API as the acting user, within the manifest's scopes.
      return { value: await fetchProduct(deps.platform, session.accountId, req.args) };
    case 'enableTheming':
      return { value: deps.themes.frameTheme(session.theme, deps.themeBase) };
    case 'showFlag': {
      const type = FLAG_TYPES.find((t) => t === (args.appearance ?? args.type)) ?? 'info';
      const actions = Array.isArray(args.actions)
        ? args.actions.filter(isObj).map((a) => ({ id: String(a.id), text: String(a.text) }))
        : [];
      const flag: HostEffect = {
        kind: 'flag',
        id: String(args.id),
        type,
        title: typeof args.title === 'string' ? args.title : '',
        description: typeof args.description === 'string' ? args.description : undefined,
        actions,
        isAutoDismiss: args.isAutoDismiss === true,
      };
      return { value: undefined, effects: [flag] };
    }
    case 'closeFlag':
      return { value: true, effects: [{ kind: 'closeFlag', id: String(args.id) }] };
    case 'navigate':
      return { value: undefined, effects: [navigation(deps, args)] };
    case 'reload':
      return { value: undefined, effects: [{ kind: 'reloadPage' }] };
    case 'refresh':
      // On the issue view Jira refreshes the issue itself (header, status, the other issue modules), not the page.
      return { value: true, effects: [ISSUE_VIEW_MODULES.has(module.moduleType) ? { kind: 'refreshIssue' } : { kind: 'reloadPage' }] };
    case 'open':
      // Only a modal-capable location (issue action) is "openable"; the host shows frames already open.
      return { value: false };
    case 'close':
      return { value: true, effects: [{ kind: 'closeFrame' }] };
    case 'submit': {
      if (module.moduleType === 'jira:dashboardGadget' && req.frame.entryPoint === 'edit') {
        const gadgetId = req.frame.gadgetId ?? `${module.key}-1`;
        deps.gadgetConfigs.set(gadgetId, isObj(req.args) ? req.args : { value: req.args });
        return { value: undefined, effects: [{ kind: 'closeFrame' }] };
      }
      throw new BridgeCallError('this resource\'s view is not submittable.');
    }
    case 'createHistory': {
      if (deps.modulePath(req.frame) === undefined) throw new BridgeCallError('createHistory is only available in full-page modules');
      return { value: { subPath: req.frame.subPath || '/' } };
    }
    case 'history': {
      if (args.op === 'go') return { value: undefined, effects: [{ kind: 'historyGo', n: Number(args.n) || 0 }] };
      const path = typeof args.path === 'string' && args.path.startsWith('/') ? args.path : '/';
      return { value: undefined, effects: [{ kind: 'historyPush', subPath: path, replace: args.op === 'replace' }] };
    }
    case 'changeWindowTitle':
      return { value: undefined, effects: [{ kind: 'title', title: String(req.args ?? '') }] };
    default:
      throw new BridgeCallError(`The local host does not implement bridge method '${req.name}'`);
  }
}

/** `router.navigate` / `router.open`: a URL, or a `{ target: 'issue' | 'projectSettingsDetails'... }` location. */
function navigation(deps: BridgeDeps, args: Record<string, unknown>): HostEffect {
  const newTab = args.type === 'new-tab';
  if (typeof args.url === 'string') return { kind: 'navigate', url: args.url, newTab };
  switch (args.target) {
    case 'issue':
      return { kind: 'navigate', url: `/browse/${encodeURIComponent(String(args.issueKey))}`, newTab };
    case 'projectSettingsDetails':
    case 'project':
      return { kind: 'navigate', url: `/projects/${encodeURIComponent(String(args.projectKey))}`, newTab };
    case 'dashboard':
      return { kind: 'navigate', url: '/dashboard', newTab };
    case 'module': {
      const spec: FrameSpec = { moduleKey: String(args.moduleKey), projectKey: typeof args.projectKey === 'string' ? args.projectKey : undefined };
      return { kind: 'navigate', url: deps.modulePath(spec) ?? '/', newTab };
    }
    default:
      throw new BridgeCallError(`Unknown navigation target '${String(args.target)}'`);
  }
}
