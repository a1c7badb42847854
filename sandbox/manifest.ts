import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The parts of manifest.yml that the local platform acts on. */
export interface ManifestFunction {
  key: string;
  handler: string;
  timeoutSeconds?: number;
}

export interface EntityIndexDecl {
  name: string;
  partition?: string[];
  range: string[];
}

export interface EntityAttributeDecl {
  type: 'any' | 'boolean' | 'float' | 'integer' | 'string';
}

export interface EntityDecl {
  name: string;
  attributes: Record<string, EntityAttributeDecl>;
  indexes: EntityIndexDecl[];
}

export interface ManifestModule {
  moduleType: string;
  key: string;
  function?: string;
  resolver?: { function?: string };
  events?: string[];
  [extra: string]: unknown;
}

export interface LoadedManifest {
  appId: string;
  functions: Map<string, ManifestFunction>;
  modules: ManifestModule[];
  entities: EntityDecl[];
  raw: Record<string, unknown>;
}

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function readIndex(v: unknown): EntityIndexDecl {
  if (typeof v === 'string') return { name: v, range: [v] };
  if (!isObj(v) || typeof v.name !== 'string') throw new Error(`manifest: bad index ${JSON.stringify(v)}`);
  const range = Array.isArray(v.range) ? v.range.map(String) : [v.name];
  const partition = Array.isArray(v.partition) ? v.partition.map(String) : undefined;
  return { name: v.name, range, ...(partition ? { partition } : {}) };
}

export function parseManifest(text: string): LoadedManifest {
  const raw = parse(text) as Raw;
  const app = isObj(raw.app) ? raw.app : {};
  const modules: ManifestModule[] = [];
  const functions = new Map<string, ManifestFunction>();
  const rawModules = isObj(raw.modules) ? raw.modules : {};
  for (const [moduleType, list] of Object.entries(rawModules)) {
    if (!Array.isArray(list)) continue;
    for (const m of list) {
      if (!isObj(m) || typeof m.key !== 'string') continue;
      if (moduleType === 'function') {
        functions.set(m.key, {
          key: m.key,
          handler: String(m.handler),
          ...(typeof m.timeoutSeconds === 'number' ? { timeoutSeconds: m.timeoutSeconds } : {}),
        });
      } else {
        modules.push({ ...m, moduleType, key: m.key } as ManifestModule);
      }
    }
  }
  const storage = isObj(app.storage) ? app.storage : {};
  const entities: EntityDecl[] = [];
  for (const e of Array.isArray(storage.entities) ? storage.entities : []) {
    if (!isObj(e) || typeof e.name !== 'string') continue;
    const attributes: Record<string, EntityAttributeDecl> = {};
    for (const [k, a] of Object.entries(isObj(e.attributes) ? e.attributes : {})) {
      attributes[k] = { type: (isObj(a) ? a.type : 'any') as EntityAttributeDecl['type'] };
    }
    entities.push({ name: e.name, attributes, indexes: (Array.isArray(e.indexes) ? e.indexes : []).map(readIndex) });
  }
  return { appId: String(app.id ?? 'ari:cloud:ecosystem::app/local'), functions, modules, entities, raw };
}

/**
 * Forge's Custom Entity Store limits on what the manifest declares (forge-docs/limits-kvs-ce, "Custom Entity
 * Store limits"; attribute types and index shapes: forge-docs/storage-reference/entities-manifest). `forge
 * deploy` refuses an app over them, and neither @forge/manifest's validate() nor @forge/lint says so: the
 * local platform refuses to start on such a manifest instead of running what could never be deployed.
 */
export const ENTITY_LIMITS = {
  entitiesPerApp: 20,
  indexesPerEntity: 7,
  attributesPerEntity: 50,
  entityNameMin: 3,
  entityNameMax: 60,
  indexNameMin: 3,
  indexNameMax: 50,
  attributeNameMax: 30,
} as const;

