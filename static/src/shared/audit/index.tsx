import { Stack, Text } from '@atlaskit/primitives';
import { useEffect, useMemo, useState } from 'react';
import type { AuditEntry, AuditRefs } from '../../../../src/contracts/views';
import { auditActionLabel, auditActorName, auditChangeText, renderAuditEvent, type AuditRenderContext, type RenderedAuditEvent } from '../../../../src/domain/audit';
import { useI18n } from '../i18n';
import type { SupportedLocale } from '../i18n/locale';

/**
 * The audit trail on screen: every event rendered from the locale files (domain/audit.ts renders; this file
 * only supplies the words, the viewer's time zone and the names the server resolved with the page).
 */

type Tree = { [k: string]: string | Tree };
const loaders: Record<SupportedLocale, () => Promise<Tree>> = {
  'en-US': () => import('./words.en-US') as unknown as Promise<Tree>,
  'zh-CN': () => import('./words.zh-CN') as unknown as Promise<Tree>,
};
const cache = new Map<SupportedLocale, Promise<Tree>>();

function words(locale: SupportedLocale): Promise<Tree> {
  let p = cache.get(locale);
  if (!p) {
    p = loaders[locale]();
    p.catch(() => cache.delete(locale));
    cache.set(locale, p);
  }
  return p;
}

function lookup(tree: Tree | undefined, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export const EMPTY_REFS: AuditRefs = { people: {}, releases: {}, dslItems: {} };

/** Merges the names of several pages. */
export function mergeRefs(a: AuditRefs, b: AuditRefs): AuditRefs {
  return { people: { ...a.people, ...b.people }, releases: { ...a.releases, ...b.releases }, dslItems: { ...a.dslItems, ...b.dslItems } };
}

/** `render(event)`, or null until the words of the user's language are loaded. */
export function useAuditRenderer(refs: AuditRefs): {
  render: ((e: AuditEntry) => RenderedAuditEvent) | null;
  /** Who acted, by name (a pipeline by its name, the app as the app). */
  who: (e: AuditEntry) => string;
  actionLabel: (action: string) => string;
  failed: boolean;
} {
  const { locale, format } = useI18n();
  const [tree, setTree] = useState<Tree | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setFailed(false);
    words(locale).then(
      (t) => live && setTree(t),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [locale]);
  return useMemo(() => {
    const ctx: AuditRenderContext | null = tree
      ? {
          t: (key, params = {}) => lookup(tree, key)?.replace(/\{(\w+)\}/g, (m, n: string) => (params[n] !== undefined ? String(params[n]) : m)),
          dateTime: (ms) => format.dateTime(ms),
          person: (id) => refs.people[id] ?? (id === 'app' ? lookup(tree, 'audit.value.app') : undefined),
          release: (id) => refs.releases[id],
          dslItem: (id) => refs.dslItems[id],
        }
      : null;
    return {
      render: ctx ? (e: AuditEntry) => renderAuditEvent(ctx, e) : null,
      actionLabel: (action: string) => (ctx ? auditActionLabel(ctx, action) : '…'),
      who: (e: AuditEntry) => (ctx ? auditActorName(ctx, e) : '…'),
      failed,
    };
  }, [tree, refs, format, failed]);
}

/** The changes of one event, one line each ("Label: old → new"). */
export function AuditChanges({ event }: { event: RenderedAuditEvent }) {
  if (event.changes.length === 0) return <Text>—</Text>;
  return (
    <Stack space="space.025">
      {event.changes.map((c) => (
        <Text key={c.field} size="small">
          {auditChangeText(c)}
        </Text>
      ))}
    </Stack>
  );
}
