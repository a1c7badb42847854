/**
 * The audit trail's vocabulary, in ONE place: every action the app writes (`AUDIT_ACTIONS`), every field an
 * event may carry and how its value is shown (`AUDIT_FIELDS`), and the pure renderer that turns an event into
 * sentences in the reader's language. Locale keys: `audit.action.<action>`, `audit.field.<field>`, an enum's
 * `<labels>.<VALUE>`. The convention for other features: /work/notes/audit-format.md (and the README).
 */
import { DSL_ENVIRONMENTS, DSL_STATUSES, USAGE_REQUEST_STATUSES } from './dsl';
import { FREEZE_KINDS, FREEZE_SEVERITIES } from './freeze';
import { KPI_NAMES } from './kpiCatalog';
import { REASON_CODES } from './reasons';
import type { TransitionEffect } from './lifecycle';
import { CLASSIFICATIONS, OUTCOMES, RELEASE_STATUSES, RISK_LEVELS, type Release } from './release';
import { STANDING_ROLES, TEAM_ROLES } from './roles';
import { TRAINING_AUDIENCES } from './training';

export const AUDIT_SUBJECT_TYPES = ['RELEASE', 'DSL_ITEM', 'PROJECT'] as const;
export type AuditSubjectType = (typeof AUDIT_SUBJECT_TYPES)[number];

export interface AuditActionSpec {
  readonly subject: AuditSubjectType;
}

const release = { subject: 'RELEASE' } as const;
const dsl = { subject: 'DSL_ITEM' } as const;
const project = { subject: 'PROJECT' } as const;

/** Every audit action the app writes. `Changes.audit()` accepts nothing else. */
export const AUDIT_ACTIONS = {
  submitRelease: release,
  // The Release Request was deleted in Jira; the app removed the record (src/services/release-issue-deleted.ts).
  releaseIssueDeleted: release,
  approve: release,
  reject: release,
  startBuild: release,
  markReady: release,
  startImplementation: release,
  markDeployed: release,
  invokeFallback: release,
  completeFallback: release,
  verifyAndClose: release,
  cancel: release,
  classify: release,
  assignLead: release,
  setWindow: release,
  assessRisk: release,
  changeTeam: release,
  evaluateParticipant: release,
  recordEmergencyOverride: release,
  recordFreezeException: release,
  editPlan: release,
  editFallbackPlan: release,
  recordOpinion: release,
  addImplementer: release,
  recordRehearsal: release,
  recordIntegrationTest: release,
  recordUat: release,
  recordCutover: release,
  reportProgress: release,
  recordDeploymentResult: release,
  recordFallbackExecution: release,
  recordOperationalAcceptance: release,
  'manageTraining.create': release,
  'manageTraining.update': release,
  'manageTraining.delete': release,
  recordTrainingDelivery: release,
  recordTrainingResult: release,
  'training.reminded': release,
  'pipelineReport.started': release,
  'pipelineReport.progress': release,
  pipelineFinish: release,
  dslEnvironmentUpdate: release,
  dslRegister: dsl,
  dslApprove: dsl,
  dslCheckIn: dsl,
  dslCheckOut: dsl,
  dslReturn: dsl,
  dslReplace: dsl,
  dslRetire: dsl,
  dslAudit: dsl,
  dslLink: dsl,
  dslRequestUsage: dsl,
  dslDecideUsage: dsl,
  dslImport: project,
  // A committed import that stopped before its end (a row taken meanwhile, a part that no longer adds up).
  dslImportFailed: project,
  setupProject: project,
  // Set-up (after an upgrade, or re-run by an admin) brought the site's workflow rules to the current version's.
  setupWorkflowUpdated: project,
  editPolicy: project,
  mapRoles: project,
  'improvement.create': project,
  'improvement.propose': project,
  'improvement.update': project,
  'improvement.complete': project,
  'improvement.delete': project,
  'kpi.reconcile': project,
  'kpi.improvementsOverdue': project,
  'manageFreezes.create': project,
  'manageFreezes.update': project,
  'manageFreezes.delete': project,
  'pipelineToken.create': project,
  'pipelineToken.revoke': project,
} as const satisfies Record<string, AuditActionSpec>;
export type AuditAction = keyof typeof AUDIT_ACTIONS;
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];

