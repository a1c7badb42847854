import { Queue } from '@forge/events';
import { listSetupProgress, loadSetupProgress } from '../storage/setup-progress';
import { setUpProject, type SetupProgress } from './project-setup';

/**
 * After the app is upgraded (`avi:forge:upgraded:app`, forge-docs/events-reference/life-cycle), set-up runs
 * again on every project whose set-up was completed, so what set-up owns in Jira — roles, issue type, statuses,
 * the workflow's rules (updated in place), the scheme mapping — is what the new version creates. One queue event
 * per project (forge-docs/runtime-reference/async-events-api), one at a time (a concurrency key: the workflow and
 * statuses are shared by the projects), each in its own invocation and time limit; a project whose run fails
 * keeps the failed step on the admin page and is retried with a back-off, while the other projects go on.
 * Everything is idempotent: a redelivered event, or a second upgrade, finds Jira up to date and writes nothing.
 *
 * Forge sends the event for major versions only, so a minor version's rule change reaches a site when an admin
 * re-runs set-up (the admin page shows when the workflow's rules are out of date).
 */
export const SETUP_UPGRADE_QUEUE = 'setup-upgrade';

/** Forge takes at most 50 events per push. */
const PUSH_BATCH = 50;

/** Queue retries of a failing project before it is left to the admin's re-run (each with a longer back-off). */
export const UPGRADE_RETRIES = 5;

/** Back-off before retry `n` (1-based): 30 s doubling, at most Forge's 900 s. */
export const upgradeRetryAfterSeconds = (n: number): number => Math.min(900, 30 * 2 ** Math.max(0, n - 1));

export interface UpgradeEventBody extends Record<string, unknown> {
  projectId: string;
  /** Who upgraded the app (the event's `upgraderAccountId`), recorded as the actor of what set-up changes; else the app. */
  actorAccountId: string;
  appVersion: string | null;
}

/** Queues one update per set-up project; answers how many. Projects whose set-up never completed are left to their admins. */
export async function queueSetupUpgrade(opts: { actorAccountId: string; appVersion: string | null }): Promise<{ projects: number }> {
  const projects = (await listSetupProgress()).filter((p) => p.completedAt !== undefined);
  const queue = new Queue({ key: SETUP_UPGRADE_QUEUE });
  for (let i = 0; i < projects.length; i += PUSH_BATCH) {
    await queue.push(
      projects.slice(i, i + PUSH_BATCH).map((p) => ({
        body: { projectId: p.projectId, actorAccountId: opts.actorAccountId, appVersion: opts.appVersion } satisfies UpgradeEventBody,
        concurrency: { key: SETUP_UPGRADE_QUEUE, limit: 1 },
      })),
    );
  }
  return { projects: projects.length };
}

/** Re-runs set-up on one project (as the app); null when the project has no set-up record any more. */
export async function upgradeProjectSetup(body: UpgradeEventBody, now: () => number = Date.now): Promise<SetupProgress | null> {
  const record = await loadSetupProgress(body.projectId);
  if (!record) return null;
  return setUpProject({ id: record.projectId, key: record.projectKey }, { now, actorAccountId: body.actorAccountId, appVersion: body.appVersion });
}
