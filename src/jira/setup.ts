import { route } from '@forge/api';
import { z } from 'zod';
import { createOnce, JiraError, requestJira, SINGLE_ATTEMPT } from './client';
import {
  ownRuleOf,
  planWorkflowUpdate,
  type ConditionGroupDoc,
  type RuleDoc,
  type TransitionDoc,
  type WorkflowDoc,
  type WorkflowUpdatePlan,
} from '../workflow/workflow-doc';

/**
 * Jira-side set-up steps (SPEC §7). Each `ensure*` looks for what the app created before (by stored id,
 * else by the marker the app writes into the description, never by a name someone else may own),
 * creates only what is missing and returns the ids. All calls `asApp`, after the service checked that
 * the user is an admin. Run twice: nothing new; stopped half-way: the next run finishes the job. Every
 * create is sent once per attempt (`createOnce`): when Jira's answer is lost, the marker search runs again
 * before another attempt, so a lost answer never leaves a second role, status, workflow or scheme.
 */

/** Written into the description of everything set-up creates, so it can be found again. */
export const SETUP_MARKER = '[release-governance]';

const described = (text: string) => `${text} ${SETUP_MARKER}`;
const ours = (description: string | undefined | null) => (description ?? '').includes(SETUP_MARKER);

const roleSchema = z.object({ id: z.number(), name: z.string(), description: z.string().optional() }).passthrough();

export interface RoleSpec {
  key: string;
  name: string;
  description: string;
}

/** Project roles are site-wide definitions in Jira; membership is per project. */
export async function ensureProjectRoles(specs: readonly RoleSpec[], known: Readonly<Record<string, number | undefined>>): Promise<Record<string, number>> {
  const { data: existing } = await requestJira(route`/rest/api/3/role`, { as: 'app', schema: z.array(roleSchema) });
  const out: Record<string, number> = {};
  for (const spec of specs) {
    const byId = existing.find((r) => r.id === known[spec.key]);
    const byMarker = existing.find((r) => r.name === spec.name && ours(r.description));
    const found = byId ?? byMarker;
    if (found) {
      out[spec.key] = found.id;
      continue;
    }
    const made = await createOnce(
      async () => {
        const { data: again } = await requestJira(route`/rest/api/3/role`, { as: 'app', schema: z.array(roleSchema) });
        return again.find((r) => r.name === spec.name && ours(r.description)) ?? null;
      },
      async () =>
        (
          await requestJira(route`/rest/api/3/role`, {
            as: 'app',
            method: 'POST',
            body: { name: spec.name, description: described(spec.description) },
            schema: roleSchema,
            retry: SINGLE_ATTEMPT,
          })
        ).data,
      { findFirst: false },
    );
    out[spec.key] = made.value.id;
  }
  return out;
}

const issueTypeSchema = z.object({ id: z.string(), name: z.string(), description: z.string().optional() }).passthrough();

export async function ensureIssueType(name: string, description: string, knownId: string | undefined): Promise<string> {
  const { data: all } = await requestJira(route`/rest/api/3/issuetype`, { as: 'app', schema: z.array(issueTypeSchema) });
  const found = all.find((t) => t.id === knownId) ?? all.find((t) => t.name === name && ours(t.description));
  if (found) return found.id;
  const made = await createOnce(
    async () => {
      const { data: again } = await requestJira(route`/rest/api/3/issuetype`, { as: 'app', schema: z.array(issueTypeSchema) });
      return again.find((t) => t.name === name && ours(t.description)) ?? null;
    },
    async () =>
      (
        await requestJira(route`/rest/api/3/issuetype`, {
          as: 'app',
          method: 'POST',
          body: { name, description: described(description), type: 'standard' },
          schema: issueTypeSchema,
          retry: SINGLE_ATTEMPT,
        })
      ).data,
    { findFirst: false },
  );
  return made.value.id;
}

