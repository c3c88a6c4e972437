import type { Aggregator, TimeSeriesPoint } from '../../metrics/aggregator.js';
import type { SampleBatch } from '../../metrics/sample-stream.js';
import type { MetricDef, Tags } from '../../metrics/types.js';
import type { ThresholdSet } from '../../thresholds/types.js';
import type { LiveOutput, LiveOutputStart } from '../live-output.js';
import { FileSink } from './file-sink.js';

/** What a sample format writes: a header, a line per new metric, lines per sample. */
export interface SampleFormat {
  readonly name: string;
  header(): string;
  /** A line declaring a metric the first time one of its samples is written ('' for none). */
  metric(def: MetricDef, thresholds: ThresholdSet): string;
  sample(name: string, timeMs: number, value: number, tags: Tags): string;
}

/**
 * A live output that writes every sample to a file in one format (k6's `--out json` and
 * `--out csv`). Samples come from the run's sample stream: each thread's batch once per interval,
 * so lines are ordered by interval and thread, not strictly by time within an interval.
 */
export class SampleFileOutput implements LiveOutput {
  private readonly sink: FileSink;
  private readonly seen = new Set<string>();
  private thresholds: ThresholdSet = [];
  private dropped = 0;
  private written = 0;

  constructor(
    private readonly format: SampleFormat,
    path: string,
  ) {
    this.sink = new FileSink(path);
  }

  get description(): string {
    return `${this.format.name} ${this.sink.path}`;
  }

  /** Samples written so far (for tests and messages). */
  get samplesWritten(): number {
    return this.written;
  }

  async start(run: LiveOutputStart): Promise<void> {
    this.thresholds = run.options.thresholds;
    await this.sink.open();
    this.sink.write(this.format.header());
  }

  interval(_point: TimeSeriesPoint, _totals: Aggregator): void {}

  samples(batch: SampleBatch, defs: readonly MetricDef[]): void {
    this.dropped += batch.dropped;
    const n = batch.data.length / 4;
    if (n === 0) return;
    const byName = new Map(defs.map((d) => [d.name, d]));
    const parts: string[] = [];
    for (const name of batch.names) {
      if (this.seen.has(name)) continue;
      this.seen.add(name);
      const def = byName.get(name);
      if (def !== undefined) parts.push(this.format.metric(def, this.thresholds));
    }
    const { data, names, tags } = batch;
    for (let i = 0; i < n; i++) {
      const at = 4 * i;
      parts.push(this.format.sample(names[data[at] as number] as string, data[at + 2] as number, data[at + 3] as number, tags[data[at + 1] as number] as Tags));
    }
    this.written += n;
    this.sink.write(parts.join(''));
  }

  async stop(): Promise<readonly string[]> {
    const warnings: string[] = [];
    const failed = await this.sink.close();
    if (failed !== undefined) warnings.push(`${this.format.name} output: ${failed}`);
    if (this.dropped > 0) {
      warnings.push(
        `${this.format.name} output: ${this.dropped} samples were not written (more than the per-second cap per thread); the summary and time series still count them`,
      );
    }
    return warnings;
  }
}
