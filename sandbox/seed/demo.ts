/**
 * The seeded demo of SPEC §8: the Payroll Platform project set up by the app's own set-up, people in every
 * role, 12 months of closed releases (KPIs), releases waiting in every status for someone to try the next
 * step, improvement actions, and on request N more releases for benchmarks. Fixed seed: same data.
 */
import { RESOLVER_KEYS as K } from '../../src/contracts';
import type { ReleaseStatus } from '../../src/domain/release';
import type { StandingRole } from '../../src/domain/roles';
import type { Envelope } from '../../src/contracts/envelope';
import type { SetupProgress } from '../../src/services/project-setup';
import { loadGlobalSetup } from '../../src/storage/setup-progress';
import { createPlatform, type Platform } from '../index';
import { jiraEmulatorOf, jiraFactory, type JiraEmulator } from '../jira';
import { chooseDslSeeding, type DslSeeding } from './dsl';
import { EventGate } from './events';
import { driveRelease, type ReleaseScript, type Stage, type Timeline } from './lifecycle';
import { ALL_PEOPLE, PEOPLE, type PersonKey } from './people';
import { mulberry32, type Rng } from './prng';
import { ScriptWriter, shiftTimeline } from './scripts';
import { DAY, HOUR, MINUTE, SeedClock, SeedWorld, type DemoProject, type SeededRelease } from './world';

export const DEMO_SEED = 20_260_401;
export const DEMO_PROJECT = { key: 'PAY', name: 'Payroll Platform' } as const;

export interface DemoPlatform {
  readonly platform: Platform;
  readonly jira: JiraEmulator;
  readonly events: EventGate;
  readonly clock: SeedClock;
}

/** A platform with the local Jira whose events can be held while seeding, and a clock the seed can set. */
export function createDemoPlatform(opts: { dbPath: string; echoLogs?: boolean; srcDir?: string; appCodeDir?: string }): DemoPlatform {
  const events = new EventGate();
  const clock = new SeedClock();
  const platform = createPlatform({
    dbPath: opts.dbPath,
    jira: events.wrap(jiraFactory()),
    ...(opts.echoLogs ? { echoLogs: true } : {}),
    ...(opts.srcDir ? { srcDir: opts.srcDir } : {}),
    ...(opts.appCodeDir ? { appCodeDir: opts.appCodeDir } : {}),
  });
  return { platform, jira: jiraEmulatorOf(platform), events, clock };
}

export interface SeedOptions {
  seed?: number;
  /** The demo's "today" (its in-flight releases sit around it); default: the current UTC day's midnight. */
  today?: number;
  /** Extra generated releases, for benchmarks. */
  size?: number;
  /** Months of closed history before today (default 12). */
  months?: number;
  log?: (line: string) => void;
}

/** Something to try: who, on which issue, what. */
export interface DemoHint {
  readonly who: PersonKey;
  readonly issueKey: string;
  readonly status: ReleaseStatus;
  readonly what: string;
}

export interface SeedSummary {
  readonly project: DemoProject;
  readonly seed: number;
  readonly today: string;
  readonly releases: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byOutcome: Readonly<Record<string, number>>;
  readonly closedMonths: readonly string[];
  readonly improvementActions: number;
  readonly resolverCalls: number;
  readonly dsl: { readonly mode: DslSeeding['mode']; readonly note: string };
  readonly hints: readonly DemoHint[];
  readonly ms: number;
}

export function startOfUtcDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

const monthKey = (t: number): string => new Date(t).toISOString().slice(0, 7);

interface Seeded {
  readonly script: ReleaseScript;
  readonly rel: SeededRelease;
}

