import { AUDIENCE_KPIS, KPI_AUDIENCES, KPI_DEFINITIONS, KPI_NAMES, kpiAudiencesOf, type KpiAudience, type KpiName } from '../../../src/domain/kpiCatalog';
import type { Formatter } from './format';

export { AUDIENCE_KPIS, KPI_AUDIENCES, KPI_DEFINITIONS, KPI_NAMES, kpiAudiencesOf, type KpiAudience, type KpiName };

/** One KPI as `kpi/get` answers it (value null: nothing to measure in the period). */
export interface KpiReading {
  name: KpiName;
  value: number | null;
  target: number;
  onTarget: boolean | null;
}

export interface KpiView {
  project?: { id: string; key: string; name: string | null };
  total: KpiReading[];
  /** Every month of the range, those without data too (their values null). */
  byMonth: { month: string; readings: KpiReading[] }[];
}

/** `kpi/drillDown`: the releases behind one KPI over some months (see src/domain/kpiDrill.ts). */
export interface KpiDrillView {
  kpi: KpiName;
  kind: 'COUNT_RATIO' | 'WEIGHTED_RATIO' | 'SAMPLE' | 'RATE' | 'NOT_RELEASES';
  fromMonth: string;
  toMonth: string;
  rows: { releaseId: string; issueKey: string | null; closedAt: number; outcome: string; inNumerator: boolean; n: number; d: number; value: number | null }[];
  numerator: number | null;
  denominator: number | null;
  other: { numerator: number; denominator: number } | null;
  jql: { counted: string; numerator: string | null } | null;
  /** Months counted before the per-release lists existed: in the number, not yet in the list. */
  incompleteMonths: string[];
  /** Months with more closed releases than a month's list holds: the number counts all, the list the first ones. */
  cappedMonths?: { month: string; listed: number; closed: number }[];
}

/** One KPI's value per month, null where the month has no data (a gap, never 0 %). */
export function seriesOf(name: KpiName, byMonth: KpiView['byMonth']): { month: string; value: number | null }[] {
  return byMonth.map((m) => ({ month: m.month, value: m.readings.find((r) => r.name === name)?.value ?? null }));
}

/** A KPI value in its unit: ratios as percentages, durations as days or minutes, in the user's language. */
export function formatKpi(format: Formatter, name: KpiName, value: number | null): string {
  if (value === null) return '—';
  switch (KPI_DEFINITIONS[name].unit) {
    case 'RATIO':
      return format.percent(value, value > 0 && value < 0.1 ? 1 : 0);
    case 'DAYS':
      return format.number(value, { style: 'unit', unit: 'day', unitDisplay: 'long', maximumFractionDigits: 1 });
    case 'MINUTES':
      return format.number(value, { style: 'unit', unit: 'minute', unitDisplay: 'long', maximumFractionDigits: 0 });
    case 'PER_WEEK':
      return format.number(value, { maximumFractionDigits: 1 });
  }
}

/** The same value, short, for a chart's axis. */
export function formatKpiShort(format: Formatter, name: KpiName, value: number): string {
  switch (KPI_DEFINITIONS[name].unit) {
    case 'RATIO':
      return format.percent(value);
    case 'DAYS':
    case 'MINUTES':
    case 'PER_WEEK':
      return format.number(value, { maximumFractionDigits: 1 });
  }
}

/** `2026-03` as the user's language writes a month ("Mar 2026", "2026年3月"). */
export function monthLabel(locale: string, month: string, style: 'short' | 'long' = 'short'): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: style, timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

export type Trend = 'up' | 'down' | 'flat' | 'none';

/** Direction of the last change between the two latest months that have a value. */
export function trendOf(name: KpiName, byMonth: KpiView['byMonth']): { trend: Trend; better: boolean | null } {
  const values = byMonth.map((m) => m.readings.find((r) => r.name === name)?.value ?? null).filter((v): v is number => v !== null);
  const last = values[values.length - 1];
  const prev = values[values.length - 2];
  if (last === undefined || prev === undefined) return { trend: 'none', better: null };
  if (Math.abs(last - prev) < 1e-9) return { trend: 'flat', better: null };
  const up = last > prev;
  const higherBetter = KPI_DEFINITIONS[name].direction === 'HIGHER_IS_BETTER';
  return { trend: up ? 'up' : 'down', better: up === higherBetter };
}

/** `YYYY-MM` of `date` in UTC (the KPI months are UTC calendar months), shifted by `delta` months. */
export function monthKey(date: Date, delta = 0): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The month alone ("Mar", "3月"), for a chart's axis. */
export function monthOnly(locale: string, month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}
