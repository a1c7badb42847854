/**
 * What the demo's releases are about (a payroll platform's components and changes) and when their steps
 * happen. Everything is drawn from the seeded PRNG, so the same seed writes the same scripts.
 */
import type { Classification, Outcome, RiskLevel } from '../../src/domain/release';
import type { TrainingAudience } from '../../src/domain/training';
import type { Software } from './dsl';
import type { ReleaseScript, Stage, Step, Timeline } from './lifecycle';
import { IMPLEMENTERS, LEADS, MANAGERS, PEOPLE, REQUESTERS, TESTERS, TRAINERS, type PersonKey } from './people';
import type { Rng } from './prng';
import { DAY, HOUR, MINUTE } from './world';

interface Component {
  readonly name: string;
  readonly en: string;
  readonly zh: string;
  major: number;
  minor: number;
}

interface ChangeKind {
  readonly en: string;
  readonly zh: string;
  readonly classification: Classification;
  readonly risk: RiskLevel;
}

const COMPONENTS = (): Component[] => [
  { name: 'payroll-engine', en: 'Payroll engine', zh: '薪资计算引擎', major: 4, minor: 0 },
  { name: 'payslip-service', en: 'Payslip service', zh: '工资单服务', major: 2, minor: 3 },
  { name: 'tax-rules', en: 'Tax rules pack', zh: '个税规则包', major: 2025, minor: 1 },
  { name: 'bank-gateway', en: 'Bank payment gateway', zh: '银行代发网关', major: 3, minor: 1 },
  { name: 'hr-sync', en: 'HR master-data sync', zh: '人事主数据同步', major: 1, minor: 8 },
  { name: 'time-attendance', en: 'Time & attendance connector', zh: '考勤接口', major: 5, minor: 2 },
  { name: 'pension-calc', en: 'Pension and social insurance', zh: '社保公积金计算', major: 3, minor: 0 },
  { name: 'payroll-portal', en: 'Employee payroll portal', zh: '员工薪资门户', major: 6, minor: 4 },
];

const KINDS: readonly ChangeKind[] = [
  { en: 'statutory rate update', zh: '法定费率更新', classification: 'STANDARD', risk: 'MEDIUM' },
  { en: 'performance improvements', zh: '性能优化', classification: 'MINOR', risk: 'LOW' },
  { en: 'security patch', zh: '安全补丁', classification: 'MINOR', risk: 'MEDIUM' },
  { en: 'new year-end reports', zh: '新增年终报表', classification: 'STANDARD', risk: 'LOW' },
  { en: 'API v2 upgrade', zh: '接口升级至 v2', classification: 'MAJOR', risk: 'HIGH' },
  { en: 'defect fixes', zh: '缺陷修复', classification: 'MINOR', risk: 'LOW' },
  { en: 'database platform upgrade', zh: '数据库平台升级', classification: 'MAJOR', risk: 'HIGH' },
];

const EMERGENCY: ChangeKind = { en: 'emergency fix for duplicate payments', zh: '重复发薪紧急修复', classification: 'EMERGENCY', risk: 'CRITICAL' };

const DEPARTMENTS = [
  { department: 'Finance', opinion: 'Agreed, provided it stays clear of the month-end close (days 28–3).' },
  { department: 'Human Resources', opinion: 'Supported; please brief HR business partners before go-live.' },
  { department: 'Information Security', opinion: 'No objection after the dependency scan; keep the audit log on.' },
  { department: '财务部', opinion: '同意，避开月末结账期即可。' },
  { department: '客户服务中心', opinion: '请提前一周完成服务台培训。' },
];

const FEEDBACK = [
  'Clear walkthrough of the new payslip fields',
  'Needs a cheat sheet for the help desk',
  'More time on the exceptions report, please',
  '讲解清楚，希望提供操作手册',
  'Hands-on lab was the most useful part',
];

const RISKS: Record<RiskLevel, string> = {
  LOW: 'Isolated change behind a feature toggle; rollback is a redeploy.',
  MEDIUM: 'Touches the monthly payroll run; mitigated by a parallel run and a rehearsed rollback.',
  HIGH: 'Schema change on the payroll database; a failed rollout would delay salaries. Full backup and rehearsed restore required.',
  CRITICAL: 'Production incident in progress: employees paid twice. Emergency change under CAB chair approval.',
};

/** A day's 09:00 UTC or so, plus `hours`. */
const at9 = (day: number, hours = 0): number => Math.floor(day / DAY) * DAY + 9 * HOUR + hours * HOUR;

