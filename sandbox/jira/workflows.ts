import { badRequest, conflict, fieldErrors, isObject, noContent, notFound, ok, queryInt, queryList } from './http';
import { createStatus, requireScopeAdmin, statusByName } from './issuetypes-statuses';
import { route, type Route } from './router';
import type { Site } from './site';
import type { ConditionGroup, RuleConfig, StatusCategory, StoredTransition, WorkflowRow, WorkflowSchemeRow } from './state';
import { ruleProblem } from './workflow-engine';
import type { JiraActor } from '../runtime/backends';

/**
 * The bulk workflow API (`/workflows/create`, `/workflows/update`, their validations, bulk get `POST /workflows`,
 * search) and workflow schemes.
 */

interface ValidationError {
  code: string;
  level: 'ERROR' | 'WARNING';
  message: string;
  type: 'RULE' | 'STATUS' | 'WORKFLOW' | 'TRANSITION' | 'SCOPE';
  elementReference?: { statusReference?: string; transitionId?: string; ruleId?: string };
}

type Obj = Record<string, unknown>;
const objs = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObject) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

function rulesOf(v: unknown): RuleConfig[] {
  return objs(v).map((r) => ({
    ...(typeof r.id === 'string' ? { id: r.id } : {}),
    ruleKey: str(r.ruleKey),
    parameters: Object.fromEntries(Object.entries(isObject(r.parameters) ? r.parameters : {}).map(([k, x]) => [k, str(x)])),
  }));
}

function groupOf(v: unknown): ConditionGroup | undefined {
  if (!isObject(v)) return undefined;
  return {
    operation: v.operation === 'ANY' ? 'ANY' : 'ALL',
    conditions: rulesOf(v.conditions),
    conditionGroups: objs(v.conditionGroups).map((g) => groupOf(g)).filter((g): g is ConditionGroup => g !== undefined),
  };
}

function allConditionRules(g: ConditionGroup | undefined): RuleConfig[] {
  if (!g) return [];
  return [...(g.conditions ?? []), ...(g.conditionGroups ?? []).flatMap(allConditionRules)];
}

interface Plan {
  scopeProjectId: number | null;
  /** statusReference → existing status id, or a status to create. */
  statuses: Map<string, { id?: number; name: string; description: string; category: StatusCategory }>;
  workflows: Obj[];
  errors: ValidationError[];
}

/** Resolves a request's `statuses` (WorkflowStatusUpdate / create): by `id`, else by name in the scope, else a status to create. */
function resolveStatuses(site: Site, list: unknown, scopeProjectId: number | null, errors: ValidationError[]): Plan['statuses'] {
  const statuses: Plan['statuses'] = new Map();
  for (const s of objs(list)) {
    const ref = str(s.statusReference);
    const id = str(s.id);
    const category = (str(s.statusCategory) || 'TODO') as StatusCategory;
    if (id) {
      const existing = site.state.status(id);
      if (!existing) {
        errors.push({ code: 'STATUS_NOT_FOUND', level: 'ERROR', message: `The status '${id}' does not exist.`, type: 'STATUS', elementReference: { statusReference: ref } });
        continue;
      }
      statuses.set(ref, { id: existing.id, name: existing.name, description: existing.description, category: existing.category });
    } else {
      const existing = statusByName(site, str(s.name), scopeProjectId);
      statuses.set(ref, existing
        ? { id: existing.id, name: existing.name, description: existing.description, category: existing.category }
        : { name: str(s.name), description: str(s.description), category });
    }
  }
  return statuses;
}

/**
 * The checks a workflow's statuses and transitions get on create and on update alike: status references
 * defined (in the request's `statuses`, or — on update — an id the workflow already has), one INITIAL
 * transition, unique transition ids, rules the site can run.
 */
