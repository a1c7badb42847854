/**
 * The host page's script (Jira's side of the frames): relays each frame's bridge calls to the host
 * server with the frame's place, applies what comes back (flags, navigation, theme), and drives the
 * top bar switches and the transitions menu. No imports: it is transpiled on its own.
 */
import type { BridgeResponse, FrameSpec, FrameTheme, FrameToHost, HostEffect, HostToFrame } from '../protocol';

interface HostConfig {
  frameOrigin: string;
  lang: string;
  theme: 'light' | 'dark';
  strings: { dismiss: string; cspBlocked: string };
}

const config = JSON.parse(document.getElementById('host-config')?.textContent ?? '{}') as HostConfig;

function frames(): HTMLIFrameElement[] {
  return Array.from(document.querySelectorAll<HTMLIFrameElement>('iframe[data-frame]'));
}
function specOf(iframe: HTMLIFrameElement): FrameSpec {
  return JSON.parse(iframe.dataset.frame ?? '{}') as FrameSpec;
}
function toFrame(iframe: HTMLIFrameElement, message: HostToFrame): void {
  iframe.contentWindow?.postMessage(message, config.frameOrigin);
}
async function postJson<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-host-chrome': '1' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

// ---- flags -------------------------------------------------------------------------------------
const flagOwners = new Map<string, HTMLIFrameElement>();

function showFlag(effect: Extract<HostEffect, { kind: 'flag' }>, owner?: HTMLIFrameElement): void {
  const region = document.getElementById('host-flags');
  if (!region) return;
  document.getElementById(`flag-${effect.id}`)?.remove();
  const el = document.createElement('div');
  el.className = `flag flag-${effect.type}`;
  el.id = `flag-${effect.id}`;
  el.setAttribute('role', effect.type === 'error' ? 'alert' : 'status');
  const title = document.createElement('strong');
  title.textContent = effect.title;
  el.append(title);
  if (effect.description) {
    const p = document.createElement('p');
    p.textContent = effect.description;
    el.append(p);
  }
  const actions = document.createElement('div');
  actions.className = 'flag-actions';
  for (const a of effect.actions) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = a.text;
    b.addEventListener('click', () => {
      if (owner) toFrame(owner, { kind: 'forge-bridge/flag-action', flagId: effect.id, actionId: a.id });
    });
    actions.append(b);
  }
  const dismiss = document.createElement('button');
  dismiss.type = 'button';
  dismiss.textContent = config.strings.dismiss;
  dismiss.addEventListener('click', () => el.remove());
  actions.append(dismiss);
  el.append(actions);
  region.append(el);
  if (owner) flagOwners.set(effect.id, owner);
  if (effect.isAutoDismiss) setTimeout(() => el.remove(), 8000);
}

export function hostFlag(type: 'info' | 'success' | 'warning' | 'error', title: string, description?: string): void {
  showFlag({ kind: 'flag', id: `host-${Date.now()}`, type, title, description, actions: [], isAutoDismiss: type !== 'error' });
}

// ---- effects -----------------------------------------------------------------------------------
function modulePrefix(): string | undefined {
  return document.getElementById('host-module')?.dataset.prefix;
}

function applyEffect(effect: HostEffect, iframe: HTMLIFrameElement): void {
  switch (effect.kind) {
    case 'flag':
      showFlag(effect, iframe);
      break;
    case 'closeFlag':
      document.getElementById(`flag-${effect.id}`)?.remove();
      break;
    case 'navigate':
      if (effect.newTab) window.open(effect.url, '_blank', 'noopener');
      else window.location.assign(effect.url);
      break;
    case 'reloadPage':
      window.location.reload();
      break;
    case 'reloadFrame':
      reloadFrame(iframe);
      break;
    case 'closeFrame': {
      const spec = specOf(iframe);
      if (spec.entryPoint === 'edit') setEntryPoint(iframe, undefined);
      else iframe.closest('dialog')?.close();
      break;
    }
    case 'historyPush': {
      const prefix = modulePrefix();
      if (prefix === undefined) break;
      const url = `${prefix}${effect.subPath === '/' ? '' : effect.subPath}`;
      if (effect.replace) history.replaceState({ subPath: effect.subPath }, '', url);
      else history.pushState({ subPath: effect.subPath }, '', url);
      break;
    }
    case 'historyGo':
      history.go(effect.n);
      break;
    case 'title':
      document.title = effect.title;
      break;
  }
}

