import { RESOLVER_KEYS as K } from '../../../../../src/contracts/keys';
import type { DslCommandResult, DslConsistencyView, DslItemRow, Page } from '../../../../../src/contracts/views';
import type { DslItem, DslStatus } from '../../../../../src/domain/dsl';
import type { DslFinding } from '../../../../../src/domain/dsl-consistency';
import { resolver } from '../../../shared';

export type { DslFinding, DslItem, DslItemRow, DslStatus };

export const listDslItems = resolver<{ projectId: string; releaseId?: string; status?: DslStatus; limit?: number }, Page<DslItemRow>>(K.listDslItems);
export const getConsistency = resolver<{ projectId: string; releaseId: string }, DslConsistencyView>(K.getDslConsistency);
export const linkItem = resolver<{ itemId: string; expectedVersion: number; releaseId: string }, DslCommandResult>(K.dslLink);
