import enUS from '../../locales/en-US.json';
import zhCN from '../../locales/zh-CN.json';
import {
  AUDIT_ACTION_NAMES,
  AUDIT_FIELD_NAMES,
  auditActorName,
  auditChangeText,
  auditRefs,
  auditEnums,
  renderAuditEvent,
  releaseAuditDiff,
  unregisteredAuditFields,
  type AuditRenderContext,
} from '../../src/domain/audit';
import { newRelease } from '../../src/domain/release';

/**
 * Every audit action the app can write (the typed catalogue `AUDIT_ACTIONS`, the only thing `Changes.audit()`
 * accepts) and every field it may carry has its words in both languages; an action added without them fails here.
 */
type Tree = { [k: string]: string | Tree };
const LOCALES: Record<string, Tree> = { 'en-US': enUS as unknown as Tree, 'zh-CN': zhCN as unknown as Tree };

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

function context(locale: string): AuditRenderContext {
  const tree = LOCALES[locale] as Tree;
  return {
    t: (key, params = {}) => lookup(tree, key)?.replace(/\{(\w+)\}/g, (m, n: string) => (params[n] !== undefined ? String(params[n]) : m)),
    dateTime: (ms) => new Date(ms).toISOString().slice(0, 16).replace('T', ' '),
    person: (id) => ({ 'acc-ann': 'Ann Example', 'acc-bob': 'Bob Example' })[id],
    release: (id) => ({ '10001': 'PAY-1' })[id],
    dslItem: () => undefined,
  };
}

const VALUE_KEYS = ['yes', 'no', 'none', 'empty', 'hours', 'percent', 'unknownPerson', 'unknownRelease', 'unknownDslItem', 'otherField', 'otherAction', 'otherValue', 'app', 'aPipeline'];

describe.each(Object.keys(LOCALES))('audit rendering in %s', (locale) => {
  const tree = LOCALES[locale] as Tree;

  it('names every audit action the app writes', () => {
    const missing = AUDIT_ACTION_NAMES.filter((a) => !lookup(tree, `audit.action.${a}`)?.trim());
    expect(missing).toEqual([]);
    expect(AUDIT_ACTION_NAMES.length).toBeGreaterThan(50);
  });

  it('labels every field an audit event may carry', () => {
    expect(AUDIT_FIELD_NAMES.filter((f) => !lookup(tree, `audit.field.${f}`)?.trim())).toEqual([]);
  });

  it('translates every value of every enum a field uses', () => {
    const missing = auditEnums().flatMap((e) => e.values.filter((v) => !lookup(tree, `${e.labels}.${v}`)?.trim()).map((v) => `${e.labels}.${v}`));
    expect(missing).toEqual([]);
  });

  it('has the words for values (yes, no, none, hours…)', () => {
    expect(VALUE_KEYS.filter((v) => !lookup(tree, `audit.value.${v}`))).toEqual([]);
  });
});

describe('the Chinese audit words are Chinese', () => {
  it('no action or field label is left in English', () => {
    const zh = LOCALES['zh-CN'] as Tree;
    const latinOnly = [...AUDIT_ACTION_NAMES.map((a) => `audit.action.${a}`), ...AUDIT_FIELD_NAMES.map((f) => `audit.field.${f}`)].filter((k) => {
      const text = lookup(zh, k) ?? '';
      return !/[\u4e00-\u9fff]/.test(text);
    });
    expect(latinOnly).toEqual([]);
  });
});

