import { evaluate, evaluationError } from './helpers';

describe('arithmetic', () => {
  it.each([
    ['1 + 2', 3],
    ['5 - 8', -3],
    ['6 * 7', 42],
    ['7 / 2', 3.5],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['0.1 + 0.2 > 0.3', true],
    ['2 * 3 + 4 * 5', 26],
    ['2 * (3 + 4) * 5', 70],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['-(2 + 3)', -5],
    ['- -4', 4],
    ['1 - -1', 2],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source)).toBe(expected);
  });

  it('division by zero follows IEEE 754 (the value is reported as a string in JSON form)', () => {
    expect(evaluate('1 / 0 > 1000000')).toBe(true);
    expect(evaluate('1 / 0')).toBe('Infinity');
  });

  it.each([
    ["1 - 'a'", "Operator '-' cannot be applied to Number and String."],
    ["'a' * 2", "Operator '*' cannot be applied to String and Number."],
    ['null / 2', "Operator '/' cannot be applied to Null and Number."],
    ['true % 2', "Operator '%' cannot be applied to Boolean and Number."],
    ['[1] + [2]', "Operator '+' cannot be applied to List and List."],
    ['1 + null', "Operator '+' cannot be applied to Number and Null."],
    ['1 + true', "Operator '+' cannot be applied to Number and Boolean."],
    ["-'a'", "Operator '-' cannot be applied to String."],
    ['-null', "Operator '-' cannot be applied to Null."],
  ])('%s is an evaluation error (no JavaScript coercion)', (source, message) => {
    expect(evaluationError(source).detail).toBe(message);
  });
});

describe('string concatenation with +', () => {
  it.each([
    ["'a' + 'b'", 'ab'],
    ["'n=' + 1", 'n=1'],
    ["1 + '!'", '1!'],
    ["'x' + true", 'xtrue'],
    ["'x' + null", 'xnull'],
    ["'a' + 1 + 2", 'a12'],
    ["1 + 2 + 'a'", '3a'],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source)).toBe(expected);
  });

  it('does not concatenate strings with lists or maps', () => {
    expect(evaluationError("'a' + [1]").detail).toBe("Operator '+' cannot be applied to String and List.");
    expect(evaluationError("{} + 'a'").detail).toBe("Operator '+' cannot be applied to Map and String.");
  });
});

describe('comparison', () => {
  it.each([
    ['1 < 2', true],
    ['2 < 1', false],
    ['2 <= 2', true],
    ['3 <= 2', false],
    ['3 > 2', true],
    ['2 > 2', false],
    ['2 >= 2', true],
    ['1 >= 2', false],
    ["'abc' < 'abd'", true],
    ["'b' > 'abc'", true],
    ["'abc' <= 'abc'", true],
    ["'B' < 'a'", true],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source)).toBe(expected);
  });

  it.each([
    ["1 < '2'", "Can't compare Number to String."],
    ["'1' >= 0", "Can't compare String to Number."],
    ['true > false', "Can't compare Boolean to Boolean."],
    ['[1] < [2]', "Can't compare List to List."],
  ])('%s is an evaluation error', (source, message) => {
    expect(evaluationError(source).detail).toBe(message);
  });

  it.each(['null < 1', 'null > 1', 'null <= 0', 'null >= null', "'a' < null"])('%s is false: comparisons with null are false', (source) => {
    expect(evaluate(source)).toBe(false);
  });

  it('compares Date host values', () => {
    const bindings = { a: new Date('2024-01-01T00:00:00Z'), b: new Date('2024-06-01T00:00:00Z') };
    expect(evaluate('a < b', bindings)).toBe(true);
    expect(evaluate('a >= b', bindings)).toBe(false);
  });
});

describe('equality (== and !=) does not coerce types', () => {
  it.each([
    ['1 == 1', true],
    ['1 == 2', false],
    ["1 == '1'", false],
    ["'a' == 'a'", true],
    ["'a' == 'A'", false],
    ['0 == false', false],
    ["'' == false", false],
    ['null == null', true],
    ['null == 0', false],
    ["null == ''", false],
    ['true == true', true],
    ['[1, 2, 3] == [1, 2, 3]', true],
    ['[1, 2, 3] == [1, 3, 2]', false],
    ['[[1], [2]] == [[1], [2]]', true],
    ['[] == []', true],
    ['{a: 1, b: [2]} == {b: [2], a: 1}', true],
    ['{a: 1} == {a: 1, b: 2}', false],
    ['{a: null} == {}', false],
    ['1 != 2', true],
    ["1 != '1'", true],
    ['[1] != [1]', false],
    ['null != null', false],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source)).toBe(expected);
  });

  it('compares host entities by identity and dates by time', () => {
    const entity = { id: 1 };
    class Issue {
      constructor(readonly id: number) {}
    }
    const i1 = new Issue(1);
    expect(evaluate('a == b', { a: entity, b: entity })).toBe(true);
    expect(evaluate('a == b', { a: i1, b: new Issue(1) })).toBe(false);
    expect(evaluate('a == a', { a: i1 })).toBe(true);
    expect(evaluate('a == b', { a: new Date(5), b: new Date(5) })).toBe(true);
  });

  it('treats a NaN as unequal to itself, as in IEEE 754', () => {
    expect(evaluate("Number('x') == Number('x')")).toBe(false);
  });
});

