import {
  calendarConflicts,
  decide,
  freezeOccurrences,
  freezeProblems,
  freezesInForce,
  instantOf,
  nextStepChecklist,
  wallClockAt,
  windowFreezeOverlaps,
  withPolicyDefaults,
  type Classification,
  type FreezeRecurrence,
  type FreezeWindow,
  type Actor,
} from '..';
import { actor, H, ID, NOW, fullCtx, withRelease } from './fixtures';

const ALL_BUT_EMERGENCY: Classification[] = ['STANDARD', 'MINOR', 'MAJOR'];

function freeze(recurrence: FreezeRecurrence, over: Partial<FreezeWindow> = {}): FreezeWindow {
  return { id: 'f1', reason: 'Month-end financial close', severity: 'HARD', appliesTo: ALL_BUT_EMERGENCY, recurrence, createdBy: ID.owner, createdAt: 0, ...over };
}

const iso = (s: string) => Date.parse(s);

describe('time zone helpers', () => {
  test('wall clock and its instant agree, across DST in Berlin and without DST in Shanghai', () => {
    expect(instantOf({ year: 2025, month: 1, day: 30, hour: 0, minute: 0 }, 'Europe/Berlin')).toBe(iso('2025-01-29T23:00:00Z'));
    expect(instantOf({ year: 2025, month: 7, day: 1, hour: 0, minute: 0 }, 'Europe/Berlin')).toBe(iso('2025-06-30T22:00:00Z'));
    expect(instantOf({ year: 2025, month: 7, day: 1, hour: 0, minute: 0 }, 'Asia/Shanghai')).toBe(iso('2025-06-30T16:00:00Z'));
    expect(wallClockAt(iso('2025-06-30T16:00:00Z'), 'Asia/Shanghai')).toMatchObject({ year: 2025, month: 7, day: 1, hour: 0, minute: 0 });
  });
  test('a wall time skipped by the spring change maps to just after the gap; a repeated one to its first occurrence', () => {
    // Berlin 2025-03-30 02:30 does not exist (02:00 → 03:00 CEST).
    expect(instantOf({ year: 2025, month: 3, day: 30, hour: 2, minute: 30 }, 'Europe/Berlin')).toBe(iso('2025-03-30T01:30:00Z'));
    // Berlin 2025-10-26 02:30 happens twice; the first is CEST (UTC+2).
    expect(instantOf({ year: 2025, month: 10, day: 26, hour: 2, minute: 30 }, 'Europe/Berlin')).toBe(iso('2025-10-26T00:30:00Z'));
  });
});

describe('one-off freezes', () => {
  const f = freeze({ kind: 'ONCE', start: iso('2025-12-20T00:00:00Z'), end: iso('2026-01-05T00:00:00Z') }, { reason: 'Year-end peak' });
  test('in force from its start (inclusive) to its end (exclusive)', () => {
    expect(freezesInForce([f], 'UTC', iso('2025-12-19T23:59:59Z'), 'MAJOR')).toEqual([]);
    expect(freezesInForce([f], 'UTC', iso('2025-12-20T00:00:00Z'), 'MAJOR').map((o) => o.reason)).toEqual(['Year-end peak']);
    expect(freezesInForce([f], 'UTC', iso('2026-01-04T23:59:59Z'), 'MAJOR')).toHaveLength(1);
    expect(freezesInForce([f], 'UTC', iso('2026-01-05T00:00:00Z'), 'MAJOR')).toEqual([]);
  });
});

