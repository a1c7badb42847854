import { kvs, WhereConditions } from '@forge/kvs';
import { z } from 'zod';
import { RELEASE_STATUSES } from '../domain/release';
import { STANDING_ROLES } from '../domain/roles';

/**
 * What set-up created in Jira, by id (SPEC §7: the app refers to statuses, roles and types by id, never by
 * name). Global things (project roles, the issue type, statuses, the workflow) are created once per site;
 * per-project things (issue type scheme membership, workflow scheme) once per project.
 */

export const SETUP_STEPS = ['roles', 'issueType', 'issueTypeScheme', 'statuses', 'workflow', 'workflowScheme'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

const stepState = z.object({ done: z.boolean(), at: z.number().optional(), error: z.string().max(2000).optional() }).strict();

const roleIds = z.partialRecord(z.enum(STANDING_ROLES), z.number().int());
const statusIds = z.partialRecord(z.enum(RELEASE_STATUSES), z.string());

export const globalSetupSchema = z
  .object({
    roleIds,
    issueTypeId: z.string().optional(),
    statusIds,
    workflowName: z.string().optional(),
    workflowId: z.string().optional(),
  })
  .strict();
export type GlobalSetup = z.infer<typeof globalSetupSchema>;

export const setupProgressSchema = z
  .object({
    projectId: z.string(),
    projectKey: z.string(),
    workflowSchemeId: z.number().int().optional(),
    steps: z.partialRecord(z.enum(SETUP_STEPS), stepState),
    completedAt: z.number().optional(),
  })
  .strict();
export type SetupProgressRecord = z.infer<typeof setupProgressSchema>;

const GLOBAL_KEY = 'setup-global';
const PROJECT_PREFIX = 'setup-project-';
const projectKey = (projectId: string) => `${PROJECT_PREFIX}${projectId}`;

export const emptyGlobalSetup = (): GlobalSetup => ({ roleIds: {}, statusIds: {} });

export async function loadGlobalSetup(): Promise<GlobalSetup> {
  const raw = await kvs.get<unknown>(GLOBAL_KEY);
  return raw === undefined ? emptyGlobalSetup() : globalSetupSchema.parse(raw);
}

export async function saveGlobalSetup(setup: GlobalSetup): Promise<void> {
  await kvs.set(GLOBAL_KEY, globalSetupSchema.parse(setup));
}

export async function loadSetupProgress(projectId: string): Promise<SetupProgressRecord | null> {
  const raw = await kvs.get<unknown>(projectKey(projectId));
  return raw === undefined ? null : setupProgressSchema.parse(raw);
}

export async function saveSetupProgress(setup: SetupProgressRecord): Promise<void> {
  await kvs.set(projectKey(setup.projectId), setupProgressSchema.parse(setup));
}

/** Every project's set-up record (the projects the app has been set up on, or began to be), page by page. */
export async function listSetupProgress(): Promise<SetupProgressRecord[]> {
  const out: SetupProgressRecord[] = [];
  let cursor: string | undefined;
  do {
    let q = kvs.query().where('key', WhereConditions.beginsWith(PROJECT_PREFIX)).limit(100);
    if (cursor) q = q.cursor(cursor);
    const page = await q.getMany<unknown>();
    for (const r of page.results) out.push(setupProgressSchema.parse(r.value));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
