/**
 * The fault suite's scenarios: an effect kind (what a change sets off in Jira) and a fault (what goes wrong
 * on the way). Each scenario runs in a world set up by the app's own set-up (workflow, condition, validator),
 * drives a release through the real resolvers, lets the fault happen, lets time pass (faults clear, the
 * daily job and its sweep run), and digests the end state — record, Jira status, issue property, CMDB tasks,
 * DSL environment rows, comments, release issues — for comparison with the clean run of the same kind.
 */
import { realNow } from '../../sandbox/runtime/context';
import { RESOLVER_KEYS as K } from '../../src/contracts';
import { pendingKinds } from '../../src/effects';
import { ORIGIN_PROPERTY } from '../../src/jira/issues';
import { CMDB_ORIGIN_PROPERTY, CMDB_TASK_PROPERTY } from '../../src/jira/links';
import { REMINDER_PROPERTY } from '../../src/services/training-reminders';
import { ENTITY } from '../../src/storage/entities';
import { effectRequestRef, effectStateRef } from '../../src/storage/outbox';
import { getMany, getRow, setupRef } from '../../src/storage/records';
import { RELEASE_PROPERTY_KEY, type ReleaseProperty } from '../../src/workflow/rules';
import { inLibrary } from '../dsl/support';
import { HOUR, P, startWorld, type World } from '../support/release-world';

export const FAULTS = ['rateLimitedLong', 'downThenRecovers', 'lostAnswer', 'killedAfterCommit', 'lateAndDuplicateEvents'] as const;
export type Fault = (typeof FAULTS)[number];

export interface Kind {
  name: string;
  /** The Jira operation the fault hits (OpenAPI operationId). */
  operation: string;
  /** The function that dies in `killedAfterCommit`, and after which of its commits. */
  killIn: { functionKey: string; when?: (path: string, body: unknown) => boolean };
  /** Brings a release to where the change under test happens; returns its id (undefined: the change creates it). */
  prepare(w: World): Promise<string | undefined>;
  /** The change whose effects meet the fault. Returns the release id. It may fail: the fault decides. */
  change(w: World, id: string | undefined): Promise<string | undefined>;
}

const isTransaction = (path: string) => path.replace(/\?.*$/, '').endsWith('/transaction');

async function tolerate<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch {
    return undefined; // a killed invocation, or a refusal the fault caused: the end state is what counts
  }
}

async function onRelease(w: World, who: keyof typeof P, id: string, key: string, payload: Record<string, unknown> = {}): Promise<void> {
  const expectedVersion = await w.version(id);
  await w.onRelease(who, id, key, { releaseId: id, expectedVersion, ...payload });
}

async function closedWithSoftware(w: World): Promise<string> {
  const id = await w.releaseAt('BUILD_TEST', { skip: ['dsl'] });
  await inLibrary(w, { releaseIds: [id] });
  await w.act('lead', id, K.markReady);
  await w.act('implementer', id, K.startImplementation);
  await w.act('implementer', id, K.recordDeploymentResult, { succeeded: true, finishedAt: Date.now() });
  await w.act('business', id, K.recordCutover, { confirmed: true });
  await w.act('implementer', id, K.markDeployed);
  await w.act('operations', id, K.recordOperationalAcceptance, { accepted: true, resultConfirmed: true });
  return id;
}

/** The pipeline token of each world that runs the gate scenario (made once the world's set-up is done). */
const gateTokens = new WeakMap<World, string>();

async function gateEvent(w: World, body: Record<string, unknown>): Promise<number | undefined> {
  const token = gateTokens.get(w);
  if (!token) throw new Error('no pipeline token in this world');
  const res = await tolerate(() =>
    w.platform.invokeWebTrigger('deployment-gate', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) }),
  );
  return res?.statusCode;
}

