import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESOLVER_KEYS as K } from '../../src/contracts';
import {
  applyClosedRelease,
  DEFAULT_POLICY,
  emptyKpiMonth,
  kpiReadings,
  mergeKpiMonths,
  monthBounds,
  monthOf,
  periodDays,
  reconcileKpiMonth,
  releaseKpiFacts,
  type FallbackPlan,
  type KpiMonthAggregate,
  type KpiReading,
  type Release,
  type ReleaseContext,
  type DslItemSummary,
  type ReleaseKpiFacts,
  type Team,
  type TrainingTask,
} from '../../src/domain';
import { closedReleases, fallbackRef, getMany, putFallback, putKpiMonth, putRelease, putSetup, putTeam, putTraining, teamRef, trainingOfRelease } from '../../src/storage/records';
import { Changes } from '../../src/storage/store';
import { createPlatform, type Platform } from '../../sandbox/index';
import { jiraEmulatorOf, jiraFactory } from '../../sandbox/jira';

/**
 * `npm run bench -- kpi`: a store seeded with 1k, 10k and 100k closed releases over five years in twenty
 * projects, written through the storage layer (the same records and the same month aggregates the app
 * maintains as releases close), then at each size, side by side: what the gadget's resolver (`kpi/get`, one
 * project, twelve months) costs in storage operations and time, and what recomputing the same numbers from
 * the records costs (every closed release of those months with its team, fallback plan and training — what
 * the daily reconciliation reads). The recomputed readings are checked equal to the gadget's.
 */
const PROJECTS = 20;
const YEARS = 5;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const OWNER = 'bench-owner';
const RUNS = 9;

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Generated {
  release: Release;
  dslItems: DslItemSummary[];
  team: Team;
  fallback: FallbackPlan;
  training: TrainingTask;
}

