import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENTITY } from '../../src/storage/entities';
import { Changes } from '../../src/storage/store';

/**
 * The static half of "append-only" (the seeded-trail test is the behavioural half: a storage trigger sees no
 * update or delete of an audit row over the whole demo): the only code that writes the audit entity is the
 * commit of `Changes`, as a create under `version notExists`, and nothing deletes from it.
 */
const ROOT = join(__dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) && !p.includes('__tests__') ? [p] : [];
  });
}

const AUDIT_ENTITY = /ENTITY\.audit\b(?!Chain)|['"`]audit-event['"`]/;

describe('audit events are append-only', () => {
  const sources = files(ROOT).map((p) => ({ path: relative(ROOT, p), lines: readFileSync(p, 'utf8').split('\n') }));
  const mentions = sources.flatMap((f) => f.lines.map((line, i) => ({ path: f.path, line: line.trim(), n: i + 1 })).filter((l) => AUDIT_ENTITY.test(l.line)));

  it('only storage names the audit entity', () => {
    expect([...new Set(mentions.map((m) => m.path))].sort()).toEqual(['storage/entities.ts', 'storage/records.ts', 'storage/store.ts']);
  });

  it('records.ts only reads it (index queries)', () => {
    const lines = mentions.filter((m) => m.path === 'storage/records.ts');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((m) => !/queryIndex\(|entity: ENTITY\.audit, (index|sort)/.test(m.line))).toEqual([]);
  });

  it('store.ts writes it in exactly one place: a create under the condition that the row does not exist', () => {
    const inStore = mentions.filter((m) => m.path === 'storage/store.ts');
    const writes = inStore.filter((m) => /\btx\b|kvs\./.test(m.line));
    expect(inStore.filter((m) => !writes.includes(m)).map((m) => m.line)).toEqual(['if (entity === ENTITY.audit || entity === ENTITY.auditChain) throw new Error(`${entity} rows are append-only: write them with Changes.audit()`);']);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.line).toMatch(/^tx = tx\.set\(a\.id, row, \{ entityName: ENTITY\.audit, conditions: new Filter<.*>\(\)\.and\('version', FilterConditions\.notExists\(\)\) \}\);$/);
  });

  it('nothing in src deletes by a computed entity name that could be the audit entity', () => {
    // Every delete names its entity: the release's rows, training tasks, ... never a variable that could hold `audit-event`.
    const deletes = sources.flatMap((f) => f.lines.filter((l) => /\.delete\(/.test(l)).map((l) => `${f.path}: ${l.trim()}`));
    const suspicious = deletes.filter((d) => AUDIT_ENTITY.test(d));
    expect(suspicious).toEqual([]);
    const store = sources.find((f) => f.path === 'storage/store.ts')?.lines.join('\n') ?? '';
    // Changes.remove() refuses nothing by itself, so its callers are checked: none passes the audit entity.
    const removes = sources.flatMap((f) => f.lines.filter((l) => /changes\.remove\(|\.remove\(ENTITY/.test(l)).map((l) => l.trim()));
    expect(removes.filter((r) => AUDIT_ENTITY.test(r))).toEqual([]);
    expect(store).toContain('// Never overwritten: the audit trail is append-only.');
  });
});

describe('Changes refuses to put or remove audit rows', () => {
  it('throws before anything is written', () => {
    const c = new Changes();
    expect(() => c.put(ENTITY.audit, 'x', {}, {}, 1)).toThrow(/append-only/);
    expect(() => c.remove(ENTITY.audit, 'x', 1)).toThrow(/append-only/);
    expect(() => c.remove(ENTITY.auditChain, 'x', 1)).toThrow(/append-only/);
    expect(c.size).toBe(0);
  });
});
