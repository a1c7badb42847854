/** Errors raised by the Jira expression parser and evaluator. */

/** A position in the source text. `offset` is 0-based; `line` and `column` are 1-based (as in Jira's analyse API). */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export type JiraExpressionErrorKind = 'syntax' | 'evaluation';

export function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let column = 1;
  const end = Math.min(Math.max(offset, 0), source.length);
  for (let i = 0; i < end; i++) {
    if (source[i] === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { offset: end, line, column };
}

/**
 * The single error type thrown by `parseJiraExpression` and `evaluateJiraExpression`.
 * `kind` is 'syntax' for parse errors and 'evaluation' for run-time failures.
 * `detail` is the message without the position prefix; `fragment` is the failing sub-expression (evaluation only).
 */
export class JiraExpressionError extends Error {
  override readonly name = 'JiraExpressionError';

  constructor(
    readonly kind: JiraExpressionErrorKind,
    readonly detail: string,
    readonly position: SourcePosition,
    readonly fragment?: string,
  ) {
    super(JiraExpressionError.format(kind, detail, position, fragment));
  }

  private static format(
    kind: JiraExpressionErrorKind,
    detail: string,
    position: SourcePosition,
    fragment: string | undefined,
  ): string {
    const where = `line ${position.line}, column ${position.column}`;
    if (kind === 'syntax') return `Syntax error at ${where}: ${detail}`;
    const what = fragment === undefined ? '' : `"${fragment}" - `;
    return `Evaluation failed at ${where}: ${what}${detail}`;
  }
}

export function isJiraExpressionError(error: unknown): error is JiraExpressionError {
  return error instanceof JiraExpressionError;
}
