/** The pure consistency rules (domain/dsl-consistency.ts) and the DSL record helpers, without storage. */
import {
  cmdbFindings,
  dslSummariesAtClose,
  dslVerify,
  environmentFindings,
  expectedEnvironmentItems,
  fallbackRestoreFindings,
  fixVersionFindings,
  libraryFindings,
  releaseFindings,
  releaseReadinessFindings,
  supersededDeployedFindings,
  type DslEnvironmentVersion,
  type DslItem,
  type DslReleaseFacts,
} from '../../src/domain';

const item = (id: string, o: Partial<DslItem> = {}): DslItem => ({
  id,
  projectId: 'p',
  name: 'billing',
  version: id,
  sha256: 'a'.repeat(64),
  sizeBytes: 10,
  licence: 'MIT',
  vendor: 'Acme',
  storageUri: 's3://x',
  mediaType: 'application/zip',
  status: 'IN_LIBRARY',
  releaseIds: [],
  fixVersionId: null,
  cmdbCiRef: 'CI-1',
  supersedesItemId: null,
  supersededByItemId: null,
  registeredAt: 1,
  registeredBy: 'u',
  approvedAt: 2,
  approvedBy: 'm',
  checkedInAt: 3,
  checkout: null,
  lastAudit: null,
  retiredAt: null,
  retireReason: null,
  importId: null,
  ...o,
});

const release = (id: string, o: Partial<DslReleaseFacts> = {}): DslReleaseFacts => ({ id, status: 'CLOSED', outcome: 'SUCCESS', closedAt: 100, items: [], ...o });
const env = (environment: 'TEST' | 'PRODUCTION', itemId: string, o: Partial<DslEnvironmentVersion> = {}): DslEnvironmentVersion => ({
  projectId: 'p',
  environment,
  name: 'Billing',
  itemId,
  version: itemId,
  releaseId: 'r1',
  updatedAt: 100,
  updatedBy: 'u',
  ...o,
});
const summary = (id: string, status: DslItem['status'] = 'IN_LIBRARY', name = 'billing') => ({ id, status, name, version: id });

describe('every software item of a release in the library before readiness', () => {
  test('flags items not IN_LIBRARY while planning or building, and a release without items', () => {
    expect(releaseReadinessFindings(release('r', { status: 'BUILD_TEST', items: [summary('a'), summary('b', 'APPROVED')] }))).toEqual([
      { code: 'RELEASE_ITEM_NOT_IN_LIBRARY', releaseId: 'r', itemId: 'b', actual: 'APPROVED' },
    ]);
    expect(releaseReadinessFindings(release('r', { status: 'PLANNING', items: [] }))).toEqual([{ code: 'RELEASE_HAS_NO_ITEMS', releaseId: 'r' }]);
  });
  test('says nothing before approval or from readiness on (the gate has spoken by then)', () => {
    for (const status of ['SUBMITTED', 'READY', 'IMPLEMENTING', 'CLOSED'] as const) {
      expect(releaseReadinessFindings(release('r', { status, items: [summary('b', 'REGISTERED')] }))).toEqual([]);
    }
  });
});

describe('fix versions that exist, and are released at closure', () => {
  const versions = [
    { id: '1', name: 'v1', released: true },
    { id: '2', name: 'v2', released: false },
  ];
  test('a fix version Jira does not have is missing', () => {
    expect(fixVersionFindings([item('a', { fixVersionId: '9' })], versions, [])).toEqual([{ code: 'FIX_VERSION_MISSING', itemId: 'a', expected: '9' }]);
  });
  test('an unreleased fix version matters only once a release delivering the item closed successfully', () => {
    const a = item('a', { fixVersionId: '2' });
    expect(fixVersionFindings([a], versions, [release('r', { status: 'BUILD_TEST', outcome: null, items: [summary('a')] })])).toEqual([]);
    expect(fixVersionFindings([a], versions, [release('r', { items: [summary('a')] })])).toEqual([{ code: 'FIX_VERSION_NOT_RELEASED', itemId: 'a', releaseId: 'r', expected: 'v2' }]);
    expect(fixVersionFindings([a], versions, [release('r', { outcome: 'ROLLED_BACK', items: [summary('a')] })])).toEqual([]);
  });
  test('unknown Jira versions skip the check rather than fail it; retired items are not checked', () => {
    expect(fixVersionFindings([item('a', { fixVersionId: '9' })], null, [])).toEqual([]);
    expect(fixVersionFindings([item('a', { fixVersionId: '9', status: 'RETIRED' })], versions, [])).toEqual([]);
  });
});