export const KINDS: Kind[] = [
  {
    name: 'status (approve, then start build before Jira recovered)',
    operation: 'doTransition',
    killIn: { functionKey: 'resolver' },
    prepare: (w) => w.releaseAt('SUBMITTED'),
    async change(w, id) {
      await tolerate(() => onRelease(w, 'manager', id!, K.approve));
      // The next steps happen while Jira still lags: the record moves on, Jira must catch up two steps.
      for (const [who, key, payload] of [
        ['manager', K.changeTeam, { op: 'ADD', accountId: P.softwareControl, teamRole: 'SOFTWARE_CONTROL_LEAD' }],
        ['manager', K.changeTeam, { op: 'ADD', accountId: P.trainer, teamRole: 'TRAINING_LEAD' }],
        ['manager', K.changeTeam, { op: 'ADD', accountId: P.tester, teamRole: 'TEST_EXPERT' }],
        ['lead', K.addImplementer, { accountId: P.implementer }],
        ['lead', K.editPlan, { scope: 'Billing 2.0', schedule: 'Week 12', plannedEffortHours: 40 }],
        ['lead', K.editFallbackPlan, { triggerCriteria: 'Errors above 2%', steps: [{ action: 'Redeploy 1.9', ownerAccountId: P.implementer, expectedMinutes: 20 }], restoreDslItemId: null, dataBackupRef: 'b-1' }],
        ['lead', K.startBuild, {}],
      ] as const) {
        await tolerate(() => onRelease(w, who, id!, key, payload));
      }
      return id;
    },
  },
  {
    name: 'issue property (an implementer removed from the team)',
    operation: 'setIssueProperty',
    killIn: { functionKey: 'resolver' },
    prepare: (w) => w.releaseAt('PLANNING'),
    async change(w, id) {
      await tolerate(() => onRelease(w, 'manager', id!, K.changeTeam, { op: 'REMOVE', accountId: P.implementer, teamRole: 'IMPLEMENTER' }));
      return id;
    },
  },
  {
    name: 'CMDB-update task (verify and close)',
    operation: 'createIssue',
    killIn: { functionKey: 'resolver' },
    prepare: (w) => w.releaseAt('VERIFYING'),
    async change(w, id) {
      await tolerate(() => onRelease(w, 'operations', id!, K.verifyAndClose));
      return id;
    },
  },
  {
    name: 'DSL environment versions (verify and close; Jira down from the property on)',
    operation: 'setIssueProperty',
    killIn: { functionKey: 'resolver' },
    prepare: (w) => closedWithSoftware(w),
    async change(w, id) {
      await tolerate(() => onRelease(w, 'operations', id!, K.verifyAndClose));
      return id;
    },
  },
  {
    name: 'rollback close (fallback done)',
    operation: 'doTransition',
    killIn: { functionKey: 'resolver' },
    prepare: (w) => w.releaseAt('ROLLING_BACK'),
    async change(w, id) {
      await tolerate(() => onRelease(w, 'implementer', id!, K.completeFallback));
      return id;
    },
  },
  {
    name: 'status as the app (policy: a pipeline’s finished: success marks the release deployed)',
    operation: 'doTransition',
    killIn: { functionKey: 'on-pipeline-request', when: (path, body) => isTransaction(path) && JSON.stringify(body).includes(ENTITY.pipelineEvent) },
    async prepare(w) {
      const id = await w.releaseAt('IMPLEMENTING', { skip: ['deployment', 'cutover'] });
      const setup = (await w.platform.run(() => getRow(setupRef(w.project.id)))).value;
      await w.onProject('owner', K.savePolicy, { projectId: w.project.id, expectedVersion: setup?.version ?? 0, policy: { pipelineDeployEnvironment: 'production' } });
      const made = await w.platform.invokeResolver<{ ok: true; data: { secret: string } } | { ok: false }>({
        moduleKey: 'release-admin',
        functionKey: K.createPipelineToken,
        payload: { projectId: w.project.id, name: 'GitHub Actions' },
        accountId: P.manager,
      });
      if (!made.value.ok) throw new Error('no pipeline token');
      gateTokens.set(w, made.value.data.secret);
      return id;
    },
    async change(w, id) {
      const key = (await w.stored(id!)).release.issueKey;
      const body = { event: 'finished', release: key, environment: 'production', idempotencyKey: 'run-4711-finished', result: 'success', version: '2.0.1' };
      const status = await gateEvent(w, body);
      // A pipeline that got no answer (the function died) sends the same event again: a replay.
      if (status === undefined || status >= 500) await gateEvent(w, body);
      // Whatever Jira does, the record moved (the faults strike after its commit): Jira must follow it.
      const moved = (await w.stored(id!)).release.status;
      if (moved !== 'VERIFYING') throw new Error(`the pipeline's success did not mark the release deployed (${moved})`);
      return id;
    },
  },
  {
    name: 'overdue-training reminder comment (daily job)',
    operation: 'addComment',
    killIn: { functionKey: 'daily-job-continue', when: (path, body) => isTransaction(path) && JSON.stringify(body).includes(ENTITY.trainingReminder) },
    prepare: (w) => w.releaseAt('PLANNING'),
    async change(w, id) {
      w.platform.setClock(() => realNow() + 3 * 24 * HOUR); // its training is now overdue
      await tolerate(() => w.platform.runScheduled('daily-kpi-and-training'));
      await tolerate(() => w.platform.drainQueues()); // the reminders unit runs in a consumer
      return id;
    },
  },
  {
    name: 'release request issue (submission)',
    operation: 'createIssue',
    killIn: { functionKey: 'resolver' },
    async prepare(w) {
      await w.onProject('requester', K.getProjectContext, {}); // the world's set-up has finished
      return undefined;
    },
    async change(w) {
      const res = await tolerate(() =>
        w.platform.invokeResolver<{ ok: boolean; data?: { id: string } }>({
          moduleKey: 'raise-release',
          functionKey: K.submitRelease,
          accountId: P.requester,
          extension: { type: 'jira:issueAction', issue: { id: w.changeRequest.id, key: w.changeRequest.key }, project: { id: w.project.id, key: 'RG' } },
          payload: { projectId: w.project.id, linkedChangeKey: w.changeRequest.key, summary: 'Release: billing service 2.0' },
        }),
      );
      if (res?.value.ok && res.value.data) return res.value.data.id;
      // No answer (the function died): the requester finds the request in Jira, if it was made.
      const setup = (await w.platform.run(() => getRow(setupRef(w.project.id)))).value;
      const made = w.jira.state.issues().find((i) => String(i.issueTypeId) === setup?.doc.issueTypeId);
      // Refused while Jira was down: the requester submits again once it is back (what a person does).
      return made ? String(made.id) : undefined;
    },
  },
];

