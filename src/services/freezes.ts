/**
 * Change freezes and the release calendar. Freezes are kept on the project's set-up record (beside the
 * policy, guarded by its version) so that every release decision reads them in the same storage read as the
 * policy; the process owner and the release manager keep them (`manageFreezes`).
 */
import type { AuditAction } from '../domain/audit';
import { RESOLVER_KEYS as K, type CalendarEntry, type CalendarView, type PayloadOf } from '../contracts';
import { calendarConflicts, type CalendarRelease } from '../domain/calendar';
import { decide } from '../domain/decide';
import { freezeProblems, MAX_FREEZES, occurrencesBetween, type FreezeWindow } from '../domain/freeze';
import { issueSummaries } from '../jira/issues';
import { putSetup, releaseDocsByWindow, type ProjectSetup } from '../storage/records';
import { Changes, newId } from '../storage/store';
import { badInput, refused, ServiceError } from './errors';
import { loadProject, type LoadedProject } from './load';
import { commit, now } from './run';
import { readableProject } from './reads';
import { resolveProjectScope, type Caller } from './scope';

const DAY = 86_400_000;
/** Windows longer than this that started before the range are not looked for (the index is by window start). */
const LONGEST_WINDOW = 62 * DAY;

async function freezeKeeper(caller: Caller, projectId: string, expectedVersion: number): Promise<LoadedProject & { t: number; setup: NonNullable<LoadedProject['setup']> }> {
  const scope = await resolveProjectScope(caller, projectId);
  const t = now();
  const p = await loadProject(scope, t);
  const d = decide(p.actor, null, 'manageFreezes', t, p.policy);
  if (!d.allowed) throw refused(d.reasons);
  if (!p.setup) throw new ServiceError('NOT_SET_UP');
  if (p.setup.version !== expectedVersion) throw new ServiceError('CONFLICT');
  return { ...p, t, setup: p.setup };
}

/** A freeze as audit values: raw, flat fields (see /work/notes/audit-format.md). */
function describeFreeze(f: FreezeWindow | undefined): Record<string, unknown> {
  if (!f) return {};
  const r = f.recurrence;
  return {
    freezeId: f.id,
    reason: f.reason,
    freezeSeverity: f.severity,
    appliesTo: [...f.appliesTo],
    freezeKind: r.kind,
    ...(r.kind === 'ONCE' ? { freezeStart: r.start, freezeEnd: r.end } : {}),
    ...(r.kind === 'MONTH_END' ? { monthEndWorkingDays: r.workingDays } : {}),
    ...(r.kind === 'WEEKLY' ? { weeklyStartDay: r.startDay, weeklyStartTime: r.startTime, weeklyEndDay: r.endDay, weeklyEndTime: r.endTime } : {}),
  };
}

async function writeFreezes(ctx: LoadedProject & { t: number; setup: NonNullable<LoadedProject['setup']> }, freezes: FreezeWindow[], action: AuditAction, before: FreezeWindow | undefined, after: FreezeWindow | undefined): Promise<ProjectSetup> {
  const next: ProjectSetup = { ...ctx.setup.doc, freezes, updatedAt: ctx.t, updatedBy: ctx.scope.accountId };
  const changes = new Changes();
  putSetup(changes, next, ctx.setup.version);
  changes.audit({
    projectId: ctx.scope.projectId,
    subjectType: 'PROJECT',
    subjectId: ctx.scope.projectId,
    action,
    actorAccountId: ctx.scope.accountId,
    at: ctx.t,
    before: describeFreeze(before),
    after: describeFreeze(after),
  });
  await commit(changes);
  return next;
}

