import { badRequest, isObject, ok, queryInt, queryList, type Json } from './http';
import { issueBean } from './issue-view';
import { JqlError, parseJql, valueText, type JqlClause, type JqlQuery, type JqlValue } from './jql';
import { route, type Route, type RouteHandler } from './router';
import type { Site } from './site';
import type { IssueRow, ProjectRow } from './state';

/** `/rest/api/3/search/jql` (GET and POST) over the bounded JQL of `jql.ts`. */

export type IndexedType = 'number' | 'text' | 'string' | 'user' | 'date';

export interface PropertyAlias {
  propertyKey: string;
  path: string;
  type: IndexedType;
}

/** Search aliases declared by the manifest's `jira:entityProperty` modules (issue entity type). */
export function propertyAliases(site: Site): Map<string, PropertyAlias> {
  const out = new Map<string, PropertyAlias>();
  for (const m of site.manifest.modules) {
    if (m.moduleType !== 'jira:entityProperty') continue;
    if ((m.entityType ?? 'issue') !== 'issue' || typeof m.propertyKey !== 'string') continue;
    for (const v of Array.isArray(m.values) ? m.values : []) {
      if (!isObject(v) || typeof v.path !== 'string') continue;
      const alias: PropertyAlias = { propertyKey: m.propertyKey, path: v.path, type: (v.type as IndexedType) ?? 'string' };
      if (typeof v.searchAlias === 'string') out.set(v.searchAlias.toLowerCase(), alias);
      out.set(`issue.property[${m.propertyKey}].${v.path}`.toLowerCase(), alias);
    }
  }
  return out;
}

function jqlError(message: string): never {
  throw badRequest(message);
}

function propertyValues(site: Site, issue: IssueRow, alias: PropertyAlias): Json[] {
  let v: Json | undefined = site.state.property(issue.id, alias.propertyKey);
  for (const seg of alias.path.split('.').filter(Boolean)) {
    v = isObject(v) ? (v as Record<string, Json>)[seg] : undefined;
  }
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function compare(a: Json, b: JqlValue, type: IndexedType): number | undefined {
  if (b.kind === 'empty') return undefined;
  if (type === 'number') {
    const x = Number(a);
    const y = Number(b.value);
    return Number.isNaN(x) || Number.isNaN(y) ? undefined : x - y;
  }
  if (type === 'date') {
    const x = Date.parse(String(a));
    const y = Date.parse(String(b.value));
    return Number.isNaN(x) || Number.isNaN(y) ? undefined : x - y;
  }
  const x = String(a);
  const y = String(b.value);
  return x === y ? 0 : x < y ? -1 : 1;
}

type Matcher = (issue: IssueRow) => boolean;

function propertyMatcher(site: Site, clause: JqlClause, alias: PropertyAlias): Matcher {
  const { operator, values } = clause;
  const numericOps = ['>', '>=', '<', '<='];
  if (numericOps.includes(operator) && alias.type !== 'number' && alias.type !== 'date') {
    jqlError(`Error in the JQL Query: The operator '${operator}' is not supported by the '${clause.field}' field.`);
  }
  if (operator === '~' && alias.type !== 'text') jqlError(`Error in the JQL Query: The operator '~' is not supported by the '${clause.field}' field.`);
  if (alias.type === 'text' && (operator === '=' || operator === '!=')) {
    jqlError(`Error in the JQL Query: The operator '${operator}' is not supported by the '${clause.field}' field.`);
  }
  return (issue) => {
    const have = propertyValues(site, issue, alias);
    const eq = (v: JqlValue) => have.some((h) => compare(h, v, alias.type) === 0);
    switch (operator) {
      case '=':
        return eq(values[0] as JqlValue);
      case '!=':
        return have.length > 0 && !eq(values[0] as JqlValue);
      case 'in':
        return values.some(eq);
      case 'not in':
        return have.length > 0 && !values.some(eq);
      case 'is':
        return have.length === 0;
      case 'is not':
        return have.length > 0;
      case '~': {
        const needle = String(valueText(values[0] as JqlValue) ?? '').toLowerCase();
        return have.some((h) => String(h).toLowerCase().includes(needle));
      }
      default: {
        const v = values[0] as JqlValue;
        return have.some((h) => {
          const c = compare(h, v, alias.type);
          if (c === undefined) return false;
          return operator === '>' ? c > 0 : operator === '>=' ? c >= 0 : operator === '<' ? c < 0 : c <= 0;
        });
      }
    }
  };
}

/** `field = v`, `!=`, `in`, `not in` over a set of ids resolved from the values. */
function idMatcher(clause: JqlClause, resolve: (text: string) => number[], get: (issue: IssueRow) => number): Matcher {
  if (!['=', '!=', 'in', 'not in'].includes(clause.operator)) {
    jqlError(`Error in the JQL Query: The operator '${clause.operator}' is not supported by the '${clause.field}' field.`);
  }
  const ids = new Set(clause.values.flatMap((v) => {
    const text = valueText(v);
    if (text === null) jqlError(`Error in the JQL Query: EMPTY is not supported by the '${clause.field}' field in the local Jira emulator.`);
    return resolve(text);
  }));
  const negate = clause.operator === '!=' || clause.operator === 'not in';
  return (issue) => ids.has(get(issue)) !== negate;
}

function matcherFor(site: Site, clause: JqlClause, visible: ProjectRow[], aliases: Map<string, PropertyAlias>): Matcher {
  const field = clause.field.toLowerCase();
  const missing = (text: string): never => jqlError(`Error in the JQL Query: The value '${text}' does not exist for the field '${clause.field}'.`);
  switch (field) {
    case 'project':
      return idMatcher(
        clause,
        (t) => {
          const p = visible.find((x) => x.key.toLowerCase() === t.toLowerCase() || String(x.id) === t || x.name.toLowerCase() === t.toLowerCase());
          return p ? [p.id] : missing(t);
        },
        (i) => i.projectId,
      );
    case 'issuetype':
    case 'type':
      return idMatcher(
        clause,
        (t) => {
          const hits = site.state.issueTypes().filter((x) => String(x.id) === t || x.name.toLowerCase() === t.toLowerCase());
          return hits.length > 0 ? hits.map((x) => x.id) : missing(t);
        },
        (i) => i.issueTypeId,
      );
    case 'status':
      return idMatcher(
        clause,
        (t) => {
          const hits = site.state.statuses().filter((x) => String(x.id) === t || x.name.toLowerCase() === t.toLowerCase());
          return hits.length > 0 ? hits.map((x) => x.id) : missing(t);
        },
        (i) => i.statusId,
      );
    case 'key':
    case 'issuekey':
    case 'id':
      return idMatcher(
        clause,
        (t) => {
          const issue = site.state.issue(t);
          return issue ? [issue.id] : [];
        },
        (i) => i.id,
      );
    default: {
      const alias = aliases.get(field);
      if (!alias) jqlError(`Error in the JQL Query: Field '${clause.field}' does not exist or you do not have permission to view it.`);
      return propertyMatcher(site, clause, alias);
    }
  }
}

const SORTABLE: Record<string, (i: IssueRow) => number | string> = {
  created: (i) => i.createdMs,
  updated: (i) => i.updatedMs,
  key: (i) => i.id,
  issuekey: (i) => i.id,
  id: (i) => i.id,
};

/** Runs a query as the actor sees it: only issues of projects they can browse. */
export function runJql(site: Site, query: JqlQuery, visible: ProjectRow[]): IssueRow[] {
  const aliases = propertyAliases(site);
  const matchers = query.clauses.map((c) => matcherFor(site, c, visible, aliases));
  for (const o of query.orderBy) if (!SORTABLE[o.field]) jqlError(`Error in the JQL Query: Not able to sort using field '${o.field}'.`);
  const order = query.orderBy.length > 0 ? query.orderBy : [{ field: 'id', direction: 'DESC' as const }];
  return site.state
    .issues(visible.map((p) => p.id))
    .filter((i) => matchers.every((m) => m(i)))
    .sort((a, b) => {
      for (const o of order) {
        const get = SORTABLE[o.field] as (i: IssueRow) => number | string;
        const x = get(a);
        const y = get(b);
        if (x !== y) return (x < y ? -1 : 1) * (o.direction === 'DESC' ? -1 : 1);
      }
      return (a.id - b.id) * (order[0]?.direction === 'DESC' ? -1 : 1);
    });
}

interface SearchParams {
  jql: string;
  nextPageToken?: string;
  maxResults?: number;
  fields: string[];
  properties: string[];
}

function encodeToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: jql })).toString('base64url');
}

