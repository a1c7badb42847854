import { visibleIssue } from './issues';
import { badRequest, fieldErrors, forbidden, isObject, ok, queryInt, queryList, type Json } from './http';
import { jiraTime } from './issue-view';
import { route, type Route } from './router';
import type { Site } from './site';
import type { CommentRow } from './state';

/**
 * Issue comments: add (`addComment`) and list (`getComments`). Bodies are Atlassian Document Format; comment
 * properties are kept and returned with `expand=properties`. Not modelled: visibility restrictions, edit and
 * delete, rendered bodies, the `avi:jira:commented:issue` event.
 */

const BODY_MAX_CHARS = 32767;
const PROPERTY_KEY_MAX = 255;

function commentJson(site: Site, c: CommentRow, expand: string[]): Record<string, unknown> {
  const who = site.userRef(c.authorAccountId) ?? { accountId: c.authorAccountId };
  return {
    self: site.url(`/rest/api/3/issue/${c.issueId}/comment/${c.id}`),
    id: String(c.id),
    author: who,
    body: c.body,
    updateAuthor: who,
    created: jiraTime(c.created),
    updated: jiraTime(c.created),
    jsdPublic: true,
    ...(expand.includes('properties') ? { properties: Object.entries(c.properties).map(([key, value]) => ({ key, value })) } : {}),
  };
}

function readProperties(raw: unknown): Record<string, Json> {
  if (raw === undefined) return {};
  if (!Array.isArray(raw)) throw badRequest('properties must be a list of entity properties.');
  const out: Record<string, Json> = {};
  for (const p of raw) {
    if (!isObject(p) || typeof p.key !== 'string' || !p.key || p.key.length > PROPERTY_KEY_MAX || p.value === undefined) {
      throw badRequest('Each property needs a key (at most 255 characters) and a value.');
    }
    out[p.key] = p.value as Json;
  }
  return out;
}

export const commentRoutes: Route[] = [
  route('POST', '/rest/api/3/issue/{issueIdOrKey}/comment', (req, site) => {
    const accountId = site.actorAccountId(req.actor);
    const { issue, project } = visibleIssue(site, req.actor, req.pathParams.issueIdOrKey ?? '');
    if (!site.projectPermissions(req.actor, project).has('ADD_COMMENTS')) throw forbidden('You do not have the permission to comment on this issue.');
    const body = isObject(req.body) ? req.body : {};
    if (body.visibility !== undefined) throw badRequest('Comment visibility is not supported by the local Jira emulator.');
    const doc = body.body;
    if (!isObject(doc) || doc.type !== 'doc' || !Array.isArray(doc.content)) throw fieldErrors({ comment: 'Comment body is not valid!' });
    if (doc.content.length === 0) throw fieldErrors({ comment: 'Comment body can not be empty!' });
    if (JSON.stringify(doc).length > BODY_MAX_CHARS) throw fieldErrors({ comment: 'The entered text is too long. It exceeds the allowed limit of 32,767 characters.' });
    const comment = site.state.addComment({ issueId: issue.id, authorAccountId: accountId, body: doc as Json, created: Date.now(), properties: readProperties(body.properties) });
    return ok(commentJson(site, comment, queryList(req.query, 'expand')), 201);
  }),

  route('GET', '/rest/api/3/issue/{issueIdOrKey}/comment', (req, site) => {
    const { issue } = visibleIssue(site, req.actor, req.pathParams.issueIdOrKey ?? '');
    const startAt = Math.max(0, queryInt(req.query, 'startAt', 0));
    const maxResults = Math.min(Math.max(queryInt(req.query, 'maxResults', 100), 1), 100);
    const orderBy = req.query.get('orderBy') ?? 'created';
    const all = site.state.comments(issue.id);
    if (orderBy === '-created') all.reverse();
    const page = all.slice(startAt, startAt + maxResults);
    const expand = queryList(req.query, 'expand');
    return ok({ startAt, maxResults, total: all.length, comments: page.map((c) => commentJson(site, c, expand)) });
  }),
];
