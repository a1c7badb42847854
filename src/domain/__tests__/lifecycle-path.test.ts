import { TRANSITIONS, lifecyclePath, type TransitionAction } from '../lifecycle';
import type { Release, ReleaseStatus } from '../release';

/** How a lagging Jira is brought to the record: along the statuses the release itself went through. */

type Walked = Pick<Release, 'status' | 'statusEnteredAt'>;

function walk(...actions: TransitionAction[]): Walked {
  let status: ReleaseStatus = 'SUBMITTED';
  const entered: Partial<Record<ReleaseStatus, number>> = { SUBMITTED: 0 };
  actions.forEach((a, i) => {
    if (!TRANSITIONS[a].from.includes(status)) throw new Error(`${a} does not leave ${status}`);
    status = TRANSITIONS[a].to;
    entered[status] = i + 1;
  });
  return { status, statusEnteredAt: entered };
}

const SUCCESS = walk('approve', 'startBuild', 'markReady', 'startImplementation', 'markDeployed', 'verifyAndClose');
const ROLLED_BACK = walk('approve', 'startBuild', 'markReady', 'startImplementation', 'invokeFallback', 'completeFallback');

describe('lifecyclePath', () => {
  it('is empty when Jira is where the record is', () => {
    expect(lifecyclePath('CLOSED', SUCCESS)).toEqual([]);
  });

  it('walks every step a lagging Jira missed, in order', () => {
    expect(lifecyclePath('SUBMITTED', SUCCESS)).toEqual(['approve', 'startBuild', 'markReady', 'startImplementation', 'markDeployed', 'verifyAndClose']);
    expect(lifecyclePath('READY', SUCCESS)).toEqual(['startImplementation', 'markDeployed', 'verifyAndClose']);
  });

  it('closes a rolled-back release through ROLLING_BACK, never through VERIFYING', () => {
    expect(lifecyclePath('IMPLEMENTING', ROLLED_BACK)).toEqual(['invokeFallback', 'completeFallback']);
    expect(lifecyclePath('ROLLING_BACK', ROLLED_BACK)).toEqual(['completeFallback']);
    expect(lifecyclePath('IMPLEMENTING', SUCCESS)).toEqual(['markDeployed', 'verifyAndClose']);
  });

  it('takes the shortest way the lifecycle allows (a cancel straight from where Jira is)', () => {
    const cancelled = walk('approve', 'startBuild', 'cancel');
    expect(lifecyclePath('SUBMITTED', cancelled)).toEqual(['cancel']);
    expect(lifecyclePath('PLANNING', cancelled)).toEqual(['cancel']);
  });

  it('has no path when Jira is ahead of the record or on another branch (the trigger sync decides then)', () => {
    const planning = walk('approve');
    expect(lifecyclePath('BUILD_TEST', planning)).toBeNull();
    expect(lifecyclePath('VERIFYING', ROLLED_BACK)).toBeNull();
    expect(lifecyclePath('REJECTED', SUCCESS)).toBeNull();
  });
});
