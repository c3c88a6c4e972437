/** Name of the events table, in the store's default database. */
export const EVENTS_TABLE = 'audit_events';

/**
 * The events table, identical on embedded chdb and on a ClickHouse server:
 * - partitioned by day of the event (retention and backfill work per partition);
 * - ordered by (scope_type, scope_name, ts, auditID) so a tenant query reads one key range;
 * - a projection ordered by time for platform (cross-tenant) queries;
 * - ReplacingMergeTree on that key, and every read uses FINAL, so an event delivered twice
 *   (a NATS redelivery, a client retry) is stored once: idempotent on auditID.
 */
export const CREATE_EVENTS_TABLE = `
CREATE TABLE IF NOT EXISTS ${EVENTS_TABLE} (
  auditID String,
  ts DateTime64(6, 'UTC'),
  scope_type LowCardinality(String),
  scope_name String,
  verb LowCardinality(String),
  username String,
  resource LowCardinality(String),
  namespace String,
  name String,
  api_group LowCardinality(String),
  status_code Int32,
  received_at DateTime64(6, 'UTC'),
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3),
  event String CODEC(ZSTD(3)),
  PROJECTION platform_query_projection (SELECT * ORDER BY ts, auditID)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (scope_type, scope_name, ts, auditID)
SETTINGS deduplicate_merge_projection_mode = 'rebuild'`;

/** Settings added to every read: FINAL may skip cross-partition merging because the key implies the day. */
export const READ_SETTINGS = 'SETTINGS do_not_merge_across_partitions_select_final = 1';
