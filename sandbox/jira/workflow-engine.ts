import { EntityProperties, JIRA_TYPE_NAME, evaluateJiraExpression, isJiraExpressionError } from './expression';
import { badRequest } from './http';
import type { Site } from './site';
import type { ConditionGroup, IssueRow, ProjectRow, RuleConfig, StatusRow, StoredTransition, WorkflowRow } from './state';
import type { ManifestModule } from '../manifest';

/**
 * Runs a project's workflow the way Jira does: which transitions an issue has from its status, which of them
 * the user may see (conditions: Forge Jira-expression conditions and built-in rules), and whether a chosen
 * transition may go ahead (validators: Forge function or expression validators and built-in rules).
 */

export const CONDITION_RULES = ['forge:expression-condition', 'system:restrict-issue-transition'] as const;
export const VALIDATOR_RULES = ['forge:expression-validator', 'system:check-permission-validator'] as const;

/** `ari:cloud:ecosystem::extension/{appId}/{environmentId}/static/{moduleKey}` → parts. */
export function parseExtensionAri(key: string): { appId: string; environmentId: string; moduleKey: string } | undefined {
  const m = /^ari:cloud:ecosystem::extension\/([^/]+)\/([^/]+)\/static\/([^/]+)$/.exec(key);
  if (!m || !m[1] || !m[2] || !m[3]) return undefined;
  return { appId: m[1], environmentId: m[2], moduleKey: m[3] };
}