export function isAuditAction(value: string): value is AuditAction {
  return Object.prototype.hasOwnProperty.call(AUDIT_ACTIONS, value);
}

/** How a field's value is shown. */
export type AuditKind =
  | { readonly kind: 'text' | 'reason' | 'person' | 'date' | 'month' | 'number' | 'hours' | 'percent' | 'bool' | 'issueKey' | 'release' | 'dslItem' | 'internal' | 'fieldName' }
  | { readonly kind: 'enum' | 'enumKeys'; readonly labels: string; readonly values: readonly string[] }
  | { readonly kind: 'record' }
  | { readonly kind: 'list'; readonly of: AuditKind };

const k = <K extends AuditKind['kind']>(kind: K) => ({ kind }) as const;
const text = k('text');
const reason = k('reason');
const person = k('person');
const date = k('date');
const num = k('number');
const hours = k('hours');
const bool = k('bool');
const internal = k('internal');
const record = k('record');
const en = (labels: string, values: readonly string[]) => ({ kind: 'enum', labels, values }) as const;
const list = (of: AuditKind) => ({ kind: 'list', of }) as const;

const releaseFields = {
  id: internal,
  issueKey: k('issueKey'),
  summary: text,
  projectId: internal,
  status: en('status', RELEASE_STATUSES),
  classification: en('classification', CLASSIFICATIONS),
  riskLevel: en('risk', RISK_LEVELS),
  riskAnalysis: text,
  linkedChangeKey: k('issueKey'),
  windowStart: date,
  windowEnd: date,
  leadAccountId: person,
  requesterAccountId: person,
  plan: record,
  actualEffortHours: hours,
  departmentOpinions: list(record),
  tests: record,
  cutover: record,
  operationalAcceptance: record,
  deployment: record,
  progressReports: list(record),
  outcome: en('outcome', OUTCOMES),
  statusEnteredAt: internal,
  emergencyOverride: record,
  freezeException: record,
  rejectionReason: reason,
  cancelReason: reason,
  createdAt: date,
  version: internal,
} as const satisfies Record<keyof Release, AuditKind>;