function decodeToken(token: string, jql: string): number {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    if (typeof v.o === 'number' && v.q === jql) return v.o;
  } catch {
    // fall through
  }
  throw badRequest('The nextPageToken is invalid or was issued for another query.');
}

function search(site: Site, actorProjects: ProjectRow[], p: SearchParams): Record<string, unknown> {
  if (!p.jql.trim()) throw badRequest('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  let query: JqlQuery;
  try {
    query = parseJql(p.jql);
  } catch (e) {
    if (e instanceof JqlError) throw badRequest(e.message);
    throw e;
  }
  if (query.clauses.length === 0) throw badRequest('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  const hits = runJql(site, query, actorProjects);
  const idOnly = p.fields.every((f) => f === 'id' || f === 'key') && p.properties.length === 0;
  const cap = idOnly ? 5000 : 100;
  const maxResults = Math.max(1, Math.min(p.maxResults ?? 50, cap));
  const offset = p.nextPageToken ? decodeToken(p.nextPageToken, p.jql) : 0;
  const pageRows = hits.slice(offset, offset + maxResults);
  const more = offset + pageRows.length < hits.length;
  return {
    issues: pageRows.map((i) => issueBean(site, i, { fields: p.fields, defaultFields: ['id'], properties: p.properties })),
    ...(more ? { nextPageToken: encodeToken(offset + maxResults, p.jql) } : {}),
    isLast: !more,
  };
}

const visibleProjects = (site: Site, actor: Parameters<RouteHandler>[0]['actor']): ProjectRow[] =>
  site.state.projects().filter((p) => site.canBrowse(actor, p));

export const searchRoutes: Route[] = [
  route('GET', '/rest/api/3/search/jql', (req, site) => {
    site.actorAccountId(req.actor);
    const token = req.query.get('nextPageToken');
    return ok(
      search(site, visibleProjects(site, req.actor), {
        jql: req.query.get('jql') ?? '',
        ...(token ? { nextPageToken: token } : {}),
        maxResults: queryInt(req.query, 'maxResults', 50),
        fields: queryList(req.query, 'fields'),
        properties: queryList(req.query, 'properties'),
      }),
    );
  }),

  route('POST', '/rest/api/3/search/jql', (req, site) => {
    site.actorAccountId(req.actor);
    const body = isObject(req.body) ? req.body : {};
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean) : []);
    return ok(
      search(site, visibleProjects(site, req.actor), {
        jql: typeof body.jql === 'string' ? body.jql : '',
        ...(typeof body.nextPageToken === 'string' ? { nextPageToken: body.nextPageToken } : {}),
        ...(typeof body.maxResults === 'number' ? { maxResults: body.maxResults } : {}),
        fields: strings(body.fields),
        properties: strings(body.properties),
      }),
    );
  }),
];