/** Creates (no id) or replaces a freeze. */
export async function saveFreeze(caller: Caller, p: PayloadOf<typeof K.saveFreeze>): Promise<FreezeWindow> {
  const ctx = await freezeKeeper(caller, p.projectId, p.expectedVersion);
  const problems = freezeProblems(p.freeze);
  if (problems.length > 0) throw refused(problems);
  const current = ctx.setup.doc.freezes ?? [];
  const existing = p.freeze.id ? current.find((f) => f.id === p.freeze.id) : undefined;
  if (p.freeze.id && !existing) throw new ServiceError('NOT_FOUND', { field: 'freeze.id' });
  if (!existing && current.length >= MAX_FREEZES) throw badInput('freeze', 'tooMany');
  const freeze: FreezeWindow = {
    id: existing?.id ?? newId(),
    reason: p.freeze.reason,
    severity: p.freeze.severity,
    appliesTo: [...new Set(p.freeze.appliesTo)],
    recurrence: p.freeze.recurrence,
    createdBy: existing?.createdBy ?? ctx.scope.accountId,
    createdAt: existing?.createdAt ?? ctx.t,
  };
  const freezes = existing ? current.map((f) => (f.id === freeze.id ? freeze : f)) : [...current, freeze];
  await writeFreezes(ctx, freezes, existing ? 'manageFreezes.update' : 'manageFreezes.create', existing, freeze);
  return freeze;
}

export async function deleteFreeze(caller: Caller, p: PayloadOf<typeof K.deleteFreeze>): Promise<{ deleted: string }> {
  const ctx = await freezeKeeper(caller, p.projectId, p.expectedVersion);
  const current = ctx.setup.doc.freezes ?? [];
  const existing = current.find((f) => f.id === p.freezeId);
  if (!existing) throw new ServiceError('NOT_FOUND', { field: 'freezeId' });
  await writeFreezes(
    ctx,
    current.filter((f) => f.id !== p.freezeId),
    'manageFreezes.delete',
    existing,
    undefined,
  );
  return { deleted: p.freezeId };
}

/**
 * The month (or any range up to 100 days): releases whose windows touch it, with summary, status and
 * conflicts; the freezes' occurrences in it. One Jira request for the browse check, one for the summaries
 * (as the user, so Jira applies their permissions), one storage read for set-up and roles, one index page.
 */
export async function getCalendar(caller: Caller, p: PayloadOf<typeof K.getCalendar>): Promise<CalendarView> {
  const ctx = await readableProject(caller, p.projectId);
  const { policy } = ctx;
  const rows = await releaseDocsByWindow(ctx.scope.projectId, p.from - LONGEST_WINDOW, p.to, { limit: 100 });
  const page = { items: rows.items.map((d) => d.release) };
  // A release's configuration items: the software it carries (DSL items by name, else by id).
  const items = new Map(rows.items.map((d) => [d.release.id, d.dslItems.map((i) => (i.name ? i.name.toLowerCase() : i.id))]));
  const inRange = page.items.filter((r) => r.windowStart !== null && r.windowEnd !== null && r.windowEnd >= p.from && r.windowStart <= p.to);
  // Conflicts between releases are looked for among those the index gave (all releases whose windows touch the range).
  const calendarRows: CalendarRelease[] = page.items.map((r) => ({
    id: r.id,
    status: r.status,
    classification: r.classification,
    windowStart: r.windowStart,
    windowEnd: r.windowEnd,
    configurationItems: items.get(r.id) ?? [],
  }));
  const docs = new Map(page.items.map((r) => [r.id, r]));
  const conflicts = calendarConflicts(calendarRows, policy.freezes, policy.timeZone);
  const summaries = inRange.length > 0 ? await issueSummaries(inRange.map((r) => r.id)) : new Map<string, string>();
  const entries: CalendarEntry[] = inRange.map((r) => ({
    id: r.id,
    issueKey: r.issueKey ?? null,
    summary: summaries.get(r.id) ?? null,
    status: r.status,
    outcome: r.outcome,
    classification: r.classification,
    windowStart: r.windowStart as number,
    windowEnd: r.windowEnd as number,
    freezeException: r.freezeException !== null,
    conflicts: (conflicts.get(r.id) ?? []).map((c) =>
      c.kind === 'FREEZE' ? c : { kind: 'RELEASE' as const, releaseId: c.releaseId, issueKey: docs.get(c.releaseId)?.issueKey ?? null, configurationItem: c.configurationItem },
    ),
  }));
  return {
    timeZone: policy.timeZone,
    freezesVersion: ctx.setup?.version ?? 0,
    canManageFreezes: decide(ctx.actor, null, 'manageFreezes', ctx.t, policy).allowed,
    freezes: policy.freezes,
    occurrences: occurrencesBetween(policy.freezes, policy.timeZone, p.from, p.to),
    entries,
  };
}
