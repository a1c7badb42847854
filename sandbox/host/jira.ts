import type { JiraBackend, JiraResponse } from '../runtime/backends';

/** The host chrome's own Jira calls (issue view, transitions menu), made as the acting user. */
export class ChromeJira {
  constructor(private readonly backend: JiraBackend) {}

  async request(accountId: string | undefined, method: string, path: string, body?: unknown): Promise<JiraResponse> {
    return this.backend.handle({
      method,
      path,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      actor: accountId ? { kind: 'user', accountId } : { kind: 'anonymous' },
    });
  }

  /** GET as the user; undefined when Jira says no (not found, no permission, not emulated). */
  async get<T>(accountId: string | undefined, path: string): Promise<T | undefined> {
    try {
      const res = await this.request(accountId, 'GET', path);
      return res.status >= 200 && res.status < 300 ? (parseBody(res.body) as T) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Jira's issue search as the user (every page), or Jira's error message for a JQL it refuses. */
  async search(accountId: string | undefined, jql: string): Promise<{ issues: JiraIssue[] } | { error: string }> {
    const issues: JiraIssue[] = [];
    let token: string | undefined;
    for (let page = 0; page < 20; page++) {
      const q = `jql=${encodeURIComponent(jql)}&fields=summary,status,issuetype&maxResults=100${token ? `&nextPageToken=${encodeURIComponent(token)}` : ''}`;
      const res = await this.request(accountId, 'GET', `/rest/api/3/search/jql?${q}`);
      const body = parseBody(res.body) as { issues?: JiraIssue[]; nextPageToken?: string; errorMessages?: string[] } | undefined;
      if (res.status !== 200) return { error: body?.errorMessages?.join(' ') || `HTTP ${res.status}` };
      issues.push(...(body?.issues ?? []));
      token = body?.nextPageToken;
      if (!token) break;
    }
    return { issues };
  }

  /** GET as the app (listing users for the switch, which a user may not be allowed to do). */
  async getAsApp<T>(path: string): Promise<T | undefined> {
    try {
      const res = await this.backend.handle({ method: 'GET', path, headers: { accept: 'application/json' }, body: undefined, actor: { kind: 'app' } });
      return res.status >= 200 && res.status < 300 ? (parseBody(res.body) as T) : undefined;
    } catch {
      return undefined;
    }
  }
}

export function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

export interface JiraUser {
  accountId: string;
  displayName?: string;
  timeZone?: string;
  locale?: string;
  accountType?: string;
  active?: boolean;
}

export interface JiraIssue {
  id: string;
  key: string;
  fields: {
    summary?: string;
    description?: unknown;
    status?: { id?: string; name?: string; statusCategory?: { key?: string; name?: string } };
    issuetype?: { id?: string; name?: string };
    project?: { id?: string; key?: string; name?: string; projectTypeKey?: string };
    assignee?: { accountId?: string; displayName?: string } | null;
    reporter?: { accountId?: string; displayName?: string } | null;
    priority?: { name?: string } | null;
    labels?: string[];
    created?: string;
    updated?: string;
  };
}

export interface JiraProject {
  id: string;
  key: string;
  name?: string;
  projectTypeKey?: string;
}
