import { SquallError } from '../errors.js';
import { createHdr, hdrCounts, recordHdr, resetHdr } from './hdr.js';
import type { Hdr } from './hdr.js';
import { SampleBuffer, type SampleStreamOptions } from './sample-stream.js';
import { tagsKey } from './tags.js';
import type {
  MetricDef,
  MetricSink,
  MetricType,
  MetricsSnapshot,
  SeriesHandle,
  SnapshotAggregate,
  SeriesSnapshot,
  Tags,
} from './types.js';

/** k6's rule for metric names. */
export const METRIC_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;

/** What a series needs of its collector when it records. */
interface SeriesOwner {
  /** Series with samples in the open interval, in the order they got their first. */
  readonly active: SeriesState[];
  readonly nowMs: () => number;
  /** Individual samples, only when an output asked for them (see sample-stream.ts). */
  readonly samples: SampleBuffer | undefined;
}

/**
 * One series' state for the open interval, and its handle. A single class for every type keeps
 * the hot path monomorphic; fields mean: counter sum=sum count=samples; gauge last/lastMs, min,
 * max, count=samples; rate sum=passes count=total; trend sum, count, min, max, hdr.
 */
class SeriesState implements SeriesHandle {
  active = false;
  count = 0;
  sum = 0;
  last = 0;
  lastMs = 0;
  min = Infinity;
  max = -Infinity;
  readonly type: MetricType;
  constructor(
    readonly owner: SeriesOwner,
    readonly metric: MetricEntry,
    readonly tags: Tags,
    readonly hdr: Hdr | undefined,
    readonly metricId: number,
    readonly tagSetId: number,
  ) {
    this.type = metric.type;
  }

  add(value: number): void {
    const type = this.type;
    if (type === 'rate') {
      this.count++;
      if (value !== 0) this.sum++;
    } else {
      if (!Number.isFinite(value)) return;
      this.count++;
      if (type === 'counter') {
        this.sum += value;
      } else {
        if (value < this.min) this.min = value;
        if (value > this.max) this.max = value;
        if (type === 'gauge') {
          this.last = value;
          this.lastMs = this.owner.nowMs();
        } else {
          this.sum += value;
          recordHdr(this.hdr as Hdr, value);
        }
      }
    }
    if (!this.active) {
      this.active = true;
      this.owner.active.push(this);
    }
    const samples = this.owner.samples;
    if (samples !== undefined) samples.push(this.metricId, this.tagSetId, this.owner.nowMs(), type === 'rate' ? (value !== 0 ? 1 : 0) : value);
  }
}

interface MetricEntry {
  readonly def: MetricDef;
  readonly type: MetricType;
  /** Indexed by tag-set id; holes for tag sets never used with this metric. */
  readonly states: (SeriesState | undefined)[];
}

/** Options for a Collector; `nowMs` is the clock stamped on Gauge samples (fake it in tests). */
export interface CollectorOptions {
  readonly nowMs?: () => number;
  /** Keep individual samples too (bounded per interval), handed out with each snapshot. */
  readonly samples?: SampleStreamOptions | undefined;
}

/**
 * Worker-side MetricSink: records samples into per-series aggregates and hands everything recorded
 * since the previous `snapshot` to the main thread. Lives as long as its worker; one thread only.
 * `add` allocates nothing for a series seen before (state and histograms are reset and reused).
 * Non-finite values are ignored for Counter, Gauge and Trend; for a Rate only `value !== 0` matters.
 */
export class Collector implements MetricSink {
  private readonly metrics: MetricEntry[] = [];
  private readonly metricIds = new Map<string, number>();
  private readonly tagSets: Tags[] = [];
  private readonly tagSetIds = new Map<string, number>();
  private readonly owner: SeriesOwner;

  constructor(options: CollectorOptions = {}) {
    const samples = options.samples === undefined ? undefined : new SampleBuffer(options.samples.maxPerInterval);
    this.owner = { active: [], nowMs: options.nowMs ?? Date.now, samples };
  }

