/** The local Jira Cloud REST v3 emulator. See README.md. */
import type Database from 'better-sqlite3';
import type { LoadedManifest } from '../manifest';
import type { JiraBackend, PlatformHooks } from '../runtime/backends';
import { createJiraEmulator, JiraEmulator, type JiraEmulatorOptions } from './emulator';

export {
  createJiraEmulator,
  EMULATED_ENDPOINTS,
  JiraEmulator,
  type JiraEmulatorOptions,
  type NewIssue,
  type NewUser,
  type RequestLogEntry,
  type ValidationErrorRecord,
} from './emulator';
export type { FaultSpec } from './faults';
export type { NewProject } from './seed';
export { ADMINISTRATORS_ROLE_ID, DEFAULT_WORKFLOW } from './seed';
export { parseJql, JqlError, type JqlQuery } from './jql';
export { loadOpenApi, resolveOpenApiPath, OpenApiSpec } from './openapi';

/** For `createPlatform({ jira: jiraFactory({...}) })`: the manifest defaults to the platform's own. */
export function jiraFactory(
  options: Omit<JiraEmulatorOptions, 'manifest'> & { manifest?: LoadedManifest } = {},
): (db: Database.Database, hooks: PlatformHooks, manifest: LoadedManifest) => JiraBackend {
  return (db, hooks, manifest) => createJiraEmulator(db, hooks, { ...options, manifest: options.manifest ?? manifest });
}

/** The emulator behind a platform, for its admin API (seeding, faults, logs). */
export function jiraEmulatorOf(platform: { jira: JiraBackend }): JiraEmulator {
  if (!(platform.jira instanceof JiraEmulator)) throw new Error('this platform does not run the local Jira emulator');
  return platform.jira;
}
