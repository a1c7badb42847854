import type { JiraActor } from '../runtime/backends';
import { issueCreated, issueDeleted, issueUpdated } from './events';
import { badRequest, fieldErrors, forbidden, isObject, JiraHttpError, noContent, notFound, ok, queryBool, queryList, type Json } from './http';
import { issueBean, jiraTime } from './issue-view';
import { route, type Route } from './router';
import type { Site } from './site';
import type { ChangelogItem, IssueRow, ProjectRow } from './state';
import { initialStatusId, outgoingTransitions, runValidators, transitionAllowed, workflowForIssue, type RuleContext } from './workflow-engine';

/** Issues: create, get, edit, entity properties, links and transitions. */

const PROPERTY_MAX_CHARS = 32768;
const EDITABLE = new Set(['summary', 'description', 'labels', 'fixVersions', 'assignee', 'duedate']);

/** An issue the actor can see, else 404 (Jira never reveals issues in projects one cannot browse). */
export function visibleIssue(site: Site, actor: JiraActor, idOrKey: string): { issue: IssueRow; project: ProjectRow } {
  site.actorAccountId(actor);
  const issue = site.state.issue(idOrKey);
  const project = issue ? site.state.project(issue.projectId) : undefined;
  if (!issue || !project || !site.canBrowse(actor, project)) throw notFound('Issue does not exist or you do not have permission to see it.');
  return { issue, project };
}

function requirePermission(site: Site, actor: JiraActor, project: ProjectRow, permission: string, message: string): void {
  if (!site.projectPermissions(actor, project).has(permission)) throw forbidden(message);
}

function cannotSet(field: string): JiraHttpError {
  return fieldErrors({ [field]: `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.` });
}

function versionIds(site: Site, project: ProjectRow, value: unknown, field: string): number[] {
  if (!Array.isArray(value)) throw fieldErrors({ [field]: 'Expected a list of versions.' });
  return value.map((v) => {
    const ref = isObject(v) ? v : {};
    const found = site.state.versions(project.id).find((x) => (ref.id !== undefined && String(x.id) === String(ref.id)) || (typeof ref.name === 'string' && x.name === ref.name));
    if (!found) throw fieldErrors({ [field]: `Version '${String(ref.id ?? ref.name)}' is not valid.` });
    return found.id;
  });
}

/** Normalises one field value for storage; throws Jira's field error when it cannot be set. */
function fieldValue(site: Site, project: ProjectRow, field: string, value: unknown): Json {
  switch (field) {
    case 'summary':
      if (typeof value !== 'string' || !value.trim()) throw fieldErrors({ summary: 'You must specify a summary of the issue.' });
      if (value.length > 255) throw fieldErrors({ summary: 'Summary must be less than 255 characters.' });
      return value;
    case 'description':
      if (value !== null && !(isObject(value) && value.type === 'doc')) throw fieldErrors({ description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format).' });
      return value as Json;
    case 'labels':
      if (!Array.isArray(value) || value.some((l) => typeof l !== 'string' || /\s/.test(l))) throw fieldErrors({ labels: 'Labels must be strings without spaces.' });
      return value as string[];
    case 'fixVersions':
      return versionIds(site, project, value, 'fixVersions');
    case 'assignee': {
      if (value === null) return null;
      const accountId = isObject(value) && typeof value.accountId === 'string' ? value.accountId : undefined;
      if (!accountId || !site.state.user(accountId)) throw fieldErrors({ assignee: `User '${String(accountId)}' cannot be assigned issues.` });
      return accountId;
    }
    case 'duedate':
      if (value !== null && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))) throw fieldErrors({ duedate: 'Error parsing date string.' });
      return value as Json;
    default:
      if (field.startsWith('customfield_')) return value as Json;
      throw cannotSet(field);
  }
}

