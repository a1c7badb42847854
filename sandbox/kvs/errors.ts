/**
 * Errors of the local KVS, in the shape `@forge/kvs` turns into `ForgeKvsAPIError`: a non-2xx status with a
 * JSON body `{ code, message }` (storage-reference/handling-errors-kvs, handling-errors-customentities).
 *
 * Codes listed in Forge's error tables are used as documented. Where the documentation names a failure but not
 * its code, the code used here is marked "undocumented" below, so a difference with Forge is easy to find.
 */
export const KvsErrorCode = {
  // documented (KVS)
  KEY_TOO_SHORT: 'KEY_TOO_SHORT',
  KEY_TOO_LONG: 'KEY_TOO_LONG',
  INVALID_KEY: 'INVALID_KEY',
  MAX_SIZE: 'MAX_SIZE',
  MAX_DEPTH: 'MAX_DEPTH',
  INVALID_FILTER_CONDITION: 'INVALID_FILTER_CONDITION',
  INVALID_FILTER_VALUES: 'INVALID_FILTER_VALUES',
  LIST_QUERY_LIMIT_EXCEEDED: 'LIST_QUERY_LIMIT_EXCEEDED',
  QUERY_WHERE_INVALID: 'QUERY_WHERE_INVALID',
  QUERY_WHERE_FIELD_INVALID: 'QUERY_WHERE_FIELD_INVALID',
  // documented (custom entities)
  EMPTY_KEY: 'EMPTY_KEY',
  ENTITY_TYPE_TOO_SHORT: 'ENTITY_TYPE_TOO_SHORT',
  ENTITY_TYPE_TOO_LARGE: 'ENTITY_TYPE_TOO_LARGE',
  INVALID_ENTITY_TYPE: 'INVALID_ENTITY_TYPE',
  INVALID_ENTITY_VALUE: 'INVALID_ENTITY_VALUE',
  INVALID_ENTITY_ATTRIBUTE: 'INVALID_ENTITY_ATTRIBUTE',
  INVALID_ENTITY_INDEX: 'INVALID_ENTITY_INDEX',
  COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE: 'COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE',
  EMPTY_FILTER_OPERATOR: 'EMPTY_FILTER_OPERATOR',
  INVALID_FILTER_OPERATORS_COMBINATION: 'INVALID_FILTER_OPERATORS_COMBINATION',
  INSUFFICIENT_FILTER_VALUES: 'INSUFFICIENT_FILTER_VALUES',
  // the code @forge/kvs itself recognises for a missing key (it maps it to `undefined`)
  KEY_NOT_FOUND: 'KEY_NOT_FOUND',
  // undocumented codes (the behaviour is documented, its code is not)
  BAD_REQUEST: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  KEY_ALREADY_EXISTS: 'KEY_ALREADY_EXISTS',
  INVALID_VALUE: 'INVALID_VALUE',
  INVALID_TTL: 'INVALID_TTL',
  INVALID_CURSOR: 'INVALID_CURSOR',
  UNSUPPORTED_ATTRIBUTE_TYPE: 'UNSUPPORTED_ATTRIBUTE_TYPE',
  TOO_MANY_CONDITIONS: 'TOO_MANY_CONDITIONS',
  INVALID_PARTITION: 'INVALID_PARTITION',
  BATCH_EMPTY: 'BATCH_EMPTY',
  BATCH_LIMIT_EXCEEDED: 'BATCH_LIMIT_EXCEEDED',
  DUPLICATE_KEYS: 'DUPLICATE_KEYS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TRANSACTION_EMPTY: 'TRANSACTION_EMPTY',
  TRANSACTION_LIMIT_EXCEEDED: 'TRANSACTION_LIMIT_EXCEEDED',
  CONDITION_CHECK_FAILED: 'CONDITION_CHECK_FAILED',
} as const;

export type KvsErrorCodeName = (typeof KvsErrorCode)[keyof typeof KvsErrorCode];

export class KvsError extends Error {
  constructor(
    readonly status: number,
    readonly code: KvsErrorCodeName,
    message: string,
  ) {
    super(message);
    this.name = 'KvsError';
  }
}

export const badRequest = (code: KvsErrorCodeName, message: string): KvsError => new KvsError(400, code, message);
