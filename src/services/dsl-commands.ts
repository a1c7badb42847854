/**
 * The DSL use cases (SPEC §2 software control lead, §4 DSL item): register → approve (release manager) →
 * check in → check out against an approved usage request → return → replace → retire, and audits. Each one
 * loads the item, asks the domain, and writes in ONE transaction: the item (version condition), its history
 * event (append-only), the audit event, the summaries that the item's releases keep of it (their gates read
 * them), and whatever else the action touches (usage request, KPI month).
 */
import { RESOLVER_KEYS as K, type PayloadOf } from '../contracts';
import type { DslCommandResult } from '../contracts/views';
import type { AuditAction } from '../domain/audit';
import type { ReleaseContext } from '../domain/context';
import { decide, type DecideExtras } from '../domain/decide';
import {
  dslAuditChecks,
  dslDifferencesOf,
  dslReplacementFits,
  dslSummaryOf,
  registeredDslItem,
  type DslAction,
  type DslHistoryEvent,
  type DslHistoryType,
  type DslItem,
  type DslItemSummary,
  type UsageRequest,
} from '../domain/dsl';
import { applyDslAudit, dslAuditFactId, emptyKpiMonth, monthOf } from '../domain/kpi';
import type { ReasonCode } from '../domain/reasons';
import { isTerminal } from '../domain/release';
import { listProjectVersions } from '../jira/versions';
import {
  appendDslHistory,
  claimNameVersion,
  dslItemRef,
  getRows,
  nameVersionRef,
  putDslItem,
  putUsageRequest,
  usageRequestRef,
} from '../storage/dsl';
import { getMany, getRow, kpiMonthRow, putKpiMonth, putRelease, releaseRef, teamRef, type StoredReleaseDoc } from '../storage/records';
import { Changes, newId, type Row } from '../storage/store';
import { badInput, refused, ServiceError } from './errors';
import { loadProject, type LoadedProject } from './load';
import { commit, now } from './run';
import { releaseIdsOfKeys } from './release-keys';
import { resolveProjectScope, type Caller } from './scope';

/** Items one release may list: keeps the release record small and every DSL transaction under 25 writes. */
export const RELEASE_DSL_LIMIT = 30;

interface DslProject extends LoadedProject {
  t: number;
}

async function dslProject(caller: Caller, projectId?: string): Promise<DslProject> {
  const scope = await resolveProjectScope(caller, projectId);
  const t = now();
  return { ...(await loadProject(scope, t)), t };
}

/**
 * The release a DSL action is taken for: a member of that release's team in the software-control role may
 * act on the release's items (SPEC §2 "standing pool, per release (team)"). Null when none is named.
 */
async function releaseContext(projectId: string, releaseId: string | undefined): Promise<{ ctx: ReleaseContext; row: Row<StoredReleaseDoc> } | null> {
  if (!releaseId) return null;
  const [row, team] = await getMany([releaseRef(releaseId), teamRef(releaseId)] as const);
  if (!row || row.doc.release.projectId !== projectId) throw new ServiceError('NOT_FOUND', { field: 'releaseId' });
  return { row, ctx: { release: row.doc.release, team: team?.doc ?? null, fallbackPlan: null, trainingTasks: [], dslItems: row.doc.dslItems } };
}

function allow(p: DslProject, ctx: ReleaseContext | null, action: Parameters<typeof decide>[2], extras?: DecideExtras): void {
  const d = decide(p.actor, ctx, action, p.t, p.policy, extras);
  if (!d.allowed) throw refused(d.reasons);
}

async function loadItem(projectId: string, itemId: string, field = 'itemId'): Promise<Row<DslItem>> {
  const row = await getRow(dslItemRef(itemId));
  if (!row || row.doc.projectId !== projectId) throw new ServiceError('NOT_FOUND', { field });
  return row;
}

const summary = (item: DslItem): DslItemSummary => dslSummaryOf(item);

function historyEvent(item: DslItem, type: DslHistoryType, actor: string, at: number, extra: Partial<DslHistoryEvent> = {}): DslHistoryEvent {
  // Keyed by item, time and a random suffix: sorted in the by-item index, never overwritten.
  return { id: `${item.id}:${String(Math.floor(at)).padStart(15, '0')}:${newId().slice(0, 8)}`, itemId: item.id, projectId: item.projectId, type, at, actorAccountId: actor, ...extra };
}

