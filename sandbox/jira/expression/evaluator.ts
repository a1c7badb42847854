/** Tree-walking evaluator for Jira expressions. */
import type { BinaryNode, CallNode, ExpressionNode, JiraExpressionAst, MemberNode } from './ast';
import { EvaluationFailure, GLOBALS, findBuiltinMethod, type Invoke } from './builtins';
import { JiraExpressionError, positionAt } from './errors';
import { parseJiraExpression } from './parser';
import {
  EntityProperties,
  Lambda,
  Scope,
  isHostFunction,
  isRecord,
  isTruthy,
  jiraEquals,
  normalize,
  toJiraString,
  toJsonValue,
  typeName,
  type HostFunction,
} from './values';

/** The result of a successful evaluation. */
export interface JiraExpressionResult {
  /** The value converted to JSON-compatible data (entity properties become objects, lambdas a string). */
  readonly value: unknown;
  /** The value as produced by the evaluator (may contain host objects, lambdas, EntityProperties). */
  readonly raw: unknown;
}

const SHORT_CIRCUIT: unique symbol = Symbol('optional-chain-short-circuit');
type ChainResult = unknown;

function hasHostProperty(object: object, name: string): boolean {
  // Own properties and class-prototype members, but never Object.prototype (toString, constructor, ...).
  for (let o: object | null = object; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.prototype.hasOwnProperty.call(o, name)) return true;
  }
  return false;
}

function readHostProperty(object: Record<string, unknown>, name: string): unknown {
  if (!hasHostProperty(object, name)) return null;
  const value = object[name];
  if (isHostFunction(value)) return value.bind(object) as HostFunction;
  return normalize(value);
}

function describeKey(key: unknown): string {
  return typeof key === 'string' ? `"${key}"` : toJiraString(key);
}

class Evaluator {
  constructor(private readonly source: string) {}

  readonly invoke: Invoke = (fn, args) => {
    if (fn instanceof Lambda) return fn.invoke(args);
    const jsArgs = args.map((a) => (a instanceof Lambda ? (...inner: unknown[]) => a.invoke(inner) : a));
    try {
      return normalize(fn(...jsArgs));
    } catch (error) {
      if (error instanceof JiraExpressionError || error instanceof EvaluationFailure) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new EvaluationFailure(`Function call failed: ${message}`);
    }
  };

  evaluate(node: ExpressionNode, scope: Scope): unknown {
    try {
      if (node.type === 'Member' || node.type === 'Call') {
        const result = this.evaluateChain(node, scope);
        return result === SHORT_CIRCUIT ? null : result;
      }
      return this.evaluateNode(node, scope);
    } catch (error) {
      if (error instanceof EvaluationFailure) {
        const fragment = this.source.slice(node.start, node.end);
        throw new JiraExpressionError('evaluation', error.message, positionAt(this.source, error.offset ?? node.start), fragment);
      }
      throw error;
    }
  }

  private evaluateNode(node: Exclude<ExpressionNode, MemberNode | CallNode>, scope: Scope): unknown {
    switch (node.type) {
      case 'Literal':
        return node.value;
      case 'Identifier': {
        const found = scope.lookup(node.name);
        if (found.found) return normalize(found.value);
        if (GLOBALS.has(node.name)) return GLOBALS.get(node.name);
        throw new EvaluationFailure(`Unknown variable "${node.name}". It is not a context variable available to this expression.`);
      }
      case 'List':
        return node.elements.map((element) => this.evaluate(element, scope));
      case 'Object': {
        const out: Record<string, unknown> = {};
        for (const entry of node.entries) out[entry.key] = this.evaluate(entry.value, scope);
        return out;
      }
      case 'Arrow': {
        const lambda: Lambda = new Lambda(node, scope, (args) => {
          const vars = new Map<string, unknown>();
          node.params.forEach((param, i) => vars.set(param, normalize(args[i])));
          return this.evaluate(node.body, scope.child(vars));
        });
        return lambda;
      }
      case 'Unary': {
        const operand = this.evaluate(node.operand, scope);
        if (node.operator === '!') return !isTruthy(operand);
        if (node.operator === 'typeof') return typeName(operand);
        if (typeof operand !== 'number') throw new EvaluationFailure(`Operator '-' cannot be applied to ${typeName(operand)}.`);
        return -operand;
      }
      case 'Binary':
        return this.evaluateBinary(node, scope);
      case 'Conditional':
        return isTruthy(this.evaluate(node.test, scope)) ? this.evaluate(node.consequent, scope) : this.evaluate(node.alternate, scope);
      case 'Let': {
        const value = this.evaluate(node.value, scope);
        return this.evaluate(node.body, scope.child(new Map([[node.name, value]])));
      }
    }
  }

