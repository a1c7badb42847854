import type { Json } from './http';
import type { Site } from './site';
import type { IssueRow, VersionRow } from './state';

/** How issues are shown: REST field rendering with `fields` / `properties` selection, and event payloads. */

/** Jira's timestamp format: `2024-01-15T10:30:00.000+0000`. */
export function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function versionJson(site: Site, v: VersionRow): Record<string, unknown> {
  return {
    self: site.url(`/rest/api/3/version/${v.id}`),
    id: String(v.id),
    name: v.name,
    description: v.description,
    archived: v.archived,
    released: v.released,
    ...(v.startDate ? { startDate: v.startDate } : {}),
    ...(v.releaseDate ? { releaseDate: v.releaseDate } : {}),
    overdue: !v.released && v.releaseDate !== null && v.releaseDate < new Date().toISOString().slice(0, 10),
    projectId: v.projectId,
  };
}

function linksJson(site: Site, issue: IssueRow): Record<string, unknown>[] {
  return site.state.linksOf(issue.id).flatMap((l) => {
    const type = site.state.linkTypes().find((t) => t.id === l.typeId);
    const otherId = l.inwardIssueId === issue.id ? l.outwardIssueId : l.inwardIssueId;
    const other = site.state.issue(otherId);
    if (!type || !other) return [];
    const otherRef = {
      id: String(other.id),
      key: other.key,
      self: site.url(`/rest/api/3/issue/${other.id}`),
      fields: {
        summary: other.summary,
        status: site.statusDetails(site.state.status(other.statusId) ?? { id: other.statusId, name: '', description: '', category: 'TODO', scopeProjectId: null }),
      },
    };
    return [
      {
        id: String(l.id),
        self: site.url(`/rest/api/3/issueLink/${l.id}`),
        type: { id: String(type.id), name: type.name, inward: type.inward, outward: type.outward, self: site.url(`/rest/api/3/issueLinkType/${type.id}`) },
        // From this issue's side: the other issue is "outward" when this one is the inward end.
        ...(l.inwardIssueId === issue.id ? { outwardIssue: otherRef } : { inwardIssue: otherRef }),
      },
    ];
  });
}

/** Every field of the issue, rendered as REST v3 returns it. */
export function allFields(site: Site, issue: IssueRow): Record<string, unknown> {
  const project = site.state.project(issue.projectId);
  const type = site.state.issueType(issue.issueTypeId);
  const status = site.state.status(issue.statusId);
  const f = issue.fields;
  const fixVersions = (Array.isArray(f.fixVersions) ? f.fixVersions : [])
    .map((id) => site.state.version(String(id)))
    .filter((v) => v !== undefined)
    .map((v) => versionJson(site, v));
  const custom = Object.fromEntries(Object.entries(f).filter(([k]) => k.startsWith('customfield_')));
  return {
    summary: issue.summary,
    description: f.description ?? null,
    issuetype: type ? site.issueTypeJson(type) : null,
    project: project ? site.projectRef(project) : null,
    status: status ? site.statusDetails(status) : null,
    created: issue.created,
    updated: issue.updated,
    creator: site.userRef(issue.creatorAccountId),
    reporter: site.userRef(issue.reporterAccountId),
    assignee: site.userRef(typeof f.assignee === 'string' ? f.assignee : null),
    labels: Array.isArray(f.labels) ? f.labels : [],
    fixVersions,
    issuelinks: linksJson(site, issue),
    duedate: f.duedate ?? null,
    resolution: null,
    ...custom,
  };
}

/** Applies Jira's `fields` selection: names, `*all`, `*navigable`, `-name`; `fallback` when none given. */
export function selectFields(all: Record<string, unknown>, requested: string[], fallback: string[]): Record<string, unknown> {
  const list = requested.length > 0 ? requested : fallback;
  const include = new Set<string>();
  let everything = false;
  for (const f of list) {
    if (f === '*all' || f === '*navigable') everything = true;
    else if (!f.startsWith('-')) include.add(f);
  }
  const excluded = new Set(list.filter((f) => f.startsWith('-')).map((f) => f.slice(1)));
  return Object.fromEntries(Object.entries(all).filter(([k]) => (everything || include.has(k)) && !excluded.has(k)));
}

export function selectProperties(site: Site, issue: IssueRow, requested: string[]): Record<string, Json> | undefined {
  if (requested.length === 0) return undefined;
  const props = site.state.properties(issue.id);
  if (requested.includes('*all')) return props;
  return Object.fromEntries(requested.filter((k) => k in props).map((k) => [k, props[k] as Json]));
}

export function issueBean(
  site: Site,
  issue: IssueRow,
  opts: { fields: string[]; defaultFields: string[]; properties: string[] },
): Record<string, unknown> {
  const props = selectProperties(site, issue, opts.properties);
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: String(issue.id),
    self: site.url(`/rest/api/3/issue/${issue.id}`),
    key: issue.key,
    fields: selectFields(allFields(site, issue), opts.fields, opts.defaultFields),
    ...(props ? { properties: props } : {}),
  };
}

/** The `issue` object of Forge product events. */
export function eventIssue(site: Site, issue: IssueRow): Record<string, unknown> {
  const f = allFields(site, issue);
  return {
    id: String(issue.id),
    key: issue.key,
    fields: {
      summary: f.summary,
      issuetype: f.issuetype,
      creator: f.creator,
      created: f.created,
      project: f.project,
      reporter: f.reporter,
      assignee: f.assignee,
      updated: f.updated,
      status: f.status,
      labels: f.labels,
    },
  };
}
