import { canonical, ownRuleOf, planWorkflowUpdate, sameRule, type TransitionDoc, type WorkflowDoc } from '../../src/workflow/workflow-doc';

/** The pure comparison behind set-up's in-place workflow update: what counts as a change, what is kept. */

const PREFIX = 'ari:cloud:ecosystem::extension/app-1/env-1/static/';
const isOwn = ownRuleOf(PREFIX);
const cond = (action: string, extra: Record<string, unknown> = {}) => ({
  ruleKey: 'forge:expression-condition',
  parameters: { key: `${PREFIX}release-role-condition`, config: JSON.stringify({ action, ...extra }), disabled: 'false', tag: '' },
});
const val = (module: string, action: string) => ({ ruleKey: 'forge:expression-validator', parameters: { key: `${PREFIX}${module}`, config: JSON.stringify({ action }), disabled: 'false', tag: '' } });

function transition(id: string, from: string[], to: string, action: string): TransitionDoc {
  return {
    id,
    name: `T ${action}`,
    description: '',
    type: 'DIRECTED',
    toStatusReference: to,
    links: from.map((f) => ({ fromStatusReference: f })),
    conditions: { operation: 'ALL', conditions: [cond(action, { catchUp: [] })] },
    validators: [val('release-role-validator', action), val('release-gate-validator', action)],
    actions: [],
    properties: {},
  };
}

const wanted: WorkflowDoc = {
  statuses: ['10', '11', '12'],
  transitions: [
    { id: '1', name: 'Create', description: '', type: 'INITIAL', toStatusReference: '10', links: [], validators: [], actions: [], properties: {} },
    transition('11', ['10'], '11', 'approve'),
    transition('21', ['10'], '12', 'reject'),
  ],
};

/** As Jira answers it: every rule with an id, status ports, parameters Jira adds. */
function asJiraHolds(original: WorkflowDoc): WorkflowDoc {
  const doc = structuredClone(original);
  let n = 0;
  const withId = <T extends object>(r: T) => ({ ...r, id: `rule-${++n}` });
  return {
    statuses: [...doc.statuses],
    transitions: doc.transitions.map((t) => ({
      ...t,
      links: t.links.map((l) => ({ ...l, fromPort: 0, toPort: 1 })),
      ...(t.conditions ? { conditions: { ...t.conditions, conditions: (t.conditions.conditions ?? []).map(withId) } } : {}),
      validators: t.validators.map((r) => withId({ ...r, parameters: { ...r.parameters, jiraAdded: 'x' } })),
      actions: t.actions.map(withId),
    })),
  };
}

