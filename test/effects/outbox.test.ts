import { effectsOfChange, nextAttemptDelayMs, pendingKinds } from '../../src/effects';
import type { EffectRequest, EffectState } from '../../src/storage/outbox';

/** The outbox's arithmetic: what is still owed, in which order, and when to try again. */

const request = (requested: EffectRequest['requested']): EffectRequest => ({ releaseId: '1', projectId: '2', requested, actorAccountId: 'a', at: 0 });
const state = (applied: EffectState['applied'], extra: Partial<EffectState> = {}): EffectState => ({
  releaseId: '1',
  projectId: '2',
  applied,
  attempts: 0,
  nextAttemptAt: null,
  lastError: null,
  drift: false,
  updatedAt: 0,
  ...extra,
});

describe('effects outbox', () => {
  it('names what each change implies', () => {
    expect(effectsOfChange({ transition: false })).toEqual(['PROPERTY']);
    expect(effectsOfChange({ transition: false, linkedChange: true })).toEqual(['PROPERTY', 'CHANGE_LINK']);
    expect(effectsOfChange({ transition: true, effects: ['RAISE_CMDB_UPDATE_TASK', 'UPDATE_DSL_ENVIRONMENT_VERSIONS', 'RECORD_KPI_FACTS'] })).toEqual([
      'PROPERTY',
      'STATUS',
      'CMDB_TASK',
      'DSL_ENVIRONMENTS',
    ]);
  });

  it('owes what was asked at a later version than applied, property first', () => {
    expect(pendingKinds(null, null)).toEqual([]);
    expect(pendingKinds(request({ STATUS: 5, PROPERTY: 5, CMDB_TASK: 5 }), null)).toEqual(['PROPERTY', 'STATUS', 'CMDB_TASK']);
    expect(pendingKinds(request({ STATUS: 3, PROPERTY: 5 }), state({ STATUS: 3, PROPERTY: 4 }))).toEqual(['PROPERTY']);
    expect(pendingKinds(request({ STATUS: 3, PROPERTY: 5 }), state({ STATUS: 3, PROPERTY: 5 }))).toEqual([]);
  });

  it('re-applies status and property when a read saw Jira disagree', () => {
    expect(pendingKinds(request({ PROPERTY: 5 }), state({ PROPERTY: 5 }, { drift: true }))).toEqual(['PROPERTY', 'STATUS']);
  });

  it('backs off per failed attempt, never sooner than Retry-After, at most 6 hours', () => {
    expect(nextAttemptDelayMs(1, undefined)).toBe(30_000);
    expect(nextAttemptDelayMs(3, undefined)).toBe(120_000);
    expect(nextAttemptDelayMs(1, 600_000)).toBe(600_000);
    expect(nextAttemptDelayMs(30, undefined)).toBe(6 * 3_600_000);
  });
});