function appUuid(site: Site): string {
  return site.manifest.appId.replace(/^ari:cloud:ecosystem::app\//, '');
}

/** The manifest module a Forge rule points at, or a reason why it does not resolve. */
export function forgeModuleFor(site: Site, rule: RuleConfig, moduleType: string): ManifestModule | string {
  const key = rule.parameters?.key;
  if (!key) return `Forge rule '${rule.ruleKey}' has no 'key' parameter.`;
  const ari = parseExtensionAri(key);
  if (!ari) return `Forge rule key '${key}' is not an extension ARI (ari:cloud:ecosystem::extension/{appId}/{environmentId}/static/{moduleKey}).`;
  if (ari.appId !== appUuid(site)) return `Forge rule key '${key}' names another app.`;
  const mod = site.manifest.modules.find((m) => m.key === ari.moduleKey && m.moduleType === moduleType);
  if (!mod) return `The app has no ${moduleType} module '${ari.moduleKey}'.`;
  return mod;
}

/** Checks a rule when a workflow is created; returns a problem or undefined. */
export function ruleProblem(site: Site, rule: RuleConfig, kind: 'condition' | 'validator' | 'action'): string | undefined {
  if (kind === 'action') return `Post functions are not supported by the local Jira emulator ('${rule.ruleKey}').`;
  const supported: readonly string[] = kind === 'condition' ? CONDITION_RULES : VALIDATOR_RULES;
  if (!supported.includes(rule.ruleKey)) {
    return `The ${kind} rule '${rule.ruleKey}' is not supported by the local Jira emulator (supported: ${supported.join(', ')}).`;
  }
  if (rule.ruleKey.startsWith('forge:')) {
    const mod = forgeModuleFor(site, rule, kind === 'condition' ? 'jira:workflowCondition' : 'jira:workflowValidator');
    if (typeof mod === 'string') return mod;
    const config = rule.parameters?.config;
    if (config !== undefined && config !== '') {
      try {
        JSON.parse(config);
      } catch {
        return `The 'config' parameter of rule '${rule.ruleKey}' is not JSON.`;
      }
    }
  }
  return undefined;
}

export function workflowForIssue(site: Site, project: ProjectRow, issueTypeId: number): WorkflowRow {
  const scheme = site.state.workflowScheme(project.workflowSchemeId);
  const name = scheme?.issueTypeMappings[String(issueTypeId)] ?? scheme?.defaultWorkflow ?? 'jira';
  const wf = site.state.workflowByName(name);
  if (!wf) throw new Error(`workflow '${name}' of project ${project.key} is missing`);
  return wf;
}

export function initialStatusId(wf: WorkflowRow): number {
  const initial = wf.transitions.find((t) => t.type === 'INITIAL');
  return Number(initial?.toStatusId ?? wf.statusIds[0]);
}

/** Transitions leaving the issue's status (directed ones linked from it, and global ones). */
export function outgoingTransitions(wf: WorkflowRow, statusId: number): StoredTransition[] {
  const from = String(statusId);
  return wf.transitions.filter(
    (t) =>
      (t.type === 'DIRECTED' && t.links.some((l) => l.fromStatusId === from)) ||
      (t.type === 'GLOBAL' && t.toStatusId !== from),
  );
}

export interface RuleContext {
  site: Site;
  accountId: string;
  issue: IssueRow;
  project: ProjectRow;
  workflow: WorkflowRow;
  transition: StoredTransition;
}

function parseConfig(rule: RuleConfig): Record<string, unknown> {
  const raw = rule.parameters?.config;
  if (!raw) return {};
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function statusValue(s: StatusRow | undefined): Record<string | symbol, unknown> | null {
  if (!s) return null;
  return { [JIRA_TYPE_NAME]: 'Status', id: s.id, name: s.name, description: s.description, category: { key: s.category, name: s.category } };
}

function userValue(site: Site, accountId: string | null | undefined): Record<string | symbol, unknown> | null {
  if (!accountId) return null;
  const u = site.state.user(accountId);
  if (!u && accountId !== site.options.appAccountId) return null;
  return {
    [JIRA_TYPE_NAME]: 'User',
    accountId,
    displayName: u?.displayName ?? accountId,
    active: u?.active ?? true,
    timeZone: u?.timeZone ?? 'UTC',
    locale: u?.locale ?? 'en_US',
    accountType: u?.accountType ?? 'app',
    groups: [],
    properties: new EntityProperties({}),
    getProjectRoles: (project: unknown) => {
      const projectId = typeof project === 'object' && project !== null ? Number((project as Record<string, unknown>).id) : NaN;
      return site.state.rolesOf(projectId, accountId).map((id) => {
        const role = site.state.role(id);
        return { [JIRA_TYPE_NAME]: 'ProjectRole', id, name: role?.name ?? '' };
      });
    },
  };
}

/** The context variables Forge documents for workflow conditions and validators. */
export function expressionBindings(ctx: RuleContext, config: Record<string, unknown>): Record<string, unknown> {
  const { site, issue, project, workflow, transition } = ctx;
  const projectValue = { [JIRA_TYPE_NAME]: 'Project', id: project.id, key: project.key, name: project.name, properties: new EntityProperties({}) };
  const type = site.state.issueType(issue.issueTypeId);
  const fields = issue.fields;
  return {
    user: userValue(site, ctx.accountId),
    project: projectValue,
    issue: {
      [JIRA_TYPE_NAME]: 'Issue',
      id: issue.id,
      key: issue.key,
      summary: issue.summary,
      description: fields.description ?? null,
      status: statusValue(site.state.status(issue.statusId)),
      issueType: type ? { [JIRA_TYPE_NAME]: 'IssueType', id: type.id, name: type.name } : null,
      project: projectValue,
      assignee: userValue(site, typeof fields.assignee === 'string' ? fields.assignee : null),
      reporter: userValue(site, issue.reporterAccountId),
      creator: userValue(site, issue.creatorAccountId),
      labels: Array.isArray(fields.labels) ? fields.labels : [],
      created: new Date(issue.createdMs),
      updated: new Date(issue.updatedMs),
      properties: new EntityProperties(site.state.properties(issue.id)),
    },
    transition: {
      [JIRA_TYPE_NAME]: 'Transition',
      id: Number(transition.id),
      name: transition.name,
      from: statusValue(site.state.status(issue.statusId)),
      to: statusValue(site.state.status(transition.toStatusId)),
      hasScreen: false,
    },
    workflow: { [JIRA_TYPE_NAME]: 'Workflow', id: workflow.id, name: workflow.name },
    config,
  };
}

function reportExpressionFailure(ctx: RuleContext, rule: RuleConfig, expression: string, message: string, kind: 'condition' | 'validator'): void {
  ctx.site.hooks.emitEvent('avi:jira:failed:expression', {
    selfGenerated: false,
    extensionId: rule.parameters?.key ?? '',
    workflowId: ctx.workflow.id,
    workflowName: ctx.workflow.name,
    ...(kind === 'condition' ? { conditionId: rule.id ?? '' } : { validatorId: rule.id ?? '' }),
    expression,
    errorMessages: [message],
    context: { issue: { id: String(ctx.issue.id), key: ctx.issue.key }, project: { id: String(ctx.project.id), key: ctx.project.key } },
  });
}

function evaluateExpression(ctx: RuleContext, rule: RuleConfig, expression: string, config: Record<string, unknown>, kind: 'condition' | 'validator'): unknown {
  try {
    return evaluateJiraExpression(expression, expressionBindings(ctx, config)).value;
  } catch (error) {
    // Forge: an expression that fails to evaluate fails the rule and sends avi:jira:failed:expression.
    const message = isJiraExpressionError(error) || error instanceof Error ? error.message : String(error);
    reportExpressionFailure(ctx, rule, expression, message, kind);
    return undefined;
  }
}

/** Forge rules carry `disabled: 'true'` when the providing app is disabled; Jira skips them. */
const isDisabled = (rule: RuleConfig): boolean => rule.parameters?.disabled === 'true';

function conditionPasses(ctx: RuleContext, rule: RuleConfig): boolean {
  const { site } = ctx;
  if (isDisabled(rule)) return true;
  switch (rule.ruleKey) {
    case 'forge:expression-condition': {
      const mod = forgeModuleFor(site, rule, 'jira:workflowCondition');
      if (typeof mod === 'string') return false; // the app is gone: Forge fails the condition
      const config = parseConfig(rule);
      const expression = typeof config.expression === 'string' ? config.expression : typeof mod.expression === 'string' ? mod.expression : '';
      return evaluateExpression(ctx, rule, expression, config, 'condition') === true;
    }
    case 'system:restrict-issue-transition': {
      const p = rule.parameters ?? {};
      const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const accountIds = list(p.accountIds);
      if (accountIds.includes(ctx.accountId)) return true;
      if (accountIds.includes('allow-reporter') && ctx.issue.reporterAccountId === ctx.accountId) return true;
      if (accountIds.includes('allow-assignee') && ctx.issue.fields.assignee === ctx.accountId) return true;
      const roles = site.state.rolesOf(ctx.project.id, ctx.accountId).map(String);
      if (list(p.roleIds).some((r) => roles.includes(r))) return true;
      const perms = site.permissionsOf(ctx.accountId, ctx.project);
      return list(p.permissionKeys).some((k) => perms.has(k));
    }
    default:
      return false;
  }
}

function groupPasses(ctx: RuleContext, group: ConditionGroup): boolean {
  const results = [
    ...(group.conditions ?? []).map((r) => () => conditionPasses(ctx, r)),
    ...(group.conditionGroups ?? []).map((g) => () => groupPasses(ctx, g)),
  ];
  if (results.length === 0) return true;
  return group.operation === 'ANY' ? results.some((f) => f()) : results.every((f) => f());
}

/** Whether the transition's conditions let this user see and make it. */
export function transitionAllowed(ctx: RuleContext): boolean {
  return !ctx.transition.conditions || groupPasses(ctx, ctx.transition.conditions);
}

function i18nText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'i18n' in value) return String((value as { i18n: unknown }).i18n);
  return undefined;
}

