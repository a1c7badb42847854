/** Tokenizer for Jira expressions. */
import { JiraExpressionError, positionAt } from './errors';

export type TokenType = 'number' | 'string' | 'identifier' | 'keyword' | 'punct' | 'eof';

export interface Token {
  readonly type: TokenType;
  /** The token text; for strings, the decoded value. */
  readonly value: string;
  /** For numbers, the numeric value. */
  readonly number?: number;
  readonly start: number;
  readonly end: number;
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  'true',
  'false',
  'null',
  'typeof',
  'let',
  'return',
  // Reserved: part of the Jira expressions grammar but not supported here (rejected with a clear message).
  'new',
  'if',
  'else',
  'try',
  'catch',
  'throw',
]);

/** Punctuators, longest first so that maximal munch works. */
const PUNCTUATORS: readonly string[] = [
  '===',
  '!==',
  '=>',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '??',
  '?.',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '!',
  '?',
  ':',
  '.',
  ',',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ';',
  '=',
];

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
};

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function isIdentStart(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z_$]/.test(ch);
}

function isIdentPart(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_$]/.test(ch);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const fail = (offset: number, message: string): never => {
    throw new JiraExpressionError('syntax', message, positionAt(source, offset));
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === undefined) break;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      if (close < 0) fail(i, 'Unterminated comment.');
      i = close + 2;
      continue;
    }
    const start = i;
    if (isDigit(ch) || (ch === '.' && isDigit(source[i + 1]))) {
      while (isDigit(source[i])) i++;
      if (source[i] === '.' && isDigit(source[i + 1])) {
        i++;
        while (isDigit(source[i])) i++;
      }
      if (source[i] === 'e' || source[i] === 'E') {
        let j = i + 1;
        if (source[j] === '+' || source[j] === '-') j++;
        if (!isDigit(source[j])) fail(i, 'Invalid number literal: missing exponent digits.');
        i = j;
        while (isDigit(source[i])) i++;
      }
      if (isIdentStart(source[i])) fail(i, `Invalid number literal: unexpected '${source[i] ?? ''}' after number.`);
      const text = source.slice(start, i);
      tokens.push({ type: 'number', value: text, number: Number(text), start, end: i });
      continue;
    }
    if (ch === "'" || ch === '"') {
      i++;
      let value = '';
      for (;;) {
        const c = source[i];
        if (c === undefined || c === '\n') fail(start, 'Unterminated string literal.');
        if (c === ch) {
          i++;
          break;
        }
        if (c === '\\') {
          const e = source[i + 1];
          if (e === undefined) return fail(start, 'Unterminated string literal.');
          if (e === 'u') {
            const hex = source.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(i, 'Invalid unicode escape sequence in string literal.');
            value += String.fromCharCode(parseInt(hex, 16));
            i += 6;
            continue;
          }
          // Unknown escapes keep their backslash, so regular expressions written as '\.\d+' or '[^\\d]' reach
          // String.replace() intact (both spellings appear in Atlassian's examples).
          const simple = SIMPLE_ESCAPES[e];
          value += simple ?? `\\${e}`;
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      tokens.push({ type: 'string', value, start, end: i });
      continue;
    }
    if (ch === '`') fail(i, 'Template literals are not supported by this emulator.');
    if (isIdentStart(ch)) {
      while (isIdentPart(source[i])) i++;
      const text = source.slice(start, i);
      tokens.push({ type: KEYWORDS.has(text) ? 'keyword' : 'identifier', value: text, start, end: i });
      continue;
    }
    const punct = PUNCTUATORS.find((p) => source.startsWith(p, i));
    if (punct !== undefined) {
      // `a ? .5 : 1` is a conditional, not optional chaining.
      if (punct === '?.' && isDigit(source[i + 2])) {
        tokens.push({ type: 'punct', value: '?', start, end: i + 1 });
        i += 1;
        continue;
      }
      if (punct === '===' || punct === '!==') {
        fail(i, `Operator '${punct}' is not supported in Jira expressions; use '${punct.slice(0, 2)}' (it does not coerce types).`);
      }
      tokens.push({ type: 'punct', value: punct, start, end: i + punct.length });
      i += punct.length;
      continue;
    }
    fail(i, `Unexpected character '${ch}'.`);
  }
  tokens.push({ type: 'eof', value: '<end of expression>', start: source.length, end: source.length });
  return tokens;
}
