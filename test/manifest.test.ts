import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@forge/manifest';
import { parse } from 'yaml';
import { ENTITY, HOST_ENTITY, HOST_KIND_ATTR, HOSTED, INDEX, type EntityName } from '../src/storage/entities';
import { loadManifest } from '../sandbox/manifest';

const root = join(__dirname, '..');
const readJson = (p: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, p), 'utf8')) as Record<string, unknown>;

function flatKeys(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? flatKeys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function i18nKeys(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(i18nKeys);
  if (typeof node !== 'object' || node === null) return [];
  const rec = node as Record<string, unknown>;
  return Object.entries(rec).flatMap(([k, v]) => (k === 'i18n' && typeof v === 'string' ? [v] : i18nKeys(v)));
}

describe('manifest.yml', () => {
  it("passes @forge/manifest's full validate() (what `forge deploy` runs)", async () => {
    const result = await validate(false, join(root, 'manifest.yml'));
    expect(result.errors ?? []).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('runs on nodejs22.x and offers en-US and zh-CN', () => {
    const m = parse(readFileSync(join(root, 'manifest.yml'), 'utf8')) as {
      app: { runtime: { name: string } };
      translations: { resources: { key: string; path: string }[] };
    };
    expect(m.app.runtime.name).toBe('nodejs22.x');
    expect(m.translations.resources.map((r) => r.key).sort()).toEqual(['en-US', 'zh-CN']);
  });

  it('names only i18n keys that exist in both locale files', () => {
    const m = parse(readFileSync(join(root, 'manifest.yml'), 'utf8')) as unknown;
    const en = new Set(flatKeys(readJson('locales/en-US.json')));
    const zh = new Set(flatKeys(readJson('locales/zh-CN.json')));
    const used = i18nKeys(m);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((k) => !en.has(k))).toEqual([]);
    expect(used.filter((k) => !zh.has(k))).toEqual([]);
  });
});

describe('ENTITY and INDEX (src/storage/entities.ts) against app.storage.entities', () => {
  const declared = new Map(loadManifest(join(root, 'manifest.yml')).entities.map((e) => [e.name, e]));
  const logical = Object.entries(ENTITY) as [keyof typeof ENTITY, EntityName][];

  it('every logical entity is declared, or hosted by the host entity', () => {
    expect(logical.filter(([, name]) => !HOSTED[name] && !declared.has(name))).toEqual([]);
    // Hosted ones are not declared as well (they would count against Forge's 20 for nothing).
    expect(logical.filter(([, name]) => HOSTED[name] && declared.has(name))).toEqual([]);
    expect(declared.has(HOST_ENTITY)).toBe(true);
  });

  it("every index of a declared entity is in the manifest; a hosted entity's are the host's, partitioned by kind first", () => {
    const host = declared.get(HOST_ENTITY);
    expect(host?.attributes[HOST_KIND_ATTR]?.type).toBe('string');
    for (const [k, name] of logical) {
      const names = Object.values((INDEX as Record<string, Record<string, string>>)[k] ?? {});
      const hosted = HOSTED[name];
      if (!hosted) {
        const e = declared.get(name);
        expect([name, names.filter((i) => !e?.indexes.some((d) => d.name === i))]).toEqual([name, []]);
        continue;
      }
      expect([name, Object.keys(hosted).sort()]).toEqual([name, [...names].sort()]);
      for (const h of Object.values(hosted)) {
        const idx = host?.indexes.find((d) => d.name === h.physical);
        expect([name, idx?.partition, idx?.range]).toEqual([name, [HOST_KIND_ATTR, ...h.partition], [h.range]]);
      }
    }
    // Every host index serves some hosted entity.
    const used = new Set(Object.values(HOSTED).flatMap((h) => Object.values(h ?? {}).map((i) => i.physical)));
    expect(host?.indexes.map((i) => i.name).filter((n) => !used.has(n))).toEqual([]);
  });
});

describe('locales', () => {
  it('every key is in both en-US and zh-CN, and no value is empty', () => {
    const en = readJson('locales/en-US.json');
    const zh = readJson('locales/zh-CN.json');
    const enKeys = flatKeys(en).sort();
    const zhKeys = flatKeys(zh).sort();
    expect(enKeys.filter((k) => !zhKeys.includes(k))).toEqual([]);
    expect(zhKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
    const empty = (o: Record<string, unknown>) =>
      flatKeys(o).filter((k) => {
        const v = k.split('.').reduce<unknown>((acc, part) => (acc as Record<string, unknown>)[part], o);
        return typeof v !== 'string' || v.trim() === '';
      });
    expect(empty(en)).toEqual([]);
    expect(empty(zh)).toEqual([]);
  });
});
