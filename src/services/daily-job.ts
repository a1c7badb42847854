/**
 * The daily job (SPEC §6) fanned out over `@forge/events` consumers (forge-docs/runtime-reference/
 * async-events-api, limits-async-events).
 *
 * The scheduled trigger plans the day's run: it lists the set-up projects and pushes, per project, one event
 * for each independent unit — overdue improvement actions, training reminders, the Jira sweep — at most 16
 * projects (48 events, a few KB) per push, within Forge's 50 events and 200 KB. The improvements unit, once
 * done, pushes one recount unit per month (those months' aggregates are what it changes, so the recount comes
 * after it); a month's recount pushes four week slices of its closed releases, counted in parallel, and
 * combines them when the last one wakes it (kpi-reconcile.ts). Every unit runs in its own consumer invocation, in parallel as far as the queue allows, pages
 * through its records within its limit, commits each page with its own versioned progress row, and when its
 * time is spent pushes its own continuation. A unit killed after a commit is redelivered by Forge and resumes
 * at the page it had not committed; the same event delivered twice, or late (after the unit completed, or
 * after a newer run began), advances nothing twice: the second invocation loses the version race or finds the
 * unit done or of an older run.
 *
 * A completed unit marks itself done in its project's row; the project's last unit marks the project done in
 * the run's row (adding the project's counts once), the last project completes the run. A completed unit that
 * is delivered again re-does only that marking, so a unit killed between its last commit and the marking
 * finishes the run on redelivery.
 */
import { Queue, type PushEvent } from '@forge/events';
import { monthOf, previousMonth } from '../domain/kpi';
import { remainingMs } from '../jira/client';
import {
  getJobRun,
  jobProgressRef,
  jobProjectRef,
  jobUnitRef,
  putJobProgress,
  putJobProject,
  putJobUnit,
  unitKey,
  type JobProgress,
  type JobProject,
  type JobTask,
  type JobUnit,
} from '../storage/jobs';
import { getMany, getRow, setUpProjects } from '../storage/records';
import { Changes, ConflictError } from '../storage/store';
import { addStats, dropRecountPages, emptyStats, MAX_PAGE, newUnit, stepUnit, type UnitEnv } from './kpi-reconcile';

export const DAILY_JOB_KEY = 'daily-kpi-and-training';
export const DAILY_JOB_QUEUE = 'daily-job';
/** Units that call Jira share this concurrency key, so the job's Jira calls stay within a site's rate limits. */
export const JIRA_CONCURRENCY = { key: 'daily-job-jira', limit: 2 } as const;
/** Projects per push: three events each, within Forge's 50 events per push. */
const PROJECTS_PER_PUSH = 16;
/** Events per push (Forge: at most 50). */
const EVENTS_PER_PUSH = 50;
const MARK_ATTEMPTS = 20;

export interface DailyJobOptions {
  /** The job's "now" (default: the clock). */
  now?: number;
  /** Records per page (1–10; default 10). */
  pageSize?: number;
  /** Stop when less than this is left of the invocation (default 10 s). */
  reserveMs?: number;
  /** Work for at most this long in this invocation. */
  budgetMs?: number;
  /** Stop after this many steps (a step is one page of one unit, committed). */
  maxSteps?: number;
  /** Further months to recount; starts a new run when today's is complete. */
  months?: string[];
}

/** What travels in an event: the run, the unit (or planning), the options that bound an invocation. */
export interface UnitEventBody {
  runId: number;
  task: JobTask | { kind: 'PLAN' };
  options: Pick<DailyJobOptions, 'pageSize' | 'budgetMs' | 'maxSteps'>;
  hop: number;
}

export interface DailyJobResult {
  /** The run (or this unit) finished in this invocation, or already had. */
  done: boolean;
  steps: number;
  progress: JobProgress | null;
  /** Another invocation advanced the same record first; this one stopped. */
  overlapped?: boolean;
  /** The event belongs to an older run (or its unit is already another run's): ignored. */
  stale?: boolean;
  /** The month's unit waits for its slices (the last one wakes it). */
  waiting?: boolean;
  /** Its continuation was pushed to the queue. */
  continued?: boolean;
}

const dayOf = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** The months a run recounts: the previous and current month of its start, and those asked for. */
export function runMonths(run: Pick<JobProgress, 'startedAt' | 'extraMonths'>): string[] {
  const current = monthOf(run.startedAt);
  return [...new Set([previousMonth(current), current, ...run.extraMonths])].sort();
}

