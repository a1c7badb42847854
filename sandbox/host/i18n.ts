import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { LoadedManifest } from '../manifest';

export type HostLang = 'en-US' | 'zh-CN';
export const HOST_LANGS: HostLang[] = ['en-US', 'zh-CN'];

/** Jira's own chrome strings (not the app's: those come from the app's `locales/`). */
const chrome = {
  'en-US': {
    projects: 'Projects',
    dashboard: 'Dashboard',
    admin: 'Apps administration',
    actingUser: 'Acting user',
    language: 'Language',
    theme: 'Theme',
    light: 'Light',
    dark: 'Dark',
    issues: 'Issues',
    noIssues: 'No issues.',
    apps: 'Apps',
    noApps: 'No app pages for this location.',
    status: 'Status',
    type: 'Type',
    assignee: 'Assignee',
    reporter: 'Reporter',
    priority: 'Priority',
    created: 'Created',
    updated: 'Updated',
    description: 'Description',
    details: 'Details',
    unassigned: 'Unassigned',
    transitions: 'Transition',
    noTransitions: 'No transitions available',
    moreActions: 'More actions',
    close: 'Close',
    edit: 'Edit',
    notFound: 'Not found, or you do not have permission to see it.',
    noGadgets: 'The app declares no dashboard gadgets.',
    refresh: 'Refresh',
    search: 'Search issues',
    searchFailed: 'The search failed',
    results: '{n} issue(s)',
    dismiss: 'Dismiss',
    cspBlocked: "Forge's Content-Security-Policy would block this in the app's frame",
    home: 'Home',
    transitioned: 'Issue transitioned',
    transitionFailed: 'The transition was not allowed',
  },
  'zh-CN': {
    projects: '项目',
    dashboard: '仪表板',
    admin: '应用管理',
    actingUser: '当前用户',
    language: '语言',
    theme: '主题',
    light: '浅色',
    dark: '深色',
    issues: '事务',
    noIssues: '没有事务。',
    apps: '应用',
    noApps: '此位置没有应用页面。',
    status: '状态',
    type: '类型',
    assignee: '经办人',
    reporter: '报告人',
    priority: '优先级',
    created: '创建时间',
    updated: '更新时间',
    description: '描述',
    details: '详细信息',
    unassigned: '未分配',
    transitions: '转换',
    noTransitions: '没有可用的转换',
    moreActions: '更多操作',
    close: '关闭',
    edit: '编辑',
    notFound: '未找到，或你没有查看权限。',
    noGadgets: '应用没有声明仪表板小工具。',
    refresh: '刷新',
    search: '搜索事务',
    searchFailed: '搜索失败',
    results: '{n} 个事务',
    dismiss: '关闭',
    cspBlocked: 'Forge 的内容安全策略会在应用框架中阻止此内容',
    home: '首页',
    transitioned: '事务已转换',
    transitionFailed: '不允许此转换',
  },
} as const;

export type ChromeKey = keyof (typeof chrome)['en-US'];
export const chromeText = (lang: HostLang, key: ChromeKey): string => chrome[lang][key];

/** The app's translations (manifest `translations.resources`), for module titles given as `{ i18n: key }`. */
export class AppTranslations {
  private readonly bundles = new Map<string, Record<string, unknown>>();

  constructor(manifest: LoadedManifest, manifestDir: string) {
    const translations = manifest.raw.translations as { resources?: { key?: string; path?: string }[] } | undefined;
    for (const r of translations?.resources ?? []) {
      if (!r.key || !r.path) continue;
      try {
        this.bundles.set(r.key, JSON.parse(readFileSync(resolve(manifestDir, r.path), 'utf8')) as Record<string, unknown>);
      } catch {
        // A missing file is forge lint's finding; the host shows the key instead.
      }
    }
  }

  static forManifest(manifest: LoadedManifest, manifestPath: string): AppTranslations {
    return new AppTranslations(manifest, dirname(manifestPath));
  }

  text(value: unknown, lang: HostLang): string | undefined {
    if (typeof value === 'string') return value;
    if (typeof value !== 'object' || value === null || !('i18n' in value)) return undefined;
    const key = String((value as { i18n: unknown }).i18n);
    for (const bundle of [this.bundles.get(lang), this.bundles.get('en-US')]) {
      let node: unknown = bundle;
      for (const part of key.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
      if (typeof node === 'string') return node;
    }
    return key;
  }
}
