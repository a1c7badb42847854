import { EntityProperties } from '../values';
import { BUILTIN_METHOD_NAMES } from '../builtins';
import { evaluate, evaluationError } from './helpers';

describe('List', () => {
  it.each([
    ['[1, 2, 3].length', 3],
    ['[].length', 0],
    ['[1, 2, 3].map(x => x * 2)', [2, 4, 6]],
    ['[1, 2, 3].map(x => x > 1)', [false, true, true]],
    ['[].map(x => x)', []],
    ['[1, 2, 3, 4].filter(x => x % 2 == 0)', [2, 4]],
    ["['a', '', 'b'].filter(s => s)", ['a', 'b']],
    ['[1, 2, 3].some(x => x > 2)', true],
    ['[1, 2, 3].some(x => x > 3)', false],
    ['[].some(x => true)', false],
    ['[1, 2, 3].every(x => x > 0)', true],
    ['[1, 2, 3].every(x => x > 1)', false],
    ['[].every(x => false)', true],
    ['[1, 2, 3].includes(2)', true],
    ["[1, 2, 3].includes('2')", false],
    ['[[1, 2], [3]].includes([3])', true],
    ['[{a: 1}].includes({a: 1})', true],
    ['[null].includes(null)', true],
    ["['a', 'b', 'c'].indexOf('c')", 2],
    ["['a'].indexOf('z')", -1],
    ['[[1], [2]].indexOf([2])', 1],
    ['[[1, 2], [3], []].flatten()', [1, 2, 3]],
    ['[[1, [2]], 3].flatten()', [1, [2], 3]],
    ['[1, 2].flatMap(x => [x, x * 10])', [1, 10, 2, 20]],
    ['[1, 2].flatMap(x => x)', [1, 2]],
    ['[1, 2, 3, 4].reduce((sum, x) => sum + x, 0)', 10],
    ['[1, 2, 3, 4].reduce((sum, x) => sum + x)', 10],
    ["['a', 'b'].reduce((acc, x) => acc + x, '>')", '>ab'],
    ['[].reduce((a, b) => a + b, 42)', 42],
    ['[3, 1, 2].sort()', [1, 2, 3]],
    ['[10, 9, 100].sort()', [9, 10, 100]],
    ["['b', 'c', 'a'].sort()", ['a', 'b', 'c']],
    ['[3, 1, 2].sort((a, b) => b - a)', [3, 2, 1]],
    ["[{n: 'b'}, {n: 'a'}].sort((x, y) => x.n < y.n ? -1 : 1).map(x => x.n)", ['a', 'b']],
    ['[1, 2, 3, 4, 5].slice(1, 3)', [2, 3]],
    ['[1, 2, 3, 4, 5].slice(2)', [3, 4, 5]],
    ['[1, 2, 3, 4, 5].slice(-2)', [4, 5]],
    ['[1, 2].concat([3, 4])', [1, 2, 3, 4]],
    ['[1, 2].concat([])', [1, 2]],
    ['[1, 2, 3][0]', 1],
    ['[1, 2, 3][2]', 3],
    ['[1, 2, 3][3]', null],
    ['[1, 2, 3][-1]', null],
    ['[1, 2, 3][1.5]', null],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });

  it('does not mutate the receiver when sorting', () => {
    const list = [3, 1, 2];
    expect(evaluate('xs.sort()', { xs: list })).toEqual([1, 2, 3]);
    expect(list).toEqual([3, 1, 2]);
  });

  it('chains methods', () => {
    expect(evaluate('[1, 2, 3, 4].filter(x => x > 1).map(x => x * x).reduce((a, b) => a + b, 0)')).toBe(29);
  });

  it('lets lambdas close over outer variables and parameters', () => {
    expect(evaluate('[1, 2].map(x => [10, 20].map(y => x + y))')).toEqual([[11, 21], [12, 22]]);
    expect(evaluate('let k = 3; [1, 2].map(x => x * k)')).toEqual([3, 6]);
  });

  it.each([
    ['[1].map(1)', 'Method map() expects a function (e.g. x => ...) as argument 1 but got Number.'],
    ['[1].map()', 'Method map() expects 1 argument(s) but got 0.'],
    ['[1].filter(x => x, 2)', 'Method filter() expects 1 argument(s) but got 2.'],
    ['[].reduce((a, b) => a)', 'reduce() of an empty list with no initial value.'],
    ["[1, 'a'].sort()", "sort() without a comparator can only sort Numbers, Strings or Booleans of one type; can't compare String to Number."],
    ["[2, 1].sort((a, b) => 'x')", 'The comparator passed to sort() must return a Number but returned String.'],
    ["[1].slice('a')", 'Method slice() expects a Number as argument 1 but got String.'],
    ['[1].concat(2)', 'Method concat() expects a List as argument 1 but got Number.'],
    ['[1].flatten(1)', 'Method flatten() expects 0 argument(s) but got 1.'],
    ['[1].first()', 'Unrecognized method of List: "first".'],
    ['[1].join(",")', 'Unrecognized method of List: "join".'],
    ['[1].size', 'Unrecognized property of List: "size". Lists are indexed with Numbers.'],
    ["[1]['0']", 'Unrecognized property of List: "0". Lists are indexed with Numbers.'],
  ])('%s fails with %p', (source, message) => {
    expect(evaluationError(source).detail).toBe(message);
  });
});