  private evaluateBinary(node: BinaryNode, scope: Scope): unknown {
    const { operator } = node;
    // As in JavaScript, && and || short-circuit and return the deciding operand (Atlassian's own examples rely on
    // this: `configuration?.minValue || 0`, `(event.permissions.external?.fetch?.backend || []).includes(...)`).
    if (operator === '&&') {
      const left = this.evaluate(node.left, scope);
      return isTruthy(left) ? this.evaluate(node.right, scope) : left;
    }
    if (operator === '||') {
      const left = this.evaluate(node.left, scope);
      return isTruthy(left) ? left : this.evaluate(node.right, scope);
    }
    if (operator === '??') {
      const left = this.evaluate(node.left, scope);
      return left !== null ? left : this.evaluate(node.right, scope);
    }
    const left = this.evaluate(node.left, scope);
    const right = this.evaluate(node.right, scope);
    switch (operator) {
      case '==':
        return jiraEquals(left, right);
      case '!=':
        return !jiraEquals(left, right);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return compare(operator, left, right);
      case '+':
        if (typeof left === 'number' && typeof right === 'number') return left + right;
        if ((typeof left === 'string' && isConcatenable(right)) || (typeof right === 'string' && isConcatenable(left))) {
          return toJiraString(left) + toJiraString(right);
        }
        throw new EvaluationFailure(`Operator '+' cannot be applied to ${typeName(left)} and ${typeName(right)}.`);
      case '-':
      case '*':
      case '/':
      case '%': {
        if (typeof left !== 'number' || typeof right !== 'number') {
          throw new EvaluationFailure(`Operator '${operator}' cannot be applied to ${typeName(left)} and ${typeName(right)}.`);
        }
        if (operator === '-') return left - right;
        if (operator === '*') return left * right;
        if (operator === '/') return left / right;
        return left % right;
      }
    }
  }

  /** Evaluates a member/call chain; returns SHORT_CIRCUIT when an optional link met null. */
  private evaluateChain(node: ExpressionNode, scope: Scope): ChainResult {
    if (node.type === 'Member') {
      const object = this.evaluateChainLink(node.object, scope);
      if (object === SHORT_CIRCUIT) return SHORT_CIRCUIT;
      if (object === null && node.optional) return SHORT_CIRCUIT;
      const key = node.computed ? this.evaluate(node.property, scope) : (node.property.type === 'Literal' ? node.property.value : null);
      return this.getMember(object, key, node);
    }
    if (node.type === 'Call') return this.evaluateCall(node, scope);
    return this.evaluate(node, scope);
  }

  private evaluateChainLink(node: ExpressionNode, scope: Scope): ChainResult {
    if (node.type !== 'Member' && node.type !== 'Call') return this.evaluate(node, scope);
    try {
      return this.evaluateChain(node, scope);
    } catch (error) {
      if (error instanceof EvaluationFailure) {
        const fragment = this.source.slice(node.start, node.end);
        throw new JiraExpressionError('evaluation', error.message, positionAt(this.source, error.offset ?? node.start), fragment);
      }
      throw error;
    }
  }

  private evaluateCall(node: CallNode, scope: Scope): ChainResult {
    const { callee } = node;
    if (callee.type === 'Member' && !callee.computed && !node.optional && callee.property.type === 'Literal') {
      const receiver = this.evaluateChainLink(callee.object, scope);
      if (receiver === SHORT_CIRCUIT) return SHORT_CIRCUIT;
      if (receiver === null && callee.optional) return SHORT_CIRCUIT;
      const args = node.args.map((a) => this.evaluate(a, scope));
      return this.callMethod(receiver, String(callee.property.value), args, callee);
    }
    const fn = this.evaluateChainLink(callee, scope);
    if (fn === SHORT_CIRCUIT) return SHORT_CIRCUIT;
    if (fn === null && node.optional) return SHORT_CIRCUIT;
    const args = node.args.map((a) => this.evaluate(a, scope));
    if (fn instanceof Lambda || isHostFunction(fn)) return normalize(this.invoke(fn, args));
    throw new EvaluationFailure(`${typeName(fn)} is not a function and cannot be called.`);
  }

