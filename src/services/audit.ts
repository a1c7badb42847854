/**
 * The audit trail as an auditor reads it: a release's or DSL item's trail (anyone who can browse the project),
 * the project's trail filtered by period, person, action, release or DSL item (process owner, release managers,
 * Jira project administrators), its export in pages rendered in both languages, and the verification of its
 * hash chains (process owner; `npm run audit:verify` reads the same chains from a database file).
 */
import enUS from '../../locales/en-US.json';
import zhCN from '../../locales/zh-CN.json';
import type { PayloadOf, RESOLVER_KEYS as K } from '../contracts';
import type { AuditEntry, AuditRefs } from '../contracts/views';
import {
  AUDIT_GENESIS,
  auditActorName,
  auditChangeText,
  auditRefs,
  checkChainSegment,
  renderAuditEvent,
  type AuditRenderContext,
  type ChainBreak,
} from '../domain/audit';
import type { AuditExportRow } from '../domain/audit-export';
import type { StandingRole } from '../domain/roles';
import { canAdministerProject } from '../jira/issues';
import { dslItemRef } from '../storage/dsl';
import { auditChainHeads, auditOfChain, auditOfProject, releaseRef, type AuditChainHead, type AuditEvent } from '../storage/records';
import { getMany, sha256Hex } from '../storage/store';
import { badInput, refused } from './errors';
import { namesOf } from './people';
import { readableProject } from './reads';
import { resolveIssueScope, type Caller } from './scope';

type Tree = { [k: string]: string | Tree };
export type AuditLocale = 'en-US' | 'zh-CN';
const BUNDLES: Record<AuditLocale, Tree> = { 'en-US': enUS as unknown as Tree, 'zh-CN': zhCN as unknown as Tree };
/** Actions the app takes by itself (reconciliation, reminders, Jira's own events) are by this actor. */
export const APP_ACTOR_ID = 'app';

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** The server's renderer context: the locale files, ISO 8601 UTC times, and the names a page resolved. */
export function serverRenderContext(locale: AuditLocale, refs: AuditRefs): AuditRenderContext {
  const tree = BUNDLES[locale];
  return {
    t: (key, params = {}) => lookup(tree, key)?.replace(/\{(\w+)\}/g, (m, n: string) => (params[n] !== undefined ? String(params[n]) : m)),
    dateTime: (ms) => new Date(ms).toISOString(),
    person: (id) => refs.people[id] ?? (id === APP_ACTOR_ID ? lookup(tree, 'audit.value.app') : undefined),
    release: (id) => refs.releases[id],
    dslItem: (id) => refs.dslItems[id],
  };
}

/** Names for everything a page of events refers to: people (one bulk request at most), releases, DSL items. */
export async function resolveAuditRefs(events: readonly AuditEvent[], projectId: string): Promise<AuditRefs> {
  const r = auditRefs(events);
  for (const e of events) {
    if (e.subjectType === 'RELEASE') r.releases.add(e.subjectId);
    if (e.subjectType === 'DSL_ITEM') r.dslItems.add(e.subjectId);
  }
  r.people.delete(APP_ACTOR_ID);
  const releaseIds = [...r.releases];
  const itemIds = [...r.dslItems];
  const [people, rows] = await Promise.all([
    namesOf([...r.people]).catch(() => ({}) as Record<string, string>),
    getMany([...releaseIds.map((id) => releaseRef(id)), ...itemIds.map((id) => dslItemRef(id))]),
  ]);
  const releases: Record<string, string> = {};
  const dslItems: Record<string, string> = {};
  releaseIds.forEach((id, i) => {
    const row = rows[i] as { doc: { release: { projectId: string; issueKey?: string } } } | null;
    if (row && row.doc.release.projectId === projectId && row.doc.release.issueKey) releases[id] = row.doc.release.issueKey;
  });
  itemIds.forEach((id, i) => {
    const row = rows[releaseIds.length + i] as { doc: { projectId: string; name: string; version: string } } | null;
    if (row && row.doc.projectId === projectId) dslItems[id] = `${row.doc.name} ${row.doc.version}`;
  });
  return { people, releases, dslItems };
}

type TrailQuery = PayloadOf<typeof K.listAudit>;

const AUDITORS: readonly StandingRole[] = ['PROCESS_OWNER', 'RELEASE_MANAGER'];

/** Checks who may read which trail, and turns the payload into the storage query. */
async function trailScope(caller: Caller, p: Omit<TrailQuery, 'cursor' | 'limit'>) {
  const ctx = await readableProject(caller, p.projectId);
  const projectId = ctx.scope.projectId;
  let subjectId: string | undefined;
  if (p.releaseId) {
    // The release must be an issue of this project that the user can browse.
    const issue = await resolveIssueScope({ ...caller, extension: { project: { id: projectId } } }, p.releaseId);
    subjectId = issue.issue.id;
  } else if (p.dslItemId) {
    subjectId = p.dslItemId;
  } else {
    const roles = ctx.actor.standingRoles as readonly StandingRole[];
    const auditor = roles.some((r) => AUDITORS.includes(r)) || (await canAdministerProject(projectId));
    if (!auditor) throw refused(['NOT_AUDITOR']);
  }
  return { ctx, projectId, subjectId };
}

