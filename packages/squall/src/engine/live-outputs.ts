import type { Aggregator, TimeSeriesPoint } from '../metrics/aggregator.js';
import type { MetricsSnapshot } from '../metrics/types.js';
import { DEFAULT_MAX_SAMPLES_PER_INTERVAL, type SampleStreamOptions } from '../metrics/sample-stream.js';
import type { LiveOutput, LiveOutputStart } from '../outputs/live-output.js';

/**
 * The run's live outputs (`--out ...`): started once the load starts, fed every interval, stopped
 * once at the end. `stop()` is safe to call twice (the normal end and the `finally` of runTest), and
 * an output's failure to stop becomes a warning, never a failed run.
 */
export class LiveOutputs {
  private started = false;
  /** Given to the main collector and every worker: the same object for all. */
  readonly sampleStream: SampleStreamOptions | undefined;

  constructor(
    private readonly outputs: readonly LiveOutput[],
    private readonly warn: (message: string) => void,
  ) {
    this.sampleStream = sampleStreamFor(outputs);
  }

  async start(run: LiveOutputStart): Promise<void> {
    // Marked started before the first start() so that, if one throws, stop() still reaches them all.
    this.started = true;
    for (const o of this.outputs) await o.start(run);
  }

  samples(snapshot: MetricsSnapshot): void {
    if (snapshot.samples === undefined) return;
    for (const o of this.outputs) o.samples?.(snapshot.samples, snapshot.defs);
  }

  interval(point: TimeSeriesPoint, totals: Aggregator): void {
    for (const o of this.outputs) o.interval(point, totals);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const o of this.outputs) {
      try {
        for (const w of await o.stop()) this.warn(w);
      } catch (err) {
        this.warn(`${o.description}: ${(err as Error).message}`);
      }
    }
  }
}

/** Individual samples are kept only when an output writes them (`--out json`, `--out csv`). */
function sampleStreamFor(outputs: readonly LiveOutput[]): SampleStreamOptions | undefined {
  const wanted = outputs.filter((o) => o.samples !== undefined);
  if (wanted.length === 0) return undefined;
  return { maxPerInterval: DEFAULT_MAX_SAMPLES_PER_INTERVAL };
}
