import { decodeCursor, isCursorProblem, queryHash, type Cursor } from './cursor.js';
import { FilterError } from './errors.js';
import { compileFilter, type CompiledFilter } from './filter-compiler.js';
import type { Scope } from './scope.js';
import { parseTimeBound, TIME_RANGE_TEXT } from './time.js';

/** Default window when `start` is not given. */
export const DEFAULT_START = 'now-7d';
/** Default and largest page size. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** A query request parsed and checked once, at the boundary. */
export interface QuerySpec {
  readonly startUs: number;
  readonly endUs: number;
  readonly filter: CompiledFilter;
  readonly limit: number;
  readonly cursor: Cursor | undefined;
  readonly hash: string;
}

/** Why a query request is refused (400): the parameter, the rule, and for filters the position. */
export interface QueryProblem {
  readonly parameter: string;
  readonly message: string;
  readonly position?: number;
}

/** Identifies a scope for cursor binding. */
export function scopeKey(scope: Scope): string {
  return scope.kind === 'tenant' ? `tenant\0${scope.type}\0${scope.name}` : scope.kind;
}

/** Parses `start`, `end`, `filter`, `limit`, `continue` from a query string. */
export function parseQueryRequest(params: URLSearchParams, scope: Scope, nowMs: number, cursorTtlMs: number): QuerySpec | QueryProblem {
  const filterText = params.get('filter') ?? '';
  let filter: CompiledFilter;
  try {
    filter = compileFilter(filterText);
  } catch (err) {
    if (err instanceof FilterError) return { parameter: 'filter', message: err.message, position: err.position };
    throw err;
  }
  const hash = queryHash('v1/events', filterText, scopeKey(scope));

  const limitText = params.get('limit');
  const limit = limitText === null ? DEFAULT_LIMIT : /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    return { parameter: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}, but is ${JSON.stringify(limitText)}` };
  }

  const token = params.get('continue');
  if (token !== null && token !== '') {
    const cursor = decodeCursor(token, hash, nowMs, cursorTtlMs);
    if (isCursorProblem(cursor)) return { parameter: 'continue', message: cursor.message };
    // The window is the one of the first page, so pages of a relative window (now-7d) line up.
    return { startUs: cursor.startUs, endUs: cursor.endUs, filter, limit, cursor, hash };
  }

  const startText = params.get('start') ?? DEFAULT_START;
  const startUs = parseTimeBound(startText, nowMs);
  if (startUs === undefined) return { parameter: 'start', message: `must be RFC 3339 or now[-+]<n><s|m|h|d|w>, ${TIME_RANGE_TEXT}, but is ${JSON.stringify(startText)}` };
  const endText = params.get('end') ?? 'now';
  const endUs = parseTimeBound(endText, nowMs);
  if (endUs === undefined) return { parameter: 'end', message: `must be RFC 3339 or now[-+]<n><s|m|h|d|w>, ${TIME_RANGE_TEXT}, but is ${JSON.stringify(endText)}` };
  if (endUs <= startUs) return { parameter: 'end', message: `must be after start (${startText}), but is ${endText}` };
  return { startUs, endUs, filter, limit, cursor: undefined, hash };
}