function display(site: Site, field: string, v: Json | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (field === 'assignee' && typeof v === 'string') return site.state.user(v)?.displayName ?? v;
  if (field === 'fixVersions' && Array.isArray(v)) return v.map((id) => site.state.version(String(id))?.name ?? String(id)).join(', ');
  if (Array.isArray(v)) return v.join(' ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function raw(v: Json | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map(String).join(', ');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Applies `fields` and `update` of an edit; returns the changelog items. */
function applyEdit(site: Site, issue: IssueRow, project: ProjectRow, fields: Record<string, unknown>, update: Record<string, unknown>): ChangelogItem[] {
  const next: Record<string, Json> = { ...issue.fields, summary: issue.summary };
  for (const [k, v] of Object.entries(fields)) {
    if (!EDITABLE.has(k) && !k.startsWith('customfield_')) throw cannotSet(k);
    if (k in update) throw badRequest(`Field '${k}' is specified in both 'fields' and 'update'.`);
    next[k] = fieldValue(site, project, k, v);
  }
  for (const [k, ops] of Object.entries(update)) {
    if (!EDITABLE.has(k) && !k.startsWith('customfield_')) throw cannotSet(k);
    for (const op of Array.isArray(ops) ? ops : []) {
      if (!isObject(op)) continue;
      if ('set' in op) next[k] = fieldValue(site, project, k, op.set);
      else if (k === 'labels' || k === 'fixVersions') {
        const current = Array.isArray(next[k]) ? (next[k] as Json[]) : [];
        if ('add' in op) {
          const [added] = k === 'labels' ? (fieldValue(site, project, k, [op.add]) as Json[]) : versionIds(site, project, [op.add], k);
          next[k] = current.includes(added as Json) ? current : [...current, added as Json];
        } else if ('remove' in op) {
          const [removed] = k === 'labels' ? [op.remove as Json] : versionIds(site, project, [op.remove], k);
          next[k] = current.filter((x) => x !== removed);
        }
      } else throw badRequest(`The operation on field '${k}' is not supported.`);
    }
  }
  const items: ChangelogItem[] = [];
  for (const k of new Set([...Object.keys(fields), ...Object.keys(update)])) {
    const before = k === 'summary' ? issue.summary : issue.fields[k];
    const after = next[k];
    if (JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) continue;
    items.push({
      field: k === 'fixVersions' ? 'Fix Version' : k,
      fieldtype: k.startsWith('customfield_') ? 'custom' : 'jira',
      fieldId: k,
      from: raw(before),
      fromString: display(site, k, before),
      to: raw(after),
      toString: display(site, k, after),
    });
  }
  const { summary, ...rest } = next;
  issue.summary = String(summary);
  issue.fields = rest;
  return items;
}

function touch(issue: IssueRow): void {
  const now = Math.max(Date.now(), issue.updatedMs);
  issue.updatedMs = now;
  issue.updated = jiraTime(now);
}

function setProperties(site: Site, issueId: number, list: unknown): void {
  for (const p of Array.isArray(list) ? list.filter(isObject) : []) {
    const key = typeof p.key === 'string' ? p.key : '';
    checkProperty(key, p.value);
    site.state.setProperty(issueId, key, p.value as Json);
  }
}

function checkProperty(key: string, value: unknown): void {
  if (!key || key.length > 255) throw badRequest('The property key must be between 1 and 255 characters.');
  if (value === undefined) throw badRequest('The property value must be JSON.');
  if (JSON.stringify(value).length > PROPERTY_MAX_CHARS) throw badRequest(`The property value must not exceed ${PROPERTY_MAX_CHARS} characters.`);
}

function ruleContext(site: Site, accountId: string, issue: IssueRow, project: ProjectRow): Omit<RuleContext, 'transition'> {
  return { site, accountId, issue, project, workflow: workflowForIssue(site, project, issue.issueTypeId) };
}

/** Creates an issue (REST and admin API share this); emits `avi:jira:created:issue`. */
export function createIssue(site: Site, accountId: string, body: Record<string, unknown>, actor: JiraActor): IssueRow {
  const fields = isObject(body.fields) ? body.fields : {};
  const projectRef = isObject(fields.project) ? (fields.project.id ?? fields.project.key) : undefined;
  const project = projectRef === undefined ? undefined : site.state.project(String(projectRef));
  if (!project || !site.canBrowse(actor, project)) throw fieldErrors({ project: 'Specify a valid project ID or key' });
  requirePermission(site, actor, project, 'CREATE_ISSUES', 'You do not have permission to create issues in this project.');
  const typeRef = isObject(fields.issuetype) ? fields.issuetype : {};
  const type = site
    .projectIssueTypes(project)
    .find((t) => (typeRef.id !== undefined && String(t.id) === String(typeRef.id)) || (typeRef.id === undefined && typeof typeRef.name === 'string' && t.name === typeRef.name));
  if (!isObject(fields.issuetype)) throw fieldErrors({ issuetype: 'Specify an issue type' });
  if (!type) throw fieldErrors({ issuetype: 'The issue type selected is invalid.' });
  if (typeof fields.summary !== 'string' || !fields.summary.trim()) throw fieldErrors({ summary: 'You must specify a summary of the issue.' });
  const stored: Record<string, Json> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'project' || k === 'issuetype' || k === 'summary') continue;
    if (k === 'reporter') continue;
    stored[k] = fieldValue(site, project, k, v);
  }
  const reporter = isObject(fields.reporter) && typeof fields.reporter.accountId === 'string' ? fields.reporter.accountId : accountId;
  const wf = workflowForIssue(site, project, type.id);
  const now = Date.now();
  const issue = site.state.transaction(() => {
    const n = site.state.nextIssueNumber(project.id);
    const row: IssueRow = {
      id: site.state.nextId('issue', 10000),
      key: `${project.key}-${n}`,
      projectId: project.id,
      issueTypeId: type.id,
      statusId: initialStatusId(wf),
      summary: fields.summary as string,
      fields: stored,
      created: jiraTime(now),
      updated: jiraTime(now),
      createdMs: now,
      updatedMs: now,
      reporterAccountId: reporter,
      creatorAccountId: accountId,
    };
    site.state.putIssue(row);
    setProperties(site, row.id, body.properties);
    return row;
  });
  issueCreated(site, issue, accountId);
  return issue;
}

