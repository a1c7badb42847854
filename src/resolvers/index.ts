/**
 * The resolver of every Custom UI module: thin. Each key (shared with the UI through `src/contracts`)
 * validates its payload with the contract's strict schema, takes the actor from the invocation principal
 * and the issue/project from `context.extension`, calls one use case and answers with the one envelope.
 */
import Resolver from '@forge/resolver';
import { parsePayload, RESOLVER_KEYS as K, type PayloadOf, type ResolverKey } from '../contracts';
import type { Envelope } from '../contracts/envelope';
import { TRANSITION_ACTIONS } from '../domain/lifecycle';
import * as project from '../services/project-commands';
import { setupProjectFor, setupStatusFor } from '../services/project-setup';
import { peopleNames, searchPeople } from '../services/people';
import { getProjectContext, listProjects } from '../services/project-reads';
import * as reads from '../services/reads';
import * as audit from '../services/audit';
import * as dsl from '../services/dsl-commands';
import { getDslConsistency } from '../services/dsl-consistency';
import { syncDslEnvironments } from '../services/dsl-environments';
import { commitImport, importDsl, importStatus, startImport, uploadChunk } from '../services/dsl-import';
import * as dslReads from '../services/dsl-reads';
import * as release from '../services/release-commands';
import { retryJiraEffects } from '../services/jira-effects';
import * as freezes from '../services/freezes';
import * as pipeline from '../services/pipeline';
import type { Caller } from '../services/scope';
import { errorEnvelope, ok, unknownResolverEnvelope, validationEnvelope } from './envelope';
import { localeOf } from './messages';

const resolver = new Resolver();
/** The keys defined below: @forge/resolver looks keys up with `in`, which also finds `constructor` and friends. */
const defined = new Set<string>();

interface RequestContext {
  accountId?: string;
  extension?: unknown;
  locale?: string;
}

function callerOf(context: RequestContext): Caller {
  // `accountId` here is the one @forge/resolver took from the invocation principal, not from the client.
  return { accountId: context.accountId, extension: context.extension, locale: context.locale };
}

async function answer<T>(context: RequestContext, work: (caller: Caller) => Promise<T>): Promise<Envelope<T>> {
  const locale = localeOf(context.locale);
  try {
    return ok(await work(callerOf(context)));
  } catch (err) {
    return errorEnvelope(err, locale);
  }
}

function define<Key extends ResolverKey>(key: Key, handler: (caller: Caller, payload: PayloadOf<Key>) => Promise<unknown>): void {
  defined.add(key);
  resolver.define(key, async ({ payload, context }: { payload: unknown; context: RequestContext }) => {
    const parsed = parsePayload(key, payload);
    if (!parsed.ok) return validationEnvelope(localeOf(context.locale), parsed.error.field);
    return answer(context, (caller) => handler(caller, parsed.data));
  });
}

// ---- transitions
for (const action of TRANSITION_ACTIONS) define(K[action], (c, p) => release.transitionRelease(c, action, p));

// ---- the request
define(K.submitRelease, project.submitRelease);
define(K.releasesOfChange, project.releasesOfChangeRequest);
define(K.classify, release.classifyRelease);
define(K.assignLead, release.assignLead);
define(K.setWindow, release.setReleaseWindow);
define(K.assessRisk, release.assessRisk);
define(K.recordEmergencyOverride, release.recordEmergencyOverride);
define(K.recordFreezeException, release.recordFreezeException);

// ---- change freezes, the calendar, pipeline tokens
define(K.saveFreeze, freezes.saveFreeze);
define(K.deleteFreeze, freezes.deleteFreeze);
define(K.getCalendar, freezes.getCalendar);
define(K.listPipelineTokens, pipeline.listPipelineTokens);
define(K.createPipelineToken, pipeline.createPipelineToken);
define(K.revokePipelineToken, pipeline.revokePipelineToken);

// ---- team and evaluation
define(K.changeTeam, release.changeTeam);
define(K.addImplementer, release.addImplementer);
define(K.evaluateParticipant, release.evaluateParticipant);

