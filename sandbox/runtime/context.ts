import { AsyncLocalStorage } from 'node:async_hooks';

/** What the platform counts per invocation (SPEC §9's budgets are checked against these). */
export interface InvocationCounters {
  storageOps: number;
  storageBytesIn: number;
  storageBytesOut: number;
  jiraRequests: number;
}

export interface LogLine {
  invocationId: string;
  level: 'debug' | 'info' | 'warn' | 'error' | 'log';
  message: string;
}

/** One invocation of one function, as Forge runs it: its own id, actor, deadline and counters. */
export interface InvocationContext {
  invocationId: string;
  functionKey: string;
  moduleKey: string;
  /** The acting user; undefined for app-initiated invocations (triggers without a user, scheduled jobs). */
  accountId: string | undefined;
  startedAt: number;
  deadline: number;
  counters: InvocationCounters;
  /**
   * Set when the invocation's time ran out: Forge stops a timed-out function, so whatever its code still tries
   * afterwards (a storage write, a Jira call, a queue push) is refused rather than landing late.
   */
  stopped?: boolean;
  /** The platform's clock when the invocation started, if it has one: `Date.now()` inside the invocation reads it. */
  clock?: () => number;
  /** Where this invocation's traffic goes: the platform that started it. */
  services: InvocationServices;
  /** Fault injection: asked after each storage request; true kills the invocation right after it (the write stands). */
  killAfterStorage?: (path: string, body: unknown) => boolean;
  /** Set once the invocation was killed: every further request fails, and the invocation ends in an error. */
  killed?: boolean;
}

/** The function died (fault injection: killed after a storage write, as a crash or timeout would). */
export class FunctionKilledError extends Error {
  constructor(functionKey: string) {
    super(`Function '${functionKey}' was killed`);
    this.name = 'FunctionKilledError';
  }
}

export interface InvocationServices {
  kvs: import('./backends').KvsBackend;
  jira: import('./backends').JiraBackend;
  /** Atlassian's own APIs behind `stargate` (`@forge/events` queue requests, web trigger URLs…). */
  stargate: import('./backends').StargateBackend;
  log(line: LogLine): void;
  appContext: {
    appId: string;
    environmentId: string;
    environmentType: string;
    installationId: string;
    cloudId: string;
    /** The installation's context (`ari:cloud:jira::site/<cloudId>`), as `__forge_runtime__.contextAri`. */
    contextAri: string;
    /** The scopes manifest.yml grants (`permissions.scopes`). */
    scopes: readonly string[];
    /** Where the deployed code lives (`__forge_runtime__.container.appCodeDir`; `@forge/api` i18n reads `__LOCALES__` there). */
    appCodeDir: string;
  };
}

export const invocationStore = new AsyncLocalStorage<InvocationContext>();

/** The machine's clock, whatever an invocation's clock says: deadlines and durations are real time. */
export const realNow: () => number = Date.now.bind(Date);

let clockInstalled = false;

/**
 * Lets a platform run the app in another time (a seeded demo's past months): `Date.now()` called inside an
 * invocation whose context has a `clock` reads that clock; everywhere else it is the machine's. Only
 * `Date.now` is affected (what the app's services and the emulators read); idempotent.
 */
export function installInvocationClock(): void {
  if (clockInstalled) return;
  clockInstalled = true;
  Date.now = () => {
    const clock = invocationStore.getStore()?.clock;
    return clock ? clock() : realNow();
  };
}

export function currentInvocation(): InvocationContext | undefined {
  return invocationStore.getStore();
}

export function newCounters(): InvocationCounters {
  return { storageOps: 0, storageBytesIn: 0, storageBytesOut: 0, jiraRequests: 0 };
}
