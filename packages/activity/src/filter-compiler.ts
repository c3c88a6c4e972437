import { FilterError } from './errors.js';

/**
 * Compiles the CEL subset the query API accepts into a parameterised ClickHouse boolean expression.
 * Values never enter the SQL text: each literal becomes a `{fN:Type}` placeholder bound server-side,
 * and column names come from the fixed FIELDS table, so a filter cannot reach anything but the
 * columns below, and the caller ANDs the result (in parentheses) with the tenant scope.
 *
 * Grammar (precedence low to high):
 *   expr    := and ('||' and)*
 *   and     := unary ('&&' unary)*
 *   unary   := '!' unary | primary
 *   primary := '(' expr ')'
 *            | field ('==' | '!=' | '<' | '<=' | '>' | '>=') literal
 *            | field 'in' '[' literal (',' literal)* ']'
 *            | field '.' ('startsWith' | 'contains') '(' string ')'
 *   field   := ident ('.' ident)*          one of FIELDS
 *   literal := string ('...' or "...", escapes \\ \' \" \n \r \t \uXXXX) | integer
 * Ordering comparisons apply to integer fields only; startsWith/contains to string fields only.
 */

type FieldType = 'string' | 'int';
const FIELDS: Readonly<Record<string, { readonly column: string; readonly type: FieldType }>> = {
  auditID: { column: 'auditID', type: 'string' },
  verb: { column: 'verb', type: 'string' },
  'user.username': { column: 'username', type: 'string' },
  'objectRef.resource': { column: 'resource', type: 'string' },
  'objectRef.namespace': { column: 'namespace', type: 'string' },
  'objectRef.name': { column: 'name', type: 'string' },
  'objectRef.apiGroup': { column: 'api_group', type: 'string' },
  'responseStatus.code': { column: 'status_code', type: 'int' },
};

/** Filters longer than this are refused before parsing (bounded work per request). */
export const MAX_FILTER_LENGTH = 4096;
const MAX_DEPTH = 32;
const MAX_LIST = 1000;

/** A compiled filter: a SQL boolean expression and the values its placeholders bind. */
export interface CompiledFilter {
  readonly sql: string;
  readonly params: Readonly<Record<string, string | number | readonly string[] | readonly number[]>>;
}

type Tok =
  | { readonly t: 'ident'; readonly v: string; readonly pos: number }
  | { readonly t: 'str'; readonly v: string; readonly pos: number }
  | { readonly t: 'int'; readonly v: number; readonly pos: number }
  | { readonly t: 'op'; readonly v: string; readonly pos: number }
  | { readonly t: 'end'; readonly pos: number };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', ',', '.'];
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t' };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'ident', v: m[0], pos: i });
      i += m[0].length;
    } else if (/[0-9-]/.test(c)) {
      const m = /^-?[0-9]+/.exec(src.slice(i));
      if (!m) throw new FilterError(`unexpected character '${c}'`, i);
      const v = Number(m[0]);
      if (!Number.isSafeInteger(v) || v < -2147483648 || v > 2147483647) throw new FilterError(`integer ${m[0]} out of range`, i);
      out.push({ t: 'int', v, pos: i });
      i += m[0].length;
    } else if (c === "'" || c === '"') {
      const start = i;
      let v = '';
      i++;
      for (;;) {
        const d = src[i];
        if (d === undefined) throw new FilterError('unterminated string', start);
        if (d === c) break;
        if (d === '\\') {
          const e = src[i + 1];
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
            v += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          const mapped = e === undefined ? undefined : ESCAPES[e];
          if (mapped === undefined) throw new FilterError(`invalid escape '\\${e ?? ''}'`, i);
          v += mapped;
          i += 2;
          continue;
        }
        v += d;
        i++;
      }
      i++;
      out.push({ t: 'str', v, pos: start });
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (!op) throw new FilterError(`unexpected character '${c}'`, i);
      out.push({ t: 'op', v: op, pos: i });
      i += op.length;
    }
  }
  out.push({ t: 'end', pos: src.length });
  return out;
}

function describe(tok: Tok): string {
  if (tok.t === 'end') return 'end of filter';
  if (tok.t === 'str') return `string ${JSON.stringify(tok.v)}`;
  return `'${tok.v}'`;
}

class Parser {
  private i = 0;
  private readonly params: Record<string, string | number | readonly string[] | readonly number[]> = {};
  private n = 0;
  constructor(private readonly toks: readonly Tok[]) {}

  compile(): CompiledFilter {
    const sql = this.or(0);
    const tok = this.peek();
    if (tok.t !== 'end') throw new FilterError(`expected '&&', '||' or end of filter, found ${describe(tok)}`, tok.pos);
    return { sql, params: this.params };
  }

  private peek(): Tok {
    return this.toks[this.i] as Tok;
  }
  private next(): Tok {
    const tok = this.peek();
    if (tok.t !== 'end') this.i++;
    return tok;
  }
  private isOp(v: string): boolean {
    const tok = this.peek();
    return tok.t === 'op' && tok.v === v;
  }
  private expectOp(v: string): void {
    const tok = this.next();
    if (tok.t !== 'op' || tok.v !== v) throw new FilterError(`expected '${v}', found ${describe(tok)}`, tok.pos);
  }
  private bind(type: string, value: string | number | readonly string[] | readonly number[]): string {
    const name = `f${this.n++}`;
    this.params[name] = value;
    return `{${name}:${type}}`;
  }

