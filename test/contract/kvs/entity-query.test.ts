import { Filter, FilterConditions, kvs, MetadataField, Sort, WhereConditions } from '@forge/kvs';
import { expectKvsError, useKvsPlatform, type Employee } from './helpers';

// storage-reference/entities-api-query, entities-manifest (Indexes), entities (Cursors, Key ordering), limits-kvs-ce
const STAFF: Record<string, Employee> = {
  e01: { surname: 'Davis', age: 30, employmentyear: 2022, gender: 'male', nationality: 'Australian', active: true, rating: 4.5 },
  e02: { surname: 'Scott', age: 41, employmentyear: 2019, gender: 'female', nationality: 'Australian', active: true, rating: -1.25 },
  e03: { surname: 'Smith', age: 25, employmentyear: 2021, gender: 'female', nationality: 'Indian', active: false, rating: 0 },
  e04: { surname: 'Nguyen', age: 35, employmentyear: 2004, gender: 'male', nationality: 'Vietnamese', active: true, rating: 1000.5 },
  e05: { surname: 'Sato', age: 35, employmentyear: 2010, gender: 'female', nationality: 'Japanese', active: false, rating: -300 },
  e06: { surname: 'Brown', age: 52, employmentyear: 2001, gender: 'male', nationality: 'Australian', active: true, rating: 3 },
  e07: { surname: 'Schmidt', age: 20, employmentyear: 2024, gender: 'male', nationality: 'German' },
  e08: { surname: 'Silva', age: 33, employmentyear: 2020, gender: 'female', nationality: 'Australian' },
};

