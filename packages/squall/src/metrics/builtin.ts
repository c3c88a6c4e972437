import type { MetricDef } from './types.js';

/**
 * Built-in metrics: k6's names and types, plus squall's additions (marked). Durations in ms.
 */
export const BUILTIN_METRICS = [
  { name: 'vus', type: 'gauge', contains: 'default' },
  { name: 'vus_max', type: 'gauge', contains: 'default' },
  { name: 'iterations', type: 'counter', contains: 'default' },
  { name: 'iteration_duration', type: 'trend', contains: 'time' },
  { name: 'dropped_iterations', type: 'counter', contains: 'default' },
  { name: 'data_received', type: 'counter', contains: 'data' },
  { name: 'data_sent', type: 'counter', contains: 'data' },
  { name: 'checks', type: 'rate', contains: 'default' },
  { name: 'group_duration', type: 'trend', contains: 'time' },
  { name: 'http_reqs', type: 'counter', contains: 'default' },
  { name: 'http_req_duration', type: 'trend', contains: 'time' },
  { name: 'http_req_blocked', type: 'trend', contains: 'time' },
  { name: 'http_req_connecting', type: 'trend', contains: 'time' },
  { name: 'http_req_tls_handshaking', type: 'trend', contains: 'time' },
  { name: 'http_req_sending', type: 'trend', contains: 'time' },
  { name: 'http_req_waiting', type: 'trend', contains: 'time' },
  { name: 'http_req_receiving', type: 'trend', contains: 'time' },
  { name: 'http_req_failed', type: 'rate', contains: 'default' },
  // squall: open-model figures (see docs/metrics.md).
  /** How late an arrival-rate iteration started after its intended time (ms). */
  { name: 'iteration_start_delay', type: 'trend', contains: 'time' },
  /** Request wall time incl. waiting for a connection, plus its iteration's start delay (ms). */
  { name: 'http_req_latency', type: 'trend', contains: 'time' },
  /** Iterations that ended with an uncaught exception. */
  { name: 'iteration_errors', type: 'counter', contains: 'default' },
  /** Iterations cut off before they ended, tagged with `scenario` and `cause` (docs/metrics.md). */
  { name: 'iterations_interrupted', type: 'counter', contains: 'default' },
  /** Requests written to the wire, answered or not: what the target's own request count should equal. */
  { name: 'http_reqs_sent', type: 'counter', contains: 'default' },
] as const satisfies readonly MetricDef[];

/** Built-in metric names, for validation. */
export type BuiltinMetricName = (typeof BUILTIN_METRICS)[number]['name'];