describe('month end: the last N working days, in the project time zone', () => {
  const f = freeze({ kind: 'MONTH_END', workingDays: 2 });
  const occ = (tz: string, from: string, to: string) => freezeOccurrences(f, tz, iso(from), iso(to)).map((o) => [new Date(o.start).toISOString(), new Date(o.end).toISOString()]);

  test('January 2025 ends on a Friday: Thursday 30 and Friday 31, midnight to midnight in Berlin', () => {
    expect(occ('Europe/Berlin', '2025-01-15T00:00:00Z', '2025-01-31T12:00:00Z')).toEqual([['2025-01-29T23:00:00.000Z', '2025-01-31T23:00:00.000Z']]);
  });
  test('November 2025 ends on a Sunday: Thursday 27 and Friday 28; the weekend is not frozen', () => {
    expect(occ('UTC', '2025-11-01T00:00:00Z', '2025-11-30T23:00:00Z')).toEqual([['2025-11-27T00:00:00.000Z', '2025-11-29T00:00:00.000Z']]);
    expect(freezesInForce([f], 'UTC', iso('2025-11-29T10:00:00Z'), 'MAJOR')).toEqual([]);
  });
  test('across the year end (December 2024: Monday 30, Tuesday 31) into January', () => {
    expect(occ('UTC', '2024-12-15T00:00:00Z', '2025-01-31T23:00:00Z')).toEqual([
      ['2024-12-30T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
      ['2025-01-30T00:00:00.000Z', '2025-02-01T00:00:00.000Z'],
    ]);
  });
  test('across a DST change: March 2025 in Berlin is Friday 28 (UTC+1) to the end of Monday 31 (UTC+2)', () => {
    expect(occ('Europe/Berlin', '2025-03-20T00:00:00Z', '2025-03-31T12:00:00Z')).toEqual([['2025-03-27T23:00:00.000Z', '2025-03-31T22:00:00.000Z']]);
  });
  test('February in a leap year (2028: Monday 28, Tuesday 29)', () => {
    expect(occ('UTC', '2028-02-01T00:00:00Z', '2028-02-29T12:00:00Z')).toEqual([['2028-02-28T00:00:00.000Z', '2028-03-01T00:00:00.000Z']]);
  });
  test('the same instant is frozen in one zone and not in another', () => {
    const at = iso('2025-01-31T23:30:00Z'); // Berlin: Sat 1 Feb 00:30; New York: Fri 31 Jan 18:30; Shanghai: Sat 1 Feb 07:30
    expect(freezesInForce([f], 'Europe/Berlin', at, 'MAJOR')).toEqual([]);
    expect(freezesInForce([f], 'America/New_York', at, 'MAJOR')).toHaveLength(1);
    expect(freezesInForce([f], 'Asia/Shanghai', at, 'MAJOR')).toEqual([]);
  });
});

describe('weekly freezes wrap over the weekend', () => {
  const f = freeze({ kind: 'WEEKLY', startDay: 5, startTime: '18:00', endDay: 1, endTime: '06:00' }, { reason: 'Weekend support cover', severity: 'SOFT' });
  test('Friday 18:00 to Monday 06:00 London time, across the spring DST change', () => {
    const o = freezeOccurrences(f, 'Europe/London', iso('2025-03-29T12:00:00Z'), iso('2025-03-29T12:00:00Z'));
    expect(o.map((x) => [new Date(x.start).toISOString(), new Date(x.end).toISOString()])).toEqual([['2025-03-28T18:00:00.000Z', '2025-03-31T05:00:00.000Z']]);
  });
  test('in force on Saturday, not on Monday after 06:00, not on Wednesday', () => {
    expect(freezesInForce([f], 'Europe/London', iso('2025-06-07T12:00:00Z'), 'MINOR')).toHaveLength(1);
    expect(freezesInForce([f], 'Europe/London', iso('2025-06-09T05:30:00Z'), 'MINOR')).toEqual([]); // 06:30 BST
    expect(freezesInForce([f], 'Europe/London', iso('2025-06-11T12:00:00Z'), 'MINOR')).toEqual([]);
  });
  test('a same-day weekly window (Tuesday 09:00–11:00)', () => {
    const g = freeze({ kind: 'WEEKLY', startDay: 2, startTime: '09:00', endDay: 2, endTime: '11:00' });
    const week = freezeOccurrences(g, 'UTC', iso('2025-06-02T00:00:00Z'), iso('2025-06-15T00:00:00Z'));
    expect(week.map((x) => new Date(x.start).toISOString())).toEqual(['2025-06-03T09:00:00.000Z', '2025-06-10T09:00:00.000Z']);
    expect(week.every((x) => x.end - x.start === 2 * H)).toBe(true);
  });
});

describe('classification scope', () => {
  const f = freeze({ kind: 'ONCE', start: NOW - H, end: NOW + H });
  test('all but EMERGENCY: an emergency release is not covered; an unclassified one is', () => {
    expect(freezesInForce([f], 'UTC', NOW, 'EMERGENCY')).toEqual([]);
    expect(freezesInForce([f], 'UTC', NOW, 'STANDARD')).toHaveLength(1);
    expect(freezesInForce([f], 'UTC', NOW, null)).toHaveLength(1);
  });
});

describe('freeze definitions that make no sense are named', () => {
  test.each([
    [{ reason: ' ', appliesTo: ALL_BUT_EMERGENCY, recurrence: { kind: 'MONTH_END', workingDays: 2 } }, ['FREEZE_REASON_REQUIRED']],
    [{ reason: 'x', appliesTo: [], recurrence: { kind: 'MONTH_END', workingDays: 2 } }, ['FREEZE_NO_CLASSIFICATION']],
    [{ reason: 'x', appliesTo: ALL_BUT_EMERGENCY, recurrence: { kind: 'ONCE', start: 5, end: 5 } }, ['FREEZE_END_BEFORE_START']],
    [{ reason: 'x', appliesTo: ALL_BUT_EMERGENCY, recurrence: { kind: 'MONTH_END', workingDays: 0 } }, ['FREEZE_BAD_WORKING_DAYS']],
    [{ reason: 'x', appliesTo: ALL_BUT_EMERGENCY, recurrence: { kind: 'WEEKLY', startDay: 1, startTime: '9:00', endDay: 1, endTime: '10:00' } }, ['FREEZE_BAD_TIME']],
    [{ reason: 'x', appliesTo: ALL_BUT_EMERGENCY, recurrence: { kind: 'WEEKLY', startDay: 3, startTime: '10:00', endDay: 3, endTime: '10:00' } }, ['FREEZE_EMPTY_WEEKLY']],
    [{ reason: 'ok', appliesTo: ALL_BUT_EMERGENCY, recurrence: { kind: 'WEEKLY', startDay: 5, startTime: '18:00', endDay: 1, endTime: '06:00' } }, []],
  ] as [Pick<FreezeWindow, 'reason' | 'appliesTo' | 'recurrence'>, string[]][])('%j → %j', (f, problems) => {
    expect(freezeProblems(f)).toEqual(problems);
  });
});

describe('decide: start implementation inside a freeze', () => {
  const ready = fullCtx('READY'); // MAJOR, window covers NOW
  const hard = freeze({ kind: 'ONCE', start: NOW - H, end: NOW + H }, { reason: 'Quarter close' });
  const soft = freeze({ kind: 'ONCE', start: NOW - H, end: NOW + H }, { id: 'f2', severity: 'SOFT', reason: 'Marketing launch' });
  const withHard = withPolicyDefaults({ freezes: [hard] });
  const withSoft = withPolicyDefaults({ freezes: [soft] });

  test('a hard freeze refuses it with its own reason code', () => {
    expect(decide(actor('impl'), ready, 'startImplementation', NOW, withHard)).toEqual({ allowed: false, reasons: ['GATE_HARD_FREEZE'] });
  });
  test('outside the freeze it is allowed, and the window-overlap flag is a warning, not a refusal', () => {
    expect(decide(actor('impl'), ready, 'startImplementation', NOW + 2 * H, withHard)).toEqual({ allowed: true, warnings: ['GATE_WINDOW_IN_FREEZE'] });
  });
  test('a soft freeze warns and allows', () => {
    expect(decide(actor('impl'), ready, 'startImplementation', NOW, withSoft)).toEqual({ allowed: true, warnings: ['GATE_SOFT_FREEZE', 'GATE_WINDOW_IN_FREEZE'] });
  });
  test('an EMERGENCY release is outside an all-but-EMERGENCY freeze', () => {
    const ctx = withRelease(ready, { classification: 'EMERGENCY' });
    expect(decide(actor('impl'), ctx, 'startImplementation', NOW, withHard)).toEqual({ allowed: true });
  });
  test('a freeze exception recorded by the release manager lets it start (the flag stays)', () => {
    const ctx = withRelease(ready, { freezeException: { recordedBy: ID.mgr, recordedAt: NOW - 2 * H, reason: 'Regulatory deadline' } });
    expect(decide(actor('impl'), ctx, 'startImplementation', NOW, withHard)).toEqual({ allowed: true, warnings: ['GATE_WINDOW_IN_FREEZE'] });
  });
  test('an emergency override (outside the window) does not lift a hard freeze', () => {
    const ctx = withRelease(ready, { emergencyOverride: { recordedBy: ID.mgr, recordedAt: NOW - H, reason: 'outage' }, windowStart: NOW + 5 * H, windowEnd: NOW + 6 * H });
    expect(decide(actor('impl'), ctx, 'startImplementation', NOW, withHard)).toEqual({ allowed: false, reasons: ['GATE_HARD_FREEZE'] });
  });
  test('the checklist lists the freeze conditions; an unmet flag does not make the gate unmet', () => {
    const list = nextStepChecklist(ready, withHard, NOW + 2 * H);
    expect(list.items).toEqual([
      { code: 'GATE_OUTSIDE_WINDOW', met: true },
      { code: 'GATE_HARD_FREEZE', met: true },
      { code: 'GATE_WINDOW_IN_FREEZE', met: false, advisory: true },
    ]);
    expect(list.allMet).toBe(true);
    expect(nextStepChecklist(ready, withHard, NOW).allMet).toBe(false);
  });
});

describe('a release window overlapping a freeze is flagged at review', () => {
  const submitted = fullCtx('SUBMITTED');
  const f = freeze({ kind: 'ONCE', start: (submitted.release.windowEnd as number) - H, end: (submitted.release.windowEnd as number) + H });
  test('approve is allowed with the flag; the checklist shows it', () => {
    const policy = withPolicyDefaults({ freezes: [f] });
    expect(decide(actor('mgr'), submitted, 'approve', NOW, policy)).toEqual({ allowed: true, warnings: ['GATE_WINDOW_IN_FREEZE'] });
    expect(nextStepChecklist(submitted, policy, NOW).items).toContainEqual({ code: 'GATE_WINDOW_IN_FREEZE', met: false, advisory: true });
  });
  test('a window that only touches the freeze end does not overlap', () => {
    const end = submitted.release.windowStart as number;
    expect(windowFreezeOverlaps([freeze({ kind: 'ONCE', start: end - H, end })], 'UTC', end, end + H, 'MAJOR')).toEqual([]);
  });
});

describe('freeze exceptions: release manager only, never for their own request', () => {
  const ready = fullCtx('READY');
  const reason = { reason: 'Regulatory deadline' };
  test('the release manager may record one, with a reason', () => {
    expect(decide(actor('mgr'), ready, 'recordFreezeException', NOW, withPolicyDefaults({}), reason)).toEqual({ allowed: true });
    expect(decide(actor('mgr'), ready, 'recordFreezeException', NOW, withPolicyDefaults({}), { reason: ' ' })).toEqual({ allowed: false, reasons: ['REASON_REQUIRED'] });
  });
  test('segregation of duties: not on a release they requested', () => {
    const own = withRelease(ready, { requesterAccountId: ID.mgr });
    expect(decide(actor('mgr'), own, 'recordFreezeException', NOW, withPolicyDefaults({}), reason)).toEqual({ allowed: false, reasons: ['SOD_REQUESTER_FREEZE_EXCEPTION'] });
  });
  test('nobody else, and not once implementation has started', () => {
    expect(decide(actor('lead'), ready, 'recordFreezeException', NOW, withPolicyDefaults({}), reason)).toEqual({ allowed: false, reasons: ['NOT_RELEASE_MANAGER'] });
    expect(decide(actor('mgr'), fullCtx('IMPLEMENTING'), 'recordFreezeException', NOW, withPolicyDefaults({}), reason)).toEqual({ allowed: false, reasons: ['WRONG_STATUS'] });
  });
});

describe('pipelines ask the same rule', () => {
  const pipeline: Actor = { accountId: 'pipeline:tok-1', standingRoles: [], canBrowse: true, pipeline: true };
  const hard = withPolicyDefaults({ freezes: [freeze({ kind: 'ONCE', start: NOW - H, end: NOW + H })] });
  test('check is allowed in the window, refused in a hard freeze, and refused outside the window', () => {
    expect(decide(pipeline, fullCtx('READY'), 'pipelineCheck', NOW, withPolicyDefaults({}))).toEqual({ allowed: true });
    expect(decide(pipeline, fullCtx('IMPLEMENTING'), 'pipelineCheck', NOW, withPolicyDefaults({}))).toEqual({ allowed: true });
    expect(decide(pipeline, fullCtx('READY'), 'pipelineCheck', NOW, hard)).toEqual({ allowed: false, reasons: ['GATE_HARD_FREEZE'] });
    expect(decide(pipeline, fullCtx('READY'), 'pipelineCheck', NOW + 7 * H, withPolicyDefaults({}))).toEqual({ allowed: false, reasons: ['GATE_OUTSIDE_WINDOW'] });
    expect(decide(pipeline, fullCtx('PLANNING'), 'pipelineCheck', NOW, withPolicyDefaults({}))).toEqual({ allowed: false, reasons: ['WRONG_STATUS'] });
  });
  test('a pipeline holds no person’s role, and a person is not a pipeline', () => {
    expect(decide(pipeline, fullCtx('READY'), 'startImplementation', NOW, withPolicyDefaults({}))).toEqual({ allowed: false, reasons: ['NOT_TEAM_IMPLEMENTER'] });
    expect(decide(actor('impl'), fullCtx('READY'), 'pipelineCheck', NOW, withPolicyDefaults({}))).toEqual({ allowed: false, reasons: ['NOT_PIPELINE'] });
  });
  test('a pipeline records a result only while implementing', () => {
    expect(decide(pipeline, fullCtx('IMPLEMENTING'), 'pipelineFinish', NOW, withPolicyDefaults({}))).toEqual({ allowed: true });
    expect(decide(pipeline, fullCtx('READY'), 'pipelineFinish', NOW, withPolicyDefaults({}))).toEqual({ allowed: false, reasons: ['WRONG_STATUS'] });
    expect(decide(pipeline, fullCtx('CLOSED'), 'pipelineReport', NOW, withPolicyDefaults({}))).toEqual({ allowed: false, reasons: ['WRONG_STATUS'] });
  });
});

describe('calendar conflicts', () => {
  const base = { status: 'PLANNING' as const, classification: 'MAJOR' as const, configurationItems: ['payroll-core'] };
  const a = { ...base, id: 'A', windowStart: NOW, windowEnd: NOW + 4 * H };
  const b = { ...base, id: 'B', windowStart: NOW + 2 * H, windowEnd: NOW + 6 * H };
  const c = { ...base, id: 'C', windowStart: NOW + 2 * H, windowEnd: NOW + 6 * H, configurationItems: ['hr-portal'] };
  const done = { ...base, id: 'D', status: 'CANCELLED' as const, windowStart: NOW, windowEnd: NOW + 4 * H };
  const f = freeze({ kind: 'ONCE', start: NOW + 5 * H, end: NOW + 9 * H }, { reason: 'Audit week' });

  test('overlapping windows on the same configuration item conflict both ways; other items and cancelled releases do not', () => {
    const m = calendarConflicts([a, b, c, done], [], 'UTC');
    expect(m.get('A')).toEqual([{ kind: 'RELEASE', releaseId: 'B', configurationItem: 'payroll-core' }]);
    expect(m.get('B')).toEqual([{ kind: 'RELEASE', releaseId: 'A', configurationItem: 'payroll-core' }]);
    expect(m.has('C')).toBe(false);
    expect(m.has('D')).toBe(false);
  });
  test('a window overlapping a freeze that covers the release is a conflict naming the freeze', () => {
    const m = calendarConflicts([a, b, c], [f], 'UTC');
    expect(m.get('B')).toContainEqual({ kind: 'FREEZE', freezeId: 'f1', reason: 'Audit week', severity: 'HARD' });
    expect(m.get('C')).toEqual([{ kind: 'FREEZE', freezeId: 'f1', reason: 'Audit week', severity: 'HARD' }]);
    expect(m.get('A')).toEqual([{ kind: 'RELEASE', releaseId: 'B', configurationItem: 'payroll-core' }]);
    expect(calendarConflicts([{ ...c, classification: 'EMERGENCY' }], [f], 'UTC').size).toBe(0);
  });
});