/** Every unit of a project in a run. */
export function unitsOfProject(projectId: string, run: Pick<JobProgress, 'startedAt' | 'extraMonths'>): JobTask[] {
  return [
    { kind: 'OVERDUE_IMPROVEMENTS', projectId },
    ...runMonths(run).map((month): JobTask => ({ kind: 'RECONCILE', projectId, month })),
    { kind: 'TRAINING_REMINDERS', projectId },
    { kind: 'JIRA_SWEEP', projectId },
  ];
}

interface Clock {
  now: number;
  outOfTime: () => boolean;
  maxSteps: number | undefined;
}

function clockOf(opts: DailyJobOptions): Clock {
  const started = performance.now();
  const reserve = opts.reserveMs ?? 10_000;
  return {
    now: opts.now ?? Date.now(),
    outOfTime: () => remainingMs() < reserve || (opts.budgetMs !== undefined && performance.now() - started >= opts.budgetMs),
    maxSteps: opts.maxSteps,
  };
}

const eventOptions = (o: DailyJobOptions): UnitEventBody['options'] => ({
  ...(o.pageSize !== undefined ? { pageSize: o.pageSize } : {}),
  ...(o.budgetMs !== undefined ? { budgetMs: o.budgetMs } : {}),
  ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}),
});

function eventOf(runId: number, task: UnitEventBody['task'], options: UnitEventBody['options'], hop = 0): PushEvent {
  const body: UnitEventBody = { runId, task, options, hop };
  const callsJira = task.kind === 'TRAINING_REMINDERS' || task.kind === 'JIRA_SWEEP';
  return { body: body as unknown as PushEvent['body'], ...(callsJira ? { concurrency: { ...JIRA_CONCURRENCY } } : {}) };
}

async function push(events: readonly PushEvent[]): Promise<void> {
  const queue = new Queue({ key: DAILY_JOB_QUEUE });
  for (let i = 0; i < events.length; i += EVENTS_PER_PUSH) await queue.push(events.slice(i, i + EVENTS_PER_PUSH));
}

function newRun(now: number, runId: number, extraMonths: string[]): JobProgress {
  return {
    runId,
    day: dayOf(now),
    startedAt: now,
    updatedAt: now,
    completedAt: null,
    extraMonths,
    listing: {},
    projects: [],
    pushed: 0,
    doneProjects: [],
    stats: emptyStats(),
  };
}

// ------------------------------------------------------------------ the scheduled trigger: plan the day

/**
 * Starts today's run (a new one whenever months are asked for) and plans it. A run of an earlier day, or one
 * superseded by a run asked for months, ends there, finished or not: its late events find a newer run and are
 * ignored, and the new run covers its months again.
 */
export async function startDailyJob(opts: DailyJobOptions = {}): Promise<DailyJobResult> {
  const clock = clockOf(opts);
  const extraMonths = [...new Set(opts.months ?? [])].sort();
  const row = await getJobRun(DAILY_JOB_KEY);
  const current = row?.doc ? { version: row.version, doc: row.doc } : null;
  const today = current !== null && current.doc.day === dayOf(clock.now);
  if (today && current.doc.completedAt !== null && extraMonths.length === 0) return { done: true, steps: 0, progress: current.doc };
  if (today && current.doc.completedAt === null && extraMonths.length === 0) {
    // Today's run is under way: finish planning it if it was not (a planner stopped), else leave it to its units.
    if (current.doc.listing === null && current.doc.pushed >= current.doc.projects.length) return { done: false, steps: 0, progress: current.doc, overlapped: true };
    return plan(current.doc, current.version, clock, eventOptions(opts));
  }
  const run = newRun(clock.now, Math.max(clock.now, (row?.doc?.runId ?? 0) + 1), extraMonths);
  const changes = new Changes();
  let version: number;
  try {
    version = putJobProgress(changes, DAILY_JOB_KEY, run, row?.version ?? null);
    await changes.commit();
  } catch (err) {
    if (err instanceof ConflictError) return { done: false, steps: 0, progress: row?.doc ?? null, overlapped: true };
    throw err;
  }
  return plan(run, version, clock, eventOptions(opts), 1);
}