  /** Registers (or finds) a metric; idempotent by name. Throws SQUALL_CONFIG_INVALID on a bad name or a type clash. */
  define(def: MetricDef): number {
    const existing = this.metricIds.get(def.name);
    if (existing !== undefined) {
      const known = this.metrics[existing];
      if (known !== undefined && known.type !== def.type) {
        throw new SquallError(
          'SQUALL_CONFIG_INVALID',
          `metric "${def.name}" is already defined as a ${known.type}, but is now defined as a ${def.type}; ` +
            'use another name for the new metric',
        );
      }
      return existing;
    }
    if (!METRIC_NAME_PATTERN.test(def.name)) {
      throw new SquallError(
        'SQUALL_CONFIG_INVALID',
        `metric name must match ${METRIC_NAME_PATTERN.source} (letters, digits and _, not starting with a digit, ` +
          `at most 128 characters), but is ${JSON.stringify(def.name)}`,
      );
    }
    const id = this.metrics.length;
    const frozen: MetricDef = Object.freeze({ name: def.name, type: def.type, contains: def.contains });
    this.metrics.push({ def: frozen, type: def.type, states: [] });
    this.metricIds.set(def.name, id);
    return id;
  }

  /** Interns a tag set (any key order gives the same id). Allocates a key: resolve ids once where tags are static. */
  tagSet(tags: Tags): number {
    const key = tagsKey(tags);
    const existing = this.tagSetIds.get(key);
    if (existing !== undefined) return existing;
    const id = this.tagSets.length;
    this.tagSets.push(Object.freeze({ ...tags }));
    this.tagSetIds.set(key, id);
    return id;
  }

  /** The tag set behind an id from `tagSet`. */
  tagsOf(tagSetId: number): Tags | undefined {
    return this.tagSets[tagSetId];
  }

  /** Records one sample. Throws RangeError for ids this collector did not hand out (a caller bug). */
  add(metricId: number, tagSetId: number, value: number): void {
    this.series(metricId, tagSetId).add(value);
  }

  /** The series of (metric, tag set); the same handle every time. Throws RangeError for ids this collector did not hand out. */
  series(metricId: number, tagSetId: number): SeriesHandle {
    const metric = this.metrics[metricId];
    if (metric === undefined) throw new RangeError(`unknown metric id ${metricId}`);
    return metric.states[tagSetId] ?? this.createState(metric, metricId, tagSetId);
  }

  private createState(metric: MetricEntry, metricId: number, tagSetId: number): SeriesState {
    const tags = this.tagSets[tagSetId];
    if (tags === undefined) throw new RangeError(`unknown tag set id ${tagSetId}`);
    const state = new SeriesState(this.owner, metric, tags, metric.type === 'trend' ? createHdr() : undefined, metricId, tagSetId);
    metric.states[tagSetId] = state;
    return state;
  }

  /** Metric definitions registered so far, in definition order. */
  defs(): MetricDef[] {
    return this.metrics.map((m) => m.def);
  }

  /**
   * Everything recorded since the previous snapshot (plain data, structured-cloneable; Trends carry
   * histogram counts, not encoded text), and resets the interval state. `nowMs` is the epoch ms
   * stamped as `cutAtMs`.
   */
  snapshot(nowMs: number): MetricsSnapshot {
    const series: SeriesSnapshot[] = [];
    const active = this.owner.active;
    for (const state of active) {
      series.push({ metric: state.metric.def.name, tags: state.tags, agg: toAggregate(state) });
      resetState(state);
    }
    active.length = 0;
    const samples = this.owner.samples?.take(
      (id) => this.metrics[id]?.def.name ?? '',
      (id) => this.tagSets[id],
    );
    return samples === undefined ? { defs: this.defs(), series, cutAtMs: nowMs } : { defs: this.defs(), series, cutAtMs: nowMs, samples };
  }
}

function toAggregate(state: SeriesState): SnapshotAggregate {
  switch (state.metric.type) {
    case 'counter':
      return { type: 'counter', sum: state.sum, samples: state.count };
    case 'gauge':
      return {
        type: 'gauge',
        value: state.last,
        timeMs: state.lastMs,
        min: state.min,
        max: state.max,
        samples: state.count,
      };
    case 'rate':
      return { type: 'rate', passes: state.sum, total: state.count };
    case 'trend':
      return {
        type: 'trend',
        count: state.count,
        sum: state.sum,
        min: state.min,
        max: state.max,
        counts: hdrCounts(state.hdr as Hdr),
      };
  }
}

function resetState(state: SeriesState): void {
  state.active = false;
  state.count = 0;
  state.sum = 0;
  state.last = 0;
  state.lastMs = 0;
  state.min = Infinity;
  state.max = -Infinity;
  if (state.hdr !== undefined) resetHdr(state.hdr);
}
