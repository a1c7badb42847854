/**
 * Built-in properties, methods and global functions of the Jira expression types supported here:
 * List, String, Map (plain records) and EntityProperties, plus the global `Number(x)`.
 */
import { EntityProperties, isCallable, isTruthy, jiraEquals, normalize, typeName, type HostFunction, type Lambda } from './values';

/** A run-time failure without position; the evaluator attaches the position of the failing node. */
export class EvaluationFailure extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** Calls a lambda or host function with already-evaluated arguments. */
export type Invoke = (fn: Lambda | HostFunction, args: readonly unknown[]) => unknown;

type Method = (receiver: never, args: readonly unknown[], invoke: Invoke, name: string) => unknown;

function arg(args: readonly unknown[], index: number): unknown {
  return normalize(args[index]);
}

function expectArgCount(name: string, args: readonly unknown[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new EvaluationFailure(`Method ${name}() expects ${expected} argument(s) but got ${args.length}.`);
  }
}

function callableArg(name: string, args: readonly unknown[], index: number): Lambda | HostFunction {
  const value = args[index];
  if (!isCallable(value)) {
    throw new EvaluationFailure(`Method ${name}() expects a function (e.g. x => ...) as argument ${index + 1} but got ${typeName(value)}.`);
  }
  return value;
}

function numberArg(name: string, args: readonly unknown[], index: number): number {
  const value = arg(args, index);
  if (typeof value !== 'number') {
    throw new EvaluationFailure(`Method ${name}() expects a Number as argument ${index + 1} but got ${typeName(value)}.`);
  }
  return value;
}

function optionalNumberArg(name: string, args: readonly unknown[], index: number): number | undefined {
  return args.length > index && arg(args, index) !== null ? numberArg(name, args, index) : undefined;
}

function stringArg(name: string, args: readonly unknown[], index: number): string {
  const value = arg(args, index);
  if (typeof value !== 'string') {
    throw new EvaluationFailure(`Method ${name}() expects a String as argument ${index + 1} but got ${typeName(value)}.`);
  }
  return value;
}

function listArg(name: string, args: readonly unknown[], index: number): unknown[] {
  const value = arg(args, index);
  if (!Array.isArray(value)) {
    throw new EvaluationFailure(`Method ${name}() expects a List as argument ${index + 1} but got ${typeName(value)}.`);
  }
  return value;
}

function defaultCompare(a: unknown, b: unknown): number {
  const x = normalize(a);
  const y = normalize(b);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  throw new EvaluationFailure(`sort() without a comparator can only sort Numbers, Strings or Booleans of one type; can't compare ${typeName(x)} to ${typeName(y)}.`);
}