function reloadFrame(iframe: HTMLIFrameElement): void {
  const src = iframe.getAttribute('src') ?? iframe.dataset.src ?? '';
  iframe.setAttribute('src', 'about:blank');
  iframe.setAttribute('src', src);
}

function setEntryPoint(iframe: HTMLIFrameElement, entryPoint: 'edit' | undefined): void {
  const spec = specOf(iframe);
  if (entryPoint) spec.entryPoint = entryPoint;
  else delete spec.entryPoint;
  iframe.dataset.frame = JSON.stringify(spec);
  reloadFrame(iframe);
}

// ---- bridge relay ------------------------------------------------------------------------------
const cspSeen = new Set<string>();

window.addEventListener('message', (event: MessageEvent<FrameToHost>) => {
  if (event.origin !== config.frameOrigin) return;
  const iframe = frames().find((f) => f.contentWindow === event.source);
  const msg = event.data;
  if (!iframe || !msg || typeof msg !== 'object') return;
  if (msg.kind === 'forge-bridge/size') {
    iframe.style.height = `${Math.max(msg.height, 40)}px`;
  } else if (msg.kind === 'forge-bridge/csp') {
    const key = `${msg.directive} ${msg.blockedURI}`;
    if (cspSeen.has(key)) return;
    cspSeen.add(key);
    const banner = document.getElementById('host-banner');
    if (banner) {
      const p = document.createElement('p');
      p.className = 'csp-warning';
      p.textContent = `${config.strings.cspBlocked}: ${msg.directive} ${msg.blockedURI || msg.sample}`;
      banner.append(p);
    }
  } else if (msg.kind === 'forge-bridge/call') {
    const spec = specOf(iframe);
    postJson<BridgeResponse>('/api/bridge', { frame: spec, name: msg.name, args: msg.args }).then(
      (res) => {
        if (res.ok) {
          toFrame(iframe, { kind: 'forge-bridge/result', id: msg.id, ok: true, value: res.value });
          for (const e of res.effects ?? []) applyEffect(e, iframe);
        } else {
          toFrame(iframe, { kind: 'forge-bridge/result', id: msg.id, ok: false, message: res.message });
        }
      },
      (err: unknown) => toFrame(iframe, { kind: 'forge-bridge/result', id: msg.id, ok: false, message: String(err) }),
    );
  }
});

window.addEventListener('popstate', (event: PopStateEvent) => {
  const state = event.state as { subPath?: string } | null;
  for (const f of frames()) toFrame(f, { kind: 'forge-bridge/history', subPath: state?.subPath ?? '/', action: 'POP' });
});

// ---- top bar -----------------------------------------------------------------------------------
async function setSession(change: Record<string, string>, reload: boolean): Promise<void> {
  const res = await postJson<{ frameTheme: FrameTheme }>('/api/session', change);
  if (reload) {
    window.location.reload();
    return;
  }
  document.documentElement.setAttribute('data-color-mode', res.frameTheme.colorMode);
  for (const f of frames()) toFrame(f, { kind: 'forge-bridge/theme', theme: res.frameTheme });
}

document.getElementById('host-user')?.addEventListener('change', (e) => {
  void setSession({ accountId: (e.target as HTMLSelectElement).value }, true);
});
document.getElementById('host-theme')?.addEventListener('change', (e) => {
  void setSession({ theme: (e.target as HTMLSelectElement).value }, false);
});
for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-lang]'))) {
  b.addEventListener('click', () => {
    if (b.getAttribute('aria-pressed') === 'true') return;
    void setSession({ lang: b.dataset.lang ?? 'en-US' }, true);
  });
}

// ---- issue view: transitions menu, issue actions -------------------------------------------------
interface Transition {
  id: string;
  name: string;
  to?: { name?: string };
}

const trigger = document.getElementById('host-transitions') as HTMLButtonElement | null;
const menu = document.getElementById('host-transitions-menu');

function closeMenu(): void {
  if (!menu || !trigger) return;
  menu.hidden = true;
  trigger.setAttribute('aria-expanded', 'false');
}

