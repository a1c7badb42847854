import { isDisplayed } from './display-conditions';
import type { ManifestModule } from '../manifest';
import { GADGET_MODULES, GLOBAL_MODULES, hasFrame, PROJECT_MODULES } from './frames';
import { html, raw, type Raw } from './html';
import { chromeText, type AppTranslations, type ChromeKey } from './i18n';
import type { JiraIssue, JiraProject, JiraUser } from './jira';
import type { FrameSpec } from './protocol';
import type { Session } from './session';

export interface PageEnv {
  session: Session;
  users: JiraUser[];
  modules: ManifestModule[];
  translations: AppTranslations;
  frameOrigin: string;
  themeIds: string[];
  /** The dashboard's gadgets (default: one unconfigured gadget per gadget module). */
  gadgets?: DashboardGadget[];
}

/** A gadget placed on the dashboard: which module, its id, its title (default: the module's). */
export interface DashboardGadget {
  id: string;
  moduleKey: string;
  title?: string;
  /** Its configuration as the edit view's `view.submit` would have saved it. */
  config?: Record<string, unknown>;
}

const SANDBOX = 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads allow-modals';

export function moduleTitle(env: PageEnv, m: ManifestModule): string {
  return env.translations.text(m.title, env.session.lang) ?? m.key;
}

export function modulesOf(env: PageEnv, types: string[]): ManifestModule[] {
  return env.modules.filter((m) => types.includes(m.moduleType) && hasFrame(m));
}

/** An app frame: the same `static/build` the resource deploys, loaded from the frame origin. */
export function frame(env: PageEnv, spec: FrameSpec, title: string, minHeight = 80, lazy = false): Raw {
  const src = `${env.frameOrigin}/frame/index.html`;
  return html`<iframe class="app-frame" title="${title}" ${raw(lazy ? `data-src="${src}"` : `src="${src}"`)} data-frame="${JSON.stringify(spec)}" data-module-key="${spec.moduleKey}" sandbox="${SANDBOX}" style="min-height:${minHeight}px"></iframe>`;
}

export function layout(env: PageEnv, title: string, body: Raw): string {
  const { session } = env;
  const t = (k: ChromeKey) => chromeText(session.lang, k);
  const config = JSON.stringify({ frameOrigin: env.frameOrigin, lang: session.lang, theme: session.theme, accountId: session.accountId, strings: { dismiss: t('dismiss'), cspBlocked: t('cspBlocked') } });
  const page = html`<!doctype html>
<html lang="${session.lang}" data-theme="dark:dark light:light motion:motion shape:shape spacing:spacing typography:typography" data-color-mode="${session.theme}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} - Jira (local)</title>
${env.themeIds.map((id) => html`<link rel="stylesheet" href="/__host/theme/${id}.css">`)}
<link rel="stylesheet" href="/__host/host.css">
<script type="module" src="/__host/host-page.js"></script>
</head>
<body>
<header class="topbar">
  <a class="brand" href="/">Jira <span class="muted">(local)</span></a>
  <nav aria-label="${t('home')}">
    <a href="/">${t('projects')}</a>
    <a href="/dashboard">${t('dashboard')}</a>
    <a href="/admin">${t('admin')}</a>
  </nav>
  <div class="switches">
    <label>${t('actingUser')}
      <select id="host-user">
        ${env.users.map((u) => html`<option value="${u.accountId}" ${raw(u.accountId === session.accountId ? 'selected' : '')}>${u.displayName ?? u.accountId}</option>`)}
      </select>
    </label>
    <div class="segmented" role="group" aria-label="${t('language')}">
      <button type="button" data-lang="en-US" aria-pressed="${String(session.lang === 'en-US')}">en</button>
      <button type="button" data-lang="zh-CN" aria-pressed="${String(session.lang === 'zh-CN')}" lang="zh-CN">中文</button>
    </div>
    <label>${t('theme')}
      <select id="host-theme">
        <option value="light" ${raw(session.theme === 'light' ? 'selected' : '')}>${t('light')}</option>
        <option value="dark" ${raw(session.theme === 'dark' ? 'selected' : '')}>${t('dark')}</option>
      </select>
    </label>
  </div>
</header>
<div id="host-banner" role="status"></div>
<main id="host-main">
${body}
</main>
<div id="host-flags" class="flags" role="region" aria-live="polite" aria-label="Flags"></div>
<script id="host-config" type="application/json">${raw(config.replace(/</g, '\\u003c'))}</script>
</body>
</html>`;
  return page.html;
}

export function notFound(env: PageEnv, what: string): string {
  return layout(env, what, html`<h1>${what}</h1><p>${chromeText(env.session.lang, 'notFound')}</p>`);
}

export function homePage(env: PageEnv, projects: JiraProject[]): string {
  const t = (k: ChromeKey) => chromeText(env.session.lang, k);
  return layout(
    env,
    t('projects'),
    html`<h1>${t('projects')}</h1>
<ul class="list">${projects.map((p) => html`<li><a href="/projects/${encodeURIComponent(p.key)}">${p.name ?? p.key}</a> <span class="muted">${p.key}</span></li>`)}</ul>`,
  );
}

