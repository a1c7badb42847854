import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Atlassian's Jira OpenAPI document: `JIRA_OPENAPI_PATH`, else `../shared/reference/...` beside the checkout. */
export function jiraOpenApiPath(): string {
  const p = process.env.JIRA_OPENAPI_PATH ?? resolve(__dirname, '..', '..', 'shared', 'reference', 'jira-openapi', 'swagger-v3.v3.json');
  if (!existsSync(p)) throw new Error(`Jira OpenAPI document not found at ${p}; set JIRA_OPENAPI_PATH`);
  return p;
}
