/**
 * The library as its keeper uses it (issue 13), through the real resolvers: releases typed and shown by issue
 * key, "supersedes" applied at registration, replacement candidates from the name index, audits that record
 * each field's recorded and found value, and consistency findings that name their release and item.
 */
import type { AuditEntry, DslConsistencyView, DslExport, DslItemView } from '../../src/contracts/views';
import { DSL_AUDIT_FIELDS } from '../../src/domain/dsl';
import { errorEnvelope } from '../../src/resolvers/envelope';
import { ServiceError } from '../../src/services/errors';
import { ENTITY } from '../../src/storage/entities';
import { startWorld, type World } from '../support/release-world';
import { call, data, failed, inLibrary, itemCount, itemFields, K, onItem, register, rowsOf, sha, type ItemResult } from './support';

describe('the DSL as its keeper uses it', () => {
  let w: World;
  beforeAll(() => {
    w = startWorld();
  });
  afterAll(() => w.close());

  const view = async (itemId: string) => data(await call<DslItemView>(w, 'business', K.getDslItem, { itemId }));
  const keyOf = async (releaseId: string) => (await w.stored(releaseId)).release.issueKey as string;

  describe('issue keys in and out', () => {
    it('registers with release keys (resolved to ids on the server) and shows the keys back', async () => {
      const releaseId = await w.releaseAt('BUILD_TEST', { skip: ['dsl'] });
      const key = await keyOf(releaseId);
      expect(key).toMatch(/^RG-\d+$/);
      const reg = await register(w, { releaseKeys: [key] });
      expect(reg.item.releaseIds).toEqual([releaseId]);
      expect((await w.stored(releaseId)).dslItems.map((i) => i.id)).toEqual([reg.item.id]);
      expect((await view(reg.item.id)).releases).toEqual({ [releaseId]: { issueKey: key } });
      // The export names the release by key too (the id beside it, for tools).
      const exported = data(await call<DslExport>(w, 'business', K.exportDsl, { projectId: w.project.id }));
      const row = exported.rows.find((r) => r[exported.columns.indexOf('id')] === reg.item.id) ?? [];
      expect(row[exported.columns.indexOf('releaseKeys')]).toBe(key);
      expect(row[exported.columns.indexOf('releaseIds')]).toBe(releaseId);
    });

    it('refuses a key that is not a release of this project, naming it, in the user language, and writes nothing', async () => {
      const before = itemCount(w);
      for (const [key, why] of [
        ['RG-9999', 'no such issue'],
        [w.changeRequest.key, 'an issue of the project that is not a release request'],
        [w.other.issueKey, 'an issue of another project'],
      ] as const) {
        const err = failed(await call(w, 'softwareControl', K.dslRegister, { projectId: w.project.id, name: `x-${why}`, version: '1', sha256: sha(why), sizeBytes: 1, licence: '', vendor: '', storageUri: 's3://x', mediaType: '', releaseKeys: [key] }));
        expect(err).toMatchObject({ code: 'VALIDATION_FAILED', field: 'releaseKeys' });
        expect(err.message).toBe(`“${key}” is not a release request of this project. Enter the issue key of a release request, e.g. PAY-196.`);
      }
      expect(itemCount(w)).toBe(before);
      // The same refusal for a reader in Chinese (the envelope renders it from the locale files).
      const zh = errorEnvelope(new ServiceError('VALIDATION_FAILED', { field: 'releaseKeys', messageKey: 'dsl.notAReleaseOfProject', params: { key: 'RG-9999' } }), 'zh-CN');
      expect(zh.ok ? '' : zh.error.message).toBe('“RG-9999”不是本项目的发布请求。请输入发布请求的议题键,例如 PAY-196。');
    });

    it('a usage request names its release by key; the item shows the key', async () => {
      const releaseId = await w.releaseAt('BUILD_TEST', { skip: ['dsl'] });
      const key = await keyOf(releaseId);
      const item = await inLibrary(w);
      const req = data(await call<{ request: { releaseId: string | null } }>(w, 'implementer', K.dslRequestUsage, { itemId: item.item.id, purpose: 'Deploy', environment: 'TEST', releaseKey: key }));
      expect(req.request.releaseId).toBe(releaseId);
      expect((await view(item.item.id)).releases[releaseId]).toEqual({ issueKey: key });
      const bad = failed(await call(w, 'implementer', K.dslRequestUsage, { itemId: item.item.id, purpose: 'Deploy', environment: 'TEST', releaseKey: w.changeRequest.key }));
      expect(bad).toMatchObject({ field: 'releaseKey' });
      expect(bad.message).toContain(w.changeRequest.key);
    });
  });

  describe('supersedes, applied', () => {
    it('registering 4.2.0 with "supersedes 4.1.0" moves 4.1.0 to SUPERSEDED in the same change, with history and audit', async () => {
      const releaseId = await w.releaseAt('BUILD_TEST', { skip: ['dsl'] });
      const old = await inLibrary(w, { name: 'Payments Gateway', version: '4.1.0', releaseIds: [releaseId] });
      const next = await register(w, { name: 'payments gateway', version: '4.2.0', supersedesItemId: old.item.id });
      expect(next.item.supersedesItemId).toBe(old.item.id);
      const was = await view(old.item.id);
      expect(was.item).toMatchObject({ status: 'SUPERSEDED', supersededByItemId: next.item.id });
      expect(was.history[0]).toMatchObject({ type: 'REPLACED', otherItemId: next.item.id, note: 'payments gateway 4.2.0' });
      expect((await view(next.item.id)).history.map((e) => e.type).sort()).toEqual(['REGISTERED', 'SUPERSEDES']);
      // The release that listed 4.1.0 sees it superseded (its gate reads the summary).
      expect((await w.stored(releaseId)).dslItems.find((i) => i.id === old.item.id)?.status).toBe('SUPERSEDED');
      const audit = data(await call<{ items: AuditEntry[] }>(w, 'business', K.listAudit, { projectId: w.project.id, dslItemId: old.item.id }));
      const replaced = audit.items.find((e) => e.action === 'dslReplace');
      expect(replaced?.after).toMatchObject({ supersededBy: next.item.id, replacementVersion: '4.2.0' });
      expect(JSON.stringify(replaced)).toContain('SUPERSEDED');
    });

    it('refuses what replace refuses, and writes nothing: an older version, another name, an item not in the library', async () => {
      const old = await inLibrary(w, { name: 'Ledger', version: '3.0.0' });
      const registered = await register(w, { name: 'Ledger', version: '3.5.0' });
      const before = itemCount(w);
      for (const [target, fields] of [
        [old.item.id, { name: 'Ledger', version: '2.9.0' }],
        [old.item.id, { name: 'Ledger UI', version: '9.0.0' }],
      ] as const) {
        const err = failed(await call(w, 'softwareControl', K.dslRegister, { projectId: w.project.id, ...itemFields(fields), supersedesItemId: target }));
        expect(err).toMatchObject({ code: 'DSL_REPLACEMENT_INVALID', field: 'supersedesItemId' });
      }
      // A registered (not yet approved) item is not in the library: replace refuses it by its status.
      const notInLibrary = failed(await call(w, 'softwareControl', K.dslRegister, { projectId: w.project.id, ...itemFields({ name: 'Ledger', version: '3.6.0' }), supersedesItemId: registered.item.id }));
      expect(notInLibrary.reasons).toEqual(['DSL_WRONG_STATUS']);
      expect(itemCount(w)).toBe(before);
      expect((await view(old.item.id)).item.status).toBe('IN_LIBRARY');
    });

    it('refuses a keeper who may not replace (the release manager) before anything is written', async () => {
      const old = await inLibrary(w, { name: 'Scheduler', version: '1.0.0' });
      const err = failed(await call(w, 'manager', K.dslRegister, { projectId: w.project.id, ...itemFields({ name: 'Scheduler', version: '1.1.0' }), supersedesItemId: old.item.id }));
      expect(err.reasons).toContain('NOT_SOFTWARE_CONTROL_LEAD');
      expect((await view(old.item.id)).item.status).toBe('IN_LIBRARY');
    });
  });

  describe('replacement candidates', () => {
    it('are the newer registered, approved or in-library versions of the same name, from the index, whatever a list shows', async () => {
      const current = await inLibrary(w, { name: 'Report Engine', version: '2.4.0' });
      const older = await inLibrary(w, { name: 'Report Engine', version: '2.3.9' });
      const registered = await register(w, { name: 'report engine', version: '2.10.0' });
      const approved = await onItem(w, 'manager', K.dslApprove, await register(w, { name: 'Report Engine', version: '3.0.0-rc1' }));
      const inLib = await inLibrary(w, { name: 'Report Engine', version: '4.2.0' });
      const retired = await onItem(w, 'softwareControl', K.dslRetire, await register(w, { name: 'Report Engine', version: '5.0.0' }), { reason: 'withdrawn' });
      await inLibrary(w, { name: 'Report Engine Extras', version: '9.0.0' });
      const ids = (await view(current.item.id)).replacementCandidates.map((c) => `${c.name} ${c.version}`);
      expect(ids.sort()).toEqual([registered, approved, inLib].map((r) => `${r.item.name} ${r.item.version}`).sort());
      expect(ids).not.toContain(`${older.item.name} ${older.item.version}`);
      expect(ids).not.toContain(`${retired.item.name} ${retired.item.version}`);
      // Replace accepts a registered newer version, and refuses an older one.
      const refused = failed(await call(w, 'softwareControl', K.dslReplace, { itemId: current.item.id, expectedVersion: current.version, replacementItemId: older.item.id }));
      expect(refused.code).toBe('DSL_REPLACEMENT_INVALID');
      const replaced = await onItem(w, 'softwareControl', K.dslReplace, current, { replacementItemId: registered.item.id });
      expect(replaced.item).toMatchObject({ status: 'SUPERSEDED', supersededByItemId: registered.item.id });
      expect((await view(current.item.id)).replacementCandidates).toEqual([]);
    });
  });

  describe('audits that say what differed', () => {
    it('records per field the recorded and the found value, shows them on the item, and counts the audit', async () => {
      const item = await inLibrary(w, { name: 'Tax Tables', version: '2026.1', sha256: sha('tables'), sizeBytes: 2048, storageUri: 's3://dsl/tax-2026.1.tgz', licence: 'Proprietary' });
      const res = data(
        await call<ItemResult & { matched: boolean }>(w, 'softwareControl', K.dslAudit, {
          itemId: item.item.id,
          expectedVersion: item.version,
          observedSha256: sha('tables'),
          observedSizeBytes: 2050,
          observedStorageUri: 's3://dsl/tax-2026.1.tgz',
          observedVersion: '2026.1',
          observedLicence: 'GPL-3.0',
        }),
      );
      expect(res.matched).toBe(false);
      const v = await view(item.item.id);
      const audit = v.history.find((e) => e.type === 'AUDITED');
      expect(audit?.checks).toEqual([
        { field: 'sha256', recorded: sha('tables'), found: sha('tables'), matched: true },
        { field: 'sizeBytes', recorded: '2048', found: '2050', matched: false },
        { field: 'storageUri', recorded: 's3://dsl/tax-2026.1.tgz', found: 's3://dsl/tax-2026.1.tgz', matched: true },
        { field: 'version', recorded: '2026.1', found: '2026.1', matched: true },
        { field: 'licence', recorded: 'Proprietary', found: 'GPL-3.0', matched: false },
      ]);
      expect(audit?.checks?.map((c) => c.field)).toEqual([...DSL_AUDIT_FIELDS]);
      expect(v.item.lastAudit).toMatchObject({
        matched: false,
        differences: [
          { field: 'sizeBytes', expected: '2048', actual: '2050' },
          { field: 'licence', expected: 'Proprietary', actual: 'GPL-3.0' },
        ],
      });
      const trail = data(await call<{ items: AuditEntry[] }>(w, 'business', K.listAudit, { projectId: w.project.id, dslItemId: item.item.id }));
      const recorded = JSON.stringify(trail.items.find((e) => e.action === 'dslAudit')?.after);
      for (const v of ['sizeBytes', '2048', '2050', 'licence', 'Proprietary', 'GPL-3.0']) expect(recorded).toContain(v);
      // The stored history row holds the same (what the KPI reconciliation reads back).
      const stored = rowsOf<{ itemId: string; type: string; matched?: boolean }>(w, ENTITY.dslHistory).filter((e) => e.itemId === item.item.id && e.type === 'AUDITED');
      expect(stored.map((e) => e.matched)).toEqual([false]);
    });
  });

  describe('consistency findings name their release and item', () => {
    it('gives each finding release its key and Jira summary, and each item its name and version', async () => {
      const releaseId = await w.releaseAt('BUILD_TEST', { skip: ['dsl'] });
      const key = await keyOf(releaseId);
      const item = await register(w, { name: 'Payslip Renderer', version: '1.2.0', releaseIds: [releaseId] });
      const byRelease = data(await call<DslConsistencyView>(w, 'business', K.getDslConsistency, { projectId: w.project.id, releaseId }));
      const finding = byRelease.findings.find((f) => f.code === 'RELEASE_ITEM_NOT_IN_LIBRARY');
      expect(finding).toMatchObject({ releaseId, itemId: item.item.id });
      const summary = w.jira.getIssue(releaseId)?.summary;
      expect(summary).toBeTruthy();
      expect(byRelease.releases[releaseId]).toEqual({ issueKey: key, summary });
      expect(byRelease.items[item.item.id]).toEqual({ name: 'Payslip Renderer', version: '1.2.0' });

      const empty = await w.releaseAt('PLANNING', { skip: ['dsl'] });
      const library = data(await call<DslConsistencyView>(w, 'business', K.getDslConsistency, { projectId: w.project.id }));
      expect(library.findings.some((f) => f.code === 'RELEASE_HAS_NO_ITEMS' && f.releaseId === empty)).toBe(true);
      expect(library.releases[empty]?.issueKey).toBe(await keyOf(empty));
      for (const f of library.findings) if (f.releaseId) expect(library.releases[f.releaseId]?.issueKey).toMatch(/^RG-\d+$/);
    });
  });
});
