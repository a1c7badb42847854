import type { EntityAttributeDecl } from '../manifest';
import { KvsError, KvsErrorCode as C, badRequest } from './errors';
import { isScalar, type Scalar } from './encoding';
import { isRec, LIMITS, type Rec } from './validate';

/** entities-api-query: the conditions `where` (on an index range) and `filters` accept, and for which types. */
type Typed = Exclude<EntityAttributeDecl['type'], 'any'>;
const ORDERED: readonly Typed[] = ['string', 'integer', 'float'];
const ALL: readonly Typed[] = ['string', 'integer', 'float', 'boolean'];
const SUPPORT: Record<string, readonly Typed[]> = {
  BEGINS_WITH: ['string'],
  BETWEEN: ORDERED,
  EQUAL_TO: ALL,
  NOT_EQUAL_TO: ALL,
  GREATER_THAN: ORDERED,
  GREATER_THAN_EQUAL_TO: ORDERED,
  LESS_THAN: ORDERED,
  LESS_THAN_EQUAL_TO: ORDERED,
  EXISTS: ALL,
  NOT_EXISTS: ALL,
  CONTAINS: ['string'],
  NOT_CONTAINS: ['string'],
};
export const WHERE_CONDITIONS = new Set([
  'BEGINS_WITH',
  'BETWEEN',
  'EQUAL_TO',
  'GREATER_THAN',
  'GREATER_THAN_EQUAL_TO',
  'LESS_THAN',
  'LESS_THAN_EQUAL_TO',
]);

export interface Condition {
  property: string;
  condition: string;
  values: Scalar[];
}

export interface FilterSet {
  op: 'and' | 'or';
  items: Condition[];
}

function valueFits(type: Typed, v: Scalar): boolean {
  if (type === 'string') return typeof v === 'string';
  if (type === 'boolean') return typeof v === 'boolean';
  return typeof v === 'number';
}

/** Parses one `{ condition, values }` against the declared type of the attribute it targets. */
export function parseCondition(raw: unknown, property: string, type: EntityAttributeDecl['type'], forWhere: boolean): Condition {
  if (!isRec(raw) || typeof raw.condition !== 'string' || !Array.isArray(raw.values)) {
    throw badRequest(C.BAD_REQUEST, 'A condition must be { condition, values }');
  }
  const cond = raw.condition;
  const supported = SUPPORT[cond];
  if (!supported || (forWhere && !WHERE_CONDITIONS.has(cond))) {
    throw badRequest(C.INVALID_FILTER_CONDITION, `The condition ${cond} is not supported ${forWhere ? 'in where' : 'for filters'}`);
  }
  if (type === 'any') {
    throw new KvsError(422, C.UNSUPPORTED_ATTRIBUTE_TYPE, `Attribute '${property}' is declared as 'any', which conditions do not support`);
  }
  if (!supported.includes(type)) {
    throw badRequest(C.INVALID_FILTER_CONDITION, `The condition ${cond} does not support attributes of type ${type} ('${property}')`);
  }
  const values: unknown[] = raw.values;
  if (cond === 'BETWEEN' && values.length < 2) throw badRequest(C.INSUFFICIENT_FILTER_VALUES, 'The BETWEEN condition needs two values');
  const expected = cond === 'BETWEEN' ? 2 : 1;
  if (values.length !== expected) throw badRequest(C.INVALID_FILTER_VALUES, `The condition ${cond} takes ${expected} value(s)`);
  if (cond === 'EXISTS' || cond === 'NOT_EXISTS') return { property, condition: cond, values: [true] };
  const scalars: Scalar[] = [];
  for (const v of values) {
    if (!isScalar(v) || !valueFits(type, v)) {
      throw badRequest(C.INVALID_FILTER_VALUES, `The value ${JSON.stringify(v)} does not match the type ${type} of '${property}'`);
    }
    scalars.push(v);
  }
  return { property, condition: cond, values: scalars };
}

/** Parses `{ and: [...] }` / `{ or: [...] }` (the wire form of `new Filter().and(...)`). */
export function parseFilters(raw: unknown, attributes: Record<string, EntityAttributeDecl>): FilterSet | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRec(raw)) throw badRequest(C.BAD_REQUEST, 'filters must be an object');
  const hasAnd = raw.and !== undefined;
  const hasOr = raw.or !== undefined;
  if (hasAnd && hasOr) throw badRequest(C.INVALID_FILTER_OPERATORS_COMBINATION, 'Filter operators "and" and "or" cannot be present at the same level');
  if (!hasAnd && !hasOr) throw badRequest(C.EMPTY_FILTER_OPERATOR, 'Filter operators "and" and "or" cannot be empty');
  const op = hasAnd ? 'and' : 'or';
  const list = raw[op];
  if (!Array.isArray(list) || list.length === 0) throw badRequest(C.EMPTY_FILTER_OPERATOR, 'Filter operators "and" and "or" cannot be empty');
  if (list.length > LIMITS.queryMaxConditions) {
    throw badRequest(C.TOO_MANY_CONDITIONS, `A query can have at most ${LIMITS.queryMaxConditions} conditions`);
  }
  const items = list.map((c: unknown) => {
    const property = isRec(c) ? c.property : undefined;
    if (typeof property !== 'string') throw badRequest(C.BAD_REQUEST, 'A filter condition needs a property');
    const decl = attributes[property];
    if (!decl) throw badRequest(C.INVALID_ENTITY_ATTRIBUTE, `Attribute '${property}' is not declared for this entity`);
    return parseCondition(c, property, decl.type, false);
  });
  return { op, items };
}

/** Compares two scalars of one kind: numbers numerically, strings by UTF-8 bytes (as the index orders them). */
export function compareScalars(a: Scalar, b: Scalar): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return undefined;
}

export function matches(cond: Condition, value: unknown): boolean {
  const present = value !== undefined && value !== null;
  switch (cond.condition) {
    case 'EXISTS':
      return present;
    case 'NOT_EXISTS':
      return !present;
    case 'NOT_EQUAL_TO':
      return !present || !isScalar(value) || compareScalars(value, cond.values[0] as Scalar) !== 0;
    case 'NOT_CONTAINS':
      return !present || typeof value !== 'string' || !value.includes(String(cond.values[0]));
    default:
      break;
  }
  if (!present || !isScalar(value)) return false;
  const [a, b] = cond.values as [Scalar, Scalar | undefined];
  const c = compareScalars(value, a);
  switch (cond.condition) {
    case 'EQUAL_TO':
      return c === 0;
    case 'GREATER_THAN':
      return c !== undefined && c > 0;
    case 'GREATER_THAN_EQUAL_TO':
      return c !== undefined && c >= 0;
    case 'LESS_THAN':
      return c !== undefined && c < 0;
    case 'LESS_THAN_EQUAL_TO':
      return c !== undefined && c <= 0;
    case 'BETWEEN': {
      const d = b === undefined ? undefined : compareScalars(value, b);
      return c !== undefined && d !== undefined && c >= 0 && d <= 0;
    }
    case 'BEGINS_WITH':
      return typeof value === 'string' && typeof a === 'string' && value.startsWith(a);
    case 'CONTAINS':
      return typeof value === 'string' && typeof a === 'string' && value.includes(a);
    default:
      return false;
  }
}

/** Evaluates a filter set against an entity value (a missing item is evaluated as an empty one). */
export function filterAccepts(filters: FilterSet | undefined, item: Rec | undefined): boolean {
  if (!filters) return true;
  const v = item ?? {};
  return filters.op === 'and' ? filters.items.every((c) => matches(c, v[c.property])) : filters.items.some((c) => matches(c, v[c.property]));
}
