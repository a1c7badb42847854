/** Every code and vocabulary word the domain exports has natural text in both languages. */
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  ACTIONS,
  CLASSIFICATIONS,
  GATE_REASON_CODES,
  KPI_NAMES,
  OUTCOMES,
  REASON_CODES,
  RELEASE_STATUSES,
  RISK_LEVELS,
  STANDING_ROLES,
  TEAM_ROLES,
  TRAINING_AUDIENCES,
} from '..';

type Json = Record<string, Record<string, unknown>>;
const load = (f: string): Json => JSON.parse(readFileSync(join(__dirname, '../../../locales', f), 'utf8')) as Json;
const en = load('en-US.json');
const zh = load('zh-CN.json');

const sections: [string, readonly string[]][] = [
  ['reason', REASON_CODES],
  // The gate checklist names each condition neutrally (met or not); `reason.*` says what is missing.
  ['gate', GATE_REASON_CODES],
  ['role', [...STANDING_ROLES, ...TEAM_ROLES]],
  ['status', RELEASE_STATUSES],
  ['action', ACTIONS],
  ['classification', CLASSIFICATIONS],
  ['risk', RISK_LEVELS],
  ['outcome', OUTCOMES],
  ['audience', TRAINING_AUDIENCES],
  ['kpi', KPI_NAMES],
];

describe.each(sections)('locales section %s', (section, keys) => {
  test.each(keys.map((k) => [k]))('%s has English and Chinese text', (key) => {
    const e = en[section]?.[key];
    const z = zh[section]?.[key];
    expect(typeof e).toBe('string');
    expect(typeof z).toBe('string');
    expect((e as string).trim().length).toBeGreaterThan(0);
    expect(z as string).toMatch(/[\u4e00-\u9fff]/);
  });
  test('no stray keys, and both languages have the same keys', () => {
    expect(Object.keys(en[section] ?? {}).sort()).toEqual([...new Set(keys)].sort());
    expect(Object.keys(zh[section] ?? {}).sort()).toEqual([...new Set(keys)].sort());
  });
});

test('the glossary of SPEC §10 is used', () => {
  expect(zh.role?.RELEASE_MANAGER).toBe('发布经理');
  expect(zh.role?.RELEASE_LEAD).toBe('发布主管');
  expect(zh.role?.IMPLEMENTER).toBe('发布实施人');
  expect(zh.role?.PROCESS_OWNER).toBe('发布流程负责人');
  expect(String(zh.reason?.GATE_NO_FALLBACK_STEP)).toContain('回退计划');
  expect(String(zh.reason?.GATE_TEAM_NO_TEST_EXPERT)).toContain('发布小组');
});