const schemeForProjectSchema = z
  .object({ values: z.array(z.object({ issueTypeScheme: z.object({ id: z.string() }).passthrough() }).passthrough()) })
  .passthrough();
/** Adds the issue type to the project's issue type scheme if the project does not offer it yet. */
export async function ensureIssueTypeInProjectScheme(projectId: string, issueTypeId: string): Promise<string> {
  const { data } = await requestJira(route`/rest/api/3/issuetypescheme/project?projectId=${projectId}`, { as: 'app', schema: schemeForProjectSchema });
  const schemeId = data.values[0]?.issueTypeScheme.id;
  if (!schemeId) throw new Error(`Project ${projectId} has no issue type scheme`);
  const { data: types } = await requestJira(route`/rest/api/3/issuetype/project?projectId=${projectId}`, { as: 'app', schema: z.array(issueTypeSchema) });
  if (!types.some((t) => t.id === issueTypeId)) {
    await requestJira(route`/rest/api/3/issuetypescheme/${schemeId}/issuetype`, { as: 'app', method: 'PUT', body: { issueTypeIds: [issueTypeId] } });
  }
  return schemeId;
}

export interface StatusSpec {
  key: string;
  name: string;
  description: string;
  statusCategory: 'TODO' | 'IN_PROGRESS' | 'DONE';
}

const statusSchema = z.object({ id: z.string(), name: z.string(), description: z.string().optional() }).passthrough();

export async function ensureStatuses(specs: readonly StatusSpec[], known: Readonly<Record<string, string | undefined>>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const missing: StatusSpec[] = [];
  for (const spec of specs) {
    const id = known[spec.key];
    if (id) {
      const { status, data } = await requestJira(route`/rest/api/3/statuses?id=${id}`, { as: 'app', schema: z.array(statusSchema) });
      if (status === 200 && data.some((s) => s.id === id)) {
        out[spec.key] = id;
        continue;
      }
    }
    const { data: found } = await requestJira(route`/rest/api/3/statuses/search?searchString=${spec.name}&maxResults=50`, { as: 'app',
      schema: z.object({ values: z.array(statusSchema) }).passthrough(),
    });
    const mine = found.values.find((s) => s.name === spec.name && ours(s.description));
    if (mine) out[spec.key] = mine.id;
    else missing.push(spec);
  }
  if (missing.length > 0) {
    const findAll = async () => {
      const mine: z.infer<typeof statusSchema>[] = [];
      for (const spec of missing) {
        const { data: found } = await requestJira(route`/rest/api/3/statuses/search?searchString=${spec.name}&maxResults=50`, { as: 'app',
          schema: z.object({ values: z.array(statusSchema) }).passthrough(),
        });
        const hit = found.values.find((s) => s.name === spec.name && ours(s.description));
        if (!hit) return null; // not all of them: the create (all or nothing in Jira) did not happen
        mine.push(hit);
      }
      return mine;
    };
    const { value: created } = await createOnce(
      findAll,
      async () =>
        (
          await requestJira(route`/rest/api/3/statuses`, {
            as: 'app',
            method: 'POST',
            body: {
              scope: { type: 'GLOBAL' },
              statuses: missing.map((s) => ({ name: s.name, description: described(s.description), statusCategory: s.statusCategory })),
            },
            schema: z.array(statusSchema),
            retry: SINGLE_ATTEMPT,
          })
        ).data,
      { findFirst: false },
    );
    for (const spec of missing) {
      const c = created.find((s) => s.name === spec.name);
      if (!c) throw new Error(`Jira did not create status ${spec.name}`);
      out[spec.key] = c.id;
    }
  }
  return out;
}

export interface WorkflowRule {
  ruleKey: string;
  parameters: Record<string, string>;
}

export interface WorkflowTransitionSpec {
  id: string;
  name: string;
  description: string;
  type: 'INITIAL' | 'DIRECTED';
  from: readonly string[];
  to: string;
  conditions: readonly WorkflowRule[];
  validators: readonly WorkflowRule[];
}

