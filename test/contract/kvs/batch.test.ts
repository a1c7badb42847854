import { kvs, MetadataField } from '@forge/kvs';
import { expectKvsError, useKvsPlatform } from './helpers';

// storage-reference/kvs-batch (batchops), entities-batch (batchops-entities)
describe('Batch operations', () => {
  const ctx = useKvsPlatform();

  it('kvs.batchSet mixes KVS and custom entity items and reports every key as successful', async () => {
    const r = await ctx.run(async () => {
      const result = await kvs.batchSet<unknown>([
        { key: 'employee1', value: { surname: 'Davis', age: 30 }, entityName: 'employee', options: { ttl: { unit: 'DAYS', value: 7 } } },
        { key: 'untypedobject', value: { foo: 'bar' } },
      ]);
      return { result, e: await kvs.entity('employee').get('employee1'), k: await kvs.get('untypedobject') };
    });
    expect(r.result).toEqual({ successfulKeys: [{ key: 'employee1', entityName: 'employee' }, { key: 'untypedobject' }], failedKeys: [] });
    expect(r.e).toEqual({ surname: 'Davis', age: 30 });
    expect(r.k).toEqual({ foo: 'bar' });
  });

  it('batch operations complete as many items as possible: an invalid item is reported in failedKeys, the others are written', async () => {
    const r = await ctx.run(async () => {
      const result = await kvs.batchSet<unknown>([
        { key: 'ok-1', value: 1 },
        { key: 'bad', value: { age: 'not a number' }, entityName: 'employee' },
        { key: 'ok-2', value: 2 },
      ]);
      return { result, v: [await kvs.get('ok-1'), await kvs.get('ok-2'), await kvs.entity('employee').get('bad')] };
    });
    expect(r.result.successfulKeys).toEqual([{ key: 'ok-1' }, { key: 'ok-2' }]);
    expect(r.result.failedKeys).toEqual([
      { key: 'bad', entityName: 'employee', error: { code: 'INVALID_ENTITY_VALUE', message: expect.any(String) } },
    ]);
    expect(r.v).toEqual([1, 2, undefined]);
  });

  it('kvs.batchGet returns values (with requested metadata) and reports missing keys in failedKeys', async () => {
    const r = await ctx.run(async () => {
      await kvs.set('a', 'A');
      await kvs.entity('employee').set('employee1', { surname: 'Davis' });
      return kvs.batchGet([
        { key: 'employee1', entityName: 'employee', options: { metadataFields: [MetadataField.CREATED_AT] } },
        { key: 'a' },
        { key: 'missing' },
      ]);
    });
    expect(r.successfulKeys).toEqual([
      { key: 'employee1', entityName: 'employee', value: { surname: 'Davis' }, createdAt: expect.any(Number) },
      { key: 'a', value: 'A' },
    ]);
    expect(r.failedKeys).toEqual([{ key: 'missing', error: { code: 'KEY_NOT_FOUND', message: expect.any(String) } }]);
  });

  it('kvs.batchDelete deletes KVS and entity items in one request', async () => {
    const r = await ctx.run(async () => {
      await kvs.set('untypedobject', 1);
      await kvs.entity('employee').set('employee1', { surname: 'Davis' });
      const result = await kvs.batchDelete([{ key: 'employee1', entityName: 'employee' }, { key: 'untypedobject' }]);
      return { result, after: [await kvs.get('untypedobject'), await kvs.entity('employee').get('employee1')] };
    });
    expect(r.result).toEqual({ successfulKeys: [{ key: 'employee1', entityName: 'employee' }, { key: 'untypedobject' }], failedKeys: [] });
    expect(r.after).toEqual([undefined, undefined]);
  });

  it('batchSet maintains entity indexes', async () => {
    const r = await ctx.run(async () => {
      await kvs.batchSet<unknown>([
        { key: 'a', value: { age: 40 }, entityName: 'employee' },
        { key: 'b', value: { age: 20 }, entityName: 'employee' },
      ]);
      return kvs.entity('employee').query().index('by-age').getMany();
    });
    expect(r.results.map((x) => x.key)).toEqual(['b', 'a']);
  });

  it('batchSet applies the TTL of each item', async () => {
    await ctx.run(() => kvs.batchSet<unknown>([{ key: 'short', value: 1, options: { ttl: { unit: 'SECONDS', value: 5 } } }, { key: 'long', value: 2 }]));
    ctx.advanceClock(6000);
    expect(await ctx.run(async () => [await kvs.get('short'), await kvs.get('long')])).toEqual([undefined, 2]);
  });

  it('a batch operation fails entirely if it does not contain any keys', async () => {
    await expectKvsError(ctx.run(() => kvs.batchSet<unknown>([])), 'BATCH_EMPTY', 400);
  });

  it('each batch operation can contain a maximum of 25 keys', async () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: i }));
    await expectKvsError(ctx.run(() => kvs.batchSet(items(26))), 'BATCH_LIMIT_EXCEEDED', 400);
    expect(await ctx.run(async () => (await kvs.batchSet(items(25))).successfulKeys.length)).toBe(25);
    expect(await ctx.run(() => kvs.get('k0'))).toBe(0);
  });

  it('a batch operation fails entirely if the same key (or key plus entity) appears twice', async () => {
    await expectKvsError(ctx.run(() => kvs.batchSet<unknown>([{ key: 'k', value: 1 }, { key: 'k', value: 2 }])), 'DUPLICATE_KEYS', 400);
    await expectKvsError(
      ctx.run(() => kvs.batchGet([{ key: 'k', entityName: 'employee' }, { key: 'k', entityName: 'employee' }])),
      'DUPLICATE_KEYS',
      400,
    );
    expect(await ctx.run(() => kvs.get('k'))).toBeUndefined();
    // the same key in the KVS and in an entity is not a duplicate
    const r = await ctx.run(() => kvs.batchSet<unknown>([{ key: 'k', value: 1 }, { key: 'k', value: { surname: 'x' }, entityName: 'employee' }]));
    expect(r.failedKeys).toEqual([]);
  });

  it('a single kvs.batchSet can be a payload of at most 4MB', async () => {
    const big = 'x'.repeat(200 * 1024);
    const items = Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: big }));
    await expectKvsError(ctx.run(() => kvs.batchSet(items)), 'PAYLOAD_TOO_LARGE', 400);
  });
});