describe('String', () => {
  it.each([
    ["'hello'.length", 5],
    ["''.length", 0],
    ["'Hello'.toLowerCase()", 'hello'],
    ["'Hello'.toUpperCase()", 'HELLO'],
    ["'  pad  '.trim()", 'pad'],
    ["'release-1.2'.includes('1.2')", true],
    ["'release'.includes('x')", false],
    ["'REL-12'.startsWith('REL-')", true],
    ["'REL-12'.startsWith('rel')", false],
    ["'notes.md'.endsWith('.md')", true],
    ["'notes.md'.endsWith('.txt')", false],
    ["'a,b,,c'.split(',')", ['a', 'b', '', 'c']],
    ["'abc'.split('')", ['a', 'b', 'c']],
    ["'abc'.split()", ['abc']],
    ["'abcdef'.substring(1, 3)", 'bc'],
    ["'abcdef'.substring(2)", 'cdef'],
    ["'abcdef'.substring(3, 1)", 'bc'],
    ["'abcdef'.slice(-2)", 'ef'],
    ["'abcdef'.slice(0, 200) + '...'", 'abcdef...'],
    ["'abcabc'.indexOf('c')", 2],
    ["'abc'.indexOf('z')", -1],
    ["'abc'[1]", 'b'],
    ["'50%'.replace('[^\\\\d]', '')", '50'],
    ["'a1b22'.replace('\\d', '#')", 'a#b##'],
    ["'3.75'.replace('\\.\\d+', '')", '3'],
    ["'abc'.replace('b', m => m.toUpperCase())", 'aBc'],
    ["'ab'.repeat(3)", 'ababab'],
    ["'▰'.repeat(2.7).padEnd(5, '▱')", '▰▰▱▱▱'],
    ["'7'.padStart(3, '0')", '007'],
    ["'x'.padEnd(3) + '|'", 'x  |'],
    ["'abc'[5]", null],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });

  it.each([
    ["'a'.includes(1)", 'Method includes() expects a String as argument 1 but got Number.'],
    ["'a'.toLowerCase(1)", 'Method toLowerCase() expects 0 argument(s) but got 1.'],
    ["'a'.match('a')", 'Unrecognized method of String: "match".'],
    ["'a'.replace('(', 'b')", 'Method replace() got an invalid regular expression: ('],
    ["'a'.replace('a', 1)", 'Method replace() expects a String as argument 2 but got Number.'],
    ["'a'.replace('a', x => 1)", 'The function passed to replace() must return a String but returned Number.'],
    ["'a'.repeat(-1)", 'Method repeat() expects a non-negative count but got -1.'],
    ["'a'.size", 'Unrecognized property of String: "size".'],
    ["'a'.substring()", 'Method substring() expects 1 to 2 argument(s) but got 0.'],
  ])('%s fails with %p', (source, message) => {
    expect(evaluationError(source).detail).toBe(message);
  });
});

