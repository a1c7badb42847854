/** The Definitive Software Library (最终软件库) as the release rules need it: item status and its machine. */

export const DSL_STATUSES = ['REGISTERED', 'APPROVED', 'IN_LIBRARY', 'CHECKED_OUT', 'SUPERSEDED', 'RETIRED'] as const;
export type DslStatus = (typeof DSL_STATUSES)[number];

export const DSL_ACTIONS = [
  'dslRegister',
  'dslApprove',
  'dslCheckIn',
  'dslCheckOut',
  'dslReturn',
  'dslReplace',
  'dslRetire',
  'dslAudit',
] as const;
export type DslAction = (typeof DSL_ACTIONS)[number];

/** What a release's gate and KPI facts need of a DSL item. */
export interface DslItemSummary {
  readonly id: string;
  readonly status: DslStatus;
  readonly name?: string;
  readonly version?: string;
  /** Last check-in into the library. */
  readonly checkedInAt?: number | null;
  /** When the production environment version was last set to this item. */
  readonly productionUpdatedAt?: number | null;
}

/**
 * Status an item may be in for each action, and the status it moves to.
 * `dslRegister` creates the item; `dslAudit` leaves the status unchanged.
 */
export const DSL_TRANSITIONS: Readonly<Record<DslAction, { readonly from: readonly DslStatus[] | null; readonly to: DslStatus | 'UNCHANGED' }>> = {
  dslRegister: { from: null, to: 'REGISTERED' },
  dslApprove: { from: ['REGISTERED'], to: 'APPROVED' },
  dslCheckIn: { from: ['APPROVED'], to: 'IN_LIBRARY' },
  dslCheckOut: { from: ['IN_LIBRARY'], to: 'CHECKED_OUT' },
  dslReturn: { from: ['CHECKED_OUT'], to: 'IN_LIBRARY' },
  dslReplace: { from: ['IN_LIBRARY', 'CHECKED_OUT'], to: 'SUPERSEDED' },
  dslRetire: { from: ['REGISTERED', 'APPROVED', 'IN_LIBRARY'], to: 'RETIRED' },
  dslAudit: { from: ['APPROVED', 'IN_LIBRARY', 'CHECKED_OUT', 'SUPERSEDED', 'RETIRED'], to: 'UNCHANGED' },
};

/** The status after `action`, or null when the action does not apply to an item in `status`. */
export function dslNextStatus(action: DslAction, status: DslStatus | null): DslStatus | null {
  const t = DSL_TRANSITIONS[action];
  if (t.from === null) return status === null ? (t.to as DslStatus) : null;
  if (status === null || !t.from.includes(status)) return null;
  return t.to === 'UNCHANGED' ? status : t.to;
}

export function isDslAction(value: string): value is DslAction {
  return (DSL_ACTIONS as readonly string[]).includes(value);
}

/**
 * Checked in and production version updated within `windowHours` of `deployedAt` (DSL timely-update, SPEC §5).
 * An item checked in before deployment counts as checked in on time.
 */
export function dslItemUpdatedInTime(item: DslItemSummary, deployedAt: number, windowHours: number): boolean {
  const limit = deployedAt + windowHours * 3_600_000;
  const checkedIn = item.checkedInAt ?? null;
  const prod = item.productionUpdatedAt ?? null;
  return checkedIn !== null && checkedIn <= limit && prod !== null && prod <= limit;
}

// ------------------------------------------------------------------ the item record (SPEC §4 "DSL item")

export const DSL_ENVIRONMENTS = ['TEST', 'PRODUCTION'] as const;
export type DslEnvironment = (typeof DSL_ENVIRONMENTS)[number];

export const USAGE_REQUEST_STATUSES = ['REQUESTED', 'APPROVED', 'REJECTED', 'USED', 'CLOSED'] as const;
export type UsageRequestStatus = (typeof USAGE_REQUEST_STATUSES)[number];

/** A request to use (check out) an item: who, why, for which environment and release. */
export interface UsageRequest {
  readonly id: string;
  readonly projectId: string;
  readonly itemId: string;
  readonly requesterAccountId: string;
  readonly purpose: string;
  readonly environment: DslEnvironment;
  readonly releaseId: string | null;
  readonly status: UsageRequestStatus;
  readonly requestedAt: number;
  readonly decidedBy: string | null;
  readonly decidedAt: number | null;
  readonly decisionNote: string | null;
}

/** The item's current check-out, with the usage request it fulfils. */
export interface DslCheckout {
  readonly usageRequestId: string;
  readonly requesterAccountId: string;
  readonly purpose: string;
  readonly environment: DslEnvironment;
  readonly releaseId: string | null;
  readonly checkedOutBy: string;
  readonly checkedOutAt: number;
}

export interface DslAuditResult {
  readonly at: number;
  readonly by: string;
  readonly matched: boolean;
  /** What differed, recorded against found (absent on audits stored before it was kept). */
  readonly differences?: readonly DslDifference[];
}