/** Every field an audit event may carry (at any depth), one meaning per name. */
export const AUDIT_FIELDS = {
  ...releaseFields,
  // a second release request raised from the same change request (with its reason)
  raisedAnother: bool,
  earlierReleases: list(k('issueKey')),
  // inside release records
  scope: text,
  schedule: text,
  plannedEffortHours: hours,
  department: text,
  opinion: text,
  recordedBy: person,
  recordedAt: date,
  integration: record,
  uat: record,
  passed: bool,
  note: text,
  evidenceUrl: text,
  confirmed: bool,
  confirmedBy: person,
  confirmedAt: date,
  accepted: bool,
  resultConfirmed: bool,
  succeeded: bool,
  finishedAt: date,
  reportedBy: person,
  reportedAt: date,
  percentComplete: k('percent'),
  effortHours: hours,
  reason,
  // what a transition left to do after its commit (Jira and DSL work)
  pendingEffects: list(en('audit.enum.effect', ['RAISE_CMDB_UPDATE_TASK', 'UPDATE_DSL_ENVIRONMENT_VERSIONS', 'RECORD_KPI_FACTS'] satisfies TransitionEffect[])),
  // where a change came from (the Jira workflow rather than the app)
  source: en('audit.enum.source', ['jira']),
  // team
  memberAdded: record,
  memberRemoved: record,
  accountId: person,
  teamRole: en('role', TEAM_ROLES),
  evaluated: person,
  evaluationId: internal,
  // fallback plan
  steps: num,
  triggerCriteria: text,
  rehearsal: record,
  rehearsalResult: en('audit.enum.rehearsalResult', ['PASSED', 'FAILED']),
  environment: text,
  fallbackResult: en('audit.enum.fallbackResult', ['SUCCEEDED', 'FAILED']),
  // training
  task: record,
  taskId: internal,
  audience: en('audience', TRAINING_AUDIENCES),
  trainer: person,
  dueAt: date,
  deliveredAt: date,
  traineesAssessed: num,
  traineesPassed: num,
  commentId: internal,
  // DSL
  name: text,
  dslVersion: text,
  sha256: text,
  dslStatus: en('audit.enum.dslStatus', DSL_STATUSES),
  releaseIds: list(k('release')),
  releaseId: k('release'),
  checkedInAt: date,
  usageRequestId: internal,
  usageRequestStatus: en('audit.enum.usageRequestStatus', USAGE_REQUEST_STATUSES),
  purpose: text,
  requester: person,
  dslEnvironment: en('audit.enum.dslEnvironment', DSL_ENVIRONMENTS),
  dslEnvironments: list(en('audit.enum.dslEnvironment', DSL_ENVIRONMENTS)),
  dslItems: list(text),
  supersededBy: k('dslItem'),
  replacementVersion: text,
  matched: bool,
  differences: list(record),
  field: k('fieldName'),
  expected: text,
  actual: text,
  importId: internal,
  rows: text,
  writtenRows: k('number'),
  problemRows: text,
  // project set-up and policy
  roleIds: { kind: 'enumKeys', labels: 'role', values: STANDING_ROLES } as const,
  statusIds: { kind: 'enumKeys', labels: 'status', values: RELEASE_STATUSES } as const,
  issueTypeId: internal,
  appVersion: text,
  workflowVersion: k('number'),
  transitionsUpdated: k('number'),
  policy: record,
  gates: record,
  requireLinkedChange: bool,
  requireHelpDeskTraining: bool,
  requireDepartmentOpinions: bool,
  requireBusinessCutover: bool,
  segregationOfDuties: bool,
  allowDualTeamRoles: bool,
  forbiddenTeamRolePairs: list(list(en('role', TEAM_ROLES))),
  reviewSlaDays: num,
  dslTimelyUpdateHours: hours,
  timeZone: text,
  pipelineDeployEnvironment: text,
  kpiTargets: { kind: 'enumKeys', labels: 'kpi', values: KPI_NAMES } as const,
  locale: text,
  // change freezes
  freezeId: internal,
  freezeSeverity: en('audit.enum.freezeSeverity', FREEZE_SEVERITIES),
  appliesTo: list(en('classification', CLASSIFICATIONS)),
  freezeKind: en('audit.enum.freezeKind', FREEZE_KINDS),
  freezeStart: date,
  freezeEnd: date,
  monthEndWorkingDays: num,
  weeklyStartDay: en('audit.enum.weekday', ['1', '2', '3', '4', '5', '6', '7']),
  weeklyStartTime: text,
  weeklyEndDay: en('audit.enum.weekday', ['1', '2', '3', '4', '5', '6', '7']),
  weeklyEndTime: text,
  // deployment pipelines (web trigger)
  pipeline: text,
  pipelineTokenId: internal,
  revokedAt: date,
  pipelineResult: en('audit.enum.pipelineResult', ['success', 'failure']),
  deployedVersion: text,
  runUrl: text,
  idempotencyKey: internal,
  // the policy would have marked the release deployed; decide refused (reason codes)
  notDeployedReasons: list(en('reason', REASON_CODES)),
  // improvement actions
  title: text,
  owner: person,
  completedAt: date,
  deleted: bool,
  // KPI months (reconciliation)
  month: k('month'),
  differed: list(k('fieldName')),
  improvementActions: list(internal),
  closed: num,
  success: num,
  rolledBack: num,
  failed: num,
  emergency: num,
  deployments: num,
  deploymentsOnTime: num,
  approvalToDeploymentMinutes: list(num),
  // i11's KPI month aggregate (DORA lead time, per-release drill-down entries): a KPI repair names them too.
  requestToDeploymentMinutes: list(num),
  entries: list(internal),
  withPlannedDuration: num,
  withinPlannedDuration: num,
  effortReleases: num,
  plannedEffortCentiHours: num,
  actualEffortCentiHours: num,
  effective: num,
  complete: num,
  dslTimely: num,
  rollbacksTimed: num,
  rollbackMinutesTotal: num,
  trainingDue: num,
  trainingOnTime: num,
  dslAuditIds: list(internal),
  dslAudits: num,
  dslAuditsMatched: num,
  improvementActionIds: list(internal),
  improvementsDue: num,
  improvementsOnTime: num,
} as const satisfies Record<string, AuditKind>;
export type AuditField = keyof typeof AUDIT_FIELDS;
export const AUDIT_FIELD_NAMES = Object.keys(AUDIT_FIELDS) as AuditField[];

