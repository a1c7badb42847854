import { kvs, MetadataField, WhereConditions } from '@forge/kvs';
import { expectKvsError, useKvsPlatform } from './helpers';

// storage-reference/kvs-api-query, storage-reference/kvs (Cursors, Key ordering), handling-errors-kvs
describe('Key-Value Store: kvs.query', () => {
  const ctx = useKvsPlatform();

  const seed = (keys: string[]) =>
    ctx.run(async () => {
      for (const k of keys) await kvs.set(k, k.replace('.', ' '));
    });

  it('where key beginsWith returns only the keys starting with the prefix', async () => {
    await seed(['account.1', 'account.2', 'user.1', 'accounting', 'acc']);
    const r = await ctx.run(() => kvs.query().where('key', WhereConditions.beginsWith('account.')).getMany());
    expect(r.results.map((x) => x.key)).toEqual(['account.1', 'account.2']);
  });

  it('results carry key and value', async () => {
    await seed(['item-1']);
    const r = await ctx.run(() => kvs.query().getMany());
    expect(r.results).toEqual([{ key: 'item-1', value: 'item-1' }]);
  });

  it('keys are returned in lexicographic order', async () => {
    await seed(['b', 'a10', 'a2', 'a1', 'C', '1']);
    const r = await ctx.run(() => kvs.query().getMany());
    expect(r.results.map((x) => x.key)).toEqual(['1', 'C', 'a1', 'a10', 'a2', 'b']);
  });

  it('without a where condition the query iterates over all values', async () => {
    await seed(['x.1', 'y.1', 'z.1']);
    const r = await ctx.run(() => kvs.query().getMany());
    expect(r.results).toHaveLength(3);
  });

  it('returns up to 10 values by default', async () => {
    await seed(Array.from({ length: 15 }, (_, i) => `k${String(i).padStart(2, '0')}`));
    const r = await ctx.run(() => kvs.query().getMany());
    expect(r.results).toHaveLength(10);
    expect(r.nextCursor).toEqual(expect.any(String));
  });

  it('the limit can be raised to a maximum of 100', async () => {
    await ctx.run(() =>
      kvs.batchSet(Array.from({ length: 25 }, (_, i) => ({ key: `k${i}`, value: i }))),
    );
    const r = await ctx.run(() => kvs.query().limit(100).getMany());
    expect(r.results).toHaveLength(25);
    expect(r.nextCursor).toBeUndefined();
  });

  it('LIST_QUERY_LIMIT_EXCEEDED: a limit above 100 is rejected', async () => {
    await expectKvsError(ctx.run(() => kvs.query().limit(101).getMany()), 'LIST_QUERY_LIMIT_EXCEEDED', 400);
  });

  it('cursors paginate as documented: account.1-2, then account.3-4, then account.5 with no cursor', async () => {
    await seed(['account.1', 'account.2', 'account.3', 'account.4', 'account.5', 'user.1', 'user.2', 'user.3', 'user.4']);
    const pages = await ctx.run(async () => {
      const q = () => kvs.query().limit(2).where('key', WhereConditions.beginsWith('account.'));
      const p1 = await q().getMany();
      const p2 = await q().cursor(p1.nextCursor ?? '').getMany();
      const p3 = await q().cursor(p2.nextCursor ?? '').getMany();
      return [p1, p2, p3];
    });
    expect(pages.map((p) => p.results.map((x) => x.key))).toEqual([['account.1', 'account.2'], ['account.3', 'account.4'], ['account.5']]);
    expect(pages[0]?.nextCursor).toEqual(expect.any(String));
    expect(pages[1]?.nextCursor).toEqual(expect.any(String));
    expect(pages[2]?.nextCursor).toBeUndefined();
  });

  it('nextCursor is omitted when there are no more results', async () => {
    await seed(['a', 'b']);
    const r = await ctx.run(() => kvs.query().limit(2).getMany());
    expect(r.nextCursor).toBeUndefined();
  });

  it('query.getOne returns the first match', async () => {
    await seed(['item-2', 'item-1']);
    expect(await ctx.run(() => kvs.query().getOne())).toEqual({ key: 'item-1', value: 'item-1' });
  });

  it('query.getOne resolves to undefined when nothing matches', async () => {
    expect(await ctx.run(() => kvs.query().where('key', WhereConditions.beginsWith('nothing')).getOne())).toBeUndefined();
  });

  it('metadataFields adds the requested metadata to each result', async () => {
    await ctx.run(() => kvs.set('value-1', 'stored data', { ttl: { unit: 'DAYS', value: 2 } }));
    const r = await ctx.run(() => kvs.query({ metadataFields: [MetadataField.EXPIRE_TIME, MetadataField.CREATED_AT] }).getMany());
    expect(r.results[0]).toEqual({ key: 'value-1', value: 'stored data', createdAt: expect.any(Number), expireTime: expect.any(String) });
    expect(new Date(r.results[0]?.expireTime ?? '').toISOString()).toBe(r.results[0]?.expireTime);
  });

  it('kvs.query does not return secret values set by kvs.setSecret', async () => {
    await ctx.run(async () => {
      await kvs.setSecret('token', 's3cret');
      await kvs.set('plain', 'visible');
    });
    const r = await ctx.run(() => kvs.query().getMany());
    expect(r.results.map((x) => x.key)).toEqual(['plain']);
  });

  it('kvs.query does not return custom entity values', async () => {
    await ctx.run(() => kvs.entity('employee').set('e1', { surname: 'Davis' }));
    expect((await ctx.run(() => kvs.query().getMany())).results).toEqual([]);
  });
});

// storage-reference/kvs-api-secret
describe('Key-Value Store: secrets', () => {
  const ctx = useKvsPlatform();

  it('kvs.setSecret / kvs.getSecret round-trip a value', async () => {
    const v = await ctx.run(async () => {
      await kvs.setSecret('api-token', { token: 'abc' });
      return kvs.getSecret('api-token');
    });
    expect(v).toEqual({ token: 'abc' });
  });

  it('values set with kvs.setSecret can only be accessed with kvs.getSecret (kvs.get does not see them)', async () => {
    const v = await ctx.run(async () => {
      await kvs.setSecret('api-token', 'secret');
      return kvs.get('api-token');
    });
    expect(v).toBeUndefined();
  });

  it('kvs.deleteSecret removes the secret; getSecret then returns undefined', async () => {
    const v = await ctx.run(async () => {
      await kvs.setSecret('api-token', 'secret');
      await kvs.deleteSecret('api-token');
      return kvs.getSecret('api-token');
    });
    expect(v).toBeUndefined();
  });

  it('secret values may be up to 128 KiB', async () => {
    await expectKvsError(ctx.run(() => kvs.setSecret('big', 'x'.repeat(128 * 1024))), 'MAX_SIZE', 400);
    await expect(ctx.run(() => kvs.setSecret('big', 'x'.repeat(128 * 1024 - 2)))).resolves.toBeUndefined();
  });

  it('kvs.setSecret honours keyPolicy FAIL_IF_EXISTS', async () => {
    await ctx.run(() => kvs.setSecret('s', 1));
    await expectKvsError(ctx.run(() => kvs.setSecret('s', 2, { keyPolicy: 'FAIL_IF_EXISTS' })), 'KEY_ALREADY_EXISTS', 409);
  });
});
