import { JqlError, parseJql } from '../jql';

describe('JQL parser (pure)', () => {
  it('parses the supported clauses and ORDER BY', () => {
    expect(parseJql('project = REL AND issuetype = 10001 AND status in (10000, "In Progress") ORDER BY created DESC, key')).toEqual({
      clauses: [
        { field: 'project', operator: '=', values: [{ kind: 'string', value: 'REL' }] },
        { field: 'issuetype', operator: '=', values: [{ kind: 'number', value: 10001 }] },
        { field: 'status', operator: 'in', values: [{ kind: 'number', value: 10000 }, { kind: 'string', value: 'In Progress' }] },
      ],
      orderBy: [
        { field: 'created', direction: 'DESC' },
        { field: 'key', direction: 'ASC' },
      ],
    });
  });

  it('parses property paths and aliases with comparison operators', () => {
    const q = parseJql("issue.property['rg-release'].classification = EMERGENCY and releaseEffort >= 8 and releaseTeam is not EMPTY");
    expect(q.clauses[0]).toEqual({
      field: 'issue.property[rg-release].classification',
      property: { key: 'rg-release', path: 'classification' },
      operator: '=',
      values: [{ kind: 'string', value: 'EMERGENCY' }],
    });
    expect(q.clauses.map((c) => c.operator)).toEqual(['=', '>=', 'is not']);
  });

  it.each([
    ['project = REL OR project = OPS', 'OR is not supported'],
    ['(project = REL)', 'Parentheses are not supported'],
    ['project REL', 'Expecting an operator'],
    ['project = "REL', 'has not been completed'],
    ['project = REL ORDER created', "Expecting 'BY'"],
    ['status in (1, 2', "Expecting ')'"],
  ])('refuses %s', (src, message) => {
    expect(() => parseJql(src)).toThrow(JqlError);
    expect(() => parseJql(src)).toThrow(message);
  });
});
