import { adfPlainText, cmdbTaskContent, type CmdbTaskItem } from '../cmdb-task';
import { compareDslVersions, dslAuditChecks, dslReplacementFits, dslVerify } from '../dsl';

const item = (o: Partial<CmdbTaskItem> = {}): CmdbTaskItem => ({
  name: 'billing-service',
  version: '2.0.0',
  sha256: 'a'.repeat(64),
  sizeBytes: 1024,
  storageUri: 's3://dsl/billing-2.0.0.tgz',
  cmdbCiRef: 'CI-BILLING',
  status: 'IN_LIBRARY',
  ...o,
});

describe('compareDslVersions', () => {
  it.each([
    ['2.10.0', '2.9.1', 1],
    ['2.0.0', '2.0.0', 0],
    ['2.0', '2.0.0', 0],
    ['2.0.0-rc1', '2.0.0', -1],
    ['2.0.0-rc10', '2.0.0-rc2', 1],
    ['2026.1', '2025.12', 1],
    [' 4.2.0 ', '4.1.0', 1],
  ])('%s vs %s → %i', (a, b, want) => {
    expect(compareDslVersions(a, b)).toBe(want);
    expect(compareDslVersions(b, a)).toBe(-want || 0);
  });
});

describe('dslReplacementFits (replace, and register with supersedes)', () => {
  const old = { id: 'a', name: 'Gateway', version: '4.1.0', status: 'IN_LIBRARY' as const };
  const next = { id: 'b', name: ' gateway ', version: '4.2.0', status: 'REGISTERED' as const, supersededByItemId: null, supersedesItemId: null };
  it('takes a newer registered, approved or in-library version of the same name', () => {
    for (const status of ['REGISTERED', 'APPROVED', 'IN_LIBRARY'] as const) expect(dslReplacementFits(old, { ...next, status })).toBe(true);
    expect(dslReplacementFits({ ...old, status: 'CHECKED_OUT' }, next)).toBe(true);
  });
  it('refuses an older or equal version, another name, itself, a used successor, and an old item not in the library', () => {
    expect(dslReplacementFits(old, { ...next, version: '4.0.9' })).toBe(false);
    expect(dslReplacementFits(old, { ...next, version: '4.1.0' })).toBe(false);
    expect(dslReplacementFits(old, { ...next, name: 'Gateway UI' })).toBe(false);
    expect(dslReplacementFits(old, { ...next, id: 'a' })).toBe(false);
    expect(dslReplacementFits(old, { ...next, supersedesItemId: 'c' })).toBe(false);
    expect(dslReplacementFits(old, { ...next, supersededByItemId: 'c' })).toBe(false);
    expect(dslReplacementFits(old, { ...next, status: 'RETIRED' })).toBe(false);
    for (const status of ['REGISTERED', 'APPROVED', 'SUPERSEDED', 'RETIRED'] as const) expect(dslReplacementFits({ ...old, status }, next)).toBe(false);
  });
});

describe('dslAuditChecks', () => {
  const rec = { sha256: 'AB'.repeat(32).toLowerCase(), sizeBytes: 10, storageUri: 's3://x', version: '1.0', licence: 'MIT' };
  it('compares only what was observed, in field order, digests without case and text without blanks', () => {
    expect(dslAuditChecks(rec, { licence: ' MIT ', sha256: 'AB'.repeat(32) })).toEqual([
      { field: 'sha256', recorded: rec.sha256, found: rec.sha256, matched: true },
      { field: 'licence', recorded: 'MIT', found: 'MIT', matched: true },
    ]);
    expect(dslAuditChecks(rec, {})).toEqual([]);
  });
  it('lists each differing field with the recorded value as expected and the found value as actual', () => {
    expect(dslVerify(rec, { sizeBytes: 11, storageUri: 's3://y', version: '1.0' })).toEqual([
      { field: 'sizeBytes', expected: '10', actual: '11' },
      { field: 'storageUri', expected: 's3://x', actual: 's3://y' },
    ]);
  });
});

describe('cmdbTaskContent', () => {
  it('names each configuration item deployed, with name, version, checksum, size and location, and the release', () => {
    const c = cmdbTaskContent({
      release: { issueKey: 'PAY-196', closedAt: Date.UTC(2026, 11, 1, 9) },
      items: [item(), item({ name: 'auth', version: '1.4.2', sha256: 'b'.repeat(64), cmdbCiRef: null }), item({ name: 'old', status: 'SUPERSEDED' }), item({ name: 'dropped', status: 'RETIRED' })],
    });
    expect(c.summary).toBe('Update the CMDB for release PAY-196 / 发布 PAY-196 后更新 CMDB');
    expect(c.configurationItems).toEqual(['auth 1.4.2', 'CI-BILLING']);
    const text = adfPlainText(c.description);
    expect(text).toContain('Release PAY-196 closed successfully 2026-12-01 (UTC).');
    expect(text).toContain('发布 PAY-196 已于 2026-12-01(UTC)成功关闭');
    expect(text).toContain(`CI-BILLING | billing-service | 2.0.0 | ${'a'.repeat(64)} | 1024 | s3://dsl/billing-2.0.0.tgz`);
    expect(text).toContain(`none recorded / 未登记 | auth | 1.4.2 | ${'b'.repeat(64)}`);
    expect(text).not.toContain('dropped');
    expect(text).not.toContain('| old |');
    const table = c.description.content.find((n) => n.type === 'table');
    expect(table?.type === 'table' ? table.content.length : 0).toBe(3);
  });

  it('links the release when its address is known, and says so when no software was recorded', () => {
    const c = cmdbTaskContent({ release: { issueKey: 'PAY-7', closedAt: null }, items: [], releaseUrl: 'https://example.atlassian.net/browse/PAY-7' });
    const first = c.description.content[0];
    expect(first?.type === 'paragraph' ? first.content[1] : null).toEqual({ type: 'text', text: 'PAY-7', marks: [{ type: 'link', attrs: { href: 'https://example.atlassian.net/browse/PAY-7' } }] });
    expect(adfPlainText(c.description)).toContain('No software items were recorded in the library for this release');
    expect(c.configurationItems).toEqual([]);
  });
});