// ---- records
define(K.editPlan, release.editPlan);
define(K.editFallbackPlan, release.editFallbackPlan);
define(K.recordRehearsal, release.recordRehearsal);
define(K.recordFallbackExecution, release.recordFallbackExecution);
define(K.recordOpinion, release.recordOpinion);
define(K.recordIntegrationTest, release.recordIntegrationTest);
define(K.recordUat, release.recordUat);
define(K.recordCutover, release.recordCutover);
define(K.reportProgress, release.reportProgress);
define(K.recordDeploymentResult, release.recordDeploymentResult);
define(K.recordOperationalAcceptance, release.recordOperationalAcceptance);

// ---- training
define(K.manageTraining, release.manageTraining);
define(K.recordTrainingDelivery, release.recordTrainingDelivery);
define(K.recordTrainingResult, release.recordTrainingResult);

// ---- DSL (最终软件库)
define(K.dslRegister, dsl.registerDslItem);
define(K.dslApprove, dsl.approveDslItem);
define(K.dslCheckIn, dsl.checkInDslItem);
define(K.dslCheckOut, dsl.checkOutDslItem);
define(K.dslReturn, dsl.returnDslItem);
define(K.dslReplace, dsl.replaceDslItem);
define(K.dslRetire, dsl.retireDslItem);
define(K.dslAudit, dsl.auditDslItem);
define(K.dslLink, dsl.linkDslItem);
define(K.dslRequestUsage, dsl.requestDslUsage);
define(K.dslDecideUsage, dsl.decideDslUsage);
define(K.dslImport, importDsl);
define(K.dslImportStart, startImport);
define(K.dslImportChunk, uploadChunk);
define(K.dslImportCommit, commitImport);
define(K.dslImportStatus, importStatus);
define(K.dslSyncEnvironments, syncDslEnvironments);
define(K.listDslItems, dslReads.listDslItems);
define(K.getDslItem, dslReads.getDslItem);
define(K.listDslUsageRequests, dslReads.listDslUsageRequests);
define(K.getDslConsistency, getDslConsistency);
define(K.exportDsl, dslReads.exportDsl);
define(K.listDslFixVersions, dslReads.listDslFixVersions);
define(K.listDslEnvironments, dslReads.listDslEnvironments);

// ---- process and admin
define(K.manageImprovementActions, project.manageImprovementAction);
define(K.proposeImprovementAction, project.proposeImprovementAction);
define(K.savePolicy, project.savePolicy);
define(K.saveRoleMapping, project.saveRoleMapping);
define(K.setupProject, (c, p) => setupProjectFor(c, p.projectId));
define(K.getSetupStatus, (c, p) => setupStatusFor(c, p.projectId));

// ---- Jira effects
define(K.retryJira, retryJiraEffects);

// ---- reads
define(K.getPanel, reads.getPanel);
define(K.getPanelSummary, reads.getPanelSummary);
define(K.listQueue, reads.listQueue);
define(K.listReleases, reads.listReleases);
define(K.listTraining, reads.listTraining);
define(K.listImprovementActions, reads.listImprovementActions);
define(K.listAudit, audit.listAuditTrail);
define(K.exportAudit, (c, p) => audit.exportAuditPage(c, p));
define(K.verifyAudit, audit.verifyProjectAudit);
define(K.getKpis, reads.getKpis);
define(K.getKpiDrillDown, reads.getKpiDrillDown);
define(K.peopleNames, peopleNames);
define(K.searchPeople, searchPeople);
define(K.getProjectContext, getProjectContext);
define(K.listProjects, listProjects);

/** Participant evaluations (visible to the release managers and the person evaluated). */
export const LIST_EVALUATIONS_KEY = K.listEvaluations;
define(K.listEvaluations, reads.listEvaluations);

const definitions = resolver.getDefinitions();

/**
 * The function Forge invokes. A call whose key is not one we defined (`constructor`, `__proto__`, `valueOf`,
 * `''`, a key of another app version) gets the structured "unknown resolver" error: without this check
 * @forge/resolver would run `Object` (found through the prototype) and echo the call's context back.
 */
async function entry(event: unknown, runtime: unknown): Promise<unknown> {
  const call = typeof event === 'object' && event !== null ? (event as { call?: unknown }).call : undefined;
  const key = typeof call === 'object' && call !== null ? (call as { functionKey?: unknown }).functionKey : undefined;
  if (typeof key !== 'string' || !defined.has(key)) return unknownResolverEnvelope(localeOf(undefined));
  return (definitions as (e: unknown, r: unknown) => Promise<unknown>)(event, runtime);
}
export { entry as resolver };