function checkWorkflowShape(site: Site, wf: Obj, name: string, statuses: Plan['statuses'], errors: ValidationError[], known: ReadonlySet<string> = new Set()): void {
  const refs = new Set(objs(wf.statuses).map((s) => str(s.statusReference)));
  for (const ref of refs) {
    if (!statuses.has(ref) && !known.has(ref)) {
      errors.push({ code: 'UNKNOWN_STATUS_REFERENCE', level: 'ERROR', message: `The status reference '${ref}' is not defined in 'statuses'.`, type: 'STATUS', elementReference: { statusReference: ref } });
    }
  }
  const transitions = objs(wf.transitions);
  if (transitions.filter((t) => t.type === 'INITIAL').length !== 1) {
    errors.push({ code: 'INITIAL_TRANSITION', level: 'ERROR', message: `Workflow '${name}' must have exactly one INITIAL transition.`, type: 'WORKFLOW' });
  }
  const ids = new Set<string>();
  for (const t of transitions) {
    const tid = str(t.id);
    const ref = { transitionId: tid };
    if (!tid || ids.has(tid)) errors.push({ code: 'TRANSITION_ID', level: 'ERROR', message: `Transition ids must be given and unique ('${tid}').`, type: 'TRANSITION', elementReference: ref });
    ids.add(tid);
    if (!refs.has(str(t.toStatusReference))) {
      errors.push({ code: 'UNKNOWN_STATUS_REFERENCE', level: 'ERROR', message: `Transition '${tid}' goes to a status that is not in the workflow.`, type: 'TRANSITION', elementReference: ref });
    }
    for (const l of objs(t.links)) {
      if (!refs.has(str(l.fromStatusReference))) {
        errors.push({ code: 'UNKNOWN_STATUS_REFERENCE', level: 'ERROR', message: `Transition '${tid}' leaves a status that is not in the workflow.`, type: 'TRANSITION', elementReference: ref });
      }
    }
    const checks: [RuleConfig[], 'condition' | 'validator' | 'action'][] = [
      [allConditionRules(groupOf(t.conditions)), 'condition'],
      [rulesOf(t.validators), 'validator'],
      [rulesOf(t.actions), 'action'],
    ];
    for (const [rules, kind] of checks) {
      for (const r of rules) {
        const problem = ruleProblem(site, r, kind);
        if (problem) errors.push({ code: 'INVALID_RULE', level: 'ERROR', message: problem, type: 'RULE', elementReference: { transitionId: tid, ...(r.id ? { ruleId: r.id } : {}) } });
      }
    }
  }
}

/** Checks a WorkflowCreateRequest without changing anything. */
function plan(site: Site, actor: JiraActor, body: Obj): Plan {
  const errors: ValidationError[] = [];
  const scope = isObject(body.scope) ? body.scope : { type: 'GLOBAL' };
  const projectRef = isObject(scope.project) ? str(scope.project.id) : '';
  if (scope.type === 'PROJECT' && !site.state.project(projectRef)) {
    errors.push({ code: 'INVALID_SCOPE', level: 'ERROR', message: `The project '${projectRef}' does not exist.`, type: 'SCOPE' });
  }
  const scopeProjectId = scope.type === 'PROJECT' ? Number(projectRef) : null;
  requireScopeAdmin(site, actor, scope.type === 'PROJECT' && site.state.project(projectRef) ? projectRef : null);

  const statuses = resolveStatuses(site, body.statuses, scopeProjectId, errors);

  const names = new Set<string>();
  const workflows = objs(body.workflows);
  for (const wf of workflows) {
    const name = str(wf.name).trim();
    if (!name) errors.push({ code: 'MISSING_NAME', level: 'ERROR', message: 'A workflow name is required.', type: 'WORKFLOW' });
    else if (site.state.workflowByName(name) || names.has(name)) {
      errors.push({ code: 'NON_UNIQUE_WORKFLOW_NAME', level: 'ERROR', message: `A workflow with the name '${name}' already exists.`, type: 'WORKFLOW' });
    }
    names.add(name);
    checkWorkflowShape(site, wf, name, statuses, errors);
  }
  return { scopeProjectId, statuses, workflows, errors };
}