export interface WorkflowSpec {
  name: string;
  description: string;
  /** Status key → Jira status id. */
  statusIds: Readonly<Record<string, string>>;
  statusCategories: Readonly<Record<string, 'TODO' | 'IN_PROGRESS' | 'DONE'>>;
  statusNames: Readonly<Record<string, string>>;
  /** Status key → its description (without the marker), for a status an update adds to an existing workflow. */
  statusDescriptions?: Readonly<Record<string, string>>;
  transitions: readonly WorkflowTransitionSpec[];
}

const analysisSchema = z
  .object({
    results: z.array(
      z
        .object({
          expression: z.string(),
          valid: z.boolean(),
          errors: z.array(z.object({ message: z.string(), line: z.number().optional(), column: z.number().optional() }).loose()).optional(),
        })
        .loose(),
    ),
  })
  .loose();

/** A Jira expression Jira's engine refused, with Jira's reason. */
export interface RejectedExpression {
  expression: string;
  message: string;
}

/**
 * Asks Jira's own engine (`POST /rest/api/3/expression/analyse`) whether it accepts the expressions the app's
 * workflow rules use: `@forge/manifest` accepts any text, and a condition Jira cannot evaluate is false for
 * everyone (every transition hidden). Returns what Jira refused; empty when all are accepted.
 */
export async function analyseExpressions(expressions: readonly string[]): Promise<RejectedExpression[]> {
  const { data } = await requestJira(route`/rest/api/3/expression/analyse?check=syntax`, {
    as: 'app',
    method: 'POST',
    body: { expressions },
    schema: analysisSchema,
  });
  return data.results
    .filter((r) => !r.valid)
    .map((r) => ({
      expression: r.expression,
      message: (r.errors ?? []).map((e) => (e.line !== undefined ? `${e.message} (line ${e.line}, column ${e.column ?? '?'})` : e.message)).join('; ') || 'invalid',
    }));
}

const workflowSearchSchema = z
  .object({ values: z.array(z.object({ id: z.string(), name: z.string(), description: z.string().optional() }).passthrough()) })
  .passthrough();

/**
 * The marker of what one environment of the app created: several environments (development, staging,
 * production) can be installed on one site, each with its own rule keys, and each must find and maintain only
 * its own workflow.
 */
export const environmentMarker = (environmentId: string): string => `[release-governance env:${environmentId}]`;

/** What `ensureWorkflow` did: found it up to date, updated its rules in place, or created it. */
export interface WorkflowOutcome {
  id: string;
  name: string;
  outcome: 'created' | 'updated' | 'upToDate';
  /** When updated: how many of set-up's transitions changed, and the workflow's version after. */
  transitionsUpdated?: number;
  versionNumber?: number;
}

export interface OwnedWorkflowSpec extends WorkflowSpec {
  environmentId: string;
  /** `ari:cloud:ecosystem::extension/{app}/{env}/static/`: rules whose key starts with it are this environment's own. */
  extensionPrefix: string;
}

/**
 * Finds this environment's workflow (name + environment marker) and brings it up to what the current set-up
 * creates (`bringWorkflowUpToDate`), or creates it. A site set up by an earlier version of the app thus gets
 * the current rules on the next set-up run or upgrade, and an up-to-date one is not written.
 */
export async function ensureWorkflow(spec: OwnedWorkflowSpec): Promise<WorkflowOutcome> {
  const found = await findOwnWorkflow(spec.name, spec.environmentId);
  if (found) {
    const res = await bringWorkflowUpToDate(found.id, spec);
    if (!res.updated) return { id: found.id, name: found.name, outcome: 'upToDate' };
    return { id: found.id, name: found.name, outcome: 'updated', transitionsUpdated: res.transitionsUpdated, ...(res.versionNumber === undefined ? {} : { versionNumber: res.versionNumber }) };
  }
  return { ...(await createWorkflow(spec)), outcome: 'created' };
}