const ENTITY_NAME = /^(?![-_.])(?!.*\.\.)[a-z0-9:\-_.]+(?<!\.)$/;
const INDEX_NAME = /^(?!\.)(?!.*\.\.)[a-zA-Z0-9:\-_.]+(?<!\.)$/;
const ATTRIBUTE_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const ATTRIBUTE_TYPES: readonly string[] = ['any', 'boolean', 'float', 'integer', 'string'];

/** Every way the declared entities break Forge's limits, one sentence each (empty: within them). */
export function entityLimitProblems(entities: readonly EntityDecl[]): string[] {
  const L = ENTITY_LIMITS;
  const out: string[] = [];
  if (entities.length > L.entitiesPerApp) out.push(`the app declares ${entities.length} entities; Forge allows at most ${L.entitiesPerApp}`);
  const seen = new Set<string>();
  for (const e of entities) {
    const n = e.name;
    if (seen.has(n)) out.push(`entity '${n}' is declared twice`);
    seen.add(n);
    if (n.length < L.entityNameMin || n.length > L.entityNameMax) out.push(`entity name '${n}' must be ${L.entityNameMin}-${L.entityNameMax} characters long`);
    if (!ENTITY_NAME.test(n)) out.push(`entity name '${n}' may only use a-z 0-9 : - _ . (not starting with - or _, not starting or ending with ., no ..)`);
    const attrs = Object.entries(e.attributes);
    if (attrs.length > L.attributesPerEntity) out.push(`entity '${n}' has ${attrs.length} attributes; Forge allows at most ${L.attributesPerEntity}`);
    for (const [a, decl] of attrs) {
      if (!ATTRIBUTE_NAME.test(a)) out.push(`attribute '${a}' of entity '${n}' must match [_A-Za-z][_0-9A-Za-z]*`);
      if (a.length > L.attributeNameMax) out.push(`attribute '${a}' of entity '${n}' is longer than ${L.attributeNameMax} characters`);
      if (!ATTRIBUTE_TYPES.includes(decl.type)) out.push(`attribute '${a}' of entity '${n}' has unknown type '${String(decl.type)}'`);
    }
    if (e.indexes.length > L.indexesPerEntity) out.push(`entity '${n}' has ${e.indexes.length} indexes; Forge allows at most ${L.indexesPerEntity}`);
    const indexNames = new Set<string>();
    for (const i of e.indexes) {
      if (indexNames.has(i.name)) out.push(`index '${i.name}' of entity '${n}' is declared twice`);
      indexNames.add(i.name);
      if (i.name.length < L.indexNameMin || i.name.length > L.indexNameMax) out.push(`index name '${i.name}' of entity '${n}' must be ${L.indexNameMin}-${L.indexNameMax} characters long`);
      if (!INDEX_NAME.test(i.name)) out.push(`index name '${i.name}' of entity '${n}' may only use a-z A-Z 0-9 : - _ . (not starting or ending with ., no ..)`);
      for (const a of [...(i.partition ?? []), ...i.range]) {
        if (!e.attributes[a]) out.push(`index '${i.name}' of entity '${n}' uses undeclared attribute '${a}'`);
      }
    }
  }
  return out;
}

/** Throws, naming every problem, when the declared entities break Forge's limits. */
export function assertEntityLimits(entities: readonly EntityDecl[], source = 'manifest.yml'): void {
  const problems = entityLimitProblems(entities);
  if (problems.length > 0) {
    throw new Error(`${source}: Forge would refuse to deploy these entities (forge-docs/limits-kvs-ce, "Custom Entity Store limits"):\n- ${problems.join('\n- ')}`);
  }
}

/** Reads manifest.yml; refused when its entities break Forge's limits (the platform does not start). */
export function loadManifest(path: string): LoadedManifest {
  const manifest = parseManifest(readFileSync(path, 'utf8'));
  assertEntityLimits(manifest.entities, path);
  return manifest;
}
