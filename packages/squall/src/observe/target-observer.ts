import type { ObserveTarget } from '../config/observe-option.js';
import { SCRAPE_ERRORS_METRIC } from '../config/observe-option.js';
import type { MetricSink } from '../metrics/types.js';
import { parseExposition, selectSum } from './exposition.js';

/** Told every recorded value of an observed series (name, value, epoch ms of the scrape). */
export type ObservedSampleListener = (name: string, value: number, atMs: number) => void;

/** Handles of one observed series in the sink, and the last value a rate is taken from. */
interface SeriesState {
  readonly metricId: number;
  prevSum: number | undefined;
  prevAtMs: number;
}

/**
 * Scrapes one Prometheus endpoint every `intervalMs` and records each observed series as a Gauge
 * sample (tagged `target: host:port`) into the main thread's sink, which the run loop snapshots
 * every second. A failed scrape is a sample of `observe_scrape_errors`, never an exception: the
 * system under test going away is something to measure. Lifecycle: `start()` once, `stop()` once
 * (waits for a scrape in flight, then takes one last scrape so the run's end is covered).
 */
export class TargetObserver {
  readonly #target: ObserveTarget;
  readonly #sink: MetricSink;
  readonly #states: SeriesState[];
  readonly #tagSet: number;
  readonly #errorsId: number;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #stopped = false;
  readonly #listener: ObservedSampleListener | undefined;

  constructor(target: ObserveTarget, sink: MetricSink, baseTags: Readonly<Record<string, string>>, listener?: ObservedSampleListener) {
    this.#target = target;
    this.#listener = listener;
    this.#sink = sink;
    this.#states = target.series.map((s) => ({ metricId: sink.define({ name: s.name, type: 'gauge', contains: s.name.endsWith('_bytes') ? 'data' : 'default' }), prevSum: undefined, prevAtMs: 0 }));
    this.#tagSet = sink.tagSet({ ...baseTags, target: new URL(target.url).host });
    this.#errorsId = sink.define({ name: SCRAPE_ERRORS_METRIC, type: 'counter', contains: 'default' });
  }

  start(): void {
    this.#tick();
    this.#timer = setInterval(() => this.#tick(), this.#target.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#inFlight;
    await this.#scrape();
  }

  #tick(): void {
    // A slow target must not pile up scrapes: skip a tick while one is in flight.
    if (this.#inFlight !== undefined || this.#stopped) return;
    this.#inFlight = this.#scrape().finally(() => (this.#inFlight = undefined));
  }

  async #scrape(): Promise<void> {
    let text: string;
    try {
      const res = await fetch(this.#target.url, { signal: AbortSignal.timeout(this.#target.timeoutMs), headers: { accept: 'text/plain;version=0.0.4' } });
      text = await res.text();
      if (!res.ok) throw new Error(`status ${res.status}`);
    } catch {
      this.#sink.add(this.#errorsId, this.#tagSet, 1);
      return;
    }
    const nowMs = performance.now();
    const atMs = Date.now();
    const samples = parseExposition(text);
    this.#target.series.forEach((s, i) => {
      const state = this.#states[i] as SeriesState;
      const sum = selectSum(samples, s.selector);
      if (sum === undefined) return;
      if (!s.selector.rate) {
        this.#sink.add(state.metricId, this.#tagSet, sum);
        this.#listener?.(s.name, sum, atMs);
        return;
      }
      const prev = state.prevSum;
      const dtS = (nowMs - state.prevAtMs) / 1000;
      state.prevSum = sum;
      state.prevAtMs = nowMs;
      if (prev === undefined || dtS <= 0) return;
      // A counter that went down was reset (the target restarted): count from zero.
      const increase = sum >= prev ? sum - prev : sum;
      this.#sink.add(state.metricId, this.#tagSet, increase / dtS);
      this.#listener?.(s.name, increase / dtS, atMs);
    });
  }
}

/** Starts one observer per target; `stop()` stops them all. */
export function startObservers(
  targets: readonly ObserveTarget[],
  sink: MetricSink,
  baseTags: Readonly<Record<string, string>>,
  listener?: ObservedSampleListener,
): { stop(): Promise<void> } {
  const observers = targets.map((t) => new TargetObserver(t, sink, baseTags, listener));
  for (const o of observers) o.start();
  return { stop: async () => void (await Promise.all(observers.map((o) => o.stop()))) };
}