describe('environment versions agree with the last successful release', () => {
  const older = release('r1', { closedAt: 100, items: [summary('v1')] });
  const newer = release('r2', { closedAt: 200, items: [summary('v2', 'IN_LIBRARY', 'BILLING')] });
  test('the last successful release wins per name (names without case); failed ones do not count', () => {
    const failedOne = release('r3', { closedAt: 300, outcome: 'ROLLED_BACK', items: [summary('v3')] });
    expect(expectedEnvironmentItems([newer, older, failedOne]).get('billing')).toEqual({ itemId: 'v2', version: 'v2', releaseId: 'r2' });
  });
  test('in step: nothing; behind or missing: one finding per environment', () => {
    expect(environmentFindings([env('TEST', 'v2'), env('PRODUCTION', 'v2')], [older, newer])).toEqual([]);
    expect(environmentFindings([env('TEST', 'v2'), env('PRODUCTION', 'v1')], [older, newer])).toEqual([
      { code: 'ENVIRONMENT_VERSION_MISMATCH', environment: 'PRODUCTION', name: 'billing', itemId: 'v2', releaseId: 'r2', expected: 'v2', actual: 'v1' },
    ]);
    expect(environmentFindings([], [newer]).map((f) => f.environment)).toEqual(['TEST', 'PRODUCTION']);
  });
});

describe('items without a CMDB reference, superseded items still deployed, fallback restore target', () => {
  test('CMDB reference: blank counts as none; superseded and retired items are out of use', () => {
    expect(cmdbFindings([item('a', { cmdbCiRef: null }), item('b', { cmdbCiRef: '  ' }), item('c'), item('d', { cmdbCiRef: null, status: 'RETIRED' })]).map((f) => f.itemId)).toEqual(['a', 'b']);
  });
  test('an environment running a superseded or retired item', () => {
    const items = [item('v1', { status: 'SUPERSEDED', supersededByItemId: 'v2' }), item('v2'), item('v0', { status: 'RETIRED' })];
    expect(supersededDeployedFindings([env('PRODUCTION', 'v1'), env('TEST', 'v2'), env('TEST', 'v0', { name: 'old' })], items)).toEqual([
      { code: 'SUPERSEDED_STILL_DEPLOYED', itemId: 'v1', environment: 'PRODUCTION', name: 'Billing', actual: 'SUPERSEDED', expected: 'v2' },
      { code: 'SUPERSEDED_STILL_DEPLOYED', itemId: 'v0', environment: 'TEST', name: 'old', actual: 'RETIRED' },
    ]);
  });
  test('the fallback plan restores to an item of the library', () => {
    const r = release('r', { status: 'BUILD_TEST', restoreDslItemId: 'v1' });
    expect(fallbackRestoreFindings(r, item('v1'))).toEqual([]);
    expect(fallbackRestoreFindings(r, null)).toEqual([{ code: 'FALLBACK_RESTORE_NOT_IN_LIBRARY', releaseId: 'r', itemId: 'v1' }]);
    expect(fallbackRestoreFindings(r, item('v1', { status: 'RETIRED' }))[0]?.actual).toBe('RETIRED');
    expect(fallbackRestoreFindings(release('r'), null)).toEqual([]);
  });
});

describe('the lists', () => {
  test('library findings come in a stable order, by rule then item', () => {
    const items = [item('b', { cmdbCiRef: null }), item('a', { cmdbCiRef: null, fixVersionId: '9' })];
    const codes = libraryFindings({ items, environments: [], fixVersions: [], releases: [release('r', { status: 'PLANNING', items: [] })] }).map((f) => `${f.code}:${f.itemId ?? f.releaseId}`);
    expect(codes).toEqual(['RELEASE_HAS_NO_ITEMS:r', 'FIX_VERSION_MISSING:a', 'NO_CMDB_REFERENCE:a', 'NO_CMDB_REFERENCE:b']);
  });
  test('a release sees only its own items and names', () => {
    const mine = release('r2', { closedAt: 200, items: [summary('v2')], restoreDslItemId: null });
    const other = item('x', { name: 'other', cmdbCiRef: null });
    const findings = releaseFindings(mine, { items: [item('v2'), other], environments: [env('TEST', 'v2'), env('PRODUCTION', 'v2'), env('TEST', 'zz', { name: 'other' })], fixVersions: [], successful: [], restoreItem: null });
    expect(findings).toEqual([]);
  });
});

describe('record helpers', () => {
  test('verification compares checksum (any case) and size, listing what differed', () => {
    const i = item('a', { sha256: 'ab'.repeat(32), sizeBytes: 5 });
    expect(dslVerify(i, { sha256: 'AB'.repeat(32), sizeBytes: 5 })).toEqual([]);
    expect(dslVerify(i, { sha256: 'cd'.repeat(32) })).toEqual([{ field: 'sha256', expected: 'ab'.repeat(32), actual: 'cd'.repeat(32) }]);
    expect(dslVerify(i, { sizeBytes: 6 })).toEqual([{ field: 'sizeBytes', expected: '5', actual: '6' }]);
  });
  test('closing stamps the production update of delivered items once, and only theirs', () => {
    const out = dslSummariesAtClose([{ ...summary('a'), productionUpdatedAt: null }, { ...summary('b', 'RETIRED') }, { ...summary('c'), productionUpdatedAt: 5 }], 50);
    expect(out.map((s) => s.productionUpdatedAt ?? null)).toEqual([50, null, 5]);
  });
});
