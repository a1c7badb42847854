import { startWorld, P, type World } from '../support/release-world';

/** Display names for the ids a screen shows: one bulk Jira request the first time, none while cached. */
describe('people/names', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  it('names the people a screen shows, then serves them from the cache', async () => {
    const first = await w.onProject<Record<string, string>>('lead', 'people/names', { accountIds: [P.manager, P.implementer, P.manager] });
    expect(first.value).toEqual({ ok: true, data: { [P.manager]: 'manager', [P.implementer]: 'implementer' } });
    expect(first.counters.jiraRequests).toBe(2); // the browse check and one bulk lookup
    const again = await w.onProject<Record<string, string>>('lead', 'people/names', { accountIds: [P.manager, P.implementer] });
    expect(again.value).toEqual(first.value);
    expect(again.counters.jiraRequests).toBe(1); // the browse check only
    expect(again.counters.storageOps).toBe(1);
  });

  it('refuses someone who cannot browse the project, and bad payloads', async () => {
    const outsider = await w.onProject('outsider', 'people/names', { accountIds: [P.manager] });
    expect(outsider.value).toMatchObject({ ok: false, error: { code: 'CANNOT_BROWSE' } });
    const tooMany = await w.onProject('lead', 'people/names', { accountIds: Array.from({ length: 51 }, (_, i) => `acc-${i}`) });
    expect(tooMany.value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'accountIds' } });
    const unknownKey = await w.onProject('lead', 'people/names', { accountIds: [P.manager], extra: 1 });
    expect(unknownKey.value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});
