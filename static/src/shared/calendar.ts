/**
 * Month-grid arithmetic for the release calendar: days as `YYYY-MM-DD` strings in the user's time zone, so a
 * window that starts late in the evening falls on the day the user sees on their clock.
 */
export interface MonthRef {
  year: number;
  /** 0-11 */
  month: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function dayKey(year: number, month: number, day: number): string {
  return `${year}-${pad(month + 1)}-${pad(day)}`;
}

/** The calendar day of an instant in `timeZone` (`YYYY-MM-DD`). */
export function dayOf(epochMs: number, timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(epochMs));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function monthOfInstant(epochMs: number, timeZone: string | undefined): MonthRef {
  const [y, m] = dayOf(epochMs, timeZone).split('-').map(Number) as [number, number];
  return { year: y, month: m - 1 };
}

export function shiftMonth(ref: MonthRef, delta: number): MonthRef {
  const d = new Date(Date.UTC(ref.year, ref.month + delta, 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() };
}

/** Weeks of the month, each seven cells (null outside the month), weeks starting on `firstDay` (0 Sunday, 1 Monday). */
export function monthGrid(ref: MonthRef, firstDay: 0 | 1): (string | null)[][] {
  const days = new Date(Date.UTC(ref.year, ref.month + 1, 0)).getUTCDate();
  const lead = (new Date(Date.UTC(ref.year, ref.month, 1)).getUTCDay() - firstDay + 7) % 7;
  const cells: (string | null)[] = [...Array<null>(lead).fill(null)];
  for (let d = 1; d <= days; d++) cells.push(dayKey(ref.year, ref.month, d));
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** Weekday names for the header, in the user's language, starting on `firstDay`. */
export function weekdayNames(locale: string, firstDay: 0 | 1, width: 'long' | 'short'): string[] {
  const fmt = new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' });
  // 2023-01-01 was a Sunday.
  return Array.from({ length: 7 }, (_, i) => fmt.format(new Date(Date.UTC(2023, 0, 1 + ((i + firstDay) % 7)))));
}

export function monthTitle(locale: string, ref: MonthRef): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(ref.year, ref.month, 15)));
}

/** Full date of a day key, for the accessible name of a cell. */
export function dayTitle(locale: string, key: string): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Bounds (epoch ms, generous by a day each side) of a month for a query by window start. */
export function monthBounds(ref: MonthRef): { from: number; to: number } {
  return { from: Date.UTC(ref.year, ref.month, 1) - 86_400_000, to: Date.UTC(ref.year, ref.month + 1, 1) + 86_400_000 };
}
