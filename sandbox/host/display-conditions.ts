import type { ManifestModule } from '../manifest';

/**
 * A module's `displayConditions` as Jira evaluates them for an issue view (forge-docs/manifest-reference/
 * display-conditions: several conditions at one level are ANDed; `and`, `or`, `not` nest). The local host
 * knows `issueType` (the issue type's name or id, as in the docs' `issueType: Bug`), `projectKey` and `issueKey`;
 * a condition it does not know shows the module (Jira's would decide), and the server checks anyway: display
 * conditions run in the browser and protect nothing.
 */
export interface DisplayFacts {
  issueTypeName?: string | undefined;
  issueTypeId?: string | undefined;
  projectKey?: string | undefined;
  issueKey?: string | undefined;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const values = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);

function holds(conditions: unknown, facts: DisplayFacts): boolean {
  if (!isObj(conditions)) return true;
  return Object.entries(conditions).every(([key, value]) => {
    switch (key) {
      case 'and':
        return holds(value, facts);
      case 'or':
        return isObj(value) ? Object.entries(value).some(([k, v]) => holds({ [k]: v }, facts)) : true;
      case 'not':
        return !holds(value, facts);
      case 'issueType':
        return values(value).some((t) => t === facts.issueTypeName || t === facts.issueTypeId);
      case 'projectKey':
        return values(value).includes(facts.projectKey ?? '');
      case 'issueKey':
        return values(value).includes(facts.issueKey ?? '');
      default:
        return true;
    }
  });
}

export function isDisplayed(module: ManifestModule, facts: DisplayFacts): boolean {
  return holds(module.displayConditions, facts);
}
