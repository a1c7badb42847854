import { kvs, MetadataField } from '@forge/kvs';
import { expectKvsError, useKvsPlatform, type Employee } from './helpers';

// storage-reference/entities-api, entities (Type requirements), entities-manifest, handling-errors-customentities
describe('Custom Entity Store: entity().set / get / delete', () => {
  const ctx = useKvsPlatform();
  const employee = () => kvs.entity<Employee>('employee');
  const davis: Employee = { surname: 'Davis', age: 30, employmentyear: 2022, gender: 'male', nationality: 'Australian' };

  it('entity().set stores the attributes and entity().get returns them', async () => {
    const v = await ctx.run(async () => {
      await employee().set('example-key', davis);
      return employee().get('example-key');
    });
    expect(v).toEqual(davis);
  });

  it('entity().get returns undefined when the key does not exist', async () => {
    expect(await ctx.run(() => employee().get('nobody'))).toBeUndefined();
  });

  it('entity().get with metadataFields returns key, value and the requested metadata', async () => {
    const r = await ctx.run(async () => {
      await employee().set('example-key', davis, { ttl: { unit: 'DAYS', value: 7 } });
      return employee().get('example-key', {
        metadataFields: [MetadataField.CREATED_AT, MetadataField.UPDATED_AT, MetadataField.EXPIRE_TIME],
      });
    });
    expect(r).toEqual({ key: 'example-key', value: davis, createdAt: expect.any(Number), updatedAt: expect.any(Number), expireTime: expect.any(String) });
  });

  it('entity().delete removes the entity, and succeeds whether the key exists or not', async () => {
    const v = await ctx.run(async () => {
      await employee().set('k', davis);
      await employee().delete('k');
      await employee().delete('never-existed');
      return employee().get('k');
    });
    expect(v).toBeUndefined();
  });

  it('attributes are optional: an entity may hold a subset of its declared attributes', async () => {
    const v = await ctx.run(async () => {
      await employee().set('k', { surname: 'Solo' });
      return employee().get('k');
    });
    expect(v).toEqual({ surname: 'Solo' });
  });

  it('keyPolicy FAIL_IF_EXISTS applies to entity().set', async () => {
    await ctx.run(() => employee().set('k', davis));
    await expectKvsError(ctx.run(() => employee().set('k', { surname: 'Other' }, { keyPolicy: 'FAIL_IF_EXISTS' })), 'KEY_ALREADY_EXISTS', 409);
    expect(await ctx.run(() => employee().get('k'))).toEqual(davis);
  });

  it('returnValue PREVIOUS / LATEST apply to entity().set', async () => {
    const r = await ctx.run(async () => {
      await employee().set('k', { surname: 'Old' });
      const previous = await employee().set('k', { surname: 'New' }, { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' });
      const latest = await employee().set('k', { surname: 'Newer' }, { keyPolicy: 'OVERRIDE', returnValue: 'LATEST' });
      return { previous, latest };
    });
    expect(r.previous).toEqual({ key: 'k', value: { surname: 'Old' } });
    expect(r.latest).toEqual({ key: 'k', value: { surname: 'Newer' } });
  });

  it('INVALID_ENTITY_VALUE: attribute types are strictly enforced (string into an integer attribute)', async () => {
    await expectKvsError(ctx.run(() => kvs.entity('employee').set('k', { age: '30' })), 'INVALID_ENTITY_VALUE', 400);
  });

  it('integer attributes must be 32-bit signed integers (-2,147,483,648 to 2,147,483,647)', async () => {
    await expect(ctx.run(() => employee().set('k', { age: 2147483647 }))).resolves.toBeUndefined();
    await expect(ctx.run(() => employee().set('k', { age: -2147483648 }))).resolves.toBeUndefined();
    await expectKvsError(ctx.run(() => employee().set('k', { age: 2147483648 })), 'INVALID_ENTITY_VALUE', 400);
    await expectKvsError(ctx.run(() => employee().set('k', { age: 30.5 })), 'INVALID_ENTITY_VALUE', 400);
  });

  it('float attributes must be 0 or within 1E-130 .. 9.99E+125 in magnitude', async () => {
    await expect(ctx.run(() => employee().set('k', { rating: 0 }))).resolves.toBeUndefined();
    await expect(ctx.run(() => employee().set('k', { rating: -4.25 }))).resolves.toBeUndefined();
    await expectKvsError(ctx.run(() => employee().set('k', { rating: 1e-131 })), 'INVALID_ENTITY_VALUE', 400);
    await expectKvsError(ctx.run(() => employee().set('k', { rating: 1e127 })), 'INVALID_ENTITY_VALUE', 400);
  });

  it('string attributes must not be empty and must contain a non-whitespace character', async () => {
    await expectKvsError(ctx.run(() => employee().set('k', { surname: '' })), 'INVALID_ENTITY_VALUE', 400);
    await expectKvsError(ctx.run(() => employee().set('k', { surname: '   ' })), 'INVALID_ENTITY_VALUE', 400);
  });

  it('boolean attributes can only be true or false', async () => {
    await expect(ctx.run(() => employee().set('k', { active: false }))).resolves.toBeUndefined();
    await expectKvsError(ctx.run(() => kvs.entity('employee').set('k', { active: 'yes' })), 'INVALID_ENTITY_VALUE', 400);
  });

  it('any attributes accept strings, numbers, booleans, objects and arrays', async () => {
    const values = ['s', 1, 1.5, true, { nested: [1, { deep: 'x' }] }, [1, 2]];
    const got = await ctx.run(async () => {
      const out: unknown[] = [];
      for (const profile of values) {
        await employee().set('k', { profile });
        out.push((await employee().get('k'))?.profile);
      }
      return out;
    });
    expect(got).toEqual(values);
  });

  it('entity values must be objects of attributes', async () => {
    await expectKvsError(ctx.run(() => kvs.entity('employee').set('k', 'just a string')), 'INVALID_ENTITY_VALUE', 400);
  });

  it('attributes not declared for the entity in manifest.yml are rejected', async () => {
    await expectKvsError(ctx.run(() => kvs.entity('employee').set('k', { salary: 1 })), 'INVALID_ENTITY_ATTRIBUTE', 400);
  });

  it('an entity not declared in manifest.yml is rejected', async () => {
    await expectKvsError(ctx.run(() => kvs.entity('undeclared-entity').set('k', { a: 1 })), 'INVALID_ENTITY_TYPE', 400);
  });

  it('ENTITY_TYPE_TOO_SHORT / ENTITY_TYPE_TOO_LARGE: entity names are 3 to 60 characters', async () => {
    await expectKvsError(ctx.run(() => kvs.entity('ab').get('k')), 'ENTITY_TYPE_TOO_SHORT', 400);
    await expectKvsError(ctx.run(() => kvs.entity('a'.repeat(61)).get('k')), 'ENTITY_TYPE_TOO_LARGE', 400);
  });

  it('INVALID_ENTITY_TYPE: entity names use a-z0-9:-_. , do not start with - or _ nor end with .', async () => {
    await expectKvsError(ctx.run(() => kvs.entity('Employee').get('k')), 'INVALID_ENTITY_TYPE', 400);
    await expectKvsError(ctx.run(() => kvs.entity('-employee').get('k')), 'INVALID_ENTITY_TYPE', 400);
    await expectKvsError(ctx.run(() => kvs.entity('employee.').get('k')), 'INVALID_ENTITY_TYPE', 400);
    await expectKvsError(ctx.run(() => kvs.entity('emp..loyee').get('k')), 'INVALID_ENTITY_TYPE', 400);
  });

  it('EMPTY_KEY / KEY_TOO_LONG / INVALID_KEY: entity keys follow the key rules', async () => {
    await expectKvsError(ctx.run(() => employee().set('', davis)), 'EMPTY_KEY', 400);
    await expectKvsError(ctx.run(() => employee().set('k'.repeat(501), davis)), 'KEY_TOO_LONG', 400);
    await expectKvsError(ctx.run(() => employee().set('a/b', davis)), 'INVALID_KEY', 400);
    await expectKvsError(ctx.run(() => employee().set('  ', davis)), 'INVALID_KEY', 400);
  });

  it('objects stored as entities have a maximum size of 240 KiB', async () => {
    await expectKvsError(ctx.run(() => employee().set('k', { profile: 'x'.repeat(240 * 1024) })), 'MAX_SIZE', 400);
  });

  it('objects stored as entities have a maximum depth of 31', async () => {
    const nest = (n: number): unknown => (n === 0 ? 1 : { a: nest(n - 1) });
    await expectKvsError(ctx.run(() => employee().set('k', { profile: nest(31) })), 'MAX_DEPTH', 400);
  });

  it('the combined range values of an index cannot exceed 900 bytes', async () => {
    await expectKvsError(ctx.run(() => employee().set('k', { surname: 's'.repeat(901) })), 'INVALID_ENTITY_VALUE', 400);
    await expect(ctx.run(() => employee().set('k', { surname: 's'.repeat(900) }))).resolves.toBeUndefined();
  });

  it('the combined partition values of an index cannot exceed 1700 bytes', async () => {
    await expectKvsError(ctx.run(() => employee().set('k', { gender: 'g'.repeat(1701), age: 1 })), 'INVALID_ENTITY_VALUE', 400);
  });
});
