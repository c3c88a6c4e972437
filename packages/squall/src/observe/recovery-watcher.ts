import { RECOVERY_METRICS, type RecoveryOptions } from '../config/recovery-option.js';
import type { MetricSink, Tags } from '../metrics/types.js';

/** Consecutive probes at or below the latency level that count as "latency is back". */
export const PROBES_TO_CONFIRM = 3;
/** Fewest successful baseline probes that give a latency level. */
const MIN_BASELINE_PROBES = 3;

type Phase = 'baseline' | 'load' | 'recovery';

interface ProbeResult {
  readonly atMs: number;
  readonly durationMs: number;
  readonly ok: boolean;
}

/** What the recovery phase found; times are ms after the end of the load. */
export interface RecoveryResult {
  /** Both criteria met before the timeout (and before a stop). */
  readonly complete: boolean;
  /** When the last configured criterion was met; the timeout (a lower bound) when not complete. */
  readonly recoveryMs: number;
  readonly backlogDrainMs: number | undefined;
  readonly latencyMs: number | undefined;
  /** Pre-load levels the system had to return to. */
  readonly baseline: { readonly backlog: number | undefined; readonly latencyP95Ms: number | undefined };
  /** Highest backlog seen from the start of the load until the end of recovery. */
  readonly peakBacklog: number | undefined;
  /** Why a criterion could not be judged or was not met, for the person running the test. */
  readonly notes: readonly string[];
}

/**
 * Follows a backlog series and a latency probe before, during and after the load, and measures
 * how long after the load the system is back to its pre-load state: the backlog at or below its
 * pre-load level (plus tolerance), and `PROBES_TO_CONFIRM` consecutive probes at or below the
 * pre-load p95 times (1 + tolerance). Lifecycle: `startBaseline` (after setup), `baselineDone`
 * (after `baselineMs`, just before the scenarios start), `recover(loadEndMs)` once the load has
 * ended, `stop` always. Probe samples are recorded as `recovery_probe_duration` (tag `phase`) and
 * `recovery_probe_failed`; the outcome as the `recovery_*` Gauges and the `recovery_complete` Rate.
 */
export class RecoveryWatcher {
  readonly #opts: RecoveryOptions;
  readonly #sink: MetricSink;
  readonly #ids: { probeDuration: number; probeFailed: number; time: number; backlogDrain: number; latency: number; complete: number };
  readonly #tagSets: Record<Phase, number>;
  readonly #baseTagSet: number;
  readonly #probes: ProbeResult[] = [];
  readonly #backlog: { atMs: number; value: number }[] = [];
  #phase: Phase = 'baseline';
  #loadStartMs = 0;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #stopped = false;
  #baselineBacklog: number | undefined;
  #baselineLatency: number | undefined;
  readonly #notes: string[] = [];

