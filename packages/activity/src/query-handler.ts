import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeCursor } from './cursor.js';
import { sendError, sendJson } from './http-util.js';
import type { ActivityMetrics } from './metrics.js';
import { parseQueryRequest, type QuerySpec } from './query-request.js';
import { EVENTS_TABLE, READ_SETTINGS } from './schema.js';
import { resolveScope, type Scope } from './scope.js';
import type { EventStore, QueryParams } from './store.js';
import { formatMicros } from './time.js';

/** `list` is GET /v1/events, `count` is GET /v1/events/count. */
export type QueryEndpoint = 'list' | 'count';

const TS = "DateTime64(6, 'UTC')";

/**
 * Builds the WHERE clause. The scope condition and the time window are ANDed outside the
 * parenthesised filter, so no filter can widen what a tenant sees; all values are bound.
 */
function where(scope: Scope, spec: QuerySpec): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = { ...spec.filter.params, p_start: formatMicros(spec.startUs), p_end: formatMicros(spec.endUs) };
  const parts: string[] = [];
  if (scope.kind === 'tenant') {
    parts.push('scope_type = {p_scope_type:String}', 'scope_name = {p_scope_name:String}');
    params['p_scope_type'] = scope.type;
    params['p_scope_name'] = scope.name;
  }
  parts.push(`ts >= {p_start:${TS}}`, `ts < {p_end:${TS}}`, `(${spec.filter.sql})`);
  if (spec.cursor) {
    parts.push(`(ts, auditID) < ({p_cursor_ts:${TS}}, {p_cursor_id:String})`);
    params['p_cursor_ts'] = spec.cursor.ts;
    params['p_cursor_id'] = spec.cursor.auditID;
  }
  return { sql: parts.join(' AND '), params };
}

/**
 * Handles a query request: resolves the scope (403 when neither tenant headers nor the platform
 * token), parses the parameters (400 naming the parameter, and the position for filters), then
 * lists newest first as `{ items, continue }` or counts as `{ count }`.
 */
export async function handleQuery(
  endpoint: QueryEndpoint,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: { readonly store: EventStore; readonly metrics: ActivityMetrics; readonly platformToken: string },
): Promise<void> {
  const started = performance.now();
  const scope = resolveScope(req.headersDistinct, deps.platformToken);
  const done = (code: number) => {
    deps.metrics.queries.inc({ scope: scope.kind, endpoint, code: String(code) });
    deps.metrics.querySeconds.observe({ scope: scope.kind, endpoint }, (performance.now() - started) / 1000);
  };
  if (scope.kind === 'denied') {
    done(403);
    return sendError(res, 403, 'ACTIVITY_FORBIDDEN', scope.reason);
  }
  const spec = parseQueryRequest(url.searchParams, scope, Date.now());
  if ('parameter' in spec) {
    done(400);
    return sendError(res, 400, 'ACTIVITY_BAD_REQUEST', `${spec.parameter}: ${spec.message}`, { parameter: spec.parameter, ...(spec.position === undefined ? {} : { position: spec.position }) });
  }
  try {
    await run(endpoint, res, scope, spec, deps.store);
    done(200);
  } catch (err) {
    done(500);
    throw err;
  }
}

async function run(endpoint: QueryEndpoint, res: ServerResponse, scope: Scope, spec: QuerySpec, store: EventStore): Promise<void> {
  const w = where(scope, spec);
  if (endpoint === 'count') {
    const rows = await store.query<{ c: string | number }>(`SELECT count() AS c FROM ${EVENTS_TABLE} FINAL WHERE ${w.sql} ${READ_SETTINGS}`, w.params as QueryParams);
    return sendJson(res, 200, { count: Number(rows[0]?.c ?? 0) });
  }
  const sql =
    `SELECT auditID, toString(ts) AS ts_text, event FROM ${EVENTS_TABLE} FINAL WHERE ${w.sql} ` +
    `ORDER BY ts DESC, auditID DESC LIMIT {p_limit:UInt32} ${READ_SETTINGS}`;
  // One row more than asked tells whether another page exists without a second query.
  const rows = await store.query<{ auditID: string; ts_text: string; event: string }>(sql, { ...w.params, p_limit: spec.limit + 1 } as QueryParams);
  const page = rows.slice(0, spec.limit);
  const last = page[page.length - 1];
  const next = rows.length > spec.limit && last ? encodeCursor({ ts: last.ts_text, auditID: last.auditID, startUs: spec.startUs, endUs: spec.endUs, queryHash: spec.hash }) : null;
  // Events are stored as their JSON text: splice them in rather than parse and re-serialise.
  const body = `{"items":[${page.map((r) => r.event).join(',')}],"continue":${JSON.stringify(next)}}`;
  sendJson(res, 200, body);
}
