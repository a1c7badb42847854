import { kvs, MetadataField } from '@forge/kvs';
import { expectKvsError, useKvsPlatform } from './helpers';

// storage-reference/kvs-api, storage-reference/kvs, limits-kvs-ce, handling-errors-kvs
describe('Key-Value Store: set, get, delete', () => {
  const ctx = useKvsPlatform();

  it('kvs.set stores every supported JSON type (array, boolean, number, object, string) and kvs.get returns it', async () => {
    const values: unknown[] = [['Hello', 'World'], true, 123, { hello: 'world' }, 'Hello world', 0, false, 1.5];
    const got = await ctx.run(async () => {
      const out: unknown[] = [];
      for (const [i, v] of values.entries()) {
        await kvs.set(`example-key-${i}`, v);
        out.push(await kvs.get(`example-key-${i}`));
      }
      return out;
    });
    expect(got).toEqual(values);
  });

  it('kvs.get returns undefined when the key does not exist', async () => {
    expect(await ctx.run(() => kvs.get('missing-key'))).toBeUndefined();
  });

  it('writes are last-write-wins by default: a second set replaces the value', async () => {
    const v = await ctx.run(async () => {
      await kvs.set('k', 'first');
      await kvs.set('k', 'second');
      return kvs.get('k');
    });
    expect(v).toBe('second');
  });

  it('kvs.delete removes the value', async () => {
    const v = await ctx.run(async () => {
      await kvs.set('k', { a: 1 });
      await kvs.delete('k');
      return kvs.get('k');
    });
    expect(v).toBeUndefined();
  });

  it('kvs.delete succeeds whether the key exists or not', async () => {
    await expect(ctx.run(() => kvs.delete('never-set'))).resolves.toBeUndefined();
  });

  it('the JavaScript API serialises with JSON.stringify: undefined members and functions are dropped', async () => {
    const v = await ctx.run(async () => {
      await kvs.set('k', { a: 1, b: undefined, c: () => 1 });
      return kvs.get('k');
    });
    expect(v).toEqual({ a: 1 });
  });

  it('get with metadataFields returns key, value, createdAt and updatedAt as Unix timestamps (ms)', async () => {
    const before = Date.now();
    const r = await ctx.run(async () => {
      await kvs.set('example-key', 'example-value');
      return kvs.get('example-key', { metadataFields: [MetadataField.CREATED_AT, MetadataField.UPDATED_AT] });
    });
    expect(r).toEqual({ key: 'example-key', value: 'example-value', createdAt: expect.any(Number), updatedAt: expect.any(Number) });
    expect(r?.createdAt).toBeGreaterThanOrEqual(before);
    expect(r?.createdAt).toBeLessThanOrEqual(Date.now());
  });

  it('overwriting keeps createdAt and moves updatedAt', async () => {
    const r = await ctx.run(async () => {
      await kvs.set('k', 1);
      const first = await kvs.get('k', { metadataFields: [MetadataField.CREATED_AT, MetadataField.UPDATED_AT] });
      ctx.advanceClock(5000);
      await kvs.set('k', 2);
      const second = await kvs.get('k', { metadataFields: [MetadataField.CREATED_AT, MetadataField.UPDATED_AT] });
      return { first, second };
    });
    expect(r.second?.createdAt).toBe(r.first?.createdAt);
    expect((r.second?.updatedAt ?? 0) - (r.first?.updatedAt ?? 0)).toBeGreaterThanOrEqual(5000);
  });

  it('only the requested metadata is returned (EXPIRE_TIME absent when not requested)', async () => {
    const r = await ctx.run(async () => {
      await kvs.set('k', 'v', { ttl: { unit: 'DAYS', value: 1 } });
      return kvs.get('k', { metadataFields: [MetadataField.CREATED_AT] });
    });
    expect(Object.keys(r ?? {}).sort()).toEqual(['createdAt', 'key', 'value']);
  });

  it('keyPolicy FAIL_IF_EXISTS: the write fails when the key already exists and the value is kept', async () => {
    await ctx.run(() => kvs.set('k', 'original'));
    await expectKvsError(ctx.run(() => kvs.set('k', 'other', { keyPolicy: 'FAIL_IF_EXISTS' })), 'KEY_ALREADY_EXISTS', 409);
    expect(await ctx.run(() => kvs.get('k'))).toBe('original');
  });

  it('keyPolicy FAIL_IF_EXISTS: the write succeeds when the key does not exist', async () => {
    const v = await ctx.run(async () => {
      await kvs.set('fresh', 'v', { keyPolicy: 'FAIL_IF_EXISTS' });
      return kvs.get('fresh');
    });
    expect(v).toBe('v');
  });

  it('keyPolicy OVERRIDE always writes (same as the default last-write-wins)', async () => {
    const v = await ctx.run(async () => {
      await kvs.set('k', 1);
      await kvs.set('k', 2, { keyPolicy: 'OVERRIDE' });
      return kvs.get('k');
    });
    expect(v).toBe(2);
  });

  it('returnValue LATEST returns the value just written, with the requested metadata', async () => {
    const r = await ctx.run(() =>
      kvs.set('k', { hello: 'world' }, { keyPolicy: 'OVERRIDE', returnValue: 'LATEST', returnMetadataFields: [MetadataField.CREATED_AT] }),
    );
    expect(r).toEqual({ key: 'k', value: { hello: 'world' }, createdAt: expect.any(Number) });
  });

  it('returnValue PREVIOUS returns the overwritten value', async () => {
    const r = await ctx.run(async () => {
      await kvs.set('k', 'old');
      return kvs.set('k', 'new', { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' });
    });
    expect(r).toEqual({ key: 'k', value: 'old' });
  });

  it('returnValue PREVIOUS returns undefined when no previous value exists', async () => {
    expect(await ctx.run(() => kvs.set('k', 'new', { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' }))).toBeUndefined();
  });

  it('null cannot be stored (any JSON data type except null)', async () => {
    await expectKvsError(ctx.run(() => kvs.set('k', null)), 'INVALID_VALUE', 400);
  });

  it('Forge namespaces keys per installation: the same key in the KVS and in a custom entity are distinct', async () => {
    const r = await ctx.run(async () => {
      await kvs.set('shared-key', 'kvs value');
      await kvs.entity('employee').set('shared-key', { surname: 'Davis' });
      return [await kvs.get('shared-key'), await kvs.entity('employee').get('shared-key')];
    });
    expect(r).toEqual(['kvs value', { surname: 'Davis' }]);
  });
});

describe('Key-Value Store: key and value limits', () => {
  const ctx = useKvsPlatform();

  it('KEY_TOO_SHORT: an empty key is rejected', async () => {
    await expectKvsError(ctx.run(() => kvs.set('', 'v')), 'KEY_TOO_SHORT', 400);
  });

  it('KEY_TOO_LONG: a key of 501 characters is rejected; 500 characters is accepted', async () => {
    await expectKvsError(ctx.run(() => kvs.set('a'.repeat(501), 'v')), 'KEY_TOO_LONG', 400);
    expect(await ctx.run(async () => {
      await kvs.set('a'.repeat(500), 'v');
      return kvs.get('a'.repeat(500));
    })).toBe('v');
  });

  it('INVALID_KEY: keys must match /^(?!\\s+$)[a-zA-Z0-9:._\\s-#]+$/', async () => {
    await expectKvsError(ctx.run(() => kvs.set('bad/key', 'v')), 'INVALID_KEY', 400);
    await expectKvsError(ctx.run(() => kvs.set('bad*key', 'v')), 'INVALID_KEY', 400);
    await expectKvsError(ctx.run(() => kvs.get('ключ')), 'INVALID_KEY', 400);
  });

  it('INVALID_KEY: a key of only blank spaces is rejected', async () => {
    await expectKvsError(ctx.run(() => kvs.set('   ', 'v')), 'INVALID_KEY', 400);
  });

  it('keys may use letters, digits and the characters : . _ - # and spaces', async () => {
    const key = 'survey-responses#1#a:b.c_d e';
    expect(await ctx.run(async () => {
      await kvs.set(key, 1);
      return kvs.get(key);
    })).toBe(1);
  });

  it('MAX_SIZE: a value over 240 KiB is rejected; one just under is stored', async () => {
    const limit = 240 * 1024;
    await expectKvsError(ctx.run(() => kvs.set('big', 'x'.repeat(limit))), 'MAX_SIZE', 400); // + 2 quotes
    const ok = 'x'.repeat(limit - 2);
    expect(await ctx.run(async () => {
      await kvs.set('big', ok);
      return ((await kvs.get<string>('big')) ?? '').length;
    })).toBe(ok.length);
  });

  it('MAX_DEPTH: objects deeper than 31 levels are rejected', async () => {
    const nest = (n: number): unknown => (n === 0 ? 1 : { a: nest(n - 1) });
    await expectKvsError(ctx.run(() => kvs.set('deep', nest(32))), 'MAX_DEPTH', 400);
    await expect(ctx.run(() => kvs.set('deep', nest(31)))).resolves.toBeUndefined();
  });
});