export async function seedDemo(demo: DemoPlatform, opts: SeedOptions = {}): Promise<SeedSummary> {
  const started = Date.now();
  const seed = opts.seed ?? DEMO_SEED;
  const today = startOfUtcDay(opts.today ?? Date.now());
  const months = opts.months ?? 12;
  const log = opts.log ?? (() => undefined);
  const rng = mulberry32(seed);
  const { platform, jira, events, clock } = demo;
  platform.setClock(clock.read);
  try {
    const w = new SeedWorld(platform, jira, events, clock, await setUpDemoProject(demo, today - (months + 1) * 31 * DAY));
    const dsl = await chooseDslSeeding(w);
    log(`DSL: ${dsl.mode}`);
    const writer = new ScriptWriter(rng);
    const seeded: Seeded[] = [];
    const drive = async (script: ReleaseScript) => {
      const rel = await driveRelease(w, dsl, script);
      seeded.push({ script, rel });
      return rel;
    };

    // 12 months of history, oldest first, so that components' versions rise with time.
    for (const script of historyScripts(writer, rng, today, months)) await drive(script);
    log(`history: ${seeded.length} releases`);
    const improvementActions = await seedImprovementActions(w, rng, today, months, seeded);
    const hints = await seedInFlight(w, writer, today, drive);
    log(`in flight: ${hints.length} releases to try`);
    for (const script of sizeScripts(writer, rng, today, months, opts.size ?? 0)) await drive(script);
    if (opts.size) log(`--size: ${opts.size} more releases`);
    await dsl.seedLibrary(w, today);
    await seedFreezes(w, today);
    await events.deliverHeld(platform);

    const byStatus: Record<string, number> = {};
    const byOutcome: Record<string, number> = {};
    const closedMonths = new Set<string>();
    for (const { script } of seeded) {
      byStatus[script.stage] = (byStatus[script.stage] ?? 0) + 1;
      if (script.stage === 'CLOSED' && script.outcome) {
        byOutcome[script.outcome] = (byOutcome[script.outcome] ?? 0) + 1;
        closedMonths.add(monthKey(script.outcome === 'SUCCESS' ? script.timeline.close : script.timeline.fallbackDone));
      }
    }
    return {
      project: w.project,
      seed,
      today: new Date(today).toISOString().slice(0, 10),
      releases: seeded.length,
      byStatus,
      byOutcome,
      closedMonths: [...closedMonths].sort(),
      improvementActions,
      resolverCalls: w.calls,
      dsl: { mode: dsl.mode, note: dsl.note },
      hints,
      ms: Date.now() - started,
    };
  } finally {
    platform.setClock(undefined);
  }
}

/**
 * Change freezes, kept by the process owner after the releases ran (a freeze stops nothing that happened
 * before it): a soft month-end freeze and a hard year-end freeze three weeks ahead, for the calendar.
 */
async function seedFreezes(w: SeedWorld, today: number): Promise<void> {
  const save = async (freeze: Record<string, unknown>) => {
    const view = await w.onProject<{ freezesVersion: number }>('owner', 'calendar/get', { from: today, to: today + DAY });
    await w.onProject('owner', 'freeze/save', { expectedVersion: view.freezesVersion, freeze });
  };
  await save({ reason: 'Month-end payroll run', severity: 'SOFT', appliesTo: ['STANDARD', 'MINOR', 'MAJOR'], recurrence: { kind: 'MONTH_END', workingDays: 2 } });
  await save({ reason: 'Year-end change freeze', severity: 'HARD', appliesTo: ['STANDARD', 'MINOR', 'MAJOR'], recurrence: { kind: 'ONCE', start: today + 21 * DAY, end: today + 30 * DAY } });
}

// ------------------------------------------------------------------------------------------ project

/** Users, the project, the app installed and the project set up by its admin through the app's set-up. */
async function setUpDemoProject(demo: DemoPlatform, at: number): Promise<DemoProject> {
  const { platform, jira, events, clock } = demo;
  clock.now = at;
  for (const u of ALL_PEOPLE) {
    jira.addUser({ accountId: u.accountId, displayName: u.displayName, locale: u.locale, timeZone: u.timeZone, emailAddress: `${u.accountId.replace(/^demo-/, '')}@payroll.example.com` });
  }
  const row = jira.addProject({
    key: DEMO_PROJECT.key,
    name: DEMO_PROJECT.name,
    adminAccountId: PEOPLE.owner.accountId,
    description: 'Payroll calculation, payslips, bank files and HR integrations. Releases governed by the Release Governance app.',
  });
  for (const u of ALL_PEOPLE) if (u.browses) jira.grantBrowse(DEMO_PROJECT.key, u.accountId);
  const project: DemoProject = { id: String(row.id), key: DEMO_PROJECT.key, name: DEMO_PROJECT.name };

  await platform.deliverEvent('avi:forge:installed:app', { installerAccountId: PEOPLE.owner.accountId });
  const owner = PEOPLE.owner.accountId;
  // Through the admin page's resolver, as the project's admin would: the same handler that deploys.
  const setup = await platform.invokeResolver<Envelope<SetupProgress>>({
    moduleKey: 'release-admin',
    functionKey: K.setupProject,
    payload: { projectId: project.id },
    accountId: owner,
    extension: { type: 'jira:adminPage' },
  });
  if (!setup.value.ok || !setup.value.data.complete) throw new Error(`project set-up did not complete: ${JSON.stringify(setup.value)}`);
  const global = (await platform.run(() => loadGlobalSetup())).value;
  for (const u of ALL_PEOPLE) {
    for (const role of u.standingRoles) {
      const roleId = (global.roleIds as Partial<Record<StandingRole, number>>)[role];
      if (roleId === undefined) throw new Error(`set-up created no project role for ${role}`);
      jira.addRoleMember(DEMO_PROJECT.key, roleId, u.accountId);
    }
  }
  await events.deliverHeld(platform);
  return project;
}

