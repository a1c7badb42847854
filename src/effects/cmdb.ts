import type { ReleaseContext } from '../domain/context';
import { raiseCmdbUpdateTask } from '../jira/links';
import type { ProjectSetup } from '../storage/records';
import { cmdbTaskContent } from '../services/jira-mirror';

/**
 * 发布成功后通知配置管理更新配置信息: the CMDB-update task of a successfully closed release, raised once however
 * often it is asked and whatever failed before (src/jira/links.ts finds it by its marker). Its content comes
 * from one pure function (`cmdbTaskContent`).
 */
export async function raiseCmdbTaskFor(ctx: Pick<ReleaseContext, 'release'>, setup: ProjectSetup | null): Promise<string | null> {
  const r = ctx.release;
  if (r.status !== 'CLOSED' || r.outcome !== 'SUCCESS' || !r.issueKey) return null;
  const task = await raiseCmdbUpdateTask({
    releaseId: r.id,
    releaseIssueKey: r.issueKey,
    projectId: r.projectId,
    releaseIssueTypeId: setup?.issueTypeId,
    ...cmdbTaskContent(r),
  });
  return task?.key ?? null;
}
