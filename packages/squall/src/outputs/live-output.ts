import type { ResolvedOptions } from '../config/types.js';
import type { Aggregator, TimeSeriesPoint } from '../metrics/aggregator.js';
import type { SampleBatch } from '../metrics/sample-stream.js';
import type { MetricDef } from '../metrics/types.js';

/** What a live output learns when the load starts. */
export interface LiveOutputStart {
  /** Epoch ms the test's clock starts at. */
  readonly startedAtEpochMs: number;
  readonly options: ResolvedOptions;
  /** The script's path (a name for the test). */
  readonly script: string;
}

/**
 * A destination that receives the run's metrics while it runs (a Prometheus exposition endpoint,
 * remote write, ...). The run loop calls `start` once before the load starts, `interval` after
 * every closed 1 s interval (with that interval's point and the run-so-far aggregator, which it
 * must only read), and `stop` once after the last interval, also when the run fails. An output
 * never throws out of `interval`: it counts or reports its own failures (see `warnings`).
 */
export interface LiveOutput {
  /** For messages: e.g. "prometheus endpoint http://127.0.0.1:5656/metrics". */
  readonly description: string;
  start(run: LiveOutputStart): Promise<void>;
  interval(point: TimeSeriesPoint, totals: Aggregator): void;
  /**
   * Present on outputs that write every sample (json, csv): the run then keeps individual samples
   * (bounded per interval per thread) and hands each thread's batch here, with the metric
   * definitions known so far. Never throws.
   */
  samples?(batch: SampleBatch, defs: readonly MetricDef[]): void;
  /** Flushes what is left and releases resources; resolves to warnings for the person running the test. */
  stop(): Promise<readonly string[]>;
}
