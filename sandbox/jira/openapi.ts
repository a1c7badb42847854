import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Atlassian's published OpenAPI document of Jira Cloud REST v3, used to check every request the emulator
 * accepts and every response it gives. The document is 2.4 MB with ~1000 schemas, so nothing is compiled up
 * front: each operation's parameter, body and response validators are built on first use and cached.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Obj;
}

interface OpenApiOperation {
  operationId?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Obj }> };
  responses: Record<string, { content?: Record<string, { schema?: Obj }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, Obj> };
}

export interface OperationMatch {
  /** The document's path template, e.g. `/rest/api/3/issue/{issueIdOrKey}`. */
  template: string;
  method: string;
  operationId: string;
  pathParams: Record<string, string>;
}

export interface ValidationIssue {
  operation: string;
  phase: 'request' | 'response';
  message: string;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const REPO_ROOT = resolve(__dirname, '..', '..');

/** Where the document lives: the option, else `JIRA_OPENAPI_PATH`, else `../shared/reference/...` beside the repo. */
export function resolveOpenApiPath(explicit?: string): string {
  if (explicit) return resolve(explicit);
  const env = process.env.JIRA_OPENAPI_PATH;
  if (env) return resolve(env);
  return resolve(REPO_ROOT, '..', 'shared', 'reference', 'jira-openapi', 'swagger-v3.v3.json');
}

interface CompiledRoute {
  template: string;
  regex: RegExp;
  paramNames: string[];
  literalSegments: number;
}

type Validator = ValidateFunction;

export class OpenApiSpec {
  readonly doc: OpenApiDocument;
  private readonly routes: CompiledRoute[];
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, Validator | null>();

  constructor(doc: OpenApiDocument) {
    this.doc = doc;
    this.routes = Object.keys(doc.paths)
      .map((template) => {
        const segments = template.split('/').filter(Boolean);
        const paramNames: string[] = [];
        const pattern = segments
          .map((s) => {
            const m = /^\{(.+)\}$/.exec(s);
            if (m && m[1]) {
              paramNames.push(m[1]);
              return '([^/]+)';
            }
            return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          })
          .join('/');
        return {
          template,
          regex: new RegExp(`^/${pattern}/?$`),
          paramNames,
          literalSegments: segments.length - paramNames.length,
        };
      })
      // A literal segment beats a parameter: /issuetype/project before /issuetype/{id}.
      .sort((a, b) => b.literalSegments - a.literalSegments || a.paramNames.length - b.paramNames.length);
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
  }

  operation(template: string, method: string): OpenApiOperation | undefined {
    return this.doc.paths[template]?.[method.toLowerCase()];
  }

  /** Finds the documented operation for a concrete path (no query string) and method. */
  match(method: string, path: string): OperationMatch | undefined {
    const m = method.toLowerCase();
    for (const r of this.routes) {
      const hit = r.regex.exec(path);
      if (!hit) continue;
      const op = this.doc.paths[r.template]?.[m];
      if (!op) continue;
      const pathParams: Record<string, string> = {};
      r.paramNames.forEach((n, i) => {
        pathParams[n] = decodeURIComponent(hit[i + 1] ?? '');
      });
      return { template: r.template, method: m, operationId: op.operationId ?? `${m} ${r.template}`, pathParams };
    }
    return undefined;
  }

  /** Checks path parameters, query parameters and the JSON body of a request against its operation. */
  validateRequest(match: OperationMatch, query: URLSearchParams, body: unknown, hasBody: boolean): string[] {
    const op = this.operation(match.template, match.method);
    if (!op) return [`no operation ${match.method.toUpperCase()} ${match.template}`];
    const problems: string[] = [];
    const params = op.parameters ?? [];
    for (const p of params.filter((x) => x.in === 'path')) {
      const value = match.pathParams[p.name];
      if (value === undefined || value === '') problems.push(`path parameter '${p.name}' is missing`);
      else problems.push(...this.check(`${match.operationId}:path:${p.name}`, p.schema, coerce(p.schema, [value]), `path parameter '${p.name}'`));
    }
    const declared = new Set(params.filter((x) => x.in === 'query').map((x) => x.name));
    for (const name of new Set(query.keys())) {
      if (!declared.has(name)) problems.push(`query parameter '${name}' is not declared by ${match.operationId}`);
    }
    for (const p of params.filter((x) => x.in === 'query')) {
      const values = query.getAll(p.name);
      if (values.length === 0) {
        if (p.required) problems.push(`query parameter '${p.name}' is required`);
        continue;
      }
      problems.push(...this.check(`${match.operationId}:query:${p.name}`, p.schema, coerce(p.schema, values), `query parameter '${p.name}'`));
    }
    const rb = op.requestBody;
    const jsonSchema = rb?.content?.['application/json']?.schema;
    if (!hasBody) {
      if (rb?.required) problems.push('request body is required');
    } else if (!rb) {
      problems.push(`${match.operationId} takes no request body`);
    } else if (jsonSchema) {
      problems.push(...this.check(`${match.operationId}:body`, jsonSchema, body, 'request body'));
    }
    return problems;
  }