export interface DslItem {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly version: string;
  /** Lower-case hex. */
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly licence: string;
  readonly vendor: string;
  readonly storageUri: string;
  readonly mediaType: string;
  readonly status: DslStatus;
  readonly releaseIds: readonly string[];
  readonly fixVersionId: string | null;
  readonly cmdbCiRef: string | null;
  readonly supersedesItemId: string | null;
  readonly supersededByItemId: string | null;
  readonly registeredAt: number;
  readonly registeredBy: string;
  readonly approvedAt: number | null;
  readonly approvedBy: string | null;
  readonly checkedInAt: number | null;
  readonly checkout: DslCheckout | null;
  readonly lastAudit: DslAuditResult | null;
  readonly retiredAt: number | null;
  readonly retireReason: string | null;
  /** Set when the item came from a CSV import. */
  readonly importId: string | null;
}

/** What describes an item as the register form and the CSV import give it. */
export type DslItemDescription = Pick<DslItem, 'name' | 'version' | 'sha256' | 'sizeBytes' | 'licence' | 'vendor' | 'storageUri' | 'mediaType'> & {
  readonly fixVersionId?: string | undefined;
  readonly cmdbCiRef?: string | undefined;
};

/** A newly registered item (register or import): the digest lower-cased, a blank CMDB reference dropped. */
export function registeredDslItem(n: {
  id: string;
  projectId: string;
  fields: DslItemDescription;
  releaseIds: readonly string[];
  supersedesItemId: string | null;
  at: number;
  by: string;
  importId: string | null;
}): DslItem {
  const f = n.fields;
  return {
    id: n.id,
    projectId: n.projectId,
    name: f.name,
    version: f.version,
    sha256: f.sha256.toLowerCase(),
    sizeBytes: f.sizeBytes,
    licence: f.licence,
    vendor: f.vendor,
    storageUri: f.storageUri,
    mediaType: f.mediaType,
    status: 'REGISTERED',
    releaseIds: n.releaseIds,
    fixVersionId: f.fixVersionId ?? null,
    cmdbCiRef: f.cmdbCiRef?.trim() ? f.cmdbCiRef.trim() : null,
    supersedesItemId: n.supersedesItemId,
    supersededByItemId: null,
    registeredAt: n.at,
    registeredBy: n.by,
    approvedAt: null,
    approvedBy: null,
    checkedInAt: null,
    checkout: null,
    lastAudit: null,
    retiredAt: null,
    retireReason: null,
    importId: n.importId,
  };
}

export const DSL_HISTORY_TYPES = [
  'REGISTERED',
  'APPROVED',
  'CHECKED_IN',
  'CHECKED_OUT',
  'RETURNED',
  'REPLACED',
  'SUPERSEDES',
  'RETIRED',
  'AUDITED',
  'LINKED',
  'ENVIRONMENT_UPDATED',
] as const;
export type DslHistoryType = (typeof DSL_HISTORY_TYPES)[number];

/** One field of an audit that differed: `expected` is the value the library recorded, `actual` the value found. */
export interface DslDifference {
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
}

/** The fields an audit compares with what it finds of the file and its record (SPEC §4: "with what differed"). */
export const DSL_AUDIT_FIELDS = ['sha256', 'sizeBytes', 'storageUri', 'version', 'licence'] as const;
export type DslAuditField = (typeof DSL_AUDIT_FIELDS)[number];

/** One field an audit looked at: the recorded value, the value found, and whether they agree. */
export interface DslAuditCheck {
  readonly field: DslAuditField;
  readonly recorded: string;
  readonly found: string;
  readonly matched: boolean;
}

/** What an auditor found, per field (a field left out was not looked at). */
export type DslAuditObservation = Partial<{ sha256: string; sizeBytes: number; storageUri: string; version: string; licence: string }>;

/** One entry of an item's append-only history. */
export interface DslHistoryEvent {
  readonly id: string;
  readonly itemId: string;
  readonly projectId: string;
  readonly type: DslHistoryType;
  readonly at: number;
  readonly actorAccountId: string;
  readonly usageRequestId?: string;
  readonly releaseId?: string;
  readonly environment?: DslEnvironment;
  readonly otherItemId?: string;
  readonly matched?: boolean;
  readonly differences?: readonly DslDifference[];
  /** Audits: every field compared, recorded against found, matched or not. */
  readonly checks?: readonly DslAuditCheck[];
  readonly note?: string;
}

/** Which item runs in an environment, per software name. */
export interface DslEnvironmentVersion {
  readonly projectId: string;
  readonly environment: DslEnvironment;
  readonly name: string;
  readonly itemId: string;
  readonly version: string;
  readonly releaseId: string | null;
  readonly updatedAt: number;
  readonly updatedBy: string;
}