interface UpdatePlan {
  statuses: Plan['statuses'];
  workflows: { row: WorkflowRow; body: Obj }[];
  errors: ValidationError[];
  /** Workflows whose `version` is not the current one (Jira answers 409). */
  stale: string[];
}

/**
 * Checks a WorkflowUpdateRequest without changing anything: each workflow by `id` (required, with its
 * `version`, `statuses` and `transitions` — the whole new content, as Jira takes it), the caller allowed to
 * edit its scope, the same shape checks as on create. A status the update drops while issues of the
 * workflow are in it would need `statusMappings` and a migration task, which the emulator does not run.
 */
function planUpdate(site: Site, actor: JiraActor, body: Obj): UpdatePlan {
  const errors: ValidationError[] = [];
  const stale: string[] = [];
  const statuses = resolveStatuses(site, body.statuses, null, errors);
  const workflows: UpdatePlan['workflows'] = [];
  const seen = new Set<string>();
  for (const wf of objs(body.workflows)) {
    const wid = str(wf.id);
    const row = wid ? site.state.workflow(wid) : undefined;
    if (!row) {
      errors.push({ code: 'WORKFLOW_NOT_FOUND', level: 'ERROR', message: `The workflow '${wid}' does not exist.`, type: 'WORKFLOW' });
      continue;
    }
    if (seen.has(row.id)) {
      errors.push({ code: 'DUPLICATE_WORKFLOW', level: 'ERROR', message: `The workflow '${row.name}' is in the request more than once.`, type: 'WORKFLOW' });
      continue;
    }
    seen.add(row.id);
    requireScopeAdmin(site, actor, row.scopeProjectId);
    const version = isObject(wf.version) ? wf.version : {};
    if (version.versionNumber !== row.versionNumber || (version.id !== undefined && str(version.id) !== row.versionId)) stale.push(row.name);
    if (!Array.isArray(wf.statuses) || !Array.isArray(wf.transitions)) {
      errors.push({ code: 'MISSING_FIELD', level: 'ERROR', message: `Workflow '${row.name}': 'statuses' and 'transitions' are required.`, type: 'WORKFLOW' });
      continue;
    }
    checkWorkflowShape(site, wf, row.name, statuses, errors, new Set(row.statusIds));
    const kept = new Set(objs(wf.statuses).map((x) => statuses.get(str(x.statusReference))?.id ?? str(x.statusReference)).map(String));
    for (const issue of issuesOfWorkflow(site, row)) {
      if (!kept.has(String(issue.statusId))) {
        errors.push({
          code: 'STATUS_MIGRATION_REQUIRED',
          level: 'ERROR',
          message: `Issue ${issue.key} is in a status that the updated workflow '${row.name}' no longer has; status migration is not supported by the local Jira emulator.`,
          type: 'STATUS',
        });
        break;
      }
    }
    workflows.push({ row, body: wf });
  }
  if (workflows.length === 0 && errors.length === 0) errors.push({ code: 'MISSING_FIELD', level: 'ERROR', message: 'No workflow to update.', type: 'WORKFLOW' });
  return { statuses, workflows, errors, stale };
}

/** Issues whose project's workflow scheme maps their issue type (or the default) to this workflow. */
function issuesOfWorkflow(site: Site, wf: WorkflowRow): { key: string; statusId: number | string }[] {
  const schemes = new Map(site.state.workflowSchemes().map((x) => [x.id, x]));
  const projects = site.state.projects();
  const out: { key: string; statusId: number | string }[] = [];
  for (const issue of site.state.issues(projects.map((p) => p.id))) {
    const project = projects.find((p) => p.id === issue.projectId);
    const scheme = project ? schemes.get(project.workflowSchemeId) : undefined;
    if (!scheme) continue;
    if ((scheme.issueTypeMappings[String(issue.issueTypeId)] ?? scheme.defaultWorkflow) === wf.name) out.push(issue);
  }
  return out;
}

