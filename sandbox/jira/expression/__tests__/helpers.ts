import type { ExpressionNode } from '../ast';
import { JiraExpressionError } from '../errors';
import { evaluateJiraExpression, type JiraExpressionBindings } from '../evaluator';
import { parseJiraExpression } from '../parser';

/** Prints an AST as a fully parenthesised S-expression, to assert precedence and associativity. */
export function print(node: ExpressionNode): string {
  switch (node.type) {
    case 'Literal':
      return typeof node.value === 'string' ? `'${node.value}'` : String(node.value);
    case 'Identifier':
      return node.name;
    case 'List':
      return `[${node.elements.map(print).join(' ')}]`;
    case 'Object':
      return `{${node.entries.map((e) => `${e.key}: ${print(e.value)}`).join(', ')}}`;
    case 'Member':
      return node.computed
        ? `${print(node.object)}${node.optional ? '?.' : ''}[${print(node.property)}]`
        : `${print(node.object)}${node.optional ? '?.' : '.'}${String(node.property.type === 'Literal' ? node.property.value : '?')}`;
    case 'Call':
      return `${print(node.callee)}${node.optional ? '?.' : ''}(${node.args.map(print).join(', ')})`;
    case 'Arrow':
      return `(fn (${node.params.join(' ')}) ${print(node.body)})`;
    case 'Unary':
      return `(${node.operator} ${print(node.operand)})`;
    case 'Binary':
      return `(${node.operator} ${print(node.left)} ${print(node.right)})`;
    case 'Conditional':
      return `(? ${print(node.test)} ${print(node.consequent)} ${print(node.alternate)})`;
    case 'Let':
      return `(let ${node.name} ${print(node.value)} ${print(node.body)})`;
  }
}

export function parsed(source: string): string {
  return print(parseJiraExpression(source).body);
}

export function evaluate(source: string, bindings: JiraExpressionBindings = {}): unknown {
  return evaluateJiraExpression(source, bindings).value;
}

/** Runs `fn` and returns the JiraExpressionError it throws (fails the test if it does not throw one). */
export function errorOf(fn: () => unknown): JiraExpressionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof JiraExpressionError) return error;
    throw error;
  }
  throw new Error('expected a JiraExpressionError to be thrown');
}

export function syntaxError(source: string): JiraExpressionError {
  const error = errorOf(() => parseJiraExpression(source));
  expect(error.kind).toBe('syntax');
  return error;
}

export function evaluationError(source: string, bindings: JiraExpressionBindings = {}): JiraExpressionError {
  const error = errorOf(() => evaluateJiraExpression(source, bindings));
  expect(error.kind).toBe('evaluation');
  return error;
}
