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

export function loadManifest(path: string): LoadedManifest {
  return parseManifest(readFileSync(path, 'utf8'));
}
