import { parseJiraExpression } from '../parser';
import { parsed, syntaxError } from './helpers';

describe('parser: literals', () => {
  it.each([
    ['1', '1'],
    ['3.14', '3.14'],
    ['.5', '0.5'],
    ['1e3', '1000'],
    ['2.5E-1', '0.25'],
    ["'single'", "'single'"],
    ['"double"', "'double'"],
    ["'it\\'s'", "'it's'"],
    ['"a\\"b"', "'a\"b'"],
    ["'\\u0041\\n'", "'A\n'"],
    ['true', 'true'],
    ['false', 'false'],
    ['null', 'null'],
    ['[]', '[]'],
    ['[1, 2, 3]', '[1 2 3]'],
    ['[[1], []]', '[[1] []]'],
    ['{}', '{}'],
    ['{a: 1, "b c": 2, \'d\': 3}', '{a: 1, b c: 2, d: 3}'],
    ['{null: 1, 5: 2}', '{null: 1, 5: 2}'],
  ])('parses %s', (source, expected) => {
    expect(parsed(source)).toBe(expected);
  });

  it('ignores whitespace and comments', () => {
    expect(parsed(' 1 /* block */ +\n // line\n 2 ')).toBe('(+ 1 2)');
  });

  it('records source spans', () => {
    const ast = parseJiraExpression('  a.b + c');
    expect(ast.body).toMatchObject({ start: 2, end: 9, left: { start: 2, end: 5 }, right: { start: 8, end: 9 } });
    expect(ast.source).toBe('  a.b + c');
  });
});

describe('parser: member access and calls', () => {
  it.each([
    ['a.b.c', 'a.b.c'],
    ["a['x']", "a['x']"],
    ['a[0][1]', 'a[0][1]'],
    ['a?.b', 'a?.b'],
    ['a?.[0]', 'a?.[0]'],
    ['f?.(1)', 'f?.(1)'],
    ['a.b(1, 2)', 'a.b(1, 2)'],
    ['a.b().c()', 'a.b().c()'],
    ['f()', 'f()'],
    ['a.null.true', 'a.null.true'],
    ['issue.properties.get(\'k\').x', "issue.properties.get('k').x"],
    ['[1][0]', '[1][0]'],
    ["'abc'.length", "'abc'.length"],
  ])('parses %s', (source, expected) => {
    expect(parsed(source)).toBe(expected);
  });

  it('distinguishes ?. from a conditional followed by a decimal', () => {
    expect(parsed('a?.5:1')).toBe('(? a 0.5 1)');
  });
});

describe('parser: arrow functions', () => {
  it.each([
    ['x => x', '(fn (x) x)'],
    ['x => x * 2', '(fn (x) (* x 2))'],
    ['(a, b) => a + b', '(fn (a b) (+ a b))'],
    ['() => 1', '(fn () 1)'],
    ['(x) => x', '(fn (x) x)'],
    ['list.map(x => x.id)', 'list.map((fn (x) x.id))'],
    ['list.reduce((a, b) => a + b, 0)', 'list.reduce((fn (a b) (+ a b)), 0)'],
    ['x => y => x + y', '(fn (x) (fn (y) (+ x y)))'],
    ['x => x ? 1 : 2', '(fn (x) (? x 1 2))'],
    ['c => { id: c.id }', '(fn (c) {id: c.id})'],
  ])('parses %s', (source, expected) => {
    expect(parsed(source)).toBe(expected);
  });

  it('still parses a parenthesised expression that is not an arrow', () => {
    expect(parsed('(a) + 1')).toBe('(+ a 1)');
    expect(syntaxError('(a, b)').detail).toBe("Expected ')' to close the parenthesised expression but found ','.");
  });
});

describe('parser: operator precedence and associativity', () => {
  it.each([
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['8 / 4 / 2', '(/ (/ 8 4) 2)'],
    ['7 % 3 * 2', '(* (% 7 3) 2)'],
    ['1 + 2 < 4', '(< (+ 1 2) 4)'],
    ['a < b == c > d', '(== (< a b) (> c d))'],
    ['a <= b != c >= d', '(!= (<= a b) (>= c d))'],
    ['a == b && c != d', '(&& (== a b) (!= c d))'],
    ['a && b || c && d', '(|| (&& a b) (&& c d))'],
    ['a || b && c', '(|| a (&& b c))'],
    ['a ?? b || c', '(?? a (|| b c))'],
    ['a || b ?? c', '(?? (|| a b) c)'],
    ['a ?? b ?? c', '(?? (?? a b) c)'],
    ['a ? b : c ? d : e', '(? a b (? c d e))'],
    ['a ? b ? c : d : e', '(? a (? b c d) e)'],
    ['a || b ? c : d', '(? (|| a b) c d)'],
    ['a ?? b ? c : d', '(? (?? a b) c d)'],
    ['!a && b', '(&& (! a) b)'],
    ['!a.b', '(! a.b)'],
    ['!!a', '(! (! a))'],
    ['-a * b', '(* (- a) b)'],
    ['- -1', '(- (- 1))'],
    ['-a.b(1)', '(- a.b(1))'],
    ['typeof a == "String"', "(== (typeof a) 'String')"],
    ['typeof a.b', '(typeof a.b)'],
    ['1 - -1', '(- 1 (- 1))'],
    ['a.b.length > 0 && c', '(&& (> a.b.length 0) c)'],
  ])('%s  =>  %s', (source, expected) => {
    expect(parsed(source)).toBe(expected);
  });
});

