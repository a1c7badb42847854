/** Shared, bounded building blocks for payload schemas. */
import { z } from 'zod';
import { LIMITS } from './limits';

/** Atlassian account id (e.g. `5b10ac8d82e05b22cc7d4ef5` or `712020:…`). */
export const accountId = z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/, 'invalid account id');
/** Jira numeric id (issue, project, project role, fix version). */
export const jiraId = z.string().regex(/^\d{1,18}$/, 'invalid id');
export const issueKey = z.string().regex(/^[A-Z][A-Z0-9_]{0,49}-\d{1,12}$/, 'invalid issue key');
/** Storage-generated id (DSL item, training task, improvement action, usage request). */
export const entityId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'invalid id');
/** Epoch milliseconds, between 2000 and 2100. */
export const epochMs = z.number().int().min(946_684_800_000).max(4_102_444_800_000);
export const version = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');
export const cursor = z.string().max(LIMITS.cursor);
export const limit = z.number().int().min(1).max(LIMITS.pageSize);

/** Non-blank text of at most `max` characters. */
export const text = (max: number) => z.string().trim().min(1).max(max);
/** Optional free text (may be empty). */
export const note = (max: number = LIMITS.text) => z.string().max(max);
export const httpsUrl = z.url({ protocol: /^https?$/ }).max(LIMITS.url);
