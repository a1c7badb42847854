/**
 * The Definitive Software Library in the demo. Two ways, chosen once per seed:
 *
 * - `resolvers`: the DSL resolvers (`dsl/*`) are registered, so the software control lead registers each item,
 *   the release manager approves it and the software control lead checks it in, linked to the release — as in
 *   the app; closing a release sets the environment versions. `seedLibrary` adds the monthly audits (DSL
 *   accuracy KPI); usage requests with check-out and return, replacements and retirements are still to come.
 * - `direct`: they are not (yet). A release cannot pass "mark ready" without checked-in DSL items, so the
 *   seed writes each item's summary onto the release record as the DSL would leave it (no audit event, no
 *   library entity) and says so in its notes.
 */
import { createHash } from 'node:crypto';
import { RESOLVER_KEYS as K } from '../../src/contracts';
import type { DslItemSummary } from '../../src/domain/dsl';
import { dslItemRef } from '../../src/storage/dsl';
import { getRow, putRelease, releaseRef } from '../../src/storage/records';
import { Changes } from '../../src/storage/store';
import { PEOPLE } from './people';
import { DAY, HOUR, type SeededRelease, type SeedWorld } from './world';

export interface Software {
  readonly name: string;
  readonly version: string;
}

export interface DslSeeding {
  readonly mode: 'resolvers' | 'direct';
  /** Said once in the seed summary. */
  readonly note: string;
  /** Before "mark ready": the release's software approved and checked into the library, linked to the release. */
  linkSoftware(w: SeedWorld, rel: SeededRelease, software: readonly Software[]): Promise<void>;
  /** After deployment: the production environment version set to the release's items (DSL timely-update KPI). */
  productionUpdated(w: SeedWorld, rel: SeededRelease, at: number): Promise<void>;
  /** Library-level demo data, after every release is seeded. */
  seedLibrary(w: SeedWorld, today: number): Promise<void>;
}

/** Are the DSL resolvers registered in this build of the app? Asks the resolver, as the UI would. */
async function dslResolversRegistered(w: SeedWorld): Promise<boolean> {
  try {
    await w.platform.invokeResolver({
      moduleKey: 'release-workbench',
      functionKey: K.listDslItems,
      payload: { projectId: w.project.id },
      accountId: PEOPLE.scl.accountId,
      extension: w.projectExtension(),
    });
    return true;
  } catch {
    // @forge/resolver throws for a key it has no definition for.
    return false;
  }
}

export async function chooseDslSeeding(w: SeedWorld): Promise<DslSeeding> {
  return (await dslResolversRegistered(w)) ? resolverDsl() : directDsl();
}

const sha256Of = (s: Software): string => createHash('sha256').update(`${s.name}@${s.version}`).digest('hex');

// ------------------------------------------------------------------------------------------- direct

async function rewriteDslItems(w: SeedWorld, rel: SeededRelease, change: (items: readonly DslItemSummary[]) => DslItemSummary[]): Promise<void> {
  const version = await w.run(async () => {
    const row = await getRow(releaseRef(rel.id));
    if (!row) throw new Error(`no release ${rel.id}`);
    const changes = new Changes();
    const stored = putRelease(changes, { ...row.doc, dslItems: change(row.doc.dslItems) }, row.version, Date.now());
    await changes.commit();
    return stored.release.version;
  });
  rel.version = version;
}

function directDsl(): DslSeeding {
  return {
    mode: 'direct',
    note: 'DSL resolvers (dsl/*) are not registered in this build: software items are linked to releases as the DSL would leave them (summaries on the release record; no library entities, no DSL audit trail).',
    linkSoftware: (w, rel, software) =>
      rewriteDslItems(w, rel, (items) => [
        ...items,
        ...software.map((s) => ({ id: `dsl-${s.name}-${s.version}`, status: 'IN_LIBRARY' as const, name: s.name, version: s.version, checkedInAt: w.now, productionUpdatedAt: null })),
      ]),
    productionUpdated: (w, rel, at) => rewriteDslItems(w, rel, (items) => items.map((i) => ({ ...i, productionUpdatedAt: at }))),
    seedLibrary: async () => undefined,
  };
}

