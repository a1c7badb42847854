/**
 * The release calendar's conflicts (SPEC §3): a planned release whose window overlaps a change freeze that
 * covers it, or overlaps another planned release on the same configuration item. A release's configuration
 * items are the software it carries (its DSL items, by name: two versions of one product are one item).
 */
import { windowFreezeOverlaps, type FreezeSeverity, type FreezeWindow } from './freeze';
import type { Classification, ReleaseStatus } from './release';

export interface CalendarRelease {
  readonly id: string;
  readonly status: ReleaseStatus;
  readonly classification: Classification | null;
  readonly windowStart: number | null;
  readonly windowEnd: number | null;
  /** Names (or ids) of the configuration items the release changes. */
  readonly configurationItems: readonly string[];
}

export type CalendarConflict =
  | { readonly kind: 'FREEZE'; readonly freezeId: string; readonly reason: string; readonly severity: FreezeSeverity }
  | { readonly kind: 'RELEASE'; readonly releaseId: string; readonly configurationItem: string };

/** Releases that are done or will never happen do not conflict with anything. */
const NOT_PLANNED: readonly ReleaseStatus[] = ['CLOSED', 'REJECTED', 'CANCELLED'];

export function isPlanned(r: CalendarRelease): boolean {
  return !NOT_PLANNED.includes(r.status) && r.windowStart !== null && r.windowEnd !== null && r.windowStart < r.windowEnd;
}

/** Each planned release's conflicts, by release id (a release without conflicts is absent). */
export function calendarConflicts(releases: readonly CalendarRelease[], freezes: readonly FreezeWindow[], timeZone: string): Map<string, CalendarConflict[]> {
  const out = new Map<string, CalendarConflict[]>();
  const planned = releases.filter(isPlanned);
  const add = (id: string, c: CalendarConflict) => out.set(id, [...(out.get(id) ?? []), c]);
  for (const r of planned) {
    const seen = new Set<string>();
    for (const o of windowFreezeOverlaps(freezes, timeZone, r.windowStart as number, r.windowEnd as number, r.classification)) {
      if (seen.has(o.freezeId)) continue;
      seen.add(o.freezeId);
      add(r.id, { kind: 'FREEZE', freezeId: o.freezeId, reason: o.reason, severity: o.severity });
    }
  }
  for (let i = 0; i < planned.length; i++) {
    for (let j = i + 1; j < planned.length; j++) {
      const a = planned[i] as CalendarRelease;
      const b = planned[j] as CalendarRelease;
      if (!((a.windowStart as number) < (b.windowEnd as number) && (b.windowStart as number) < (a.windowEnd as number))) continue;
      const shared = a.configurationItems.find((ci) => b.configurationItems.includes(ci));
      if (shared === undefined) continue;
      add(a.id, { kind: 'RELEASE', releaseId: b.id, configurationItem: shared });
      add(b.id, { kind: 'RELEASE', releaseId: a.id, configurationItem: shared });
    }
  }
  return out;
}
