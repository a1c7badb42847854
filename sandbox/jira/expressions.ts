import { badRequest, isObject, ok } from './http';
import { isJiraExpressionError, parseJiraExpression } from './expression';
import { route, type Route } from './router';
import type { Site } from './site';

/**
 * `POST /rest/api/3/expression/analyse`: Jira's own verdict on an expression before anyone relies on it.
 * `check=syntax` (the default) parses with the emulator's engine — the grammar of Atlassian's "Jira expressions"
 * pages — and reports the first syntax error with its line and column. `check=type` also reports identifiers
 * that are not context variables of any Forge workflow-rule or event-filter context. A site can be told to
 * reject more (`rejectExpression`), as a Jira whose engine lacks a construct would, so that the app's handling
 * of a refusal can be tested.
 */
const COMMON_CONTEXT = new Set(['user', 'issue', 'originalIssue', 'project', 'transition', 'workflow', 'config', 'app', 'now', 'customerRequest', 'serviceDesk', 'event', 'issues', 'sprint', 'board', 'Number']);

function identifiersUsed(source: string): string[] {
  // Free identifiers at the start of member chains (the type check's "unknown variable"): a light scan over
  // the source with strings removed; lambda parameters and `let` names are bound and skipped.
  const noStrings = source.replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, "''");
  const bound = new Set<string>();
  for (const m of noStrings.matchAll(/\b([A-Za-z_$][\w$]*)\s*=>/g)) bound.add(m[1] as string);
  for (const m of noStrings.matchAll(/\(([^()]*)\)\s*=>/g)) for (const p of (m[1] as string).split(',')) if (p.trim()) bound.add(p.trim());
  for (const m of noStrings.matchAll(/\blet\s+([A-Za-z_$][\w$]*)/g)) bound.add(m[1] as string);
  const out = new Set<string>();
  for (const m of noStrings.matchAll(/(^|[^.\w$?])([A-Za-z_$][\w$]*)/g)) {
    const id = m[2] as string;
    if (['true', 'false', 'null', 'typeof', 'let', 'return'].includes(id) || bound.has(id)) continue;
    const after = noStrings.slice((m.index ?? 0) + m[0].length);
    if (/^\s*:/.test(after) && /[{,]\s*$/.test(noStrings.slice(0, (m.index ?? 0) + (m[1] as string).length))) continue; // object literal key
    out.add(id);
  }
  return [...out];
}

export const expressionRoutes: Route[] = [
  route('POST', '/rest/api/3/expression/analyse', (req, site: Site) => {
    const check = req.query.get('check') ?? 'syntax';
    if (!['syntax', 'type', 'complexity'].includes(check)) return badRequest(`Invalid check: ${check}`);
    if (!isObject(req.body) || !Array.isArray(req.body.expressions)) return badRequest('expressions must be a list of strings.');
    const extraVariables = isObject(req.body.contextVariables) ? Object.keys(req.body.contextVariables) : [];
    const results = req.body.expressions.map((raw) => {
      const expression = String(raw);
      const errors: { type: 'syntax' | 'type' | 'other'; message: string; line?: number; column?: number }[] = [];
      if (expression.length > 1000) errors.push({ type: 'syntax', message: 'The expression is too long (more than 1000 characters).' });
      try {
        parseJiraExpression(expression);
      } catch (err) {
        if (!isJiraExpressionError(err)) throw err;
        errors.push({ type: 'syntax', message: err.detail, line: err.position.line, column: err.position.column });
      }
      if (errors.length === 0 && check === 'type') {
        for (const id of identifiersUsed(expression)) {
          if (!COMMON_CONTEXT.has(id) && !extraVariables.includes(id)) errors.push({ type: 'type', message: `Unrecognized identifier: ${id}` });
        }
      }
      const rejected = errors.length === 0 ? site.options.rejectExpression?.(expression) : undefined;
      if (rejected) errors.push({ type: 'syntax', message: rejected.message, ...(rejected.line ? { line: rejected.line } : {}), ...(rejected.column ? { column: rejected.column } : {}) });
      return errors.length === 0 ? { expression, valid: true } : { expression, valid: false, errors };
    });
    return ok({ results });
  }),
];
