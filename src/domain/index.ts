/**
 * The release-governance domain: pure rules, no SDK, no clock, no I/O. Time (epoch ms) and ids are passed in;
 * answers are values with reason codes (user text: locales/*.json `reason.<CODE>`).
 *
 * Main entry points
 *   decide(actor, ctx | null, action, now, policy, extras?) → { allowed: true } | { allowed: false, reasons }
 *       the one rule for every action (ACTION_TABLE) and every transition gate (GATES).
 *   applyTransition({ release, team, fallbackPlan }, action, { actorAccountId, reason? }, now)
 *       → { ok: true, release, team, fallbackPlan, effects } | { ok: false, reasons: ['WRONG_STATUS'] }
 *   nextStepChecklist(ctx, policy, now) → { action, items: [{ code, met }], allMet }
 *   availableActions(actor, ctx, now, policy) → Action[]
 *   releaseKpiFacts(ctx, policy) → ReleaseKpiFacts | null;  applyClosedRelease / applyDslAudit /
 *   applyImprovementAction(agg, fact) → agg;  reconcileKpiMonth(projectId, month, sources) → agg;
 *   kpiReadings(agg, policy) → [{ name, value, target, onTarget }]
 */
export * from './reasons';
export * from './roles';
export * from './release';
export * from './context';
export * from './team';
export * from './fallback';
export * from './freeze';
export * from './calendar';
export * from './training';
export * from './dsl';
export * from './dsl-consistency';
export * from './improvement';
export * from './kpiCatalog';
export * from './policy';
export * from './lifecycle';
export * from './gates';
export * from './actions';
export * from './decide';
export * from './kpi';
export * from './kpiDrill';
export { CLOCK_SKEW_MS, improvementCompletionReasons, releaseTimeReasons, type RecordedTime, type TimeReasonCode } from './recordedTime';