function generate(i: number, projectIds: readonly string[], now: number, r: () => number): Generated {
  const projectId = projectIds[i % projectIds.length] as string;
  const id = String(1_000_000 + i);
  const closedAt = now - DAY - Math.floor(r() * YEARS * 365 * DAY);
  const roll = r();
  const outcome = roll < 0.8 ? 'SUCCESS' : roll < 0.92 ? 'ROLLED_BACK' : 'FAILED';
  const submitted = closedAt - (10 + Math.floor(r() * 20)) * DAY;
  const approved = submitted + (1 + Math.floor(r() * 4)) * DAY;
  const implementing = closedAt - (outcome === 'SUCCESS' ? 6 : 3) * HOUR;
  const windowStart = implementing - HOUR;
  const windowEnd = implementing + (r() < 0.85 ? 8 : 1) * HOUR;
  const deployedAt = implementing + 2 * HOUR;
  const lead = `lead-${i % 7}`;
  const impl = `impl-${i % 11}`;
  const release: Release = {
    id,
    issueKey: `P${i % projectIds.length}-${i}`,
    projectId,
    status: 'CLOSED',
    classification: r() < 0.08 ? 'EMERGENCY' : r() < 0.5 ? 'STANDARD' : 'MINOR',
    riskLevel: 'MEDIUM',
    riskAnalysis: 'bench',
    linkedChangeKey: null,
    windowStart,
    windowEnd,
    leadAccountId: lead,
    requesterAccountId: 'requester',
    plan: { scope: 'scope', schedule: 'schedule', plannedEffortHours: 10 + Math.floor(r() * 30) },
    actualEffortHours: 10 + Math.floor(r() * 40),
    departmentOpinions: [],
    tests: { integration: { passed: true, recordedBy: impl, recordedAt: approved + DAY }, uat: { passed: true, recordedBy: 'business', recordedAt: approved + 2 * DAY } },
    cutover: null,
    operationalAcceptance: outcome === 'SUCCESS' ? { accepted: true, resultConfirmed: true, confirmedBy: 'ops', confirmedAt: closedAt } : null,
    deployment: outcome === 'SUCCESS' ? { succeeded: true, recordedBy: impl, finishedAt: deployedAt } : null,
    progressReports: [],
    outcome,
    statusEnteredAt: {
      SUBMITTED: submitted,
      PLANNING: approved,
      BUILD_TEST: approved + DAY,
      READY: implementing - DAY,
      IMPLEMENTING: implementing,
      ...(outcome === 'SUCCESS' ? { VERIFYING: deployedAt } : { ROLLING_BACK: implementing + HOUR }),
      CLOSED: closedAt,
    },
    emergencyOverride: null,
    freezeException: null,
    rejectionReason: null,
    cancelReason: null,
    createdAt: submitted,
    version: 0,
  };
  const team: Team = {
    releaseId: id,
    formedAt: approved,
    dissolvedAt: closedAt,
    members: [
      { accountId: lead, teamRole: 'LEAD', joinedAt: approved, leftAt: closedAt },
      { accountId: impl, teamRole: 'IMPLEMENTER', joinedAt: approved, leftAt: closedAt },
    ],
  };
  const fallback: FallbackPlan = {
    releaseId: id,
    triggerCriteria: 'error rate above 2 %',
    steps: [{ action: 'restore the previous build', ownerAccountId: impl, expectedMinutes: 30 }],
    restoreDslItemId: null,
    dataBackupRef: null,
    rehearsals: [{ at: approved + 2 * DAY, environment: 'staging', result: 'PASSED', recordedBy: lead }],
    execution:
      outcome === 'SUCCESS'
        ? null
        : { decidedBy: lead, reason: 'smoke tests failed', startedAt: implementing + HOUR, executedBy: impl, endedAt: implementing + HOUR + Math.floor(20 + r() * 100) * 60_000, result: outcome === 'ROLLED_BACK' ? 'SUCCEEDED' : 'FAILED' },
  };
  const due = approved + 3 * DAY;
  const training: TrainingTask = {
    id: `t-${id}`,
    releaseId: id,
    audience: 'HELP_DESK',
    trainerAccountId: 'trainer',
    dueAt: due,
    deliveredAt: r() < 0.85 ? due - HOUR : due + DAY,
    assessed: 10,
    passed: 8 + Math.floor(r() * 3),
    feedback: [],
  };
  const dslItems: DslItemSummary[] = r() < 0.9 ? [{ id: `dsl-${i % 50}`, status: 'IN_LIBRARY', checkedInAt: approved + DAY, productionUpdatedAt: deployedAt + (r() < 0.9 ? HOUR : 10 * DAY) }] : [];
  return { release, dslItems, team, fallback, training };
}

const ctxOf = (g: Generated): ReleaseContext => ({ release: g.release, team: g.team, fallbackPlan: g.fallback, trainingTasks: [g.training], dslItems: g.dslItems });

/** Writes releases [from, to) through the storage layer, 6 releases (24 records) per transaction, and counts them into `aggs`. */
async function seed(platform: Platform, projectIds: string[], from: number, to: number, now: number, aggs: Map<string, { agg: KpiMonthAggregate; version: number | null; dirty: boolean }>): Promise<void> {
  const r = rng(from + 1);
  const BATCH = 6;
  const PER_INVOCATION = 1_500;
  for (let start = from; start < to; start += PER_INVOCATION) {
    await platform.run(async () => {
      const end = Math.min(to, start + PER_INVOCATION);
      for (let b = start; b < end; b += BATCH) {
        const changes = new Changes();
        for (let i = b; i < Math.min(end, b + BATCH); i++) {
          const g = generate(i, projectIds, now, r);
          putRelease(changes, { release: g.release, dslItems: g.dslItems }, null, g.release.createdAt);
          putTeam(changes, g.release.projectId, g.team, null);
          putFallback(changes, g.release.projectId, g.fallback, null, g.release.createdAt);
          putTraining(changes, g.release.projectId, g.training, null);
          const facts = releaseKpiFacts(ctxOf(g), DEFAULT_POLICY) as ReleaseKpiFacts;
          const key = `${facts.projectId}/${facts.month}`;
          const cur = aggs.get(key) ?? { agg: emptyKpiMonth(facts.projectId, facts.month), version: null, dirty: false };
          aggs.set(key, { ...cur, agg: applyClosedRelease(cur.agg, facts), dirty: true });
        }
        await changes.commit();
      }
    });
  }
  // The month aggregates, as the closing transitions left them (the app writes each in the close's transaction).
  const dirty = [...aggs.entries()].filter(([, v]) => v.dirty);
  for (let i = 0; i < dirty.length; i += 500) {
    await platform.run(async () => {
      for (const [key, v] of dirty.slice(i, i + 500)) {
        const changes = new Changes();
        const version = putKpiMonthVersion(changes, v.agg, v.version);
        await changes.commit();
        aggs.set(key, { agg: v.agg, version, dirty: false });
      }
    });
  }
}

