import { requestJira } from '@forge/bridge';
import { RESOLVER_KEYS } from '../../../../src/contracts/keys';
import { FIELD_LIMITS, LIMITS } from '../../../../src/contracts/limits';
import type { Classification, Release } from '../../../../src/domain/release';
import { resolver } from '../../shared';

export interface SubmitPayload {
  [key: string]: unknown;
  projectId: string;
  linkedChangeKey: string;
  summary: string;
  description?: string;
  classification?: Classification;
  /** Why another release is raised from a change request that has one already. */
  raiseAnotherReason?: string;
}

/** What the dialog knows before raising: is the issue a release request itself, and its releases so far. */
export interface ChangeReleases {
  changeKey: string;
  isReleaseRequest: boolean;
  releases: Release[];
}

export const releasesOfChange = resolver<{ projectId: string; changeKey: string }, ChangeReleases>(RESOLVER_KEYS.releasesOfChange);

/** Bound of the "raise another" reason (`release/submit`). */
export const REASON_MAX = LIMITS.text;

export const submitRelease = resolver<SubmitPayload, Release>(RESOLVER_KEYS.submitRelease);

/** Bounds of `release/submit`, from the module its zod schema is built from (zod-free). */
export const SUBMIT_BOUNDS = { summary: FIELD_LIMITS.summary, description: LIMITS.longText } as const;

function adfText(node: unknown): string {
  if (typeof node === 'string') return node;
  if (typeof node !== 'object' || node === null) return '';
  const n = node as { type?: unknown; text?: unknown; content?: unknown };
  if (n.type === 'text' && typeof n.text === 'string') return n.text;
  if (n.type === 'hardBreak') return '\n';
  const inner = Array.isArray(n.content) ? n.content.map(adfText).join('') : '';
  return n.type === 'paragraph' || n.type === 'heading' || n.type === 'listItem' ? `${inner}\n` : inner;
}

/**
 * The change request's summary and description, read from Jira as the user (the issue action opens on it).
 * Null when Jira cannot be asked from the frame (e.g. a host without product fetch): the form then starts
 * from the issue key alone.
 */
export async function readChangeRequest(issueKey: string): Promise<{ summary: string; description: string } | null> {
  try {
    const res = await requestJira(`/rest/api/3/issue/${encodeURIComponent(issueKey)}?fields=summary,description`, { headers: { Accept: 'application/json' } });
    if (!res.ok) return null;
    const body = (await res.json()) as { fields?: { summary?: unknown; description?: unknown } };
    const summary = typeof body.fields?.summary === 'string' ? body.fields.summary : '';
    return { summary, description: adfText(body.fields?.description).trim() };
  } catch {
    return null;
  }
}