// ------------------------------------------------------------------------------------------ history

function monthStart(today: number, back: number): number {
  const d = new Date(today);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1);
}

/** Closed releases in each of the last `months` months and the current one, with some rejected and cancelled. */
function historyScripts(writer: ScriptWriter, rng: Rng, today: number, months: number): ReleaseScript[] {
  const out: ReleaseScript[] = [];
  const latest = today - 3 * DAY;
  for (let back = months; back >= 0; back--) {
    const start = monthStart(today, back);
    const end = Math.min(monthStart(today, back - 1), latest);
    if (end - start < 3 * DAY) continue;
    const count = back === 0 ? Math.max(1, Math.round(((end - start) / (30 * DAY)) * 4)) : rng.int(3, 5);
    for (let i = 0; i < count; i++) {
      const closeAt = start + Math.floor(((i + 0.5) / count) * (end - start)) + rng.int(-12, 12) * HOUR;
      const roll = rng.next();
      // Every third month has a rollback, one in five a failed one; emergencies now and then.
      const outcome = i === 0 && back % 3 === 1 ? 'ROLLED_BACK' : i === 1 && back % 5 === 2 ? 'FAILED' : roll < 0.06 ? 'ROLLED_BACK' : 'SUCCESS';
      const emergency = outcome === 'SUCCESS' && rng.chance(0.1);
      out.push(writer.writeEndingAt(Math.min(closeAt, latest), { stage: 'CLOSED', outcome, emergency, evaluate: rng.chance(0.6) }));
    }
    if (back % 3 === 0 && back > 0) {
      const reasons = ['Not a release: configuration change handled by the service desk', 'Duplicate of an approved request', '不必要：已由上一版本覆盖'];
      out.push(writer.writeEndingAt(start + rng.int(5, 20) * DAY, { stage: 'REJECTED', reason: rng.pick(reasons), skip: ['window', 'lead'] }));
    }
    if (back % 4 === 2) {
      const from = rng.pick(['PLANNING', 'BUILD_TEST'] as const);
      out.push(writer.writeEndingAt(start + rng.int(5, 20) * DAY, { stage: 'CANCELLED', cancelFrom: from, reason: 'Vendor withdrew the patch; to be re-raised next quarter' }));
    }
  }
  return out.sort((a, b) => a.timeline.submit - b.timeline.submit);
}

/** `--size N`: N more releases over the same months: mostly closed, some rejected or cancelled. */
function sizeScripts(writer: ScriptWriter, rng: Rng, today: number, months: number, n: number): ReleaseScript[] {
  const out: ReleaseScript[] = [];
  const from = monthStart(today, months);
  const latest = today - 3 * DAY;
  for (let i = 0; i < n; i++) {
    const end = from + Math.floor(((i + 0.5) / n) * (latest - from));
    const r = rng.next();
    if (r < 0.08) out.push(writer.writeEndingAt(end, { stage: 'REJECTED', reason: 'Not necessary: covered by the next scheduled release', skip: ['window', 'lead'] }));
    else if (r < 0.14) out.push(writer.writeEndingAt(end, { stage: 'CANCELLED', cancelFrom: rng.pick(['SUBMITTED', 'PLANNING', 'BUILD_TEST'] as const), reason: 'Business priorities changed' }));
    else out.push(writer.writeEndingAt(end, { stage: 'CLOSED', outcome: r < 0.2 ? 'ROLLED_BACK' : r < 0.23 ? 'FAILED' : 'SUCCESS', emergency: r > 0.95, evaluate: false }));
  }
  return out.sort((a, b) => a.timeline.submit - b.timeline.submit);
}

// ------------------------------------------------------------------------------------------ in flight

/** The last moment a script in `stage` does something (so that it can be placed just before today). */
function lastActivity(t: Timeline, s: ReleaseScript): number {
  switch (s.stage) {
    case 'SUBMITTED':
      return t.review;
    case 'PLANNING':
      return t.plan + MINUTE;
    case 'BUILD_TEST':
      return t.dsl + HOUR;
    case 'READY':
      return t.ready;
    case 'IMPLEMENTING':
      return (s.skip ?? []).includes('deployment') ? t.implStart + HOUR : t.deployFinished + 30 * MINUTE;
    case 'VERIFYING':
      return t.deployFinished + HOUR;
    case 'ROLLING_BACK':
      return t.fallbackInvoke;
    default:
      return t.approve;
  }
}