async function findOwnWorkflow(name: string, environmentId: string): Promise<{ id: string; name: string } | null> {
  const { data } = await requestJira(route`/rest/api/3/workflows/search?queryString=${name}&maxResults=50`, { as: 'app', schema: workflowSearchSchema });
  const envMarker = environmentMarker(environmentId);
  const found = data.values.find((w) => w.name === name && ours(w.description) && (w.description ?? '').includes(envMarker));
  return found ? { id: found.id, name: found.name } : null;
}

const statusRef = (key: string) => `status-${key}`;

/** The workflow as set-up creates it now (status references = Jira status ids), for comparing with what Jira holds. */
export function wantedWorkflowDoc(spec: WorkflowSpec): WorkflowDoc {
  const id = (key: string) => spec.statusIds[key] ?? key;
  return {
    statuses: Object.values(spec.statusIds),
    transitions: spec.transitions.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      type: t.type,
      toStatusReference: id(t.to),
      links: t.from.map((f) => ({ fromStatusReference: id(f) })),
      properties: {},
      ...(t.conditions.length > 0 ? { conditions: { operation: 'ALL' as const, conditions: t.conditions.map((r) => ({ ruleKey: r.ruleKey, parameters: { ...r.parameters } })) } } : {}),
      validators: t.validators.map((r) => ({ ruleKey: r.ruleKey, parameters: { ...r.parameters } })),
      actions: [],
    })),
  };
}

const ruleReadSchema = z.object({ id: z.string().nullable().optional(), ruleKey: z.string(), parameters: z.record(z.string(), z.string()).optional() }).loose();
type GroupRead = { operation?: 'ALL' | 'ANY' | undefined; conditions?: z.infer<typeof ruleReadSchema>[] | undefined; conditionGroups?: GroupRead[] | undefined };
const groupReadSchema: z.ZodType<GroupRead> = z.lazy(() =>
  z.object({ operation: z.enum(['ALL', 'ANY']).optional(), conditions: z.array(ruleReadSchema).optional(), conditionGroups: z.array(groupReadSchema).optional() }).loose(),
);
const transitionReadSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    type: z.enum(['INITIAL', 'GLOBAL', 'DIRECTED']),
    toStatusReference: z.string(),
    links: z.array(z.object({ fromStatusReference: z.string(), fromPort: z.number().optional(), toPort: z.number().optional() }).loose()).optional(),
    conditions: groupReadSchema.nullable().optional(),
    validators: z.array(ruleReadSchema).optional(),
    actions: z.array(ruleReadSchema).optional(),
    properties: z.record(z.string(), z.string()).optional(),
  })
  .loose();
const workflowReadSchema = z
  .object({
    statuses: z.array(z.object({ id: z.string().optional(), name: z.string(), statusCategory: z.enum(['TODO', 'IN_PROGRESS', 'DONE']), statusReference: z.string() }).loose()),
    workflows: z.array(
      z
        .object({
          id: z.string(),
          name: z.string(),
          description: z.string().optional(),
          version: z.object({ id: z.string().optional(), versionNumber: z.number().optional() }).loose(),
          statuses: z.array(z.object({ statusReference: z.string(), properties: z.record(z.string(), z.string()).optional() }).loose()),
          transitions: z.array(transitionReadSchema),
        })
        .loose(),
    ),
  })
  .loose();
type WorkflowRead = z.infer<typeof workflowReadSchema>;

