import { router } from '@forge/bridge';
import type { MouseEvent, ReactNode } from 'react';
import { useProductContext } from '../context';

/**
 * A link to a Jira issue: a real anchor (keyboard, screen readers, "open in new tab"), while a plain click
 * asks the product to navigate, since the app runs in a frame and must not navigate itself.
 */
export function IssueLink({ issueKey, children }: { issueKey: string; children?: ReactNode }) {
  const { siteUrl } = useProductContext();
  const path = `/browse/${encodeURIComponent(issueKey)}`;
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    router.navigate(path).catch(() => router.open(path));
  };
  return (
    <a href={`${siteUrl}${path}`} onClick={onClick} data-issue-key={issueKey}>
      {children ?? issueKey}
    </a>
  );
}
