/**
 * Change freezes (发布冻结期, SPEC §3): windows in which releases may not (hard) or should not (soft) start
 * implementation. One-off windows are instants; recurring ones are wall-clock rules in the project's time
 * zone (month end: the last N working days; weekly: from one day and time to another), expanded here into
 * occurrences. Time-zone arithmetic uses the platform's own Intl time-zone database (Node 20/22 and every
 * browser have it; no library and no eval needed), through two small helpers below.
 */
import type { Classification } from './release';

export const FREEZE_SEVERITIES = ['HARD', 'SOFT'] as const;
export type FreezeSeverity = (typeof FREEZE_SEVERITIES)[number];

export const FREEZE_KINDS = ['ONCE', 'MONTH_END', 'WEEKLY'] as const;
export type FreezeKind = (typeof FREEZE_KINDS)[number];

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type FreezeRecurrence =
  | { readonly kind: 'ONCE'; readonly start: number; readonly end: number }
  /** The last `workingDays` Monday–Friday days of every month, whole days (00:00 to 24:00) in the project's zone. */
  | { readonly kind: 'MONTH_END'; readonly workingDays: number }
  /** Every week from `startDay` `startTime` to the next `endDay` `endTime` (may wrap over the weekend), `HH:MM` wall clock. */
  | { readonly kind: 'WEEKLY'; readonly startDay: IsoWeekday; readonly startTime: string; readonly endDay: IsoWeekday; readonly endTime: string };

export interface FreezeWindow {
  readonly id: string;
  /** Why the freeze exists (shown to people, e.g. "Month-end financial close"). */
  readonly reason: string;
  readonly severity: FreezeSeverity;
  /** The classifications it applies to; a release not yet classified is always covered. */
  readonly appliesTo: readonly Classification[];
  readonly recurrence: FreezeRecurrence;
  readonly createdBy: string;
  readonly createdAt: number;
}

/** A freeze exception the release manager recorded for one release (reason audited). */
export interface FreezeException {
  readonly recordedBy: string;
  readonly recordedAt: number;
  readonly reason: string;
}

export interface FreezeOccurrence {
  readonly freezeId: string;
  readonly reason: string;
  readonly severity: FreezeSeverity;
  /** Epoch ms, inclusive. */
  readonly start: number;
  /** Epoch ms, exclusive. */
  readonly end: number;
}

export const MAX_FREEZES = 50;
const DAY = 86_400_000;

// ------------------------------------------------------------------ time zone helpers (Intl)

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Is `timeZone` an IANA zone this runtime knows? */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface WallClock {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** The wall clock in `timeZone` at `epochMs`. */
export function wallClockAt(epochMs: number, timeZone: string): WallClock & { second: number } {
  const parts = formatter(timeZone).formatToParts(new Date(epochMs));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: n('year'), month: n('month'), day: n('day'), hour: n('hour') % 24, minute: n('minute'), second: n('second') };
}

