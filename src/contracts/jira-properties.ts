/**
 * Jira issue properties the app writes that the UI reads too (through `@forge/bridge` `requestJira`, as the
 * user). Imports nothing: the browser bundle takes it.
 */

/** On a closed release issue: `{ key }` of the CMDB-update task raised for it (its idempotency anchor, too). */
export const CMDB_TASK_PROPERTY = 'release-governance-cmdb-task';
