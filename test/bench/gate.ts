import type { CreatedPipelineToken } from '../../src/contracts/views';
import type { Envelope } from '../../src/contracts/envelope';
import { startWorld } from '../support/release-world';

/**
 * The deployment gate as pipelines call it, on the local platform: time and Forge counters (storage
 * operations, Jira requests) of a `check`, a recorded `started` and its replay; and, in a project set up with
 * the app's workflow and the policy "a pipeline's success marks the release deployed" on, a `finished: success`
 * that moves the release to VERIFYING and Jira's status with it (as the app).
 */
export async function benchGate(): Promise<string[]> {
  const w = startWorld();
  try {
    const created = await w.platform.invokeResolver<Envelope<CreatedPipelineToken>>({ moduleKey: 'release-admin', functionKey: 'pipeline/createToken', payload: { projectId: w.project.id, name: 'bench' }, accountId: 'acc-manager' });
    if (!created.value.ok) throw new Error(created.value.error.message);
    const secret = created.value.data.secret;
    const id = await w.releaseAt('IMPLEMENTING', { skip: ['deployment', 'cutover'] });
    const key = (await w.stored(id)).release.issueKey;
    const call = (body: unknown) => w.platform.invokeWebTrigger('deployment-gate', { method: 'POST', headers: { Authorization: `Bearer ${secret}` }, body: JSON.stringify(body) });
    const check = { event: 'check', release: key, environment: 'production' };
    await call(check);
    const times: number[] = [];
    let counters = '';
    // Under the per-token limit of 60 a minute.
    for (let i = 0; i < 50; i++) {
      const r = await call(check);
      times.push(r.invocation.durationMs);
      counters = JSON.stringify(r.invocation.counters);
    }
    times.sort((a, b) => a - b);
    const started = await call({ event: 'started', release: key, environment: 'production', idempotencyKey: 'bench-started-1' });
    const replay = await call({ event: 'started', release: key, environment: 'production', idempotencyKey: 'bench-started-1' });
    return [
      `check × 50: median ${(times[25] ?? 0).toFixed(1)} ms, p95 ${(times[47] ?? 0).toFixed(1)} ms; per call ${counters}`,
      `started (recorded, ${started.statusCode}): ${started.invocation.durationMs.toFixed(1)} ms; ${JSON.stringify(started.invocation.counters)}`,
      `started replayed (${replay.statusCode}): ${replay.invocation.durationMs.toFixed(1)} ms; ${JSON.stringify(replay.invocation.counters)}`,
      ...(await benchDeployedByPolicy()),
    ];
  } finally {
    await w.close();
  }
}

async function benchDeployedByPolicy(): Promise<string[]> {
  const w = startWorld({ workflow: true });
  try {
    const id = await w.releaseAt('IMPLEMENTING', { skip: ['deployment', 'cutover'] });
    const key = (await w.stored(id)).release.issueKey;
    const setup = await w.onProject<{ setup: { version: number } }>('owner', 'admin/getSetupStatus', { projectId: w.project.id });
    if (!setup.value.ok) throw new Error('set-up status');
    await w.onProject('owner', 'admin/savePolicy', { projectId: w.project.id, expectedVersion: setup.value.data.setup.version, policy: { pipelineDeployEnvironment: 'production' } });
    const created = await w.platform.invokeResolver<Envelope<CreatedPipelineToken>>({ moduleKey: 'release-admin', functionKey: 'pipeline/createToken', payload: { projectId: w.project.id, name: 'bench' }, accountId: 'acc-manager' });
    if (!created.value.ok) throw new Error(created.value.error.message);
    const body = JSON.stringify({ event: 'finished', release: key, environment: 'production', idempotencyKey: 'bench-finished-1', result: 'success' });
    const call = () => w.platform.invokeWebTrigger('deployment-gate', { method: 'POST', headers: { Authorization: `Bearer ${created.value.ok ? created.value.data.secret : ''}` }, body });
    const done = await call();
    const status = (await w.stored(id)).release.status;
    const replay = await call();
    return [
      `finished: success, policy on (${done.statusCode} ${done.body}; record ${status}, Jira ${w.jira.getIssue(id)?.statusName ?? '?'}): ${done.invocation.durationMs.toFixed(1)} ms; ${JSON.stringify(done.invocation.counters)}`,
      `its replay (${replay.statusCode}): ${replay.invocation.durationMs.toFixed(1)} ms; ${JSON.stringify(replay.invocation.counters)}`,
    ];
  } finally {
    await w.close();
  }
}
