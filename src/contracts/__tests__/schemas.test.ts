import { ACTIONS, PIPELINE_ACTIONS } from '../../domain';
import { ACTION_RESOLVER, ALL_RESOLVER_KEYS, PAYLOAD_SCHEMAS, RESOLVER_KEYS, fail, isResolverKey, ok, parsePayload, type ResolverKey } from '..';

const R = '10001';
const V = 3;
const ACC = '5b10ac8d82e05b22cc7d4ef5';
const AT = Date.UTC(2025, 2, 10);
const SHA = 'a'.repeat(64);

/** A valid payload for every resolver, written by hand. */
const VALID: Record<ResolverKey, Record<string, unknown>> = {
  'release/approve': { releaseId: R, expectedVersion: V },
  'release/reject': { releaseId: R, expectedVersion: V, reason: 'not needed' },
  'release/startBuild': { releaseId: R, expectedVersion: V },
  'release/markReady': { releaseId: R, expectedVersion: V },
  'release/startImplementation': { releaseId: R, expectedVersion: V },
  'release/markDeployed': { releaseId: R, expectedVersion: V },
  'release/invokeFallback': { releaseId: R, expectedVersion: V, reason: 'error rate' },
  'release/completeFallback': { releaseId: R, expectedVersion: V },
  'release/verifyAndClose': { releaseId: R, expectedVersion: V },
  'release/cancel': { releaseId: R, expectedVersion: V, reason: 'obsolete' },
  'release/submit': { projectId: '10000', linkedChangeKey: 'CHG-12', summary: 'ERP 2.1', description: '', classification: 'MAJOR' },
  'release/ofChange': { projectId: '10000', changeKey: 'CHG-12' },
  'release/classify': { releaseId: R, expectedVersion: V, classification: 'EMERGENCY' },
  'release/assignLead': { releaseId: R, expectedVersion: V, leadAccountId: ACC },
  'release/setWindow': { releaseId: R, expectedVersion: V, windowStart: AT, windowEnd: AT + 3_600_000 },
  'release/assessRisk': { releaseId: R, expectedVersion: V, riskLevel: 'HIGH', riskAnalysis: 'schema change' },
  'release/recordEmergencyOverride': { releaseId: R, expectedVersion: V, reason: 'outage' },
  'release/recordFreezeException': { releaseId: R, expectedVersion: V, reason: 'regulatory deadline' },
  'freeze/save': {
    projectId: '10000',
    expectedVersion: 2,
    freeze: { reason: 'Month-end close', severity: 'HARD', appliesTo: ['STANDARD', 'MINOR', 'MAJOR'], recurrence: { kind: 'MONTH_END', workingDays: 2 } },
  },
  'freeze/delete': { projectId: '10000', expectedVersion: 2, freezeId: 'f-1' },
  'calendar/get': { projectId: '10000', from: AT, to: AT + 31 * 86_400_000 },
  'pipeline/listTokens': { projectId: '10000' },
  'pipeline/createToken': { projectId: '10000', name: 'GitHub Actions (payroll)' },
  'pipeline/revokeToken': { projectId: '10000', tokenId: 'tok-1', expectedVersion: 1 },
  'team/change': { releaseId: R, expectedVersion: V, op: 'ADD', accountId: ACC, teamRole: 'TEST_EXPERT' },
  'team/addImplementer': { releaseId: R, expectedVersion: V, accountId: ACC },
  'evaluation/record': { releaseId: R, accountId: ACC, role: 'IMPLEMENTER', rating: 4, note: 'solid' },
  'plan/edit': { releaseId: R, expectedVersion: V, scope: 'ERP', schedule: 'week 11', plannedEffortHours: 40 },
  'fallback/edit': {
    releaseId: R,
    expectedVersion: V,
    triggerCriteria: 'errors > 5%',
    steps: [{ action: 'restore', ownerAccountId: ACC, expectedMinutes: 30 }],
    restoreDslItemId: 'dsl-1',
    dataBackupRef: null,
  },
  'fallback/recordRehearsal': { releaseId: R, expectedVersion: V, at: AT, environment: 'staging', result: 'PASSED', evidenceUrl: 'https://ci.example.com/1' },
  'fallback/recordExecution': { releaseId: R, expectedVersion: V, result: 'SUCCEEDED' },
  'opinion/record': { releaseId: R, expectedVersion: V, department: 'Finance', opinion: 'agree' },
  'test/recordIntegration': { releaseId: R, expectedVersion: V, passed: true },
  'test/recordUat': { releaseId: R, expectedVersion: V, passed: false, note: 'login fails' },
  'cutover/record': { releaseId: R, expectedVersion: V, confirmed: true },
  'progress/report': { releaseId: R, expectedVersion: V, note: 'half done', percentComplete: 50, effortHours: 4 },
  'deployment/record': { releaseId: R, expectedVersion: V, succeeded: true, finishedAt: AT },
  'acceptance/record': { releaseId: R, expectedVersion: V, accepted: true, resultConfirmed: true },
  'training/manage': { releaseId: R, expectedVersion: V, op: 'CREATE', audience: 'HELP_DESK', trainerAccountId: ACC, dueAt: AT },
  'training/recordDelivery': { releaseId: R, expectedVersion: V, taskId: 't1', deliveredAt: AT },
  'training/recordResult': { releaseId: R, expectedVersion: V, taskId: 't1', assessed: 10, passed: 9, feedback: ['clear'] },
  'dsl/register': {
    projectId: '10000',
    name: 'erp-core',
    version: '2.1.0',
    sha256: SHA,
    sizeBytes: 1024,
    licence: 'proprietary',
    vendor: 'ACME',
    storageUri: 's3://dsl/erp-core-2.1.0.tgz',
    mediaType: 'application/gzip',
  },
  'dsl/approve': { itemId: 'dsl-1', expectedVersion: V },
  'dsl/checkIn': { itemId: 'dsl-1', expectedVersion: V, releaseId: R },
  'dsl/checkOut': { itemId: 'dsl-1', expectedVersion: V, usageRequestId: 'ur-1' },
  'dsl/return': { itemId: 'dsl-1', expectedVersion: V },
  'dsl/replace': { itemId: 'dsl-1', expectedVersion: V, replacementItemId: 'dsl-2' },
  'dsl/retire': { itemId: 'dsl-1', expectedVersion: V, reason: 'end of life' },
  'dsl/audit': { itemId: 'dsl-1', expectedVersion: V, observedSha256: SHA, observedSizeBytes: 1024, differences: [{ field: 'licence', expected: 'MIT', actual: 'GPL' }] },
  'dsl/link': { itemId: 'dsl-1', expectedVersion: V, releaseId: R },
  'dsl/requestUsage': { itemId: 'dsl-1', purpose: 'Deploy to production', environment: 'PRODUCTION', releaseId: R },
  'dsl/decideUsage': { requestId: 'ur-1', expectedVersion: V, approve: true, note: 'ok' },
  'dsl/import': { projectId: '10000', header: ['name', 'version'], rows: [['erp', '1.0']], dryRun: true },
  'dsl/importStart': { projectId: '10000', importId: 'imp-0123456789abcdef01234567', header: ['name', 'version'], rows: 2000, chunks: 5 },
  'dsl/importChunk': { projectId: '10000', importId: 'imp-0123456789abcdef01234567', index: 0, rows: [['erp', '1.0']] },
  'dsl/importCommit': { projectId: '10000', importId: 'imp-0123456789abcdef01234567', dryRun: true },
  'dsl/importStatus': { projectId: '10000', importId: 'imp-0123456789abcdef01234567' },
  'dsl/syncEnvironments': { releaseId: R },
  'dsl/get': { itemId: 'dsl-1' },
  'dsl/listUsage': { projectId: '10000', itemId: 'dsl-1', status: 'REQUESTED' },
  'dsl/consistency': { projectId: '10000', releaseId: R },
  'dsl/export': { projectId: '10000', status: 'IN_LIBRARY' },
  'dsl/fixVersions': { projectId: '10000' },
  'dsl/environments': { projectId: '10000', environment: 'TEST' },
  'improvement/manage': { op: 'CREATE', projectId: '10000', title: 'Shorter review', ownerAccountId: ACC, dueAt: AT },
  'improvement/propose': { projectId: '10000', title: 'Merge roles' },
  'jira/retry': {},
  'panel/get': {},
  'panel/summary': {},
  'queue/list': { projectId: '10000', role: 'RELEASE_MANAGER', limit: 20 },
  'release/list': { projectId: '10000', status: 'READY', leadAccountId: ACC, windowFrom: AT, windowTo: AT + 1 },
  'training/list': { projectId: '10000', dueFrom: AT, overdueOnly: true },
  'improvement/list': { projectId: '10000', openOnly: true },
  'dsl/list': { projectId: '10000', status: 'IN_LIBRARY' },
  'kpi/get': { projectId: '10000', fromMonth: '2024-04', toMonth: '2025-03', kpis: ['RELEASE_SUCCESS_RATE'] },
  'kpi/drillDown': { projectId: '10000', kpi: 'CHANGE_FAILURE_RATE', fromMonth: '2025-03', toMonth: '2025-03' },
  'audit/list': { projectId: '10000', releaseId: R },
  'audit/export': { projectId: '10000', from: 1_767_225_600_000, to: 1_769_904_000_000, action: 'approve' },
  'audit/verify': { projectId: '10000' },
  'people/names': { projectId: '10000', accountIds: ['acc-1', 'acc-2'] },
  'evaluation/list': { projectId: '10000', accountId: 'acc-1', releaseId: '10001', limit: 10 },
  'people/search': { projectId: '10000', pool: 'BROWSERS', query: 'sof', limit: 10 },
  'admin/setupProject': { projectId: '10000' },
  'admin/getSetupStatus': { projectId: '10000' },
  'project/context': { projectId: '10000' },
  'project/list': { query: 'RG', includeNotSetUp: true },
  'admin/saveRoleMapping': { projectId: '10000', expectedVersion: 0, roles: { RELEASE_MANAGER: '10002', PROCESS_OWNER: '10003' } },
  'admin/savePolicy': { projectId: '10000', expectedVersion: 1, policy: { gates: { requireLinkedChange: false }, reviewSlaDays: 3, kpiTargets: { RELEASE_SUCCESS_RATE: 0.9 } } },
};

