import { evaluateJiraExpression, evaluateWorkflowCondition } from '../evaluator';
import { JiraExpressionError, isJiraExpressionError } from '../errors';
import { parseJiraExpression } from '../parser';
import { EntityProperties, JIRA_TYPE_NAME, Lambda } from '../values';
import { evaluate, evaluationError } from './helpers';

describe('variables and bindings', () => {
  it('reads context variables', () => {
    expect(evaluate('issue.key', { issue: { key: 'REL-1' } })).toBe('REL-1');
  });

  it('treats undefined bindings and properties as null', () => {
    expect(evaluate('x == null', { x: undefined })).toBe(true);
    expect(evaluate('o.p', { o: { p: undefined } })).toBeNull();
  });

  it('fails on unknown variables with position', () => {
    const error = evaluationError('1 + foo');
    expect(error.detail).toBe('Unknown variable "foo". It is not a context variable available to this expression.');
    expect(error.position).toEqual({ offset: 4, line: 1, column: 5 });
    expect(error.fragment).toBe('foo');
  });

  it('supports top-level let declarations that shadow bindings', () => {
    expect(evaluate('let x = 2; let y = x * 3; x + y')).toBe(8);
    expect(evaluate('let issue = 1; issue', { issue: { key: 'A' } })).toBe(1);
  });

  it('scopes lambda parameters', () => {
    expect(evaluate('let x = 1; [5].map(x => x)[0] + x')).toBe(6);
    expect(evaluationError('[1].map(y => y)[0] + y').detail).toContain('Unknown variable "y"');
  });

  it('passes null for missing lambda arguments', () => {
    expect(evaluate('let f = (a, b) => b; f(1)')).toBeNull();
  });

  it('calls lambdas stored in variables or object literals', () => {
    expect(evaluate('let double = x => x * 2; double(21)')).toBe(42);
    expect(evaluate('let o = {f: x => x + 1}; o.f(1)')).toBe(2);
    expect(evaluate('(x => x * 3)(3)')).toBe(9);
  });

  it('fails when calling a non-function', () => {
    expect(evaluationError('let x = 1; x(2)').detail).toBe('Number is not a function and cannot be called.');
  });
});

describe('member access on null', () => {
  const issue = { assignee: null, reporter: { displayName: 'Ann' } };

  it('is an error without optional chaining, reported at the property', () => {
    const error = evaluationError('issue.assignee.displayName', { issue });
    expect(error.detail).toBe(
      'Cannot access property "displayName" of null. Use the optional chaining operator \'?.\' to guard against null values.',
    );
    expect(error.fragment).toBe('issue.assignee.displayName');
    expect(error.position.column).toBe(16);
    expect(error.message).toBe(`Evaluation failed at line 1, column 16: "issue.assignee.displayName" - ${error.detail}`);
  });

  it('is an error for computed access and method calls on null', () => {
    expect(evaluationError("n['a']", { n: null }).detail).toContain('Cannot access property "a" of null');
    expect(evaluationError('n[0]', { n: null }).detail).toContain('Cannot access property 0 of null');
    expect(evaluationError('n.map(x => x)', { n: null }).detail).toContain('Cannot call method map() on null');
  });

  it('is an error for properties of primitives', () => {
    expect(evaluationError('(1).x').detail).toBe('Unrecognized property of Number: "x".');
    expect(evaluationError('true.x').detail).toBe('Unrecognized property of Boolean: "x".');
    expect(evaluationError('(1).toFixed(2)').detail).toBe('Unrecognized method of Number: "toFixed".');
  });
});

describe('optional chaining', () => {
  const issue = { assignee: null, reporter: { displayName: 'Ann', groups: ['a'] }, list: null as unknown };

  it.each([
    ['issue.assignee?.displayName', null],
    ['issue.reporter?.displayName', 'Ann'],
    ['issue.assignee?.displayName.length', null],
    ['issue.assignee?.groups.map(g => g)', null],
    ["issue.assignee?.['displayName']", null],
    ["issue.reporter?.['displayName']", 'Ann'],
    ['issue.list?.[0]', null],
    ['issue.reporter?.groups?.[0]', 'a'],
    ['issue.assignee?.displayName == null', true],
    ["issue.assignee?.displayName ?? 'Unassigned'", 'Unassigned'],
    ['issue.missing?.x', null],
    ['nothing?.()', null],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source, { issue, nothing: null })).toEqual(expected);
  });

  it('only guards the link it is on', () => {
    expect(evaluationError('issue.reporter?.manager.name', { issue }).detail).toContain('Cannot access property "name" of null');
  });
});

