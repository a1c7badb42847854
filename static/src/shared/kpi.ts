import { KPI_DEFINITIONS, KPI_NAMES, type KpiName } from '../../../src/domain/kpiCatalog';
import type { Formatter } from './format';

export { KPI_NAMES, type KpiName };

/** One KPI as `kpi/get` answers it (value null: nothing to measure in the period). */
export interface KpiReading {
  name: KpiName;
  value: number | null;
  target: number;
  onTarget: boolean | null;
}

export interface KpiView {
  total: KpiReading[];
  byMonth: { month: string; readings: KpiReading[] }[];
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
  }
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
