import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Json } from './http';

/**
 * The emulated site's state, in the platform's SQLite database (tables prefixed `jira_`). Rows are small and
 * typed here; nested documents (workflow transitions, issue fields) are JSON columns.
 */

export type StatusCategory = 'TODO' | 'IN_PROGRESS' | 'DONE';

export interface UserRow {
  accountId: string;
  displayName: string;
  emailAddress: string | null;
  accountType: 'atlassian' | 'app';
  active: boolean;
  siteAdmin: boolean;
  timeZone: string;
  locale: string;
}

export interface ProjectRow {
  id: number;
  key: string;
  name: string;
  description: string;
  leadAccountId: string;
  projectTypeKey: 'software' | 'business' | 'service_desk';
  issueTypeSchemeId: number;
  workflowSchemeId: number;
}

export interface RoleRow {
  id: number;
  name: string;
  description: string;
}

export interface IssueTypeRow {
  id: number;
  name: string;
  description: string;
  hierarchyLevel: number;
  entityId: string;
}

export interface IssueTypeSchemeRow {
  id: number;
  name: string;
  description: string;
  defaultIssueTypeId: number | null;
  isDefault: boolean;
  issueTypeIds: number[];
}

export interface StatusRow {
  id: number;
  name: string;
  description: string;
  category: StatusCategory;
  scopeProjectId: number | null;
}

export interface RuleConfig {
  id?: string;
  ruleKey: string;
  parameters?: Record<string, string>;
}

export interface ConditionGroup {
  operation: 'ALL' | 'ANY';
  conditions?: RuleConfig[];
  conditionGroups?: ConditionGroup[];
}

/** A transition as stored: status references resolved to status ids. */
export interface StoredTransition {
  id: string;
  name: string;
  description: string;
  type: 'INITIAL' | 'GLOBAL' | 'DIRECTED';
  toStatusId: string;
  links: { fromStatusId: string; fromPort?: number; toPort?: number }[];
  conditions?: ConditionGroup;
  validators: RuleConfig[];
  actions: RuleConfig[];
  properties: Record<string, string>;
}

export interface WorkflowRow {
  id: string;
  name: string;
  description: string;
  scopeProjectId: number | null;
  statusIds: string[];
  statusProperties: Record<string, Record<string, string>>;
  transitions: StoredTransition[];
  created: string;
  updated: string;
  versionId: string;
  versionNumber: number;
}

export interface WorkflowSchemeRow {
  id: number;
  name: string;
  description: string;
  /** Workflow name (the classic scheme API speaks in names). */
  defaultWorkflow: string;
  issueTypeMappings: Record<string, string>;
  versionId: string;
  versionNumber: number;
}

export interface IssueRow {
  id: number;
  key: string;
  projectId: number;
  issueTypeId: number;
  statusId: number;
  summary: string;
  /** Every other field, as Jira returns it (description ADF, labels, fixVersions, assignee...). */
  fields: Record<string, Json>;
  created: string;
  updated: string;
  createdMs: number;
  updatedMs: number;
  reporterAccountId: string | null;
  creatorAccountId: string | null;
}

export interface VersionRow {
  id: number;
  projectId: number;
  name: string;
  description: string;
  released: boolean;
  archived: boolean;
  startDate: string | null;
  releaseDate: string | null;
}

export interface LinkTypeRow {
  id: number;
  name: string;
  inward: string;
  outward: string;
}

export interface IssueLinkRow {
  id: number;
  typeId: number;
  inwardIssueId: number;
  outwardIssueId: number;
}

export interface ChangelogRow {
  id: number;
  issueId: number;
  authorAccountId: string | null;
  created: string;
  items: ChangelogItem[];
}

export interface CommentRow {
  id: number;
  issueId: number;
  authorAccountId: string;
  /** Atlassian Document Format. */
  body: Json;
  created: number;
  properties: Record<string, Json>;
}