/** Places a script so that its last step happens `before` today. */
function placed(s: ReleaseScript, today: number, before: number): ReleaseScript {
  return { ...s, timeline: shiftTimeline(s.timeline, today - before - lastActivity(s.timeline, s)) };
}

interface InFlight {
  readonly stage: Stage;
  readonly before: number;
  readonly options: Parameters<ScriptWriter['write']>[1];
  readonly hint: { who: PersonKey; what: string };
  readonly adjust?: (t: Timeline, today: number) => Timeline;
}

const IN_FLIGHT: readonly InFlight[] = [
  {
    stage: 'SUBMITTED',
    before: 5 * HOUR,
    options: { stage: 'SUBMITTED', requester: 'requester', skip: ['classify', 'risk', 'window', 'lead'] },
    hint: { who: 'manager', what: 'review: classify, assess the risk, set the window, assign a lead — or reject' },
  },
  {
    stage: 'SUBMITTED',
    before: 1 * DAY,
    options: { stage: 'SUBMITTED', requester: 'requester2', lead: 'lead3' },
    hint: { who: 'manager2', what: 'approve (every review step done; the gate checklist is green)' },
  },
  {
    stage: 'SUBMITTED',
    before: 8 * DAY,
    options: { stage: 'SUBMITTED', requester: 'requester', skip: ['risk', 'window', 'lead'] },
    hint: { who: 'manager', what: 'an overdue review (past the 5-day SLA): finish it' },
  },
  {
    stage: 'PLANNING',
    before: 2 * HOUR,
    options: { stage: 'PLANNING', lead: 'lead2', requester: 'requester2', skip: ['team', 'implementers', 'plan', 'fallback', 'opinions', 'training'] },
    hint: { who: 'manager', what: 'form the release team (software control lead, training lead, test expert)' },
  },
  {
    stage: 'PLANNING',
    before: 1 * DAY,
    options: { stage: 'PLANNING', lead: 'lead3', requester: 'requester' },
    hint: { who: 'lead3', what: 'start build (team, plan and fallback plan complete)' },
  },
  {
    stage: 'BUILD_TEST',
    before: 3 * HOUR,
    options: { stage: 'BUILD_TEST', lead: 'lead1', skip: ['uat', 'rehearsal', 'trainingDelivered', 'dsl'] },
    hint: { who: 'business', what: 'record the user acceptance test; the trainer delivers training, the lead records a rehearsal' },
  },
  {
    stage: 'BUILD_TEST',
    before: 1 * DAY,
    options: { stage: 'BUILD_TEST', lead: 'lead2', requester: 'requester2' },
    hint: { who: 'lead2', what: 'mark ready (tests, rehearsal, DSL, training, opinions all done)' },
  },
  {
    stage: 'READY',
    before: 6 * HOUR,
    options: { stage: 'READY', lead: 'lead1', implementers: ['impl1', 'impl3'] },
    hint: { who: 'impl1', what: 'start implementation (the release window is open now)' },
    adjust: (t, today) => ({ ...t, windowStart: today - 2 * HOUR, windowEnd: today + 5 * DAY }),
  },
  {
    stage: 'READY',
    before: 1 * DAY,
    options: { stage: 'READY', lead: 'lead3', implementers: ['impl2'] },
    hint: { who: 'impl2', what: 'start implementation is refused: the window opens next week (the manager may record an emergency override)' },
    adjust: (t, today) => ({ ...t, windowStart: today + 6 * DAY + 18 * HOUR, windowEnd: today + 8 * DAY }),
  },
  {
    stage: 'IMPLEMENTING',
    before: 1 * HOUR,
    options: { stage: 'IMPLEMENTING', lead: 'lead2', implementers: ['impl4'], skip: ['deployment', 'cutover'] },
    hint: { who: 'impl4', what: 'report progress, record the deployment result (or, as the lead 陈伟, invoke the fallback)' },
  },
  {
    stage: 'IMPLEMENTING',
    before: 3 * HOUR,
    options: { stage: 'IMPLEMENTING', lead: 'lead1', implementers: ['impl1'] },
    hint: { who: 'impl1', what: 'mark deployed (deployment result and cutover recorded)' },
  },
  {
    stage: 'VERIFYING',
    before: 4 * HOUR,
    options: { stage: 'VERIFYING', lead: 'lead3', implementers: ['impl3'], skip: ['acceptance'] },
    hint: { who: 'operations', what: 'record operational acceptance, then verify and close' },
  },
  {
    stage: 'ROLLING_BACK',
    before: 2 * HOUR,
    options: { stage: 'ROLLING_BACK', lead: 'lead2', implementers: ['impl2', 'impl4'], skip: ['fallbackResult'], reason: '支付文件被银行拒收，触发回退' },
    hint: { who: 'impl2', what: 'record the fallback execution, then complete the fallback' },
  },
  {
    stage: 'REJECTED',
    before: 2 * DAY,
    options: { stage: 'REJECTED', requester: 'requester', reason: 'Duplicate: already covered by the approved tax-rules release', skip: ['window', 'lead'] },
    hint: { who: 'requester', what: 'see why a request was rejected' },
  },
  {
    stage: 'CANCELLED',
    before: 3 * DAY,
    options: { stage: 'CANCELLED', cancelFrom: 'PLANNING', reason: 'The bank postponed the new file format to next year' },
    hint: { who: 'outsider', what: 'read any release; every action is refused with its reason' },
  },
];

