import { join } from 'node:path';
import { createPlatform } from '../../sandbox/index';
import { ENTITY_LIMITS, assertEntityLimits, entityLimitProblems, loadManifest, type EntityDecl } from '../../sandbox/manifest';

const root = join(__dirname, '..', '..');
const OVER = join(root, 'test', 'fixtures', 'entity-limits', 'manifest.yml');

const entity = (name: string, attrs = 2, indexes = 1): EntityDecl => ({
  name,
  attributes: Object.fromEntries(Array.from({ length: attrs }, (_, i) => [`a${i}`, { type: 'float' as const }])),
  indexes: Array.from({ length: indexes }, (_, i) => ({ name: `by-a${i}`, range: [`a${i % attrs}`] })),
});

describe("the local platform enforces Forge's Custom Entity Store limits (limits-kvs-ce)", () => {
  it("the app's manifest.yml is within them, with room for two more entities", () => {
    const m = loadManifest(join(root, 'manifest.yml'));
    expect(entityLimitProblems(m.entities)).toEqual([]);
    expect(m.entities.length).toBeLessThanOrEqual(18);
    for (const e of m.entities) {
      expect(e.indexes.length).toBeLessThanOrEqual(ENTITY_LIMITS.indexesPerEntity);
      expect(Object.keys(e.attributes).length).toBeLessThanOrEqual(ENTITY_LIMITS.attributesPerEntity);
    }
  });

  it('refuses to start on a manifest over them, naming every problem', () => {
    let message = '';
    try {
      createPlatform({ manifestPath: OVER }).close();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('limits-kvs-ce');
    expect(message).toContain('the app declares 21 entities; Forge allows at most 20');
    expect(message).toContain("entity 'many-indexes' has 8 indexes; Forge allows at most 7");
    expect(message).toContain("entity 'many-attributes' has 51 attributes; Forge allows at most 50");
    expect(message).toContain("entity name 'Bad_Name' may only use");
    expect(message).toContain("attribute 'thisAttributeNameIsLongerThanThirty' of entity 'Bad_Name' is longer than 30 characters");
    expect(message).toContain("index name 'ix' of entity 'Bad_Name' must be 3-50 characters long");
  });

  it('draws each line where the docs page does', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => entity(`entity-${i}`));
    expect(entityLimitProblems(twenty)).toEqual([]);
    expect(entityLimitProblems([...twenty, entity('one-more')])).toEqual(['the app declares 21 entities; Forge allows at most 20']);
    expect(entityLimitProblems([entity('ok-7', 7, 7), entity('ok-50', 50, 1)])).toEqual([]);
    expect(entityLimitProblems([entity('ab')])).toEqual(["entity name 'ab' must be 3-60 characters long"]);
    expect(entityLimitProblems([entity('a'.repeat(60)), entity('abc')])).toEqual([]);
    for (const bad of ['-abc', '_abc', '.abc', 'abc.', 'a..bc', 'aBc', 'a bc']) expect(entityLimitProblems([entity(bad)])).toHaveLength(1);
    for (const good of ['a:b-c_d.e', 'app-record']) expect(entityLimitProblems([entity(good)])).toEqual([]);
    expect(entityLimitProblems([entity('dup'), entity('dup')])).toEqual(["entity 'dup' is declared twice"]);
    const index = (name: string): EntityDecl => ({ name: 'ent', attributes: { at: { type: 'float' } }, indexes: [{ name, range: ['at'] }] });
    for (const good of ['abc', 'A:b-c_d.E', 'x'.repeat(50)]) expect(entityLimitProblems([index(good)])).toEqual([]);
    for (const bad of ['ab', 'x'.repeat(51)]) expect(entityLimitProblems([index(bad)])).toEqual([`index name '${bad}' of entity 'ent' must be 3-50 characters long`]);
    for (const bad of ['.abc', 'abc.', 'a..bc', 'a bc', 'a/bc']) expect(entityLimitProblems([index(bad)])).toHaveLength(1);
    const attr = (name: string): EntityDecl => ({ name: 'ent', attributes: { [name]: { type: 'string' } }, indexes: [] });
    for (const good of ['_a', 'a1', 'A_b', 'x'.repeat(30)]) expect(entityLimitProblems([attr(good)])).toEqual([]);
    for (const bad of ['1a', 'a-b', 'a.b']) expect(entityLimitProblems([attr(bad)])).toHaveLength(1);
    expect(entityLimitProblems([attr('x'.repeat(31))])).toHaveLength(1);
    expect(entityLimitProblems([{ name: 'ent', attributes: {}, indexes: [{ name: 'by-x', range: ['x'] }] }])).toEqual(["index 'by-x' of entity 'ent' uses undeclared attribute 'x'"]);
    expect(() => assertEntityLimits([entity('ab')], 'm.yml')).toThrow(/^m\.yml: Forge would refuse/);
  });
});
