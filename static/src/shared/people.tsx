import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from './i18n';
import { callResolver } from './invoke';

/**
 * Display names for account ids, asked of the server (`people/names`) in batches after a screen has
 * rendered, so names never delay the first paint. One in-frame cache. An account id never reaches the
 * screen as a name: until its name arrives a person reads "…", and one Jira cannot name (or a failed
 * lookup) reads "Unknown person" (the id stays in the element's title, for an admin who needs it).
 */

/** A name, or `null` when the server could not name the account. */
const names = new Map<string, string | null>();
const pending = new Set<string>();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | undefined;
let projectId: string | undefined;

/** The project whose members are being named (the server checks the caller may browse it). */
export function setPeopleProject(id: string | undefined): void {
  projectId = id;
}

function flush(): void {
  timer = undefined;
  const batch = [...pending].slice(0, 50);
  batch.forEach((id) => pending.delete(id));
  if (batch.length === 0) return;
  callResolver<Record<string, string>>('people/names', { ...(projectId ? { projectId } : {}), accountIds: batch })
    .then((found) => {
      for (const id of batch) names.set(id, found[id] ?? null);
      listeners.forEach((l) => l());
    })
    .catch(() => {
      for (const id of batch) names.set(id, null);
      listeners.forEach((l) => l());
    })
    .finally(() => {
      if (pending.size > 0) timer = setTimeout(flush, 0);
    });
}

function request(id: string): void {
  if (names.has(id) || pending.has(id)) return;
  pending.add(id);
  if (!timer) timer = setTimeout(flush, 30);
}

/** How a person reads: their name, "…" while it is being asked for, "Unknown person" when none is known. */
function useNameText(): (accountId: string) => string {
  const { t } = useI18n();
  return useCallback(
    (accountId: string): string => {
      const name = names.get(accountId);
      if (name === undefined) return t('people.nameLoading');
      return name ?? t('people.unknownPerson');
    },
    [t],
  );
}

/** The display name of an account ("…" until the name is known). */
export function usePersonName(accountId: string | null | undefined): string {
  const [, setTick] = useState(0);
  const text = useNameText();
  useEffect(() => {
    if (!accountId) return undefined;
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    request(accountId);
    return () => {
      listeners.delete(l);
    };
  }, [accountId]);
  if (!accountId) return '—';
  return text(accountId);
}

/** The name of an account if already known in this frame (no request). */
export function knownName(accountId: string): string | undefined {
  return names.get(accountId) ?? undefined;
}

/**
 * `name(id)` for text built from several people (a sentence, a label): asks for every id it was given during
 * the render, after the render, and re-renders when their names arrive.
 */
export function useNames(): (accountId: string | null | undefined) => string {
  const [tick, setTick] = useState(0);
  const asked = useRef(new Set<string>());
  const text = useNameText();
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  useEffect(() => {
    asked.current.forEach(request);
    asked.current.clear();
  });
  // A new function whenever names arrive, so memoised consumers recompute.
  return useMemo(() => {
    void tick;
    return (accountId: string | null | undefined): string => {
      if (!accountId) return '—';
      if (!names.has(accountId)) asked.current.add(accountId);
      return text(accountId);
    };
    // `text` changes with the language only; `tick` when names arrive.
  }, [tick, text]);
}

/** A person by display name, with the account id in the title; `format` wraps the name (e.g. "… (you)"). */
export function Person({ accountId, format }: { accountId: string | null | undefined; format?: (name: string) => string }): JSX.Element {
  const name = usePersonName(accountId);
  return <span title={accountId ?? undefined}>{accountId && format ? format(name) : name}</span>;
}

/** Names learnt elsewhere (a people picker's results) join the frame's cache, so screens need not ask again. */
export function rememberNames(people: readonly { accountId: string; displayName: string }[]): void {
  let changed = false;
  for (const p of people) {
    if (names.get(p.accountId) !== p.displayName) {
      names.set(p.accountId, p.displayName);
      changed = true;
    }
  }
  if (changed) listeners.forEach((l) => l());
}