async function seedInFlight(w: SeedWorld, writer: ScriptWriter, today: number, drive: (s: ReleaseScript) => Promise<SeededRelease>): Promise<DemoHint[]> {
  const hints: DemoHint[] = [];
  // Oldest first, so that the clock only moves forwards.
  const scripts = IN_FLIGHT.map((f) => {
    let s = placed(writer.write(0, f.options), today, f.before);
    if (f.adjust) s = { ...s, timeline: f.adjust(s.timeline, today) };
    return { f, s };
  }).sort((a, b) => a.s.timeline.change - b.s.timeline.change);
  for (const { f, s } of scripts) {
    const rel = await drive(s);
    hints.push({ who: f.hint.who, issueKey: rel.key, status: f.stage as ReleaseStatus, what: f.hint.what });
  }
  const order = IN_FLIGHT.map((f) => f.hint.what);
  return hints.sort((a, b) => order.indexOf(a.what) - order.indexOf(b.what));
}

// ------------------------------------------------------------------------------ improvement actions

const IMPROVEMENTS = [
  'Rollback rehearsal checklist for database changes',
  'Help-desk training two days before go-live, not on the day',
  '发布窗口避开月末结账期',
  'Automate DSL check-in from the CI pipeline',
  '统一回退计划模板',
  'Weekly actual-effort entries in progress reports',
  'Parallel payroll run mandatory for tax-rule changes',
  'CMDB update reminder within 24 h of closure',
  'Quarterly review of KPI targets with the CAB',
  '更新培训考核题库',
  'Smoke-test script attached to every fallback plan',
  'Emergency releases: review within one working day',
];

/** The process owner's improvement actions, one a month (most completed on time), and the manager's proposals after rollbacks. */
async function seedImprovementActions(w: SeedWorld, rng: Rng, today: number, months: number, seeded: readonly Seeded[]): Promise<number> {
  let n = 0;
  const owners: PersonKey[] = ['owner', 'manager', 'lead1', 'trainer', 'scl', 'manager2'];
  for (let back = months; back >= 1; back--) {
    const created = monthStart(today, back) + rng.int(3, 12) * DAY + 10 * HOUR;
    const title = IMPROVEMENTS[(months - back) % IMPROVEMENTS.length] as string;
    const dueAt = created + rng.int(20, 45) * DAY;
    const action = await w.at(created).onProject<{ id: string }>('owner', K.manageImprovementActions, {
      op: 'CREATE',
      title,
      description: 'From the monthly process evaluation.',
      ownerAccountId: PEOPLE[rng.pick(owners)].accountId,
      dueAt,
    });
    n += 1;
    const roll = rng.next();
    const completedAt = roll < 0.7 ? dueAt - rng.int(1, 10) * DAY : roll < 0.85 ? dueAt + rng.int(2, 12) * DAY : null;
    if (completedAt !== null && completedAt < today - HOUR) {
      await w.at(completedAt).onProject('owner', K.manageImprovementActions, { op: 'COMPLETE', actionId: action.id, expectedVersion: 1, completedAt });
    }
  }
  // After each of the last rollbacks, the manager proposes an improvement linked to it.
  const rollbacks = seeded.filter((x) => x.script.outcome === 'ROLLED_BACK' || x.script.outcome === 'FAILED').slice(-3);
  for (const { script, rel } of rollbacks) {
    await w.at(script.timeline.fallbackDone + 2 * DAY).onProject(script.manager, K.proposeImprovementAction, {
      title: `Lessons from ${rel.key}: ${script.software[0]?.name ?? 'release'} rollback`,
      description: 'Root cause and fallback timing reviewed in the post-implementation review.',
      sourceReleaseId: rel.id,
    });
    n += 1;
  }
  return n;
}