export interface AuditTrailPage {
  items: AuditEntry[];
  cursor?: string;
  refs: AuditRefs;
}

/** One page of a trail, newest first, with the names of what it refers to. */
export async function listAuditTrail(caller: Caller, p: TrailQuery): Promise<AuditTrailPage> {
  const { projectId, subjectId } = await trailScope(caller, p);
  const page = await auditOfProject({ projectId, subjectId, from: p.from, to: p.to, actorAccountId: p.actorAccountId, action: p.action, cursor: p.cursor, limit: p.limit ?? 25 });
  const items = page.items.filter((e) => e.projectId === projectId);
  return { items, ...(page.cursor ? { cursor: page.cursor } : {}), refs: await resolveAuditRefs(items, projectId) };
}

// ------------------------------------------------------------------ export

export interface AuditExportPage {
  rows: AuditExportRow[];
  cursor?: string;
}

/**
 * Forge: a front-end invoke's response may be up to 5 MB and a function runs 25 s
 * (forge-docs/limits-invocation); a page stays under 400 KB and about 10 s of work, whatever the trail's size.
 */
export const EXPORT_PAGE_BYTES = 400 * 1024;
export const EXPORT_PAGE_MS = 10_000;
const EXPORT_READ = 100;

export function exportRow(e: AuditEvent, refs: AuditRefs): AuditExportRow {
  const en = renderAuditEvent(serverRenderContext('en-US', refs), e);
  const zh = renderAuditEvent(serverRenderContext('zh-CN', refs), e);
  const subject = e.subjectType === 'RELEASE' ? refs.releases[e.subjectId] : e.subjectType === 'DSL_ITEM' ? refs.dslItems[e.subjectId] : undefined;
  return {
    eventId: e.id,
    projectId: e.projectId,
    at: new Date(e.at).toISOString(),
    actorAccountId: e.actorAccountId,
    // Empty when Jira could not name the person: the account id stands beside it.
    actorName: e.actorAccountId.startsWith('pipeline:') || serverRenderContext('en-US', refs).person(e.actorAccountId) !== undefined ? auditActorName(serverRenderContext('en-US', refs), e) : '',
    action: e.action,
    actionEn: en.action,
    actionZh: zh.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    subject: subject ?? '',
    changesEn: en.changes.map(auditChangeText).join('; '),
    changesZh: zh.changes.map(auditChangeText).join('；'),
    reason: en.reason ?? '',
    before: e.before,
    after: e.after,
    chainId: e.chainId,
    seq: e.seq,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/** A page of the filtered trail, oldest first, as export rows; the caller pages on until there is no cursor. */
export async function exportAuditPage(caller: Caller, p: PayloadOf<typeof K.exportAudit>, clock: () => number = Date.now): Promise<AuditExportPage> {
  const started = clock();
  const { projectId, subjectId } = await trailScope(caller, p);
  const rows: AuditExportRow[] = [];
  let bytes = 0;
  let lastPage = 0;
  let cursor = p.cursor;
  do {
    const page = await auditOfProject({ projectId, subjectId, from: p.from, to: p.to, actorAccountId: p.actorAccountId, action: p.action, sort: 'ASC', cursor, limit: EXPORT_READ });
    const events = page.items.filter((e) => e.projectId === projectId);
    const refs = await resolveAuditRefs(events, projectId);
    lastPage = 0;
    for (const e of events) {
      const row = exportRow(e, refs);
      lastPage += Buffer.byteLength(JSON.stringify(row));
      rows.push(row);
    }
    bytes += lastPage;
    cursor = page.cursor;
    // Another page only if one more like the last (with room to spare) still fits, and while time remains.
  } while (cursor && bytes + lastPage * 1.5 < EXPORT_PAGE_BYTES && clock() - started < EXPORT_PAGE_MS);
  return { rows, ...(cursor ? { cursor } : {}) };
}

// ------------------------------------------------------------------ verification

export interface ChainProgress {
  /** The heads page being walked, and the position in it. */
  headsCursor?: string;
  index: number;
  /** Within the current chain: the last verified event. */
  seq: number;
  hash: string;
  chains: number;
  events: number;
}

export type VerifyOutcome =
  | { state: 'RUNNING'; chains: number; events: number; cursor: string }
  | { state: 'INTACT'; chains: number; events: number }
  | { state: 'BROKEN'; chains: number; events: number; chainId: string; broken: ChainBreak; event?: { at: number; action: string; subjectType: string; subjectId: string } };

const START: ChainProgress = { index: 0, seq: 0, hash: AUDIT_GENESIS, chains: 0, events: 0 };

/**
 * Walks the chains (of a project, or of every project with `projectId` null) from `from`, recomputing every
 * hash, until the budget of events is spent: the first break, intact, or where to go on.
 */
export async function verifyChains(projectId: string | null, from: ChainProgress = START, budget = 2_000): Promise<VerifyOutcome | { state: 'PAUSED'; progress: ChainProgress }> {
  let prog = { ...from };
  let spent = 0;
  for (;;) {
    const heads = await auditChainHeads(projectId, { limit: 100, ...(prog.headsCursor ? { cursor: prog.headsCursor } : {}) });
    while (prog.index < heads.items.length) {
      const head = heads.items[prog.index] as AuditChainHead;
      if (prog.seq > 0) {
        // Resuming inside a chain: the event we stopped at must still be the one we verified.
        const [at] = (await auditOfChain(head.chainId, prog.seq - 1, 1)).items;
        if (!at || at.seq !== prog.seq || at.hash !== prog.hash) return broken(prog, head.chainId, { problem: 'PREVIOUS_MISMATCH', eventId: at?.id ?? '', seq: prog.seq }, at);
      }
      while (prog.seq < head.seq) {
        if (spent >= budget) return { state: 'PAUSED', progress: prog };
        const page = await auditOfChain(head.chainId, prog.seq, 100);
        if (page.items.length === 0) return broken(prog, head.chainId, { problem: 'MISSING_TAIL', seq: prog.seq + 1, expectedSeq: head.seq });
        const checked = checkChainSegment(page.items, { seq: prog.seq, hash: prog.hash }, sha256Hex);
        if (!checked.ok) {
          const bad = page.items.find((e) => e.id === ('eventId' in checked.broken ? checked.broken.eventId : ''));
          return broken(prog, head.chainId, checked.broken, bad);
        }
        spent += page.items.length;
        prog = { ...prog, seq: checked.state.seq, hash: checked.state.hash, events: prog.events + page.items.length };
      }
      if (prog.hash !== head.hash) return broken(prog, head.chainId, { problem: 'MISSING_TAIL', seq: prog.seq, expectedSeq: head.seq });
      // Events written after the head's seq would be a fork: the head is the lock, so there must be none.
      const after = await auditOfChain(head.chainId, head.seq, 1);
      const extra = after.items[0];
      if (extra) return broken(prog, head.chainId, { problem: 'SEQUENCE_GAP', eventId: extra.id, seq: extra.seq, expectedSeq: head.seq }, extra);
      prog = { ...prog, index: prog.index + 1, seq: 0, hash: AUDIT_GENESIS, chains: prog.chains + 1 };
    }
    if (!heads.cursor) return { state: 'INTACT', chains: prog.chains, events: prog.events };
    prog = { ...prog, headsCursor: heads.cursor, index: 0 };
  }
}

function broken(prog: ChainProgress, chainId: string, b: ChainBreak, e?: AuditEvent): VerifyOutcome {
  return {
    state: 'BROKEN',
    chains: prog.chains,
    events: prog.events,
    chainId,
    broken: b,
    ...(e ? { event: { at: e.at, action: e.action, subjectType: e.subjectType, subjectId: e.subjectId } } : {}),
  };
}

function encode(p: ChainProgress): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

function decode(cursor: string): ChainProgress {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<ChainProgress>;
    if (typeof v.index === 'number' && typeof v.seq === 'number' && typeof v.hash === 'string' && typeof v.chains === 'number' && typeof v.events === 'number') {
      return { index: v.index, seq: v.seq, hash: v.hash, chains: v.chains, events: v.events, ...(typeof v.headsCursor === 'string' ? { headsCursor: v.headsCursor } : {}) };
    }
  } catch {
    // fall through
  }
  throw badInput('cursor', 'invalidCursor');
}

/** The process owner's *Verify*: one budget of events per call; the UI calls again with the cursor. */
export async function verifyProjectAudit(caller: Caller, p: PayloadOf<typeof K.verifyAudit>): Promise<VerifyOutcome & { subject?: string }> {
  const ctx = await readableProject(caller, p.projectId);
  if (!(ctx.actor.standingRoles as readonly StandingRole[]).includes('PROCESS_OWNER')) throw refused(['NOT_PROCESS_OWNER']);
  const out = await verifyChains(ctx.scope.projectId, p.cursor ? decode(p.cursor) : START);
  if (out.state === 'PAUSED') return { state: 'RUNNING', chains: out.progress.chains, events: out.progress.events, cursor: encode(out.progress) };
  if (out.state === 'BROKEN' && out.event?.subjectType === 'RELEASE') {
    const subject = await resolveReleaseKey(out.event.subjectId, ctx.scope.projectId);
    return { ...out, ...(subject ? { subject } : {}) };
  }
  return out;
}

async function resolveReleaseKey(releaseId: string, projectId: string): Promise<string | undefined> {
  const [row] = await getMany([releaseRef(releaseId)] as const);
  return row && row.doc.release.projectId === projectId ? row.doc.release.issueKey : undefined;
}
