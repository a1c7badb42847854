import { events, view } from '@forge/bridge';
import { useEffect, useRef } from 'react';

/**
 * The issue view around our modules: after a change made from a module, ask Jira to refresh the issue
 * (its header and status, and the other issue modules: `view.refresh()`), and reload a module when Jira says
 * the issue changed (`JIRA_ISSUE_CHANGED`, e.g. a transition from Jira's own menu or another module's action).
 * Forge docs: manifest-reference/modules/jira-issue-context ("Events").
 */
export function refreshIssueView(): void {
  view.refresh().catch(() => undefined); // outside the issue view there is nothing to refresh
}

export function useIssueChanged(onChange: () => void): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    let unsubscribe: (() => void) | undefined;
    let gone = false;
    Promise.resolve(events.on('JIRA_ISSUE_CHANGED', () => latest.current()))
      .then((sub: unknown) => {
        const fn = (sub as { unsubscribe?: () => void } | undefined)?.unsubscribe;
        if (gone) fn?.();
        else unsubscribe = fn;
      })
      .catch(() => undefined);
    return () => {
      gone = true;
      unsubscribe?.();
    };
  }, []);
}
