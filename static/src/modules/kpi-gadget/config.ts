import { KPI_NAMES, type KpiName } from '../../shared/kpi';
import type { KpiDisplay } from '../../shared/kpi-ui/KpiBoard';

export const PERIODS = [1, 3, 6, 12] as const;
export type Period = (typeof PERIODS)[number];
export const DISPLAYS: readonly KpiDisplay[] = ['CHART', 'TABLE'];
/** Jira's gadget auto-refresh, in minutes (the `refresh` field of the edit view's submit); 0: off. */
export const REFRESH_MINUTES = [0, 15, 30, 60] as const;

/** What the edit view saves through `view.submit` and Jira hands back as `extension.gadgetConfiguration`. */
export interface GadgetConfig {
  projectId: string;
  /** Months up to and including the current one. */
  period: Period;
  kpis: KpiName[];
  display: KpiDisplay;
  /** Minutes between Jira's automatic refreshes; absent: off. */
  refresh?: number;
}

export const DEFAULT_KPIS: KpiName[] = ['RELEASE_SUCCESS_RATE', 'RELEASE_TIMELINESS', 'PROCESS_EFFECTIVENESS', 'TRAINING_TIMELINESS', 'DSL_ACCURACY'];

/** The stored configuration, or null while the gadget is not configured (anything malformed counts as not). */
export function readConfig(raw: Record<string, unknown> | undefined): GadgetConfig | null {
  if (!raw) return null;
  const projectId = typeof raw.projectId === 'string' && /^\d{1,18}$/.test(raw.projectId) ? raw.projectId : null;
  if (!projectId) return null;
  const period = PERIODS.find((p) => p === Number(raw.period)) ?? 3;
  const kpis = Array.isArray(raw.kpis) ? KPI_NAMES.filter((k) => (raw.kpis as unknown[]).includes(k)) : DEFAULT_KPIS;
  const display = DISPLAYS.find((d) => d === raw.display) ?? 'CHART';
  const refresh = REFRESH_MINUTES.find((m) => m > 0 && m === Number(raw.refresh));
  return { projectId, period, kpis: kpis.length > 0 ? kpis : DEFAULT_KPIS, display, ...(refresh ? { refresh } : {}) };
}
