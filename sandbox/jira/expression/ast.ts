/** AST of a Jira expression. Every node carries its source span [start, end). */

interface Span {
  readonly start: number;
  readonly end: number;
}

export type BinaryOperator = '*' | '/' | '%' | '+' | '-' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||' | '??';
export type UnaryOperator = '!' | '-' | 'typeof';

export interface LiteralNode extends Span {
  readonly type: 'Literal';
  readonly value: null | boolean | number | string;
}

export interface IdentifierNode extends Span {
  readonly type: 'Identifier';
  readonly name: string;
}

export interface ListNode extends Span {
  readonly type: 'List';
  readonly elements: readonly ExpressionNode[];
}

export interface ObjectEntry {
  readonly key: string;
  readonly value: ExpressionNode;
}

export interface ObjectNode extends Span {
  readonly type: 'Object';
  readonly entries: readonly ObjectEntry[];
}

/** `object.name` (computed: false) or `object[expr]` (computed: true); `optional` for `?.`. */
export interface MemberNode extends Span {
  readonly type: 'Member';
  readonly object: ExpressionNode;
  readonly property: ExpressionNode;
  readonly computed: boolean;
  readonly optional: boolean;
}

/** `callee(args)`; when callee is a non-computed Member node this is a method call. `optional` for `f?.(x)`. */
export interface CallNode extends Span {
  readonly type: 'Call';
  readonly callee: ExpressionNode;
  readonly args: readonly ExpressionNode[];
  readonly optional: boolean;
}

export interface ArrowNode extends Span {
  readonly type: 'Arrow';
  readonly params: readonly string[];
  readonly body: ExpressionNode;
}

export interface UnaryNode extends Span {
  readonly type: 'Unary';
  readonly operator: UnaryOperator;
  readonly operand: ExpressionNode;
}

export interface BinaryNode extends Span {
  readonly type: 'Binary';
  readonly operator: BinaryOperator;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
}

export interface ConditionalNode extends Span {
  readonly type: 'Conditional';
  readonly test: ExpressionNode;
  readonly consequent: ExpressionNode;
  readonly alternate: ExpressionNode;
}

/** `let name = value; body` (top level only, as in the Jira grammar). */
export interface LetNode extends Span {
  readonly type: 'Let';
  readonly name: string;
  readonly value: ExpressionNode;
  readonly body: ExpressionNode;
}

export type ExpressionNode =
  | LiteralNode
  | IdentifierNode
  | ListNode
  | ObjectNode
  | MemberNode
  | CallNode
  | ArrowNode
  | UnaryNode
  | BinaryNode
  | ConditionalNode
  | LetNode;

/** The result of `parseJiraExpression`. */
export interface JiraExpressionAst {
  readonly source: string;
  readonly body: ExpressionNode;
}