async function jira(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(path, {
    method,
    headers: { accept: 'application/json', 'x-host-chrome': '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, body: parsed };
}

function jiraErrors(body: unknown): string {
  const b = (body ?? {}) as { errorMessages?: string[]; errors?: Record<string, string> };
  return [...(b.errorMessages ?? []), ...Object.values(b.errors ?? {})].join(' ') || JSON.stringify(body);
}

async function openMenu(): Promise<void> {
  if (!menu || !trigger) return;
  const issueKey = trigger.dataset.issue ?? '';
  const res = await jira('GET', `/rest/api/3/issue/${encodeURIComponent(issueKey)}/transitions`);
  menu.replaceChildren();
  const transitions = res.status === 200 ? ((res.body as { transitions?: Transition[] }).transitions ?? []) : [];
  if (transitions.length === 0) {
    const li = document.createElement('li');
    li.setAttribute('role', 'none');
    li.textContent = res.status === 200 ? '—' : jiraErrors(res.body);
    menu.append(li);
  }
  for (const tr of transitions) {
    const li = document.createElement('li');
    li.setAttribute('role', 'none');
    const b = document.createElement('button');
    b.type = 'button';
    b.setAttribute('role', 'menuitem');
    b.dataset.transition = tr.id;
    b.textContent = tr.to?.name && tr.to.name !== tr.name ? `${tr.name} → ${tr.to.name}` : tr.name;
    b.addEventListener('click', () => void runTransition(issueKey, tr));
    li.append(b);
    menu.append(li);
  }
  menu.hidden = false;
  trigger.setAttribute('aria-expanded', 'true');
  menu.querySelector<HTMLButtonElement>('button')?.focus();
}

async function runTransition(issueKey: string, tr: Transition): Promise<void> {
  closeMenu();
  const res = await jira('POST', `/rest/api/3/issue/${encodeURIComponent(issueKey)}/transitions`, { transition: { id: tr.id } });
  if (res.status >= 200 && res.status < 300) {
    hostFlag('success', tr.name);
    setTimeout(() => window.location.reload(), 600);
  } else {
    hostFlag('error', `${tr.name}: HTTP ${res.status}`, jiraErrors(res.body));
  }
}

trigger?.addEventListener('click', () => {
  if (menu?.hidden === false) closeMenu();
  else void openMenu();
});
menu?.addEventListener('keydown', (e) => {
  const items = Array.from(menu.querySelectorAll<HTMLButtonElement>('button'));
  const i = items.indexOf(document.activeElement as HTMLButtonElement);
  if (e.key === 'Escape') {
    closeMenu();
    trigger?.focus();
  } else if (e.key === 'ArrowDown') {
    e.preventDefault();
    items[(i + 1) % items.length]?.focus();
  } else if (e.key === 'ArrowUp') {
    e.preventDefault();
    items[(i - 1 + items.length) % items.length]?.focus();
  }
});

for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('button.issue-action'))) {
  b.addEventListener('click', () => {
    const dialog = document.getElementById(b.dataset.dialog ?? '') as HTMLDialogElement | null;
    const iframe = dialog?.querySelector<HTMLIFrameElement>('iframe');
    if (!dialog || !iframe) return;
    if (iframe.dataset.src) iframe.setAttribute('src', iframe.dataset.src);
    dialog.showModal();
  });
}

for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('button.gadget-edit'))) {
  b.addEventListener('click', () => {
    const iframe = b.closest('.gadget')?.querySelector<HTMLIFrameElement>('iframe');
    if (iframe) setEntryPoint(iframe, specOf(iframe).entryPoint === 'edit' ? undefined : 'edit');
  });
}

// Jira's gadget refresh: the gadget's refresh button, and every `refresh` minutes its edit view saved.
for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('button.gadget-refresh'))) {
  const gadget = b.closest<HTMLElement>('.gadget');
  const iframe = gadget?.querySelector<HTMLIFrameElement>('iframe');
  if (!iframe) continue;
  b.addEventListener('click', () => reloadFrame(iframe));
  const minutes = Number(gadget?.dataset.refreshMinutes);
  if (Number.isInteger(minutes) && minutes > 0) setInterval(() => reloadFrame(iframe), minutes * 60_000);
}
