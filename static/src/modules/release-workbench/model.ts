import type { MessageKey } from '../../shared';
import type { Policy, Release, StandingRole } from './api';

export const PAGES = ['review', 'leading', 'deployments', 'verifications', 'training', 'calendar', 'improvement', 'kpis', 'dsl', 'audit'] as const;
export type WorkbenchPage = (typeof PAGES)[number];

export const PAGE_TITLE: Record<WorkbenchPage, MessageKey> = {
  review: 'workbench.nav.review',
  leading: 'workbench.nav.leading',
  deployments: 'workbench.nav.deployments',
  verifications: 'workbench.nav.verifications',
  training: 'workbench.nav.training',
  calendar: 'workbench.nav.calendar',
  improvement: 'workbench.nav.improvement',
  kpis: 'workbench.nav.kpis',
  dsl: 'workbench.nav.dsl',
  audit: 'workbench.nav.audit',
};

/** What every page of the workbench gets from the frame. */
export interface PageProps {
  projectId: string;
  accountId: string | undefined;
  /** The actor's standing roles (null while unknown); the server decides every action regardless. */
  roles: StandingRole[] | null;
  /** The project's policy, defaults filled in. */
  policy: Policy;
  /** Issue key of a release id, where known. */
  keyOf: (releaseId: string) => string | undefined;
  now: number;
}

export function hasRole(roles: StandingRole[] | null, ...wanted: StandingRole[]): boolean {
  return roles === null || wanted.some((r) => roles.includes(r));
}

/** The pages a role has work on; the shared pages (training, calendar, improvement, KPIs, DSL) are everyone's. */
export function visiblePages(roles: StandingRole[] | null): WorkbenchPage[] {
  return PAGES.filter((p) => {
    if (p === 'review') return hasRole(roles, 'RELEASE_MANAGER', 'PROCESS_OWNER');
    if (p === 'leading') return hasRole(roles, 'RELEASE_LEAD');
    if (p === 'verifications') return hasRole(roles, 'OPERATIONS_LEAD', 'RELEASE_MANAGER', 'PROCESS_OWNER');
    // The project's audit trail is the auditors' (a Jira project admin without these roles is allowed by the server too).
    if (p === 'audit') return hasRole(roles, 'PROCESS_OWNER', 'RELEASE_MANAGER');
    return true;
  });
}

/** The page a user lands on: the queue of their most demanding role. */
export function defaultPage(roles: StandingRole[] | null): WorkbenchPage {
  if (!roles) return 'deployments';
  const order: [StandingRole, WorkbenchPage][] = [
    ['RELEASE_MANAGER', 'review'],
    ['PROCESS_OWNER', 'improvement'],
    ['OPERATIONS_LEAD', 'verifications'],
    ['RELEASE_LEAD', 'leading'],
    ['TRAINING_LEAD', 'training'],
    ['SOFTWARE_CONTROL_LEAD', 'dsl'],
  ];
  return order.find(([r]) => roles.includes(r))?.[1] ?? 'deployments';
}

/** When the review SLA of a submitted release runs out (null without a submission time). */
export function reviewDueAt(release: Release, slaDays: number): number | null {
  const at = release.statusEnteredAt.SUBMITTED ?? release.createdAt;
  return typeof at === 'number' ? at + slaDays * 86_400_000 : null;
}
