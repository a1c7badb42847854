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
