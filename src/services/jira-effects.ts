/** `jira/retry`: an admin (the process owner) applies a release's pending Jira effects now, instead of waiting for the retry. */
import { RESOLVER_KEYS as K, type PayloadOf } from '../contracts';
import type { JiraSyncView } from '../contracts/views';
import { decide } from '../domain/decide';
import { applyReleaseEffects, jiraSyncView } from '../effects';
import { getMany } from '../storage/records';
import { outboxRefs } from '../effects/request';
import { now } from './commit';
import { ServiceError, refused } from './errors';
import { loadRelease } from './load';
import { resolveIssueScope, type Caller } from './scope';

export async function retryJiraEffects(caller: Caller, p: PayloadOf<typeof K.retryJira>): Promise<JiraSyncView> {
  const scope = await resolveIssueScope(caller, p.releaseId);
  const t = now();
  const b = await loadRelease(scope, scope.issue.id, t);
  if (!b.release) throw new ServiceError('NOT_FOUND', { field: 'releaseId' });
  const d = decide(b.actor, null, 'editPolicy', t, b.policy);
  if (!d.allowed) throw refused(d.reasons);
  // Status and property are re-checked against Jira whatever the outbox says (drift), the rest if owed.
  await applyReleaseEffects(b.releaseId, scope.projectId, { now: t, drift: true });
  const [request, state] = await getMany(outboxRefs(b.releaseId));
  return jiraSyncView(request?.doc ?? null, state?.doc ?? null);
}