/** Injects the fault; the returned check says whether it actually struck. */
export function injectFault(w: World, kind: Kind, fault: Fault): () => boolean {
  const faultsBefore = w.jira.requestLog.filter((e) => e.fault).length;
  const struck = () => w.jira.requestLog.filter((e) => e.fault).length > faultsBefore;
  switch (fault) {
    case 'rateLimitedLong':
      w.jira.injectFault({ operation: kind.operation, status: 429, retryAfterSeconds: 600, times: Infinity });
      return struck;
    case 'downThenRecovers':
      w.jira.injectFault({ operation: kind.operation, status: 503, times: Infinity });
      return struck;
    case 'lostAnswer':
      w.jira.injectFault({ operation: kind.operation, status: 502, mode: 'lostAnswer', times: 2 });
      return struck;
    case 'killedAfterCommit': {
      const kill = w.platform.killAfterStorage({ functionKey: kind.killIn.functionKey, ...(kind.killIn.when ? { when: kind.killIn.when } : {}) });
      return () => kill.fired > 0;
    }
    case 'lateAndDuplicateEvents':
      return () => true; // the world delivers every product event late and twice
  }
}

/** Time passes: Jira recovers, late events arrive, the next daily job runs (with its sweep). */
export async function later(w: World, fault?: Fault | 'clean'): Promise<void> {
  w.jira.clearFaults();
  await w.jira.flushEvents();
  await w.platform.drainEvents();
  // The jira-effects consumer retries what was queued (each event delivered twice when events come twice).
  await w.platform.drainQueues(fault === 'lateAndDuplicateEvents' ? { redeliver: () => true } : {});
  await w.jira.flushEvents();
  await w.platform.drainEvents();
  w.platform.setClock(() => realNow() + 4 * 24 * HOUR);
  const month = new Date(realNow()).toISOString().slice(0, 7);
  const inv = await w.platform.runScheduled<{ statusCode: number }>('daily-kpi-and-training', { options: { months: [month] } });
  if (inv.value.statusCode !== 204) throw new Error('the daily job failed');
  await w.platform.drainQueues(); // its units, in consumers
  await w.jira.flushEvents();
  await w.platform.drainEvents();
}