describe('resolver keys', () => {
  test('namespaced area/verb and unique', () => {
    for (const k of ALL_RESOLVER_KEYS) expect(k).toMatch(/^[a-z]+\/[a-zA-Z]+$/);
    expect(new Set(ALL_RESOLVER_KEYS).size).toBe(ALL_RESOLVER_KEYS.length);
    expect(isResolverKey('release/approve')).toBe(true);
    expect(isResolverKey('release/nope')).toBe(false);
  });
  test('every domain action except read has a resolver, and every resolver a schema and a sample', () => {
    for (const a of ACTIONS) if (a !== 'read' && !(PIPELINE_ACTIONS as readonly string[]).includes(a)) expect(ALL_RESOLVER_KEYS).toContain(ACTION_RESOLVER[a as keyof typeof ACTION_RESOLVER]);
    expect(Object.keys(PAYLOAD_SCHEMAS).sort()).toEqual([...ALL_RESOLVER_KEYS].sort());
    expect(Object.keys(VALID).sort()).toEqual([...ALL_RESOLVER_KEYS].sort());
    expect(RESOLVER_KEYS.approve).toBe('release/approve');
  });
});

describe.each(ALL_RESOLVER_KEYS.map((k) => [k]))('%s', (key) => {
  const valid = VALID[key];
  test('accepts a valid payload', () => {
    expect(parsePayload(key, valid)).toMatchObject({ ok: true });
  });
  test('rejects unknown keys', () => {
    expect(PAYLOAD_SCHEMAS[key].safeParse({ ...valid, accountId_: 'spoof', actor: ACC }).success).toBe(false);
  });
  test('rejects non-objects', () => {
    for (const bad of [null, undefined, 'x', 1, []]) expect(PAYLOAD_SCHEMAS[key].safeParse(bad).success).toBe(false);
  });
  const props = Object.entries(valid);
  if (props.length > 0) {
    test.each(props.map(([p, v]) => [p, v]))('rejects a wrong type for %s', (prop, value) => {
      const wrong = typeof value === 'string' ? 123 : typeof value === 'number' ? '1' : typeof value === 'boolean' ? 'true' : 'x';
      const r = parsePayload(key, { ...valid, [prop]: value === null ? 42 : wrong });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.field?.split('.')[0]).toBe(prop);
    });
  }
  const strings = props.filter(([, v]) => typeof v === 'string');
  if (strings.length > 0) {
    test.each(strings.map(([p]) => [p]))('rejects an oversized %s', (prop) => {
      expect(PAYLOAD_SCHEMAS[key].safeParse({ ...valid, [prop]: 'x'.repeat(20_001) }).success).toBe(false);
    });
  }
});

