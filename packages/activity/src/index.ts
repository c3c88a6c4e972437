/**
 * squall-activity: the reference target, a small but real model of the seed-000 audit-log
 * pipeline (webhook / NDJSON ingest -> queue -> batch writer -> ClickHouse -> query API).
 */
export { startActivity, type ActivityHandle } from './start-activity.js';
export type { ActivityOptions } from './options.js';
export { ActivityError, FilterError, type ActivityErrorCode } from './errors.js';
export { compileFilter, type CompiledFilter } from './filter-compiler.js';
export { parseFault, FAULT_SYNTAX, type Fault } from './faults.js';
export { PARENT_NAME_HEADER, PARENT_TYPE_HEADER } from './scope.js';
export { SCOPE_NAME_ANNOTATION, SCOPE_TYPE_ANNOTATION } from './audit-event.js';
export { AUDITLOGQUERIES_PATH, API_VERSION, MAX_LIMIT, MAX_WINDOW_MS } from './auditlogquery.js';