const LIST_METHODS: Readonly<Record<string, Method>> = {
  map: (list: unknown[], args, invoke, name) => {
    expectArgCount(name, args, 1, 1);
    const fn = callableArg(name, args, 0);
    return list.map((item) => normalize(invoke(fn, [item])));
  },
  filter: (list: unknown[], args, invoke, name) => {
    expectArgCount(name, args, 1, 1);
    const fn = callableArg(name, args, 0);
    return list.filter((item) => isTruthy(invoke(fn, [item])));
  },
  some: (list: unknown[], args, invoke, name) => {
    expectArgCount(name, args, 1, 1);
    const fn = callableArg(name, args, 0);
    return list.some((item) => isTruthy(invoke(fn, [item])));
  },
  every: (list: unknown[], args, invoke, name) => {
    expectArgCount(name, args, 1, 1);
    const fn = callableArg(name, args, 0);
    return list.every((item) => isTruthy(invoke(fn, [item])));
  },
  flatMap: (list: unknown[], args, invoke, name) => {
    expectArgCount(name, args, 1, 1);
    const fn = callableArg(name, args, 0);
    return list.flatMap((item) => {
      const mapped = normalize(invoke(fn, [item]));
      return Array.isArray(mapped) ? mapped : [mapped];
    });
  },
  flatten: (list: unknown[], args, _invoke, name) => {
    expectArgCount(name, args, 0, 0);
    return list.flatMap((item) => (Array.isArray(item) ? item : [normalize(item)]));
  },
  reduce: (list: unknown[], args, invoke, name) => {
    expectArgCount(name, args, 1, 2);
    const fn = callableArg(name, args, 0);
    let items = list;
    let acc: unknown;
    if (args.length === 2) {
      acc = arg(args, 1);
    } else {
      if (list.length === 0) throw new EvaluationFailure('reduce() of an empty list with no initial value.');
      acc = normalize(list[0]);
      items = list.slice(1);
    }
    for (const item of items) acc = normalize(invoke(fn, [acc, item]));
    return acc;
  },
  sort: (list: unknown[], args, invoke, name) => {
    expectArgCount(name, args, 0, 1);
    if (args.length === 0) return [...list].sort(defaultCompare);
    const fn = callableArg(name, args, 0);
    return [...list].sort((a, b) => {
      const result = normalize(invoke(fn, [a, b]));
      if (typeof result !== 'number') {
        throw new EvaluationFailure(`The comparator passed to sort() must return a Number but returned ${typeName(result)}.`);
      }
      return result;
    });
  },
  includes: (list: unknown[], args, _invoke, name) => {
    expectArgCount(name, args, 1, 1);
    const needle = arg(args, 0);
    return list.some((item) => jiraEquals(item, needle));
  },
  indexOf: (list: unknown[], args, _invoke, name) => {
    expectArgCount(name, args, 1, 1);
    const needle = arg(args, 0);
    return list.findIndex((item) => jiraEquals(item, needle));
  },
  slice: (list: unknown[], args, _invoke, name) => {
    expectArgCount(name, args, 1, 2);
    return list.slice(numberArg(name, args, 0), optionalNumberArg(name, args, 1));
  },
  concat: (list: unknown[], args, _invoke, name) => {
    expectArgCount(name, args, 1, 1);
    return [...list, ...listArg(name, args, 0)];
  },
};

const STRING_METHODS: Readonly<Record<string, Method>> = {
  toLowerCase: (s: string, args, _invoke, name) => (expectArgCount(name, args, 0, 0), s.toLowerCase()),
  toUpperCase: (s: string, args, _invoke, name) => (expectArgCount(name, args, 0, 0), s.toUpperCase()),
  trim: (s: string, args, _invoke, name) => (expectArgCount(name, args, 0, 0), s.trim()),
  includes: (s: string, args, _invoke, name) => (expectArgCount(name, args, 1, 1), s.includes(stringArg(name, args, 0))),
  startsWith: (s: string, args, _invoke, name) => (expectArgCount(name, args, 1, 1), s.startsWith(stringArg(name, args, 0))),
  endsWith: (s: string, args, _invoke, name) => (expectArgCount(name, args, 1, 1), s.endsWith(stringArg(name, args, 0))),
  indexOf: (s: string, args, _invoke, name) => (expectArgCount(name, args, 1, 1), s.indexOf(stringArg(name, args, 0))),
  split: (s: string, args, _invoke, name) => {
    expectArgCount(name, args, 0, 1);
    return args.length === 0 || arg(args, 0) === null ? [s] : s.split(stringArg(name, args, 0));
  },
  substring: (s: string, args, _invoke, name) => {
    expectArgCount(name, args, 1, 2);
    return s.substring(numberArg(name, args, 0), optionalNumberArg(name, args, 1));
  },
  slice: (s: string, args, _invoke, name) => {
    expectArgCount(name, args, 1, 2);
    return s.slice(numberArg(name, args, 0), optionalNumberArg(name, args, 1));
  },
  /** replace(regex, replacement | (match => String)): replaces every match of the regular expression. */
  replace: (s: string, args, invoke, name) => {
    expectArgCount(name, args, 2, 2);
    const pattern = stringArg(name, args, 0);
    let regex: RegExp;
    try {
      regex = new RegExp(pattern, 'g');
    } catch {
      throw new EvaluationFailure(`Method replace() got an invalid regular expression: ${pattern}`);
    }
    const replacement = args[1];
    if (isCallable(replacement)) {
      return s.replace(regex, (match) => {
        const out = normalize(invoke(replacement, [match]));
        if (typeof out !== 'string') throw new EvaluationFailure(`The function passed to replace() must return a String but returned ${typeName(out)}.`);
        return out;
      });
    }
    const text = stringArg(name, args, 1);
    return s.replace(regex, () => text);
  },
  repeat: (s: string, args, _invoke, name) => {
    expectArgCount(name, args, 1, 1);
    const count = Math.floor(numberArg(name, args, 0));
    if (count < 0 || !Number.isFinite(count)) throw new EvaluationFailure(`Method repeat() expects a non-negative count but got ${count}.`);
    return s.repeat(count);
  },
  padStart: (s: string, args, _invoke, name) => {
    expectArgCount(name, args, 1, 2);
    return s.padStart(numberArg(name, args, 0), args.length > 1 ? stringArg(name, args, 1) : ' ');
  },
  padEnd: (s: string, args, _invoke, name) => {
    expectArgCount(name, args, 1, 2);
    return s.padEnd(numberArg(name, args, 0), args.length > 1 ? stringArg(name, args, 1) : ' ');
  },
};

