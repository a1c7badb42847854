import { loadOpenApi } from './openapi';

/**
 * The OAuth scopes a Jira operation needs (the OpenAPI document's `x-atlassian-oauth2-scopes`, current sets)
 * that `granted` lacks; empty when it may be called. Forge refuses such a call whether it comes from a frame
 * (`requestJira` through the bridge) or from a function (`@forge/api`): the manifest's `permissions.scopes` are
 * all the app has.
 */
export function missingScopes(method: string, path: string, granted: readonly string[]): string[] {
  const spec = loadOpenApi();
  const match = spec.match(method, path);
  if (!match) return [];
  const op = spec.operation(match.template, method) as { 'x-atlassian-oauth2-scopes'?: { scopes?: string[]; state?: string }[] } | undefined;
  const sets = (op?.['x-atlassian-oauth2-scopes'] ?? []).filter((s) => s.state === 'Current' && Array.isArray(s.scopes));
  if (sets.length === 0) return [];
  // Any one current set, fully granted, suffices (classic scopes: a single set per operation).
  const gaps = sets.map((s) => (s.scopes ?? []).filter((x) => !granted.includes(x)));
  return gaps.some((g) => g.length === 0) ? [] : (gaps[0] ?? []);
}