/**
 * Writes the summary that every release of these items keeps of them, in the same transaction. Releases
 * named in `link` get the item added (at most RELEASE_DSL_LIMIT per release).
 */
async function keepReleasesInStep(changes: Changes, projectId: string, items: readonly DslItem[], t: number, link: readonly string[] = []): Promise<void> {
  const ids = [...new Set([...items.flatMap((i) => i.releaseIds), ...link])];
  if (ids.length === 0) return;
  const rows = await getRows(ids.map((id) => releaseRef(id)));
  rows.forEach((row, n) => {
    if (!row || row.doc.release.projectId !== projectId) throw new ServiceError('NOT_FOUND', { field: 'releaseIds' });
    const releaseId = ids[n] as string;
    const list = [...row.doc.dslItems];
    for (const item of items) {
      if (!item.releaseIds.includes(releaseId)) continue;
      const at = list.findIndex((s) => s.id === item.id);
      if (at >= 0) list[at] = dslSummaryOf(item, list[at]);
      else list.push(summary(item));
    }
    if (list.length > RELEASE_DSL_LIMIT) throw badInput('releaseIds', 'tooMany');
    putRelease(changes, { ...row.doc, dslItems: list }, row.version, t);
  });
}

function auditItem(changes: Changes, p: DslProject, item: DslItem, action: AuditAction, before: Record<string, unknown>, after: Record<string, unknown>): void {
  changes.audit({ projectId: item.projectId, subjectType: 'DSL_ITEM', subjectId: item.id, action, actorAccountId: p.scope.accountId, at: p.t, before, after });
}

async function commitDsl(changes: Changes): Promise<void> {
  try {
    await commit(changes);
  } catch (err) {
    // The generic text speaks of a release; here it was the software item (or its usage request).
    if (err instanceof ServiceError && err.code === 'CONFLICT') throw new ServiceError('CONFLICT', { messageKey: 'dsl.conflict' });
    throw err;
  }
}

async function checkFixVersion(projectId: string, fixVersionId: string | undefined): Promise<void> {
  if (!fixVersionId) return;
  const versions = await listProjectVersions(projectId);
  if (!versions || !versions.some((v) => v.id === fixVersionId)) throw new ServiceError('DSL_FIX_VERSION_NOT_FOUND', { field: 'fixVersionId', reasons: ['DSL_FIX_VERSION_NOT_FOUND'] });
}

async function checkOpenReleases(projectId: string, releaseIds: readonly string[]): Promise<void> {
  const rows = await getRows(releaseIds.map((id) => releaseRef(id)));
  for (const row of rows) {
    if (!row || row.doc.release.projectId !== projectId) throw new ServiceError('NOT_FOUND', { field: 'releaseIds' });
    if (isTerminal(row.doc.release.status)) throw new ServiceError('DSL_RELEASE_CLOSED', { field: 'releaseIds', reasons: ['DSL_RELEASE_CLOSED'] });
  }
}

function reasonError(code: ReasonCode, field?: string): ServiceError {
  return new ServiceError(code, { reasons: [code], ...(field ? { field } : {}) });
}

/** A fallback plan may restore only to an item of the project's library (in it, or out for a deployment). */
export async function assertRestorableDslItem(projectId: string, itemId: string): Promise<void> {
  const row = await getRow(dslItemRef(itemId));
  if (!row || row.doc.projectId !== projectId) throw new ServiceError('NOT_FOUND', { field: 'restoreDslItemId' });
  if (row.doc.status !== 'IN_LIBRARY' && row.doc.status !== 'CHECKED_OUT') throw reasonError('DSL_WRONG_STATUS', 'restoreDslItemId');
}

// ------------------------------------------------------------------ register