  private or(depth: number): string {
    const parts = [this.and(depth)];
    while (this.isOp('||')) {
      this.next();
      parts.push(this.and(depth));
    }
    return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
  }
  private and(depth: number): string {
    const parts = [this.unary(depth)];
    while (this.isOp('&&')) {
      this.next();
      parts.push(this.unary(depth));
    }
    return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`;
  }
  private unary(depth: number): string {
    if (depth > MAX_DEPTH) throw new FilterError(`nesting deeper than ${MAX_DEPTH}`, this.peek().pos);
    if (this.isOp('!')) {
      this.next();
      return `(NOT ${this.unary(depth + 1)})`;
    }
    if (this.isOp('(')) {
      this.next();
      const inner = this.or(depth + 1);
      this.expectOp(')');
      return inner;
    }
    return this.predicate();
  }

  private predicate(): string {
    const first = this.next();
    if (first.t !== 'ident') throw new FilterError(`expected a field name, found ${describe(first)}`, first.pos);
    const path = [first.v];
    let method: { name: string; pos: number } | undefined;
    while (this.isOp('.')) {
      this.next();
      const seg = this.next();
      if (seg.t !== 'ident') throw new FilterError(`expected a name after '.', found ${describe(seg)}`, seg.pos);
      if (this.isOp('(')) {
        method = { name: seg.v, pos: seg.pos };
        break;
      }
      path.push(seg.v);
    }
    const fieldName = path.join('.');
    const field = FIELDS[fieldName];
    if (!field) throw new FilterError(`unknown field '${fieldName}' (known: ${Object.keys(FIELDS).join(', ')})`, first.pos);
    const col = field.column;
    if (method) return this.call(method, field.type, col);

    const op = this.next();
    if (op.t === 'ident' && op.v === 'in') return this.inList(field.type, col);
    if (op.t !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(op.v)) {
      throw new FilterError(`expected a comparison ('==', '!=', '<', '<=', '>', '>=', 'in') after '${fieldName}', found ${describe(op)}`, op.pos);
    }
    if (field.type === 'string' && op.v !== '==' && op.v !== '!=') {
      throw new FilterError(`'${op.v}' applies to integer fields only; '${fieldName}' is a string`, op.pos);
    }
    const lit = this.literal(field.type, fieldName);
    return `(${col} ${op.v === '==' ? '=' : op.v} ${lit})`;
  }

  private literal(type: FieldType, fieldName: string): string {
    const tok = this.next();
    if (type === 'string' && tok.t === 'str') return this.bind('String', tok.v);
    if (type === 'int' && tok.t === 'int') return this.bind('Int32', tok.v);
    throw new FilterError(`expected ${type === 'string' ? 'a string' : 'an integer'} for '${fieldName}', found ${describe(tok)}`, tok.pos);
  }

  private inList(type: FieldType, col: string): string {
    const open = this.peek();
    this.expectOp('[');
    const strs: string[] = [];
    const ints: number[] = [];
    for (;;) {
      const tok = this.next();
      if (type === 'string' && tok.t === 'str') strs.push(tok.v);
      else if (type === 'int' && tok.t === 'int') ints.push(tok.v);
      else throw new FilterError(`expected ${type === 'string' ? 'a string' : 'an integer'} in the list, found ${describe(tok)}`, tok.pos);
      if (strs.length + ints.length > MAX_LIST) throw new FilterError(`list longer than ${MAX_LIST} items`, open.pos);
      if (this.isOp(']')) break;
      this.expectOp(',');
    }
    this.next();
    return type === 'string' ? `(${col} IN ${this.bind('Array(String)', strs)})` : `(${col} IN ${this.bind('Array(Int32)', ints)})`;
  }

  private call(method: { name: string; pos: number }, type: FieldType, col: string): string {
    if (method.name !== 'startsWith' && method.name !== 'contains') {
      throw new FilterError(`unknown function '${method.name}' (known: startsWith, contains)`, method.pos);
    }
    if (type !== 'string') throw new FilterError(`'${method.name}' applies to string fields only`, method.pos);
    this.expectOp('(');
    const arg = this.next();
    if (arg.t !== 'str') throw new FilterError(`expected a string argument to '${method.name}', found ${describe(arg)}`, arg.pos);
    this.expectOp(')');
    const p = this.bind('String', arg.v);
    // position() rather than LIKE: the value is matched literally, with no wildcard to escape.
    return method.name === 'startsWith' ? `startsWith(${col}, ${p})` : `(position(${col}, ${p}) > 0)`;
  }
}

/**
 * Compiles `filter` (the CEL subset above) to SQL; an empty or blank filter compiles to `1`.
 * Throws FilterError (code ACTIVITY_FILTER_INVALID) with the 0-based position of the problem.
 */
export function compileFilter(filter: string): CompiledFilter {
  if (filter.length > MAX_FILTER_LENGTH) throw new FilterError(`filter longer than ${MAX_FILTER_LENGTH} characters`, MAX_FILTER_LENGTH);
  if (filter.trim() === '') return { sql: '1', params: {} };
  return new Parser(tokenize(filter)).compile();
}
