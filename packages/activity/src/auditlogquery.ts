import { decodeCursor, isCursorProblem, queryHash, type Cursor } from './cursor.js';
import { FilterError } from './errors.js';
import { compileFilter, FIELDS, type CompiledFilter } from './filter-compiler.js';
import { invalid, required, type FieldCause } from './k8s-status.js';
import type { EngineQuery } from './query-engine.js';
import { scopeKey } from './query-request.js';
import type { Scope } from './scope.js';
import { jsonDepthProblem } from './json-depth.js';
import { inTimeRange, parseRfc3339MicrosAnyYear, TIME_RANGE_TEXT } from './time.js';

/** The API's resource: group, version, and the path it is created at. */
export const API_VERSION = 'activity.miloapis.com/v1alpha1';
export const AUDITLOGQUERIES_PATH = '/apis/activity.miloapis.com/v1alpha1/auditlogqueries';
/** Page size when `limit` is 0 or absent, and the largest allowed. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
/** Longest window a query may cover (the Activity API's default maximum). */
export const MAX_WINDOW_MS = 30 * 86_400_000;

/** `spec` of an AuditLogQuery, as sent (`continueAfter` is the older spelling of `continue`). */
export interface AuditLogQuerySpec {
  readonly startTime?: string;
  readonly endTime?: string;
  readonly filter?: string;
  readonly limit?: number;
  readonly continue?: string;
  readonly continueAfter?: string;
}

/** A decoded request body: what is echoed back, and the spec. */
export interface AuditLogQueryObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: Record<string, unknown>;
  readonly spec: AuditLogQuerySpec;
}

const REL = /^now(?:-(\d+)([smhdw]))?$/;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/**
 * Parses a time as the Activity API does: RFC 3339 (with any offset, fractions allowed), `now`,
 * or `now-<n><s|m|h|d|w>`; future times are refused (audit logs are historical records).
 * Returns epoch µs or the problem.
 */
export function parseQueryTime(text: string, nowMs: number): number | string {
  let us: number | undefined;
  if (text.startsWith('now')) {
    const m = REL.exec(text);
    if (!m) return `invalid relative time: ${text} (use 'now' or 'now-<n><unit>' with unit s, m, h, d or w, e.g. 'now-7d'; future times are not supported)`;
    us = (nowMs - (m[1] === undefined ? 0 : Number(m[1]) * (UNIT_MS[m[2] as string] as number))) * 1000;
  } else {
    us = parseRfc3339MicrosAnyYear(text);
    if (us === undefined) return `invalid time format: ${text} (use RFC3339 like '2024-01-01T00:00:00Z' or relative like 'now-7d')`;
  }
  if (us > nowMs * 1000) return `time cannot be in the future: ${text} (audit logs are historical records)`;
  if (!inTimeRange(us)) return `time out of range: ${text} (times must be ${TIME_RANGE_TEXT})`;
  return us;
}

/** Decodes the body into an AuditLogQuery, or says why it is not one (400 BadRequest). */
export function decodeAuditLogQuery(text: string): AuditLogQueryObject | string {
  const tooDeep = jsonDepthProblem(text);
  if (tooDeep !== undefined) return `the request body is not accepted: ${tooDeep}`;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return `the request body is not JSON: ${(err as Error).message}`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'the request body must be an AuditLogQuery object';
  const o = v as Record<string, unknown>;
  const apiVersion = o['apiVersion'] ?? API_VERSION;
  const kind = o['kind'] ?? 'AuditLogQuery';
  if (apiVersion !== API_VERSION) return `the API version in the data (${String(apiVersion)}) does not match the expected API version (${API_VERSION})`;
  if (kind !== 'AuditLogQuery') return `the kind in the data (${String(kind)}) does not match the expected kind (AuditLogQuery)`;
  const metadata = o['metadata'] ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return 'metadata must be an object';
  const spec = o['spec'] ?? {};
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return 'spec must be an object';
  const s = spec as Record<string, unknown>;
  for (const key of ['startTime', 'endTime', 'filter', 'continue', 'continueAfter']) {
    if (s[key] !== undefined && s[key] !== null && typeof s[key] !== 'string') return `spec.${key} must be a string, but is ${typeof s[key]}`;
  }
  const limit = s['limit'];
  if (limit !== undefined && limit !== null && !(typeof limit === 'number' && Number.isInteger(limit) && Math.abs(limit) <= 2 ** 31)) {
    return `spec.limit must be an int32, but is ${JSON.stringify(limit)}`;
  }
  return { apiVersion: API_VERSION, kind: 'AuditLogQuery', metadata: metadata as Record<string, unknown>, spec: s as AuditLogQuerySpec };
}

