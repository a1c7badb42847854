/**
 * Example expressions published by Atlassian, evaluated against emulator-style bindings.
 * Each test names the page the expression is quoted from.
 */
import { parseJiraExpression } from '../parser';
import { evaluateWorkflowCondition } from '../evaluator';
import { EntityProperties, JIRA_TYPE_NAME } from '../values';
import { evaluate, evaluationError } from './helpers';

const ann = { accountId: 'acc-ann', displayName: 'Ann' };
const bob = { accountId: 'acc-bob', displayName: 'Bob' };
const longBody = 'x'.repeat(250);

const issue = {
  [JIRA_TYPE_NAME]: 'Issue',
  id: 10001,
  key: 'REL-1',
  summary: 'Release 2024.06 [approved]',
  status: { id: '3', name: 'Done' },
  priority: { name: 'Highest' },
  assignee: null,
  votes: 0,
  comments: [
    { id: 1, author: ann, body: { plainText: 'short' } },
    { id: 2, author: bob, body: { plainText: longBody } },
  ],
  subtasks: [
    { key: 'REL-2', reporter: ann, components: [{ name: 'Backend' }, { name: 'UI' }] },
    { key: 'REL-3', reporter: bob, components: [{ name: 'Frontend' }] },
  ],
  properties: new EntityProperties({ myProperty: { someField: 'x' }, 'release-team': { members: ['acc-ann'] } }),
};

const user = {
  [JIRA_TYPE_NAME]: 'User',
  ...ann,
  getProjectRoles: (project: unknown) =>
    project === projectRel ? [{ id: 10002, name: 'Release Managers' }, { id: 10003, name: 'Developers' }] : [],
};
const projectRel = { key: 'REL', properties: new EntityProperties({ myapp: { status: 'active' } }) };

const bindings = { issue, user, project: projectRel };

describe('developer.atlassian.com/cloud/jira/platform/jira-expressions/ (Introduction)', () => {
  it('builds a lightweight view of issue comments', () => {
    const source = `issue.comments.map(c => { 
    id: c.id, 
    author: c.author.displayName, 
    excerpt: c.body.plainText.slice(0, 200) + '...'
})`;
    expect(evaluate(source, bindings)).toEqual([
      { id: 1, author: 'Ann', excerpt: 'short...' },
      { id: 2, author: 'Bob', excerpt: `${'x'.repeat(200)}...` },
    ]);
  });

  it('shows a web panel only if the current user commented on the issue', () => {
    const source = `issue.comments
     .filter(c => c.author.accountId == user.accountId)
     .length > 0`;
    expect(evaluate(source, bindings)).toBe(true);
    expect(evaluate(source, { ...bindings, user: { accountId: 'someone-else' } })).toBe(false);
  });
});

describe('developer.atlassian.com/cloud/jira/platform/jira-expressions-type-reference/', () => {
  it('"typeof issue will return \\"Issue\\""', () => {
    expect(evaluate('typeof issue', bindings)).toBe('Issue');
  });
});

describe('Numbers: "Strings can be cast to numbers with the Number function" (Jira expressions docs, mirrored by apps.decadis.net)', () => {
  it('Number(\'1\') + Number(\'2\') == 3', () => {
    expect(evaluate("Number('1') + Number('2') == 3")).toBe(true);
  });
});

describe('Analyse Jira expression REST operation examples (POST /rest/api/3/expression/analyse)', () => {
  const issues = [
    { id: 1, key: 'A-1', summary: 'one', comments: [], properties: new EntityProperties({ property_key: 'p1' }) },
    { id: 2, key: 'A-2', summary: 'two', comments: [], properties: new EntityProperties({}) },
  ];

  it("issues.map(issue => issue.properties['property_key'])", () => {
    expect(evaluate("issues.map(issue => issue.properties['property_key'])", { issues })).toEqual(['p1', null]);
  });

  it('issues.map(i => {idAndKey: [i.id, i.key], summary: i.summary, comments: i.comments})', () => {
    expect(evaluate('issues.map(i => {idAndKey: [i.id, i.key], summary: i.summary, comments: i.comments})', { issues })).toEqual([
      { idAndKey: [1, 'A-1'], summary: 'one', comments: [] },
      { idAndKey: [2, 'A-2'], summary: 'two', comments: [] },
    ]);
  });

  it("issues.map(i => i.id > '0') fails with \"Can't compare Number to String.\"", () => {
    expect(evaluationError("issues.map(i => i.id > '0')", { issues }).detail).toBe("Can't compare Number to String.");
  });

  it('rejects a syntax error at line 1, column 4 ("... expected, > encountered.")', () => {
    // The documented error is for an expression with '>' where an operand is expected at column 4.
    expect(() => parseJiraExpression('1 +> 2')).toThrow('Syntax error at line 1, column 4');
  });
});

