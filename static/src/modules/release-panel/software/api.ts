import { RESOLVER_KEYS as K } from '../../../../../src/contracts/keys';
import type { DslItem, DslStatus } from '../../../../../src/domain/dsl';
import type { DslFinding } from '../../../../../src/domain/dsl-consistency';
import { resolver } from '../../../shared';

export type { DslFinding, DslItem, DslStatus };
export type DslItemRow = DslItem & { rowVersion: number };

export const listDslItems = resolver<{ projectId: string; releaseId?: string; status?: DslStatus; limit?: number }, { items: DslItemRow[]; cursor?: string }>(K.listDslItems);
export const getConsistency = resolver<{ projectId: string; releaseId: string }, { findings: DslFinding[]; checkedAt: number; truncated: boolean; fixVersionsUnknown: boolean }>(
  K.getDslConsistency,
);
export const linkItem = resolver<{ itemId: string; expectedVersion: number; releaseId: string }, { item: DslItem; version: number }>(K.dslLink);
