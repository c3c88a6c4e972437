import { Environment, type ASTNode } from '@marcbachmann/cel-js';
import { FilterError } from './errors.js';
import { formatMicros, parseRfc3339Micros, TIME_RANGE_TEXT } from './time.js';

/**
 * Compiles an AuditLogQuery filter, a CEL expression, into a parameterised ClickHouse boolean
 * expression. The expression is parsed and type-checked by a real CEL implementation
 * (@marcbachmann/cel-js) against the fields below; the compiler then walks the checked AST.
 * Values never enter the SQL text: each literal becomes a `{fN:Type}` placeholder bound
 * server-side, and field names map to fixed column expressions, so a filter reaches nothing but
 * those fields, and the caller ANDs the result (in parentheses) with the tenant scope.
 *
 * Accepted, as the Activity API documents: the fields of FIELDS; ==, !=, <, <=, >, >=, &&, ||, !,
 * `in [list]`; string methods startsWith, endsWith, contains; `timestamp('RFC 3339')` to compare
 * with the two timestamp fields; string, int and bool literals.
 */

type FieldType = 'string' | 'int' | 'timestamp';
interface Field {
  readonly sql: string;
  readonly type: FieldType;
}

/** Event fields a filter may use, and the column (or expression over the stored event) each reads. */
export const FIELDS: Readonly<Record<string, Field>> = {
  auditID: { sql: 'auditID', type: 'string' },
  verb: { sql: 'verb', type: 'string' },
  requestReceivedTimestamp: { sql: 'ts', type: 'timestamp' },
  stageTimestamp: { sql: "parseDateTime64BestEffortOrZero(JSONExtractString(event, 'stageTimestamp'), 6, 'UTC')", type: 'timestamp' },
  'user.username': { sql: 'username', type: 'string' },
  'user.uid': { sql: "JSONExtractString(event, 'user', 'uid')", type: 'string' },
  'responseStatus.code': { sql: 'status_code', type: 'int' },
  'objectRef.namespace': { sql: 'namespace', type: 'string' },
  'objectRef.resource': { sql: 'resource', type: 'string' },
  'objectRef.name': { sql: 'name', type: 'string' },
  'objectRef.apiGroup': { sql: 'api_group', type: 'string' },
};

/** Filters longer than this are refused before parsing (bounded work per request). */
export const MAX_FILTER_LENGTH = 4096;

/** The CEL environment: the event's fields with their types, and parser limits. */
const ENV = new Environment({ limits: { maxAstNodes: 1000, maxDepth: 32, maxListElements: 1000 } })
  .registerType('ObjectReference', { fields: { namespace: 'string', resource: 'string', name: 'string', apiGroup: 'string' } })
  .registerType('UserInfo', { fields: { username: 'string', uid: 'string' } })
  .registerType('ResponseStatus', { fields: { code: 'int' } })
  .registerVariable('auditID', 'string')
  .registerVariable('verb', 'string')
  .registerVariable('requestReceivedTimestamp', 'google.protobuf.Timestamp')
  .registerVariable('stageTimestamp', 'google.protobuf.Timestamp')
  .registerVariable('objectRef', 'ObjectReference')
  .registerVariable('user', 'UserInfo')
  .registerVariable('responseStatus', 'ResponseStatus');

/** The CEL environment, for evaluating filters in memory (tests use it as the reference). */
export const FILTER_ENVIRONMENT: Environment = ENV;

type Param = string | number | boolean | readonly string[] | readonly number[];

/** A compiled filter: a SQL boolean expression and the values its placeholders bind. */
export interface CompiledFilter {
  readonly sql: string;
  readonly params: Readonly<Record<string, Param>>;
}

