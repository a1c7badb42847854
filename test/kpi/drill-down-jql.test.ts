import { RESOLVER_KEYS as K } from '../../src/contracts';
import { KPI_NAMES, kpiDrillKind, monthOf, type KpiName } from '../../src/domain';
import { ChromeJira } from '../../sandbox/host/jira';
import { createDemoPlatform, seedDemo, type DemoPlatform } from '../../sandbox/seed/demo';
import { PEOPLE } from '../../sandbox/seed/people';

type Drill = { kind: string; rows: { issueKey: string | null; inNumerator: boolean }[]; numerator: number | null; denominator: number | null; jql: { counted: string; numerator: string | null } | null };
type Kpis = { total: { name: KpiName; value: number | null }[] };

/**
 * On the seeded demo (made through the real resolvers, the issue property written as the app writes it), for
 * every KPI that counts releases: the drill-down lists as many releases as the number's denominator (and
 * numerator) and gives the same value; Jira's issue search over the indexed release facts, with the JQL the
 * drill-down hands out, finds exactly those issues.
 */
describe('KPI drill-down and its JQL over the indexed release facts', () => {
  let demo: DemoPlatform;
  let projectId: string;
  let jira: ChromeJira;
  const owner = PEOPLE.owner.accountId;
  let from: string;
  let to: string;
  const counts: Partial<Record<KpiName, number>> = {};

  beforeAll(async () => {
    demo = createDemoPlatform({ dbPath: ':memory:' });
    const summary = await seedDemo(demo, { months: 3 });
    await demo.events.open(demo.platform);
    projectId = String(demo.jira.state.project('PAY')?.id);
    jira = new ChromeJira(demo.platform.jira);
    from = summary.closedMonths[0] as string;
    to = summary.closedMonths.at(-1) as string;
  }, 120_000);
  afterAll(() => demo.platform.close());

  const call = async <T>(key: string, payload: Record<string, unknown>): Promise<T> => {
    const res = await demo.platform.invokeResolver<{ ok: boolean; data?: T; error?: unknown }>({ moduleKey: 'release-workbench', functionKey: key, payload, accountId: owner, extension: { project: { id: projectId } } });
    if (!res.value.ok) throw new Error(JSON.stringify(res.value.error));
    return res.value.data as T;
  };
  const search = async (jql: string): Promise<string[]> => {
    const found = await jira.search(owner, jql);
    if ('error' in found) throw new Error(found.error);
    return found.issues.map((i) => i.key).sort();
  };

  it.each(KPI_NAMES.filter((k) => kpiDrillKind(k) !== 'NOT_RELEASES').map((k) => [k]))('%s', async (kpi) => {
    const drill = await call<Drill>(K.getKpiDrillDown, { projectId, kpi, fromMonth: from, toMonth: to });
    const kpis = await call<Kpis>(K.getKpis, { projectId, fromMonth: from, toMonth: to, kpis: [kpi] });
    const value = kpis.total[0]?.value ?? null;
    if (drill.kind === 'COUNT_RATIO' || drill.kind === 'WEIGHTED_RATIO') {
      expect(drill.denominator ? (drill.numerator as number) / drill.denominator : null).toBeCloseTo(value as number, 12);
    }
    if (drill.kind === 'COUNT_RATIO') {
      expect(drill.rows).toHaveLength(drill.denominator as number);
      expect(drill.rows.filter((r) => r.inNumerator)).toHaveLength(drill.numerator as number);
    }
    if (drill.kind === 'SAMPLE') expect(drill.rows).toHaveLength(drill.denominator as number);
    const listed = drill.rows.map((r) => r.issueKey as string).sort();
    counts[kpi] = listed.length;
    expect(listed.every(Boolean)).toBe(true);
    expect(await search(drill.jql?.counted as string)).toEqual(listed);
    if (drill.jql?.numerator) expect(await search(drill.jql.numerator)).toEqual(drill.rows.filter((r) => r.inNumerator).map((r) => r.issueKey as string).sort());
  });

  it('was not vacuous: the demo has releases behind every release-based KPI', () => {
    for (const [kpi, n] of Object.entries(counts)) expect([kpi, n > 0]).toEqual([kpi, true]);
  });

  it('a KPI of audits or improvement actions has no JQL, and a month without releases finds none', async () => {
    const drill = await call<Drill>(K.getKpiDrillDown, { projectId, kpi: 'DSL_ACCURACY', fromMonth: from, toMonth: to });
    expect([drill.kind, drill.jql, drill.rows]).toEqual(['NOT_RELEASES', null, []]);
    expect((drill as Drill & { incompleteMonths: string[] }).incompleteMonths).toEqual([]);
    const empty = monthOf(Date.UTC(2001, 0, 1));
    const none = await call<Drill>(K.getKpiDrillDown, { projectId, kpi: 'RELEASE_SUCCESS_RATE', fromMonth: empty, toMonth: empty });
    expect([none.rows, none.numerator, none.denominator]).toEqual([[], 0, 0]);
    expect(await search(none.jql?.counted as string)).toEqual([]);
  });
});
