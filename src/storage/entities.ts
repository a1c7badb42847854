/**
 * The custom entities of manifest.yml (`app.storage.entities`), by name, with their indexes. Every stored
 * row has the same shape: typed top-level attributes that the indexes read, `version` for optimistic
 * concurrency, and `doc`, the domain record itself. Strings may not be blank and integers are 32-bit in the
 * Custom Entity Store, so timestamps are `float` and empty strings are left out (the row then simply does
 * not appear in that index).
 */

export const ENTITY = {
  release: 'release',
  team: 'release-team',
  membership: 'team-membership',
  fallback: 'fallback-plan',
  training: 'training-task',
  improvement: 'improvement-action',
  evaluation: 'participant-evaluation',
  audit: 'audit-event',
  auditChain: 'audit-chain',
  policy: 'project-policy',
  kpiMonth: 'kpi-month',
  /** A month's per-release drill-down entries, beside its aggregate (read only by the drill-down). */
  kpiEntries: 'kpi-month-entries',
  dslItem: 'dsl-item',
  dslNameVersion: 'dsl-name-version',
  dslHistory: 'dsl-history',
  dslUsage: 'dsl-usage-request',
  dslEnvironment: 'dsl-environment',
  dslImport: 'dsl-import',
  jobProgress: 'job-progress',
  trainingReminder: 'training-reminder',
  jiraOutbox: 'jira-outbox',
  pipelineToken: 'pipeline-token',
  pipelineEvent: 'pipeline-event',
} as const;
export type EntityName = (typeof ENTITY)[keyof typeof ENTITY];

export const INDEX = {
  release: {
    byStatus: 'by-status', // [projectId, status] ↑ updatedAt
    byLead: 'by-lead', // [projectId, leadAccountId] ↑ updatedAt
    byWindow: 'by-window', // [projectId] ↑ windowStart
    byRequester: 'by-requester', // [projectId, requesterAccountId] ↑ updatedAt
    byProject: 'by-project', // [projectId] ↑ updatedAt
    byClosed: 'by-closed', // [projectId] ↑ closedAt (CLOSED releases only: the attribute is absent before)
    byChange: 'by-change', // [projectId, linkedChangeKey] ↑ updatedAt (the releases raised from a change request)
  },
  membership: {
    byMember: 'by-member', // [projectId, accountId] ↑ joinedAt
    byRelease: 'by-release', // [releaseId] ↑ joinedAt
  },
  training: {
    byRelease: 'by-release', // [releaseId] ↑ dueAt
    byProjectDue: 'by-project-due', // [projectId] ↑ dueAt
    byTrainer: 'by-trainer', // [projectId, trainerAccountId] ↑ dueAt
  },
  improvement: {
    byProjectDue: 'by-project-due', // [projectId] ↑ dueAt
    byOwner: 'by-owner', // [projectId, ownerAccountId] ↑ dueAt
  },
  evaluation: {
    byPerson: 'by-person', // [projectId, accountId] ↑ evaluatedAt
    byRelease: 'by-release', // [releaseId] ↑ evaluatedAt
    byProject: 'by-project', // [projectId] ↑ evaluatedAt (the release managers' list of all)
  },
  audit: {
    bySubject: 'by-subject', // [subjectId] ↑ at
    byProject: 'by-project', // [projectId] ↑ at
    byActor: 'by-actor', // [projectId, actorAccountId] ↑ at
    byAction: 'by-action', // [projectId, action] ↑ at
    byChain: 'by-chain', // [chainId] ↑ seq
  },
  auditChain: {
    byProject: 'by-project', // [projectId] ↑ chainId
    all: 'all-chains', // ↑ chainId (audit:verify over every project)
  },
  team: { byProject: 'by-project' }, // [projectId] ↑ formedAt
  fallback: { byProject: 'by-project' }, // [projectId] ↑ updatedAt
  policy: { byUpdated: 'by-updated' }, // ↑ updatedAt
  kpiMonth: { byProject: 'by-project-month' }, // [projectId] ↑ month
  kpiEntries: { byProject: 'by-project-month' }, // [projectId] ↑ month
  dslItem: {
    byName: 'by-name', // [projectId] ↑ nameKey ("name version", lower-case name)
    byStatus: 'by-status', // [projectId, status] ↑ nameKey
    // By release: the release record's `dslItems` summary lists them exactly (an item may be in several releases).
  },
  dslNameVersion: { byProject: 'by-project' }, // [projectId] ↑ nameKey (the unique row of a name + version)
  dslHistory: {
    byItem: 'by-item', // [itemId] ↑ at
    byProject: 'by-project', // [projectId] ↑ at (the month's DSL audits, for KPI reconciliation)
  },
  dslUsage: {
    byItem: 'by-item', // [itemId] ↑ requestedAt
    byStatus: 'by-status', // [projectId, status] ↑ requestedAt
  },
  dslEnvironment: { byEnvironment: 'by-environment' }, // [projectId, environment] ↑ nameKey
  dslImport: { byProject: 'by-project' }, // [projectId] ↑ startedAt
  jobProgress: { byUpdated: 'by-updated' }, // ↑ updatedAt
  trainingReminder: {
    byProject: 'by-project', // [projectId] ↑ at
    byRelease: 'by-release', // [releaseId] ↑ at
  },
  jiraOutbox: { byProject: 'by-project' }, // [projectId] ↑ updatedAt (REQUESTED and STATE rows of src/effects)
  pipelineToken: { byProject: 'by-project' }, // [projectId] ↑ createdAt
  pipelineEvent: { byRelease: 'by-release' }, // [releaseId] ↑ at
} as const;