export async function registerDslItem(caller: Caller, p: PayloadOf<typeof K.dslRegister>): Promise<DslCommandResult> {
  const dp = await dslProject(caller, p.projectId);
  const pid = dp.scope.projectId;
  const releaseIds = [...new Set([...(p.releaseIds ?? []), ...(await releaseIdsOfKeys(pid, p.releaseKeys ?? [], 'releaseKeys'))])];
  if (releaseIds.length > 10) throw badInput('releaseKeys', 'tooMany');
  const rel = await releaseContext(pid, releaseIds[0]);
  allow(dp, rel?.ctx ?? null, 'dslRegister', {});
  if (await getRow(nameVersionRef(pid, p.name, p.version))) throw reasonError('DSL_DUPLICATE_NAME_VERSION', 'version');
  await checkFixVersion(pid, p.fixVersionId);
  await checkOpenReleases(pid, releaseIds);
  const item = registeredDslItem({
    id: newId(),
    projectId: pid,
    fields: p,
    releaseIds,
    supersedesItemId: p.supersedesItemId ?? null,
    at: dp.t,
    by: dp.scope.accountId,
    importId: null,
  });
  // "Supersedes" is a replacement made at registration: the same rules, the older item SUPERSEDED in this transaction.
  const old = p.supersedesItemId ? await loadItem(pid, p.supersedesItemId, 'supersedesItemId') : null;
  if (old) {
    allow(dp, null, 'dslReplace', { dslItem: summary(old.doc) });
    if (!dslReplacementFits(old.doc, item)) throw reasonError('DSL_REPLACEMENT_INVALID', 'supersedesItemId');
    // Forge allows 25 writes per transaction: 10 for the two items, the name claim, three history events and two
    // audit events (each with its chain head), the rest for the releases that keep a summary of either item.
    if (new Set([...releaseIds, ...old.doc.releaseIds]).size > 15) throw badInput('supersedesItemId', 'tooMany');
  }
  const changes = new Changes();
  const version = putDslItem(changes, item, null, dp.t);
  claimNameVersion(changes, item);
  const event = historyEvent(item, 'REGISTERED', dp.scope.accountId, dp.t, releaseIds[0] ? { releaseId: releaseIds[0] } : {});
  appendDslHistory(changes, event);
  const superseded: DslItem | null = old ? { ...old.doc, status: 'SUPERSEDED', supersededByItemId: item.id, checkout: null } : null;
  if (old && superseded) {
    putDslItem(changes, superseded, old.version, dp.t);
    appendDslHistory(changes, historyEvent(item, 'SUPERSEDES', dp.scope.accountId, dp.t, { otherItemId: old.doc.id, note: `${old.doc.name} ${old.doc.version}` }));
    appendDslHistory(changes, historyEvent(superseded, 'REPLACED', dp.scope.accountId, dp.t, { otherItemId: item.id, note: `${item.name} ${item.version}` }));
    // Field names of the audit catalogue (i15, /work/notes/audit-format.md): the successor by id, its version as text.
    auditItem(changes, dp, superseded, 'dslReplace', { dslStatus: old.doc.status }, { dslStatus: 'SUPERSEDED', supersededBy: item.id, replacementVersion: item.version });
  }
  await keepReleasesInStep(changes, pid, superseded ? [item, superseded] : [item], dp.t);
  auditItem(changes, dp, item, 'dslRegister', {}, { name: item.name, dslVersion: item.version, sha256: item.sha256, releaseIds });
  try {
    await commitDsl(changes);
  } catch (err) {
    // Someone registered the same name and version a moment earlier: say so rather than "conflict".
    if (err instanceof ServiceError && err.code === 'CONFLICT' && (await getRow(nameVersionRef(pid, p.name, p.version)))) throw reasonError('DSL_DUPLICATE_NAME_VERSION', 'version');
    throw err;
  }
  return { item, version, event };
}

// ------------------------------------------------------------------ status changes on one item

interface ItemChange {
  item: DslItem;
  history: Partial<DslHistoryEvent>;
  type: DslHistoryType;
  audit: { before: Record<string, unknown>; after: Record<string, unknown> };
}

interface ItemCommand {
  action: DslAction;
  itemId: string;
  expectedVersion: number;
  releaseId?: string | undefined;
  extras?: (item: DslItem) => DecideExtras;
  /** Extra checks and writes (usage request, KPI month, the other item of a replacement). */
  build: (item: DslItem, dp: DslProject, changes: Changes) => ItemChange | Promise<ItemChange>;
}