function putKpiMonthVersion(changes: Changes, agg: KpiMonthAggregate, version: number | null): number {
  putKpiMonth(changes, agg, version);
  return (version ?? 0) + 1;
}

const months12 = (now: number): { fromMonth: string; toMonth: string; months: string[] } => {
  const toMonth = monthOf(now);
  const months = [toMonth];
  while (months.length < 12) months.unshift(monthOf(monthBounds(months[0] as string).start - 1));
  return { fromMonth: months[0] as string, toMonth, months };
};

/** The same twelve months' readings, from the records: what the gadget would cost without the aggregates. */
async function recompute(projectId: string, now: number): Promise<KpiReading[]> {
  const { fromMonth, toMonth, months } = months12(now);
  const facts: ReleaseKpiFacts[] = [];
  let cursor: string | undefined;
  do {
    const page = await closedReleases(projectId, monthBounds(fromMonth).start, monthBounds(toMonth).end - 1, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (let i = 0; i < page.items.length; i += 10) {
      const rows = page.items.slice(i, i + 10);
      const [loaded, training] = await Promise.all([getMany(rows.flatMap((row) => [teamRef(row.key), fallbackRef(row.key)])), Promise.all(rows.map((row) => trainingOfRelease(row.key)))]);
      rows.forEach((row, j) => {
        const ctx: ReleaseContext = {
          release: row.doc.release,
          team: (loaded[2 * j]?.doc as Team | undefined) ?? null,
          fallbackPlan: (loaded[2 * j + 1]?.doc as FallbackPlan | undefined) ?? null,
          trainingTasks: (training[j] ?? []).map((t) => t.doc),
          dslItems: row.doc.dslItems,
        };
        const f = releaseKpiFacts(ctx, DEFAULT_POLICY);
        if (f) facts.push(f);
      });
    }
    cursor = page.cursor;
  } while (cursor);
  const aggs = months.map((m) => reconcileKpiMonth(projectId, m, { releases: facts, dslAudits: [], improvements: [] }));
  return kpiReadings(mergeKpiMonths(projectId, aggs), DEFAULT_POLICY, periodDays(fromMonth, toMonth, now));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export async function benchKpi(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-bench-'));
  const platform = createPlatform({ dbPath: join(dir, 'kpi.sqlite'), jira: jiraFactory() });
  const lines: string[] = [];
  try {
    const jira = jiraEmulatorOf(platform);
    jira.addUser({ accountId: OWNER, displayName: 'Bench owner' });
    const projectIds: string[] = [];
    for (let p = 0; p < PROJECTS; p++) {
      const project = jira.addProject({ key: `B${String.fromCharCode(65 + p)}`, name: `Bench ${p}`, adminAccountId: OWNER });
      jira.grantBrowse(project.key, OWNER);
      projectIds.push(String(project.id));
    }
    await platform.run(async () => {
      for (const [p, projectId] of projectIds.entries()) {
        const changes = new Changes();
        putSetup(changes, { projectId, projectKey: `B${String.fromCharCode(65 + p)}`, roleIds: {}, statusIds: {}, issueTypeId: '1', policy: {}, updatedAt: Date.now() }, null);
        await changes.commit();
      }
    });
    const now = Date.now();
    const { fromMonth, toMonth } = months12(now);
    const target = projectIds[0] as string;
    const aggs = new Map<string, { agg: KpiMonthAggregate; version: number | null; dirty: boolean }>();
    lines.push(`${PROJECTS} projects, closed releases spread over ${YEARS} years; one project's 12 months (${fromMonth} … ${toMonth}); median of ${RUNS} runs; file-backed SQLite, real @forge/kvs`);
    lines.push('  releases   gadget kpi/get: storage ops     ms   |  recompute from records: releases read  storage ops       ms  | time ratio');
    let loaded = 0;
    const ratios: string[] = [];
    for (const size of [1_000, 10_000, 100_000]) {
      const t0 = Date.now();
      await seed(platform, projectIds, loaded, size, now, aggs);
      loaded = size;
      const seedS = (Date.now() - t0) / 1000;

      const gadget: { ms: number; ops: number; jira: number; total: KpiReading[] }[] = [];
      for (let i = 0; i < RUNS + 2; i++) {
        const inv = await platform.invokeResolver<{ ok: boolean; data?: { total: KpiReading[] } }>({
          moduleKey: 'kpi-gadget',
          functionKey: K.getKpis,
          payload: { projectId: target, fromMonth, toMonth },
          accountId: OWNER,
        });
        if (!inv.value.ok || !inv.value.data) throw new Error(`kpi/get failed: ${JSON.stringify(inv.value)}`);
        if (i >= 2) gadget.push({ ms: inv.durationMs, ops: inv.counters.storageOps, jira: inv.counters.jiraRequests, total: inv.value.data.total });
      }
      const slow: { ms: number; ops: number; total: KpiReading[] }[] = [];
      for (let i = 0; i < Math.min(RUNS, size >= 100_000 ? 5 : RUNS); i++) {
        const inv = await platform.run(() => recompute(target, Date.now()), { accountId: OWNER });
        slow.push({ ms: inv.durationMs, ops: inv.counters.storageOps, total: inv.value });
      }
      // Same numbers both ways, or the comparison means nothing (the weekly rate's "now" differs by the run's milliseconds).
      const fast = gadget[0]?.total ?? [];
      const recomputed = slow[0]?.total ?? [];
      const same = fast.length === recomputed.length && fast.every((x, i) => {
        const y = recomputed[i];
        if (!y || y.name !== x.name) return false;
        if (x.value === null || y.value === null) return x.value === y.value;
        return Math.abs(x.value - y.value) <= 1e-5 * Math.max(1, Math.abs(x.value));
      });
      if (!same) throw new Error(`recomputed readings differ from the gadget's at ${size}:\n${JSON.stringify(fast)}\n${JSON.stringify(recomputed)}`);
      const releasesRead = aggs.size > 0 ? [...aggs.values()].filter((v) => v.agg.projectId === target && v.agg.month >= fromMonth && v.agg.month <= toMonth).reduce((s, v) => s + v.agg.closed, 0) : 0;
      const gMs = median(gadget.map((g) => g.ms));
      const sMs = median(slow.map((s) => s.ms));
      const ratio = sMs / gMs;
      ratios.push(`${fmt(size)}: ${fmt(ratio, 1)}×`);
      lines.push(
        `  ${fmt(size).padStart(8)}   ${String(median(gadget.map((g) => g.ops))).padStart(22)} ${fmt(gMs, 1).padStart(6)}   |  ${fmt(releasesRead).padStart(38)} ${fmt(median(slow.map((s) => s.ops))).padStart(12)} ${fmt(sMs, 1).padStart(8)}  | ${fmt(ratio, 1).padStart(6)}×   (seeded in ${fmt(seedS, 1)} s; gadget Jira requests ${median(gadget.map((g) => g.jira))})`,
      );
    }
    lines.push(`  recompute ÷ gadget (time): ${ratios.join(', ')}`);
  } finally {
    platform.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
