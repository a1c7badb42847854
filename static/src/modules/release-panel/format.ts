import type { ReleaseStatus } from '../../../../src/domain/release';

type LozengeAppearance = 'default' | 'inprogress' | 'moved' | 'new' | 'removed' | 'success';

export function statusAppearance(status: ReleaseStatus): LozengeAppearance {
  switch (status) {
    case 'SUBMITTED':
      return 'new';
    case 'CLOSED':
      return 'success';
    case 'REJECTED':
    case 'CANCELLED':
      return 'removed';
    case 'ROLLING_BACK':
      return 'moved';
    default:
      return 'inprogress';
  }
}
