import { cmdbTaskContent } from '../domain/cmdb-task';
import type { ReleaseContext } from '../domain/context';
import { raiseCmdbUpdateTask } from '../jira/links';
import { dslItemRef, getRows } from '../storage/dsl';
import type { ProjectSetup } from '../storage/records';

/**
 * 发布成功后通知配置管理更新配置信息: the CMDB-update task of a successfully closed release, raised once however
 * often it is asked and whatever failed before (src/jira/links.ts finds it by its marker). Its content comes
 * from one pure function (`cmdbTaskContent`, domain/cmdb-task.ts).
 */
export async function raiseCmdbTaskFor(ctx: Pick<ReleaseContext, 'release' | 'dslItems'>, setup: ProjectSetup | null): Promise<string | null> {
  const r = ctx.release;
  if (r.status !== 'CLOSED' || r.outcome !== 'SUCCESS' || !r.issueKey) return null;
  // The summaries a release keeps carry no checksum or CI reference: the task names them from the items.
  const items = (await getRows(ctx.dslItems.map((i) => dslItemRef(i.id)))).flatMap((row) => (row && row.doc.projectId === r.projectId ? [row.doc] : []));
  const content = cmdbTaskContent({ release: { issueKey: r.issueKey, closedAt: r.statusEnteredAt.CLOSED ?? null }, items });
  const task = await raiseCmdbUpdateTask({
    releaseId: r.id,
    releaseIssueKey: r.issueKey,
    projectId: r.projectId,
    releaseIssueTypeId: setup?.issueTypeId,
    summary: content.summary,
    description: content.description,
  });
  return task?.key ?? null;
}
