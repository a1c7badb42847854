import { route } from '@forge/api';
import { z } from 'zod';
import { createOnce, requestJira, SINGLE_ATTEMPT } from './client';

/**
 * Comments on a release issue, posted by the app (its own reminders, after its own decision). A comment
 * carries an entity property naming what it is about, so that a later run can find whether it was posted.
 */

export interface CommentProperty {
  key: string;
  value: Record<string, string | number>;
}

/** Atlassian Document Format, only the nodes the app writes. */
export type AdfInline = { type: 'text'; text: string } | { type: 'mention'; attrs: { id: string } };
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: { type: 'paragraph'; content: AdfInline[] }[];
}

const createdSchema = z.object({ id: z.string() }).loose();
const pageSchema = z
  .object({
    total: z.number().optional(),
    comments: z.array(z.object({ id: z.string(), properties: z.array(z.object({ key: z.string(), value: z.unknown() }).loose()).optional() }).loose()),
  })
  .loose();

/**
 * Posts the comment once: it carries `property`, and when Jira's answer is lost the comment is looked for
 * by `isSame` (over that property's value) before posting again.
 */
export async function addIssueComment(issueIdOrKey: string, body: AdfDoc, property: CommentProperty, isSame: (value: unknown) => boolean): Promise<string> {
  const made = await createOnce(
    () => findIssueComment(issueIdOrKey, property.key, isSame),
    async () =>
      (
        await requestJira(route`/rest/api/3/issue/${issueIdOrKey}/comment`, {
          as: 'app',
          method: 'POST',
          body: { body, properties: [property] },
          schema: createdSchema,
          retry: SINGLE_ATTEMPT,
        })
      ).data.id,
    { findFirst: false },
  );
  return made.value;
}

/** The id of the newest comment (of the latest 200) whose property `key` matches, or null. */
export async function findIssueComment(issueIdOrKey: string, key: string, matches: (value: unknown) => boolean): Promise<string | null> {
  for (let startAt = 0; startAt < 200; startAt += 100) {
    const { data } = await requestJira(route`/rest/api/3/issue/${issueIdOrKey}/comment?orderBy=-created&startAt=${startAt}&maxResults=100&expand=properties`, {
      as: 'app',
      schema: pageSchema,
    });
    const hit = data.comments.find((c) => (c.properties ?? []).some((p) => p.key === key && matches(p.value)));
    if (hit) return hit.id;
    if (data.comments.length < 100) return null;
  }
  return null;
}