  private callMethod(receiver: unknown, name: string, args: readonly unknown[], member: MemberNode): unknown {
    const at = member.property.start;
    if (receiver === null) {
      throw new EvaluationFailure(`Cannot call method ${name}() on null. Use the optional chaining operator '?.' to guard against null values.`, at);
    }
    if (isRecord(receiver) && hasHostProperty(receiver, name)) {
      const property = receiver[name];
      if (isHostFunction(property)) return this.invoke(property.bind(receiver) as HostFunction, args);
      if (property instanceof Lambda) return this.invoke(property, args);
    }
    const builtin = findBuiltinMethod(receiver, name);
    if (builtin !== undefined) {
      try {
        return normalize(builtin(args, this.invoke));
      } catch (error) {
        if (error instanceof EvaluationFailure && error.offset === undefined) throw new EvaluationFailure(error.message, at);
        throw error;
      }
    }
    throw new EvaluationFailure(`Unrecognized method of ${typeName(receiver)}: "${name}".`, at);
  }

  private getMember(object: unknown, key: unknown, node: MemberNode): unknown {
    const at = node.property.start;
    if (object === null) {
      throw new EvaluationFailure(
        `Cannot access property ${describeKey(key)} of null. Use the optional chaining operator '?.' to guard against null values.`,
        at,
      );
    }
    if (Array.isArray(object)) {
      if (key === 'length') return object.length;
      if (typeof key === 'number') return Number.isInteger(key) && key >= 0 && key < object.length ? normalize(object[key]) : null;
      throw new EvaluationFailure(`Unrecognized property of List: ${describeKey(key)}. Lists are indexed with Numbers.`, at);
    }
    if (typeof object === 'string') {
      if (key === 'length') return object.length;
      if (typeof key === 'number') return Number.isInteger(key) && key >= 0 && key < object.length ? object.charAt(key) : null;
      throw new EvaluationFailure(`Unrecognized property of String: ${describeKey(key)}.`, at);
    }
    if (object instanceof EntityProperties) {
      if (typeof key !== 'string') throw new EvaluationFailure(`Entity property keys must be Strings, got ${typeName(key)}.`, at);
      return object.get(key);
    }
    if (isRecord(object)) {
      if (typeof key === 'string' || typeof key === 'number') return readHostProperty(object as Record<string, unknown>, String(key));
      throw new EvaluationFailure(`Property keys must be Strings, got ${typeName(key)}.`, at);
    }
    throw new EvaluationFailure(`Unrecognized property of ${typeName(object)}: ${describeKey(key)}.`, at);
  }
}

function isConcatenable(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date;
}

function compare(operator: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  let a: number | string;
  let b: number | string;
  // A null operand (e.g. `value.fullName?.length > 0` when the name is missing) makes any comparison false.
  if (left === null || right === null) return false;
  if (typeof left === 'number' && typeof right === 'number') {
    a = left;
    b = right;
  } else if (typeof left === 'string' && typeof right === 'string') {
    a = left;
    b = right;
  } else if (left instanceof Date && right instanceof Date) {
    a = left.getTime();
    b = right.getTime();
  } else {
    throw new EvaluationFailure(`Can't compare ${typeName(left)} to ${typeName(right)}.`);
  }
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Context variables available to an expression, e.g. `{ user, issue, project, config }`. `undefined` is treated as `null`. */
export type JiraExpressionBindings = Readonly<Record<string, unknown>>;

/**
 * Parses (if given a string) and evaluates a Jira expression against the bindings.
 * Throws `JiraExpressionError` with kind 'syntax' or 'evaluation'.
 */
export function evaluateJiraExpression(source: string | JiraExpressionAst, bindings: JiraExpressionBindings = {}): JiraExpressionResult {
  const ast = typeof source === 'string' ? parseJiraExpression(source) : source;
  const scope = new Scope(new Map(Object.entries(bindings).map(([k, v]) => [k, normalize(v)])));
  const raw = new Evaluator(ast.source).evaluate(ast.body, scope);
  return { value: toJsonValue(raw), raw };
}

/** Outcome of evaluating a workflow condition. */
export interface WorkflowConditionOutcome {
  /** True only if the expression evaluated to the Boolean `true`. */
  readonly passed: boolean;
  readonly value?: unknown;
  readonly error?: JiraExpressionError;
}

/**
 * Evaluates a `jira:workflowCondition` expression. Per the Forge docs, the condition passes only if the
 * expression evaluates to `true`; errors and non-Boolean results make it fail (the error is reported).
 */
export function evaluateWorkflowCondition(source: string | JiraExpressionAst, bindings: JiraExpressionBindings = {}): WorkflowConditionOutcome {
  try {
    const { value } = evaluateJiraExpression(source, bindings);
    return { passed: value === true, value };
  } catch (error) {
    if (error instanceof JiraExpressionError) return { passed: false, error };
    throw error;
  }
}
