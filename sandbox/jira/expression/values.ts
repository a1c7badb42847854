/** Run-time values of the Jira expression evaluator and the host-object conventions it understands. */
import type { ArrowNode } from './ast';

/**
 * Marks a host object with its Jira type name, as reported by `typeof`
 * (e.g. `{ [JIRA_TYPE_NAME]: 'Issue', key: 'REL-1', ... }` makes `typeof issue == 'Issue'`).
 */
export const JIRA_TYPE_NAME: unique symbol = Symbol.for('jira-expression.typeName');

/**
 * The entity properties of a Jira entity (`issue.properties`, `project.properties`, `user.properties`, ...).
 * Values are the parsed JSON values stored for each key. In an expression, all of these are equivalent:
 * `issue.properties['release-team']`, `issue.properties.get('release-team')`, and for keys that are
 * identifiers, `issue.properties.myKey`. A missing key yields `null`. `keys()` lists the keys.
 */
export class EntityProperties {
  private readonly entries: ReadonlyMap<string, unknown>;

  constructor(entries: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown> = {}) {
    this.entries = entries instanceof Map ? new Map(entries) : new Map(Object.entries(entries));
  }

  get(key: string): unknown {
    return this.entries.has(key) ? (this.entries.get(key) ?? null) : null;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.entries);
  }
}

/** A closure created by an arrow function in an expression. */
export class Lambda {
  constructor(
    readonly node: ArrowNode,
    readonly scope: Scope,
    readonly invoke: (args: readonly unknown[]) => unknown,
  ) {}

  get arity(): number {
    return this.node.params.length;
  }
}

/** Lexical scope: a chain of frames. */
export class Scope {
  constructor(
    private readonly vars: ReadonlyMap<string, unknown>,
    private readonly parent?: Scope,
  ) {}

  lookup(name: string): { found: true; value: unknown } | { found: false } {
    if (this.vars.has(name)) return { found: true, value: this.vars.get(name) };
    return this.parent === undefined ? { found: false } : this.parent.lookup(name);
  }

  child(vars: ReadonlyMap<string, unknown>): Scope {
    return new Scope(vars, this);
  }
}

export type HostFunction = (...args: unknown[]) => unknown;

export function isHostFunction(value: unknown): value is HostFunction {
  return typeof value === 'function';
}

export function isCallable(value: unknown): value is Lambda | HostFunction {
  return value instanceof Lambda || isHostFunction(value);
}

/** A plain record (Jira "Map"/JSON object or host object), i.e. not a list, lambda, date or entity properties. */
export function isRecord(value: unknown): value is Record<string | symbol, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Lambda) &&
    !(value instanceof EntityProperties) &&
    !(value instanceof Date)
  );
}

/** Normalises JavaScript `undefined` to Jira `null`. */
export function normalize(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** The Jira type name of a value, as returned by `typeof`. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'Null';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') return 'Number';
  if (typeof value === 'string') return 'String';
  if (Array.isArray(value)) return 'List';
  if (value instanceof Lambda || typeof value === 'function') return 'Function';
  if (value instanceof EntityProperties) return 'EntityProperties';
  if (value instanceof Date) return 'Date';
  if (isRecord(value)) {
    const declared = value[JIRA_TYPE_NAME];
    return typeof declared === 'string' ? declared : 'Map';
  }
  return 'Unknown';
}

/** Truthiness used by `!`, `&&`, `||` and `?:`: false, null, 0, NaN and '' are falsy; everything else is truthy. */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  return true;
}

/**
 * Equality used by `==`, `!=`, `includes` and `indexOf`: no type coercion (`1 == '1'` is false);
 * lists and maps compare structurally; other objects (host entities, lambdas) by identity.
 */
export function jiraEquals(a: unknown, b: unknown): boolean {
  const x = normalize(a);
  const y = normalize(b);
  if (x === y) return true;
  if (x === null || y === null) return false;
  if (Array.isArray(x) && Array.isArray(y)) {
    return x.length === y.length && x.every((item, i) => jiraEquals(item, y[i]));
  }
  if (x instanceof Date && y instanceof Date) return x.getTime() === y.getTime();
  if (x instanceof EntityProperties && y instanceof EntityProperties) return jiraEquals(x.toJSON(), y.toJSON());
  if (isPlainRecord(x) && isPlainRecord(y)) {
    const keysX = Object.keys(x).filter((k) => x[k] !== undefined);
    const keysY = Object.keys(y).filter((k) => y[k] !== undefined);
    return keysX.length === keysY.length && keysX.every((k) => Object.prototype.hasOwnProperty.call(y, k) && jiraEquals(x[k], y[k]));
  }
  return false;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof value[JIRA_TYPE_NAME] !== 'string';
}

/** String conversion used by `+` when one side is a string. */
export function toJiraString(value: unknown): string {
  const v = normalize(value);
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(toJsonValue(v));
}

/** Converts an evaluation result to a JSON-compatible value (lambdas become a descriptive string). */
export function toJsonValue(value: unknown): unknown {
  const v = normalize(value);
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v instanceof Lambda) return `(${v.node.params.join(', ')}) => ...`;
  if (typeof v === 'function') return '<function>';
  if (v instanceof Date) return v.toISOString();
  if (v instanceof EntityProperties) return toJsonValue(v.toJSON());
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      if (typeof item !== 'function' && item !== undefined) out[k] = toJsonValue(item);
    }
    return out;
  }
  return String(v);
}