/** Step times from `submit`, forwards; draws every duration from `rng`. */
export function timeline(rng: Rng, submit: number, opts: { lateDeployment?: boolean; lateDslUpdate?: boolean; lateTraining?: boolean; emergency?: boolean } = {}): Timeline {
  const change = submit - rng.int(1, 3) * DAY - rng.int(0, 6) * HOUR;
  const review = submit + rng.int(2, 20) * HOUR;
  const approve = at9(review + rng.int(1, 3) * DAY, rng.int(0, 6));
  const team = approve + rng.int(1, 3) * HOUR;
  const plan = at9(approve + DAY, rng.int(0, 4));
  const build = at9(plan + rng.int(1, 4) * DAY, 1);
  const integrationTest = at9(build + 2 * DAY, 5);
  const uat = at9(build + 3 * DAY, 3);
  const rehearsal = at9(build + 3 * DAY, 6);
  const trainingDue = at9(build + 3 * DAY, 8);
  const trainingDelivered = opts.lateTraining ? trainingDue + DAY + 2 * HOUR : trainingDue - DAY + HOUR;
  const dsl = at9(build + 4 * DAY, 2);
  const ready = at9(build + rng.int(5, 7) * DAY, 4);
  const windowStart = opts.emergency ? ready + 3 * DAY : at9(ready + rng.int(1, 3) * DAY, 9); // evening change window
  const windowEnd = windowStart + rng.int(2, 5) * DAY;
  const implStart = opts.emergency ? ready + 2 * HOUR : opts.lateDeployment ? windowEnd - 3 * HOUR : windowStart + rng.int(0, 3) * HOUR;
  const deployFinished = opts.lateDeployment ? windowEnd + rng.int(3, 9) * HOUR : implStart + rng.int(2, 8) * HOUR;
  const productionUpdated = deployFinished + (opts.lateDslUpdate ? rng.int(30, 60) : rng.int(1, 6)) * HOUR;
  const acceptance = deployFinished + rng.int(18, 40) * HOUR;
  const close = acceptance + rng.int(1, 6) * HOUR;
  const fallbackInvoke = implStart + rng.int(2, 4) * HOUR;
  const fallbackExecuted = fallbackInvoke + rng.int(40, 150) * MINUTE;
  const fallbackDone = fallbackExecuted + rng.int(20, 90) * MINUTE;
  const evaluation = Math.max(close, fallbackDone) + rng.int(1, 3) * DAY;
  return {
    change, submit, review, approve, team, plan, build, integrationTest, uat, rehearsal, trainingDue, trainingDelivered, dsl, ready,
    windowStart, windowEnd, implStart, deployFinished, productionUpdated, acceptance, close, fallbackInvoke, fallbackExecuted, fallbackDone, evaluation,
  };
}

/** The instant the script's last step happens (its closing, cancelling or stopping point). */
export function endOf(t: Timeline, stage: Stage, outcome?: Outcome): number {
  if (stage === 'CLOSED') return outcome === 'SUCCESS' ? t.close : t.fallbackDone;
  return t.evaluation;
}

export interface ScriptOptions {
  readonly stage: Stage;
  readonly outcome?: Outcome;
  readonly cancelFrom?: ReleaseScript['cancelFrom'];
  readonly reason?: string;
  readonly skip?: readonly Step[];
  readonly emergency?: boolean;
  /** Chinese titles and texts (the requester's language). */
  readonly zh?: boolean;
  readonly lead?: PersonKey;
  readonly requester?: PersonKey;
  readonly manager?: PersonKey;
  readonly implementers?: readonly PersonKey[];
  readonly evaluate?: boolean;
}

/** Writes the releases of one demo: components keep their own version numbers as releases follow each other. */
export class ScriptWriter {
  private readonly components = COMPONENTS();
  private n = 0;

  constructor(private readonly rng: Rng) {}

  private bump(c: Component, major: boolean): Software {
    if (major) {
      c.major += 1;
      c.minor = 0;
    } else c.minor += 1;
    return { name: c.name, version: `${c.major}.${c.minor}.0` };
  }