/** Lists the projects and pushes their units, a page / a push at a time, each step committed under the run's version. */
async function plan(start: JobProgress, startVersion: number, clock: Clock, options: UnitEventBody['options'], stepsSoFar = 0): Promise<DailyJobResult> {
  let run = start;
  let version = startVersion;
  let steps = stepsSoFar;
  for (;;) {
    const planned = run.listing === null && run.pushed >= run.projects.length;
    if (planned && run.completedAt === null && run.projects.length > 0) return { done: false, steps, progress: run };
    if (run.completedAt !== null) return { done: true, steps, progress: run };
    if ((clock.maxSteps !== undefined && steps >= clock.maxSteps) || clock.outOfTime()) {
      // The rest of the planning continues in a consumer.
      await push([eventOf(run.runId, { kind: 'PLAN' }, options)]);
      return { done: false, steps, progress: run, continued: true };
    }
    let next: JobProgress;
    if (run.listing !== null) {
      const page = await setUpProjects({ limit: 100, ...(run.listing.cursor ? { cursor: run.listing.cursor } : {}) });
      // A policy updated while listing moves to the end of the index: it is listed again, and counted once.
      const projects = [...new Set([...run.projects, ...page.items.map((s) => s.projectId)])];
      next = { ...run, projects, listing: page.cursor ? { cursor: page.cursor } : null };
      if (!page.cursor && projects.length === 0) next = { ...next, completedAt: clock.now };
    } else {
      const batch = run.projects.slice(run.pushed, run.pushed + PROJECTS_PER_PUSH);
      // Pushed before the run says so: a planner stopped in between pushes them again (a duplicate unit event is harmless).
      await push(batch.flatMap((projectId) => (['OVERDUE_IMPROVEMENTS', 'TRAINING_REMINDERS', 'JIRA_SWEEP'] as const).map((kind) => eventOf(run.runId, { kind, projectId }, options))));
      next = { ...run, pushed: run.pushed + batch.length };
    }
    next = { ...next, updatedAt: clock.now };
    const changes = new Changes();
    try {
      version = putJobProgress(changes, DAILY_JOB_KEY, next, version);
      await changes.commit();
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      // A unit marked its project done meanwhile, or another planner advanced: read the run again and go on
      // from there (what was pushed twice is harmless); a newer run means this one is over.
      const again = await getRow(jobProgressRef(DAILY_JOB_KEY));
      if (!again || again.doc.runId !== run.runId) return { done: false, steps, progress: again?.doc ?? null, overlapped: true };
      if (again.doc.pushed > run.pushed || again.doc.listing?.cursor !== run.listing?.cursor) return { done: false, steps, progress: again.doc, overlapped: true };
      run = again.doc;
      version = again.version;
      continue;
    }
    run = next;
    steps++;
  }
}

// ------------------------------------------------------------------ a consumer: one unit

/** Runs one unit of a run (or continues the planning) within this invocation's limit. */
export async function runUnitEvent(body: UnitEventBody): Promise<DailyJobResult> {
  const clock = clockOf(body.options);
  const runRow = await getRow(jobProgressRef(DAILY_JOB_KEY));
  if (!runRow || runRow.doc.runId !== body.runId) return { done: false, steps: 0, progress: runRow?.doc ?? null, stale: true };
  const task = body.task;
  if (task.kind === 'PLAN') return plan(runRow.doc, runRow.version, clock, body.options);

  const env: UnitEnv = { now: clock.now, pageSize: Math.min(Math.max(Math.floor(body.options.pageSize ?? MAX_PAGE), 1), MAX_PAGE), policies: new Map() };
  const row = await getRow(jobUnitRef(task));
  const slice = task.kind === 'RECONCILE_SLICE' ? task : null;
  if (row && (row.doc.runId > body.runId || (row.doc.runId === body.runId && slice !== null && row.doc.attempt > slice.attempt))) {
    return { done: false, steps: 0, progress: runRow.doc, stale: true };
  }
  // A row of an earlier run (or a slice of an earlier attempt of its month) is taken over under its version:
  // storage holds one row per unit, not per day.
  const takeOver = !row || row.doc.runId !== body.runId || (slice !== null && row.doc.attempt < slice.attempt);
  let unit: JobUnit = takeOver ? newUnit(task, body.runId, clock.now, row?.doc) : row.doc;
  let version = row?.version ?? null;
  let steps = 0;
  while (unit.completedAt === null) {
    if ((clock.maxSteps !== undefined && steps >= clock.maxSteps) || clock.outOfTime()) {
      // An invocation that made no step (no time, maxSteps 0) would only hand the same work on: leave it to tomorrow.
      if (steps === 0) return { done: false, steps, progress: runRow.doc };
      await push([eventOf(body.runId, task, body.options, body.hop + 1)]);
      return { done: false, steps, progress: runRow.doc, continued: true };
    }
    const { next, changes, push: after, wait } = await stepUnit(unit, env);
    // The month waits for its slices: the last slice to finish pushes the event that wakes it.
    if (wait) return { done: false, steps, progress: runRow.doc, waiting: true };
    if (after && after.length > 0) await push(after.map((t) => eventOf(body.runId, t, body.options)));
    const advanced: JobUnit = { ...next, updatedAt: clock.now, steps: unit.steps + 1 };
    try {
      version = putJobUnit(changes, advanced, version);
      await changes.commit();
    } catch (err) {
      if (err instanceof ConflictError) return { done: false, steps, progress: runRow.doc, overlapped: true };
      throw err;
    }
    unit = advanced;
    steps++;
  }
  // The recount's page rows are not needed any more: storage holds no more of them than a recount under way.
  await dropRecountPages(unit);
  const progress = await settle(unit, body.options);
  return { done: true, steps, progress };
}