async function runItemCommand(caller: Caller, c: ItemCommand): Promise<DslCommandResult> {
  const dp = await dslProject(caller);
  const pid = dp.scope.projectId;
  const [row, rel] = await Promise.all([loadItem(pid, c.itemId), releaseContext(pid, c.releaseId)]);
  if (rel && !row.doc.releaseIds.includes(rel.ctx.release.id)) throw badInput('releaseId', 'dsl.notLinked');
  allow(dp, rel?.ctx ?? null, c.action, { dslItem: summary(row.doc), ...(c.extras ? c.extras(row.doc) : {}) });
  if (row.version !== c.expectedVersion) throw new ServiceError('CONFLICT', { messageKey: 'dsl.conflict' });
  const changes = new Changes();
  const built = await c.build(row.doc, dp, changes);
  const version = putDslItem(changes, built.item, row.version, dp.t);
  const event = historyEvent(built.item, built.type, dp.scope.accountId, dp.t, built.history);
  appendDslHistory(changes, event);
  if (built.item.status !== row.doc.status || built.item.checkedInAt !== row.doc.checkedInAt) await keepReleasesInStep(changes, pid, [built.item], dp.t);
  auditItem(changes, dp, built.item, c.action, { dslStatus: row.doc.status, ...built.audit.before }, { dslStatus: built.item.status, ...built.audit.after });
  await commitDsl(changes);
  return { item: built.item, version, event };
}

const on = (p: { itemId: string; expectedVersion: number; releaseId?: string | undefined }) => ({ itemId: p.itemId, expectedVersion: p.expectedVersion, releaseId: p.releaseId });

export const approveDslItem = (caller: Caller, p: PayloadOf<typeof K.dslApprove>) =>
  runItemCommand(caller, {
    action: 'dslApprove',
    ...on(p),
    build: (item, dp) => ({ item: { ...item, status: 'APPROVED', approvedAt: dp.t, approvedBy: dp.scope.accountId }, type: 'APPROVED', history: {}, audit: { before: {}, after: {} } }),
  });

export const checkInDslItem = (caller: Caller, p: PayloadOf<typeof K.dslCheckIn>) =>
  runItemCommand(caller, {
    action: 'dslCheckIn',
    ...on(p),
    build: (item, dp) => ({
      item: { ...item, status: 'IN_LIBRARY', checkedInAt: dp.t },
      type: 'CHECKED_IN',
      history: p.note ? { note: p.note } : {},
      audit: { before: {}, after: { checkedInAt: dp.t } },
    }),
  });

export const checkOutDslItem = (caller: Caller, p: PayloadOf<typeof K.dslCheckOut>) =>
  runItemCommand(caller, {
    action: 'dslCheckOut',
    ...on(p),
    extras: () => ({ usageRequestId: p.usageRequestId }),
    build: async (item, dp, changes) => {
      const req = await getRow(usageRequestRef(p.usageRequestId));
      if (!req || req.doc.projectId !== item.projectId || req.doc.itemId !== item.id || req.doc.status !== 'APPROVED') {
        throw reasonError('DSL_USAGE_REQUEST_NOT_APPROVED', 'usageRequestId');
      }
      const r = req.doc;
      // The request is used once: a second check-out against it fails on its version as well.
      putUsageRequest(changes, { ...r, status: 'USED' }, req.version);
      const checkout = {
        usageRequestId: r.id,
        requesterAccountId: r.requesterAccountId,
        purpose: p.purpose?.trim() ? p.purpose : r.purpose,
        environment: r.environment,
        releaseId: r.releaseId,
        checkedOutBy: dp.scope.accountId,
        checkedOutAt: dp.t,
      };
      return {
        item: { ...item, status: 'CHECKED_OUT', checkout },
        type: 'CHECKED_OUT',
        history: { usageRequestId: r.id, environment: r.environment, ...(r.releaseId ? { releaseId: r.releaseId } : {}), note: checkout.purpose },
        audit: { before: {}, after: { usageRequestId: r.id, requester: r.requesterAccountId, dslEnvironment: r.environment, releaseId: r.releaseId } },
      };
    },
  });

export const returnDslItem = (caller: Caller, p: PayloadOf<typeof K.dslReturn>) =>
  runItemCommand(caller, {
    action: 'dslReturn',
    ...on(p),
    build: async (item, _dp, changes) => {
      const reqId = item.checkout?.usageRequestId;
      if (reqId) {
        const req = await getRow(usageRequestRef(reqId));
        if (req && req.doc.status === 'USED') putUsageRequest(changes, { ...req.doc, status: 'CLOSED' }, req.version);
      }
      return {
        item: { ...item, status: 'IN_LIBRARY', checkout: null },
        type: 'RETURNED',
        history: { ...(reqId ? { usageRequestId: reqId } : {}), ...(p.note ? { note: p.note } : {}) },
        audit: { before: { usageRequestId: reqId ?? null }, after: {} },
      };
    },
  });