describe('Custom Entity Store: complex queries', () => {
  const ctx = useKvsPlatform();
  const employee = () => kvs.entity<Employee>('employee');
  const keys = (r: { results: { key: string }[] }) => r.results.map((x) => x.key);

  beforeEach(async () => {
    await ctx.run(() => kvs.batchSet(Object.entries(STAFF).map(([key, value]) => ({ key, value, entityName: 'employee' }))));
  });

  it('a simple index (declared as just the attribute) is queried by the attribute name, ordered by it', async () => {
    const r = await ctx.run(() => employee().query().index('surname').getMany());
    expect(r.results.map((x) => x.value.surname)).toEqual(['Brown', 'Davis', 'Nguyen', 'Sato', 'Schmidt', 'Scott', 'Silva', 'Smith']);
  });

  it('results carry key and the entity value', async () => {
    const r = await ctx.run(() => employee().query().index('surname').where(WhereConditions.equalTo('Davis')).getMany());
    expect(r.results).toEqual([{ key: 'e01', value: STAFF.e01 }]);
  });

  it('results are in ascending order by default', async () => {
    const r = await ctx.run(() => employee().query().index('by-age').getMany());
    expect(r.results.map((x) => x.value.age)).toEqual([20, 25, 30, 33, 35, 35, 41, 52]);
  });

  it('entries with equal range values are ordered by key', async () => {
    const asc = await ctx.run(() => employee().query().index('by-age').where(WhereConditions.equalTo(35)).getMany());
    const desc = await ctx.run(() => employee().query().index('by-age').where(WhereConditions.equalTo(35)).sort(Sort.DESC).getMany());
    expect(keys(asc)).toEqual(['e04', 'e05']);
    expect(keys(desc)).toEqual(['e05', 'e04']);
  });

  it('sort DESC returns results in descending order', async () => {
    const r = await ctx.run(() => employee().query().index('by-age').where(WhereConditions.greaterThan(30)).sort(Sort.DESC).getMany());
    expect(r.results.map((x) => x.value.age)).toEqual([52, 41, 35, 35, 33]);
  });

  it.each([
    ['equalTo(35)', WhereConditions.equalTo(35), [35, 35]],
    ['greaterThan(35)', WhereConditions.greaterThan(35), [41, 52]],
    ['greaterThanEqualTo(35)', WhereConditions.greaterThanEqualTo(35), [35, 35, 41, 52]],
    ['lessThan(30)', WhereConditions.lessThan(30), [20, 25]],
    ['lessThanEqualTo(30)', WhereConditions.lessThanEqualTo(30), [20, 25, 30]],
    ['between(25, 35) (inclusive)', WhereConditions.between(25, 35), [25, 30, 33, 35, 35]],
  ])('where %s filters on the index range', async (_name, condition, ages) => {
    const r = await ctx.run(() => employee().query().index('by-age').where(condition).getMany());
    expect(r.results.map((x) => x.value.age)).toEqual(ages);
  });

  it('where beginsWith filters string ranges by prefix', async () => {
    const r = await ctx.run(() => employee().query().index('surname').where(WhereConditions.beginsWith('S')).getMany());
    expect(r.results.map((x) => x.value.surname)).toEqual(['Sato', 'Schmidt', 'Scott', 'Silva', 'Smith']);
  });

  it('string ranges support greaterThan / between too (string, integer, float)', async () => {
    const r = await ctx.run(() => employee().query().index('surname').where(WhereConditions.between('D', 'Sc')).getMany());
    expect(r.results.map((x) => x.value.surname)).toEqual(['Davis', 'Nguyen', 'Sato']);
  });

  it('float ranges order negative, zero and positive values numerically', async () => {
    const r = await ctx.run(() => employee().query().index('by-rating').getMany());
    expect(r.results.map((x) => x.value.rating)).toEqual([-300, -1.25, 0, 3, 4.5, 1000.5]);
  });

  it('boolean ranges support equalTo', async () => {
    const r = await ctx.run(() => employee().query().index('by-active').where(WhereConditions.equalTo(false)).getMany());
    expect(keys(r)).toEqual(['e03', 'e05']);
  });

  it('an entity without the indexed attribute is not in that index', async () => {
    const r = await ctx.run(() => employee().query().index('by-rating').limit(100).getMany());
    expect(keys(r)).not.toContain('e07');
    expect(r.results).toHaveLength(6);
  });

  it('a partition limits matches to the given partition value', async () => {
    const r = await ctx.run(() => employee().query().index('by-age-per-gender', { partition: ['female'] }).getMany());
    expect(r.results.map((x) => [x.value.gender, x.value.age])).toEqual([['female', 25], ['female', 33], ['female', 35], ['female', 41]]);
  });

  it('a partition combines with where on the range', async () => {
    const r = await ctx.run(() =>
      employee().query().index('by-age-per-gender', { partition: ['male'] }).where(WhereConditions.greaterThan(30)).getMany(),
    );
    expect(keys(r)).toEqual(['e04', 'e06']);
  });

  it('a multi-attribute partition takes one value per attribute, in declared order', async () => {
    const r = await ctx.run(() =>
      employee().query().index('by-gender-and-age', { partition: ['male', 35] }).where(WhereConditions.greaterThan(2003)).getMany(),
    );
    expect(keys(r)).toEqual(['e04']);
  });

  it('querying a partitioned index without its partition values is rejected', async () => {
    await expectKvsError(ctx.run(() => employee().query().index('by-age-per-gender').getMany()), 'INVALID_PARTITION', 400);
    await expectKvsError(
      ctx.run(() => employee().query().index('by-gender-and-age', { partition: ['male'] }).getMany()),
      'INVALID_PARTITION',
      400,
    );
  });

  it('the automatic key index `by-key` filters by key without declaring it', async () => {
    const r = await ctx.run(() => employee().query().index('by-key').where(WhereConditions.beginsWith('e0')).sort(Sort.DESC).limit(3).getMany());
    expect(keys(r)).toEqual(['e08', 'e07', 'e06']);
  });

  it('INVALID_ENTITY_INDEX: querying an index the entity does not declare is rejected', async () => {
    await expectKvsError(ctx.run(() => employee().query().index('by-salary').getMany()), 'INVALID_ENTITY_INDEX', 400);
  });

  it('queries on an entity not declared in manifest.yml are rejected', async () => {
    await expectKvsError(ctx.run(() => kvs.entity('ghost').query().index('by-key').getMany()), 'INVALID_ENTITY_TYPE', 400);
  });

  it('every complex query returns up to 10 values by default', async () => {
    await ctx.run(() =>
      kvs.batchSet(Array.from({ length: 15 }, (_, i) => ({ key: `x${i}`, value: { age: 60 + i }, entityName: 'employee' }))),
    );
    const r = await ctx.run(() => employee().query().index('by-age').getMany());
    expect(r.results).toHaveLength(10);
    expect(r.nextCursor).toEqual(expect.any(String));
  });

  it('COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE: the page limit must be between 1 and 100', async () => {
    await expectKvsError(ctx.run(() => employee().query().index('by-age').limit(101).getMany()), 'COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE', 400);
    await expectKvsError(ctx.run(() => employee().query().index('by-age').limit(0).getMany()), 'COMPLEX_QUERY_PAGE_LIMIT_NOT_IN_RANGE', 400);
    const r = await ctx.run(() => employee().query().index('by-age').limit(100).getMany());
    expect(r.results).toHaveLength(8);
  });

  it('cursors page through an index without gaps or repeats, and the last page has no cursor', async () => {
    const seen = await ctx.run(async () => {
      const out: string[][] = [];
      let cursor: string | undefined;
      do {
        let q = employee().query().index('by-age').limit(3);
        if (cursor) q = q.cursor(cursor);
        const page = await q.getMany();
        out.push(keys(page));
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    });
    expect(seen).toEqual([['e07', 'e03', 'e01'], ['e08', 'e04', 'e05'], ['e02', 'e06']]);
  });

  it('cursors page in descending order too, within the where condition', async () => {
    const r = await ctx.run(async () => {
      const q = () => employee().query().index('by-age').where(WhereConditions.lessThanEqualTo(35)).sort(Sort.DESC).limit(2);
      const p1 = await q().getMany();
      const p2 = await q().cursor(p1.nextCursor ?? '').getMany();
      const p3 = await q().cursor(p2.nextCursor ?? '').getMany();
      return [keys(p1), keys(p2), keys(p3), p3.nextCursor];
    });
    expect(r).toEqual([['e05', 'e04'], ['e08', 'e01'], ['e03', 'e07'], undefined]);
  });

  it('getOne returns the first match, or undefined', async () => {
    const r = await ctx.run(async () => ({
      one: await employee().query().index('by-age').sort(Sort.DESC).getOne(),
      none: await employee().query().index('by-age').where(WhereConditions.greaterThan(99)).getOne(),
    }));
    expect(r.one?.key).toBe('e06');
    expect(r.none).toBeUndefined();
  });

  it('filters with and: all conditions must match (the documented partition + where + filters example)', async () => {
    const r = await ctx.run(() =>
      employee()
        .query()
        .index('by-age-per-gender', { partition: ['female'] })
        .where(WhereConditions.greaterThan(30))
        .filters(new Filter<Employee>().and('employmentyear', FilterConditions.greaterThan(2018)).and('nationality', FilterConditions.equalTo('Australian')))
        .getMany(),
    );
    expect(keys(r)).toEqual(['e08', 'e02']);
  });

  it('filters with or: any condition may match', async () => {
    const r = await ctx.run(() =>
      employee()
        .query()
        .index('by-age')
        .filters(new Filter<Employee>().or('nationality', FilterConditions.equalTo('German')).or('surname', FilterConditions.beginsWith('Ng')))
        .getMany(),
    );
    expect(keys(r)).toEqual(['e07', 'e04']);
  });

  it.each([
    ['contains', FilterConditions.contains('tral'), ['e01', 'e08', 'e02', 'e06']],
    ['notContains', FilterConditions.notContains('Austral'), ['e07', 'e03', 'e04', 'e05']],
    ['notEqualTo', FilterConditions.notEqualTo('Australian'), ['e07', 'e03', 'e04', 'e05']],
    ['exists', FilterConditions.exists(), ['e07', 'e03', 'e01', 'e08', 'e04', 'e05', 'e02', 'e06']],
  ])('filter condition %s on a string attribute', async (_name, condition, expected) => {
    const r = await ctx.run(() => employee().query().index('by-age').filters(new Filter<Employee>().and('nationality', condition)).getMany());
    expect(keys(r)).toEqual(expected);
  });

  it('filter conditions exists / notExists test whether an attribute is present', async () => {
    const r = await ctx.run(() => employee().query().index('by-age').filters(new Filter<Employee>().and('rating', FilterConditions.notExists())).getMany());
    expect(keys(r)).toEqual(['e07', 'e08']);
  });

  it('filter between / lessThanEqualTo on numbers', async () => {
    const r = await ctx.run(() =>
      employee()
        .query()
        .index('surname')
        .filters(new Filter<Employee>().and('employmentyear', FilterConditions.between(2010, 2021)).and('age', FilterConditions.lessThanEqualTo(35)))
        .getMany(),
    );
    expect(r.results.map((x) => x.value.surname)).toEqual(['Sato', 'Silva', 'Smith']);
  });

  it('filters are in-memory, applied after the index read: a page can be empty and still carry a cursor', async () => {
    const r = await ctx.run(async () => {
      const q = () => employee().query().index('by-age').limit(2).filters(new Filter<Employee>().and('surname', FilterConditions.equalTo('Brown')));
      const pages: string[][] = [];
      let cursor: string | undefined;
      let first: { results: unknown[]; nextCursor?: string } | undefined;
      do {
        const page = await (cursor ? q().cursor(cursor) : q()).getMany();
        first ??= page;
        pages.push(keys(page));
        cursor = page.nextCursor;
      } while (cursor);
      return { first, pages };
    });
    expect(r.first?.results).toEqual([]);
    expect(r.first?.nextCursor).toEqual(expect.any(String));
    expect(r.pages.flat()).toEqual(['e06']);
  });

  it('where and filters on `any` attributes are not supported (422 Unprocessable Entity)', async () => {
    await expectKvsError(
      ctx.run(() => employee().query().index('by-age').filters(new Filter<Employee>().and('profile', FilterConditions.exists())).getMany()),
      'UNSUPPORTED_ATTRIBUTE_TYPE',
      422,
    );
  });

  it('INVALID_FILTER_CONDITION: a condition must support the attribute type (beginsWith on an integer range)', async () => {
    await expectKvsError(ctx.run(() => employee().query().index('by-age').where(WhereConditions.beginsWith('3')).getMany()), 'INVALID_FILTER_CONDITION', 400);
    await expectKvsError(
      ctx.run(() => employee().query().index('by-age').filters(new Filter<Employee>().and('age', FilterConditions.contains('3'))).getMany()),
      'INVALID_FILTER_CONDITION',
      400,
    );
  });

  it('INVALID_FILTER_VALUES: condition values must match the attribute type', async () => {
    await expectKvsError(ctx.run(() => employee().query().index('by-age').where(WhereConditions.equalTo('thirty')).getMany()), 'INVALID_FILTER_VALUES', 400);
  });

  it('a query can have at most 100 conditions (where and filters together)', async () => {
    const tooMany = () => {
      const f = new Filter<Employee>().or('age', FilterConditions.equalTo(0));
      for (let i = 1; i < 100; i++) f.or('age', FilterConditions.equalTo(i));
      return f;
    };
    await expectKvsError(
      ctx.run(() => employee().query().index('by-age').where(WhereConditions.greaterThan(0)).filters(tooMany()).getMany()),
      'TOO_MANY_CONDITIONS',
      400,
    );
    const r = await ctx.run(() => employee().query().index('by-age').filters(tooMany()).limit(100).getMany());
    expect(r.results).toHaveLength(8);
  });

  it('metadataFields adds the requested metadata to each result', async () => {
    const r = await ctx.run(() =>
      employee().query({ metadataFields: [MetadataField.UPDATED_AT] }).index('by-age').where(WhereConditions.equalTo(30)).getMany(),
    );
    expect(r.results).toEqual([{ key: 'e01', value: STAFF.e01, updatedAt: expect.any(Number) }]);
  });

  it('overwriting an entity moves it in its indexes (no stale index entries)', async () => {
    const r = await ctx.run(async () => {
      await employee().set('e01', { ...STAFF.e01, age: 99 });
      return {
        old: await employee().query().index('by-age').where(WhereConditions.equalTo(30)).getMany(),
        moved: await employee().query().index('by-age').where(WhereConditions.equalTo(99)).getMany(),
        partition: await employee().query().index('by-age-per-gender', { partition: ['male'] }).where(WhereConditions.equalTo(30)).getMany(),
      };
    });
    expect(r.old.results).toEqual([]);
    expect(keys(r.moved)).toEqual(['e01']);
    expect(r.partition.results).toEqual([]);
  });

  it('removing an attribute removes the entity from the indexes on it', async () => {
    const r = await ctx.run(async () => {
      await employee().set('e01', { surname: 'Davis' });
      return employee().query().index('by-age').limit(100).getMany();
    });
    expect(keys(r)).not.toContain('e01');
  });

  it('deleting an entity removes it from every index', async () => {
    const r = await ctx.run(async () => {
      await employee().delete('e06');
      return [
        await employee().query().index('surname').where(WhereConditions.equalTo('Brown')).getMany(),
        await employee().query().index('by-age').where(WhereConditions.equalTo(52)).getMany(),
        await employee().query().index('by-key').where(WhereConditions.equalTo('e06')).getMany(),
      ];
    });
    expect(r.map((x) => x.results)).toEqual([[], [], []]);
  });
});