/** Rule ids a request may keep: on create any it gives ('any'), on update only the workflow's current ones. */
type KeepIds = ReadonlySet<string> | 'any';

function withRuleIds(site: Site, rules: RuleConfig[], keep: KeepIds): RuleConfig[] {
  return rules.map((r) => ({ ...r, id: r.id && (keep === 'any' || keep.has(r.id)) ? r.id : site.state.uuid() }));
}

function groupWithIds(site: Site, g: ConditionGroup | undefined, keep: KeepIds): ConditionGroup | undefined {
  if (!g) return undefined;
  return {
    operation: g.operation,
    conditions: withRuleIds(site, g.conditions ?? [], keep),
    conditionGroups: (g.conditionGroups ?? []).map((x) => groupWithIds(site, x, keep) as ConditionGroup),
  };
}

/**
 * A request's transitions as stored. On create a rule keeps the id it gives (or gets one); on update a rule
 * that names one of the workflow's current rule ids keeps it, any other gets a new one.
 */
function storedTransitions(site: Site, wf: Obj, id: (ref: unknown) => string, keep: KeepIds): StoredTransition[] {
  return objs(wf.transitions).map((t) => {
    const conditions = groupWithIds(site, groupOf(t.conditions), keep);
    return {
      id: str(t.id),
      name: str(t.name),
      description: str(t.description),
      type: (str(t.type) || 'DIRECTED') as StoredTransition['type'],
      toStatusId: id(t.toStatusReference),
      links: objs(t.links).map((l) => ({
        fromStatusId: id(l.fromStatusReference),
        ...(typeof l.fromPort === 'number' ? { fromPort: l.fromPort } : {}),
        ...(typeof l.toPort === 'number' ? { toPort: l.toPort } : {}),
      })),
      ...(conditions ? { conditions } : {}),
      validators: withRuleIds(site, rulesOf(t.validators), keep),
      actions: withRuleIds(site, rulesOf(t.actions), keep),
      properties: Object.fromEntries(Object.entries(isObject(t.properties) ? t.properties : {}).map(([k, v]) => [k, str(v)])),
    };
  });
}

function ruleIdsOf(wf: WorkflowRow): Set<string> {
  const out = new Set<string>();
  for (const t of wf.transitions) {
    for (const r of [...allConditionRules(t.conditions), ...t.validators, ...t.actions]) if (r.id) out.add(r.id);
  }
  return out;
}

export function workflowJson(site: Site, wf: WorkflowRow, withTransitions = true): Record<string, unknown> {
  return {
    id: wf.id,
    name: wf.name,
    description: wf.description,
    scope: wf.scopeProjectId === null ? { type: 'GLOBAL' } : { type: 'PROJECT', project: { id: String(wf.scopeProjectId) } },
    statuses: wf.statusIds.map((id) => ({ statusReference: id, properties: wf.statusProperties[id] ?? {}, deprecated: false })),
    ...(withTransitions
      ? {
          transitions: wf.transitions.map((t) => ({
            id: t.id,
            name: t.name,
            description: t.description,
            type: t.type,
            toStatusReference: t.toStatusId,
            links: t.links.map((l) => ({ fromStatusReference: l.fromStatusId, ...(l.fromPort === undefined ? {} : { fromPort: l.fromPort }), ...(l.toPort === undefined ? {} : { toPort: l.toPort }) })),
            ...(t.conditions ? { conditions: t.conditions } : {}),
            validators: t.validators,
            actions: t.actions,
            triggers: [],
            properties: t.properties,
          })),
        }
      : {}),
    version: { id: wf.versionId, versionNumber: wf.versionNumber },
    created: wf.created,
    updated: wf.updated,
    isEditable: true,
  };
}