export function auditFieldKind(name: string): AuditKind | undefined {
  return Object.prototype.hasOwnProperty.call(AUDIT_FIELDS, name) ? (AUDIT_FIELDS as Record<string, AuditKind>)[name] : undefined;
}

/** A JSON value as an audit event stores it. */
export type AuditValue = string | number | boolean | null | AuditValue[] | { [field: string]: AuditValue };
export type AuditValues = Record<string, AuditValue>;

/** Every enum an audit field uses: its locale prefix and its values (the rendering test enumerates them). */
export function auditEnums(): { labels: string; values: readonly string[] }[] {
  const out = new Map<string, Set<string>>();
  const visit = (kind: AuditKind) => {
    if (kind.kind === 'enum' || kind.kind === 'enumKeys') {
      const set = out.get(kind.labels) ?? new Set<string>();
      kind.values.forEach((v) => set.add(v));
      out.set(kind.labels, set);
    } else if (kind.kind === 'list') visit(kind.of);
  };
  Object.values(AUDIT_FIELDS as Record<string, AuditKind>).forEach(visit);
  return [...out].map(([labels, values]) => ({ labels, values: [...values] }));
}

/** Field names (at any depth) that `AUDIT_FIELDS` does not know: a programming error, refused on write. */
export function unregisteredAuditFields(values: Record<string, unknown>): string[] {
  const bad = new Set<string>();
  const walk = (kind: AuditKind, v: unknown) => {
    if (v === null || v === undefined) return;
    if (kind.kind === 'record' && typeof v === 'object' && !Array.isArray(v)) walkObject(v as Record<string, unknown>);
    else if (kind.kind === 'list' && Array.isArray(v)) v.forEach((x) => walk(kind.of, x));
  };
  const walkObject = (o: Record<string, unknown>) => {
    for (const [name, v] of Object.entries(o)) {
      const kind = auditFieldKind(name);
      if (!kind) bad.add(name);
      else walk(kind, v);
    }
  };
  walkObject(values);
  return [...bad];
}

const TEXT_MAX = 300;

/** JSON-safe, bounded copy of what a writer passed: undefined dropped, long text cut, non-finite numbers null. */
export function auditValuesOf(values: Record<string, unknown>): AuditValues {
  const conv = (v: unknown): AuditValue => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') return v.length > TEXT_MAX ? `${v.slice(0, TEXT_MAX - 1)}…` : v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (typeof v === 'boolean') return v;
    if (Array.isArray(v)) return v.map(conv);
    if (typeof v === 'object') {
      const out: Record<string, AuditValue> = {};
      for (const [key, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[key] = conv(x);
      return out;
    }
    return String(v);
  };
  const out: AuditValues = {};
  for (const [key, v] of Object.entries(values)) if (v !== undefined) out[key] = conv(v);
  return out;
}

/**
 * What changed between two versions of a release, for its audit event: each changed field's old and new value;
 * a list that only grew (opinions, progress reports) records just the added entries. `statusEnteredAt` and
 * `version` say nothing the event does not (its time and its status change).
 */
export function releaseAuditDiff(before: Release, after: Release): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof Release)[]) {
    if (key === 'version' || key === 'statusEnteredAt') continue;
    const was: unknown = before[key];
    const now: unknown = after[key];
    if (JSON.stringify(was) === JSON.stringify(now)) continue;
    if (Array.isArray(was) && Array.isArray(now) && now.length > was.length && JSON.stringify(now.slice(0, was.length)) === JSON.stringify(was)) {
      a[key] = now.slice(was.length);
      continue;
    }
    if (isPlainObject(was) && isPlainObject(now) && key === 'tests') {
      // Two records in one: each that changed (integration, user acceptance) stands as its own field.
      for (const s of Object.keys({ ...was, ...now })) {
        if (JSON.stringify(was[s]) === JSON.stringify(now[s])) continue;
        b[s] = was[s] ?? null;
        a[s] = now[s] ?? null;
      }
      continue;
    }
    b[key] = was;
    a[key] = now;
  }
  return { before: b, after: a };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ------------------------------------------------------------------ rendering

