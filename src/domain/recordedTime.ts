/**
 * Numbers that cannot lie: a time a person records (deployment finished, training delivered, rehearsal held,
 * improvement completed) must lie within the record's life — not before it could have happened, not in the
 * future beyond a small clock skew. Otherwise a deployment "finished" in the year 2000 would make the median
 * release efficiency −9,831 days and show it as on target.
 */
import type { Release } from './release';

/**
 * How far a recorded time may lie outside the record's life: the clocks of people's machines and the
 * server's differ a little (a deployment recorded in the browser a second after the server started the
 * implementation must not be refused).
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

export const TIME_REASON_CODES = ['TIME_IN_FUTURE', 'TIME_BEFORE_IMPLEMENTATION', 'TIME_BEFORE_APPROVAL', 'TIME_BEFORE_REQUEST', 'TIME_BEFORE_CREATED'] as const;
export type TimeReasonCode = (typeof TIME_REASON_CODES)[number];

export type RecordedTime = 'DEPLOYMENT_FINISHED' | 'TRAINING_DELIVERED' | 'REHEARSAL_HELD';

function future(at: number, now: number): TimeReasonCode[] {
  return at > now + CLOCK_SKEW_MS ? ['TIME_IN_FUTURE'] : [];
}

/**
 * Reasons a time recorded on a release is refused (empty: accepted). A deployment finishes after the
 * implementation started; training and rehearsals happen once the release is approved (before approval:
 * not before the request was made).
 */
export function releaseTimeReasons(kind: RecordedTime, at: number, release: Pick<Release, 'statusEnteredAt' | 'createdAt'>, now: number): TimeReasonCode[] {
  if (!Number.isFinite(at)) return ['TIME_IN_FUTURE'];
  const entered = release.statusEnteredAt;
  const requested = entered.SUBMITTED ?? release.createdAt;
  const early: TimeReasonCode[] = [];
  if (kind === 'DEPLOYMENT_FINISHED' && entered.IMPLEMENTING !== undefined) {
    if (at < entered.IMPLEMENTING - CLOCK_SKEW_MS) early.push('TIME_BEFORE_IMPLEMENTATION');
  } else if (entered.PLANNING !== undefined) {
    if (at < entered.PLANNING - CLOCK_SKEW_MS) early.push('TIME_BEFORE_APPROVAL');
  } else if (at < requested - CLOCK_SKEW_MS) {
    early.push('TIME_BEFORE_REQUEST');
  }
  return [...early, ...future(at, now)];
}

/** An improvement action is completed after it was created, and not in the future. */
export function improvementCompletionReasons(at: number, createdAt: number, now: number): TimeReasonCode[] {
  if (!Number.isFinite(at)) return ['TIME_IN_FUTURE'];
  return [...(at < createdAt - CLOCK_SKEW_MS ? (['TIME_BEFORE_CREATED'] as const) : []), ...future(at, now)];
}