/** Methods of Jira's Map type, available on plain records unless the record has an own property of that name. */
const MAP_METHODS: Readonly<Record<string, Method>> = {
  get: (map: Record<string, unknown>, args, _invoke, name) => {
    expectArgCount(name, args, 1, 1);
    const key = stringArg(name, args, 0);
    return Object.prototype.hasOwnProperty.call(map, key) ? normalize(map[key]) : null;
  },
  keys: (map: Record<string, unknown>, args, _invoke, name) => (expectArgCount(name, args, 0, 0), Object.keys(map)),
  values: (map: Record<string, unknown>, args, _invoke, name) => (
    expectArgCount(name, args, 0, 0), Object.values(map).map(normalize)
  ),
  entries: (map: Record<string, unknown>, args, _invoke, name) => (
    expectArgCount(name, args, 0, 0), Object.entries(map).map(([k, v]) => [k, normalize(v)])
  ),
};

const ENTITY_PROPERTIES_METHODS: Readonly<Record<string, Method>> = {
  get: (props: EntityProperties, args, _invoke, name) => (expectArgCount(name, args, 1, 1), props.get(stringArg(name, args, 0))),
  keys: (props: EntityProperties, args, _invoke, name) => (expectArgCount(name, args, 0, 0), props.keys()),
};

function lookup(table: Readonly<Record<string, Method>>, name: string): Method | undefined {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** Finds a built-in method for the receiver's type, or undefined. */
export function findBuiltinMethod(receiver: unknown, name: string): ((args: readonly unknown[], invoke: Invoke) => unknown) | undefined {
  let method: Method | undefined;
  if (Array.isArray(receiver)) method = lookup(LIST_METHODS, name);
  else if (typeof receiver === 'string') method = lookup(STRING_METHODS, name);
  else if (receiver instanceof EntityProperties) method = lookup(ENTITY_PROPERTIES_METHODS, name);
  else if (typeof receiver === 'object' && receiver !== null && !(receiver instanceof Date)) method = lookup(MAP_METHODS, name);
  if (method === undefined) return undefined;
  const impl = method;
  return (args, invoke) => impl(receiver as never, args, invoke, name);
}

/** Names of built-in methods per type (for error messages and documentation). */
export const BUILTIN_METHOD_NAMES: Readonly<Record<string, readonly string[]>> = {
  List: Object.keys(LIST_METHODS),
  String: Object.keys(STRING_METHODS),
  Map: Object.keys(MAP_METHODS),
  EntityProperties: Object.keys(ENTITY_PROPERTIES_METHODS),
};

/** `Number(x)`: converts a String (or Number/Boolean) to a Number; unparsable strings give NaN. */
function jiraNumber(...args: unknown[]): unknown {
  if (args.length !== 1) throw new EvaluationFailure(`Number() expects 1 argument but got ${args.length}.`);
  const value = normalize(args[0]);
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return value.trim() === '' ? NaN : Number(value);
  if (value === null) return 0;
  return NaN;
}

/** Global functions, visible unless shadowed by a binding or local variable. */
export const GLOBALS: ReadonlyMap<string, unknown> = new Map<string, unknown>([['Number', jiraNumber]]);
