/**
 * A bounded JQL: the clauses the app uses, parsed strictly; anything else is refused with Jira's 400 shape
 * (see README.md for the grammar). Pure: parsing here, evaluation against rows in `search.ts`.
 */

export type JqlOperator = '=' | '!=' | 'in' | 'not in' | '>' | '>=' | '<' | '<=' | '~' | 'is' | 'is not';

export type JqlValue = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'empty' };

export interface JqlClause {
  /** Field as written; `issue.property[key].path` for property paths. */
  field: string;
  /** Set for `issue.property['key'].path` clauses. */
  property?: { key: string; path: string };
  operator: JqlOperator;
  values: JqlValue[];
}

export interface JqlOrder {
  field: string;
  direction: 'ASC' | 'DESC';
}

export interface JqlQuery {
  clauses: JqlClause[];
  orderBy: JqlOrder[];
}

export class JqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JqlError';
  }
}

type Token =
  | { t: 'word'; v: string; pos: number }
  | { t: 'string'; v: string; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'punct'; v: '(' | ')' | ',' | '[' | ']' | '.'; pos: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        v += src[j];
        j++;
      }
      if (j >= src.length) throw new JqlError(`Error in the JQL Query: The quoted string starting at character ${i + 1} has not been completed.`);
      out.push({ t: 'string', v, pos: i });
      i = j + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '!=' || two === '>=' || two === '<=' || two === '!~') {
      out.push({ t: 'op', v: two, pos: i });
      i += 2;
      continue;
    }
    if (c === '=' || c === '>' || c === '<' || c === '~') {
      out.push({ t: 'op', v: c, pos: i });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '[' || c === ']' || c === '.') {
      out.push({ t: 'punct', v: c, pos: i });
      i++;
      continue;
    }
    const m = /^[A-Za-z0-9_\-:@*]+/.exec(src.slice(i));
    if (!m) throw new JqlError(`Error in the JQL Query: The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}' instead. (line 1, character ${i + 1})`);
    out.push({ t: 'word', v: m[0], pos: i });
    i += m[0].length;
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isWord(w: string, tok = this.peek()): boolean {
    return tok !== undefined && tok.t === 'word' && tok.v.toLowerCase() === w;
  }

  private fail(expected: string): never {
    const tok = this.peek();
    if (!tok) throw new JqlError(`Error in the JQL Query: Expecting ${expected} but reached the end of the query.`);
    throw new JqlError(`Error in the JQL Query: Expecting ${expected} but got '${tok.v}'. (line 1, character ${tok.pos + 1})`);
  }

  parse(): JqlQuery {
    const clauses: JqlClause[] = [];
    if (this.peek() && !this.isWord('order')) {
      clauses.push(this.clause());
      while (this.peek() && !this.isWord('order')) {
        if (this.isWord('or')) throw new JqlError('Error in the JQL Query: OR is not supported by the local Jira emulator (supported: AND).');
        if (!this.isWord('and')) this.fail("either 'AND' or 'ORDER BY'");
        this.i++;
        clauses.push(this.clause());
      }
    }
    const orderBy: JqlOrder[] = [];
    if (this.isWord('order')) {
      this.i++;
      if (!this.isWord('by')) this.fail("'BY'");
      this.i++;
      do {
        if (orderBy.length > 0) this.i++;
        const tok = this.peek();
        if (!tok || (tok.t !== 'word' && tok.t !== 'string')) this.fail('a field name');
        this.i++;
        let direction: 'ASC' | 'DESC' = 'ASC';
        if (this.isWord('asc') || this.isWord('desc')) {
          direction = (this.peek() as Token).v.toUpperCase() as 'ASC' | 'DESC';
          this.i++;
        }
        orderBy.push({ field: tok.v.toLowerCase(), direction });
      } while (this.peek()?.v === ',');
    }
    if (this.peek()) this.fail('the end of the query');
    return { clauses, orderBy };
  }

  private clause(): JqlClause {
    const tok = this.peek();
    if (tok?.t === 'punct' && tok.v === '(') throw new JqlError('Error in the JQL Query: Parentheses are not supported by the local Jira emulator.');
    if (this.isWord('not')) throw new JqlError('Error in the JQL Query: NOT is not supported by the local Jira emulator.');
    if (!tok || (tok.t !== 'word' && tok.t !== 'string')) this.fail('a field name');
    this.i++;
    let field = tok.v;
    let property: JqlClause['property'];
    if (tok.t === 'word' && tok.v.toLowerCase() === 'issue' && this.peek()?.v === '.') {
      // issue.property[key].path
      this.i++;
      if (!this.isWord('property')) this.fail("'property'");
      this.i++;
      if (this.peek()?.v !== '[') this.fail("'['");
      this.i++;
      const keyTok = this.peek();
      if (!keyTok || (keyTok.t !== 'word' && keyTok.t !== 'string')) this.fail('a property key');
      this.i++;
      if (this.peek()?.v !== ']') this.fail("']'");
      this.i++;
      const path: string[] = [];
      while (this.peek()?.v === '.') {
        this.i++;
        const seg = this.peek();
        if (!seg || seg.t !== 'word') this.fail('a property path');
        path.push(seg.v);
        this.i++;
      }
      property = { key: keyTok.v, path: path.join('.') };
      field = `issue.property[${keyTok.v}]${path.length ? `.${path.join('.')}` : ''}`;
    }
    const operator = this.operator();
    const values = this.values(operator);
    return { field, ...(property ? { property } : {}), operator, values };
  }

  private operator(): JqlOperator {
    const tok = this.peek();
    if (tok?.t === 'op') {
      this.i++;
      if (tok.v === '!~') throw new JqlError("Error in the JQL Query: The operator '!~' is not supported by the local Jira emulator.");
      return tok.v as JqlOperator;
    }
    if (this.isWord('in')) {
      this.i++;
      return 'in';
    }
    if (this.isWord('not')) {
      this.i++;
      if (!this.isWord('in')) this.fail("'IN'");
      this.i++;
      return 'not in';
    }
    if (this.isWord('is')) {
      this.i++;
      if (this.isWord('not')) {
        this.i++;
        return 'is not';
      }
      return 'is';
    }
    return this.fail('an operator');
  }

  private value(): JqlValue {
    const tok = this.peek();
    if (!tok || (tok.t !== 'word' && tok.t !== 'string')) return this.fail('a value');
    this.i++;
    if (tok.t === 'word' && (tok.v.toLowerCase() === 'empty' || tok.v.toLowerCase() === 'null')) return { kind: 'empty' };
    if (tok.t === 'word' && /^-?\d+(\.\d+)?$/.test(tok.v)) return { kind: 'number', value: Number(tok.v) };
    return { kind: 'string', value: tok.v };
  }

  private values(op: JqlOperator): JqlValue[] {
    if (op === 'in' || op === 'not in') {
      if (this.peek()?.v !== '(') this.fail("'('");
      this.i++;
      const list = [this.value()];
      while (this.peek()?.v === ',') {
        this.i++;
        list.push(this.value());
      }
      if (this.peek()?.v !== ')') this.fail("')'");
      this.i++;
      return list;
    }
    const v = this.value();
    if ((op === 'is' || op === 'is not') && v.kind !== 'empty') throw new JqlError("Error in the JQL Query: The operator 'is' only supports EMPTY or NULL.");
    return [v];
  }
}

export function parseJql(source: string): JqlQuery {
  return new Parser(tokenize(source)).parse();
}

/** The literal text of a value, for matching ids, keys and names. */
export function valueText(v: JqlValue): string | null {
  return v.kind === 'empty' ? null : String(v.value);
}