/** Reads one workflow with its transitions and rules (`POST /rest/api/3/workflows`, bulk get), or null when it is gone. */
async function readWorkflow(id: string): Promise<{ raw: WorkflowRead['workflows'][number]; statuses: WorkflowRead['statuses']; doc: WorkflowDoc } | null> {
  const { data } = await requestJira(route`/rest/api/3/workflows`, { as: 'app', method: 'POST', body: { workflowIds: [id] }, schema: workflowReadSchema });
  const raw = data.workflows.find((w) => w.id === id);
  if (!raw) return null;
  const rule = (r: z.infer<typeof ruleReadSchema>): RuleDoc => ({ ...(r.id ? { id: r.id } : {}), ruleKey: r.ruleKey, parameters: { ...(r.parameters ?? {}) } });
  const group = (g: GroupRead | null | undefined): ConditionGroupDoc | undefined =>
    g ? { operation: g.operation ?? 'ALL', conditions: (g.conditions ?? []).map(rule), conditionGroups: (g.conditionGroups ?? []).map((x) => group(x) as ConditionGroupDoc) } : undefined;
  const doc: WorkflowDoc = {
    statuses: raw.statuses.map((s) => s.statusReference),
    transitions: raw.transitions.map((t): TransitionDoc => {
      const conditions = group(t.conditions);
      return {
        id: t.id,
        name: t.name,
        description: t.description ?? '',
        type: t.type,
        toStatusReference: t.toStatusReference,
        links: (t.links ?? []).map((l) => ({ fromStatusReference: l.fromStatusReference, ...(l.fromPort === undefined ? {} : { fromPort: l.fromPort }), ...(l.toPort === undefined ? {} : { toPort: l.toPort }) })),
        ...(conditions ? { conditions } : {}),
        validators: (t.validators ?? []).map(rule),
        actions: (t.actions ?? []).map(rule),
        properties: { ...(t.properties ?? {}) },
      };
    }),
  };
  return { raw, statuses: data.statuses, doc };
}

/** Whether this environment's workflow holds what the current set-up creates; null when set-up has made none yet. */
export async function workflowDrift(workflowId: string, spec: OwnedWorkflowSpec): Promise<WorkflowUpdatePlan | null> {
  const current = await readWorkflow(workflowId);
  return current ? planWorkflowUpdate(current.doc, wantedWorkflowDoc(spec), ownRuleOf(spec.extensionPrefix)) : null;
}

/** Attempts at read-compare-update when another writer's update lands in between (Jira's 409) or Jira's answer is lost. */
const UPDATE_ATTEMPTS = 3;

/**
 * Brings an existing workflow of ours to what the current set-up creates, in place (`POST
 * /rest/api/3/workflows/update`, with the version it was read with): reads it, compares (`planWorkflowUpdate`),
 * and when — only when — something differs, validates the update with Jira (`/workflows/update/validation`) and
 * sends it. Sent once per attempt: a version conflict (someone else updated it in between) or a lost answer
 * (the update may have landed) is followed by a fresh read, which finds it up to date or tries again.
 */
