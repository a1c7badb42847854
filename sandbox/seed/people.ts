/**
 * The demo's people: one or more per role of SPEC §2, some with Chinese names and the zh-CN locale. Standing
 * roles become Jira project-role memberships; implementers and test experts hold their roles per release
 * (team membership), so they have no standing role.
 */
import type { StandingRole } from '../../src/domain/roles';

export interface DemoUser {
  readonly accountId: string;
  readonly displayName: string;
  readonly locale: 'en_US' | 'zh_CN';
  readonly timeZone: string;
  /** What they are in the organisation, for the start banner and README. */
  readonly title: string;
  readonly standingRoles: readonly StandingRole[];
  /** Browse permission on the demo project (everyone but nobody: the outsider browses too, holding no role). */
  readonly browses: boolean;
  /** What to try as this user. */
  readonly tryThis: string;
}

const user = (u: DemoUser): DemoUser => u;

/** In the order of the host's acting-user switch; the first is the default. */
export const PEOPLE = {
  manager: user({
    accountId: 'demo-daniel-okafor',
    displayName: 'Daniel Okafor',
    locale: 'en_US',
    timeZone: 'Europe/London',
    title: 'Release manager',
    standingRoles: ['RELEASE_MANAGER'],
    browses: true,
    tryThis: 'review and approve or reject SUBMITTED requests, form teams, cancel, evaluate participants',
  }),
  manager2: user({
    accountId: 'demo-li-na',
    displayName: '李娜',
    locale: 'zh_CN',
    timeZone: 'Asia/Shanghai',
    title: 'Release manager (发布经理)',
    standingRoles: ['RELEASE_MANAGER'],
    browses: true,
    tryThis: 'the release manager in Chinese: 审批、拒绝、组建发布小组',
  }),
  owner: user({
    accountId: 'demo-helen-zhou',
    displayName: '周海伦 Helen Zhou',
    locale: 'zh_CN',
    timeZone: 'Asia/Shanghai',
    title: 'Release process owner, project administrator',
    standingRoles: ['PROCESS_OWNER'],
    browses: true,
    tryThis: 'KPIs, improvement actions, policy and role mapping on the admin page',
  }),
  lead1: user({
    accountId: 'demo-sofia-martins',
    displayName: 'Sofia Martins',
    locale: 'en_US',
    timeZone: 'Europe/Lisbon',
    title: 'Release lead',
    standingRoles: ['RELEASE_LEAD'],
    browses: true,
    tryThis: 'plan, fallback plan, opinions; start build, mark ready, invoke the fallback',
  }),
  lead2: user({
    accountId: 'demo-chen-wei',
    displayName: '陈伟',
    locale: 'zh_CN',
    timeZone: 'Asia/Shanghai',
    title: 'Release lead (发布主管)',
    standingRoles: ['RELEASE_LEAD'],
    browses: true,
    tryThis: 'the release lead in Chinese',
  }),
  lead3: user({
    accountId: 'demo-priya-raman',
    displayName: 'Priya Raman',
    locale: 'en_US',
    timeZone: 'Asia/Kolkata',
    title: 'Release lead',
    standingRoles: ['RELEASE_LEAD'],
    browses: true,
    tryThis: 'a lead with a release ready to start build',
  }),
  impl1: user({
    accountId: 'demo-tom-becker',
    displayName: 'Tom Becker',
    locale: 'en_US',
    timeZone: 'Europe/Berlin',
    title: 'Release implementer',
    standingRoles: [],
    browses: true,
    tryThis: 'start implementation inside the window, report progress, record the deployment, mark deployed',
  }),
  impl2: user({
    accountId: 'demo-zhang-lei',
    displayName: '张磊',
    locale: 'zh_CN',
    timeZone: 'Asia/Shanghai',
    title: 'Release implementer (发布实施人)',
    standingRoles: [],
    browses: true,
    tryThis: 'record the fallback execution and complete the rollback',
  }),
  impl3: user({
    accountId: 'demo-aisha-khan',
    displayName: 'Aisha Khan',
    locale: 'en_US',
    timeZone: 'Asia/Dubai',
    title: 'Release implementer',
    standingRoles: [],
    browses: true,
    tryThis: 'integration tests and rehearsals',
  }),
  impl4: user({
    accountId: 'demo-liu-yang',
    displayName: '刘洋',
    locale: 'zh_CN',
    timeZone: 'Asia/Shanghai',
    title: 'Release implementer (发布实施人)',
    standingRoles: [],
    browses: true,
    tryThis: 'progress reports',
  }),
  trainer: user({
    accountId: 'demo-emma-schultz',
    displayName: 'Emma Schultz',
    locale: 'en_US',
    timeZone: 'Europe/Vienna',
    title: 'Training lead',
    standingRoles: ['TRAINING_LEAD'],
    browses: true,
    tryThis: 'training tasks: plan, deliver, record results and feedback',
  }),
  trainer2: user({
    accountId: 'demo-lin-xiao',
    displayName: '林晓',
    locale: 'zh_CN',
    timeZone: 'Asia/Shanghai',
    title: 'Training lead (培训主管)',
    standingRoles: ['TRAINING_LEAD'],
    browses: true,
    tryThis: 'overdue training on the training workbench',
  }),
  scl: user({
    accountId: 'demo-marco-rossi',
    displayName: 'Marco Rossi',
    locale: 'en_US',
    timeZone: 'Europe/Rome',
    title: 'Software control lead',
    standingRoles: ['SOFTWARE_CONTROL_LEAD'],
    browses: true,
    tryThis: 'the Definitive Software Library: check-in, check-out, audits',
  }),
  tester: user({
    accountId: 'demo-yuki-tanaka',
    displayName: 'Yuki Tanaka',
    locale: 'en_US',
    timeZone: 'Asia/Tokyo',
    title: 'Test expert',
    standingRoles: [],
    browses: true,
    tryThis: 'record integration tests on releases in BUILD_TEST',
  }),
  tester2: user({
    accountId: 'demo-huang-li',
    displayName: '黄丽',
    locale: 'zh_CN',
    timeZone: 'Asia/Shanghai',
    title: 'Test expert (测试专家)',
    standingRoles: [],
    browses: true,
    tryThis: 'the test expert in Chinese',
  }),
  business: user({
    accountId: 'demo-sun-fang',
    displayName: '孙芳',
    locale: 'zh_CN',
    timeZone: 'Asia/Shanghai',
    title: 'Business lead (业务主管), Payroll operations',
    standingRoles: ['BUSINESS_LEAD'],
    browses: true,
    tryThis: 'user acceptance tests and cutover confirmation',
  }),
  operations: user({
    accountId: 'demo-omar-haddad',
    displayName: 'Omar Haddad',
    locale: 'en_US',
    timeZone: 'Europe/London',
    title: 'Operations lead',
    standingRoles: ['OPERATIONS_LEAD'],
    browses: true,
    tryThis: 'operational acceptance, verify and close the VERIFYING release',
  }),
  requester: user({
    accountId: 'demo-grace-liu',
    displayName: 'Grace Liu',
    locale: 'en_US',
    timeZone: 'Asia/Singapore',
    title: 'Change manager (change management, requester)',
    standingRoles: [],
    browses: true,
    tryThis: 'raise a release request from a change request (issue action “Raise release request”)',
  }),
  requester2: user({
    accountId: 'demo-wang-qiang',
    displayName: '王强',
    locale: 'zh_CN',
    timeZone: 'Asia/Shanghai',
    title: 'Change analyst (变更管理), requester',
    standingRoles: [],
    browses: true,
    tryThis: 'raise a release request in Chinese',
  }),
  outsider: user({
    accountId: 'demo-peter-novak',
    displayName: 'Peter Novak',
    locale: 'en_US',
    timeZone: 'Europe/Prague',
    title: 'Developer, other team (browses, no role)',
    standingRoles: [],
    browses: true,
    tryThis: 'reads everything, every action is refused with a reason',
  }),
} as const satisfies Record<string, DemoUser>;

export type PersonKey = keyof typeof PEOPLE;
export const PERSON_KEYS = Object.keys(PEOPLE) as PersonKey[];
export const ALL_PEOPLE: readonly DemoUser[] = PERSON_KEYS.map((k) => PEOPLE[k]);

export const LEADS: readonly PersonKey[] = ['lead1', 'lead2', 'lead3'];
export const IMPLEMENTERS: readonly PersonKey[] = ['impl1', 'impl2', 'impl3', 'impl4'];
export const TRAINERS: readonly PersonKey[] = ['trainer', 'trainer2'];
export const TESTERS: readonly PersonKey[] = ['tester', 'tester2'];
export const MANAGERS: readonly PersonKey[] = ['manager', 'manager2'];
export const REQUESTERS: readonly PersonKey[] = ['requester', 'requester2'];
