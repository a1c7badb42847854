import { Filter, FilterConditions, kvs, WhereConditions } from '@forge/kvs';
import { expectKvsError, useKvsPlatform, type Employee } from './helpers';

// storage-reference/transactions (kvs-transactions), transactions-entities (entities-transactions), limits-kvs-ce
describe('Transactions', () => {
  const ctx = useKvsPlatform();
  const E = { entityName: 'employee' };

  it('KVS transact: set and delete are committed together', async () => {
    const r = await ctx.run(async () => {
      await kvs.set('key2', 'to delete');
      await kvs.transact().set('key1', 'value1', undefined, { ttl: { unit: 'DAYS', value: 7 } }).delete('key2').set('key3', 'value3').execute();
      return [await kvs.get('key1'), await kvs.get('key2'), await kvs.get('key3')];
    });
    expect(r).toEqual(['value1', undefined, 'value3']);
  });

  it('transact.delete succeeds whether the key exists or not', async () => {
    await expect(ctx.run(() => kvs.transact().delete('never-set').execute())).resolves.toBeUndefined();
  });

  it('all or nothing: if one operation cannot be completed, none is applied', async () => {
    await ctx.run(() => kvs.set('keep', 'original'));
    await expectKvsError(
      ctx.run(() =>
        kvs
          .transact()
          .set('keep', 'changed')
          .set('bad', { age: 'x' }, E)
          .delete('other')
          .execute(),
      ),
      'INVALID_ENTITY_VALUE',
      400,
    );
    expect(await ctx.run(async () => [await kvs.get('keep'), await kvs.entity('employee').get('bad')])).toEqual(['original', undefined]);
  });

  it('each transaction can contain a maximum of 25 operations', async () => {
    const build = (n: number) => {
      const t = kvs.transact();
      for (let i = 0; i < n; i++) t.set(`k${i}`, i);
      return t;
    };
    await expectKvsError(ctx.run(() => build(26).execute()), 'TRANSACTION_LIMIT_EXCEEDED', 400);
    expect(await ctx.run(() => kvs.get('k0'))).toBeUndefined();
    await ctx.run(() => build(25).execute());
    expect(await ctx.run(() => kvs.get('k24'))).toBe(24);
  });

  it('each key can only be used once in a transaction', async () => {
    await expectKvsError(ctx.run(() => kvs.transact().set('k', 1).delete('k').execute()), 'DUPLICATE_KEYS', 400);
    expect(await ctx.run(() => kvs.get('k'))).toBeUndefined();
  });

  it('each transaction is limited to a payload size of 4MB', async () => {
    const t = kvs.transact();
    for (let i = 0; i < 18; i++) t.set(`k${i}`, 'x'.repeat(235 * 1024));
    await expectKvsError(ctx.run(() => t.execute()), 'PAYLOAD_TOO_LARGE', 400);
  });

  it('entity transact.set writes entities and maintains their indexes', async () => {
    const r = await ctx.run(async () => {
      await kvs
        .transact()
        .set('employee1', { surname: 'Davis', age: 30 }, E, { ttl: { unit: 'DAYS', value: 7 } })
        .set<Employee>('employee2', { surname: 'Scott', age: 31 }, E)
        .execute();
      return kvs.entity<Employee>('employee').query().index('by-age').where(WhereConditions.greaterThan(29)).getMany();
    });
    expect(r.results.map((x) => x.key)).toEqual(['employee1', 'employee2']);
  });

  it('conditions: a set whose conditions hold is applied', async () => {
    const r = await ctx.run(async () => {
      await kvs.entity<Employee>('employee').set('employee2', { surname: 'Scott', nationality: 'Australian', age: 30 });
      await kvs
        .transact()
        .set<Employee>('employee2', { surname: 'Scott', nationality: 'Australian', age: 31 }, {
          entityName: 'employee',
          conditions: new Filter<Employee>().and('surname', FilterConditions.beginsWith('S')).and('nationality', FilterConditions.beginsWith('A')),
        })
        .execute();
      return kvs.entity<Employee>('employee').get('employee2');
    });
    expect(r?.age).toBe(31);
  });

  it('conditions: if any condition is not met, the entire transaction fails and nothing is written', async () => {
    await ctx.run(() => kvs.entity<Employee>('employee').set('employee2', { surname: 'Davis', age: 30 }));
    await expectKvsError(
      ctx.run(() =>
        kvs
          .transact()
          .set('other', 'written?')
          .set<Employee>('employee2', { surname: 'Davis', age: 99 }, { entityName: 'employee', conditions: new Filter<Employee>().and('surname', FilterConditions.beginsWith('S')) })
          .execute(),
      ),
      'CONDITION_CHECK_FAILED',
      409,
    );
    expect(await ctx.run(async () => [await kvs.get('other'), (await kvs.entity<Employee>('employee').get('employee2'))?.age])).toEqual([undefined, 30]);
  });

  it('or conditions: any one condition must be met', async () => {
    await ctx.run(() => kvs.entity<Employee>('employee').set('e', { surname: 'Adams' }));
    await ctx.run(() =>
      kvs
        .transact()
        .delete('e', { entityName: 'employee', conditions: new Filter<Employee>().or('surname', FilterConditions.beginsWith('S')).or('surname', FilterConditions.beginsWith('A')) })
        .execute(),
    );
    expect(await ctx.run(() => kvs.entity('employee').get('e'))).toBeUndefined();
  });

  it('a conditional delete with an unmet condition cancels the transaction', async () => {
    await ctx.run(() => kvs.entity<Employee>('employee').set('e', { surname: 'Adams' }));
    await expectKvsError(
      ctx.run(() =>
        kvs.transact().delete('e', { entityName: 'employee', conditions: new Filter<Employee>().and('surname', FilterConditions.equalTo('Zed')) }).execute(),
      ),
      'CONDITION_CHECK_FAILED',
    );
    expect(await ctx.run(() => kvs.entity('employee').get('e'))).toEqual({ surname: 'Adams' });
  });

  it('transact.check: the transaction commits only if the checked key meets its conditions', async () => {
    await ctx.run(() => kvs.entity<Employee>('employee').set('author', { surname: 'Scott', active: true }));
    const active = new Filter<Employee>().and('active', FilterConditions.equalTo(true));
    await ctx.run(() => kvs.transact().check('author', { entityName: 'employee', conditions: active }).set('post-1', 'published').execute());
    expect(await ctx.run(() => kvs.get('post-1'))).toBe('published');
    await ctx.run(() => kvs.entity<Employee>('employee').set('author', { surname: 'Scott', active: false }));
    await expectKvsError(
      ctx.run(() => kvs.transact().check('author', { entityName: 'employee', conditions: active }).set('post-2', 'published').execute()),
      'CONDITION_CHECK_FAILED',
      409,
    );
    expect(await ctx.run(() => kvs.get('post-2'))).toBeUndefined();
  });

  it('transact.check does not modify the checked entity', async () => {
    await ctx.run(() => kvs.entity<Employee>('employee').set('author', { surname: 'Scott' }));
    await ctx.run(() =>
      kvs.transact().check('author', { entityName: 'employee', conditions: new Filter<Employee>().and('surname', FilterConditions.exists()) }).execute(),
    );
    expect(await ctx.run(() => kvs.entity('employee').get('author'))).toEqual({ surname: 'Scott' });
  });

  it('conditions on a key that does not exist are evaluated against an empty entity (notExists holds, exists fails)', async () => {
    await ctx.run(() =>
      kvs.transact().set<Employee>('new', { surname: 'New' }, { entityName: 'employee', conditions: new Filter<Employee>().and('surname', FilterConditions.notExists()) }).execute(),
    );
    expect(await ctx.run(() => kvs.entity('employee').get('new'))).toEqual({ surname: 'New' });
    await expectKvsError(
      ctx.run(() =>
        kvs.transact().set<Employee>('new2', { surname: 'New' }, { entityName: 'employee', conditions: new Filter<Employee>().and('surname', FilterConditions.exists()) }).execute(),
      ),
      'CONDITION_CHECK_FAILED',
    );
  });

  it('transactions mix KVS keys and entity keys; the same key in both is not a duplicate', async () => {
    const r = await ctx.run(async () => {
      await kvs.transact().set('same', 'kvs').set('same', { surname: 'Entity' }, E).execute();
      return [await kvs.get('same'), await kvs.entity('employee').get('same')];
    });
    expect(r).toEqual(['kvs', { surname: 'Entity' }]);
  });
});
