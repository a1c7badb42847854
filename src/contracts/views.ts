/**
 * What the reads answer, shared by the services that build them and the UI that shows them.
 */
import type { ChainedAuditContent } from '../domain/audit';
import type {
  Classification,
  FreezeOccurrence,
  FreezeSeverity,
  FreezeWindow,
  Outcome,
  ReleaseStatus,
  DslEnvironmentVersion,
  DslFinding,
  DslHistoryEvent,
  DslItem,
  DslItemSummary,
  FallbackPlan,
  GateChecklist,
  ImprovementAction,
  ParticipantEvaluation,
  Policy,
  ReasonCode,
  Release,
  ReleaseAction,
  StandingRole,
  Team,
  TeamRole,
  TrainingTask,
  UsageRequest,
} from '../domain';

/** One page of a list read; `cursor` is there when there is more. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** `project/context`: who the actor is in the project and the project's effective policy. */
export interface ProjectContextView {
  projectId: string;
  projectKey: string;
  /** The project's set-up has recorded its Release Request issue type (releases can be raised). */
  setUp: boolean;
  actor: { accountId: string; standingRoles: StandingRole[] };
  /** Defaults filled in. */
  policy: Policy;
}

/** One entry of `project/list`. */
export interface ProjectListItem {
  id: string;
  key: string;
  name: string;
  setUp: boolean;
}

export interface SetupStepView {
  step: string;
  done: boolean;
  error?: string;
}

/**
 * `admin/getSetupStatus`: set-up progress per step, the project's set-up record (its row version for
 * optimistic concurrency; null before there is one), the Jira project roles to map onto, and what the actor
 * may do there.
 */
export interface SetupStatusView {
  projectId: string;
  projectKey: string;
  steps: SetupStepView[];
  complete: boolean;
  setup: { version: number; roleIds: Partial<Record<StandingRole, string>>; policy: Policy } | null;
  jiraRoles: { id: string; name: string }[];
  actor: { standingRoles: StandingRole[]; canAdminister: boolean };
  /**
   * Whether this environment's workflow in Jira holds the rules the app's current version creates: false when an
   * earlier version set it up (or someone edited its rules) — re-running set-up updates it; null before set-up
   * made it, or when Jira could not be asked.
   */
  workflowRulesUpToDate: boolean | null;
}

/** An audit event as the reads return it (field → raw value of what changed, typed by domain/audit.ts `AUDIT_FIELDS`). */
export interface AuditEntry extends ChainedAuditContent {
  hash: string;
}

/** Names for the ids a page of audit events refers to (people, releases' issue keys, DSL items). */
export interface AuditRefs {
  people: Record<string, string>;
  releases: Record<string, string>;
  dslItems: Record<string, string>;
}

/** Whether the actor may take an action now, and if not the reasons. */
export interface ActionAvailability {
  action: ReleaseAction;
  allowed: boolean;
  reasons: readonly ReasonCode[];
}

/** `panel/get`: the issue panel in one read. */
/**
 * Whether Jira shows what the record says (src/effects/): SYNCED; PENDING while the change's effects are being
 * applied; FAILED when the last attempt failed (they are retried: `nextAttemptAt`), with Jira's message.
 */
export interface JiraSyncView {
  state: 'SYNCED' | 'PENDING' | 'FAILED';
  attempts: number;
  nextAttemptAt: number | null;
  /** Why the last attempt failed, for people (the UI words it from the locales). */
  reason: 'RATE_LIMITED' | 'UNAVAILABLE' | 'REFUSED' | 'OTHER' | null;
  /** Jira's own words, for the log and the admin; not shown as the reason. */
  message: string | null;
}

export interface PanelView {
  /** How far Jira has followed the record. */
  jira?: JiraSyncView;
  releaseId: string;
  issueKey: string;
  projectId: string;
  actor: { accountId: string; standingRoles: StandingRole[]; teamRoles: TeamRole[] };
  /** null: no release record yet for this issue. */
  release: Release | null;
  team: Team | null;
  fallbackPlan: FallbackPlan | null;
  trainingTasks: TrainingTask[];
  dslItems: DslItemSummary[];
  history: AuditEntry[];
  historyCursor?: string;
  checklist: GateChecklist | null;
  actions: ActionAvailability[];
  /** Change freezes covering this release in force now (absent when none): what a refusal in a freeze names. */
  freezesInForce?: { reason: string; severity: FreezeSeverity; until: number }[];
  /** While IMPLEMENTING under the policy "a pipeline's success marks the release deployed": the environment that counts. */
  pipelineDeploysIn?: string;
}

/** `panel/summary`: what the readiness glance shows of a release, without team, records or history. */
export interface PanelSummaryView {
  releaseId: string;
  issueKey: string;
  release: Pick<Release, 'status' | 'outcome' | 'windowStart' | 'windowEnd'> | null;
  checklist: GateChecklist | null;
}