function workflowStatuses(site: Site, workflows: WorkflowRow[]): Record<string, unknown>[] {
  const ids = [...new Set(workflows.flatMap((w) => w.statusIds))];
  return ids.map((id) => site.state.status(id)).filter((s) => s !== undefined).map((s) => ({ ...site.jiraStatus(s), statusReference: String(s.id) }));
}

function schemeJson(site: Site, s: WorkflowSchemeRow): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    defaultWorkflow: s.defaultWorkflow,
    issueTypeMappings: s.issueTypeMappings,
    self: site.url(`/rest/api/3/workflowscheme/${s.id}`),
  };
}

function workflowMeta(wf: WorkflowRow): Record<string, unknown> {
  return { id: wf.id, name: wf.name, description: wf.description, version: { id: wf.versionId, versionNumber: wf.versionNumber } };
}

function workflowNameById(site: Site, id: string): string {
  const wf = site.state.workflow(id);
  if (!wf) throw badRequest(`The workflow '${id}' does not exist.`);
  return wf.name;
}

export const workflowRoutes: Route[] = [
  route('POST', '/rest/api/3/workflows/create/validation', (req, site) => {
    const body = isObject(req.body) ? req.body : {};
    const payload = isObject(body.payload) ? body.payload : {};
    return ok({ errors: plan(site, req.actor, payload).errors });
  }),

  route('POST', '/rest/api/3/workflows/create', (req, site) => {
    const body = isObject(req.body) ? req.body : {};
    const p = plan(site, req.actor, body);
    if (p.errors.length > 0) throw badRequest(p.errors.map((e) => e.message));
    const now = new Date().toISOString();
    const created = site.state.transaction(() => {
      const refToId = new Map<string, string>();
      for (const [ref, s] of p.statuses) {
        const id = s.id ?? createStatus(site, s.name, s.description, s.category, p.scopeProjectId).id;
        refToId.set(ref, String(id));
      }
      const id = (ref: unknown): string => refToId.get(str(ref)) ?? str(ref);
      return p.workflows.map((wf) => {
        const transitions = storedTransitions(site, wf, id, 'any');
        const row: WorkflowRow = {
          id: site.state.uuid(),
          name: str(wf.name).trim(),
          description: str(wf.description),
          scopeProjectId: p.scopeProjectId,
          statusIds: objs(wf.statuses).map((s) => id(s.statusReference)),
          statusProperties: Object.fromEntries(
            objs(wf.statuses).map((s) => [id(s.statusReference), Object.fromEntries(Object.entries(isObject(s.properties) ? s.properties : {}).map(([k, v]) => [k, str(v)]))]),
          ),
          transitions,
          created: now,
          updated: now,
          versionId: site.state.uuid(),
          versionNumber: 0,
        };
        site.state.putWorkflow(row);
        return row;
      });
    });
    return ok({ statuses: workflowStatuses(site, created), workflows: created.map((w) => workflowJson(site, w)) });
  }),

  route('POST', '/rest/api/3/workflows', (req, site) => {
    const body = isObject(req.body) ? req.body : {};
    const admin = site.isSiteAdmin(req.actor);
    site.actorAccountId(req.actor);
    const ids = new Set((Array.isArray(body.workflowIds) ? body.workflowIds : []).map(str));
    const names = new Set((Array.isArray(body.workflowNames) ? body.workflowNames : []).map(str));
    const byPair = new Set<string>();
    for (const pair of objs(body.projectAndIssueTypes)) {
      const p = site.state.project(str(pair.projectId));
      const scheme = p ? site.state.workflowScheme(p.workflowSchemeId) : undefined;
      if (scheme) byPair.add(scheme.issueTypeMappings[str(pair.issueTypeId)] ?? scheme.defaultWorkflow);
    }
    const found = site.state
      .workflows()
      .filter((w) => ids.has(w.id) || names.has(w.name) || byPair.has(w.name))
      .filter((w) => {
        if (admin) return true;
        const p = w.scopeProjectId === null ? undefined : site.state.project(w.scopeProjectId);
        return p !== undefined && site.projectPermissions(req.actor, p).has('ADMINISTER_PROJECTS');
      });
    return ok({ statuses: workflowStatuses(site, found), workflows: found.map((w) => workflowJson(site, w)) });
  }),

  route('POST', '/rest/api/3/workflows/update/validation', (req, site) => {
    const body = isObject(req.body) ? req.body : {};
    const payload = isObject(body.payload) ? body.payload : {};
    const options = isObject(body.validationOptions) ? body.validationOptions : {};
    const levels = Array.isArray(options.levels) && options.levels.length > 0 ? options.levels.map(str) : ['ERROR', 'WARNING'];
    return ok({ errors: planUpdate(site, req.actor, payload).errors.filter((e) => levels.includes(e.level)) });
  }),

  route('POST', '/rest/api/3/workflows/update', (req, site) => {
    const body = isObject(req.body) ? req.body : {};
    const p = planUpdate(site, req.actor, body);
    if (p.errors.length > 0) throw badRequest(p.errors.map((e) => e.message));
    // The version read with the workflow must still be the current one: a writer that read before another
    // update landed is refused, and reads again (optimistic concurrency, as Jira's workflow versions work).
    if (p.stale.length > 0) throw conflict('Workflow version and version token must match.');
    const now = new Date().toISOString();
    const updated = site.state.transaction(() => {
      const refToId = new Map<string, string>();
      for (const [ref, s] of p.statuses) {
        const id = s.id ?? createStatus(site, s.name, s.description, s.category, null).id;
        refToId.set(ref, String(id));
      }
      const id = (ref: unknown): string => refToId.get(str(ref)) ?? str(ref);
      return p.workflows.map(({ row, body: wf }) => {
        const next: WorkflowRow = {
          ...row,
          description: typeof wf.description === 'string' ? wf.description : row.description,
          statusIds: objs(wf.statuses).map((s) => id(s.statusReference)),
          statusProperties: Object.fromEntries(
            objs(wf.statuses).map((s) => [id(s.statusReference), Object.fromEntries(Object.entries(isObject(s.properties) ? s.properties : {}).map(([k, v]) => [k, str(v)]))]),
          ),
          transitions: storedTransitions(site, wf, id, ruleIdsOf(row)),
          updated: now,
          versionId: site.state.uuid(),
          versionNumber: row.versionNumber + 1,
        };
        site.state.putWorkflow(next);
        return next;
      });
    });
    return ok({ statuses: workflowStatuses(site, updated), workflows: updated.map((w) => workflowJson(site, w)) });
  }),

  route('GET', '/rest/api/3/workflows/search', (req, site) => {
    site.actorAccountId(req.actor);
    const admin = site.isSiteAdmin(req.actor);
    const startAt = queryInt(req.query, 'startAt', 0);
    const maxResults = Math.min(queryInt(req.query, 'maxResults', 50), 200);
    const q = (req.query.get('queryString') ?? '').toLowerCase();
    const scope = req.query.get('scope');
    const expand = queryList(req.query, 'expand');
    const list = site.state
      .workflows()
      .filter((w) => {
        if (admin) return true;
        const p = w.scopeProjectId === null ? undefined : site.state.project(w.scopeProjectId);
        return p !== undefined && site.projectPermissions(req.actor, p).has('ADMINISTER_PROJECTS');
      })
      .filter((w) => !q || w.name.toLowerCase().includes(q))
      .filter((w) => !scope || (scope === 'GLOBAL') === (w.scopeProjectId === null));
    const values = list.slice(startAt, startAt + maxResults);
    return ok({
      self: site.url('/rest/api/3/workflows/search'),
      startAt,
      maxResults,
      total: list.length,
      isLast: startAt + values.length >= list.length,
      statuses: workflowStatuses(site, values),
      values: values.map((w) => workflowJson(site, w, expand.includes('values.transitions'))),
    });
  }),

  route('POST', '/rest/api/3/workflowscheme', (req, site) => {
    site.requireSiteAdmin(req.actor);
    const body = isObject(req.body) ? req.body : {};
    const name = str(body.name).trim();
    if (!name) throw fieldErrors({ name: 'A workflow scheme name is required.' });
    const defaultWorkflow = str(body.defaultWorkflow) || 'jira';
    const mappings = Object.fromEntries(Object.entries(isObject(body.issueTypeMappings) ? body.issueTypeMappings : {}).map(([k, v]) => [k, str(v)]));
    for (const wfName of [defaultWorkflow, ...Object.values(mappings)]) {
      if (!site.state.workflowByName(wfName)) throw badRequest(`The workflow '${wfName}' does not exist.`);
    }
    for (const typeId of Object.keys(mappings)) if (!site.state.issueType(typeId)) throw badRequest(`The issue type '${typeId}' does not exist.`);
    const row: WorkflowSchemeRow = {
      id: site.state.nextId('workflowscheme', 10000),
      name,
      description: str(body.description),
      defaultWorkflow,
      issueTypeMappings: mappings,
      versionId: site.state.uuid(),
      versionNumber: 0,
    };
    site.state.putWorkflowScheme(row);
    return ok(schemeJson(site, row), 201);
  }),

  route('GET', '/rest/api/3/workflowscheme', (req, site) => {
    site.requireSiteAdmin(req.actor);
    const all = site.state.workflowSchemes().sort((a, b) => a.id - b.id);
    const startAt = Math.max(0, queryInt(req.query, 'startAt', 0));
    const maxResults = Math.min(Math.max(1, queryInt(req.query, 'maxResults', 50)), 50);
    const values = all.slice(startAt, startAt + maxResults).map((x) => schemeJson(site, x));
    return ok({ startAt, maxResults, total: all.length, isLast: startAt + values.length >= all.length, values });
  }),

  route('GET', '/rest/api/3/workflowscheme/{id}', (req, site) => {
    site.requireSiteAdmin(req.actor);
    const s = site.state.workflowScheme(req.pathParams.id ?? '');
    if (!s) throw notFound('The workflow scheme was not found.');
    return ok(schemeJson(site, s));
  }),

  route('GET', '/rest/api/3/workflowscheme/project', (req, site) => {
    site.requireSiteAdmin(req.actor);
    const ids = queryList(req.query, 'projectId');
    if (ids.length === 0) throw fieldErrors({ projectId: 'The ID of a project has to be provided.' });
    const bySchemes = new Map<number, string[]>();
    for (const id of ids) {
      const p = site.state.project(id);
      if (!p) continue;
      bySchemes.set(p.workflowSchemeId, [...(bySchemes.get(p.workflowSchemeId) ?? []), String(p.id)]);
    }
    const values = [...bySchemes.entries()].map(([schemeId, projectIds]) => {
      const s = site.state.workflowScheme(schemeId);
      return { projectIds, workflowScheme: s ? schemeJson(site, s) : {} };
    });
    return ok({ values });
  }),

  route('PUT', '/rest/api/3/workflowscheme/project', (req, site) => {
    site.requireSiteAdmin(req.actor);
    const body = isObject(req.body) ? req.body : {};
    const p = site.state.project(str(body.projectId));
    if (!p) throw notFound('The project was not found.');
    const schemeId = str(body.workflowSchemeId);
    const scheme = schemeId ? site.state.workflowScheme(schemeId) : site.state.workflowScheme(10000);
    if (!scheme) throw notFound('The workflow scheme was not found.');
    if (site.state.countIssues(p.id) > 0 && scheme.id !== p.workflowSchemeId) {
      throw badRequest('The workflow scheme can only be assigned to a project that has no issues.');
    }
    site.state.putProject({ ...p, workflowSchemeId: scheme.id });
    return noContent();
  }),

  route('POST', '/rest/api/3/workflowscheme/read', (req, site) => {
    site.requireSiteAdmin(req.actor);
    const body = isObject(req.body) ? req.body : {};
    const schemeIds = new Set((Array.isArray(body.workflowSchemeIds) ? body.workflowSchemeIds : []).map(str));
    for (const pid of Array.isArray(body.projectIds) ? body.projectIds.map(str) : []) {
      const p = site.state.project(pid);
      if (p) schemeIds.add(String(p.workflowSchemeId));
    }
    const out = [...schemeIds]
      .map((id) => site.state.workflowScheme(id))
      .filter((s) => s !== undefined)
      .map((s) => {
        const def = site.state.workflowByName(s.defaultWorkflow);
        const byWorkflow = new Map<string, string[]>();
        for (const [typeId, wfName] of Object.entries(s.issueTypeMappings)) byWorkflow.set(wfName, [...(byWorkflow.get(wfName) ?? []), typeId]);
        return {
          id: String(s.id),
          name: s.name,
          description: s.description,
          scope: { type: 'GLOBAL' },
          version: { id: s.versionId, versionNumber: s.versionNumber },
          ...(def ? { defaultWorkflow: workflowMeta(def) } : {}),
          workflowsForIssueTypes: [...byWorkflow.entries()]
            .map(([wfName, issueTypeIds]) => ({ wf: site.state.workflowByName(wfName), issueTypeIds }))
            .filter((x) => x.wf !== undefined)
            .map((x) => ({ issueTypeIds: x.issueTypeIds, workflow: workflowMeta(x.wf as WorkflowRow) })),
        };
      });
    return ok(out);
  }),

  route('POST', '/rest/api/3/workflowscheme/update', (req, site) => {
    site.requireSiteAdmin(req.actor);
    const body = isObject(req.body) ? req.body : {};
    const s = site.state.workflowScheme(str(body.id));
    if (!s) throw notFound('The workflow scheme was not found.');
    const version = isObject(body.version) ? body.version : {};
    if (version.versionNumber !== s.versionNumber) {
      throw badRequest('The workflow scheme has been updated since it was read: the version does not match.');
    }
    const defaultWorkflow = body.defaultWorkflowId ? workflowNameById(site, str(body.defaultWorkflowId)) : s.defaultWorkflow;
    const mappings: Record<string, string> = {};
    for (const assoc of objs(body.workflowsForIssueTypes)) {
      const name = workflowNameById(site, str(assoc.workflowId));
      for (const typeId of Array.isArray(assoc.issueTypeIds) ? assoc.issueTypeIds.map(str) : []) {
        if (!site.state.issueType(typeId)) throw badRequest(`The issue type '${typeId}' does not exist.`);
        mappings[typeId] = name;
      }
    }
    // Issues whose workflow changes must land in a status of the new workflow (no migration task here).
    const projects = site.state.projects().filter((p) => p.workflowSchemeId === s.id);
    for (const issue of site.state.issues(projects.map((p) => p.id))) {
      const before = s.issueTypeMappings[String(issue.issueTypeId)] ?? s.defaultWorkflow;
      const after = mappings[String(issue.issueTypeId)] ?? defaultWorkflow;
      if (before === after) continue;
      const wf = site.state.workflowByName(after);
      if (wf && !wf.statusIds.includes(String(issue.statusId))) {
        throw badRequest(`Issue ${issue.key} is in a status that workflow '${after}' does not have; status migration is not supported by the local Jira emulator.`);
      }
    }
    site.state.putWorkflowScheme({
      ...s,
      name: str(body.name) || s.name,
      description: str(body.description),
      defaultWorkflow,
      issueTypeMappings: mappings,
      versionId: site.state.uuid(),
      versionNumber: s.versionNumber + 1,
    });
    return ok({});
  }),
];