/** What the renderer needs from its host: translations and the lookups of people, releases and DSL items. */
export interface AuditRenderContext {
  /** The text of a locale key, or undefined when the key is missing. `{name}` placeholders filled from params. */
  t(key: string, params?: Record<string, string | number>): string | undefined;
  /** A point in time in the reader's time zone. */
  dateTime(ms: number): string;
  /** A person's display name (the renderer never shows an account id it cannot name: it says "unknown person"). */
  person(accountId: string): string | undefined;
  /** A release's issue key. */
  release(releaseId: string): string | undefined;
  /** A DSL item as "name version". */
  dslItem(itemId: string): string | undefined;
}

export interface RenderedAuditChange {
  field: string;
  label: string;
  before?: string;
  after?: string;
}

export interface RenderedAuditEvent {
  action: string;
  changes: RenderedAuditChange[];
  reason?: string;
}

const say = (ctx: AuditRenderContext, key: string, fallback: string, params?: Record<string, string | number>) => ctx.t(key, params) ?? fallback;

export function auditFieldLabel(ctx: AuditRenderContext, field: string): string {
  return say(ctx, `audit.field.${field}`, say(ctx, 'audit.value.otherField', ''));
}

export function auditActionLabel(ctx: AuditRenderContext, action: string): string {
  return say(ctx, `audit.action.${action}`, say(ctx, 'audit.value.otherAction', ''));
}

/** One value as a reader sees it; undefined when it is not for the screen (an internal id). */
export function renderAuditValue(ctx: AuditRenderContext, kind: AuditKind, v: AuditValue): string | undefined {
  if (v === null) return say(ctx, 'audit.value.none', '—');
  switch (kind.kind) {
    case 'internal':
      return undefined;
    case 'text':
    case 'reason':
    case 'issueKey':
      return String(v).trim() === '' ? say(ctx, 'audit.value.none', '—') : String(v);
    case 'person':
      if (Array.isArray(v)) return v.map((x) => renderAuditValue(ctx, kind, x)).join(', ');
      // A pipeline's id (`pipeline:<token id>`, e.g. a deployment result it recorded) names no person.
      if (String(v).startsWith('pipeline:')) return say(ctx, 'audit.value.aPipeline', 'a deployment pipeline');
      return ctx.person(String(v)) ?? say(ctx, 'audit.value.unknownPerson', '?');
    case 'release':
      return ctx.release(String(v)) ?? say(ctx, 'audit.value.unknownRelease', '?');
    case 'dslItem':
      return ctx.dslItem(String(v)) ?? say(ctx, 'audit.value.unknownDslItem', '?');
    case 'date': {
      const ms = typeof v === 'number' ? v : Number(v);
      return Number.isFinite(ms) ? ctx.dateTime(ms) : String(v);
    }
    case 'month':
      return String(v);
    case 'number':
      return String(v);
    case 'hours':
      return say(ctx, 'audit.value.hours', `${String(v)} h`, { n: String(v) });
    case 'percent':
      return say(ctx, 'audit.value.percent', `${String(v)}%`, { n: String(v) });
    case 'bool':
      return v === true || v === 'true' ? say(ctx, 'audit.value.yes', 'yes') : say(ctx, 'audit.value.no', 'no');
    case 'fieldName':
      return ctx.t(`audit.field.${String(v)}`) ?? String(v);
    case 'enum':
      return ctx.t(`${kind.labels}.${String(v)}`) ?? say(ctx, 'audit.value.otherValue', '?');
    case 'enumKeys': {
      if (typeof v !== 'object' || Array.isArray(v)) return say(ctx, 'audit.value.otherValue', '?');
      const keys = Object.keys(v).filter((x) => v[x] !== null);
      if (keys.length === 0) return say(ctx, 'audit.value.empty', '—');
      return keys.map((x) => ctx.t(`${kind.labels}.${x}`) ?? say(ctx, 'audit.value.otherValue', '?')).join(', ');
    }
    case 'list': {
      if (!Array.isArray(v)) return renderAuditValue(ctx, kind.of, v);
      if (v.length === 0) return say(ctx, 'audit.value.empty', '—');
      const parts = v.map((x) => renderAuditValue(ctx, kind.of, x)).filter((x): x is string => x !== undefined && x !== '');
      return parts.join(kind.of.kind === 'record' ? ' | ' : ', ');
    }
    case 'record': {
      if (typeof v !== 'object' || Array.isArray(v)) return String(v);
      const parts: string[] = [];
      for (const [field, x] of Object.entries(v)) {
        const inner = auditFieldKind(field);
        if (!inner) continue;
        const shown = renderAuditValue(ctx, inner, x);
        if (shown !== undefined) parts.push(`${auditFieldLabel(ctx, field)}: ${shown}`);
      }
      return parts.length > 0 ? parts.join('; ') : say(ctx, 'audit.value.empty', '—');
    }
  }
}