/** `queue/list`: the releases waiting for one of the caller's roles, and its own tasks. */
export interface QueueView {
  role: string;
  releases: Release[];
  trainingTasks: TrainingTask[];
  improvementActions: ImprovementAction[];
  /** MINE: the caller's roles on each release listed (LEAD included for the releases they lead). */
  teamRoles?: Record<string, TeamRole[]>;
  cursor?: string;
}

/**
 * A training task with its release's issue key and status (null when the release record is gone), and
 * whether it is overdue (never for a cancelled or rejected release: that training is withdrawn).
 */
export type TrainingRow = TrainingTask & { issueKey: string | null; releaseStatus: ReleaseStatus | null; overdue: boolean; withdrawn: boolean };

/** A participant evaluation with its release's issue key (null when the release record is gone). */
export type EvaluationRow = ParticipantEvaluation & { issueKey: string | null };

/** An improvement action with its row version (what COMPLETE, UPDATE and DELETE expect) and whether it is overdue. */
export type ImprovementRow = ImprovementAction & { overdue: boolean; version: number; sourceIssueKey?: string | null };

/** A DSL item as the reads list it, with the row version its next action must name. */
export interface DslItemRow extends DslItem {
  /** The row version: the `expectedVersion` of the next action on the item. */
  rowVersion: number;
}

export interface UsageRequestRow extends UsageRequest {
  rowVersion: number;
}

/** `dsl/get`: one item with its history, usage requests, environments and related items. */
export interface DslItemView {
  item: DslItemRow;
  history: DslHistoryEvent[];
  historyCursor?: string;
  usageRequests: UsageRequestRow[];
  /** What runs in each environment under this item's name (this item or another version). */
  environments: DslEnvironmentVersion[];
  /** The items it supersedes / is superseded by, for their versions. */
  related: DslItemRow[];
  /** Newer versions of the same software that may replace it (by the name index, whatever a list shows). */
  replacementCandidates: DslItemRow[];
  /** Issue keys of the releases the item, its history and its usage requests name. */
  releases: Record<string, ReleaseName>;
}

/** A release as a person sees it named: its issue key, and its summary where Jira gave it. */
export interface ReleaseName {
  issueKey: string;
  summary?: string;
}

/** `dsl/consistency`: the findings of the library or of one release. */
export interface DslConsistencyView {
  findings: DslFinding[];
  checkedAt: number;
  /** The library was larger than one check reads (LIBRARY_READ_LIMIT items). */
  truncated: boolean;
  /** Jira's fix versions could not be read; their checks were skipped. */
  fixVersionsUnknown: boolean;
  /** The releases the findings name (key and summary), by release id. */
  releases: Record<string, ReleaseName>;
  /** The items the findings name (name and version), by item id. */
  items: Record<string, { name: string; version: string }>;
}

/** `dsl/export`: the library as a table (the browser writes the CSV); an import reads the same columns back. */
export interface DslExport {
  columns: string[];
  rows: string[][];
  truncated: boolean;
}

/** What a DSL item command answers. */
export interface DslCommandResult {
  item: DslItem;
  /** The item row's version after the change (the next `expectedVersion`). */
  version: number;
  event: DslHistoryEvent;
}

/** A Jira fix version (project version) as `dsl/fixVersions` lists it. */
export interface FixVersion {
  id: string;
  name: string;
  released: boolean;
  archived: boolean;
  releaseDate: string | null;
}

/** `calendar/get`: the releases whose windows touch the range, the freezes in it, and who may keep the freezes. */
export interface CalendarEntry {
  readonly id: string;
  readonly issueKey: string | null;
  /** The issue summary as the reader sees it in Jira (null when Jira did not say). */
  readonly summary: string | null;
  readonly status: ReleaseStatus;
  readonly outcome: Outcome | null;
  readonly classification: Classification | null;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly freezeException: boolean;
  readonly conflicts: readonly CalendarConflictView[];
}

export type CalendarConflictView =
  | { readonly kind: 'FREEZE'; readonly freezeId: string; readonly reason: string; readonly severity: FreezeSeverity }
  | { readonly kind: 'RELEASE'; readonly releaseId: string; readonly issueKey: string | null; readonly configurationItem: string };

export interface CalendarView {
  readonly timeZone: string;
  /** The set-up record's version: `freeze/save` and `freeze/delete` expect it. */
  readonly freezesVersion: number;
  readonly canManageFreezes: boolean;
  readonly freezes: readonly FreezeWindow[];
  readonly occurrences: readonly FreezeOccurrence[];
  readonly entries: readonly CalendarEntry[];
}

/** A pipeline token as the admin page lists it: never the secret, never its hash. */
export interface PipelineTokenView {
  readonly id: string;
  readonly name: string;
  readonly createdBy: string;
  /** Display names of the creator and the revoker, where Jira gave them. */
  readonly createdByName: string | null;
  readonly revokedByName: string | null;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  readonly revokedBy: string | null;
  readonly lastUsedAt: number | null;
  readonly version: number;
}

/** `pipeline/createToken`: the token itself, shown once. */
export interface CreatedPipelineToken {
  readonly token: PipelineTokenView;
  readonly secret: string;
}
