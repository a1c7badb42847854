import type { JiraActor, PlatformHooks } from '../runtime/backends';
import type { LoadedManifest } from '../manifest';
import { forbidden, notFound, unauthorized } from './http';
import type { IssueTypeRow, JiraState, ProjectRow, StatusCategory, StatusRow, UserRow } from './state';

/** Project permissions a browse grant carries (the working permissions of a default scheme's members). */
export const WORKING_PERMISSIONS = [
  'BROWSE_PROJECTS',
  'CREATE_ISSUES',
  'EDIT_ISSUES',
  'TRANSITION_ISSUES',
  'LINK_ISSUES',
  'ADD_COMMENTS',
  'ASSIGNABLE_USER',
  'ASSIGN_ISSUES',
  'RESOLVE_ISSUES',
  'CLOSE_ISSUES',
  'SCHEDULE_ISSUES',
  'WORK_ON_ISSUES',
  'VIEW_READONLY_WORKFLOW',
] as const;

/** Everything a project administrator may do in the project. */
export const ADMIN_PERMISSIONS = [
  ...WORKING_PERMISSIONS,
  'ADMINISTER_PROJECTS',
  'DELETE_ISSUES',
  'MANAGE_WATCHERS',
  'EDIT_ALL_COMMENTS',
  'DELETE_ALL_COMMENTS',
  'MODIFY_REPORTER',
  'MOVE_ISSUES',
] as const;

export const ALL_PROJECT_PERMISSIONS: readonly string[] = ADMIN_PERMISSIONS;
export const GLOBAL_PERMISSIONS: readonly string[] = ['ADMINISTER', 'SYSTEM_ADMIN', 'USER_PICKER', 'CREATE_SHARED_OBJECTS', 'BULK_CHANGE'];

const CATEGORY: Record<StatusCategory, { id: number; key: string; colorName: string; name: string }> = {
  TODO: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  IN_PROGRESS: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  DONE: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
};

export interface SiteOptions {
  baseUrl: string;
  appAccountId: string;
  eventDelayMs: number;
  duplicateEvents: boolean;
  /** Pass the acting user to Forge function validators (Forge's validator page promises none; default true). */
  validatorPrincipal: boolean;
  /** Makes `expression/analyse` refuse an expression its parser accepts, as a Jira lacking a construct would. */
  rejectExpression?: ((expression: string) => { message: string; line?: number; column?: number } | undefined) | undefined;
}

/** The emulated Jira site: state, who is acting, and how things are shown. */
export class Site {
  readonly state: JiraState;
  readonly manifest: LoadedManifest;
  readonly hooks: PlatformHooks;
  readonly options: SiteOptions;

  constructor(state: JiraState, manifest: LoadedManifest, hooks: PlatformHooks, options: SiteOptions) {
    this.state = state;
    this.manifest = manifest;
    this.hooks = hooks;
    this.options = options;
  }

  url(path: string): string {
    return `${this.options.baseUrl}${path}`;
  }

  // --- actors and permissions -----------------------------------------------------------------------

  /** The account acting: the user for asUser, the app's own user for asApp; 401 when anonymous. */
  actorAccountId(actor: JiraActor): string {
    if (actor.kind === 'app') return this.options.appAccountId;
    if (actor.kind === 'user') {
      const u = this.state.user(actor.accountId);
      if (!u || !u.active) throw unauthorized();
      return actor.accountId;
    }
    throw unauthorized();
  }

  isSiteAdmin(actor: JiraActor): boolean {
    if (actor.kind === 'app') return true;
    if (actor.kind !== 'user') return false;
    return this.state.user(actor.accountId)?.siteAdmin === true;
  }

  globalPermissions(actor: JiraActor): Set<string> {
    this.actorAccountId(actor);
    return new Set(this.isSiteAdmin(actor) ? GLOBAL_PERMISSIONS : ['USER_PICKER', 'CREATE_SHARED_OBJECTS']);
  }

  /** Project permissions of an account (the app and site admins hold all of them). */
  permissionsOf(accountId: string, project: ProjectRow): Set<string> {
    if (accountId === this.options.appAccountId) return new Set(ALL_PROJECT_PERMISSIONS);
    const u = this.state.user(accountId);
    if (!u || !u.active) return new Set();
    if (u.siteAdmin) return new Set(ALL_PROJECT_PERMISSIONS);
    const granted = this.state.grantedPermissions(project.id, accountId);
    const out = new Set<string>();
    if (granted.has('ADMINISTER_PROJECTS')) ADMIN_PERMISSIONS.forEach((p) => out.add(p));
    if (granted.has('BROWSE_PROJECTS')) WORKING_PERMISSIONS.forEach((p) => out.add(p));
    return out;
  }

  projectPermissions(actor: JiraActor, project: ProjectRow): Set<string> {
    return this.permissionsOf(this.actorAccountId(actor), project);
  }

