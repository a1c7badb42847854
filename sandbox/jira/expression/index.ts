/** Jira expressions (subset) for the local Jira emulator. See README.md. */
export type { ExpressionNode, JiraExpressionAst, BinaryOperator, UnaryOperator } from './ast';
export { JiraExpressionError, isJiraExpressionError, type JiraExpressionErrorKind, type SourcePosition } from './errors';
export { parseJiraExpression } from './parser';
export {
  evaluateJiraExpression,
  evaluateWorkflowCondition,
  type JiraExpressionBindings,
  type JiraExpressionResult,
  type WorkflowConditionOutcome,
} from './evaluator';
export { EntityProperties, JIRA_TYPE_NAME, Lambda, jiraEquals, typeName } from './values';
export { BUILTIN_METHOD_NAMES } from './builtins';