describe('parser: let declarations and return (top level)', () => {
  it.each([
    ['let x = 1; x + 1', '(let x 1 (+ x 1))'],
    ['x = 1; x', '(let x 1 x)'],
    ['let a = 1; let b = a; return a + b;', '(let a 1 (let b a (+ a b)))'],
    ['return 1', '1'],
    ['1;', '1'],
  ])('%s', (source, expected) => {
    expect(parsed(source)).toBe(expected);
  });
});

describe('parser: syntax errors carry position and a clear message', () => {
  it.each([
    ['', 1, 1, 'Expression is empty'],
    ['   ', 1, 4, 'Expression is empty'],
    ['1 +', 1, 4, 'Expected an expression but found end of expression'],
    ['1 + * 2', 1, 5, "Expected an expression but found '*'"],
    ['(1 + 2', 1, 7, "Expected ')' to close the parenthesised expression but found end of expression"],
    ['[1, 2', 1, 6, "Expected ',' or ']' in list literal"],
    ['[1, 2,]', 1, 7, 'Trailing comma is not allowed in list literal'],
    ['f(1,', 1, 5, 'Expected an expression but found end of expression'],
    ['f(1 2)', 1, 5, "Expected ',' or ')' in argument list but found '2'"],
    ['{a 1}', 1, 4, "Expected ':' after key 'a' in object literal but found '1'"],
    ['{a: 1, a: 2}', 1, 8, "Duplicate key 'a'"],
    ['{a: 1 b: 2}', 1, 7, "Expected ',' or '}' in object literal"],
    ['a.', 1, 3, "Expected a property name after '.' but found end of expression"],
    ['a.1', 1, 2, "Unexpected '.1'"],
    ['a[]', 1, 3, 'Expected an expression inside []'],
    ['a[1', 1, 4, "Expected ']' to close computed member access"],
    ["'abc", 1, 1, 'Unterminated string literal'],
    ['"abc\ndef"', 1, 1, 'Unterminated string literal'],
    ['a ? b', 1, 6, "Expected ':' in conditional expression 'a ? b : c' but found end of expression"],
    ['1 2', 1, 3, "Unexpected '2': expected an operator or the end of the expression"],
    ['a b', 1, 3, "Unexpected 'b'"],
    ['a\n  && #', 2, 6, "Unexpected character '#'"],
    ['a === b', 1, 3, "Operator '===' is not supported"],
    ['a !== b', 1, 3, "Operator '!==' is not supported"],
    ['+a', 1, 1, "Unary '+' is not supported"],
    ['`x`', 1, 1, 'Template literals are not supported'],
    ['new Date()', 1, 1, "'new' expressions"],
    ['if (a) { 1 } else { 2 }', 1, 1, "'if' statements are not supported"],
    ['throw 1', 1, 1, "'throw' is not supported"],
    ['try { 1 } catch { 2 }', 1, 1, "'try'/'catch' is not supported"],
    ['x =>', 1, 5, 'Expected the body of the arrow function'],
    ['(a, a) => a', 1, 5, "Duplicate parameter name 'a'"],
    ['1e', 1, 2, 'missing exponent digits'],
    ['12abc', 1, 3, "unexpected 'a' after number"],
    ["'\\u12'", 1, 2, 'Invalid unicode escape'],
    ['/* open', 1, 1, 'Unterminated comment'],
    ['let = 1; 2', 1, 5, 'Expected a variable name'],
    ['let x = 1 x', 1, 11, "Expected ';'"],
    ['a = = b', 1, 5, 'Expected an expression'],
    ['a.b(', 1, 5, 'Expected an expression but found end of expression'],
    ['a && ', 1, 6, 'Expected an expression but found end of expression'],
  ])('%j -> line %i, column %i', (source, line, column, message) => {
    const error = syntaxError(source);
    expect(error.position.line).toBe(line);
    expect(error.position.column).toBe(column);
    expect(error.detail).toContain(message);
    expect(error.message).toBe(`Syntax error at line ${line}, column ${column}: ${error.detail}`);
    expect(error.name).toBe('JiraExpressionError');
  });

  it('reports the 0-based offset too', () => {
    expect(syntaxError('ab +').position.offset).toBe(4);
  });
});
