/**
 * The Jira effects outbox (src/effects/ decides what they mean): per release, two rows of the `jira-outbox`
 * entity. The REQUESTED row is written only by a change of the release, in the change's own transaction
 * (under the release row's version lock): for each effect kind, the release version that last asked for it.
 * The STATE row is written only by whoever applies the effects: for each kind, the version applied, and the
 * attempts, the next attempt and the last error. Keeping them apart means applying effects never makes a
 * user's change fail with a conflict, and a change never loses a request an applier was settling.
 */
import { z } from 'zod';
import { ENTITY } from './entities';
import { safeKey, type Changes, type GetRef } from './store';

export const EFFECT_KINDS = ['PROPERTY', 'STATUS', 'CHANGE_LINK', 'CMDB_TASK', 'DSL_ENVIRONMENTS'] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

const seqs = z.partialRecord(z.enum(EFFECT_KINDS), z.number().int().nonnegative());

export const effectRequestSchema = z
  .object({
    releaseId: z.string().min(1),
    projectId: z.string().min(1),
    /** Effect kind → the release version whose change asked for it last. */
    requested: seqs,
    /** Who made the change that asked last (Jira's transition is made as them when they are still here). */
    actorAccountId: z.string(),
    at: z.number(),
  })
  .strict();
export type EffectRequest = z.infer<typeof effectRequestSchema>;

export const effectStateSchema = z
  .object({
    releaseId: z.string().min(1),
    projectId: z.string().min(1),
    /** Effect kind → the release version it was applied at. */
    applied: seqs,
    /** Failed attempts since the last success. */
    attempts: z.number().int().nonnegative(),
    nextAttemptAt: z.number().nullable(),
    lastError: z.object({ message: z.string().max(500), at: z.number(), status: z.number().int().optional() }).strict().nullable(),
    /** A read found Jira disagreeing with the record: status and property are re-applied. */
    drift: z.boolean(),
    updatedAt: z.number(),
  })
  .strict();
export type EffectState = z.infer<typeof effectStateSchema>;

const requestKey = (releaseId: string) => safeKey(releaseId, 'requested');
const stateKey = (releaseId: string) => safeKey(releaseId, 'state');

export const effectRequestRef = (releaseId: string): GetRef<EffectRequest> => ({ entity: ENTITY.jiraOutbox, key: requestKey(releaseId), schema: effectRequestSchema });
export const effectStateRef = (releaseId: string): GetRef<EffectState> => ({ entity: ENTITY.jiraOutbox, key: stateKey(releaseId), schema: effectStateSchema });

export function putEffectRequest(changes: Changes, r: EffectRequest, expectedVersion: number | null): void {
  changes.put(ENTITY.jiraOutbox, requestKey(r.releaseId), { projectId: r.projectId, releaseId: r.releaseId, updatedAt: r.at }, r, expectedVersion);
}

export function putEffectState(changes: Changes, s: EffectState, expectedVersion: number | null): void {
  changes.put(ENTITY.jiraOutbox, stateKey(s.releaseId), { projectId: s.projectId, releaseId: s.releaseId, updatedAt: s.updatedAt }, s, expectedVersion);
}