/** Runs the transition's validators in order; throws Jira's 400 with the first failure's message. */
export async function runValidators(ctx: RuleContext): Promise<void> {
  const { site, issue, transition } = ctx;
  for (const rule of transition.validators.filter((r) => !isDisabled(r))) {
    let failure: string | undefined;
    if (rule.ruleKey === 'forge:expression-validator') {
      const mod = forgeModuleFor(site, rule, 'jira:workflowValidator');
      if (typeof mod === 'string') {
        failure = 'Transition failed validation: the app providing the validator is not installed.';
      } else if (typeof mod.function === 'string') {
        const event = {
          issue: { key: issue.key },
          configuration: parseConfig(rule),
          transition: { from: { id: String(issue.statusId) }, to: { id: transition.toStatusId }, modifiedFields: {} },
        };
        try {
          const principal = site.options.validatorPrincipal ? { accountId: ctx.accountId } : {};
          const value = await site.hooks.invokeFunction(mod.function, event, { ...principal, moduleKey: mod.key });
          const result = typeof value === 'object' && value !== null ? (value as { result?: unknown; errorMessage?: unknown }) : {};
          if (result.result !== true) {
            failure = typeof result.errorMessage === 'string' && result.errorMessage ? result.errorMessage : 'Transition failed validation.';
          }
        } catch (error) {
          failure = `Transition failed validation: ${error instanceof Error ? error.message : String(error)}`;
        }
      } else {
        const config = parseConfig(rule);
        const expression = typeof config.expression === 'string' ? config.expression : typeof mod.expression === 'string' ? mod.expression : '';
        const value = evaluateExpression(ctx, rule, expression, config, 'validator');
        if (value !== true) {
          if (typeof value === 'string') failure = value;
          else {
            const em = mod.errorMessage;
            const dynamic =
              typeof em === 'object' && em !== null && 'expression' in em
                ? evaluateExpression(ctx, rule, String((em as { expression: unknown }).expression), config, 'validator')
                : undefined;
            failure = (typeof dynamic === 'string' ? dynamic : i18nText(em)) ?? 'Transition failed validation.';
          }
        }
      }
    } else if (rule.ruleKey === 'system:check-permission-validator') {
      const key = rule.parameters?.permissionKey ?? '';
      if (!site.permissionsOf(ctx.accountId, ctx.project).has(key)) failure = `You do not have the permission '${key}' needed for this transition.`;
    }
    if (failure !== undefined) throw badRequest(failure);
  }
}