describe('planWorkflowUpdate', () => {
  it('finds a workflow as set-up created it up to date, however Jira re-serialises it', () => {
    const current = asJiraHolds(wanted);
    // Jira may reorder a config's keys.
    const c0 = current.transitions[1]?.conditions?.conditions?.[0];
    if (c0?.parameters) c0.parameters.config = JSON.stringify({ catchUp: [], action: 'approve' });
    const plan = planWorkflowUpdate(current, wanted, isOwn);
    expect(plan.upToDate).toBe(true);
    expect(plan.next).toBe(current);
    expect(plan.changed).toEqual({ transitions: [], statusesAdded: [], transitionsRemoved: [] });
  });

  it('replaces our rules that an earlier version made, keeping their ids where unchanged, and the ports', () => {
    const current = asJiraHolds(wanted);
    const t11 = current.transitions[1] as TransitionDoc;
    t11.validators = t11.validators.filter((v) => !(v.parameters?.key ?? '').endsWith('release-role-validator'));
    const c = t11.conditions?.conditions?.[0];
    if (c?.parameters) c.parameters.config = JSON.stringify({ action: 'approve' });
    const gateId = t11.validators[0]?.id;
    const plan = planWorkflowUpdate(current, wanted, isOwn);
    expect(plan.upToDate).toBe(false);
    expect(plan.changed.transitions).toEqual(['11']);
    const next = plan.next.transitions.find((t) => t.id === '11');
    expect(next?.validators.map((v) => [v.id ?? null, v.parameters?.key?.slice(PREFIX.length)])).toEqual([
      [null, 'release-role-validator'],
      [gateId, 'release-gate-validator'],
    ]);
    expect(next?.conditions?.conditions?.map((r) => JSON.parse(r.parameters?.config ?? '{}') as unknown)).toEqual([{ action: 'approve', catchUp: [] }]);
    expect(next?.links).toEqual([{ fromStatusReference: '10', fromPort: 0, toPort: 1 }]);
    // Applying the plan and comparing again: nothing more to do.
    expect(planWorkflowUpdate(plan.next, wanted, isOwn).upToDate).toBe(true);
  });

  it("keeps someone else's rules and transitions, drops an earlier version's transition of ours, adds new statuses", () => {
    const current = asJiraHolds({ ...wanted, statuses: ['10', '11', '12', '99'] });
    const admin = { id: 'admin-1', ruleKey: 'system:check-permission-validator', parameters: { permissionKey: 'TRANSITION_ISSUES' } };
    const otherApp = { id: 'other-1', ruleKey: 'forge:expression-condition', parameters: { key: 'ari:cloud:ecosystem::extension/app-1/env-2/static/release-role-condition' } };
    (current.transitions[2] as TransitionDoc).validators.push(admin);
    (current.transitions[2] as TransitionDoc).conditions?.conditions?.push(otherApp);
    const theirs: TransitionDoc = { id: '500', name: 'Park', description: '', type: 'DIRECTED', toStatusReference: '99', links: [{ fromStatusReference: '10' }], validators: [admin], actions: [], properties: {} };
    const oldOurs: TransitionDoc = { ...transition('400', ['11'], '12', 'retired'), id: '400' };
    current.transitions.push(theirs, oldOurs);
    const moreStatuses = { ...wanted, statuses: [...wanted.statuses, '13'] };
    const plan = planWorkflowUpdate(current, moreStatuses, isOwn);
    expect(plan.changed).toEqual({ transitions: [], statusesAdded: ['13'], transitionsRemoved: ['400'] });
    expect(plan.next.statuses).toEqual(['10', '11', '12', '99', '13']);
    expect(plan.next.transitions.map((t) => t.id)).toEqual(['1', '11', '21', '500']);
    const t21 = plan.next.transitions.find((t) => t.id === '21');
    expect(t21?.validators.at(-1)).toEqual(admin);
    // Another environment's rule is not ours to replace.
    expect(t21?.conditions?.conditions?.map((r) => r.id)).toEqual(['rule-4', 'other-1']);
    expect(plan.next.transitions.find((t) => t.id === '500')).toEqual(theirs);
  });

  it('a renamed or re-targeted transition of ours is a change', () => {
    const current = asJiraHolds(wanted);
    (current.transitions[1] as TransitionDoc).name = 'Approve (old name)';
    (current.transitions[2] as TransitionDoc).links = [{ fromStatusReference: '11' }];
    expect(planWorkflowUpdate(current, wanted, isOwn).changed.transitions).toEqual(['11', '21']);
  });

  it('compares rules by the parameters set-up sets; config as data', () => {
    const a = cond('approve', { roleIds: [1, 2] });
    expect(sameRule({ ...a, parameters: { ...a.parameters, extra: '1' } }, a)).toBe(true);
    expect(sameRule({ ...a, parameters: { ...a.parameters, config: JSON.stringify({ roleIds: [1, 2], action: 'approve' }) } }, a)).toBe(true);
    expect(sameRule({ ...a, parameters: { ...a.parameters, config: JSON.stringify({ action: 'approve', roleIds: [2, 1] }) } }, a)).toBe(false);
    expect(sameRule({ ...a, parameters: { ...a.parameters, config: 'not json' } }, a)).toBe(false);
    expect(sameRule({ ...a, ruleKey: 'forge:expression-validator' }, a)).toBe(false);
    expect(canonical({ b: 1, a: [{ d: 2, c: 1 }] })).toBe('{"a":[{"c":1,"d":2}],"b":1}');
  });
});
