import type { Tags } from './types.js';

/**
 * Individual samples of one snapshot interval, for outputs that write every sample (`--out json`,
 * `--out csv`). Off unless such an output is asked for: the summary, thresholds and time series
 * never read it (they use the aggregates). `data` holds 4 numbers per sample: index into `names`,
 * index into `tags`, epoch ms, value (Rate samples as 1 or 0).
 */
export interface SampleBatch {
  readonly names: readonly string[];
  readonly tags: readonly Tags[];
  readonly data: Float64Array;
  /** Samples recorded in this interval beyond the cap, counted but not kept. */
  readonly dropped: number;
}

/** Default cap of kept samples per interval per thread (32 bytes each: 200k is 6.4 MB). */
export const DEFAULT_MAX_SAMPLES_PER_INTERVAL = 200_000;

/** How a Collector keeps individual samples (absent: it keeps none). */
export interface SampleStreamOptions {
  /** Most samples kept per interval; the rest are counted in `dropped`. */
  readonly maxPerInterval: number;
}

/** A bounded per-interval buffer of (metric id, tag-set id, time, value) rows. */
export class SampleBuffer {
  private rows: Float64Array;
  private n = 0;
  private dropped = 0;

  constructor(private readonly max: number) {
    this.rows = new Float64Array(4 * Math.min(max, 1024));
  }

  push(metricId: number, tagSetId: number, timeMs: number, value: number): void {
    if (this.n >= this.max) {
      this.dropped++;
      return;
    }
    if (4 * this.n >= this.rows.length) {
      const bigger = new Float64Array(Math.min(this.rows.length * 2, 4 * this.max));
      bigger.set(this.rows);
      this.rows = bigger;
    }
    const at = 4 * this.n++;
    this.rows[at] = metricId;
    this.rows[at + 1] = tagSetId;
    this.rows[at + 2] = timeMs;
    this.rows[at + 3] = value;
  }

  /** The interval's samples with ids mapped to compact local indexes; empties the buffer. */
  take(nameOf: (metricId: number) => string, tagsOf: (tagSetId: number) => Tags | undefined): SampleBatch | undefined {
    if (this.n === 0 && this.dropped === 0) return undefined;
    const names: string[] = [];
    const tags: Tags[] = [];
    const nameIdx = new Map<number, number>();
    const tagIdx = new Map<number, number>();
    const data = new Float64Array(4 * this.n);
    for (let i = 0; i < this.n; i++) {
      const at = 4 * i;
      const m = this.rows[at] as number;
      const t = this.rows[at + 1] as number;
      let mi = nameIdx.get(m);
      if (mi === undefined) {
        mi = names.push(nameOf(m)) - 1;
        nameIdx.set(m, mi);
      }
      let ti = tagIdx.get(t);
      if (ti === undefined) {
        ti = tags.push(tagsOf(t) ?? {}) - 1;
        tagIdx.set(t, ti);
      }
      data[at] = mi;
      data[at + 1] = ti;
      data[at + 2] = this.rows[at + 2] as number;
      data[at + 3] = this.rows[at + 3] as number;
    }
    const batch: SampleBatch = { names, tags, data, dropped: this.dropped };
    this.n = 0;
    this.dropped = 0;
    return batch;
  }
}
