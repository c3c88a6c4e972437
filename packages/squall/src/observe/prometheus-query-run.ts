import { Collector } from '../metrics/collector.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';
import type { MetricContains, MetricSink, MetricsSnapshot, Tags } from '../metrics/types.js';
import { queryInstant, queryRange, type QueryAnswer, type QueryTarget } from './prometheus-query-client.js';
import { QUERY_ERRORS_METRIC, type PrometheusQuery, type PrometheusQueryOptions } from './prometheus-query-option.js';
import { placeInTimeSeries, type TimedGaugeSample } from './prometheus-query-placement.js';

/** Where a run's window samples go: the aggregator (anything that ingests snapshots). */
export interface SnapshotIngest {
  ingest(snapshot: MetricsSnapshot): void;
}

/**
 * The `observe.prometheus` queries of one run. Lifecycle: `start()` when the load starts (live
 * instant queries every `interval`, when set, recorded into the main thread's sink so they land
 * in the live intervals); `stop()` when the load ends (idempotent); `queryWindow()` once, before the
 * summary is built: one `query_range` per query over the load's window, every point a Gauge sample
 * at its own timestamp; `placeIn()` puts those samples into the finished time series. A failed
 * query is a sample of `observe_query_errors{query}` and a warning, never an exception. A query
 * answering several series records each as its own series, tagged with its labels.
 */
export class PrometheusQueries {
  readonly #options: PrometheusQueryOptions | undefined;
  readonly #sink: MetricSink;
  readonly #baseTags: Tags;
  readonly #warn: (message: string) => void;
  readonly #liveWarned = new Set<string>();
  readonly #windowSamples: TimedGaugeSample[] = [];
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #stopped = false;

  constructor(options: PrometheusQueryOptions | undefined, sink: MetricSink, baseTags: Tags, warn: (message: string) => void) {
    this.#options = options;
    this.#sink = sink;
    this.#baseTags = baseTags;
    this.#warn = warn;
    // Defined up front (as observed series are), so thresholds on them resolve even with no samples.
    for (const q of options?.queries ?? []) sink.define({ name: q.name, type: 'gauge', contains: containsOf(q.name) });
    if (options !== undefined) sink.define({ name: QUERY_ERRORS_METRIC, type: 'counter', contains: 'default' });
  }

  /** Starts live queries when `interval` is set; otherwise nothing happens until `queryWindow`. */
  start(): void {
    const o = this.#options;
    if (o === undefined || o.intervalMs === undefined || this.#stopped) return;
    this.#tick();
    this.#timer = setInterval(() => this.#tick(), o.intervalMs);
    this.#timer.unref();
  }

  /** Ends live queries and waits for a round in flight. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#inFlight;
  }

  /**
   * Queries every expression over [fromMs, toMs] (epoch ms of the load's start and end), after
   * waiting until `delay` has passed since toMs, and ingests the samples into `into`. Skipped when
   * `signal` is already aborted (a hard stop); aborting it abandons requests in flight.
   */
  async queryWindow(fromMs: number, toMs: number, into: SnapshotIngest, signal?: AbortSignal): Promise<void> {
    const o = this.#options;
    if (o === undefined || signal?.aborted) return;
    await this.stop();
    await sleep(toMs + o.delayMs - Date.now(), signal);
    if (signal?.aborted) return;
    let sampleMs = 0;
    const collector = new Collector({ nowMs: () => sampleMs });
    const errorsId = collector.define({ name: QUERY_ERRORS_METRIC, type: 'counter', contains: 'default' });
    const target = this.#target(signal);
    const answers = await Promise.all(o.queries.map((q) => queryRange(target, q.promql, fromMs, toMs, o.stepMs)));
    o.queries.forEach((q, i) => {
      const metricId = collector.define({ name: q.name, type: 'gauge', contains: containsOf(q.name) });
      const answer = answers[i] as QueryAnswer;
      if ('error' in answer) {
        collector.add(errorsId, collector.tagSet({ ...this.#baseTags, query: q.name }), 1);
        this.#warn(`${where(q)} failed over the run's window: ${answer.error}`);
        return;
      }
      for (const w of answer.warnings) this.#warn(`${where(q)}: Prometheus warns: ${w}`);
      if (answer.series.every((s) => s.samples.length === 0)) {
        this.#warn(`${where(q)} returned no data over the run's window; check the metric names and that Prometheus scrapes the system under test`);
        return;
      }
      for (const s of answer.series) {
        const tags = { ...this.#baseTags, ...s.labels };
        const tagSetId = collector.tagSet(tags);
        for (const [timeMs, value] of s.samples) {
          // The collector stamps a Gauge sample with its clock: set it to the evaluation time.
          sampleMs = timeMs;
          collector.add(metricId, tagSetId, value);
          this.#windowSamples.push({ metric: q.name, contains: containsOf(q.name), tags, timeMs, value });
        }
      }
    });
    into.ingest(collector.snapshot(Date.now()));
  }

  /** The time series with the window's samples placed at their timestamps (unchanged when there are none). */
  placeIn(points: readonly TimeSeriesPoint[]): TimeSeriesPoint[] {
    return placeInTimeSeries(points, this.#windowSamples);
  }

  #target(signal?: AbortSignal): QueryTarget {
    const o = this.#options as PrometheusQueryOptions;
    return { url: o.url, headers: o.headers, timeoutMs: o.timeoutMs, signal };
  }

  #tick(): void {
    // A slow server must not pile up rounds: skip a tick while one is in flight.
    if (this.#inFlight !== undefined || this.#stopped) return;
    this.#inFlight = this.#liveRound().finally(() => (this.#inFlight = undefined));
  }

  async #liveRound(): Promise<void> {
    const o = this.#options as PrometheusQueryOptions;
    const target = this.#target();
    const atMs = Date.now();
    const answers = await Promise.all(o.queries.map((q) => queryInstant(target, q.promql, atMs)));
    if (this.#stopped) return;
    const errorsId = this.#sink.define({ name: QUERY_ERRORS_METRIC, type: 'counter', contains: 'default' });
    o.queries.forEach((q, i) => {
      const answer = answers[i] as QueryAnswer;
      if ('error' in answer) {
        this.#sink.add(errorsId, this.#sink.tagSet({ ...this.#baseTags, query: q.name }), 1);
        if (!this.#liveWarned.has(q.name)) {
          this.#liveWarned.add(q.name);
          this.#warn(`${where(q)} failed live (later live failures are only counted in ${QUERY_ERRORS_METRIC}): ${answer.error}`);
        }
        return;
      }
      const metricId = this.#sink.define({ name: q.name, type: 'gauge', contains: containsOf(q.name) });
      for (const s of answer.series) {
        const sample = s.samples[0];
        if (sample !== undefined) this.#sink.add(metricId, this.#sink.tagSet({ ...this.#baseTags, ...s.labels }), sample[1]);
      }
    });
  }
}

/** Creates the run's queries and starts the live ones; a no-op object when `options` is undefined. */
export function startPrometheusQueries(options: PrometheusQueryOptions | undefined, sink: MetricSink, baseTags: Tags, warn: (message: string) => void): PrometheusQueries {
  const queries = new PrometheusQueries(options, sink, baseTags, warn);
  queries.start();
  return queries;
}

function where(q: PrometheusQuery): string {
  return `observe.prometheus.queries.${q.name} (${q.promql})`;
}

function containsOf(name: string): MetricContains {
  return name.endsWith('_bytes') ? 'data' : 'default';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
