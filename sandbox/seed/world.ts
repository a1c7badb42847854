/**
 * The seed's hands: every change goes through the app's real resolvers, as the user who would make it, at the
 * time it would have happened (the platform's clock), with Jira's events handed over after each call.
 */
import { RESOLVER_KEYS as K, type ResolverKey } from '../../src/contracts';
import type { Envelope } from '../../src/contracts/envelope';
import type { Release } from '../../src/domain/release';
import type { Platform } from '../index';
import type { JiraEmulator } from '../jira';
import type { EventGate } from './events';
import { PEOPLE, type PersonKey } from './people';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface DemoProject {
  readonly id: string;
  readonly key: string;
  readonly name: string;
}

/** A release the seed created, with the row version it last saw (every mutation names it). */
export interface SeededRelease {
  readonly id: string;
  readonly key: string;
  readonly summary: string;
  readonly changeKey: string;
  version: number;
}

export class SeedError extends Error {}

/** The time the app sees during seeding; invocations read it through the platform clock. */
export class SeedClock {
  now = 0;
  readonly read = (): number => this.now;
}

export class SeedWorld {
  /** Resolver calls made, for the summary. */
  calls = 0;

  constructor(
    readonly platform: Platform,
    readonly jira: JiraEmulator,
    readonly events: EventGate,
    readonly clock: SeedClock,
    readonly project: DemoProject,
  ) {}

  /** Sets the app's clock for the next calls. */
  at(t: number): this {
    this.clock.now = Math.floor(t);
    return this;
  }

  get now(): number {
    return this.clock.now;
  }

  /** Any SDK or admin code inside an invocation at the seed's time (e.g. Jira admin calls that stamp dates). */
  async run<T>(fn: () => Promise<T> | T, who?: PersonKey): Promise<T> {
    const inv = await this.platform.run(fn, who ? { accountId: PEOPLE[who].accountId } : {});
    await this.events.deliverHeld(this.platform);
    return inv.value;
  }

  /** One resolver call as `who`; an error envelope fails the seed (it means the app refused a realistic step). */
  async call<T>(who: PersonKey, moduleKey: string, key: ResolverKey | string, payload: Record<string, unknown>, extension: Record<string, unknown>): Promise<T> {
    const inv = await this.platform.invokeResolver<Envelope<T>>({ moduleKey, functionKey: key, payload, accountId: PEOPLE[who].accountId, extension });
    this.calls += 1;
    await this.events.deliverHeld(this.platform);
    const res = inv.value;
    if (!res.ok) throw new SeedError(`${key} as ${who} at ${new Date(this.now).toISOString()} refused: ${JSON.stringify(res.error)}`);
    return res.data;
  }

  projectExtension(): Record<string, unknown> {
    return { type: 'jira:projectPage', project: { id: this.project.id, key: this.project.key } };
  }

  /** A project-page resolver (workbench) whose payload names the project. */
  onProject<T = unknown>(who: PersonKey, key: ResolverKey | string, payload: Record<string, unknown> = {}): Promise<T> {
    return this.onWorkbench<T>(who, key, { projectId: this.project.id, ...payload });
  }

  /** A project-page resolver whose payload does not name the project (e.g. a DSL item command). */
  onWorkbench<T = unknown>(who: PersonKey, key: ResolverKey | string, payload: Record<string, unknown>): Promise<T> {
    return this.call<T>(who, 'release-workbench', key, payload, this.projectExtension());
  }

  /** A release-panel mutation: names the release and the version last seen, and keeps that version current. */
  async onRelease(who: PersonKey, rel: SeededRelease, key: ResolverKey, payload: Record<string, unknown> = {}, opts: { versioned?: boolean } = {}): Promise<Release> {
    const extension = { type: 'jira:issuePanel', issue: { id: rel.id, key: rel.key }, project: { id: this.project.id, key: this.project.key } };
    const body = { releaseId: rel.id, ...(opts.versioned === false ? {} : { expectedVersion: rel.version }), ...payload };
    const data = await this.call<{ release: Release }>(who, 'release-panel', key, body, extension);
    rel.version = data.release.version;
    return data.release;
  }

  /** A change request (a Task) from change management, created in Jira at the seed's time. */
  async changeRequest(who: PersonKey, summary: string): Promise<{ id: string; key: string }> {
    const row = await this.run(() => this.jira.addIssue({ project: this.project.key, issueType: 'Task', summary, reporterAccountId: PEOPLE[who].accountId }));
    return { id: String(row.id), key: row.key };
  }

  /** Raises a Release Request from a change request through the issue action, as change management does. */
  async submit(who: PersonKey, change: { id: string; key: string }, summary: string, description?: string): Promise<SeededRelease> {
    const extension = { type: 'jira:issueAction', issue: { id: change.id, key: change.key }, project: { id: this.project.id, key: this.project.key } };
    const release = await this.call<Release>(who, 'raise-release', K.submitRelease, {
      projectId: this.project.id,
      linkedChangeKey: change.key,
      summary,
      ...(description ? { description } : {}),
    }, extension);
    return { id: release.id, key: release.issueKey ?? release.id, summary, changeKey: change.key, version: release.version };
  }
}