  canBrowse(actor: JiraActor, project: ProjectRow): boolean {
    return this.projectPermissions(actor, project).has('BROWSE_PROJECTS');
  }

  /** A project the actor cannot browse does not exist for them (Jira answers 404, never 403). */
  browsableProject(actor: JiraActor, idOrKey: string | number): ProjectRow {
    const p = this.state.project(idOrKey);
    if (!p || !this.canBrowse(actor, p)) throw notFound(`No project could be found with key '${idOrKey}'.`);
    return p;
  }

  requireProjectAdmin(actor: JiraActor, project: ProjectRow): void {
    if (!this.projectPermissions(actor, project).has('ADMINISTER_PROJECTS')) {
      throw forbidden('You cannot edit the configuration of this project.');
    }
  }

  requireSiteAdmin(actor: JiraActor): void {
    this.actorAccountId(actor);
    if (!this.isSiteAdmin(actor)) throw forbidden('Only Jira administrators can perform this operation.');
  }

  // --- representations ---------------------------------------------------------------------------------

  avatarUrls(kind: string, id: string | number): Record<string, string> {
    const base = this.url(`/secure/${kind}avatar?avatarId=${id}`);
    return { '16x16': `${base}&size=xsmall`, '24x24': `${base}&size=small`, '32x32': `${base}&size=medium`, '48x48': base };
  }

  userRow(accountId: string): UserRow | undefined {
    return this.state.user(accountId);
  }

  userJson(u: UserRow, withEmail = true): Record<string, unknown> {
    return {
      self: this.url(`/rest/api/3/user?accountId=${encodeURIComponent(u.accountId)}`),
      accountId: u.accountId,
      accountType: u.accountType,
      ...(withEmail && u.emailAddress ? { emailAddress: u.emailAddress } : {}),
      avatarUrls: this.avatarUrls('user', 10122),
      displayName: u.displayName,
      active: u.active,
      timeZone: u.timeZone,
      locale: u.locale,
    };
  }

  /** A compact user, as issue fields and role actors show it. */
  userRef(accountId: string | null | undefined): Record<string, unknown> | null {
    if (!accountId) return null;
    const u = this.state.user(accountId);
    if (!u) return null;
    return {
      self: this.url(`/rest/api/3/user?accountId=${encodeURIComponent(u.accountId)}`),
      accountId: u.accountId,
      avatarUrls: this.avatarUrls('user', 10122),
      displayName: u.displayName,
      active: u.active,
      timeZone: u.timeZone,
      accountType: u.accountType,
    };
  }

  statusCategoryJson(c: StatusCategory): Record<string, unknown> {
    const cat = CATEGORY[c];
    return { self: this.url(`/rest/api/3/statuscategory/${cat.id}`), id: cat.id, key: cat.key, colorName: cat.colorName, name: cat.name };
  }

  /** StatusDetails, as issue fields and transitions show a status. */
  statusDetails(s: StatusRow): Record<string, unknown> {
    return {
      self: this.url(`/rest/api/3/status/${s.id}`),
      description: s.description,
      iconUrl: this.url('/images/icons/statuses/generic.png'),
      name: s.name,
      id: String(s.id),
      statusCategory: this.statusCategoryJson(s.category),
    };
  }

  /** JiraStatus, as the bulk status API shows it. */
  jiraStatus(s: StatusRow): Record<string, unknown> {
    return {
      id: String(s.id),
      name: s.name,
      description: s.description,
      statusCategory: s.category,
      scope: s.scopeProjectId === null ? { type: 'GLOBAL' } : { type: 'PROJECT', project: { id: String(s.scopeProjectId) } },
    };
  }

  issueTypeJson(t: IssueTypeRow): Record<string, unknown> {
    return {
      self: this.url(`/rest/api/3/issuetype/${t.id}`),
      id: String(t.id),
      description: t.description,
      iconUrl: this.url(`/rest/api/2/universal_avatar/view/type/issuetype/avatar/10318?size=medium`),
      name: t.name,
      subtask: t.hierarchyLevel < 0,
      avatarId: 10318,
      entityId: t.entityId,
      hierarchyLevel: t.hierarchyLevel,
    };
  }

  projectRef(p: ProjectRow): Record<string, unknown> {
    return {
      self: this.url(`/rest/api/3/project/${p.id}`),
      id: String(p.id),
      key: p.key,
      name: p.name,
      projectTypeKey: p.projectTypeKey,
      simplified: false,
      avatarUrls: this.avatarUrls('project', 10200),
    };
  }

  /** Issue types of a project, in its issue type scheme's order. */
  projectIssueTypes(p: ProjectRow): IssueTypeRow[] {
    const scheme = this.state.issueTypeScheme(p.issueTypeSchemeId);
    return (scheme?.issueTypeIds ?? []).map((id) => this.state.issueType(id)).filter((t): t is IssueTypeRow => t !== undefined);
  }
}