export interface ChangelogItem {
  field: string;
  fieldtype: string;
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

const DDL = `
CREATE TABLE IF NOT EXISTS jira_seq (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS jira_users (account_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jira_projects (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, doc TEXT NOT NULL, next_issue INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS jira_project_permissions (project_id INTEGER NOT NULL, account_id TEXT NOT NULL, permission TEXT NOT NULL,
  PRIMARY KEY (project_id, account_id, permission));
CREATE TABLE IF NOT EXISTS jira_roles (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jira_role_actors (project_id INTEGER NOT NULL, role_id INTEGER NOT NULL, account_id TEXT NOT NULL,
  PRIMARY KEY (project_id, role_id, account_id));
CREATE TABLE IF NOT EXISTS jira_issue_types (id INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jira_issue_type_schemes (id INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jira_statuses (id INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jira_workflows (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jira_workflow_schemes (id INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jira_issues (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, project_id INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS jira_issues_project ON jira_issues (project_id, id);
CREATE TABLE IF NOT EXISTS jira_issue_properties (issue_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (issue_id, key));
CREATE TABLE IF NOT EXISTS jira_versions (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jira_link_types (id INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jira_issue_links (id INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jira_changelog (id INTEGER PRIMARY KEY, issue_id INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jira_comments (id INTEGER PRIMARY KEY, issue_id INTEGER NOT NULL, doc TEXT NOT NULL);
`;

type DocRow = { doc: string };

/** Typed access to the `jira_` tables. */
export class JiraState {
  readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
    db.exec(DDL);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Monotonic ids per sequence (Jira's ids start at 10000). */
  nextId(seq: string, start = 10000): number {
    const row = this.db.prepare('SELECT value FROM jira_seq WHERE name = ?').get(seq) as { value: number } | undefined;
    const next = row ? row.value + 1 : start;
    this.db.prepare('INSERT INTO jira_seq (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(seq, next);
    return next;
  }

  uuid(): string {
    return randomUUID();
  }

  // --- generic JSON-document tables -------------------------------------------------------------

  private getDoc<T>(table: string, id: number | string): T | undefined {
    const row = this.db.prepare(`SELECT doc FROM ${table} WHERE id = ?`).get(id) as DocRow | undefined;
    return row ? (JSON.parse(row.doc) as T) : undefined;
  }

  private allDocs<T>(table: string, where = '', ...args: unknown[]): T[] {
    return (this.db.prepare(`SELECT doc FROM ${table} ${where} ORDER BY id`).all(...args) as DocRow[]).map((r) => JSON.parse(r.doc) as T);
  }

  // --- users ---------------------------------------------------------------------------------------

  putUser(u: UserRow): void {
    this.db.prepare('INSERT OR REPLACE INTO jira_users (account_id, doc) VALUES (?, ?)').run(u.accountId, JSON.stringify(u));
  }
  user(accountId: string): UserRow | undefined {
    const row = this.db.prepare('SELECT doc FROM jira_users WHERE account_id = ?').get(accountId) as DocRow | undefined;
    return row ? (JSON.parse(row.doc) as UserRow) : undefined;
  }
  users(): UserRow[] {
    return (this.db.prepare('SELECT doc FROM jira_users ORDER BY account_id').all() as DocRow[]).map((r) => JSON.parse(r.doc) as UserRow);
  }

  // --- projects ------------------------------------------------------------------------------------

  putProject(p: ProjectRow): void {
    this.db
      .prepare('INSERT INTO jira_projects (id, key, doc) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET key = excluded.key, doc = excluded.doc')
      .run(p.id, p.key, JSON.stringify(p));
  }
  project(idOrKey: string | number): ProjectRow | undefined {
    const s = String(idOrKey);
    const row = (/^\d+$/.test(s)
      ? this.db.prepare('SELECT doc FROM jira_projects WHERE id = ?').get(Number(s))
      : this.db.prepare('SELECT doc FROM jira_projects WHERE key = ? COLLATE NOCASE').get(s)) as DocRow | undefined;
    return row ? (JSON.parse(row.doc) as ProjectRow) : undefined;
  }
  projects(): ProjectRow[] {
    return this.allDocs<ProjectRow>('jira_projects');
  }
  nextIssueNumber(projectId: number): number {
    const row = this.db.prepare('UPDATE jira_projects SET next_issue = next_issue + 1 WHERE id = ? RETURNING next_issue - 1 AS n').get(projectId) as { n: number };
    return row.n;
  }

  // --- project permissions and roles -----------------------------------------------------------------

  grant(projectId: number, accountId: string, permission: string): void {
    this.db.prepare('INSERT OR IGNORE INTO jira_project_permissions VALUES (?, ?, ?)').run(projectId, accountId, permission);
  }
  revoke(projectId: number, accountId: string, permission: string): void {
    this.db.prepare('DELETE FROM jira_project_permissions WHERE project_id = ? AND account_id = ? AND permission = ?').run(projectId, accountId, permission);
  }
  grantedPermissions(projectId: number, accountId: string): Set<string> {
    const rows = this.db
      .prepare('SELECT permission FROM jira_project_permissions WHERE project_id = ? AND account_id = ?')
      .all(projectId, accountId) as { permission: string }[];
    return new Set(rows.map((r) => r.permission));
  }

  putRole(r: RoleRow): void {
    this.db.prepare('INSERT OR REPLACE INTO jira_roles (id, name, description) VALUES (?, ?, ?)').run(r.id, r.name, r.description);
  }
  role(id: number): RoleRow | undefined {
    return this.db.prepare('SELECT id, name, description FROM jira_roles WHERE id = ?').get(id) as RoleRow | undefined;
  }
  roleByName(name: string): RoleRow | undefined {
    return this.db.prepare('SELECT id, name, description FROM jira_roles WHERE name = ? COLLATE NOCASE').get(name) as RoleRow | undefined;
  }
  roles(): RoleRow[] {
    return this.db.prepare('SELECT id, name, description FROM jira_roles ORDER BY id').all() as RoleRow[];
  }
  roleActors(projectId: number, roleId: number): string[] {
    return (this.db.prepare('SELECT account_id FROM jira_role_actors WHERE project_id = ? AND role_id = ? ORDER BY account_id').all(projectId, roleId) as {
      account_id: string;
    }[]).map((r) => r.account_id);
  }
  rolesOf(projectId: number, accountId: string): number[] {
    return (this.db.prepare('SELECT role_id FROM jira_role_actors WHERE project_id = ? AND account_id = ? ORDER BY role_id').all(projectId, accountId) as {
      role_id: number;
    }[]).map((r) => r.role_id);
  }
  addRoleActor(projectId: number, roleId: number, accountId: string): void {
    this.db.prepare('INSERT OR IGNORE INTO jira_role_actors VALUES (?, ?, ?)').run(projectId, roleId, accountId);
  }
  removeRoleActor(projectId: number, roleId: number, accountId: string): number {
    return this.db.prepare('DELETE FROM jira_role_actors WHERE project_id = ? AND role_id = ? AND account_id = ?').run(projectId, roleId, accountId).changes;
  }

  // --- issue types and schemes ---------------------------------------------------------------------

  putIssueType(t: IssueTypeRow): void {
    this.db.prepare('INSERT OR REPLACE INTO jira_issue_types (id, doc) VALUES (?, ?)').run(t.id, JSON.stringify(t));
  }
  issueType(id: number | string): IssueTypeRow | undefined {
    return this.getDoc<IssueTypeRow>('jira_issue_types', Number(id));
  }
  issueTypes(): IssueTypeRow[] {
    return this.allDocs<IssueTypeRow>('jira_issue_types');
  }
  putIssueTypeScheme(s: IssueTypeSchemeRow): void {
    this.db.prepare('INSERT OR REPLACE INTO jira_issue_type_schemes (id, doc) VALUES (?, ?)').run(s.id, JSON.stringify(s));
  }
  issueTypeScheme(id: number | string): IssueTypeSchemeRow | undefined {
    return this.getDoc<IssueTypeSchemeRow>('jira_issue_type_schemes', Number(id));
  }

  // --- statuses --------------------------------------------------------------------------------------

  putStatus(s: StatusRow): void {
    this.db.prepare('INSERT OR REPLACE INTO jira_statuses (id, doc) VALUES (?, ?)').run(s.id, JSON.stringify(s));
  }
  status(id: number | string): StatusRow | undefined {
    return /^\d+$/.test(String(id)) ? this.getDoc<StatusRow>('jira_statuses', Number(id)) : undefined;
  }
  statuses(): StatusRow[] {
    return this.allDocs<StatusRow>('jira_statuses');
  }

  // --- workflows and schemes ---------------------------------------------------------------------------

  putWorkflow(w: WorkflowRow): void {
    this.db.prepare('INSERT OR REPLACE INTO jira_workflows (id, name, doc) VALUES (?, ?, ?)').run(w.id, w.name, JSON.stringify(w));
  }
  workflow(id: string): WorkflowRow | undefined {
    return this.getDoc<WorkflowRow>('jira_workflows', id);
  }
  workflowByName(name: string): WorkflowRow | undefined {
    const row = this.db.prepare('SELECT doc FROM jira_workflows WHERE name = ?').get(name) as DocRow | undefined;
    return row ? (JSON.parse(row.doc) as WorkflowRow) : undefined;
  }
  workflows(): WorkflowRow[] {
    return (this.db.prepare('SELECT doc FROM jira_workflows ORDER BY rowid').all() as DocRow[]).map((r) => JSON.parse(r.doc) as WorkflowRow);
  }
  putWorkflowScheme(s: WorkflowSchemeRow): void {
    this.db.prepare('INSERT OR REPLACE INTO jira_workflow_schemes (id, doc) VALUES (?, ?)').run(s.id, JSON.stringify(s));
  }
  workflowSchemes(): WorkflowSchemeRow[] {
    return this.allDocs<WorkflowSchemeRow>('jira_workflow_schemes');
  }
  workflowScheme(id: number | string): WorkflowSchemeRow | undefined {
    return /^\d+$/.test(String(id)) ? this.getDoc<WorkflowSchemeRow>('jira_workflow_schemes', Number(id)) : undefined;
  }

  // --- issues ----------------------------------------------------------------------------------------

  putIssue(i: IssueRow): void {
    this.db
      .prepare('INSERT INTO jira_issues (id, key, project_id, doc) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET key = excluded.key, doc = excluded.doc')
      .run(i.id, i.key, i.projectId, JSON.stringify(i));
  }
  issue(idOrKey: string | number): IssueRow | undefined {
    const s = String(idOrKey);
    const row = (/^\d+$/.test(s)
      ? this.db.prepare('SELECT doc FROM jira_issues WHERE id = ?').get(Number(s))
      : this.db.prepare('SELECT doc FROM jira_issues WHERE key = ? COLLATE NOCASE').get(s)) as DocRow | undefined;
    return row ? (JSON.parse(row.doc) as IssueRow) : undefined;
  }
  /** Removes an issue with its properties, comments, changelog and links (Jira's delete, subtasks aside). */
  deleteIssue(id: number): void {
    this.db.transaction(() => {
      for (const t of ['jira_issue_properties', 'jira_comments', 'jira_changelog']) this.db.prepare(`DELETE FROM ${t} WHERE issue_id = ?`).run(id);
      for (const l of this.db.prepare('SELECT id, doc FROM jira_issue_links').all() as { id: number; doc: string }[]) {
        const d = JSON.parse(l.doc) as { inwardIssueId?: number; outwardIssueId?: number };
        if (d.inwardIssueId === id || d.outwardIssueId === id) this.db.prepare('DELETE FROM jira_issue_links WHERE id = ?').run(l.id);
      }
      this.db.prepare('DELETE FROM jira_issues WHERE id = ?').run(id);
    })();
  }
  issues(projectIds?: number[]): IssueRow[] {
    if (!projectIds) return this.allDocs<IssueRow>('jira_issues');
    if (projectIds.length === 0) return [];
    return this.allDocs<IssueRow>('jira_issues', `WHERE project_id IN (${projectIds.map(() => '?').join(',')})`, ...projectIds);
  }
  countIssues(projectId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM jira_issues WHERE project_id = ?').get(projectId) as { n: number }).n;
  }

  properties(issueId: number): Record<string, Json> {
    const rows = this.db.prepare('SELECT key, value FROM jira_issue_properties WHERE issue_id = ? ORDER BY key').all(issueId) as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as Json]));
  }
  property(issueId: number, key: string): Json | undefined {
    const row = this.db.prepare('SELECT value FROM jira_issue_properties WHERE issue_id = ? AND key = ?').get(issueId, key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as Json) : undefined;
  }
  /** Returns true when the property was created (not replaced). */
  setProperty(issueId: number, key: string, value: Json): boolean {
    const existed = this.property(issueId, key) !== undefined;
    this.db.prepare('INSERT OR REPLACE INTO jira_issue_properties (issue_id, key, value) VALUES (?, ?, ?)').run(issueId, key, JSON.stringify(value));
    return !existed;
  }
  deleteProperty(issueId: number, key: string): boolean {
    return this.db.prepare('DELETE FROM jira_issue_properties WHERE issue_id = ? AND key = ?').run(issueId, key).changes > 0;
  }