// ---------------------------------------------------------------------------------------- resolvers

interface DslItemView {
  id: string;
  /** The row version (optimistic concurrency), not the software version. */
  version: number;
}

/** `{ item, version }` as the DSL commands answer. */
function itemOf(data: unknown): DslItemView {
  const d = (data ?? {}) as { item?: { id?: unknown }; version?: unknown };
  if (typeof d.item?.id !== 'string' || typeof d.version !== 'number') throw new Error(`unexpected DSL resolver answer: ${JSON.stringify(data).slice(0, 200)}`);
  return { id: d.item.id, version: d.version };
}

interface LinkedItem {
  readonly id: string;
  readonly software: Software;
  readonly checkedInAt: number;
}

function resolverDsl(): DslSeeding {
  const linked = new Map<string, string[]>();
  const library: LinkedItem[] = [];
  return {
    mode: 'resolvers',
    note: 'DSL items registered, approved and checked in through the DSL resolvers.',
    async linkSoftware(w, rel, software) {
      for (const s of software) {
        let item = itemOf(
          await w.onProject('scl', K.dslRegister, {
            name: s.name,
            version: s.version,
            sha256: sha256Of(s),
            sizeBytes: 40_000_000 + (parseInt(sha256Of(s).slice(0, 6), 16) % 20_000_000),
            licence: 'Proprietary (in-house)',
            vendor: 'Payroll Platform team',
            storageUri: `https://artifacts.example.com/payroll/${s.name}/${s.version}/${s.name}-${s.version}.tar.gz`,
            mediaType: 'application/gzip',
            releaseIds: [rel.id],
            cmdbCiRef: `CI-${s.name.toUpperCase()}`,
          }),
        );
        w.at(w.now + HOUR);
        item = itemOf(await w.onWorkbench('manager', K.dslApprove, { itemId: item.id, expectedVersion: item.version, releaseId: rel.id }));
        w.at(w.now + HOUR);
        item = itemOf(await w.onWorkbench('scl', K.dslCheckIn, { itemId: item.id, expectedVersion: item.version, releaseId: rel.id, note: `${s.name} ${s.version} built and verified` }));
        linked.set(rel.id, [...(linked.get(rel.id) ?? []), item.id]);
        library.push({ id: item.id, software: s, checkedInAt: w.now });
      }
      // The DSL links its items to the release row: pick up the row's version. Should a build of the DSL not
      // link them (yet), link the summaries as `direct` does, so the release can still pass its gate.
      const row = await w.run(() => getRow(releaseRef(rel.id)));
      rel.version = row?.version ?? rel.version;
      const ids = new Set((row?.doc.dslItems ?? []).map((i) => i.id));
      const missing = (linked.get(rel.id) ?? []).filter((id) => !ids.has(id));
      if (missing.length > 0) {
        await rewriteDslItems(w, rel, (items) => [...items, ...missing.map((id) => ({ id, status: 'IN_LIBRARY' as const, checkedInAt: w.now, productionUpdatedAt: null }))]);
      }
    },
    // Environment versions are set by the close effect of the DSL use cases; nothing to do by hand.
    productionUpdated: async () => undefined,
    // The software control lead audits the library every month (DSL accuracy KPI); now and then a finding.
    async seedLibrary(w, today) {
      let n = 0;
      for (const entry of library) {
        n += 1;
        const at = entry.checkedInAt + 6 * DAY;
        if (n % 3 !== 0 || at > today - HOUR) continue;
        const row = await w.at(at).run(() => getRow(dslItemRef(entry.id)));
        if (!row || row.doc.status === 'REGISTERED') continue;
        const mismatch = n % 15 === 0;
        await w.onWorkbench('scl', K.dslAudit, {
          itemId: entry.id,
          expectedVersion: row.version,
          observedSha256: sha256Of(entry.software),
          differences: mismatch ? [{ field: 'licence', expected: 'Proprietary (in-house)', actual: 'Apache-2.0 (third-party component bundled)' }] : [],
          note: mismatch ? 'Bundled third-party library found during the quarterly audit' : 'Checksum verified against the library copy',
        });
      }
    },
  };
}
