import { view } from '@forge/bridge';
import { useEffect, useState } from 'react';

/** The part of Jira's history (view.createHistory) that an in-module router needs. */
interface ModuleHistory {
  location: { pathname: string };
  push(path: string): void;
  listen(listener: (update: { location: { pathname: string } } | { pathname: string }) => void): () => void;
}

function pathOf(update: { location: { pathname: string } } | { pathname: string }): string {
  return 'location' in update ? update.location.pathname : update.pathname;
}

/**
 * The sub-page of a full-page module: kept in the product's URL (`view.createHistory`) where the product
 * supports it, so a sub-page can be bookmarked and Back works; else in the module's own state.
 */
export function useSubPage<T extends string>(pages: readonly T[], fallback: T): { page: T; go: (page: T) => void; ready: boolean } {
  const [history, setHistory] = useState<ModuleHistory | null>(null);
  const [page, setPage] = useState<T>(fallback);
  const [ready, setReady] = useState(false);
  const parse = (path: string): T | undefined => pages.find((p) => p === path.replace(/^\/+/, '').split('/')[0]);

  useEffect(() => {
    let unlisten: (() => void) | undefined;
    let live = true;
    view
      .createHistory()
      .then((h) => {
        if (!live) return;
        const hist = h as unknown as ModuleHistory;
        setHistory(hist);
        const initial = parse(hist.location.pathname);
        if (initial) setPage(initial);
        unlisten = hist.listen((u) => {
          const next = parse(pathOf(u));
          if (next) setPage(next);
        });
      })
      .catch(() => {
        // No product history here: in-module state only.
      })
      .finally(() => {
        if (live) setReady(true);
      });
    return () => {
      live = false;
      unlisten?.();
    };
    // The page list is fixed for a module's lifetime.
  }, []);

  // The default page follows `fallback` until the user (or the URL) picks one.
  const [picked, setPicked] = useState(false);
  useEffect(() => {
    if (!picked && ready && !(history && parse(history.location.pathname))) setPage(fallback);
  }, [fallback, ready]);

  const go = (next: T) => {
    setPicked(true);
    setPage(next);
    if (history) {
      try {
        history.push(`/${next}`);
      } catch {
        // The state change above already shows the page.
      }
    }
  };
  return { page, go, ready };
}
