import { effectRequestRef, effectStateRef, putEffectRequest, type EffectKind, type EffectRequest, type EffectState } from '../storage/outbox';
import type { Changes, GetRef, Row } from '../storage/store';

/** The two outbox rows of a release, for the caller's one `getMany` (the panel and every command read them with the release). */
export function outboxRefs(releaseId: string): readonly [GetRef<EffectRequest>, GetRef<EffectState>] {
  return [effectRequestRef(releaseId), effectStateRef(releaseId)] as const;
}

export interface EffectRequestInput {
  releaseId: string;
  projectId: string;
  /** The release version the change commits (the row's new version). */
  releaseVersion: number;
  kinds: readonly EffectKind[];
  actorAccountId: string;
  at: number;
}

/**
 * Adds the change's Jira effects to its own transaction, as pending: whatever happens after the commit
 * (Jira down, the function killed), the outbox says what Jira still owes the record. `current` is the
 * REQUESTED row as read with the release (null when the release never asked for anything).
 */
export function requestEffects(changes: Changes, current: Row<EffectRequest> | null, input: EffectRequestInput): EffectRequest {
  const requested = { ...(current?.doc.requested ?? {}) };
  for (const kind of input.kinds) requested[kind] = input.releaseVersion;
  const row: EffectRequest = { releaseId: input.releaseId, projectId: input.projectId, requested, actorAccountId: input.actorAccountId, at: input.at };
  putEffectRequest(changes, row, current?.version ?? null);
  return row;
}
