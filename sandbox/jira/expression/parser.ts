/**
 * Recursive-descent / precedence-climbing parser for Jira expressions.
 *
 * Precedence, lowest first (per Atlassian's "Jira expressions grammar" page):
 *   conditional `a ? b : c` (right-associative) and arrow functions `x => e`, `(a, b) => e`
 *   `??`  <  `||`  <  `&&`  <  `== !=`  <  `< <= > >=`  <  `+ -`  <  `* / %`
 *   unary `! - typeof`  <  postfix `.x ?.x [e] ?.[e] (args) ?.(args)`  <  primary
 * All binary operators are left-associative.
 */
import type { BinaryOperator, ExpressionNode, JiraExpressionAst, ObjectEntry } from './ast';
import { JiraExpressionError, positionAt } from './errors';
import { tokenize, type Token } from './tokenizer';

const BINARY_LEVELS: readonly (readonly BinaryOperator[])[] = [
  ['??'],
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

const UNSUPPORTED_KEYWORDS: Readonly<Record<string, string>> = {
  new: "'new' expressions (constructors such as new Date() or new Issue(key)) are not supported by this emulator.",
  if: "'if' statements are not supported by this emulator; use the conditional operator 'a ? b : c'.",
  else: "'else' is only valid after 'if', which is not supported by this emulator.",
  try: "'try'/'catch' is not supported by this emulator.",
  catch: "'try'/'catch' is not supported by this emulator.",
  throw: "'throw' is not supported by this emulator.",
};

function describe(token: Token): string {
  if (token.type === 'eof') return 'end of expression';
  if (token.type === 'string') return `string '${token.value}'`;
  return `'${token.value}'`;
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parseProgram(): JiraExpressionAst {
    if (this.peek().type === 'eof') this.fail(this.peek(), 'Expression is empty.');
    const decls: { name: string; value: ExpressionNode; start: number }[] = [];
    while (this.isDeclarationStart()) {
      const start = this.peek().start;
      if (this.isKeyword('let')) this.next();
      const nameToken = this.next();
      if (nameToken.type !== 'identifier') this.fail(nameToken, `Expected a variable name but found ${describe(nameToken)}.`);
      this.expectPunct('=');
      const value = this.parseExpression();
      this.expectPunct(';');
      decls.push({ name: nameToken.value, value, start });
    }
    if (this.isKeyword('return')) this.next();
    let body = this.parseExpression();
    if (this.isPunct(';')) this.next();
    const last = this.peek();
    if (last.type !== 'eof') {
      this.fail(last, `Unexpected ${describe(last)}: expected an operator or the end of the expression.`);
    }
    for (let i = decls.length - 1; i >= 0; i--) {
      const decl = decls[i];
      if (decl === undefined) continue;
      body = { type: 'Let', name: decl.name, value: decl.value, body, start: decl.start, end: body.end };
    }
    return { source: this.source, body };
  }

  // --- token helpers -------------------------------------------------------

  private peek(offset = 0): Token {
    const token = this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
    if (token === undefined) throw new Error('tokenizer produced no tokens');
    return token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.pos++;
    return token;
  }

  private isPunct(value: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.type === 'punct' && token.value === value;
  }

  private isKeyword(value: string): boolean {
    const token = this.peek();
    return token.type === 'keyword' && token.value === value;
  }

  private expectPunct(value: string, context?: string): Token {
    const token = this.peek();
    if (token.type !== 'punct' || token.value !== value) {
      const suffix = context === undefined ? '' : ` ${context}`;
      this.fail(token, `Expected '${value}'${suffix} but found ${describe(token)}.`);
    }
    return this.next();
  }

  private fail(token: Token, message: string): never {
    throw new JiraExpressionError('syntax', message, positionAt(this.source, token.start));
  }

  private isDeclarationStart(): boolean {
    if (this.isKeyword('let')) return true;
    return this.peek().type === 'identifier' && this.isPunct('=', 1);
  }

  // --- expressions -----------------------------------------------------------

  parseExpression(): ExpressionNode {
    if (this.isArrowStart()) return this.parseArrow();
    const test = this.parseBinary(0);
    if (!this.isPunct('?')) return test;
    this.next();
    const consequent = this.parseExpression();
    this.expectPunct(':', "in conditional expression 'a ? b : c'");
    const alternate = this.parseExpression();
    return { type: 'Conditional', test, consequent, alternate, start: test.start, end: alternate.end };
  }

  private isArrowStart(): boolean {
    const first = this.peek();
    if (first.type === 'identifier') return this.isPunct('=>', 1);
    if (!this.isPunct('(')) return false;
    let i = 1;
    if (this.isPunct(')', i)) return this.isPunct('=>', i + 1);
    for (;;) {
      if (this.peek(i).type !== 'identifier') return false;
      i++;
      if (this.isPunct(')', i)) return this.isPunct('=>', i + 1);
      if (!this.isPunct(',', i)) return false;
      i++;
    }
  }

  private parseArrow(): ExpressionNode {
    const start = this.peek().start;
    const params: string[] = [];
    if (this.peek().type === 'identifier') {
      params.push(this.next().value);
    } else {
      this.expectPunct('(');
      while (!this.isPunct(')')) {
        const param = this.next();
        if (params.includes(param.value)) this.fail(param, `Duplicate parameter name '${param.value}'.`);
        params.push(param.value);
        if (this.isPunct(',')) this.next();
      }
      this.next();
    }
    this.expectPunct('=>');
    if (this.peek().type === 'eof') this.fail(this.peek(), 'Expected the body of the arrow function but found end of expression.');
    const body = this.parseExpression();
    return { type: 'Arrow', params, body, start, end: body.end };
  }

  private parseBinary(level: number): ExpressionNode {
    const operators = BINARY_LEVELS[level];
    if (operators === undefined) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    for (;;) {
      const token = this.peek();
      const operator = operators.find((op) => token.type === 'punct' && token.value === op);
      if (operator === undefined) return left;
      this.next();
      const right = this.parseBinary(level + 1);
      left = { type: 'Binary', operator, left, right, start: left.start, end: right.end };
    }
  }

  private parseUnary(): ExpressionNode {
    const token = this.peek();
    if ((token.type === 'punct' && (token.value === '!' || token.value === '-')) || (token.type === 'keyword' && token.value === 'typeof')) {
      this.next();
      const operand = this.parseUnary();
      const operator = token.value === '!' ? '!' : token.value === '-' ? '-' : 'typeof';
      return { type: 'Unary', operator, operand, start: token.start, end: operand.end };
    }
    if (token.type === 'punct' && token.value === '+') {
      this.fail(token, "Unary '+' is not supported in Jira expressions; use Number(x) to convert a value to a number.");
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(initial: ExpressionNode): ExpressionNode {
    let node = initial;
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        node = this.parseStaticMember(node, false);
      } else if (this.isPunct('?.')) {
        this.next();
        if (this.isPunct('[')) {
          node = this.parseComputedMember(node, true);
        } else if (this.isPunct('(')) {
          node = this.parseCall(node, true);
        } else {
          node = this.parseStaticMember(node, true);
        }
      } else if (this.isPunct('[')) {
        node = this.parseComputedMember(node, false);
      } else if (this.isPunct('(')) {
        node = this.parseCall(node, false);
      } else {
        return node;
      }
    }
  }

  private parseStaticMember(object: ExpressionNode, optional: boolean): ExpressionNode {
    const name = this.next();
    if (name.type !== 'identifier' && name.type !== 'keyword') {
      this.fail(name, `Expected a property name after '${optional ? '?.' : '.'}' but found ${describe(name)}.`);
    }
    const property: ExpressionNode = { type: 'Literal', value: name.value, start: name.start, end: name.end };
    return { type: 'Member', object, property, computed: false, optional, start: object.start, end: name.end };
  }

  private parseComputedMember(object: ExpressionNode, optional: boolean): ExpressionNode {
    this.expectPunct('[');
    if (this.isPunct(']')) this.fail(this.peek(), 'Expected an expression inside [] but found \']\'.');
    const property = this.parseExpression();
    const close = this.expectPunct(']', 'to close computed member access');
    return { type: 'Member', object, property, computed: true, optional, start: object.start, end: close.end };
  }

  private parseCall(callee: ExpressionNode, optional: boolean): ExpressionNode {
    this.expectPunct('(');
    const args = this.parseSequence(')', 'argument list');
    const close = this.expectPunct(')', 'to close the argument list');
    return { type: 'Call', callee, args, optional, start: callee.start, end: close.end };
  }

  /** Comma-separated expressions up to (not including) `close`. */
  private parseSequence(close: string, what: string): ExpressionNode[] {
    const items: ExpressionNode[] = [];
    if (this.isPunct(close)) return items;
    for (;;) {
      items.push(this.parseExpression());
      if (this.isPunct(',')) {
        this.next();
        if (this.isPunct(close)) this.fail(this.peek(), `Trailing comma is not allowed in ${what}.`);
        continue;
      }
      if (this.isPunct(close)) return items;
      this.fail(this.peek(), `Expected ',' or '${close}' in ${what} but found ${describe(this.peek())}.`);
    }
  }

  private parsePrimary(): ExpressionNode {
    const token = this.peek();
    switch (token.type) {
      case 'number':
        this.next();
        return { type: 'Literal', value: token.number ?? Number(token.value), start: token.start, end: token.end };
      case 'string':
        this.next();
        return { type: 'Literal', value: token.value, start: token.start, end: token.end };
      case 'identifier':
        this.next();
        return { type: 'Identifier', name: token.value, start: token.start, end: token.end };
      case 'keyword': {
        if (token.value === 'true' || token.value === 'false' || token.value === 'null') {
          this.next();
          const value = token.value === 'null' ? null : token.value === 'true';
          return { type: 'Literal', value, start: token.start, end: token.end };
        }
        const unsupported = UNSUPPORTED_KEYWORDS[token.value];
        if (unsupported !== undefined) this.fail(token, unsupported);
        this.fail(token, `Unexpected keyword ${describe(token)}: expected an expression.`);
        break;
      }
      case 'punct':
        if (token.value === '(') {
          this.next();
          const inner = this.parseExpression();
          const close = this.expectPunct(')', 'to close the parenthesised expression');
          return { ...inner, start: token.start, end: close.end };
        }
        if (token.value === '[') {
          this.next();
          const elements = this.parseSequence(']', 'list literal');
          const close = this.expectPunct(']', 'to close the list literal');
          return { type: 'List', elements, start: token.start, end: close.end };
        }
        if (token.value === '{') return this.parseObject();
        break;
      case 'eof':
        break;
    }
    return this.fail(token, `Expected an expression but found ${describe(token)}.`);
  }

  private parseObject(): ExpressionNode {
    const open = this.expectPunct('{');
    const entries: ObjectEntry[] = [];
    const seen = new Set<string>();
    while (!this.isPunct('}')) {
      const keyToken = this.next();
      if (keyToken.type !== 'identifier' && keyToken.type !== 'keyword' && keyToken.type !== 'string' && keyToken.type !== 'number') {
        this.fail(keyToken, `Expected a property name in object literal but found ${describe(keyToken)}.`);
      }
      const key = keyToken.type === 'number' ? String(keyToken.number) : keyToken.value;
      if (seen.has(key)) this.fail(keyToken, `Duplicate key '${key}' in object literal.`);
      seen.add(key);
      this.expectPunct(':', `after key '${key}' in object literal`);
      entries.push({ key, value: this.parseExpression() });
      if (this.isPunct(',')) {
        this.next();
        if (this.isPunct('}')) this.fail(this.peek(), 'Trailing comma is not allowed in object literal.');
      } else if (!this.isPunct('}')) {
        this.fail(this.peek(), `Expected ',' or '}' in object literal but found ${describe(this.peek())}.`);
      }
    }
    const close = this.next();
    return { type: 'Object', entries, start: open.start, end: close.end };
  }
}

/**
 * Parses a Jira expression into an AST. Throws `JiraExpressionError` (kind 'syntax') with the
 * position of the offending token when the source is not a valid expression.
 */
export function parseJiraExpression(source: string): JiraExpressionAst {
  return new Parser(source).parseProgram();
}