export const retireDslItem = (caller: Caller, p: PayloadOf<typeof K.dslRetire>) =>
  runItemCommand(caller, {
    action: 'dslRetire',
    ...on(p),
    build: (item, dp) => ({
      item: { ...item, status: 'RETIRED', retiredAt: dp.t, retireReason: p.reason },
      type: 'RETIRED',
      history: { note: p.reason },
      audit: { before: {}, after: { reason: p.reason } },
    }),
  });

/** A new version supersedes the old: the old becomes SUPERSEDED, both records name each other. */
export const replaceDslItem = (caller: Caller, p: PayloadOf<typeof K.dslReplace>) =>
  runItemCommand(caller, {
    action: 'dslReplace',
    ...on(p),
    build: async (item, dp, changes) => {
      const next = await loadItem(item.projectId, p.replacementItemId, 'replacementItemId');
      const n = next.doc;
      if (!dslReplacementFits(item, n)) throw reasonError('DSL_REPLACEMENT_INVALID', 'replacementItemId');
      const replacement: DslItem = { ...n, supersedesItemId: item.id };
      putDslItem(changes, replacement, next.version, dp.t);
      appendDslHistory(changes, historyEvent(replacement, 'SUPERSEDES', dp.scope.accountId, dp.t, { otherItemId: item.id, note: `${item.name} ${item.version}` }));
      return {
        item: { ...item, status: 'SUPERSEDED', supersededByItemId: n.id, checkout: null },
        type: 'REPLACED',
        history: { otherItemId: n.id, note: `${n.name} ${n.version}` },
        audit: { before: {}, after: { supersededBy: n.id, replacementVersion: n.version } },
      };
    },
  });

/**
 * An audit of the item: the server compares what was observed of the file with the record (the browser
 * hashed it) and adds the auditor's own findings. Matched or not, it counts in the month's DSL accuracy.
 */
export async function auditDslItem(caller: Caller, p: PayloadOf<typeof K.dslAudit>): Promise<DslCommandResult & { matched: boolean; differences: DslHistoryEvent['differences'] }> {
  let outcome: { matched: boolean; differences: NonNullable<DslHistoryEvent['differences']> } = { matched: true, differences: [] };
  const res = await runItemCommand(caller, {
    action: 'dslAudit',
    ...on(p),
    build: async (item, dp, changes) => {
      const checks = dslAuditChecks(item, {
        ...(p.observedSha256 !== undefined ? { sha256: p.observedSha256 } : {}),
        ...(p.observedSizeBytes !== undefined ? { sizeBytes: p.observedSizeBytes } : {}),
        ...(p.observedStorageUri !== undefined ? { storageUri: p.observedStorageUri } : {}),
        ...(p.observedVersion !== undefined ? { version: p.observedVersion } : {}),
        ...(p.observedLicence !== undefined ? { licence: p.observedLicence } : {}),
      });
      // The auditor's own findings (fields the form does not compare) count as differences too.
      const differences = [...dslDifferencesOf(checks), ...p.differences];
      const matched = differences.length === 0;
      outcome = { matched, differences };
      const kpi = await kpiMonthRow(item.projectId, monthOf(dp.t));
      const auditId = dslAuditFactId(item.id, dp.t);
      putKpiMonth(changes, applyDslAudit(kpi?.doc ?? emptyKpiMonth(item.projectId, monthOf(dp.t)), { auditId, projectId: item.projectId, at: dp.t, matched }), kpi?.version ?? null);
      return {
        item: { ...item, lastAudit: { at: dp.t, by: dp.scope.accountId, matched, differences } },
        type: 'AUDITED',
        history: { matched, differences, checks, ...(p.note ? { note: p.note } : {}) },
        // Each differing field with the library's value (expected) and the one found (actual).
        audit: { before: {}, after: { matched, differences: differences.map((d) => ({ field: d.field, expected: d.expected, actual: d.actual })) } },
      };
    },
  });
  return { ...res, ...outcome };
}