export interface AuditEventContent {
  action: string;
  before: Record<string, AuditValue>;
  after: Record<string, AuditValue>;
}

/** An event in the reader's words: the action's name, each changed field (label, old → new), the reason. */
export function renderAuditEvent(ctx: AuditRenderContext, e: AuditEventContent): RenderedAuditEvent {
  const fields = [...new Set([...Object.keys(e.after), ...Object.keys(e.before)])];
  const changes: RenderedAuditChange[] = [];
  const reasons: string[] = [];
  for (const field of fields) {
    const kind = auditFieldKind(field);
    if (!kind || kind.kind === 'internal') continue;
    const has = (o: Record<string, AuditValue>) => Object.prototype.hasOwnProperty.call(o, field);
    if (kind.kind === 'reason') {
      const r = has(e.after) ? e.after[field] : undefined;
      if (typeof r === 'string' && r.trim() !== '') reasons.push(r);
      continue;
    }
    const before = has(e.before) ? renderAuditValue(ctx, kind, e.before[field] ?? null) : undefined;
    const after = has(e.after) ? renderAuditValue(ctx, kind, e.after[field] ?? null) : undefined;
    if (before === undefined && after === undefined) continue;
    changes.push({ field, label: auditFieldLabel(ctx, field), ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
  }
  // A reason inside a record (an emergency override's, a freeze exception's) is the event's reason too.
  for (const holder of ['emergencyOverride', 'freezeException']) {
    const nested = e.after[holder];
    if (nested && typeof nested === 'object' && !Array.isArray(nested) && typeof nested.reason === 'string') reasons.push(nested.reason);
  }
  return { action: auditActionLabel(ctx, e.action), changes, ...(reasons.length > 0 ? { reason: reasons.join(' / ') } : {}) };
}

/** Who acted: a person by name, the app itself, or a deployment pipeline by the name its event carries. */
export function auditActorName(ctx: AuditRenderContext, e: { actorAccountId: string; before: Record<string, AuditValue>; after: Record<string, AuditValue> }): string {
  if (e.actorAccountId.startsWith('pipeline:')) {
    const name = e.after.pipeline ?? e.before.pipeline;
    return say(ctx, 'audit.value.pipeline', 'pipeline', { name: typeof name === 'string' ? name : '' });
  }
  return ctx.person(e.actorAccountId) ?? say(ctx, 'audit.value.unknownPerson', '?');
}

/** One line of text for a rendered change: "Label: old → new" or "Label: new". */
export function auditChangeText(c: RenderedAuditChange): string {
  if (c.before !== undefined && c.after !== undefined) return `${c.label}: ${c.before} → ${c.after}`;
  return `${c.label}: ${c.after ?? c.before ?? ''}`;
}

/** The ids an event refers to, by what they name, so that a read can resolve them in one batch. */
export function auditRefs(events: readonly { actorAccountId: string; before: Record<string, AuditValue>; after: Record<string, AuditValue> }[]): {
  people: Set<string>;
  releases: Set<string>;
  dslItems: Set<string>;
} {
  const refs = { people: new Set<string>(), releases: new Set<string>(), dslItems: new Set<string>() };
  const visit = (kind: AuditKind, v: AuditValue | undefined) => {
    if (v === null || v === undefined) return;
    if (kind.kind === 'person' || kind.kind === 'release' || kind.kind === 'dslItem') {
      const target = kind.kind === 'person' ? refs.people : kind.kind === 'release' ? refs.releases : refs.dslItems;
      (Array.isArray(v) ? v : [v]).forEach((x) => typeof x === 'string' && !(kind.kind === 'person' && x.startsWith('pipeline:')) && target.add(x));
    } else if (kind.kind === 'list' && Array.isArray(v)) v.forEach((x) => visit(kind.of, x));
    else if (kind.kind === 'record' && typeof v === 'object' && !Array.isArray(v)) visitObject(v);
  };
  const visitObject = (o: Record<string, AuditValue>) => {
    for (const [field, v] of Object.entries(o)) {
      const kind = auditFieldKind(field);
      if (kind) visit(kind, v);
    }
  };
  for (const e of events) {
    if (!e.actorAccountId.startsWith('pipeline:')) refs.people.add(e.actorAccountId);
    visitObject(e.before);
    visitObject(e.after);
  }
  return refs;
}

// ------------------------------------------------------------------ the hash chain

/** The chain an event belongs to: its release, its DSL item, or its project. */
export function auditChainId(subjectType: AuditSubjectType, subjectId: string): string {
  return `${subjectType}:${subjectId}`;
}

/** The hash of the first event of every chain's `prevHash`. */
export const AUDIT_GENESIS = '0'.repeat(64);

export interface ChainedAuditContent {
  id: string;
  projectId: string;
  subjectType: string;
  subjectId: string;
  action: string;
  actorAccountId: string;
  at: number;
  before: Record<string, AuditValue>;
  after: Record<string, AuditValue>;
  chainId: string;
  seq: number;
  prevHash: string;
}

/** JSON with object keys sorted at every depth: the same content always gives the same text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((key) => o[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(o[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** What the hash covers: everything the event says, its place in its chain and the previous event's hash. */
export function auditHashInput(e: ChainedAuditContent): string {
  return canonicalJson({
    v: 1,
    id: e.id,
    projectId: e.projectId,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    action: e.action,
    actorAccountId: e.actorAccountId,
    at: e.at,
    before: e.before,
    after: e.after,
    chainId: e.chainId,
    seq: e.seq,
    prevHash: e.prevHash,
  });
}

export type ChainBreak =
  | { problem: 'HASH_MISMATCH'; eventId: string; seq: number }
  | { problem: 'PREVIOUS_MISMATCH'; eventId: string; seq: number }
  | { problem: 'SEQUENCE_GAP'; eventId: string; seq: number; expectedSeq: number }
  | { problem: 'MISSING_TAIL'; seq: number; expectedSeq: number };

/**
 * Walks one chain's events in sequence order, from `state` (the previous page's last event, or the chain's start)
 * and reports the first break. `hash` computes SHA-256 hex of a string (injected: the domain does no I/O).
 */
export function checkChainSegment(
  events: readonly (ChainedAuditContent & { hash: string })[],
  state: { seq: number; hash: string },
  hash: (s: string) => string,
): { ok: true; state: { seq: number; hash: string } } | { ok: false; broken: ChainBreak } {
  let cur = state;
  for (const e of events) {
    if (e.seq !== cur.seq + 1) return { ok: false, broken: { problem: 'SEQUENCE_GAP', eventId: e.id, seq: e.seq, expectedSeq: cur.seq + 1 } };
    if (e.prevHash !== cur.hash) return { ok: false, broken: { problem: 'PREVIOUS_MISMATCH', eventId: e.id, seq: e.seq } };
    if (hash(auditHashInput(e)) !== e.hash) return { ok: false, broken: { problem: 'HASH_MISMATCH', eventId: e.id, seq: e.seq } };
    cur = { seq: e.seq, hash: e.hash };
  }
  return { ok: true, state: cur };
}