  addChangelog(c: Omit<ChangelogRow, 'id'>): ChangelogRow {
    const id = this.nextId('changelog');
    const row = { ...c, id };
    this.db.prepare('INSERT INTO jira_changelog (id, issue_id, doc) VALUES (?, ?, ?)').run(id, c.issueId, JSON.stringify(row));
    return row;
  }
  changelog(issueId: number): ChangelogRow[] {
    return this.allDocs<ChangelogRow>('jira_changelog', 'WHERE issue_id = ?', issueId);
  }

  addComment(c: Omit<CommentRow, 'id'>): CommentRow {
    const row = { ...c, id: this.nextId('comment') };
    this.db.prepare('INSERT INTO jira_comments (id, issue_id, doc) VALUES (?, ?, ?)').run(row.id, row.issueId, JSON.stringify(row));
    return row;
  }
  comments(issueId: number): CommentRow[] {
    return this.allDocs<CommentRow>('jira_comments', 'WHERE issue_id = ?', issueId);
  }

  // --- versions and links ------------------------------------------------------------------------------

  putVersion(v: VersionRow): void {
    this.db.prepare('INSERT OR REPLACE INTO jira_versions (id, project_id, doc) VALUES (?, ?, ?)').run(v.id, v.projectId, JSON.stringify(v));
  }
  version(id: number | string): VersionRow | undefined {
    return /^\d+$/.test(String(id)) ? this.getDoc<VersionRow>('jira_versions', Number(id)) : undefined;
  }
  versions(projectId: number): VersionRow[] {
    return this.allDocs<VersionRow>('jira_versions', 'WHERE project_id = ?', projectId);
  }

  putLinkType(t: LinkTypeRow): void {
    this.db.prepare('INSERT OR REPLACE INTO jira_link_types (id, doc) VALUES (?, ?)').run(t.id, JSON.stringify(t));
  }
  linkTypes(): LinkTypeRow[] {
    return this.allDocs<LinkTypeRow>('jira_link_types');
  }
  putLink(l: IssueLinkRow): void {
    this.db.prepare('INSERT OR REPLACE INTO jira_issue_links (id, doc) VALUES (?, ?)').run(l.id, JSON.stringify(l));
  }
  link(id: number | string): IssueLinkRow | undefined {
    return /^\d+$/.test(String(id)) ? this.getDoc<IssueLinkRow>('jira_issue_links', Number(id)) : undefined;
  }
  deleteLink(id: number): void {
    this.db.prepare('DELETE FROM jira_issue_links WHERE id = ?').run(id);
  }
  linksOf(issueId: number): IssueLinkRow[] {
    return this.allDocs<IssueLinkRow>('jira_issue_links').filter((l) => l.inwardIssueId === issueId || l.outwardIssueId === issueId);
  }
}