/** Adds the item to one more (open) release of the project. */
export async function linkDslItem(caller: Caller, p: PayloadOf<typeof K.dslLink>): Promise<DslCommandResult> {
  const dp = await dslProject(caller);
  const pid = dp.scope.projectId;
  const row = await loadItem(pid, p.itemId);
  const rel = await releaseContext(pid, p.releaseId);
  allow(dp, rel?.ctx ?? null, 'dslRegister', {});
  if (row.version !== p.expectedVersion) throw new ServiceError('CONFLICT', { messageKey: 'dsl.conflict' });
  if (row.doc.status === 'RETIRED' || row.doc.status === 'SUPERSEDED') throw reasonError('DSL_WRONG_STATUS', 'itemId');
  await checkOpenReleases(pid, [p.releaseId]);
  if (row.doc.releaseIds.includes(p.releaseId)) return { item: row.doc, version: row.version, event: historyEvent(row.doc, 'LINKED', dp.scope.accountId, dp.t, { releaseId: p.releaseId }) };
  if (row.doc.releaseIds.length >= 10) throw badInput('releaseId', 'tooMany');
  const item: DslItem = { ...row.doc, releaseIds: [...row.doc.releaseIds, p.releaseId] };
  const changes = new Changes();
  const version = putDslItem(changes, item, row.version, dp.t);
  const event = historyEvent(item, 'LINKED', dp.scope.accountId, dp.t, { releaseId: p.releaseId });
  appendDslHistory(changes, event);
  await keepReleasesInStep(changes, pid, [item], dp.t);
  auditItem(changes, dp, item, 'dslLink', { releaseIds: row.doc.releaseIds }, { releaseIds: item.releaseIds });
  await commitDsl(changes);
  return { item, version, event };
}

// ------------------------------------------------------------------ usage requests

/** Anyone who can browse the project may ask to use an item (who: the caller; why; where; for which release). */
export async function requestDslUsage(caller: Caller, p: PayloadOf<typeof K.dslRequestUsage>): Promise<{ request: UsageRequest; version: number }> {
  const dp = await dslProject(caller);
  const pid = dp.scope.projectId;
  allow(dp, null, 'read');
  const row = await loadItem(pid, p.itemId);
  if (row.doc.status !== 'IN_LIBRARY' && row.doc.status !== 'CHECKED_OUT') throw reasonError('DSL_WRONG_STATUS', 'itemId');
  const releaseId = p.releaseKey ? (await releaseIdsOfKeys(pid, [p.releaseKey], 'releaseKey'))[0] : p.releaseId;
  if (releaseId) {
    const [rel] = await getMany([releaseRef(releaseId)] as const);
    if (!rel || rel.doc.release.projectId !== pid) throw new ServiceError('NOT_FOUND', { field: 'releaseId' });
  }
  const request: UsageRequest = {
    id: newId(),
    projectId: pid,
    itemId: row.doc.id,
    requesterAccountId: dp.scope.accountId,
    purpose: p.purpose,
    environment: p.environment,
    releaseId: releaseId ?? null,
    status: 'REQUESTED',
    requestedAt: dp.t,
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
  };
  const changes = new Changes();
  putUsageRequest(changes, request, null);
  auditItem(changes, dp, row.doc, 'dslRequestUsage', {}, { usageRequestId: request.id, purpose: p.purpose, dslEnvironment: p.environment, releaseId: releaseId ?? null });
  await commitDsl(changes);
  return { request, version: 1 };
}

/** The software control lead approves or rejects a usage request (the check-out needs an approved one). */
export async function decideDslUsage(caller: Caller, p: PayloadOf<typeof K.dslDecideUsage>): Promise<{ request: UsageRequest; version: number }> {
  const dp = await dslProject(caller);
  const pid = dp.scope.projectId;
  const req = await getRow(usageRequestRef(p.requestId));
  if (!req || req.doc.projectId !== pid) throw new ServiceError('NOT_FOUND', { field: 'requestId' });
  const rel = req.doc.releaseId ? await releaseContext(pid, req.doc.releaseId).catch(() => null) : null;
  allow(dp, rel?.ctx ?? null, 'dslCheckOut');
  if (req.version !== p.expectedVersion) throw new ServiceError('CONFLICT', { messageKey: 'dsl.conflict' });
  if (req.doc.status !== 'REQUESTED') throw reasonError('DSL_WRONG_STATUS', 'requestId');
  const request: UsageRequest = { ...req.doc, status: p.approve ? 'APPROVED' : 'REJECTED', decidedBy: dp.scope.accountId, decidedAt: dp.t, decisionNote: p.note?.trim() ? p.note : null };
  const [item] = await getRows([dslItemRef(req.doc.itemId)]);
  const changes = new Changes();
  putUsageRequest(changes, request, req.version);
  if (item) auditItem(changes, dp, item.doc, 'dslDecideUsage', { usageRequestStatus: req.doc.status }, { usageRequestId: request.id, usageRequestStatus: request.status });
  await commitDsl(changes);
  return { request, version: req.version + 1 };
}