  constructor(opts: RecoveryOptions, sink: MetricSink, baseTags: Tags) {
    this.#opts = opts;
    this.#sink = sink;
    this.#ids = {
      probeDuration: sink.define({ name: RECOVERY_METRICS.probeDuration, type: 'trend', contains: 'time' }),
      probeFailed: sink.define({ name: RECOVERY_METRICS.probeFailed, type: 'rate', contains: 'default' }),
      time: sink.define({ name: RECOVERY_METRICS.time, type: 'gauge', contains: 'time' }),
      backlogDrain: sink.define({ name: RECOVERY_METRICS.backlogDrainTime, type: 'gauge', contains: 'time' }),
      latency: sink.define({ name: RECOVERY_METRICS.latencyTime, type: 'gauge', contains: 'time' }),
      complete: sink.define({ name: RECOVERY_METRICS.complete, type: 'rate', contains: 'default' }),
    };
    this.#tagSets = {
      baseline: sink.tagSet({ ...baseTags, phase: 'baseline' }),
      load: sink.tagSet({ ...baseTags, phase: 'load' }),
      recovery: sink.tagSet({ ...baseTags, phase: 'recovery' }),
    };
    this.#baseTagSet = sink.tagSet(baseTags);
  }

  /** The observed series this watcher follows as the backlog (undefined: none). */
  get backlogSeries(): string | undefined {
    return this.#opts.backlog;
  }

  /** A sample of the backlog series (from the target observer). */
  noteBacklog(value: number, atMs: number): void {
    if (!this.#stopped) this.#backlog.push({ atMs, value });
  }

  /** Starts the probe; samples from now until `baselineDone` set the pre-load levels. */
  startBaseline(): void {
    if (this.#opts.probe === undefined) return;
    this.#tick();
    this.#timer = setInterval(() => this.#tick(), this.#opts.probe.intervalMs);
    this.#timer.unref();
  }

  /** Ends the pre-load window: fixes the levels to return to; the load starts now. */
  baselineDone(): void {
    const now = Date.now();
    const before = this.#backlog.filter((b) => b.atMs <= now);
    if (this.#opts.backlog !== undefined) {
      if (before.length === 0) this.#notes.push(`no sample of ${this.#opts.backlog} in the pre-load window: the backlog must drain to ${this.#opts.backlogTolerance}`);
      this.#baselineBacklog = before.length === 0 ? 0 : Math.max(...before.map((b) => b.value));
    }
    if (this.#opts.probe !== undefined) {
      // The first probe pays for connection set-up; it is not the system's pre-load latency.
      const ok = this.#probes.slice(1).filter((p) => p.ok).map((p) => p.durationMs).sort((a, b) => a - b);
      if (ok.length < MIN_BASELINE_PROBES) {
        this.#notes.push(`the probe answered ${ok.length} time(s) in the ${this.#opts.baselineMs / 1000} s pre-load window (at least ${MIN_BASELINE_PROBES} needed): latency recovery is not judged; lengthen recovery.baseline or check recovery.probe.url`);
      } else {
        this.#baselineLatency = ok[Math.min(ok.length - 1, Math.ceil(0.95 * ok.length) - 1)] as number;
      }
    }
    this.#phase = 'load';
    this.#loadStartMs = now;
  }

  /**
   * Waits, after the load ended at `loadEndMs`, until the system is back to its pre-load levels,
   * the timeout passes or `signal` aborts; records and returns the outcome.
   */
  async recover(loadEndMs: number, signal?: AbortSignal): Promise<RecoveryResult> {
    this.#phase = 'recovery';
    const deadline = loadEndMs + this.#opts.timeoutMs;
    let backlogDrainMs = this.#backlogDrainMs(loadEndMs);
    let latencyMs = this.#latencyMs(loadEndMs);
    while (Date.now() < deadline && !signal?.aborted && !this.#done(backlogDrainMs, latencyMs)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      backlogDrainMs ??= this.#backlogDrainMs(loadEndMs);
      latencyMs ??= this.#latencyMs(loadEndMs);
    }
    this.stopProbing();
    await this.#inFlight;
    const complete = this.#done(backlogDrainMs, latencyMs);
    const judged = [this.#opts.backlog !== undefined ? backlogDrainMs : 0, this.#baselineLatency !== undefined ? latencyMs : 0];
    const recoveryMs = complete ? Math.max(...(judged as number[])) : Math.max(0, Math.min(Date.now(), deadline) - loadEndMs);
    if (!complete) {
      const still: string[] = [];
      const lastBacklog = this.#backlog.at(-1);
      if (this.#opts.backlog !== undefined && backlogDrainMs === undefined) still.push(`${this.#opts.backlog} is ${lastBacklog?.value ?? 'unknown'} (pre-load ${this.#baselineBacklog})`);
      if (this.#baselineLatency !== undefined && latencyMs === undefined) still.push(`probe latency above ${round(this.#level())} ms`);
      this.#notes.push(`${signal?.aborted ? 'stopped' : `not recovered within ${this.#opts.timeoutMs / 1000} s`} after the load: ${still.join('; ')}`);
    }
    const loadBacklog = this.#backlog.filter((b) => b.atMs >= this.#loadStartMs).map((b) => b.value);
    const result: RecoveryResult = {
      complete,
      recoveryMs,
      backlogDrainMs,
      latencyMs,
      baseline: { backlog: this.#baselineBacklog, latencyP95Ms: this.#baselineLatency },
      peakBacklog: loadBacklog.length > 0 ? Math.max(...loadBacklog) : undefined,
      notes: [...this.#notes],
    };
    this.#sink.add(this.#ids.time, this.#baseTagSet, recoveryMs);
    if (backlogDrainMs !== undefined) this.#sink.add(this.#ids.backlogDrain, this.#baseTagSet, backlogDrainMs);
    if (latencyMs !== undefined) this.#sink.add(this.#ids.latency, this.#baseTagSet, latencyMs);
    this.#sink.add(this.#ids.complete, this.#baseTagSet, complete ? 1 : 0);
    return result;
  }

  /** Stops the probe (idempotent). */
  stopProbing(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }

  #level(): number {
    return (this.#baselineLatency ?? 0) * (1 + this.#opts.latencyTolerance);
  }

  #done(backlogDrainMs: number | undefined, latencyMs: number | undefined): boolean {
    const backlogOk = this.#opts.backlog === undefined || backlogDrainMs !== undefined;
    const latencyOk = this.#baselineLatency === undefined || latencyMs !== undefined;
    return backlogOk && latencyOk;
  }

  #backlogDrainMs(loadEndMs: number): number | undefined {
    if (this.#opts.backlog === undefined) return undefined;
    const level = (this.#baselineBacklog ?? 0) + this.#opts.backlogTolerance;
    const drained = this.#backlog.find((b) => b.atMs >= loadEndMs && b.value <= level);
    return drained === undefined ? undefined : drained.atMs - loadEndMs;
  }

  #latencyMs(loadEndMs: number): number | undefined {
    if (this.#baselineLatency === undefined) return undefined;
    const level = this.#level();
    const after = this.#probes.filter((p) => p.atMs >= loadEndMs);
    for (let i = 0; i + PROBES_TO_CONFIRM <= after.length; i++) {
      const run = after.slice(i, i + PROBES_TO_CONFIRM);
      if (run.every((p) => p.ok && p.durationMs <= level)) return (run[0] as ProbeResult).atMs - loadEndMs;
    }
    return undefined;
  }

  #tick(): void {
    if (this.#inFlight !== undefined || this.#stopped) return;
    this.#inFlight = this.#probe().finally(() => (this.#inFlight = undefined));
  }

  async #probe(): Promise<void> {
    const probe = this.#opts.probe;
    if (probe === undefined) return;
    const atMs = Date.now();
    const t0 = performance.now();
    let ok = false;
    try {
      const res = await fetch(probe.url, { headers: probe.headers, signal: AbortSignal.timeout(probe.timeoutMs) });
      await res.arrayBuffer();
      ok = res.ok;
    } catch {
      ok = false;
    }
    const durationMs = performance.now() - t0;
    const phase = this.#phase;
    this.#probes.push({ atMs, durationMs, ok });
    this.#sink.add(this.#ids.probeFailed, this.#tagSets[phase], ok ? 0 : 1);
    if (ok) this.#sink.add(this.#ids.probeDuration, this.#tagSets[phase], durationMs);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