describe('specific bounds and rules', () => {
  const bad = (key: ResolverKey, patch: Record<string, unknown>) => PAYLOAD_SCHEMAS[key].safeParse({ ...VALID[key], ...patch }).success;
  test.each([
    ['blank reason', 'release/reject', { reason: '   ' }],
    ['window ends before it starts', 'release/setWindow', { windowEnd: AT - 1 }],
    ['non-integer version', 'release/approve', { expectedVersion: 1.5 }],
    ['negative version', 'release/approve', { expectedVersion: -1 }],
    ['issue id with letters', 'release/approve', { releaseId: 'REL-1' }],
    ['bad account id', 'team/addImplementer', { accountId: 'a b' }],
    ['unknown team role', 'team/change', { teamRole: 'BOSS' }],
    ['rating out of range', 'evaluation/record', { rating: 6 }],
    ['too many fallback steps', 'fallback/edit', { steps: Array.from({ length: 51 }, () => ({ action: 'a', ownerAccountId: ACC, expectedMinutes: 1 })) }],
    ['unknown key inside a step', 'fallback/edit', { steps: [{ action: 'a', ownerAccountId: ACC, expectedMinutes: 1, extra: 1 }] }],
    ['javascript: evidence url', 'fallback/recordRehearsal', { evidenceUrl: 'javascript:alert(1)' }],
    ['passed more than assessed', 'training/recordResult', { passed: 11 }],
    ['too much feedback', 'training/recordResult', { feedback: Array.from({ length: 51 }, () => 'x') }],
    ['bad sha256', 'dsl/register', { sha256: 'abc' }],
    ['audit that observes nothing', 'dsl/audit', { observedSha256: undefined, observedSizeBytes: undefined, differences: [] }],
    ['audit with a malformed observed checksum', 'dsl/audit', { observedSha256: 'xyz' }],
    ['usage request for an unknown environment', 'dsl/requestUsage', { environment: 'STAGING' }],
    ['import of more than 2,000 rows', 'dsl/import', { rows: Array.from({ length: 2_001 }, () => ['a', '1']) }],
    ['an import chunk over 200 KiB', 'dsl/importChunk', { rows: Array.from({ length: 100 }, () => ['a'.repeat(2_100)]) }],
    ['an import chunk index past the last', 'dsl/importChunk', { index: 20 }],
    ['an import id that is not a digest', 'dsl/importStatus', { importId: 'imp-../../x' }],
    ['unknown op', 'training/manage', { op: 'PURGE' }],
    ['kpi range reversed', 'kpi/get', { fromMonth: '2025-04', toMonth: '2025-03' }],
    ['kpi range too long', 'kpi/get', { fromMonth: '2020-01', toMonth: '2025-03' }],
    ['bad month', 'kpi/get', { fromMonth: '2025-13' }],
    ['unknown KPI', 'kpi/drillDown', { kpi: 'MADE_UP' }],
    ['page size over 100', 'queue/list', { limit: 101 }],
    ['audit with both targets', 'audit/list', { dslItemId: 'dsl-1' }],
    ['audit export period reversed', 'audit/export', { from: 1_769_904_000_000, to: 1_767_225_600_000 }],
    ['audit export of an unknown action shape', 'audit/export', { action: 'drop table' }],
    ['unknown policy gate', 'admin/savePolicy', { policy: { gates: { requireMagic: true } } }],
    ['unknown time zone', 'admin/savePolicy', { policy: { timeZone: 'Mars/Olympus_Mons' } }],
    ['freeze ending before it starts', 'freeze/save', { freeze: { reason: 'x', severity: 'HARD', appliesTo: ['MAJOR'], recurrence: { kind: 'ONCE', start: AT + 1, end: AT } } }],
    ['freeze with a bad weekly time', 'freeze/save', { freeze: { reason: 'x', severity: 'SOFT', appliesTo: ['MAJOR'], recurrence: { kind: 'WEEKLY', startDay: 5, startTime: '25:00', endDay: 1, endTime: '06:00' } } }],
    ['freeze without classifications', 'freeze/save', { freeze: { reason: 'x', severity: 'SOFT', appliesTo: [], recurrence: { kind: 'MONTH_END', workingDays: 2 } } }],
    ['pipeline token name with markup', 'pipeline/createToken', { name: '<script>' }],
    ['unknown kpi target', 'admin/savePolicy', { policy: { kpiTargets: { HAPPINESS: 1 } } }],
    ['unknown standing role in mapping', 'admin/saveRoleMapping', { roles: { KING: '1' } }],
    ['time before 2000', 'deployment/record', { finishedAt: 5 }],
  ] as [string, ResolverKey, Record<string, unknown>][])('%s', (_label, key, patch) => {
    expect(bad(key, patch)).toBe(false);
  });

  test('parsePayload names the field', () => {
    expect(parsePayload('plan/edit', { ...VALID['plan/edit'], plannedEffortHours: -1 })).toEqual({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.any(String), field: 'plannedEffortHours' },
    });
  });

  test('trimmed text', () => {
    const r = parsePayload('release/reject', { ...VALID['release/reject'], reason: '  dup  ' });
    expect(r.ok && r.data.reason).toBe('dup');
  });
});

test('envelope helpers', () => {
  expect(ok({ a: 1 })).toEqual({ ok: true, data: { a: 1 } });
  expect(fail({ code: 'GATE_NO_LEAD', message: 'm', reasons: ['GATE_NO_LEAD'] })).toEqual({
    ok: false,
    error: { code: 'GATE_NO_LEAD', message: 'm', reasons: ['GATE_NO_LEAD'] },
  });
});