  /** A script whose steps start at `submit`; `place` may then move its timeline. */
  write(submit: number, o: ScriptOptions): ReleaseScript {
    const rng = this.rng;
    this.n += 1;
    const kind = o.emergency ? EMERGENCY : rng.pick(KINDS);
    const comp = rng.pick(this.components);
    const others = this.components.filter((c) => c !== comp);
    const software = [this.bump(comp, kind.classification === 'MAJOR'), ...(rng.chance(0.35) ? [this.bump(rng.pick(others), false)] : [])];
    const requester = o.requester ?? rng.pick(REQUESTERS);
    const zh = o.zh ?? PEOPLE[requester].locale === 'zh_CN';
    const lead = o.lead ?? rng.pick(LEADS);
    const implementers = o.implementers ?? rng.sample(IMPLEMENTERS, rng.chance(0.4) ? 2 : 1);
    const main = implementers[0] as PersonKey;
    const second = (implementers[1] ?? rng.pick(IMPLEMENTERS.filter((p) => p !== main))) as PersonKey;
    const version = software[0]?.version ?? '';
    const title = zh ? `${comp.zh} ${version}：${kind.zh}` : `${comp.en} ${version}: ${kind.en}`;
    const lateDeployment = o.stage === 'CLOSED' && !o.emergency && rng.chance(0.12);
    const lateDslUpdate = rng.chance(0.1);
    const lateTraining = rng.chance(0.15);
    const training: TrainingAudience[] = ['HELP_DESK', ...(rng.chance(0.6) ? (['END_USER'] as const) : []), ...(kind.classification === 'MAJOR' ? (['MAINTENANCE'] as const) : [])];
    const assessed = rng.int(6, 40);
    const passed = assessed - (rng.chance(0.5) ? 0 : rng.int(1, Math.max(1, Math.floor(assessed / 6))));
    const t = timeline(rng, submit, { lateDeployment, lateDslUpdate, lateTraining, emergency: !!o.emergency });
    return {
      title,
      description: zh
        ? `变更请求要求发布 ${software.map((s) => `${s.name} ${s.version}`).join('、')}（${kind.zh}）。`
        : `Change management asks to release ${software.map((s) => `${s.name} ${s.version}`).join(' and ')} (${kind.en}).`,
      changeSummary: zh ? `变更请求 CHG-${4100 + this.n}：${comp.zh}${kind.zh}` : `CHG-${4100 + this.n}: ${comp.en} ${kind.en}`,
      requester,
      manager: o.manager ?? rng.pick(MANAGERS),
      lead,
      implementers,
      tester: rng.pick(TESTERS),
      trainer: rng.pick(TRAINERS),
      classification: kind.classification,
      risk: kind.risk,
      riskAnalysis: RISKS[kind.risk],
      scope: `${software.map((s) => `${s.name} ${s.version}`).join(', ')}: ${kind.en}. Environments: integration, staging, production.`,
      schedule: 'Build and integration test 1 week; UAT and rehearsal 3 days; deploy in the evening change window.',
      software,
      plannedEffortHours: rng.int(3, 20) * 8,
      effortFactor: 0.8 + rng.int(0, 50) / 100,
      opinions: rng.sample(DEPARTMENTS, rng.int(1, 3)),
      training,
      trainees: { assessed, passed, feedback: rng.sample(FEEDBACK, rng.int(1, 2)) },
      fallback: {
        trigger: 'Payroll run error rate above 1%, any payslip total differing from the parallel run, or bank file rejected',
        steps: [
          { action: 'Stop the payroll batch scheduler', owner: main, minutes: 5 },
          { action: `Redeploy the previous version of ${comp.name}`, owner: main, minutes: 20 },
          { action: 'Restore the payroll database from the pre-release backup', owner: second, minutes: 45 },
          { action: 'Smoke-test payslips and notify the help desk', owner: main, minutes: 15 },
        ],
        backupRef: `backup://payroll-db/pre-${comp.name}-${version}`,
      },
      stage: o.stage,
      ...(o.outcome ? { outcome: o.outcome } : {}),
      ...(o.cancelFrom ? { cancelFrom: o.cancelFrom } : {}),
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.skip ? { skip: o.skip } : {}),
      quirks: {
        lateTraining,
        failedRehearsalFirst: rng.chance(0.2),
        failedIntegrationFirst: rng.chance(0.2),
        lateDeployment,
        lateDslUpdate,
        emergencyOverride: !!o.emergency,
        evaluate: o.evaluate ?? rng.chance(0.5),
      },
      timeline: t,
    };
  }

  /** A script that ends at `end` (its close, or for other stages its last step). */
  writeEndingAt(end: number, o: ScriptOptions): ReleaseScript {
    const probe = this.write(0, o);
    const shift = end - endOf(probe.timeline, o.stage, o.outcome);
    return { ...probe, timeline: shiftTimeline(probe.timeline, shift) };
  }
}

export function shiftTimeline(t: Timeline, by: number): Timeline {
  const out = { ...t };
  for (const k of Object.keys(out) as (keyof Timeline)[]) out[k] += by;
  return out;
}