function transitionJson(site: Site, t: RuleContext['transition'], available: boolean): Record<string, unknown> {
  const to = site.state.status(t.toStatusId);
  return {
    id: t.id,
    name: t.name,
    ...(to ? { to: site.statusDetails(to) } : {}),
    hasScreen: false,
    isGlobal: t.type === 'GLOBAL',
    isInitial: false,
    isAvailable: available,
    isConditional: t.conditions !== undefined && ((t.conditions.conditions ?? []).length > 0 || (t.conditions.conditionGroups ?? []).length > 0),
    isLooped: false,
  };
}

export const issueRoutes: Route[] = [
  route('POST', '/rest/api/3/issue', (req, site) => {
    const accountId = site.actorAccountId(req.actor);
    const body = isObject(req.body) ? req.body : {};
    if (body.transition !== undefined) throw badRequest('Creating an issue with a transition is not supported by the local Jira emulator.');
    if (isObject(body.update) && Object.keys(body.update).length > 0) throw badRequest("'update' on create is not supported by the local Jira emulator; use 'fields'.");
    const issue = createIssue(site, accountId, body, req.actor);
    return ok({ id: String(issue.id), key: issue.key, self: site.url(`/rest/api/3/issue/${issue.id}`) }, 201);
  }),

  route('GET', '/rest/api/3/issue/{issueIdOrKey}', (req, site) => {
    const { issue } = visibleIssue(site, req.actor, req.pathParams.issueIdOrKey ?? '');
    return ok(issueBean(site, issue, { fields: queryList(req.query, 'fields'), defaultFields: ['*all'], properties: queryList(req.query, 'properties') }));
  }),

  route('PUT', '/rest/api/3/issue/{issueIdOrKey}', (req, site) => {
    const accountId = site.actorAccountId(req.actor);
    const { issue, project } = visibleIssue(site, req.actor, req.pathParams.issueIdOrKey ?? '');
    requirePermission(site, req.actor, project, 'EDIT_ISSUES', 'You do not have permission to edit issues in this project.');
    const body = isObject(req.body) ? req.body : {};
    const items = applyEdit(site, issue, project, isObject(body.fields) ? body.fields : {}, isObject(body.update) ? body.update : {});
    const changelog = site.state.transaction(() => {
      setProperties(site, issue.id, body.properties);
      if (items.length === 0) return undefined;
      touch(issue);
      site.state.putIssue(issue);
      return site.state.addChangelog({ issueId: issue.id, authorAccountId: accountId, created: issue.updated, items });
    });
    if (changelog) issueUpdated(site, issue, accountId, changelog.id, items);
    if (queryBool(req.query, 'returnIssue', false)) {
      return ok(issueBean(site, issue, { fields: [], defaultFields: ['*all'], properties: [] }));
    }
    return noContent();
  }),

  route('GET', '/rest/api/3/issue/{issueIdOrKey}/properties', (req, site) => {
    const { issue } = visibleIssue(site, req.actor, req.pathParams.issueIdOrKey ?? '');
    const keys = Object.keys(site.state.properties(issue.id));
    return ok({ keys: keys.map((key) => ({ key, self: site.url(`/rest/api/3/issue/${issue.id}/properties/${encodeURIComponent(key)}`) })) });
  }),

  route('GET', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', (req, site) => {
    const { issue } = visibleIssue(site, req.actor, req.pathParams.issueIdOrKey ?? '');
    const key = req.pathParams.propertyKey ?? '';
    const value = site.state.property(issue.id, key);
    if (value === undefined) throw notFound(`The property with key '${key}' does not exist.`);
    return ok({ key, value });
  }),

  route('PUT', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', (req, site) => {
    const { issue, project } = visibleIssue(site, req.actor, req.pathParams.issueIdOrKey ?? '');
    requirePermission(site, req.actor, project, 'EDIT_ISSUES', 'You do not have permission to edit this issue.');
    const key = req.pathParams.propertyKey ?? '';
    checkProperty(key, req.body);
    const created = site.state.setProperty(issue.id, key, req.body as Json);
    return ok(undefined, created ? 201 : 200);
  }),

  route('DELETE', '/rest/api/3/issue/{issueIdOrKey}', (req, site) => {
    const { issue, project } = visibleIssue(site, req.actor, req.pathParams.issueIdOrKey ?? '');
    requirePermission(site, req.actor, project, 'DELETE_ISSUES', 'You do not have permission to delete issues in this project.');
    const actor = site.actorAccountId(req.actor);
    issueDeleted(site, issue, actor); // built from the row before it goes; delivered later, as Forge does
    site.state.deleteIssue(issue.id);
    return noContent();
  }),

  route('DELETE', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', (req, site) => {
    const { issue, project } = visibleIssue(site, req.actor, req.pathParams.issueIdOrKey ?? '');
    requirePermission(site, req.actor, project, 'EDIT_ISSUES', 'You do not have permission to edit this issue.');
    const key = req.pathParams.propertyKey ?? '';
    if (!site.state.deleteProperty(issue.id, key)) throw notFound(`The property with key '${key}' does not exist.`);
    return noContent();
  }),

  route('GET', '/rest/api/3/issue/{issueIdOrKey}/transitions', (req, site) => {
    const accountId = site.actorAccountId(req.actor);
    const { issue, project } = visibleIssue(site, req.actor, req.pathParams.issueIdOrKey ?? '');
    if (!site.projectPermissions(req.actor, project).has('TRANSITION_ISSUES')) return ok({ expand: 'transitions', transitions: [] });
    const base = ruleContext(site, accountId, issue, project);
    const only = req.query.get('transitionId');
    const includeUnavailable = queryBool(req.query, 'includeUnavailableTransitions', false);
    const transitions = outgoingTransitions(base.workflow, issue.statusId)
      .filter((t) => !only || t.id === only)
      .map((t) => ({ t, allowed: transitionAllowed({ ...base, transition: t }) }))
      .filter((x) => x.allowed || includeUnavailable)
      .map((x) => transitionJson(site, x.t, x.allowed));
    return ok({ expand: 'transitions', transitions });
  }),

  route('POST', '/rest/api/3/issue/{issueIdOrKey}/transitions', async (req, site) => {
    const accountId = site.actorAccountId(req.actor);
    const { issue, project } = visibleIssue(site, req.actor, req.pathParams.issueIdOrKey ?? '');
    if (!site.projectPermissions(req.actor, project).has('TRANSITION_ISSUES')) {
      throw badRequest('You do not have permission to transition this issue.');
    }
    const body = isObject(req.body) ? req.body : {};
    const transitionId = isObject(body.transition) && body.transition.id !== undefined ? String(body.transition.id) : '';
    if (!transitionId) throw badRequest('No transition specified.');
    for (const part of ['fields', 'update'] as const) {
      const given = body[part];
      if (isObject(given)) for (const k of Object.keys(given)) throw cannotSet(k);
    }
    const base = ruleContext(site, accountId, issue, project);
    const transition = outgoingTransitions(base.workflow, issue.statusId).find((t) => t.id === transitionId);
    const ctx: RuleContext | undefined = transition ? { ...base, transition } : undefined;
    if (!ctx || !transitionAllowed(ctx)) throw badRequest(`Transition id '${transitionId}' is not valid for this issue.`);
    await runValidators(ctx);
    // Validators ran app code: re-read the issue so nothing they wrote (e.g. a property) is lost.
    const current = site.state.issue(issue.id) as IssueRow;
    const from = site.state.status(current.statusId);
    const to = site.state.status(ctx.transition.toStatusId);
    if (!from || !to) throw new Error('workflow refers to a missing status');
    const items: ChangelogItem[] = [
      { field: 'status', fieldtype: 'jira', fieldId: 'status', from: String(from.id), fromString: from.name, to: String(to.id), toString: to.name },
    ];
    const changelog = site.state.transaction(() => {
      setProperties(site, current.id, body.properties);
      current.statusId = to.id;
      touch(current);
      site.state.putIssue(current);
      return site.state.addChangelog({ issueId: current.id, authorAccountId: accountId, created: current.updated, items });
    });
    issueUpdated(site, current, accountId, changelog.id, items, { from, to });
    return noContent();
  }),

  route('GET', '/rest/api/3/issueLinkType', (req, site) => {
    site.actorAccountId(req.actor);
    return ok({
      issueLinkTypes: site.state.linkTypes().map((t) => ({ id: String(t.id), name: t.name, inward: t.inward, outward: t.outward, self: site.url(`/rest/api/3/issueLinkType/${t.id}`) })),
    });
  }),

  route('POST', '/rest/api/3/issueLink', (req, site) => {
    site.actorAccountId(req.actor);
    const body = isObject(req.body) ? req.body : {};
    const typeRef = isObject(body.type) ? body.type : {};
    const type = site.state.linkTypes().find((t) => (typeRef.id !== undefined && String(t.id) === String(typeRef.id)) || (typeof typeRef.name === 'string' && t.name === typeRef.name));
    if (!type) throw notFound(`No issue link type with name '${String(typeRef.name ?? typeRef.id)}' found.`);
    const ref = (v: unknown): string => (isObject(v) ? String(v.key ?? v.id ?? '') : '');
    const inward = visibleIssue(site, req.actor, ref(body.inwardIssue));
    const outward = visibleIssue(site, req.actor, ref(body.outwardIssue));
    if (!site.projectPermissions(req.actor, inward.project).has('LINK_ISSUES')) throw badRequest('You do not have the permission to link issues.');
    const exists = site.state.linksOf(inward.issue.id).some((l) => l.typeId === type.id && l.inwardIssueId === inward.issue.id && l.outwardIssueId === outward.issue.id);
    if (!exists) site.state.putLink({ id: site.state.nextId('issuelink', 10000), typeId: type.id, inwardIssueId: inward.issue.id, outwardIssueId: outward.issue.id });
    return ok(undefined, 201);
  }),

  route('GET', '/rest/api/3/issueLink/{linkId}', (req, site) => {
    site.actorAccountId(req.actor);
    const link = site.state.link(req.pathParams.linkId ?? '');
    if (!link) throw notFound('No issue link with this ID exists.');
    const inward = visibleIssue(site, req.actor, String(link.inwardIssueId)).issue;
    const outward = visibleIssue(site, req.actor, String(link.outwardIssueId)).issue;
    const type = site.state.linkTypes().find((t) => t.id === link.typeId);
    const refOf = (i: IssueRow) => ({ id: String(i.id), key: i.key, self: site.url(`/rest/api/3/issue/${i.id}`) });
    return ok({
      id: String(link.id),
      self: site.url(`/rest/api/3/issueLink/${link.id}`),
      type: type ? { id: String(type.id), name: type.name, inward: type.inward, outward: type.outward } : {},
      inwardIssue: refOf(inward),
      outwardIssue: refOf(outward),
    });
  }),

  route('DELETE', '/rest/api/3/issueLink/{linkId}', (req, site) => {
    site.actorAccountId(req.actor);
    const link = site.state.link(req.pathParams.linkId ?? '');
    if (!link) throw notFound('No issue link with this ID exists.');
    const inward = visibleIssue(site, req.actor, String(link.inwardIssueId));
    visibleIssue(site, req.actor, String(link.outwardIssueId));
    if (!site.projectPermissions(req.actor, inward.project).has('LINK_ISSUES')) throw forbidden('You do not have the permission to delete links.');
    site.state.deleteLink(link.id);
    return noContent();
  }),
];
