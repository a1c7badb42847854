import { resolve } from 'node:path';
import api, { type Route } from '@forge/api';
import { createPlatform, type Platform } from '../../index';
import { jiraEmulatorOf, jiraFactory, type JiraEmulator, type JiraEmulatorOptions } from '../index';

/** A platform running the test app (test/fixtures/jira) against the Jira emulator, with a seeded site. */

export const FIXTURE_DIR = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'jira');
export const APP_UUID = '11111111-2222-4333-8444-555555555555';
export const ruleKey = (moduleKey: string): string => `ari:cloud:ecosystem::extension/${APP_UUID}/local-development/static/${moduleKey}`;

export const ADMIN = 'acc-admin';
export const ALICE = 'acc-alice';
export const BOB = 'acc-bob';
export const OUTSIDER = 'acc-outsider';
export const SITE_ADMIN = 'acc-site-admin';

export interface Harness {
  platform: Platform;
  jira: JiraEmulator;
  call(who: string, method: string, path: Route, body?: unknown): Promise<JiraReply>;
  /** Lets pending product events finish, then closes the platform. */
  close(): Promise<void>;
}

export interface JiraReply {
  status: number;
  /** Response headers, lower-cased names. */
  headers: Record<string, string>;
  body: unknown;
}

/** `who` is an account id for `asUser()`, or 'app' for `asApp()`. */
export function startHarness(opts: Omit<JiraEmulatorOptions, 'manifest'> = {}): Harness {
  const platform = createPlatform({ manifestPath: resolve(FIXTURE_DIR, 'manifest.yml'), jira: jiraFactory(opts) });
  const jira = jiraEmulatorOf(platform);
  jira.addUser({ accountId: ADMIN, displayName: 'Ada Admin', emailAddress: 'ada@example.com' });
  jira.addUser({ accountId: ALICE, displayName: 'Alice Manager', emailAddress: 'alice@example.com' });
  jira.addUser({ accountId: BOB, displayName: 'Bob Builder', emailAddress: 'bob@example.com' });
  jira.addUser({ accountId: OUTSIDER, displayName: 'Olga Outsider' });
  jira.addUser({ accountId: SITE_ADMIN, displayName: 'Sam Siteadmin', siteAdmin: true });
  jira.addProject({ key: 'REL', name: 'Releases', adminAccountId: ADMIN });
  jira.grantBrowse('REL', ALICE);
  jira.grantBrowse('REL', BOB);
  jira.addProject({ key: 'OPS', name: 'Operations', adminAccountId: SITE_ADMIN });

  async function call(who: string, method: string, path: Route, body?: unknown): Promise<JiraReply> {
    const inv = await platform.run(
      async () => {
        const client = who === 'app' ? api.asApp() : api.asUser();
        const res = await client.requestJira(path, {
          method,
          headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.text();
        const headers: Record<string, string> = {};
        res.headers.forEach((v, k) => {
          headers[k.toLowerCase()] = v;
        });
        return { status: res.status, headers, body: text ? (JSON.parse(text) as unknown) : undefined };
      },
      who === 'app' ? {} : { accountId: who },
    );
    return inv.value;
  }

  async function close(): Promise<void> {
    await jira.flushEvents();
    await platform.drainEvents();
    platform.close();
  }

  return { platform, jira, call, close };
}

export function obj(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`expected an object, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

export function list(v: unknown): Record<string, unknown>[] {
  if (!Array.isArray(v)) throw new Error(`expected a list, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>[];
}

/**
 * A fresh harness for every test of the file, closed after it, and every test holds the emulator to the
 * OpenAPI document. Returns a stand-in that always points at the current test's harness.
 */
export function useHarness(): Harness {
  let current: Harness | undefined;
  beforeEach(() => {
    current = startHarness();
  });
  afterEach(async () => {
    expect(current?.jira.validationErrors).toEqual([]);
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as Harness, {
    get(_target, prop) {
      if (!current) throw new Error('the harness exists only inside a test');
      const value = (current as unknown as Record<PropertyKey, unknown>)[prop];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
}
