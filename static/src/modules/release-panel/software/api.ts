import { RESOLVER_KEYS as K } from '../../../../../src/contracts/keys';
import type { DslCommandResult, DslConsistencyView, DslItemRow, Page } from '../../../../../src/contracts/views';
import type { DslItem, DslStatus } from '../../../../../src/domain/dsl';
import type { DslFinding } from '../../../../../src/domain/dsl-consistency';
import { requestJira } from '@forge/bridge';
import { CMDB_TASK_PROPERTY } from '../../../../../src/contracts/jira-properties';
import { resolver } from '../../../shared';

export type { DslFinding, DslItem, DslItemRow, DslStatus };

export const listDslItems = resolver<{ projectId: string; releaseId?: string; status?: DslStatus; limit?: number }, Page<DslItemRow>>(K.listDslItems);
export const getConsistency = resolver<{ projectId: string; releaseId: string }, DslConsistencyView>(K.getDslConsistency);
export const linkItem = resolver<{ itemId: string; expectedVersion: number; releaseId: string }, DslCommandResult>(K.dslLink);

/**
 * The CMDB-update task raised for a closed release: the key the app keeps in the release issue's property,
 * read as the user from Jira (null while none has been raised, or when the user cannot see it).
 */
export async function cmdbTaskKeyOf(releaseIssueKey: string): Promise<string | null> {
  const res = await requestJira(`/rest/api/3/issue/${encodeURIComponent(releaseIssueKey)}/properties/${CMDB_TASK_PROPERTY}`, { headers: { Accept: 'application/json' } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`Jira answered ${res.status}`);
  const body = (await res.json()) as { value?: { key?: unknown } };
  return typeof body.value?.key === 'string' ? body.value.key : null;
}