describe('logical operators', () => {
  it.each([
    ['true && true', true],
    ['true && false', false],
    ['false && true', false],
    ['true || false', true],
    ['false || false', false],
    ['!true', false],
    ['!false', true],
    ['!null', true],
    ['!0', true],
    ["!''", true],
    ["!'a'", false],
    ['![]', false],
    ['!{}', false],
    ['!!1', true],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source)).toBe(expected);
  });

  // Atlassian's examples use || for defaults, so (as in JavaScript) && and || return the deciding operand:
  // "let MIN = configuration?.minValue || 0" (forge-docs: manifest-reference/modules/jira-custom-field-type) and
  // "(event.permissions.external?.fetch?.backend || []).includes('*.example.com')" (forge-docs: events filters).
  it.each([
    ["'a' && 'b'", 'b'],
    ["'' && 'b'", ''],
    ['null && 1', null],
    ['0 && 1', 0],
    ["'' || 'b'", 'b'],
    ["'a' || 'b'", 'a'],
    ['0 || null', null],
    ['null || []', []],
    ['false || 0', 0],
    ['cfg?.min || 0', 0],
    ['cfg2?.min || 0', 5],
  ])('%s returns the deciding operand: %p', (source, expected) => {
    expect(evaluate(source, { cfg: null, cfg2: { min: 5 } })).toEqual(expected);
  });

  it('short-circuits: the right operand is not evaluated when not needed', () => {
    const explode = (): never => {
      throw new Error('must not be called');
    };
    expect(evaluate('false && boom()', { boom: explode })).toBe(false);
    expect(evaluate('true || boom()', { boom: explode })).toBe(true);
    expect(evaluate('x != null && x.length > 0', { x: null })).toBe(false);
    expect(evaluate('x == null || x.length > 0', { x: null })).toBe(true);
  });

  it('evaluates the right operand when needed', () => {
    expect(evaluationError('true && boom()', { boom: () => { throw new Error('kaboom'); } }).detail).toBe('Function call failed: kaboom');
  });
});

describe('nullish coalescing ??', () => {
  it.each([
    ["null ?? 'default'", 'default'],
    ["'value' ?? 'default'", 'value'],
    ["0 ?? 'default'", 0],
    ["'' ?? 'default'", ''],
    ["false ?? 'default'", false],
    ['null ?? null ?? 3', 3],
    ["missing.field ?? 'x'", 'x'],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source, { missing: {} })).toBe(expected);
  });

  it('does not evaluate the right side when the left is not null', () => {
    expect(evaluate('1 ?? boom()', { boom: () => { throw new Error('no'); } })).toBe(1);
  });
});

describe('conditional operator', () => {
  it.each([
    ['true ? 1 : 2', 1],
    ['false ? 1 : 2', 2],
    ['null ? 1 : 2', 2],
    ["'x' ? 1 : 2", 1],
    ['0 ? 1 : 2', 2],
    ['1 > 2 ? "a" : 2 > 1 ? "b" : "c"', 'b'],
    ['true ? false ? 1 : 2 : 3', 2],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source)).toBe(expected);
  });

  it('evaluates only the selected branch', () => {
    expect(evaluate('true ? 1 : boom()', { boom: () => { throw new Error('no'); } })).toBe(1);
  });
});

describe('typeof', () => {
  it.each([
    ['typeof 1', 'Number'],
    ["typeof 'a'", 'String'],
    ['typeof true', 'Boolean'],
    ['typeof null', 'Null'],
    ['typeof [1]', 'List'],
    ['typeof {a: 1}', 'Map'],
    ['typeof (x => x)', 'Function'],
    ['typeof Number', 'Function'],
    ['typeof typeof 1', 'String'],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source)).toBe(expected);
  });
});