function offsetAt(epochMs: number, timeZone: string): number {
  const w = wallClockAt(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` shows `w`. A wall time skipped by a DST change maps to the
 * instant just after the gap; a repeated one to its first occurrence.
 */
export function instantOf(w: WallClock, timeZone: string): number {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  // Offsets a day either side bracket any transition near this wall time.
  const before = naive - offsetAt(naive - DAY, timeZone);
  const after = naive - offsetAt(naive + DAY, timeZone);
  const shows = (t: number) => {
    const x = wallClockAt(t, timeZone);
    return x.year === w.year && x.month === w.month && x.day === w.day && x.hour === w.hour && x.minute === w.minute;
  };
  const matching = [before, after].filter(shows);
  if (matching.length > 0) return Math.min(...matching);
  // In a gap: the wall time read with the offset in force before it, which lands just after the gap.
  return before;
}

/** ISO weekday of a calendar date (proleptic Gregorian; independent of zones). */
function isoWeekday(year: number, month: number, day: number): IsoWeekday {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return (d === 0 ? 7 : d) as IsoWeekday;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function addDays(year: number, month: number, day: number, delta: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(year, month - 1, day) + delta * DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function parseTime(hhmm: string): { hour: number; minute: number } | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

// ------------------------------------------------------------------ validation

export type FreezeProblem = 'FREEZE_REASON_REQUIRED' | 'FREEZE_NO_CLASSIFICATION' | 'FREEZE_END_BEFORE_START' | 'FREEZE_BAD_WORKING_DAYS' | 'FREEZE_BAD_TIME' | 'FREEZE_EMPTY_WEEKLY';

/** What is wrong with a freeze definition, if anything (the contracts check shapes; this checks sense). */
export function freezeProblems(f: Pick<FreezeWindow, 'reason' | 'appliesTo' | 'recurrence'>): FreezeProblem[] {
  const out: FreezeProblem[] = [];
  if (f.reason.trim().length === 0) out.push('FREEZE_REASON_REQUIRED');
  if (f.appliesTo.length === 0) out.push('FREEZE_NO_CLASSIFICATION');
  const r = f.recurrence;
  if (r.kind === 'ONCE' && !(r.start < r.end)) out.push('FREEZE_END_BEFORE_START');
  if (r.kind === 'MONTH_END' && !(Number.isInteger(r.workingDays) && r.workingDays >= 1 && r.workingDays <= 10)) out.push('FREEZE_BAD_WORKING_DAYS');
  if (r.kind === 'WEEKLY') {
    const s = parseTime(r.startTime);
    const e = parseTime(r.endTime);
    if (!s || !e) out.push('FREEZE_BAD_TIME');
    else if (r.startDay === r.endDay && s.hour * 60 + s.minute === e.hour * 60 + e.minute) out.push('FREEZE_EMPTY_WEEKLY');
  }
  return out;
}

// ------------------------------------------------------------------ occurrences

function occurrence(f: FreezeWindow, start: number, end: number): FreezeOccurrence {
  return { freezeId: f.id, reason: f.reason, severity: f.severity, start, end };
}

function monthEndOccurrences(f: FreezeWindow, workingDays: number, timeZone: string, from: number, to: number): FreezeOccurrence[] {
  const out: FreezeOccurrence[] = [];
  const a = wallClockAt(from, timeZone);
  const b = wallClockAt(to, timeZone);
  // The month before `from` too: its freeze cannot reach into the next month, but cheap to be safe.
  let year = a.month === 1 ? a.year - 1 : a.year;
  let month = a.month === 1 ? 12 : a.month - 1;
  while (year < b.year || (year === b.year && month <= b.month)) {
    let day = daysInMonth(year, month);
    let found = 0;
    let lastWorking = -1;
    let firstWorking = -1;
    for (; day >= 1 && found < workingDays; day--) {
      if (isoWeekday(year, month, day) <= 5) {
        found++;
        if (lastWorking < 0) lastWorking = day;
        firstWorking = day;
      }
    }
    if (found > 0) {
      const start = instantOf({ year, month, day: firstWorking, hour: 0, minute: 0 }, timeZone);
      const next = addDays(year, month, lastWorking, 1);
      const end = instantOf({ ...next, hour: 0, minute: 0 }, timeZone);
      if (end > from && start <= to) out.push(occurrence(f, start, end));
    }
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return out;
}

function weeklyOccurrences(
  f: FreezeWindow,
  r: Extract<FreezeRecurrence, { kind: 'WEEKLY' }>,
  timeZone: string,
  from: number,
  to: number,
): FreezeOccurrence[] {
  const s = parseTime(r.startTime);
  const e = parseTime(r.endTime);
  if (!s || !e) return [];
  const out: FreezeOccurrence[] = [];
  // Length in wall-clock days from the start to the end (wraps over the week end).
  const startMin = (r.startDay - 1) * 1440 + s.hour * 60 + s.minute;
  const endMin = (r.endDay - 1) * 1440 + e.hour * 60 + e.minute;
  const spanDays = Math.floor(((endMin - startMin + 7 * 1440) % (7 * 1440)) / 1440);
  const endDayOffset = spanDays + (e.hour * 60 + e.minute < s.hour * 60 + s.minute ? 1 : 0);
  // Start one week before `from` so an occurrence already running at `from` is found.
  const a = wallClockAt(from - 8 * DAY, timeZone);
  let cur = { year: a.year, month: a.month, day: a.day };
  const limit = to + DAY;
  for (let i = 0; i < 800; i++) {
    if (isoWeekday(cur.year, cur.month, cur.day) === r.startDay) {
      const start = instantOf({ ...cur, hour: s.hour, minute: s.minute }, timeZone);
      if (start > limit) break;
      const endDate = addDays(cur.year, cur.month, cur.day, endDayOffset);
      const end = instantOf({ ...endDate, hour: e.hour, minute: e.minute }, timeZone);
      if (end > from && start <= to && end > start) out.push(occurrence(f, start, end));
      cur = addDays(cur.year, cur.month, cur.day, 7);
    } else {
      cur = addDays(cur.year, cur.month, cur.day, 1);
    }
  }
  return out;
}

/** The freeze's occurrences that overlap `[from, to]`, in time order. */
export function freezeOccurrences(f: FreezeWindow, timeZone: string, from: number, to: number): FreezeOccurrence[] {
  const r = f.recurrence;
  switch (r.kind) {
    case 'ONCE':
      return r.end > from && r.start <= to ? [occurrence(f, r.start, r.end)] : [];
    case 'MONTH_END':
      return monthEndOccurrences(f, r.workingDays, timeZone, from, to);
    case 'WEEKLY':
      return weeklyOccurrences(f, r, timeZone, from, to);
  }
}

/** Does the freeze cover a release of this classification (an unclassified release is covered)? */
export function freezeAppliesTo(f: FreezeWindow, classification: Classification | null): boolean {
  return classification === null || f.appliesTo.includes(classification);
}

/** Every occurrence of the given freezes overlapping `[from, to]` for a release of `classification`, in time order. */
export function occurrencesBetween(
  freezes: readonly FreezeWindow[],
  timeZone: string,
  from: number,
  to: number,
  classification: Classification | null | 'ANY' = 'ANY',
): FreezeOccurrence[] {
  return freezes
    .filter((f) => classification === 'ANY' || freezeAppliesTo(f, classification))
    .flatMap((f) => freezeOccurrences(f, timeZone, from, to))
    .sort((x, y) => x.start - y.start || x.end - y.end);
}

/** The occurrences in force at `at` (start ≤ at < end) for a release of `classification`. */
export function freezesInForce(freezes: readonly FreezeWindow[], timeZone: string, at: number, classification: Classification | null): FreezeOccurrence[] {
  return occurrencesBetween(freezes, timeZone, at, at, classification).filter((o) => o.start <= at && at < o.end);
}

/** The occurrences a release window `[start, end]` overlaps, for a release of `classification`. */
export function windowFreezeOverlaps(
  freezes: readonly FreezeWindow[],
  timeZone: string,
  start: number,
  end: number,
  classification: Classification | null,
): FreezeOccurrence[] {
  if (!(start < end)) return [];
  return occurrencesBetween(freezes, timeZone, start, end, classification).filter((o) => o.start < end && start < o.end);
}