/** 1-based line and column of a 0-based offset, as CEL errors name them. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1] as string).length + 1 };
}

function compile(filter: string, causes: FieldCause[]): CompiledFilter | undefined {
  try {
    return compileFilter(filter);
  } catch (err) {
    if (!(err instanceof FilterError)) throw err;
    const { line, column } = lineColumn(filter, err.position);
    const detail = err.message.replace(/ at position \d+$/, '');
    causes.push(invalid('spec.filter', filter, `Invalid filter at line ${line}, column ${column} (offset ${err.position}): ${detail}. Available fields: ${Object.keys(FIELDS).join(', ')}. See https://cel.dev for CEL syntax`));
    return undefined;
  }
}

function hours(ms: number): string {
  const h = Math.floor(ms / 3600e3);
  const m = Math.floor((ms % 3600e3) / 60e3);
  const s = Math.round((ms % 60e3) / 1000);
  return `${h}h${m}m${s}s`;
}

/**
 * Validates a spec against the Activity API's rules, collecting every problem (422 Invalid):
 * required times, their format, order and the 30-day window; limit 0..1000 (0 means 100); the
 * filter; and the cursor (bound to startTime, endTime, filter, limit and the scope; it expires).
 */
export function validateSpec(spec: AuditLogQuerySpec, scope: Scope, nowMs: number, cursorTtlMs: number): EngineQuery | FieldCause[] {
  const causes: FieldCause[] = [];
  const times = (['startTime', 'endTime'] as const).map((key) => {
    const text = spec[key] ?? '';
    if (text === '') {
      causes.push(required(`spec.${key}`, `must specify ${key === 'startTime' ? 'a start' : 'an end'} time`));
      return undefined;
    }
    const t = parseQueryTime(text, nowMs);
    if (typeof t === 'string') causes.push(invalid(`spec.${key}`, text, t));
    return typeof t === 'number' ? t : undefined;
  });
  let [startUs, endUs] = times;
  if (startUs !== undefined && endUs !== undefined) {
    if (endUs <= startUs) causes.push(invalid('spec.endTime', spec.endTime, 'endTime must be after startTime'));
    const windowMs = (endUs - startUs) / 1000;
    if (windowMs > MAX_WINDOW_MS) {
      causes.push(invalid('spec', `${spec.startTime} to ${spec.endTime}`, `time range of ${hours(windowMs)} exceeds maximum of ${hours(MAX_WINDOW_MS)}. Reduce the time range or split into smaller queries`));
    }
  }
  const limit = spec.limit ?? 0;
  if (limit < 0) causes.push(invalid('spec.limit', limit, 'limit must be non-negative'));
  if (limit > MAX_LIMIT) causes.push(invalid('spec.limit', limit, `limit of ${limit} exceeds maximum of ${MAX_LIMIT}. Set limit to ${MAX_LIMIT} or less`));
  const filterText = spec.filter ?? '';
  const filter = compile(filterText, causes);
  const hash = queryHash('auditlogquery', spec.startTime ?? '', spec.endTime ?? '', filterText, String(limit), scopeKey(scope));
  const token = spec.continue || spec.continueAfter || '';
  let cursor: Cursor | undefined;
  if (token !== '') {
    const c = decodeCursor(token, hash, nowMs, cursorTtlMs);
    const field = spec.continue ? 'spec.continue' : 'spec.continueAfter';
    if (isCursorProblem(c)) causes.push(invalid(field, token, c.message));
    else cursor = c;
  }
  if (causes.length > 0 || !filter || startUs === undefined || endUs === undefined) return causes;
  // The window is the first page's: pages of a relative window (now-7d) line up exactly.
  if (cursor) [startUs, endUs] = [cursor.startUs, cursor.endUs];
  return { startUs, endUs, filter, limit: limit === 0 ? DEFAULT_LIMIT : limit, cursor, hash };
}

/** RFC 3339 to the second, as Go's time.RFC3339 prints the effective times. */
export function rfc3339Seconds(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