  /** Checks that a status code is declared for the operation and the JSON body matches its schema. */
  validateResponse(match: OperationMatch, status: number, body: unknown): string[] {
    const op = this.operation(match.template, match.method);
    if (!op) return [`no operation ${match.method.toUpperCase()} ${match.template}`];
    const code = String(status);
    const declared = op.responses[code] ?? op.responses.default;
    if (!declared) return [`status ${status} is not declared for ${match.operationId} (declared: ${Object.keys(op.responses).join(', ')})`];
    const schema = declared.content?.['application/json']?.schema;
    if (!schema || body === undefined) return [];
    return this.check(`${match.operationId}:response:${code}`, schema, body, `response ${status} body`);
  }

  private check(cacheKey: string, schema: Obj | undefined, value: unknown, what: string): string[] {
    if (!schema) return [];
    let validate = this.cache.get(cacheKey);
    if (validate === undefined) {
      validate = this.compile(schema);
      this.cache.set(cacheKey, validate);
    }
    if (!validate || validate(value)) return [];
    return formatErrors(what, validate.errors ?? []);
  }

  /** Bundles the schema with just the components it reaches, rewriting `$ref`s to local definitions. */
  private compile(schema: Obj): Validator | null {
    if (Object.keys(schema).length === 0) return null;
    const definitions: Record<string, Json> = {};
    const pending: string[] = [];
    const rewrite = (node: Json): Json => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (!isObj(node)) return node;
      const out: Obj = {};
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
          const name = v.slice('#/components/schemas/'.length);
          if (!(name in definitions)) {
            definitions[name] = {};
            pending.push(name);
          }
          out.$ref = `#/definitions/${encodeRefToken(name)}`;
        } else if (k === 'discriminator' || k === 'example' || k === 'examples' || k.startsWith('x-')) {
          // OpenAPI annotations with no JSON-schema meaning (the discriminator's oneOf does the work).
        } else {
          out[k] = rewrite(v);
        }
      }
      return out;
    };
    const root = rewrite(schema);
    while (pending.length > 0) {
      const name = pending.pop() as string;
      definitions[name] = rewrite(this.doc.components.schemas[name] ?? {});
    }
    return this.ajv.compile({ allOf: [root], definitions });
  }
}

function encodeRefToken(name: string): string {
  return encodeURIComponent(name.replace(/~/g, '~0').replace(/\//g, '~1'));
}

function coerceOne(schema: Obj | undefined, v: string): unknown {
  const t = schema?.type;
  if (t === 'integer' || t === 'number') return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  if (t === 'boolean') return v === 'true' ? true : v === 'false' ? false : v;
  return v;
}

function coerce(schema: Obj | undefined, values: string[]): unknown {
  if (schema?.type === 'array') {
    const items = isObj(schema.items) ? schema.items : undefined;
    return values.map((v) => coerceOne(items, v));
  }
  return coerceOne(schema, values[values.length - 1] ?? '');
}

function formatErrors(what: string, errors: ErrorObject[]): string[] {
  // anyOf/oneOf produce one error per branch; the first few tell the story.
  return errors.slice(0, 5).map((e) => {
    const extra =
      e.keyword === 'additionalProperties'
        ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
        : e.keyword === 'enum'
          ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`
          : '';
    return `${what}${e.instancePath || ''} ${e.message ?? e.keyword}${extra}`;
  });
}

const loaded = new Map<string, OpenApiSpec>();

/** Loads (once per path, per process) the OpenAPI document. */
export function loadOpenApi(path?: string): OpenApiSpec {
  const file = resolveOpenApiPath(path);
  const hit = loaded.get(file);
  if (hit) return hit;
  if (!existsSync(file)) {
    throw new Error(`Jira OpenAPI document not found at ${file} (set JIRA_OPENAPI_PATH or the openApiPath option)`);
  }
  const spec = new OpenApiSpec(JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument);
  loaded.set(file, spec);
  return spec;
}