describe('Map (plain objects and JSON values)', () => {
  const config = { group: 'release-managers', limits: { max: 3 }, list: [1, 2], 'odd key': true };

  it.each([
    ['config.group', 'release-managers'],
    ["config['group']", 'release-managers'],
    ["config['odd key']", true],
    ['config.limits.max', 3],
    ["config['limits']['max']", 3],
    ['config.list[1]', 2],
    ['config.missing', null],
    ["config.get('group')", 'release-managers'],
    ["config.get('missing')", null],
    ['config.keys()', ['group', 'limits', 'list', 'odd key']],
    ['config.limits.values()', [3]],
    ['config.limits.entries()', [['max', 3]]],
    ['{a: 1}.a', 1],
    ["{'x-y': 2}['x-y']", 2],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source, { config })).toEqual(expected);
  });

  it('reads numeric keys as strings', () => {
    expect(evaluate('m[1]', { m: { '1': 'one' } })).toBe('one');
  });

  it('prefers an own property named like a Map method', () => {
    expect(evaluate('m.get', { m: { get: 'own' } })).toBe('own');
    expect(evaluate('m.keys()', { m: { keys: () => ['custom'] } })).toEqual(['custom']);
  });

  it('does not expose JavaScript object internals', () => {
    expect(evaluate('m.toString', { m: {} })).toBeNull();
    expect(evaluate('m.constructor', { m: {} })).toBeNull();
    expect(evaluationError('m.hasOwnProperty("a")', { m: {} }).detail).toBe('Unrecognized method of Map: "hasOwnProperty".');
  });

  it('rejects non-string keys', () => {
    expect(evaluationError('m[[1]]', { m: {} }).detail).toBe('Property keys must be Strings, got List.');
  });
});

describe('EntityProperties', () => {
  const properties = new EntityProperties({
    'release-team': { lead: 'acc-1', members: ['acc-1', 'acc-2'] },
    approved: true,
    count: 0,
  });
  const issue = { key: 'REL-1', properties };

  it.each([
    ["issue.properties['release-team'].lead", 'acc-1'],
    ["issue.properties.get('release-team').members", ['acc-1', 'acc-2']],
    ['issue.properties.approved', true],
    ["issue.properties['count']", 0],
    ["issue.properties['missing']", null],
    ["issue.properties.get('missing')", null],
    ["issue.properties['missing']?.lead", null],
    ["issue.properties['missing'] == null", true],
    ['issue.properties.keys()', ['release-team', 'approved', 'count']],
    ["issue.properties['release-team'].members.includes('acc-2')", true],
    ['typeof issue.properties', 'EntityProperties'],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source, { issue })).toEqual(expected);
  });

  it('accepts a Map of entries and serialises to a plain object', () => {
    const props = new EntityProperties(new Map([['k', { v: 1 }]]));
    expect(evaluate('p', { p: props })).toEqual({ k: { v: 1 } });
    expect(props.has('k')).toBe(true);
    expect(props.has('x')).toBe(false);
  });

  it('fails on access of a property of a missing entity property without ?.', () => {
    expect(evaluationError("issue.properties['missing'].lead", { issue }).detail).toContain('Cannot access property "lead" of null');
  });

  it('rejects non-string keys and unknown methods', () => {
    expect(evaluationError('issue.properties[1]', { issue }).detail).toBe('Entity property keys must be Strings, got Number.');
    expect(evaluationError("issue.properties.set('a', 1)", { issue }).detail).toBe('Unrecognized method of EntityProperties: "set".');
  });
});

describe('Number()', () => {
  it.each([
    ["Number('1') + Number('2') == 3", true],
    ["Number('42')", 42],
    ["Number('3.5')", 3.5],
    ["Number(' 7 ')", 7],
    ['Number(5)', 5],
    ['Number(true)', 1],
    ["Number('abc') == Number('abc')", false],
    ["typeof Number('abc')", 'Number'],
  ])('%s = %p', (source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });

  it('returns NaN for unparsable strings (reported as "NaN" in JSON form)', () => {
    expect(evaluate("Number('abc')")).toBe('NaN');
    expect(evaluate("Number('')")).toBe('NaN');
  });

  it('validates its arity', () => {
    expect(evaluationError('Number()').detail).toBe('Number() expects 1 argument but got 0.');
  });

  it('can be shadowed by a binding', () => {
    expect(evaluate('Number', { Number: 5 })).toBe(5);
  });
});

describe('documentation of built-ins', () => {
  it('lists the built-in method names per type', () => {
    expect(BUILTIN_METHOD_NAMES.List).toEqual(
      expect.arrayContaining(['map', 'filter', 'some', 'every', 'includes', 'indexOf', 'flatten', 'flatMap', 'reduce', 'sort', 'slice', 'concat']),
    );
    expect(BUILTIN_METHOD_NAMES.String).toEqual(
      expect.arrayContaining(['toLowerCase', 'toUpperCase', 'includes', 'startsWith', 'endsWith', 'split', 'trim', 'substring', 'indexOf', 'slice']),
    );
    expect(BUILTIN_METHOD_NAMES.EntityProperties).toEqual(['get', 'keys']);
  });
});