describe('host objects and methods', () => {
  it('calls function-valued properties as methods with evaluated arguments', () => {
    const calls: unknown[][] = [];
    const user = {
      accountId: 'acc-1',
      getProjectRoles: (...args: unknown[]) => {
        calls.push(args);
        return [{ id: 10002, name: 'Release Managers' }];
      },
    };
    const project = { key: 'REL' };
    expect(evaluate('user.getProjectRoles(project).map(r => r.name)', { user, project })).toEqual(['Release Managers']);
    expect(calls).toEqual([[project]]);
  });

  it('binds `this` for class-based host objects', () => {
    class User {
      [JIRA_TYPE_NAME] = 'User';
      constructor(readonly accountId: string, private readonly groups: string[]) {}
      inGroup(name: string): boolean {
        return this.groups.includes(name);
      }
    }
    const user = new User('acc-1', ['jira-admins']);
    expect(evaluate("user.inGroup('jira-admins')", { user })).toBe(true);
    expect(evaluate('user.accountId', { user })).toBe('acc-1');
    expect(evaluate('typeof user', { user })).toBe('User');
    const method = evaluateJiraExpression('user.inGroup', { user }).raw;
    expect(typeof method).toBe('function');
  });

  it('passes lambdas to host functions as JavaScript functions', () => {
    const host = { apply: (fn: unknown, x: unknown) => (typeof fn === 'function' ? (fn as (v: unknown) => unknown)(x) : 'no') };
    expect(evaluate('host.apply(v => v * 10, 4)', { host })).toBe(40);
  });

  it('normalises undefined results to null', () => {
    expect(evaluate('o.f()', { o: { f: () => undefined } })).toBeNull();
  });

  it('reports host failures as evaluation errors', () => {
    const error = evaluationError('o.f()', { o: { f: () => { throw new Error('no permission'); } } });
    expect(error.detail).toBe('Function call failed: no permission');
    expect(error.fragment).toBe('o.f()');
  });

  it('reports unknown methods at the method name', () => {
    const error = evaluationError('user.getGroups()', { user: { accountId: 'x' } });
    expect(error.detail).toBe('Unrecognized method of Map: "getGroups".');
    expect(error.position.column).toBe(6);
  });

  it('reads typed host objects declared via JIRA_TYPE_NAME', () => {
    const issue = { [JIRA_TYPE_NAME]: 'Issue', key: 'REL-1' };
    expect(evaluate('typeof issue', { issue })).toBe('Issue');
    expect(evaluate('issue == issue', { issue })).toBe(true);
  });
});

describe('evaluation errors inside lambdas and nested expressions', () => {
  it('reports the innermost failing fragment and its position', () => {
    const source = "[1, 2].map(x => x + 'a' - 1)";
    const error = evaluationError(source);
    expect(error.detail).toBe("Operator '-' cannot be applied to String and Number.");
    expect(error.fragment).toBe("x + 'a' - 1");
    expect(error.position.column).toBe(17);
  });

  it('reports positions on later lines', () => {
    const error = evaluationError('issue.comments\n  .filter(c => c.author.accountId == user.accountId)', {
      issue: { comments: [{ author: null }] },
      user: { accountId: 'a' },
    });
    expect(error.position.line).toBe(2);
    expect(error.position.column).toBe(25);
    expect(error.fragment).toBe('c.author.accountId');
  });
});

describe('results', () => {
  it('returns JSON-compatible values plus the raw value', () => {
    const result = evaluateJiraExpression("{a: [1, 'x', null, true], p: props}", { props: new EntityProperties({ k: 1 }) });
    expect(result.value).toEqual({ a: [1, 'x', null, true], p: { k: 1 } });
    expect(JSON.parse(JSON.stringify(result.value))).toEqual(result.value);
  });

  it('describes lambdas and functions as strings', () => {
    expect(evaluate('(a, b) => a')).toBe('(a, b) => ...');
    expect(evaluateJiraExpression('x => x').raw).toBeInstanceOf(Lambda);
    expect(evaluate('Number')).toBe('<function>');
  });

  it('drops function-valued properties of host objects and serialises dates', () => {
    expect(evaluate('u', { u: { id: 1, f: () => 1 } })).toEqual({ id: 1 });
    expect(evaluate('d', { d: new Date('2024-01-02T03:04:05.000Z') })).toBe('2024-01-02T03:04:05.000Z');
    expect(evaluate("'at ' + d", { d: new Date('2024-01-02T03:04:05.000Z') })).toBe('at 2024-01-02T03:04:05.000Z');
  });

  it('evaluates a pre-parsed AST repeatedly', () => {
    const ast = parseJiraExpression('issue.status.name == "Done"');
    expect(evaluateJiraExpression(ast, { issue: { status: { name: 'Done' } } }).value).toBe(true);
    expect(evaluateJiraExpression(ast, { issue: { status: { name: 'Open' } } }).value).toBe(false);
  });

  it('throws JiraExpressionError from evaluateJiraExpression for syntax errors', () => {
    let caught: unknown;
    try {
      evaluateJiraExpression('1 +');
    } catch (error) {
      caught = error;
    }
    expect(isJiraExpressionError(caught)).toBe(true);
    expect(caught).toBeInstanceOf(JiraExpressionError);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as JiraExpressionError).kind).toBe('syntax');
  });
});

describe('evaluateWorkflowCondition (jira:workflowCondition semantics)', () => {
  // "A workflow condition only evaluates to true if the provided Jira expression evaluates to true. It will evaluate
  // to false in all other cases, including when the Jira expression fails to evaluate because of errors or returns
  // anything other than a Boolean value." (forge-docs: manifest-reference/modules/jira-workflow-condition)
  it('passes only for the Boolean true', () => {
    expect(evaluateWorkflowCondition('issue.assignee != null', { issue: { assignee: { accountId: 'a' } } })).toEqual({
      passed: true,
      value: true,
    });
    expect(evaluateWorkflowCondition('issue.assignee != null', { issue: { assignee: null } }).passed).toBe(false);
    expect(evaluateWorkflowCondition("'true'").passed).toBe(false);
    expect(evaluateWorkflowCondition('1').passed).toBe(false);
  });

  it('fails (without throwing) on evaluation and syntax errors, reporting the error', () => {
    const evaluation = evaluateWorkflowCondition('issue.assignee.accountId == "a"', { issue: { assignee: null } });
    expect(evaluation.passed).toBe(false);
    expect(evaluation.error?.kind).toBe('evaluation');
    const syntax = evaluateWorkflowCondition('issue.assignee !=');
    expect(syntax.passed).toBe(false);
    expect(syntax.error?.kind).toBe('syntax');
  });
});