/** Name plus version is unique per project; names compare without case and surrounding blanks. */
export function dslNameVersionKey(name: string, version: string): string {
  return `${name.trim().toLowerCase()}\u0000${version.trim()}`;
}

export function dslNameKey(name: string): string {
  return name.trim().toLowerCase();
}

/** The summary a release keeps of one of its items; keeps the production update time it already had. */
export function dslSummaryOf(item: DslItem, previous?: DslItemSummary): DslItemSummary {
  return {
    id: item.id,
    status: item.status,
    name: item.name,
    version: item.version,
    checkedInAt: item.checkedInAt,
    productionUpdatedAt: previous?.productionUpdatedAt ?? null,
  };
}

/**
 * What a release's summaries become when it closes successfully: the production version of every item in
 * the library (or checked out for the deployment) is updated now.
 */
export function dslSummariesAtClose(items: readonly DslItemSummary[], now: number): DslItemSummary[] {
  return items.map((i) => (i.status === 'IN_LIBRARY' || i.status === 'CHECKED_OUT' ? { ...i, productionUpdatedAt: i.productionUpdatedAt ?? now } : i));
}

/**
 * Compares what an audit found with the item's record, field by field, in DSL_AUDIT_FIELDS order. Digests
 * compare without case; text fields without surrounding blanks.
 */
export function dslAuditChecks(item: Pick<DslItem, DslAuditField>, observed: DslAuditObservation): DslAuditCheck[] {
  const out: DslAuditCheck[] = [];
  for (const field of DSL_AUDIT_FIELDS) {
    const found = observed[field];
    if (found === undefined) continue;
    const recorded = String(item[field]);
    const norm = (v: string) => (field === 'sha256' ? v.trim().toLowerCase() : v.trim());
    const shown = field === 'sha256' ? String(found).trim().toLowerCase() : String(found).trim();
    out.push({ field, recorded, found: shown, matched: norm(recorded) === norm(String(found)) });
  }
  return out;
}

/** The fields of `checks` that differ, as the item's history and last audit keep them (expected = recorded, actual = found). */
export function dslDifferencesOf(checks: readonly DslAuditCheck[]): DslDifference[] {
  return checks.filter((c) => !c.matched).map((c) => ({ field: c.field, expected: c.recorded, actual: c.found }));
}

/** Compares what was observed of a file with the item; lists each field that differs. */
export function dslVerify(item: Pick<DslItem, DslAuditField>, observed: DslAuditObservation): DslDifference[] {
  return dslDifferencesOf(dslAuditChecks(item, observed));
}

/**
 * Orders two versions as people read them: numeric parts as numbers (`2.10.0` after `2.9.1`), other parts as
 * text, a pre-release (`2.0.0-rc1`) before its release. Negative, zero or positive.
 */
export function compareDslVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [main = '', ...pre] = v.trim().toLowerCase().split('-');
    return { parts: main.split(/[._+]/).filter((x) => x !== ''), pre: pre.join('-') };
  };
  const x = split(a);
  const y = split(b);
  const n = Math.max(x.parts.length, y.parts.length);
  for (let i = 0; i < n; i++) {
    const p = x.parts[i] ?? '0';
    const q = y.parts[i] ?? '0';
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    const c = pn && qn ? Number(p) - Number(q) : pn !== qn ? (pn ? 1 : -1) : p.localeCompare(q);
    if (c !== 0) return Math.sign(c);
  }
  if (x.pre === y.pre) return 0;
  if (!x.pre) return 1;
  if (!y.pre) return -1;
  return Math.sign(x.pre.localeCompare(y.pre, undefined, { numeric: true }));
}

/** Statuses an item may be in to be replaced (superseded), and to be the newer version that replaces it. */
export const DSL_REPLACEABLE: readonly DslStatus[] = ['IN_LIBRARY', 'CHECKED_OUT'];
export const DSL_REPLACEMENT_STATUSES: readonly DslStatus[] = ['REGISTERED', 'APPROVED', 'IN_LIBRARY'];

/**
 * Whether `next` may replace `old` (the rule of *replace*, and of *register* with "supersedes"): the same
 * software name, a newer version, `next` registered, approved or in the library and not superseded itself,
 * and not already the successor of another item; `old` in the library or checked out.
 */
export function dslReplacementFits(
  old: Pick<DslItem, 'id' | 'name' | 'version' | 'status'>,
  next: Pick<DslItem, 'id' | 'name' | 'version' | 'status' | 'supersededByItemId' | 'supersedesItemId'>,
): boolean {
  return (
    next.id !== old.id &&
    dslNameKey(next.name) === dslNameKey(old.name) &&
    DSL_REPLACEABLE.includes(old.status) &&
    DSL_REPLACEMENT_STATUSES.includes(next.status) &&
    next.supersededByItemId === null &&
    (next.supersedesItemId === null || next.supersedesItemId === old.id) &&
    compareDslVersions(next.version, old.version) > 0
  );
}
