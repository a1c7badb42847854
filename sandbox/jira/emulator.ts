import type Database from 'better-sqlite3';
import type { LoadedManifest } from '../manifest';
import type { JiraActor, JiraBackend, JiraRequest, JiraResponse, PlatformHooks } from '../runtime/backends';
import { flushEvents } from './events';
import { FaultInjector, faultResponse, sleep, type FaultSpec } from './faults';
import { JiraHttpError, type Json } from './http';
import { createIssue } from './issues';
import { issueTypeStatusRoutes } from './issuetypes-statuses';
import { commentRoutes } from './comments';
import { issueRoutes } from './issues';
import { loadOpenApi, type OpenApiSpec, type OperationMatch } from './openapi';
import { rolePermissionRoutes } from './roles-permissions';
import { RouteTable } from './router';
import { searchRoutes } from './search';
import { addProject, seedSite, type NewProject } from './seed';
import { Site } from './site';
import { JiraState, type IssueRow, type ProjectRow, type UserRow } from './state';
import { userProjectRoutes } from './users-projects';
import { versionRoutes } from './versions';
import { workflowRoutes } from './workflows';
import { expressionRoutes } from './expressions';

export interface JiraEmulatorOptions {
  manifest: LoadedManifest;
  /** The Jira OpenAPI document; default `JIRA_OPENAPI_PATH`, else `../shared/reference/...` beside the repo. */
  openApiPath?: string;
  /** Turn any OpenAPI mismatch into a 500 naming it (default true). */
  strictOpenApi?: boolean;
  /** The app's own Jira user, acting for `asApp()` calls. */
  appAccountId?: string;
  /** Deliver product events this late (ms). */
  eventDelayMs?: number;
  /** Deliver every product event twice, as Forge may. */
  duplicateEvents?: boolean;
  baseUrl?: string;
  /**
   * Whether a Forge function validator's invocation carries the acting user as its principal. Forge's
   * `jira:workflowValidator` page documents the event without a user, so the app must hold either way.
   */
  validatorPrincipal?: boolean;
  /** `expression/analyse` refuses what this returns a message for (a Jira whose engine lacks a construct). */
  rejectExpression?: (expression: string) => { message: string; line?: number; column?: number } | undefined;
}

export interface ValidationErrorRecord {
  method: string;
  path: string;
  operation: string;
  phase: 'request' | 'response';
  problems: string[];
}

export interface RequestLogEntry {
  method: string;
  path: string;
  actor: JiraActor;
  status: number;
  durationMs: number;
  operation?: string;
  fault?: boolean;
}

export interface NewUser {
  accountId: string;
  displayName?: string;
  emailAddress?: string;
  siteAdmin?: boolean;
  active?: boolean;
  timeZone?: string;
  locale?: string;
}

export interface NewIssue {
  project: string;
  summary: string;
  issueType?: string;
  reporterAccountId?: string;
  fields?: Record<string, Json>;
  properties?: Record<string, Json>;
}

/** Every endpoint the emulator answers, in the OpenAPI document's own terms. */
export const JIRA_ROUTES = new RouteTable([
  ...userProjectRoutes,
  ...rolePermissionRoutes,
  ...issueTypeStatusRoutes,
  ...workflowRoutes,
  ...issueRoutes,
  ...commentRoutes,
  ...versionRoutes,
  ...searchRoutes,
  ...expressionRoutes,
]);

export const EMULATED_ENDPOINTS: readonly { method: string; template: string }[] = JIRA_ROUTES.list();

export class JiraEmulator implements JiraBackend {
  readonly site: Site;
  readonly state: JiraState;
  readonly spec: OpenApiSpec;
  readonly strict: boolean;
  readonly validationErrors: ValidationErrorRecord[] = [];
  readonly requestLog: RequestLogEntry[] = [];
  private readonly faults = new FaultInjector();