export function projectPage(env: PageEnv, project: JiraProject, issues: JiraIssue[]): string {
  const t = (k: ChromeKey) => chromeText(env.session.lang, k);
  const pages = modulesOf(env, PROJECT_MODULES);
  return layout(
    env,
    project.name ?? project.key,
    html`<h1>${project.name ?? project.key} <span class="muted">${project.key}</span></h1>
<section aria-labelledby="apps-h"><h2 id="apps-h">${t('apps')}</h2>
${pages.length === 0 ? html`<p class="muted">${t('noApps')}</p>` : html`<ul class="list">${pages.map((m) => html`<li><a href="/projects/${encodeURIComponent(project.key)}/apps/${encodeURIComponent(m.key)}">${moduleTitle(env, m)}</a></li>`)}</ul>`}
</section>
<section aria-labelledby="issues-h"><h2 id="issues-h">${t('issues')}</h2>
${issues.length === 0 ? html`<p class="muted">${t('noIssues')}</p>` : html`<table class="issues"><thead><tr><th scope="col">Key</th><th scope="col">${t('type')}</th><th scope="col">Summary</th><th scope="col">${t('status')}</th></tr></thead><tbody>
${issues.map((i) => html`<tr><td><a href="/browse/${encodeURIComponent(i.key)}">${i.key}</a></td><td>${i.fields.issuetype?.name}</td><td>${i.fields.summary}</td><td><span class="lozenge">${i.fields.status?.name}</span></td></tr>`)}
</tbody></table>`}
</section>`,
  );
}

/** A full-page module (project page, admin page) under `prefix`; its `createHistory` paths extend the prefix. */
export function fullPageApp(env: PageEnv, module: ManifestModule, spec: FrameSpec, prefix: string, crumbs: Raw): string {
  return layout(
    env,
    moduleTitle(env, module),
    html`${crumbs}<h1 class="visually-hidden">${moduleTitle(env, module)}</h1><div id="host-module" data-prefix="${prefix}">${frame(env, spec, moduleTitle(env, module), 600)}</div>`,
  );
}

function adfText(node: unknown): string {
  if (typeof node !== 'object' || node === null) return typeof node === 'string' ? node : '';
  const n = node as { type?: string; text?: string; content?: unknown[] };
  const inner = (n.content ?? []).map(adfText).join('');
  if (n.type === 'text') return n.text ?? '';
  return n.type === 'paragraph' || n.type === 'heading' ? `${inner}\n` : inner;
}

export function issuePage(env: PageEnv, issue: JiraIssue): string {
  const t = (k: ChromeKey) => chromeText(env.session.lang, k);
  const f = issue.fields;
  // Each module's displayConditions, as Jira applies them to this issue (the panel and glance only on
  // Release Requests, the raise action only on change requests).
  const facts = { issueTypeName: issue.fields.issuetype?.name, issueTypeId: issue.fields.issuetype?.id, projectKey: issue.fields.project?.key, issueKey: issue.key };
  const shown = (list: ManifestModule[]) => list.filter((m) => isDisplayed(m, facts));
  const panels = shown(modulesOf(env, ['jira:issuePanel']));
  const glances = shown(modulesOf(env, ['jira:issueContext', 'jira:issueGlance']));
  const actions = shown(modulesOf(env, ['jira:issueAction']));
  const spec = (m: ManifestModule): FrameSpec => ({ moduleKey: m.key, issueKey: issue.key });
  const fmt = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString(env.session.lang, { timeZone: env.session.timeZone }) : '—');
  const description = adfText(f.description).trim();
  return layout(
    env,
    `[${issue.key}] ${f.summary ?? ''}`,
    html`<nav class="crumbs" aria-label="Breadcrumbs"><a href="/projects/${encodeURIComponent(f.project?.key ?? '')}">${f.project?.name ?? f.project?.key}</a> / <span>${issue.key}</span></nav>
<div class="issue" data-issue-key="${issue.key}">
  <div class="issue-main">
    <h1 id="issue-summary">${f.summary}</h1>
    <div class="issue-toolbar">
      <div class="menu">
        <button type="button" id="host-transitions" aria-haspopup="menu" aria-expanded="false" data-issue="${issue.key}">${f.status?.name ?? t('transitions')} ▾</button>
        <ul id="host-transitions-menu" role="menu" hidden aria-label="${t('transitions')}"></ul>
      </div>
      ${actions.map((m) => html`<button type="button" class="issue-action" data-dialog="dlg-${m.key}">${moduleTitle(env, m)}</button>
      <dialog id="dlg-${m.key}" aria-label="${moduleTitle(env, m)}"><form method="dialog"><button class="dialog-close" aria-label="${t('close')}">×</button></form>${frame(env, spec(m), moduleTitle(env, m), 300, true)}</dialog>`)}
    </div>
    <section aria-labelledby="desc-h"><h2 id="desc-h">${t('description')}</h2><p class="description">${description || '—'}</p></section>
    ${panels.map((m) => html`<section class="panel" aria-label="${moduleTitle(env, m)}">${frame(env, spec(m), moduleTitle(env, m), 120)}</section>`)}
  </div>
  <aside class="issue-side" aria-labelledby="details-h">
    ${glances.map((m) => html`<details class="glance" open><summary>${moduleTitle(env, m)}</summary>${frame(env, spec(m), moduleTitle(env, m), 60)}</details>`)}
    <h2 id="details-h">${t('details')}</h2>
    <dl class="fields">
      <dt>${t('status')}</dt><dd><span class="lozenge" id="issue-status">${f.status?.name}</span></dd>
      <dt>${t('type')}</dt><dd>${f.issuetype?.name}</dd>
      <dt>${t('assignee')}</dt><dd>${f.assignee?.displayName ?? t('unassigned')}</dd>
      <dt>${t('reporter')}</dt><dd>${f.reporter?.displayName ?? '—'}</dd>
      <dt>${t('priority')}</dt><dd>${f.priority?.name ?? '—'}</dd>
      <dt>${t('created')}</dt><dd>${fmt(f.created)}</dd>
      <dt>${t('updated')}</dt><dd>${fmt(f.updated)}</dd>
    </dl>
  </aside>
</div>`,
  );
}