/** Pipeline tokens are found by the SHA-256 of the secret, in the KVS secret store (`kvs.setSecret`). */
export const PIPELINE_TOKEN_SECRET_PREFIX = 'pipeline-token:';
/** Per-token request counters, one plain key per minute (with a TTL). */
export const PIPELINE_RATE_PREFIX = 'pipeline-rate:';

/** The role-membership cache is a plain KVS key (with a TTL), not an entity. */
export const ROLE_CACHE_PREFIX = 'role-cache:';

/**
 * Forge allows an app at most 20 custom entities, each with at most 7 custom indexes and 50 attributes
 * (forge-docs/limits-kvs-ce, "Custom Entity Store limits"). Small entities therefore share ONE physical
 * entity, `HOST_ENTITY`: a hosted row's key is `<kind>:<key>` (the kind is the logical entity's name), it
 * carries a `kind` attribute, and every physical index of the host is partitioned by `kind` first, so a query
 * of one kind never sees another's rows. Only `store.ts` knows: everything above it keeps the logical names
 * of `ENTITY` and `INDEX`, and gets logical keys back.
 */
export const HOST_ENTITY = 'app-record';
/** The attribute naming a hosted row's logical entity (the first partition attribute of every host index). */
export const HOST_KIND_ATTR = 'kind';

/** A logical index of a hosted entity: the host's index that serves it, and the logical shape it keeps. */
export interface HostedIndex {
  /** The host's index, partitioned by `[kind, ...partition]`, ranged by `range`. */
  physical: string;
  partition: readonly string[];
  range: string;
}

/** The hosted entities, with each logical index (key: its `INDEX` name). Indexes of one shape share one. */
export const HOSTED: Partial<Record<EntityName, Readonly<Record<string, HostedIndex>>>> = {
  [ENTITY.policy]: { [INDEX.policy.byUpdated]: { physical: 'kind-updated', partition: [], range: 'updatedAt' } },
  [ENTITY.dslImport]: { [INDEX.dslImport.byProject]: { physical: 'kind-project-started', partition: ['projectId'], range: 'startedAt' } },
  [ENTITY.trainingReminder]: {
    [INDEX.trainingReminder.byProject]: { physical: 'kind-project-at', partition: ['projectId'], range: 'at' },
    [INDEX.trainingReminder.byRelease]: { physical: 'kind-release-at', partition: ['releaseId'], range: 'at' },
  },
  [ENTITY.jiraOutbox]: { [INDEX.jiraOutbox.byProject]: { physical: 'kind-project-updated', partition: ['projectId'], range: 'updatedAt' } },
  [ENTITY.pipelineToken]: { [INDEX.pipelineToken.byProject]: { physical: 'kind-project-created', partition: ['projectId'], range: 'createdAt' } },
  [ENTITY.pipelineEvent]: { [INDEX.pipelineEvent.byRelease]: { physical: 'kind-release-at', partition: ['releaseId'], range: 'at' } },
};

/** Forge's key limit (limits-kvs-ce, "Key and object size limits"). */
export const MAX_KEY_LENGTH = 500;

/** Where a logical row lives: its physical entity and key. */
export function physicalRow(entity: EntityName, key: string): { entity: string; key: string; kind?: EntityName } {
  return HOSTED[entity] ? { entity: HOST_ENTITY, key: `${entity}:${key}`, kind: entity } : { entity, key };
}