export async function bringWorkflowUpToDate(workflowId: string, spec: OwnedWorkflowSpec): Promise<{ updated: boolean; transitionsUpdated: number; versionNumber?: number }> {
  const wanted = wantedWorkflowDoc(spec);
  const isOwn = ownRuleOf(spec.extensionPrefix);
  let sent: WorkflowUpdatePlan | null = null;
  let lastError: unknown;
  const changedIn = (plan: WorkflowUpdatePlan) => plan.changed.transitions.length + plan.changed.transitionsRemoved.length;
  for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
    const current = await readWorkflow(workflowId);
    if (!current) throw new Error(`The workflow ${spec.name} is gone from Jira`);
    const plan = planWorkflowUpdate(current.doc, wanted, isOwn);
    if (plan.upToDate) {
      // Up to date after an update whose answer was lost (or that another writer made): it landed.
      return sent ? { updated: true, transitionsUpdated: changedIn(sent), ...versionOf(current.raw) } : { updated: false, transitionsUpdated: 0 };
    }
    const body = updateBody(current, plan.next, spec);
    const validation = await requestJira(route`/rest/api/3/workflows/update/validation`, {
      as: 'app',
      method: 'POST',
      body: { payload: body, validationOptions: { levels: ['ERROR'] } },
      schema: z.object({ errors: z.array(z.object({ message: z.string().optional() }).passthrough()).optional() }).passthrough(),
    });
    const errors = validation.data.errors ?? [];
    if (errors.length > 0) throw new Error(`Jira refused the workflow update: ${errors.map((e) => e.message ?? '?').join('; ')}`);
    try {
      sent = plan;
      const { data } = await requestJira(route`/rest/api/3/workflows/update`, { as: 'app', method: 'POST', body, retry: SINGLE_ATTEMPT, schema: workflowUpdatedSchema });
      const after = data.workflows.find((w) => w.id === workflowId);
      return { updated: true, transitionsUpdated: changedIn(plan), ...(after ? versionOf(after) : {}) };
    } catch (err) {
      // 409: the version we read is stale; a retryable status: the update may or may not have landed. Read again.
      if (err instanceof JiraError && (err.status === 409 || err.retryable)) {
        lastError = err;
        continue;
      }
      throw err;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(`The workflow ${spec.name} could not be updated`);
}

const workflowUpdatedSchema = z.object({ workflows: z.array(z.object({ id: z.string(), version: z.object({ versionNumber: z.number().optional() }).loose().optional() }).loose()) }).loose();
const versionOf = (w: { version?: { versionNumber?: number | undefined } | undefined }): { versionNumber?: number } =>
  w.version?.versionNumber === undefined ? {} : { versionNumber: w.version.versionNumber };

/** The `WorkflowUpdateRequest`: the whole workflow, what set-up does not own carried over as read. */
function updateBody(current: NonNullable<Awaited<ReturnType<typeof readWorkflow>>>, next: WorkflowDoc, spec: WorkflowSpec): Record<string, unknown> {
  const names = new Map(
    Object.entries(spec.statusIds).map(([key, id]) => [
      id,
      { name: spec.statusNames[key] ?? key, statusCategory: spec.statusCategories[key] ?? 'IN_PROGRESS', description: described(spec.statusDescriptions?.[key] ?? '').trim() },
    ]),
  );
  const known = new Map(current.statuses.map((s) => [s.statusReference, s]));
  const layout = new Map(current.raw.statuses.map((s) => [s.statusReference, s]));
  const rawTransitions = new Map(current.raw.transitions.map((t) => [t.id, t]));
  const { id: _id, name: _name, version, statuses: _s, transitions: _t, scope: _scope, created: _c, updated: _u, isEditable: _e, taskId: _task, ...rest } = current.raw as WorkflowRead['workflows'][number] & Record<string, unknown>;
  return {
    statuses: next.statuses.map((id) => {
      const k = known.get(id);
      const mine = names.get(id);
      // The update API also updates the statuses it is given: each goes back with its name and description as
      // they are (our marker in the description is how set-up finds them again).
      const description = k ? (typeof k.description === 'string' ? k.description : undefined) : mine?.description;
      return { id, statusReference: id, name: k?.name ?? mine?.name ?? id, statusCategory: k?.statusCategory ?? mine?.statusCategory ?? 'IN_PROGRESS', ...(description === undefined ? {} : { description }) };
    }),
    workflows: [
      {
        ...rest,
        id: current.raw.id,
        version,
        statuses: next.statuses.map((id) => {
          const had = layout.get(id);
          return had ? { ...had, properties: had.properties ?? {} } : { statusReference: id, properties: {} };
        }),
        transitions: next.transitions.map((t) => {
          const { conditions: _drop, ...raw } = (rawTransitions.get(t.id) ?? {}) as Record<string, unknown>;
          return { ...raw, ...t, ...(t.conditions ? { conditions: t.conditions } : {}) };
        }),
      },
    ],
  };
}

async function createWorkflow(spec: OwnedWorkflowSpec): Promise<{ id: string; name: string }> {
  const envMarker = environmentMarker(spec.environmentId);
  const ref = statusRef;
  const body = {
    scope: { type: 'GLOBAL' },
    statuses: Object.entries(spec.statusIds).map(([key, id]) => ({
      id,
      name: spec.statusNames[key] ?? key,
      statusCategory: spec.statusCategories[key] ?? 'IN_PROGRESS',
      statusReference: ref(key),
    })),
    workflows: [
      {
        name: spec.name,
        description: `${described(spec.description)} ${envMarker}`,
        statuses: Object.keys(spec.statusIds).map((key) => ({ statusReference: ref(key), properties: {} })),
        transitions: spec.transitions.map((t) => ({
          id: t.id,
          name: t.name,
          description: t.description,
          type: t.type,
          toStatusReference: ref(t.to),
          links: t.from.map((f) => ({ fromStatusReference: ref(f) })),
          properties: {},
          ...(t.conditions.length > 0 ? { conditions: { operation: 'ALL', conditions: t.conditions } } : {}),
          validators: t.validators,
        })),
      },
    ],
  };
  const validation = await requestJira(route`/rest/api/3/workflows/create/validation`, { as: 'app',
    method: 'POST',
    body: { payload: body, validationOptions: { levels: ['ERROR'] } },
    schema: z.object({ errors: z.array(z.object({ message: z.string().optional() }).passthrough()).optional() }).passthrough(),
  });
  const errors = validation.data.errors ?? [];
  if (errors.length > 0) throw new Error(`Jira refused the workflow: ${errors.map((e) => e.message ?? '?').join('; ')}`);
  const made = await createOnce(
    // A lost answer: the workflow this environment created, found by name and its environment marker.
    () => findOwnWorkflow(spec.name, spec.environmentId),
    async () => {
      const { data: created } = await requestJira(route`/rest/api/3/workflows/create`, {
        as: 'app',
        method: 'POST',
        body,
        schema: z.object({ workflows: z.array(z.object({ id: z.string(), name: z.string() }).passthrough()) }).passthrough(),
        retry: SINGLE_ATTEMPT,
      });
      const wf = created.workflows.find((w) => w.name === spec.name);
      if (!wf) throw new Error('Jira did not return the created workflow');
      return { id: wf.id, name: wf.name };
    },
    { findFirst: false },
  );
  return made.value;
}

const schemeProjectSchema = z
  .object({
    values: z.array(
      z
        .object({
          projectIds: z.array(z.string()),
          workflowScheme: z
            .object({
              id: z.number().optional(),
              name: z.string().optional(),
              description: z.string().optional(),
              defaultWorkflow: z.string().optional(),
              issueTypeMappings: z.record(z.string(), z.string()).optional(),
            })
            .passthrough(),
        })
        .passthrough(),
    ),
  })
  .passthrough();

const schemeReadSchema = z.array(
  z
    .object({
      id: z.string(),
      name: z.string(),
      description: z.string().nullable().optional(),
      defaultWorkflow: z.object({ id: z.string() }).loose().optional(),
      version: z.object({ id: z.string().optional(), versionNumber: z.number().optional() }).loose(),
      workflowsForIssueTypes: z.array(z.object({ issueTypeIds: z.array(z.string()), workflow: z.object({ id: z.string() }).loose() }).loose()),
    })
    .loose(),
);

/**
 * Makes the project use our workflow for our issue type; the project's other issue types keep theirs.
 * A project without issues gets its own scheme (a copy of the current mappings plus ours), so a scheme
 * other projects share is never edited. A project that has issues cannot switch schemes without a status
 * migration, so its current scheme gains the mapping for our issue type instead, which no existing issue
 * uses and so needs no migration.
 */
export async function ensureWorkflowScheme(projectId: string, projectKey: string, issueTypeId: string, workflow: { id: string; name: string }): Promise<number> {
  const { data } = await requestJira(route`/rest/api/3/workflowscheme/project?projectId=${projectId}`, { as: 'app', schema: schemeProjectSchema });
  const current = data.values[0]?.workflowScheme;
  if (current?.id !== undefined && current.issueTypeMappings?.[issueTypeId] === workflow.name) return current.id;
  if (await projectHasIssues(projectId)) return extendCurrentScheme(projectId, projectKey, issueTypeId, workflow);
  const name = `Release Governance ${projectKey}`;
  // A scheme of ours for this project may exist already (an earlier run whose answer was lost, or that
  // stopped before assigning it): found by name and marker, then assigned.
  const { value: created } = await createOnce(
    () => findOwnScheme(name),
    async () =>
      (
        await requestJira(route`/rest/api/3/workflowscheme`, {
          as: 'app',
          method: 'POST',
          body: {
            name,
            description: described(`Workflows of project ${projectKey} with the Release Request workflow.`),
            defaultWorkflow: current?.defaultWorkflow ?? 'jira',
            issueTypeMappings: { ...(current?.issueTypeMappings ?? {}), [issueTypeId]: workflow.name },
          },
          schema: z.object({ id: z.number() }).passthrough(),
          retry: SINGLE_ATTEMPT,
        })
      ).data,
    { findFirst: true },
  );
  await requestJira(route`/rest/api/3/workflowscheme/project`, { as: 'app', method: 'PUT', body: { projectId, workflowSchemeId: String(created.id) } });
  return created.id;
}

const schemePageSchema = z
  .object({ isLast: z.boolean().optional(), values: z.array(z.object({ id: z.number(), name: z.string(), description: z.string().optional() }).passthrough()) })
  .passthrough();

/** The workflow scheme set-up created under `name` (its marker in the description), or null. */
async function findOwnScheme(name: string): Promise<{ id: number } | null> {
  for (let startAt = 0; startAt < 1000; startAt += 50) {
    const { data } = await requestJira(route`/rest/api/3/workflowscheme?startAt=${startAt}&maxResults=50`, { as: 'app', schema: schemePageSchema });
    const hit = data.values.find((x) => x.name === name && ours(x.description));
    if (hit) return { id: hit.id };
    if (data.isLast !== false || data.values.length === 0) return null;
  }
  return null;
}

async function projectHasIssues(projectId: string): Promise<boolean> {
  const jql = `project = ${projectId}`;
  const { data } = await requestJira(route`/rest/api/3/search/jql?jql=${jql}&maxResults=1&fields=id`, {
    as: 'app',
    schema: z.object({ issues: z.array(z.unknown()).optional() }).loose(),
  });
  return (data.issues ?? []).length > 0;
}

async function extendCurrentScheme(projectId: string, projectKey: string, issueTypeId: string, workflow: { id: string; name: string }): Promise<number> {
  const { data: read } = await requestJira(route`/rest/api/3/workflowscheme/read`, { as: 'app', method: 'POST', body: { projectIds: [projectId] }, schema: schemeReadSchema });
  const scheme = read[0];
  if (!scheme) throw new Error(`Project ${projectKey} has no workflow scheme to extend`);
  const mappings = scheme.workflowsForIssueTypes
    .map((m) => ({ workflowId: m.workflow.id, issueTypeIds: m.issueTypeIds.filter((t) => t !== issueTypeId) }))
    .filter((m) => m.issueTypeIds.length > 0);
  mappings.push({ workflowId: workflow.id, issueTypeIds: [issueTypeId] });
  await requestJira(route`/rest/api/3/workflowscheme/update`, { as: 'app',
    method: 'POST',
    body: {
      id: scheme.id,
      name: scheme.name,
      description: scheme.description ?? '',
      version: scheme.version,
      ...(scheme.defaultWorkflow ? { defaultWorkflowId: scheme.defaultWorkflow.id } : {}),
      workflowsForIssueTypes: mappings,
    },
  });
  return Number(scheme.id);
}
