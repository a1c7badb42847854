/**
 * The CMDB-update task's content (SPEC §2 release lead: "after success notifies configuration management to
 * update the CMDB"; §3 verify and close: "CMDB-update task raised"). Pure: what the task says about a closed
 * release — the configuration items it changed, the software names and versions deployed with their
 * checksums, and the release it came from. How and when the task reaches Jira is the effect's business; it
 * calls this to know what to write. Bilingual, since Jira shows one text to everyone.
 */
import type { DslItem } from './dsl';

/** The Atlassian Document Format nodes this content uses (a subset Jira accepts in an issue description). */
export type AdfMark = { type: 'link'; attrs: { href: string } } | { type: 'code' } | { type: 'strong' };
export interface AdfText {
  type: 'text';
  text: string;
  marks?: AdfMark[];
}
export interface AdfParagraph {
  type: 'paragraph';
  content: AdfText[];
}
export interface AdfTableCell {
  type: 'tableHeader' | 'tableCell';
  content: AdfParagraph[];
}
export interface AdfTable {
  type: 'table';
  content: { type: 'tableRow'; content: AdfTableCell[] }[];
}
export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: (AdfParagraph | AdfTable)[];
}

/** What the task needs of an item deployed by the release. */
export type CmdbTaskItem = Pick<DslItem, 'name' | 'version' | 'sha256' | 'sizeBytes' | 'storageUri' | 'cmdbCiRef' | 'status'>;

export interface CmdbTaskInput {
  readonly release: { readonly issueKey: string; readonly closedAt: number | null };
  /** The release's DSL items (full records: the summaries carry no checksum). */
  readonly items: readonly CmdbTaskItem[];
  /** An absolute link to the release issue, when the caller knows the site (else the task's issue link points back). */
  readonly releaseUrl?: string;
}

export interface CmdbTaskContent {
  readonly summary: string;
  readonly description: AdfDocument;
  /** The configuration items named, for the effect's record and its tests. */
  readonly configurationItems: readonly string[];
}

/** Items a successful close deployed: those in the library or checked out for the deployment (as the environment update takes them). */
export function deployedItems<T extends Pick<DslItem, 'status'>>(items: readonly T[]): T[] {
  return items.filter((i) => i.status === 'IN_LIBRARY' || i.status === 'CHECKED_OUT');
}

const text = (t: string, marks?: AdfMark[]): AdfText => (marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });
const para = (...content: AdfText[]): AdfParagraph => ({ type: 'paragraph', content });
const cell = (kind: AdfTableCell['type'], value: AdfText): AdfTableCell => ({ type: kind, content: [para(value)] });
const utcDate = (at: number): string => new Date(at).toISOString().slice(0, 10);

const NO_CI = 'none recorded / 未登记';

export function cmdbTaskContent(input: CmdbTaskInput): CmdbTaskContent {
  const key = input.release.issueKey;
  const items = [...deployedItems(input.items)].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const when = input.release.closedAt !== null ? ` ${utcDate(input.release.closedAt)} (UTC)` : '';
  const whenZh = input.release.closedAt !== null ? `于 ${utcDate(input.release.closedAt)}(UTC)` : '';
  const releaseRef = input.releaseUrl ? text(key, [{ type: 'link', attrs: { href: input.releaseUrl } }]) : text(key, [{ type: 'strong' }]);

  const content: AdfDocument['content'] = [
    para(
      text('Release '),
      releaseRef,
      text(` closed successfully${when}. Update these configuration items in the CMDB to the versions now deployed, and confirm that the Definitive Software Library agrees with the CMDB.`),
    ),
    para(text('发布 '), releaseRef, text(` 已${whenZh}成功关闭。请在 CMDB 中将以下配置项更新为现已部署的版本,并确认最终软件库记录与 CMDB 一致。`)),
  ];
  if (items.length === 0) {
    content.push(para(text('No software items were recorded in the library for this release: check with the release lead what changed. / 本发布在最终软件库中没有登记软件项:请向发布主管确认变更内容。')));
  } else {
    const header = ['Configuration item / 配置项', 'Software / 软件', 'Version / 版本', 'SHA-256', 'Size (bytes) / 大小(字节)', 'Location / 存储位置'];
    content.push({
      type: 'table',
      content: [
        { type: 'tableRow', content: header.map((h) => cell('tableHeader', text(h))) },
        ...items.map((i) => ({
          type: 'tableRow' as const,
          content: [
            cell('tableCell', text(i.cmdbCiRef?.trim() || NO_CI)),
            cell('tableCell', text(i.name)),
            cell('tableCell', text(i.version)),
            cell('tableCell', text(i.sha256, [{ type: 'code' }])),
            cell('tableCell', text(String(i.sizeBytes))),
            cell('tableCell', text(i.storageUri)),
          ],
        })),
      ],
    });
  }
  content.push(para(text('Raised by Release Governance for release '), releaseRef, text('. / 由发布治理为发布 '), releaseRef, text(' 创建。')));
  return {
    summary: `Update the CMDB for release ${key} / 发布 ${key} 后更新 CMDB`,
    description: { type: 'doc', version: 1, content },
    configurationItems: items.map((i) => i.cmdbCiRef?.trim() || `${i.name} ${i.version}`),
  };
}

/** The text of an ADF document, paragraphs and cells joined by new lines (for tests and plain-text views). */
export function adfPlainText(doc: AdfDocument): string {
  const inline = (p: AdfParagraph) => p.content.map((t) => t.text).join('');
  return doc.content
    .map((n) => (n.type === 'paragraph' ? inline(n) : n.content.map((row) => row.content.map((c) => c.content.map(inline).join(' ')).join(' | ')).join('\n')))
    .join('\n');
}