describe('renderAuditEvent', () => {
  const before = newRelease({ id: '10001', projectId: '10000', requesterAccountId: 'acc-ann', now: Date.UTC(2026, 0, 1) });
  const after = { ...before, status: 'PLANNING' as const, leadAccountId: 'acc-bob', windowStart: Date.UTC(2026, 0, 5, 9), statusEnteredAt: { ...before.statusEnteredAt, PLANNING: 1 } };

  it('shows labels, names, translated enums and dates, never ids or field names', () => {
    const diff = releaseAuditDiff(before, after);
    const en = renderAuditEvent(context('en-US'), { action: 'approve', before: diff.before as never, after: diff.after as never });
    expect(en.action).toBe('Release approved');
    expect(en.changes.map((c) => [c.label, c.before, c.after])).toEqual([
      ['Status', 'Submitted', 'Planning'],
      ['Window start', 'none', '2026-01-05 09:00'],
      ['Release lead', 'none', 'Bob Example'],
    ]);
    const zh = renderAuditEvent(context('zh-CN'), { action: 'approve', before: diff.before as never, after: diff.after as never });
    expect(zh.action).toBe('发布已审批通过');
    expect(zh.changes.map((c) => c.label)).toEqual(['状态', '窗口开始', '发布主管']);
    expect(zh.changes[0]?.after).toBe(lookup(LOCALES['zh-CN'] as Tree, 'status.PLANNING'));
  });

  it('puts the reason in its own place and hides internal ids', () => {
    const r = renderAuditEvent(context('en-US'), { action: 'reject', before: { status: 'SUBMITTED' }, after: { status: 'REJECTED', rejectionReason: 'No budget this quarter', commentId: '12345' } });
    expect(r.reason).toBe('No budget this quarter');
    expect(r.changes.map((c) => c.field)).toEqual(['status']);
  });

  it('renders records and lists field by field (team member, rehearsal, software differences)', () => {
    const ctx = context('en-US');
    expect(renderAuditEvent(ctx, { action: 'changeTeam', before: {}, after: { memberAdded: { accountId: 'acc-ann', teamRole: 'TEST_EXPERT' } } }).changes[0]?.after).toBe('Person: Ann Example; Team role: Test expert');
    expect(
      renderAuditEvent(ctx, { action: 'dslAudit', before: {}, after: { matched: false, differences: [{ field: 'sha256', expected: 'aa', actual: 'bb' }] } }).changes.map((c) => c.after),
    ).toEqual(['no', 'Field: SHA-256 checksum; Recorded: aa; Found: bb']);
    expect(renderAuditEvent(ctx, { action: 'recordTrainingResult', before: {}, after: { task: { audience: 'HELP_DESK', trainer: 'acc-gone' } } }).changes[0]?.after).toBe(
      'Audience: Help desk; Trainer: a person whose name could not be read',
    );
  });

  it('a list that only grew records just what was added', () => {
    const op = { department: 'Finance', opinion: 'Agreed', recordedBy: 'acc-ann', recordedAt: 5 };
    const one = { ...before, departmentOpinions: [op] };
    const two = { ...one, departmentOpinions: [op, { ...op, department: 'HR' }] };
    expect(releaseAuditDiff(one, two)).toEqual({ before: {}, after: { departmentOpinions: [{ ...op, department: 'HR' }] } });
  });

  it('names the actor: a person, a pipeline by the name its event carries, an unknown person without their id', () => {
    const ctx = context('en-US');
    expect(auditActorName(ctx, { actorAccountId: 'acc-ann', before: {}, after: {} })).toBe('Ann Example');
    expect(auditActorName(ctx, { actorAccountId: 'pipeline:5f0c', before: {}, after: { pipeline: 'payroll-ci' } })).toBe('pipeline payroll-ci');
    expect(auditActorName(context('zh-CN'), { actorAccountId: 'pipeline:5f0c', before: {}, after: { pipeline: 'payroll-ci' } })).toBe('流水线 payroll-ci');
    expect(auditActorName(ctx, { actorAccountId: 'acc-gone', before: {}, after: {} })).toBe('a person whose name could not be read');
  });

  it('a pipeline named as a value (the deployment result it recorded) is a pipeline, not an unreadable person, and is not looked up', () => {
    const e = { action: 'pipelineFinish', before: { deployment: null }, after: { pipeline: 'payroll-ci', deployment: { succeeded: true, recordedBy: 'pipeline:5f0c', finishedAt: 0 }, notDeployedReasons: ['GATE_NO_IMPLEMENTER'] } };
    const en = renderAuditEvent(context('en-US'), e).changes.map(auditChangeText).join('\n');
    expect(en).toContain('Recorded by: a deployment pipeline');
    expect(en).toContain('Why the pipeline did not mark it deployed: The release team has no implementer.');
    expect(en).not.toContain('pipeline:5f0c');
    expect(renderAuditEvent(context('zh-CN'), e).changes.map(auditChangeText).join('\n')).toContain('部署流水线');
    expect([...auditRefs([{ actorAccountId: 'pipeline:5f0c', ...e }]).people]).toEqual([]);
  });

  it('a change freeze reads as one: severity, recurrence, days, classifications', () => {
    const r = renderAuditEvent(context('en-US'), {
      action: 'manageFreezes.create',
      before: {},
      after: { freezeId: 'f1', reason: 'Month-end close', freezeSeverity: 'HARD', appliesTo: ['STANDARD', 'MAJOR'], freezeKind: 'WEEKLY', weeklyStartDay: 5, weeklyStartTime: '18:00', weeklyEndDay: 1, weeklyEndTime: '06:00' },
    });
    expect(r.action).toBe('Change freeze created');
    expect(r.reason).toBe('Month-end close');
    expect(r.changes.map((c) => `${c.label}: ${c.after ?? ''}`)).toEqual([
      'Freeze severity: Hard (blocks implementation)',
      'Applies to: Standard, Major',
      'Recurrence: Every week',
      'Starts on: Friday',
      'Starts at: 18:00',
      'Ends on: Monday',
      'Ends at: 06:00',
    ]);
  });

  it('finds field names that are not in the catalogue, at any depth', () => {
    expect(unregisteredAuditFields({ status: 'X', plan: { scope: 'a', secretSauce: 1 }, wat: 2 })).toEqual(['secretSauce', 'wat']);
  });
});
