/**
 * Runs inside an app frame before the app's bundle: installs `globalThis.__bridge`, the object the real
 * `@forge/bridge` calls, and forwards each call over `postMessage` to the host page around the frame.
 * Served as a classic script, so it runs before any module script of the page. No imports: it is
 * transpiled on its own.
 */
import type { FrameTheme, FrameToHost, HostToFrame } from '../protocol';

type Listener = (location: HistoryLocation, action: 'POP' | 'PUSH' | 'REPLACE') => void;
interface HistoryLocation {
  pathname: string;
  search: string;
  hash: string;
  state?: unknown;
}

(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  const hostOrigin = script?.dataset.hostOrigin ?? '*';
  let seq = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const flagActions = new Map<string, () => void>();
  const historyListeners = new Set<Listener>();
  // events.on(name, callback): callbacks stay in the frame; the host page sends the events (JIRA_ISSUE_CHANGED).
  const eventListeners = new Map<string, Set<(payload: unknown) => unknown>>();
  let themingEnabled = false;

  function post(message: FrameToHost): void {
    window.parent.postMessage(message, hostOrigin);
  }

  function send(name: string, args?: unknown): Promise<unknown> {
    const id = ++seq;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      try {
        post({ kind: 'forge-bridge/call', id, name, args });
      } catch (err) {
        pending.delete(id);
        reject(new Error(`Bridge call '${name}' could not be sent: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
  }

  function applyTheme(theme: FrameTheme): void {
    const html = document.documentElement;
    for (const [name, value] of Object.entries(theme.attrs)) html.setAttribute(name, value);
    const head = document.head;
    const wanted = new Set(theme.stylesheets);
    for (const link of Array.from(head.querySelectorAll<HTMLLinkElement>('link[data-forge-theme]'))) {
      if (!wanted.has(link.getAttribute('href') ?? '')) link.remove();
      else wanted.delete(link.getAttribute('href') ?? '');
    }
    for (const href of wanted) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = href;
      link.dataset.forgeTheme = 'true';
      // Before the app's own styles, as Jira's theme sits underneath an app's CSS.
      head.insertBefore(link, head.firstChild);
    }
  }

  function parseLocation(subPath: string, state?: unknown): HistoryLocation {
    const url = new URL(subPath || '/', 'http://frame.invalid');
    return { pathname: url.pathname, search: url.search, hash: url.hash, state };
  }

  function makeHistory(initialSubPath: string) {
    const history = {
      action: 'POP' as 'POP' | 'PUSH' | 'REPLACE',
      location: parseLocation(initialSubPath),
      push(to: string | Partial<HistoryLocation>, state?: unknown) {
        change(to, state, false);
      },
      replace(to: string | Partial<HistoryLocation>, state?: unknown) {
        change(to, state, true);
      },
      go(n: number) {
        void send('history', { op: 'go', n });
      },
      goBack() {
        void send('history', { op: 'go', n: -1 });
      },
      goForward() {
        void send('history', { op: 'go', n: 1 });
      },
      listen(listener: Listener) {
        historyListeners.add(listener);
        return () => historyListeners.delete(listener);
      },
    };
    function change(to: string | Partial<HistoryLocation>, state: unknown, replace: boolean) {
      const path = typeof to === 'string' ? to : `${to.pathname ?? history.location.pathname}${to.search ?? ''}${to.hash ?? ''}`;
      void send('history', { op: replace ? 'replace' : 'push', path });
      notify(parseLocation(path, typeof to === 'string' ? state : to.state), replace ? 'REPLACE' : 'PUSH');
    }
    function notify(location: HistoryLocation, action: 'POP' | 'PUSH' | 'REPLACE') {
      history.location = location;
      history.action = action;
      for (const l of historyListeners) l(location, action);
    }
    window.addEventListener('message', (event: MessageEvent<HostToFrame>) => {
      if (event.source !== window.parent || event.data?.kind !== 'forge-bridge/history') return;
      if (event.data.action === 'POP') notify(parseLocation(event.data.subPath), 'POP');
    });
    return history;
  }

  async function callBridge(name: string, args?: unknown): Promise<unknown> {
    switch (name) {
      case 'enableTheming': {
        const theme = (await send('enableTheming')) as FrameTheme;
        applyTheme(theme);
        themingEnabled = true;
        return undefined;
      }
      case 'showFlag': {
        // Functions cannot cross postMessage: keep each action's onClick here, send its text and an id.
        const opts = (args ?? {}) as { id?: string | number; actions?: { text: string; onClick?: () => void }[] };
        const flagId = String(opts.id);
        const actions = (opts.actions ?? []).map((a, i) => {
          const actionId = `${flagId}:${i}`;
          if (typeof a.onClick === 'function') flagActions.set(actionId, a.onClick);
          return { id: actionId, text: String(a.text) };
        });
        return send('showFlag', { ...opts, id: flagId, actions });
      }
      case 'createHistory': {
        const { subPath } = (await send('createHistory')) as { subPath: string };
        return makeHistory(subPath);
      }
      case 'on':
      case 'onPublic': {
        const { event, callback } = (args ?? {}) as { event?: string; callback?: (payload: unknown) => unknown };
        if (typeof event !== 'string' || typeof callback !== 'function') throw new Error('events.on needs an event name and a callback');
        const set = eventListeners.get(event) ?? new Set();
        set.add(callback);
        eventListeners.set(event, set);
        return { unsubscribe: () => set.delete(callback) };
      }
      default:
        return send(name, args);
    }
  }

  window.addEventListener('message', (event: MessageEvent<HostToFrame>) => {
    if (event.source !== window.parent || (hostOrigin !== '*' && event.origin !== hostOrigin)) return;
    const msg = event.data;
    if (!msg || typeof msg !== 'object') return;
    if (msg.kind === 'forge-bridge/result') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new Error(msg.message));
    } else if (msg.kind === 'forge-bridge/theme') {
      if (themingEnabled) applyTheme(msg.theme);
    } else if (msg.kind === 'forge-bridge/flag-action') {
      flagActions.get(msg.actionId)?.();
    } else if (msg.kind === 'forge-bridge/event') {
      for (const cb of eventListeners.get(msg.event) ?? []) void cb(msg.payload);
    }
  });

  // Jira sizes an issue panel or gadget frame to its content; report the height whenever it changes.
  // Measured from the body's children, since a reset style sheet may pin <html>/<body> to the viewport.
  let lastHeight = 0;
  const observed = new WeakSet<Element>();
  const sizer = new ResizeObserver(() => reportSize());
  function reportSize(): void {
    const body = document.body;
    if (!body) return;
    let bottom = 0;
    for (const child of Array.from(body.children)) {
      if (!observed.has(child)) {
        observed.add(child);
        sizer.observe(child);
      }
      const style = getComputedStyle(child);
      bottom = Math.max(bottom, child.getBoundingClientRect().bottom + parseFloat(style.marginBottom || '0'));
    }
    const height = Math.ceil(bottom + window.scrollY + parseFloat(getComputedStyle(body).paddingBottom || '0'));
    if (height !== lastHeight) {
      lastHeight = height;
      post({ kind: 'forge-bridge/size', height });
    }
  }
  document.addEventListener('DOMContentLoaded', () => {
    sizer.observe(document.body);
    new MutationObserver(reportSize).observe(document.body, { childList: true });
    reportSize();
  });

  // What Forge's Content-Security-Policy would block, reported to the host chrome rather than lost in the console.
  document.addEventListener('securitypolicyviolation', (e) => {
    post({ kind: 'forge-bridge/csp', directive: e.effectiveDirective, blockedURI: e.blockedURI, sample: e.sample });
  });

  (globalThis as { __bridge?: { callBridge: typeof callBridge } }).__bridge = { callBridge };
})();
