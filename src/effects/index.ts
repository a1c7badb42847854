/**
 * Effects on Jira, in one place: services say WHICH effects a change implies (`effectsOfChange`) and add
 * them to the change's transaction (`requestEffects`); how they reach Jira — applied right after the commit,
 * retried by the queue consumer and the daily sweep, reconciled when a read finds Jira disagreeing — is this
 * folder's business alone.
 */
export { APPLY_ORDER, effectsOfChange, type EffectKind } from './kinds';
export { outboxRefs, requestEffects } from './request';
export { applyReleaseEffects, nextAttemptDelayMs, pendingKinds, type ApplyOptions, type EffectsOutcome, type EffectsSnapshot } from './apply';
export { raiseCmdbTaskFor } from './cmdb';
export { delaySeconds, EFFECTS_QUEUE, MAX_DELAY_SECONDS, scheduleRetry, type RetryRequest } from './queue';
export { jiraSyncView } from './view';
export { jiraDisagrees, noteDrift, sweepProjectEffects, type SweepPage } from './sweep';
