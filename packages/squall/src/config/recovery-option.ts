/** The `recovery` option: how long the system under test takes to recover after the load ends. */
import type { ConfigProblem } from '../errors.js';
import type { MetricType } from '../metrics/types.js';
import { describeValue, isRecord } from './describe-value.js';
import { FieldReader } from './field-reader.js';

/** A request sent at an interval before, during and after the load; its latency is compared with the pre-load level. */
export interface RecoveryProbe {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** Resolved `recovery` option. */
export interface RecoveryOptions {
  /** A scraped series (observe.targets[].series) holding the backlog: queue depth, pending messages. */
  readonly backlog: string | undefined;
  readonly probe: RecoveryProbe | undefined;
  /** Pre-load window (after setup, before the scenarios start) that sets the levels to return to. */
  readonly baselineMs: number;
  /** Longest wait after the load for the system to recover. */
  readonly timeoutMs: number;
  /** The backlog counts as drained at or below the pre-load level plus this many units. */
  readonly backlogTolerance: number;
  /** Latency counts as back when probes are at or below the pre-load p95 times (1 + this). */
  readonly latencyTolerance: number;
}

/** Metrics a `recovery` option defines (known at validation, so thresholds may name them). */
export const RECOVERY_METRICS = {
  time: 'recovery_time',
  backlogDrainTime: 'recovery_backlog_drain_time',
  latencyTime: 'recovery_latency_time',
  complete: 'recovery_complete',
  probeDuration: 'recovery_probe_duration',
  probeFailed: 'recovery_probe_failed',
} as const;

const KEYS = ['backlog', 'probe', 'baseline', 'timeout', 'backlogTolerance', 'latencyTolerance'];
const PROBE_KEYS = ['url', 'headers', 'interval', 'timeout'];

/**
 * Reads `recovery: { backlog, probe: { url, headers, interval, timeout }, baseline, timeout,
 * backlogTolerance, latencyTolerance }`. `known` must already hold the observed series (the
 * backlog names one); the returned map adds the recovery metrics.
 */
export function readRecovery(
  value: unknown,
  known: ReadonlyMap<string, MetricType>,
  observedGauges: ReadonlySet<string>,
  problems: ConfigProblem[],
): { recovery: RecoveryOptions | undefined; known: ReadonlyMap<string, MetricType> } {
  if (value === undefined || value === null) return { recovery: undefined, known };
  if (!isRecord(value)) {
    problems.push({ path: 'recovery', message: `must be an object such as { backlog: 'queue_depth', probe: { url }, timeout: '5m' }, but is ${describeValue(value)}` });
    return { recovery: undefined, known };
  }
  for (const k of Object.keys(value)) if (!KEYS.includes(k)) problems.push({ path: `recovery.${k}`, message: `is not allowed; recovery has ${KEYS.join(', ')}` });
  const r = new FieldReader(value, (key) => `recovery.${key}`, problems);
  const backlog = r.string('backlog');
  if (backlog !== undefined && !observedGauges.has(backlog)) {
    const names = [...observedGauges];
    r.problem('backlog', `must name a series observed with observe.targets[].series (${names.length > 0 ? names.join(', ') : 'none is observed'}), but is ${describeValue(backlog)}`);
  }
  let probe: RecoveryProbe | undefined;
  if (r.has('probe')) {
    const p = value.probe;
    if (!isRecord(p)) problems.push({ path: 'recovery.probe', message: `must be an object { url, headers, interval, timeout }, but is ${describeValue(p)}` });
    else {
      for (const k of Object.keys(p)) if (!PROBE_KEYS.includes(k)) problems.push({ path: `recovery.probe.${k}`, message: `is not allowed; a probe has ${PROBE_KEYS.join(', ')}` });
      const pr = new FieldReader(p, (key) => `recovery.probe.${key}`, problems);
      const url = pr.string('url', undefined, { re: /^https?:\/\/\S+$/, rule: 'an http(s) URL such as http://127.0.0.1:8080/healthz' });
      pr.require('url', 'in a probe: the URL requested at every interval');
      const headers = pr.stringRecord('headers') ?? {};
      const intervalMs = pr.duration('interval', { ms: 100, text: '100ms' }, '1s');
      const timeoutMs = pr.duration('timeout', { ms: 1, text: '1ms' }, '5s');
      // Headers (auth) are non-enumerable: resolved options are written to meta.json and copied to workers.
      if (url !== undefined && intervalMs !== undefined && timeoutMs !== undefined) {
        probe = Object.defineProperty({ url, intervalMs, timeoutMs }, 'headers', { value: Object.freeze({ ...headers }), enumerable: false }) as RecoveryProbe;
      }
    }
  }
  if (!r.has('backlog') && !r.has('probe')) {
    problems.push({ path: 'recovery', message: 'needs a backlog (an observed queue-depth series), a probe ({ url }), or both: they are what must return to the pre-load level' });
  }
  const baselineMs = r.duration('baseline', { ms: 1000, text: '1s' }, '10s');
  const timeoutMs = r.duration('timeout', { ms: 1000, text: '1s' }, '5m');
  const backlogTolerance = readNumber(r, value, 'backlogTolerance', 0, Infinity, 0);
  const latencyTolerance = readNumber(r, value, 'latencyTolerance', 0, 100, 0.2);
  const names = new Map(known);
  for (const [name, type] of [
    [RECOVERY_METRICS.time, 'gauge'],
    [RECOVERY_METRICS.backlogDrainTime, 'gauge'],
    [RECOVERY_METRICS.latencyTime, 'gauge'],
    [RECOVERY_METRICS.complete, 'rate'],
    [RECOVERY_METRICS.probeDuration, 'trend'],
    [RECOVERY_METRICS.probeFailed, 'rate'],
  ] as const) {
    if (names.has(name) && known.get(name) !== type) problems.push({ path: 'recovery', message: `defines the metric ${name}, but the script already defines a metric of that name; rename the script's metric` });
    names.set(name, type);
  }
  if (baselineMs === undefined || timeoutMs === undefined || backlogTolerance === undefined || latencyTolerance === undefined) return { recovery: undefined, known: names };
  return { recovery: { backlog, probe, baselineMs, timeoutMs, backlogTolerance, latencyTolerance }, known: names };
}

function readNumber(r: FieldReader, raw: Record<string, unknown>, key: string, min: number, max: number, def: number): number | undefined {
  if (!r.has(key)) return def;
  const v = raw[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    r.problem(key, `must be a number from ${min} to ${max}, but is ${describeValue(v)}`);
    return undefined;
  }
  return v;
}