export function dashboardPage(env: PageEnv, configOf: (gadgetId: string) => Record<string, unknown> | undefined = () => undefined): string {
  const t = (k: ChromeKey) => chromeText(env.session.lang, k);
  const modules = modulesOf(env, GADGET_MODULES);
  const placed: DashboardGadget[] = env.gadgets && env.gadgets.length > 0 ? env.gadgets : modules.map((m) => ({ id: `${m.key}-1`, moduleKey: m.key }));
  return layout(
    env,
    t('dashboard'),
    html`<h1>${t('dashboard')}</h1>
${modules.length === 0 ? html`<p class="muted">${t('noGadgets')}</p>` : ''}
<div class="gadgets">
${placed.map((g) => {
  const m = modules.find((x) => x.key === g.moduleKey);
  if (!m) return '';
  const spec: FrameSpec = { moduleKey: m.key, gadgetId: g.id };
  const title = g.title ?? moduleTitle(env, m);
  // Jira's gadget refresh: the refresh button, and every `refresh` minutes the edit view saved.
  const refresh = Number(configOf(g.id)?.refresh);
  const every = Number.isInteger(refresh) && refresh > 0 ? String(refresh) : '';
  return html`<section class="gadget" aria-label="${title}" data-refresh-minutes="${every}"><header><h2>${title}</h2><button type="button" class="gadget-refresh" data-gadget="${g.id}">${t('refresh')}</button><button type="button" class="gadget-edit" data-gadget="${g.id}">${t('edit')}</button></header>${frame(env, spec, title, 200)}</section>`;
})}
</div>`,
  );
}

/** Jira's issue search (`/issues/?jql=`): the issues the JQL finds for the acting user. */
export function searchPage(env: PageEnv, jql: string, found: { issues: JiraIssue[] } | { error: string }): string {
  const t = (k: ChromeKey) => chromeText(env.session.lang, k);
  const body =
    'error' in found
      ? html`<p role="alert" class="error">${t('searchFailed')}: ${found.error}</p>`
      : found.issues.length === 0
        ? html`<p class="muted" data-search-count="0">${t('noIssues')}</p>`
        : html`<p data-search-count="${String(found.issues.length)}">${t('results').replace('{n}', String(found.issues.length))}</p><table class="issues"><thead><tr><th scope="col">Key</th><th scope="col">${t('type')}</th><th scope="col">Summary</th><th scope="col">${t('status')}</th></tr></thead><tbody>
${found.issues.map((i) => html`<tr><td><a href="/browse/${encodeURIComponent(i.key)}" data-issue-key="${i.key}">${i.key}</a></td><td>${i.fields.issuetype?.name}</td><td>${i.fields.summary}</td><td><span class="lozenge">${i.fields.status?.name}</span></td></tr>`)}
</tbody></table>`;
  return layout(
    env,
    t('search'),
    html`<h1>${t('search')}</h1>
<form method="get" action="/issues/" class="jql"><label for="jql">JQL</label> <input id="jql" name="jql" size="100" value="${jql}"></form>
${body}`,
  );
}

export function adminPage(env: PageEnv): string {
  const t = (k: ChromeKey) => chromeText(env.session.lang, k);
  const pages = modulesOf(env, GLOBAL_MODULES);
  return layout(
    env,
    t('admin'),
    html`<h1>${t('admin')}</h1>
${pages.length === 0 ? html`<p class="muted">${t('noApps')}</p>` : html`<ul class="list">${pages.map((m) => html`<li><a href="/admin/apps/${encodeURIComponent(m.key)}">${moduleTitle(env, m)}</a></li>`)}</ul>`}`,
  );
}

