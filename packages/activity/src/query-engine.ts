import { encodeCursor, type Cursor } from './cursor.js';
import type { CompiledFilter } from './filter-compiler.js';
import { EVENTS_TABLE, READ_SETTINGS } from './schema.js';
import type { Scope } from './scope.js';
import type { EventStore, QueryParams } from './store.js';
import { formatMicros } from './time.js';

/**
 * The one query engine behind both query APIs (POST .../auditlogqueries and GET /v1/events):
 * a resolved window, a compiled filter, a page size, and where the previous page stopped.
 */
export interface EngineQuery {
  readonly startUs: number;
  readonly endUs: number;
  readonly filter: CompiledFilter;
  readonly limit: number;
  readonly cursor: Cursor | undefined;
  /** Hash of the query's parameters and scope, carried by the next page's cursor. */
  readonly hash: string;
}

/** One page: the events' stored JSON text, newest first, and the next page's token (null: none). */
export interface EnginePage {
  readonly events: readonly string[];
  readonly next: string | null;
}

const TS = "DateTime64(6, 'UTC')";

/**
 * Builds the WHERE clause. The scope condition and the time window are ANDed outside the
 * parenthesised filter, so no filter can widen what a tenant sees; all values are bound.
 */
export function whereClause(scope: Exclude<Scope, { kind: 'denied' }>, q: Omit<EngineQuery, 'limit' | 'hash'>): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = { ...q.filter.params, p_start: formatMicros(q.startUs), p_end: formatMicros(q.endUs) };
  const parts: string[] = [];
  if (scope.kind === 'tenant') {
    parts.push('scope_type = {p_scope_type:String}', 'scope_name = {p_scope_name:String}');
    params['p_scope_type'] = scope.type;
    params['p_scope_name'] = scope.name;
  }
  parts.push(`ts >= {p_start:${TS}}`, `ts < {p_end:${TS}}`, `(${q.filter.sql})`);
  if (q.cursor) {
    parts.push(`(ts, auditID) < ({p_cursor_ts:${TS}}, {p_cursor_id:String})`);
    params['p_cursor_ts'] = q.cursor.ts;
    params['p_cursor_id'] = q.cursor.auditID;
  }
  return { sql: parts.join(' AND '), params };
}

/** Lists one page newest first (ts, then auditID, descending); one row more than asked tells whether another page exists. */
export async function listPage(store: EventStore, scope: Exclude<Scope, { kind: 'denied' }>, q: EngineQuery, nowMs: number): Promise<EnginePage> {
  const w = whereClause(scope, q);
  const sql =
    `SELECT auditID, toString(ts) AS ts_text, event FROM ${EVENTS_TABLE} FINAL WHERE ${w.sql} ` +
    `ORDER BY ts DESC, auditID DESC LIMIT {p_limit:UInt32} ${READ_SETTINGS}`;
  const rows = await store.query<{ auditID: string; ts_text: string; event: string }>(sql, { ...w.params, p_limit: q.limit + 1 } as QueryParams);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const next =
    rows.length > q.limit && last
      ? encodeCursor({ ts: last.ts_text, auditID: last.auditID, startUs: q.startUs, endUs: q.endUs, queryHash: q.hash, issuedMs: nowMs })
      : null;
  return { events: page.map((r) => r.event), next };
}

/** Counts the matching events (no cursor, no limit). */
export async function countEvents(store: EventStore, scope: Exclude<Scope, { kind: 'denied' }>, q: Omit<EngineQuery, 'limit' | 'hash' | 'cursor'>): Promise<number> {
  const w = whereClause(scope, { ...q, cursor: undefined });
  const rows = await store.query<{ c: string | number }>(`SELECT count() AS c FROM ${EVENTS_TABLE} FINAL WHERE ${w.sql} ${READ_SETTINGS}`, w.params as QueryParams);
  return Number(rows[0]?.c ?? 0);
}
