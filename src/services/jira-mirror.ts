import type { Release } from '../domain/release';

/**
 * What the CMDB-update task says (发布成功后通知配置管理更新配置信息): one pure function, so that its content
 * can change without touching how it reaches Jira (src/effects/ raises it once, whatever fails). Bilingual,
 * since Jira shows one text to everyone.
 */
export function cmdbTaskContent(r: Pick<Release, 'issueKey'>): { summary: string; description: string } {
  const key = r.issueKey ?? '';
  return {
    summary: `Update the CMDB for release ${key} / 发布 ${key} 后更新 CMDB`,
    description:
      `Release ${key} closed successfully. Update the configuration items it changed and confirm that the DSL records agree with the CMDB. / ` +
      `发布 ${key} 已成功关闭。请更新其变更的配置项,并确认最终软件库记录与 CMDB 一致。`,
  };
}