const COMPARE: Readonly<Record<string, string>> = { '==': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const METHODS = ['startsWith', 'endsWith', 'contains'];
const KNOWN = `known fields: ${Object.keys(FIELDS).join(', ')}`;

/** The first line of a cel-js message (later lines draw the source with a caret). */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

class Compiler {
  readonly params: Record<string, Param> = {};
  private n = 0;

  private bind(type: string, value: Param): string {
    const name = `f${this.n++}`;
    this.params[name] = value;
    return `{${name}:${type}}`;
  }

  /** A boolean expression. */
  bool(node: ASTNode): string {
    switch (node.op) {
      case '||':
      case '&&': {
        const [a, b] = node.args;
        return `(${this.bool(a)} ${node.op === '||' ? 'OR' : 'AND'} ${this.bool(b)})`;
      }
      case '!_':
        return `(NOT ${this.bool(node.args)})`;
      case 'value':
        if (typeof node.args === 'boolean') return node.args ? '1' : '0';
        break;
      case 'in':
        return this.inList(node);
      case 'rcall':
        return this.method(node);
      default:
        if (node.op in COMPARE) {
          const [a, b] = node.args as [ASTNode, ASTNode];
          return `(${this.value(a)} ${COMPARE[node.op]} ${this.value(b)})`;
        }
    }
    throw new FilterError(`unsupported expression '${node.input.slice(node.range.start, node.range.end)}'`, node.range.start);
  }

  /** A field, or a literal bound as a parameter. */
  private value(node: ASTNode): string {
    const field = fieldOf(node);
    if (field) return field.sql;
    if (node.op === 'value') {
      const v = node.args;
      if (typeof v === 'string') return this.bind('String', v);
      if (typeof v === 'bigint') return this.bind('Int64', intValue(v, node));
      if (typeof v === 'boolean') return v ? '1' : '0';
    }
    if (node.op === '-_' && node.args.op === 'value' && typeof node.args.args === 'bigint') return this.bind('Int64', intValue(-node.args.args, node));
    if (node.op === 'call' && node.args[0] === 'timestamp') return this.timestamp(node);
    if (node.op === 'id' || node.op === '.') throw new FilterError(`unknown field '${node.input.slice(node.range.start, node.range.end)}' (${KNOWN})`, node.range.start);
    throw new FilterError(`unsupported value '${node.input.slice(node.range.start, node.range.end)}': use a field, a literal or timestamp('...')`, node.range.start);
  }

  private timestamp(node: ASTNode & { op: 'call' }): string {
    const arg = node.args[1][0];
    const us = arg?.op === 'value' && typeof arg.args === 'string' ? parseRfc3339Micros(arg.args) : undefined;
    if (us === undefined || node.args[1].length !== 1) throw new FilterError(`timestamp() takes one RFC 3339 string ${TIME_RANGE_TEXT}, e.g. timestamp('2024-01-01T00:00:00Z')`, (arg ?? node).range.start);
    return this.bind("DateTime64(6, 'UTC')", formatMicros(us));
  }

  private inList(node: ASTNode & { op: 'in' }): string {
    const [left, right] = node.args;
    if (right.op !== 'list') throw new FilterError("'in' takes a list literal, e.g. verb in ['get', 'list']", right.range.start);
    const items = right.args;
    if (items.length === 0) return '0';
    const strs: string[] = [];
    const ints: number[] = [];
    for (const item of items) {
      if (item.op === 'value' && typeof item.args === 'string') strs.push(item.args);
      else if (item.op === 'value' && typeof item.args === 'bigint') ints.push(intValue(item.args, item));
      else if (item.op === '-_' && item.args.op === 'value' && typeof item.args.args === 'bigint') ints.push(intValue(-item.args.args, item));
      else throw new FilterError('list items must be string or int literals', item.range.start);
    }
    const list = strs.length > 0 ? this.bind('Array(String)', strs) : this.bind('Array(Int64)', ints);
    return `(${this.value(left)} IN ${list})`;
  }

  private method(node: ASTNode & { op: 'rcall' }): string {
    const [name, target, args] = node.args;
    if (!METHODS.includes(name)) throw new FilterError(`unsupported function '${name}' (supported: ${METHODS.join(', ')}, timestamp)`, node.range.start);
    const arg = args[0];
    if (args.length !== 1 || !arg) throw new FilterError(`${name}() takes one string`, node.range.start);
    const t = this.value(target);
    const a = this.value(arg);
    // position() rather than LIKE: the value is matched literally, with no wildcard to escape.
    if (name === 'contains') return `(position(${t}, ${a}) > 0)`;
    return `${name}(${t}, ${a})`;
  }
}

function intValue(v: bigint, node: ASTNode): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new FilterError(`integer ${v} out of range`, node.range.start);
  return Number(v);
}

/** The field a node names (`verb`, `objectRef.namespace`), if it is one. */
function fieldOf(node: ASTNode): Field | undefined {
  if (node.op === 'id') return FIELDS[node.args];
  if (node.op === '.' && node.args[0].op === 'id') return FIELDS[`${node.args[0].args}.${node.args[1]}`];
  return undefined;
}

/** The 0-based offset a cel-js error points at. */
function errorOffset(err: { node?: { pos?: number; range?: { start: number } }; range?: { start: number } }): number {
  return err.range?.start ?? err.node?.range?.start ?? err.node?.pos ?? 0;
}

/**
 * Compiles `filter` to SQL; an empty or blank filter compiles to `1`. Throws FilterError (code
 * ACTIVITY_FILTER_INVALID) with the 0-based offset of the problem for syntax errors, type errors
 * (`verb == 1`, an unknown field, a non-boolean result) and unsupported constructs.
 */
export function compileFilter(filter: string): CompiledFilter {
  if (filter.length > MAX_FILTER_LENGTH) throw new FilterError(`filter longer than ${MAX_FILTER_LENGTH} characters`, MAX_FILTER_LENGTH);
  if (filter.trim() === '') return { sql: '1', params: {} };
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = ENV.parse(filter);
  } catch (err) {
    throw new FilterError(firstLine((err as Error).message), errorOffset(err as never));
  }
  const checked = parsed.check();
  if (!checked.valid) {
    const e = checked.error as Error & { node?: never };
    throw new FilterError(firstLine(e?.message ?? 'does not type-check'), errorOffset((e ?? {}) as never));
  }
  if (checked.type !== 'bool') throw new FilterError(`filter must be a boolean expression, but is of type ${checked.type}`, 0);
  const c = new Compiler();
  const sql = c.bool(parsed.ast);
  return { sql, params: c.params };
}