describe('forge-docs: manifest-reference/modules/jira-workflow-condition', () => {
  it('expression: issue.assignee != null', () => {
    expect(evaluateWorkflowCondition('issue.assignee != null', bindings).passed).toBe(false);
    expect(evaluateWorkflowCondition('issue.assignee != null', { ...bindings, issue: { ...issue, assignee: bob } }).passed).toBe(true);
  });

  it("configurationDescription expression: config['ruleDescription']", () => {
    expect(evaluate("config['ruleDescription']", { config: { ruleDescription: 'Only release managers' } })).toBe('Only release managers');
    expect(evaluate("config['ruleDescription']", { config: {} })).toBeNull();
  });
});

describe('forge-docs: manifest-reference/modules/jira-workflow-validator', () => {
  it("issue.summary.includes(config['key']) == true", () => {
    expect(evaluate("issue.summary.includes(config['key']) == true", { issue, config: { key: '[approved]' } })).toBe(true);
    expect(evaluate("issue.summary.includes(config['key']) == true", { issue, config: { key: 'nope' } })).toBe(false);
  });

  it('error message expression: \'The issue summary must contain "\' + config[\'key\'] + \'".\'', () => {
    expect(evaluate("'The issue summary must contain \"' + config['key'] + '\".'", { config: { key: 'X' } })).toBe(
      'The issue summary must contain "X".',
    );
  });
});

describe('forge-docs: manifest-reference/modules/jira-custom-field-type (validation / parser expressions)', () => {
  it.each([
    [null, true],
    [50, true],
    [101, false],
    [-1, false],
  ])('value == null || (value >= 0 && value <= 100) with value=%p', (value, expected) => {
    expect(evaluate('value == null || (value >= 0 && value <= 100)', { value })).toBe(expected);
    expect(evaluate('value == null || value >= 0 && value <= 100', { value })).toBe(expected);
  });

  it('value == null || value >= (configuration?.minValue || 0) && value <= (configuration?.maxValue || 100)', () => {
    const source = 'value == null || value >= (configuration?.minValue || 0) && value <= (configuration?.maxValue || 100)';
    expect(evaluate(source, { value: 100, configuration: null })).toBe(true);
    expect(evaluate(source, { value: 150, configuration: null })).toBe(false);
    expect(evaluate(source, { value: 150, configuration: { minValue: 10, maxValue: 200 } })).toBe(true);
    expect(evaluate(source, { value: 5, configuration: { minValue: 10, maxValue: 200 } })).toBe(false);
  });

  it('value <= configuration.maxValue && value >= configuration.minValue', () => {
    expect(evaluate('value <= configuration.maxValue && value >= configuration.minValue', { value: 3, configuration: { minValue: 1, maxValue: 5 } })).toBe(true);
  });

  it('value == null || (value.fullName?.length > 0 && value.email?.length > 0)', () => {
    const source = 'value == null || (value.fullName?.length > 0 && value.email?.length > 0)';
    expect(evaluate(source, { value: { fullName: 'Ann', email: 'a@example.com' } })).toBe(true);
    expect(evaluate(source, { value: { fullName: '', email: 'a@example.com' } })).toBe(false);
    expect(evaluate(source, { value: { fullName: null, email: 'a@example.com' } })).toBe(false);
    expect(evaluate(source, { value: null })).toBe(true);
  });

  it("parser expression: let MIN = configuration?.minValue || 0 ; ... Number(value.replace('[^\\\\d]', ''))", () => {
    const source = `let MIN = configuration?.minValue || 0 ;
let MAX = configuration?.maxValue || 100 ;
let percent = Number(value.replace('[^\\\\d]', '')) ;
MIN + ((MAX - MIN)*percent/100)`;
    expect(evaluate(source, { value: '50%', configuration: null })).toBe(50);
    expect(evaluate(source, { value: '50%', configuration: { minValue: 100, maxValue: 200 } })).toBe(150);
  });

  it("helper lambdas: let abs = x => x < 0 ? -x : x ; let round = x => Number((x+'').replace('\\.\\d+', ''))", () => {
    const source = `let abs = x => x < 0 ? -x : x ;
let round = x => Number((x+'').replace('\\.\\d+', '')) ;
[abs(-4), abs(3), round(12.75)]`;
    expect(evaluate(source)).toEqual([4, 3, 12]);
  });

  it("searchAlias == 'Currency' ? [{'value': 'USD', ...}] : [...]", () => {
    const source = "searchAlias == 'Currency' ? [{'value': 'USD', 'label': 'US Dollar'}, {'value': 'EURO', 'label': 'Euro'}] : [{'value': '100', 'label': '100'}]";
    expect(evaluate(source, { searchAlias: 'Currency' })).toEqual([
      { value: 'USD', label: 'US Dollar' },
      { value: 'EURO', label: 'Euro' },
    ]);
    expect(evaluate(source, { searchAlias: 'Other' })).toEqual([{ value: '100', label: '100' }]);
  });

  it('["Engineering", "Sales", "Marketing", "Support", "HR"]', () => {
    expect(evaluate('["Engineering", "Sales", "Marketing", "Support", "HR"]')).toHaveLength(5);
  });
});

