import { kvs, MetadataField, WhereConditions } from '@forge/kvs';
import { expectKvsError, useKvsPlatform } from './helpers';

// storage-reference/kvs-api and entities-api: "Time-to-live (TTL)"
describe('Time-to-live', () => {
  const ctx = useKvsPlatform();
  const HOUR = 3_600_000;

  it('EXPIRE_TIME metadata is the write time plus the TTL, in ISO-8601', async () => {
    const r = await ctx.run(async () => {
      await kvs.set('k', 'v', { ttl: { unit: 'HOURS', value: 2 } });
      return kvs.get('k', { metadataFields: [MetadataField.EXPIRE_TIME, MetadataField.UPDATED_AT] });
    });
    expect(r?.expireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(r?.expireTime ?? '') - (r?.updatedAt ?? 0)).toBe(2 * HOUR);
  });

  it('each TTL unit (SECONDS, MINUTES, HOURS, DAYS) is honoured', async () => {
    const r = await ctx.run(async () => {
      const out: number[] = [];
      for (const unit of ['SECONDS', 'MINUTES', 'HOURS', 'DAYS'] as const) {
        await kvs.set(`k-${unit}`, 1, { ttl: { unit, value: 3 } });
        const g = await kvs.get(`k-${unit}`, { metadataFields: [MetadataField.EXPIRE_TIME, MetadataField.UPDATED_AT] });
        out.push(Date.parse(g?.expireTime ?? '') - (g?.updatedAt ?? 0));
      }
      return out;
    });
    expect(r).toEqual([3000, 180_000, 3 * HOUR, 72 * HOUR]);
  });

  it('an expired value is no longer returned by kvs.get', async () => {
    await ctx.run(() => kvs.set('k', 'v', { ttl: { unit: 'SECONDS', value: 30 } }));
    expect(await ctx.run(() => kvs.get('k'))).toBe('v');
    ctx.advanceClock(31_000);
    expect(await ctx.run(() => kvs.get('k'))).toBeUndefined();
  });

  it('an expired value is not returned by kvs.query', async () => {
    await ctx.run(async () => {
      await kvs.set('a.1', 1, { ttl: { unit: 'MINUTES', value: 1 } });
      await kvs.set('a.2', 2);
    });
    ctx.advanceClock(2 * 60_000);
    const r = await ctx.run(() => kvs.query().where('key', WhereConditions.beginsWith('a.')).getMany());
    expect(r.results.map((x) => x.key)).toEqual(['a.2']);
  });

  it('an expired entity is returned by neither entity().get nor entity().query', async () => {
    await ctx.run(async () => {
      await kvs.entity('employee').set('e1', { surname: 'Davis', age: 30 }, { ttl: { unit: 'DAYS', value: 1 } });
      await kvs.entity('employee').set('e2', { surname: 'Scott', age: 31 });
    });
    ctx.advanceClock(25 * HOUR);
    const r = await ctx.run(async () => ({
      get: await kvs.entity('employee').get('e1'),
      query: await kvs.entity('employee').query().index('by-age').getMany(),
    }));
    expect(r.get).toBeUndefined();
    expect(r.query.results.map((x) => x.key)).toEqual(['e2']);
  });

  it('a write without a TTL clears an earlier TTL', async () => {
    await ctx.run(async () => {
      await kvs.set('k', 1, { ttl: { unit: 'SECONDS', value: 10 } });
      await kvs.set('k', 2);
    });
    ctx.advanceClock(60_000);
    expect(await ctx.run(() => kvs.get('k'))).toBe(2);
  });

  it('an expired key counts as absent for keyPolicy FAIL_IF_EXISTS', async () => {
    await ctx.run(() => kvs.set('k', 'old', { ttl: { unit: 'SECONDS', value: 1 } }));
    ctx.advanceClock(2000);
    await expect(ctx.run(() => kvs.set('k', 'new', { keyPolicy: 'FAIL_IF_EXISTS' }))).resolves.toBeUndefined();
    expect(await ctx.run(() => kvs.get('k'))).toBe('new');
  });

  it('the maximum supported TTL is 1 year', async () => {
    await expectKvsError(ctx.run(() => kvs.set('k', 'v', { ttl: { unit: 'DAYS', value: 366 } })), 'INVALID_TTL', 400);
    await expect(ctx.run(() => kvs.set('k', 'v', { ttl: { unit: 'DAYS', value: 365 } }))).resolves.toBeUndefined();
  });
});
