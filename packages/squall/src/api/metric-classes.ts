import type { MetricContains, MetricType, Tags } from '../metrics/types.js';
import { threadRuntime } from '../runtime/thread-runtime.js';
import { vuContextStorage } from '../runtime/vu-context.js';

/** Base of the custom metric classes: resolves the metric id once, tags each sample with the caller's context. */
abstract class CustomMetric {
  /** The metric's name as given. */
  readonly name: string;
  readonly #id: number;
  // Tag-set ids for (context tags object, extra tags) are memoised per context object.
  readonly #plain = new WeakMap<Tags, number>();

  protected constructor(name: string, type: MetricType, contains: MetricContains) {
    this.name = name;
    this.#id = threadRuntime().sink.define({ name, type, contains });
  }

  protected record(value: number, tags: Record<string, string> | undefined): void {
    if (typeof value !== 'number' && typeof value !== 'boolean') {
      throw new TypeError(`${this.name}.add() needs a number, but got ${typeof value}`);
    }
    const rt = threadRuntime();
    const ctxTags = vuContextStorage.getStore()?.tags ?? rt.baseTags;
    let tagSetId: number;
    if (tags === undefined) {
      const cached = this.#plain.get(ctxTags);
      tagSetId = cached ?? rt.sink.tagSet(ctxTags);
      if (cached === undefined) this.#plain.set(ctxTags, tagSetId);
    } else {
      tagSetId = rt.sink.tagSet({ ...ctxTags, ...stringTags(tags) });
    }
    rt.sink.add(this.#id, tagSetId, Number(value));
  }
}

function stringTags(tags: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) out[k] = String(v);
  return out;
}

/** A cumulative sum (k6 Counter). Summary: `count`, `rate` per second. */
export class Counter extends CustomMetric {
  constructor(name: string) {
    super(name, 'counter', 'default');
  }
  /** Adds `value` (default use: 1 per event). */
  add(value: number, tags?: Record<string, string>): void {
    this.record(value, tags);
  }
}

/** The latest value (k6 Gauge). Summary: `value`, `min`, `max`. */
export class Gauge extends CustomMetric {
  constructor(name: string, isTime = false) {
    super(name, 'gauge', isTime ? 'time' : 'default');
  }
  /** Sets the gauge to `value`. */
  add(value: number, tags?: Record<string, string>): void {
    this.record(value, tags);
  }
}

/** Share of non-zero values (k6 Rate). Summary: `rate`, `passes`, `fails`. */
export class Rate extends CustomMetric {
  constructor(name: string) {
    super(name, 'rate', 'default');
  }
  /** Records a pass (truthy / non-zero) or a fail (false / 0). */
  add(value: number | boolean, tags?: Record<string, string>): void {
    this.record(value ? 1 : 0, tags);
  }
}

/** A distribution (k6 Trend), kept as an HDR histogram. `isTime` marks values as milliseconds. */
export class Trend extends CustomMetric {
  constructor(name: string, isTime = false) {
    super(name, 'trend', isTime ? 'time' : 'default');
  }
  /** Records one value. */
  add(value: number, tags?: Record<string, string>): void {
    this.record(value, tags);
  }
}
