import { eventIssue } from './issue-view';
import type { Site } from './site';
import type { ChangelogItem, IssueRow, StatusRow } from './state';

/**
 * Product events, as Forge delivers them: asynchronously, possibly late and possibly more than once
 * (both are normal on Forge, so the emulator can be told to do both).
 */

const pending = new WeakMap<Site, Set<Promise<void>>>();

function pendingOf(site: Site): Set<Promise<void>> {
  let set = pending.get(site);
  if (!set) {
    set = new Set();
    pending.set(site, set);
  }
  return set;
}

export function emitProductEvent(site: Site, eventType: string, payload: Record<string, unknown>): void {
  const deliver = (): void => {
    site.hooks.emitEvent(eventType, payload);
    if (site.options.duplicateEvents) site.hooks.emitEvent(eventType, payload);
  };
  if (site.options.eventDelayMs <= 0) return deliver();
  const set = pendingOf(site);
  const p: Promise<void> = new Promise<void>((resolve) => setTimeout(resolve, site.options.eventDelayMs))
    .then(deliver)
    .finally(() => set.delete(p));
  set.add(p);
}

/** Resolves once every delayed event has been handed to the platform (then use `platform.drainEvents()`). */
export async function flushEvents(site: Site): Promise<void> {
  const set = pendingOf(site);
  while (set.size > 0) await Promise.all([...set]);
}

function actorFields(site: Site, accountId: string): Record<string, unknown> {
  return {
    atlassianId: accountId,
    selfGenerated: accountId === site.options.appAccountId,
    associatedUsers: [{ accountId }],
  };
}

export function issueCreated(site: Site, issue: IssueRow, accountId: string): void {
  emitProductEvent(site, 'avi:jira:created:issue', {
    issue: eventIssue(site, issue),
    ...actorFields(site, accountId),
    jiraEventTypeName: 'issue_created',
  });
}

/** `avi:jira:deleted:issue`: the issue as it was (the payload is built before the row goes). */
export function issueDeleted(site: Site, issue: IssueRow, accountId: string): void {
  emitProductEvent(site, 'avi:jira:deleted:issue', {
    issue: eventIssue(site, issue),
    ...actorFields(site, accountId),
    jiraEventTypeName: 'issue_deleted',
  });
}

export function issueUpdated(
  site: Site,
  issue: IssueRow,
  accountId: string,
  changelogId: number,
  items: ChangelogItem[],
  statuses?: { from: StatusRow; to: StatusRow },
): void {
  emitProductEvent(site, 'avi:jira:updated:issue', {
    issue: eventIssue(site, issue),
    ...actorFields(site, accountId),
    jiraEventTypeName: 'issue_generic',
    changelog: { id: String(changelogId), items },
    ...(statuses
      ? {
          associatedStatuses: [statuses.to, statuses.from].map((s) => ({ id: String(s.id), name: s.name, statusCategory: s.category })),
        }
      : {}),
  });
}