describe('forge-docs: events-reference (event filter expressions)', () => {
  const event = {
    issue: { fields: { project: { key: 'MYPROJ' }, issueType: { name: 'Bug' } } },
    permissions: { scopes: ['write:jira-work'], external: null },
    runtime: { issue, project: projectRel },
  };

  it.each([
    ["event.issue.fields.project.key == 'MYPROJ'", true],
    ["event.issue.fields?.issueType.name == 'Bug'", true],
    ["event.permissions.scopes.includes('write:jira-work') && event.issue.fields?.issueType.name == 'Bug'", true],
    ["(event.permissions.external?.fetch?.backend || []).includes('*.example.com')", false],
    ["event.runtime.project.properties['myapp'].status == 'active'", true],
    ["event.runtime.issue.properties['release-team']['members'].length > 0", true],
  ])('%s', (source, expected) => {
    expect(evaluate(source, { event })).toBe(expected);
  });
});

describe('Jira expressions as used in workflow conditions of this app', () => {
  it.each([
    ['user.getProjectRoles(project).map(r => r.id).includes(10002)', true],
    ["user.getProjectRoles(project).some(r => r.name == 'Release Managers')", true],
    ["issue.properties['myProperty'].someField == 'x'", true],
    ["issue.properties.get('myProperty').someField == 'x'", true],
    ["issue.properties['release-team'].members.includes(user.accountId)", true],
    ["issue.status.name == 'Done'", true],
    ["issue.status.name != 'Done'", false],
    ['[1,2,3].map(x => x * 2) == [2, 4, 6]', true],
  ])('%s', (source, expected) => {
    expect(evaluateWorkflowCondition(source, bindings)).toEqual({ passed: expected, value: expected });
  });

  it('fails a condition when a role check is made for a project the user has no roles in', () => {
    const other = { key: 'OTHER' };
    expect(evaluateWorkflowCondition('user.getProjectRoles(project).map(r => r.id).includes(10002)', { ...bindings, project: other }).passed).toBe(false);
  });
});

describe('third-party documentation of Jira expressions (apps.decadis.net, JWT for Jira Cloud)', () => {
  it.each([
    ['issue.subtasks.map(s=>s.components.map(c=>c.name))', [['Backend', 'UI'], ['Frontend']]],
    ['issue.comments.filter(c=>c.author.accountId==user.accountId).length', 1],
    ['issue.subtasks.filter(s=>s.reporter.accountId==user.accountId).length', 1],
    ['issue.votes == 0', true],
    ['issue?.sprint?.endDate', null],
    ['[1, 2, 3] == [1, 2, 3]', true],
    ['["blue", "red", "green"] != ["blue", "green", "red"]', true],
    ['"abc" < "abcd"', true],
    ['"Hello world! Hello *" >= "Hello world"', true],
    [
      'issue.priority.name == "Highest" ? "Please have a look at this issue immediately" : "No stress, come back later"',
      'Please have a look at this issue immediately',
    ],
  ])('%s', (source, expected) => {
    expect(evaluate(source, bindings)).toEqual(expected);
  });
});