/**
 * A unit is complete: push what comes after it (the recounts, after the improvements unit), then mark it
 * done in its project's row, and the project in the run's when it was the project's last. Idempotent: run
 * again on every delivery of a completed unit.
 */
async function settle(unit: JobUnit, options: UnitEventBody['options']): Promise<JobProgress | null> {
  const { projectId } = unit.task;
  if (unit.task.kind === 'RECONCILE_SLICE') {
    // A slice is not one of the project's units: it wakes its month, which combines once all slices are done.
    await push([eventOf(unit.runId, { kind: 'RECONCILE', projectId, month: unit.task.month }, options)]);
    return (await getRow(jobProgressRef(DAILY_JOB_KEY)))?.doc ?? null;
  }
  for (let attempt = 0; attempt < MARK_ATTEMPTS; attempt++) {
    const [runRow, projectRow] = await getMany([jobProgressRef(DAILY_JOB_KEY), jobProjectRef(projectId)]);
    if (!runRow || runRow.doc.runId !== unit.runId) return runRow?.doc ?? null; // a newer run took over
    const run = runRow.doc;
    if (unit.task.kind === 'OVERDUE_IMPROVEMENTS' && attempt === 0) {
      await push(runMonths(run).map((month) => eventOf(unit.runId, { kind: 'RECONCILE', projectId, month }, options)));
    }
    const project: JobProject =
      projectRow && projectRow.doc.runId === unit.runId ? projectRow.doc : { runId: unit.runId, projectId, updatedAt: unit.updatedAt, done: [], completedAt: null, stats: emptyStats() };
    const id = unitKey(unit.task);
    const projectDone = project.completedAt !== null;
    if (projectDone && run.doneProjects.includes(projectId)) return run;
    const now = Math.max(unit.updatedAt, project.updatedAt);
    let nextProject = project;
    if (!project.done.includes(id)) nextProject = { ...project, done: [...project.done, id].sort(), stats: addStats(project.stats, unit.stats), updatedAt: now };
    const all = unitsOfProject(projectId, run).map(unitKey);
    const complete = all.every((k) => nextProject.done.includes(k));
    if (complete && nextProject.completedAt === null) nextProject = { ...nextProject, completedAt: now };
    const changes = new Changes();
    let nextRun = run;
    if (nextProject !== project) putJobProject(changes, nextProject, projectRow?.version ?? null);
    if (complete && !run.doneProjects.includes(projectId)) {
      const doneProjects = [...run.doneProjects, projectId];
      const allDone = run.listing === null && run.projects.every((p) => doneProjects.includes(p));
      nextRun = { ...run, doneProjects, stats: addStats(run.stats, nextProject.stats), updatedAt: now, ...(allDone ? { completedAt: now } : {}) };
      putJobProgress(changes, DAILY_JOB_KEY, nextRun, runRow.version);
    }
    if (nextRun === run && nextProject === project) return run;
    try {
      await changes.commit();
      return nextRun;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      // Another unit of the run marked itself at the same moment: read both rows again.
    }
  }
  throw new Error(`daily job: could not mark ${unitKey(unit.task)} done`);
}
