import type { JiraSyncView } from '../contracts/views';
import type { EffectRequest, EffectState } from '../storage/outbox';
import { pendingKinds } from './apply';

/** What the panel says about Jira: in step, being updated, or could not be updated (and when it retries). */
export function jiraSyncView(request: EffectRequest | null, state: EffectState | null): JiraSyncView {
  const pending = pendingKinds(request, state);
  if (pending.length === 0) return { state: 'SYNCED', attempts: 0, nextAttemptAt: null, reason: null, message: null };
  if (state?.lastError) {
    return { state: 'FAILED', attempts: state.attempts, nextAttemptAt: state.nextAttemptAt, reason: reasonOf(state.lastError.status), message: state.lastError.message };
  }
  return { state: 'PENDING', attempts: state?.attempts ?? 0, nextAttemptAt: state?.nextAttemptAt ?? null, reason: null, message: null };
}

function reasonOf(status: number | undefined): JiraSyncView['reason'] {
  if (status === 429) return 'RATE_LIMITED';
  if (status !== undefined && status >= 500) return 'UNAVAILABLE';
  if (status !== undefined && status >= 400) return 'REFUSED';
  return 'OTHER';
}