  constructor(db: Database.Database, hooks: PlatformHooks, options: JiraEmulatorOptions) {
    this.state = new JiraState(db);
    this.spec = loadOpenApi(options.openApiPath);
    this.strict = options.strictOpenApi ?? true;
    const appAccountId = options.appAccountId ?? '557058:forge-app-release-governance';
    this.site = new Site(this.state, options.manifest, hooks, {
      baseUrl: options.baseUrl ?? 'https://local-jira.atlassian.net',
      appAccountId,
      eventDelayMs: options.eventDelayMs ?? 0,
      duplicateEvents: options.duplicateEvents ?? false,
      validatorPrincipal: options.validatorPrincipal ?? true,
      rejectExpression: options.rejectExpression,
    });
    seedSite(this.state);
    if (!this.state.user(appAccountId)) {
      this.state.putUser({
        accountId: appAccountId,
        displayName: 'Release Governance for Jira',
        emailAddress: null,
        accountType: 'app',
        active: true,
        siteAdmin: false,
        timeZone: 'UTC',
        locale: 'en_US',
      });
    }
  }

  // --- JiraBackend ------------------------------------------------------------------------------------

  async handle(req: JiraRequest): Promise<JiraResponse> {
    const started = Date.now();
    const url = new URL(req.path, 'http://jira.local');
    const path = url.pathname;
    const log = (res: JiraResponse, extra: Partial<RequestLogEntry> = {}): JiraResponse => {
      this.requestLog.push({ method: req.method, path: req.path, actor: req.actor, status: res.status, durationMs: Date.now() - started, ...extra });
      return res;
    };

    const match = this.spec.match(req.method, path);
    const fault = this.faults.take(req.method, path, match?.operationId);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.status && fault.mode !== 'lostAnswer') return log(faultResponse({ ...fault, status: fault.status }), { fault: true });
    if (fault?.status) {
      // Applied, then the answer is lost: the write happens, the caller hears a failure.
      const lost = { ...fault, status: fault.status };
      await this.answer(req, url, path, match, log);
      return log(faultResponse(lost), { fault: true });
    }
    return this.answer(req, url, path, match, log);
  }

  private async answer(
    req: JiraRequest,
    url: URL,
    path: string,
    match: OperationMatch | undefined,
    log: (res: JiraResponse, extra?: Partial<RequestLogEntry>) => JiraResponse,
  ): Promise<JiraResponse> {
    if (!match) {
      const problem = `${req.method} ${path} is not an operation of the Jira REST API (OpenAPI document)`;
      this.record(req, '-', 'request', [problem]);
      return log({ status: 404, body: { errorMessages: [problem], errors: {} } });
    }
    const route = JIRA_ROUTES.find(req.method, match.template);
    if (!route) {
      return log({ status: 501, body: { errorMessages: [`${req.method} ${match.template} is not emulated by the local Jira`], errors: {} } }, { operation: match.operationId });
    }

    let body: unknown;
    const hasBody = req.body !== undefined && req.body !== '';
    if (hasBody) {
      try {
        body = JSON.parse(req.body as string);
      } catch {
        return log({ status: 400, body: { errorMessages: ['Unexpected character in the request body: it is not JSON.'], errors: {} } }, { operation: match.operationId });
      }
    }
    const requestProblems = this.spec.validateRequest(match, url.searchParams, body, hasBody);
    if (requestProblems.length > 0) {
      this.record(req, match.operationId, 'request', requestProblems);
      if (this.strict) return log(this.mismatch(match, 'request', requestProblems), { operation: match.operationId });
    }

    let res: JiraResponse;
    try {
      res = await route.handler({ method: req.method, template: match.template, pathParams: match.pathParams, query: url.searchParams, body, actor: req.actor }, this.site);
    } catch (error) {
      if (!(error instanceof JiraHttpError)) throw error;
      res = { status: this.deniedStatus(match, error.status), body: error.body, ...(Object.keys(error.headers).length ? { headers: error.headers } : {}) };
    }
    // What crosses the wire is JSON: validate exactly that.
    const wireBody: unknown = res.body === undefined ? undefined : JSON.parse(JSON.stringify(res.body));
    const responseProblems = this.spec.validateResponse(match, res.status, wireBody);
    if (responseProblems.length > 0) {
      this.record(req, match.operationId, 'response', responseProblems);
      if (this.strict) return log(this.mismatch(match, 'response', responseProblems), { operation: match.operationId });
    }
    return log({ ...res, body: wireBody }, { operation: match.operationId });
  }

  /** Jira documents some refusals as 404 or 401 rather than 403: answer with what the operation declares. */
  private deniedStatus(match: OperationMatch, status: number): number {
    if (status !== 403) return status;
    const op = this.spec.operation(match.template, match.method);
    if (!op || op.responses['403']) return 403;
    return op.responses['404'] ? 404 : op.responses['401'] ? 401 : 403;
  }

  private record(req: JiraRequest, operation: string, phase: 'request' | 'response', problems: string[]): void {
    this.validationErrors.push({ method: req.method, path: req.path, operation, phase, problems });
  }

  private mismatch(match: OperationMatch, phase: 'request' | 'response', problems: string[]): JiraResponse {
    return {
      status: 500,
      body: { errorMessages: [`OpenAPI ${phase} mismatch for ${match.operationId} (${match.method.toUpperCase()} ${match.template}): ${problems.join('; ')}`], errors: {} },
    };
  }

  // --- admin API (tests, seeding) ------------------------------------------------------------------------

  addUser(u: NewUser): UserRow {
    const row: UserRow = {
      accountId: u.accountId,
      displayName: u.displayName ?? u.accountId,
      emailAddress: u.emailAddress ?? null,
      accountType: 'atlassian',
      active: u.active ?? true,
      siteAdmin: u.siteAdmin ?? false,
      timeZone: u.timeZone ?? 'UTC',
      locale: u.locale ?? 'en_US',
    };
    this.state.putUser(row);
    return row;
  }

  addProject(spec: NewProject): ProjectRow {
    return addProject(this.site, spec);
  }

  private projectOrThrow(key: string): ProjectRow {
    const p = this.state.project(key);
    if (!p) throw new Error(`no project ${key}`);
    return p;
  }

  grantBrowse(projectKey: string, accountId: string): void {
    this.state.grant(this.projectOrThrow(projectKey).id, accountId, 'BROWSE_PROJECTS');
  }

  revokeBrowse(projectKey: string, accountId: string): void {
    this.state.revoke(this.projectOrThrow(projectKey).id, accountId, 'BROWSE_PROJECTS');
  }

  grantAdmin(projectKey: string, accountId: string): void {
    this.state.grant(this.projectOrThrow(projectKey).id, accountId, 'ADMINISTER_PROJECTS');
  }

  addRoleMember(projectKey: string, roleId: number, accountId: string): void {
    this.state.addRoleActor(this.projectOrThrow(projectKey).id, roleId, accountId);
  }

  /** Creates an issue as the app would see it created in Jira (emits `avi:jira:created:issue`). */
  addIssue(spec: NewIssue): IssueRow {
    const p = this.projectOrThrow(spec.project);
    const reporter = spec.reporterAccountId ?? p.leadAccountId;
    const type = this.site.projectIssueTypes(p).find((t) => t.name === (spec.issueType ?? 'Task') || String(t.id) === spec.issueType);
    if (!type) throw new Error(`project ${p.key} has no issue type ${spec.issueType}`);
    return createIssue(
      this.site,
      reporter,
      {
        fields: { ...spec.fields, project: { id: String(p.id) }, issuetype: { id: String(type.id) }, summary: spec.summary },
        properties: Object.entries(spec.properties ?? {}).map(([key, value]) => ({ key, value })),
      },
      { kind: 'app' },
    );
  }

  getIssue(idOrKey: string): (IssueRow & { statusName: string; properties: Record<string, Json> }) | undefined {
    const i = this.state.issue(idOrKey);
    if (!i) return undefined;
    return { ...i, statusName: this.state.status(i.statusId)?.name ?? '', properties: this.state.properties(i.id) };
  }

  injectFault(spec: FaultSpec): void {
    this.faults.add(spec);
  }

  /** Latency alone on matching requests. */
  injectLatency(spec: Omit<FaultSpec, 'status' | 'retryAfterSeconds'> & { latencyMs: number }): void {
    const { method, pathPattern, times, latencyMs } = spec;
    this.faults.add({ pathPattern, latencyMs, ...(method ? { method } : {}), ...(times === undefined ? {} : { times }) });
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Hands every delayed product event to the platform; follow with `platform.drainEvents()`. */
  flushEvents(): Promise<void> {
    return flushEvents(this.site);
  }

  get appAccountId(): string {
    return this.site.options.appAccountId;
  }
}

export function createJiraEmulator(db: Database.Database, hooks: PlatformHooks, options: JiraEmulatorOptions): JiraEmulator {
  return new JiraEmulator(db, hooks, options);
}