export function worldFor(fault: Fault | 'clean'): World {
  return startWorld({ workflow: true, lateAndDuplicateEvents: fault === 'lateAndDuplicateEvents' });
}

/** Everything Jira and the records say about the scenario's release, without ids and times that differ between runs. */
export async function digest(w: World, id: string | undefined): Promise<Record<string, unknown>> {
  const setup = (await w.platform.run(() => getRow(setupRef(w.project.id)))).value;
  const releaseType = Number(setup?.doc.issueTypeId);
  const issues = w.jira.state.issues();
  const releaseIssues = issues.filter((i) => i.issueTypeId === releaseType);
  const records = (w.platform.db.prepare('SELECT count(*) AS n FROM kvs_items WHERE ns = ?').get(`entity:${ENTITY.release}`) as { n: number }).n;
  const common = { releaseIssues: releaseIssues.length, records, submissionMarkers: releaseIssues.filter((i) => w.jira.getIssue(String(i.id))?.properties[ORIGIN_PROPERTY]).length };
  if (!id) return common;
  const s = await w.stored(id);
  const issue = w.jira.getIssue(id);
  const prop = issue?.properties[RELEASE_PROPERTY_KEY] as ReleaseProperty | undefined;
  const cmdbTasks = issues.filter((i) => (w.jira.getIssue(String(i.id))?.properties[CMDB_ORIGIN_PROPERTY] as { releaseId?: string } | undefined)?.releaseId === id);
  const cmdbKey = (issue?.properties[CMDB_TASK_PROPERTY] as { key?: string } | undefined)?.key;
  const envRows = (w.platform.db.prepare('SELECT value FROM kvs_items WHERE ns = ?').all(`entity:${ENTITY.dslEnvironment}`) as { value: string }[])
    .map((r) => (JSON.parse(r.value) as { doc: { releaseId: string; environment: string; version: string } }).doc)
    .filter((d) => d.releaseId === id)
    .map((d) => `${d.environment} ${d.version}`)
    .sort();
  const comments = w.jira.state.comments(Number(id)).filter((c) => Object.keys(c.properties ?? {}).includes(REMINDER_PROPERTY));
  const [request, state] = (await w.platform.run(() => getMany([effectRequestRef(id), effectStateRef(id)] as const))).value;
  const links = w.jira.state.linksOf(Number(id)).length;
  return {
    ...common,
    status: s.release.status,
    outcome: s.release.outcome,
    // Versions count writes (an issue-created event may make the record first): Jira must show the latest.
    propertyAtRecordVersion: prop?.version === s.release.version,
    jiraStatus: issue?.statusName,
    property: prop && {
      status: prop.status,
      outcome: prop.outcome,
      classification: prop.classification,
      lead: prop.lead,
      teamAccountIds: [...prop.teamAccountIds].sort(),
      holders: prop.holders,
    },
    cmdbTasks: cmdbTasks.length,
    cmdbTaskNoted: cmdbKey !== undefined && cmdbTasks.some((t) => t.key === cmdbKey),
    links,
    envRows,
    reminderComments: comments.length,
    pending: pendingKinds(request?.doc ?? null, state?.doc ?? null),
  };
}
