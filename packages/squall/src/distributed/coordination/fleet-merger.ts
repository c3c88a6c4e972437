import type { ResolvedOptions } from '../../config/types.js';
import { Aggregator } from '../../metrics/aggregator.js';
import type { TimeSeriesPoint } from '../../metrics/time-series-point.js';
import type { MetricDef, MetricsSnapshot, SeriesSnapshot, SummaryData } from '../../metrics/types.js';
import { attachThresholds, evaluateThresholds, statsNeeded, type ThresholdResult } from '../../thresholds/evaluate.js';
import { instanceSegment } from '../instances.js';
import { codec, ctlSubject, dataStream, follow, heartbeatSubject, type ControlKind, type FleetTransport } from './transport.js';

/** What an instance reports when its run is over. */
export interface InstanceDone {
  readonly exitCode: number;
  readonly durationMs: number;
  readonly error?: string | undefined;
}

/** One instance as the merged result sees it. */
export interface FleetInstance {
  readonly index: number;
  readonly segment: string;
  readonly status: 'finished' | 'missing';
  readonly exitCode?: number | undefined;
  readonly durationMs?: number | undefined;
  /** For a missing instance: ms since the start when it was last heard from. */
  readonly lastSeenMs?: number | undefined;
  readonly error?: string | undefined;
}

/** The fleet's merged result: what `squall run --instances N` prints and exits with. */
export interface FleetResult {
  readonly summary: SummaryData;
  readonly thresholdResults: readonly ThresholdResult[];
  readonly thresholdsOk: boolean;
  readonly exitCode: number;
  readonly instances: readonly FleetInstance[];
  /** Segments whose every interval is in the merge. */
  readonly covered: readonly string[];
  /** Segments of instances that stopped reporting: the merge has only what they sent before. */
  readonly missing: readonly string[];
  readonly abort?: { readonly key: string; readonly source: string; readonly atMs: number } | undefined;
  readonly stats: MergerStats;
}

/** The coordinator's own cost, for the benchmark and docs/distributed.md. */
export interface MergerStats {
  intervalsReceived: number;
  bytesReceived: number;
  /** Time spent decoding and ingesting intervals, and judging thresholds at each tick. */
  mergeMs: number;
  ticks: number;
}

const INTERVAL_MS = 1000;

/** The point's aggregates as a snapshot the Aggregator ingests (as `squall merge` does). */
function pointSnapshot(point: TimeSeriesPoint): MetricsSnapshot {
  const defs: MetricDef[] = [];
  const series: SeriesSnapshot[] = [];
  for (const [name, m] of Object.entries(point.metrics)) {
    defs.push({ name, type: m.type, contains: m.contains });
    for (const s of m.series) series.push({ metric: name, tags: s.tags, agg: s.agg });
  }
  return { defs, series, cutAtMs: point.endMs };
}

/**
 * The coordinator (instance 0): reads every instance's intervals from JetStream, merges them
 * into one Aggregator, opens the start barrier, judges thresholds on the merge every interval,
 * notices instances that stop reporting, and builds the merged result.
 */
export class FleetMerger {
  readonly stats: MergerStats = { intervalsReceived: 0, bytesReceived: 0, mergeMs: 0, ticks: 0 };
  private readonly ready = new Set<number>();
  private readonly done = new Map<number, InstanceDone>();
  private readonly missing = new Map<number, number>();
  private readonly lastSeen = new Map<number, number>();
  private options: ResolvedOptions | undefined;
  private aggregator: Aggregator | undefined;
  private startedAt: number | undefined;
  private lastTick = 0;
  private abort: FleetResult['abort'];
  private ticker: NodeJS.Timeout | undefined;
  private barrierTimer: NodeJS.Timeout | undefined;
  private stopFollow: (() => void) | undefined;
  private waiters: { cond: () => boolean; resolve: () => void }[] = [];
  private readonly pending: TimeSeriesPoint[] = [];

  constructor(
    private readonly t: FleetTransport,
    private readonly count: number,
    private readonly heartbeatTimeoutMs: number,
    private readonly log: (m: string) => void,
  ) {}

  async open(): Promise<void> {
    const sub = this.t.nc.subscribe(heartbeatSubject(this.t.runId, '*'));
    void (async () => {
      for await (const m of sub) this.seen(Number(m.subject.split('.').pop()));
    })();
    const f = await follow(this.t, dataStream(this.t.runId), (subject, data, bytes) => this.onData(subject, data, bytes));
    this.stopFollow = () => {
      f.stop();
      sub.unsubscribe();
    };
  }

  /** Instance 0's options (thresholds, trend stats) arrive with its barrier call; the barrier opens when all N are ready. */
  armBarrier(options: ResolvedOptions, startTimeoutMs: number): void {
    this.options = options;
    this.aggregator = new Aggregator({
      subMetrics: options.thresholds.filter((t) => Object.keys(t.filter).length > 0).map((t) => ({ metric: t.metric, filter: t.filter, key: t.key })),
    });
    for (const p of this.pending.splice(0)) this.aggregator.ingest(pointSnapshot(p));
    this.barrierTimer = setTimeout(() => {
      if (this.startedAt !== undefined) return;
      const absent = this.indexes().filter((i) => !this.ready.has(i));
      this.publish('fail', { message: `the start barrier timed out after ${startTimeoutMs} ms: instance${absent.length === 1 ? '' : 's'} ${absent.map((i) => `${i} (segment ${instanceSegment(i, this.count).segment})`).join(', ')} never became ready` });
    }, startTimeoutMs);
    this.checkBarrier();
  }

  publish(kind: ControlKind, body: unknown): void {
    void this.t.js.publish(ctlSubject(this.t.runId, kind), codec.encode(body)).catch((err: Error) => this.log(`coordination: publishing ${kind} failed: ${err.message}`));
  }

  /** Resolves once every instance other than 0 has finished or been declared missing. */
  othersFinished(): Promise<void> {
    return this.until(() => this.indexes().every((i) => i === 0 || this.done.has(i) || this.missing.has(i)));
  }

  /** Waits for every instance (0 included) to finish or go missing, then builds the merged result. */
  async result(): Promise<FleetResult> {
    await this.until(() => this.indexes().every((i) => this.done.has(i) || this.missing.has(i)));
    clearInterval(this.ticker);
    clearTimeout(this.barrierTimer);
    this.stopFollow?.();
    return this.build();
  }

  private indexes(): number[] {
    return Array.from({ length: this.count }, (_, i) => i);
  }

  private until(cond: () => boolean): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ cond, resolve }));
  }

  private wake(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.cond()) return true;
      w.resolve();
      return false;
    });
  }

  private seen(index: number): void {
    if (Number.isInteger(index)) this.lastSeen.set(index, Date.now());
  }

  private onData(subject: string, data: unknown, bytes: number): void {
    const [kind, idx] = subject.split('.').slice(-2);
    const index = Number(idx);
    this.seen(index);
    if (kind === 'ready') {
      this.ready.add(index);
      this.checkBarrier();
    } else if (kind === 'iv') {
      const t0 = performance.now();
      const point = data as TimeSeriesPoint;
      if (this.aggregator === undefined) this.pending.push(point);
      else this.aggregator.ingest(pointSnapshot(point));
      this.stats.intervalsReceived++;
      this.stats.bytesReceived += bytes;
      this.stats.mergeMs += performance.now() - t0;
    } else if (kind === 'done') {
      this.done.set(index, data as InstanceDone);
      this.missing.delete(index);
    }
    this.wake();
  }

  private checkBarrier(): void {
    if (this.startedAt !== undefined || this.options === undefined || this.ready.size < this.count) return;
    this.startedAt = Date.now();
    this.lastTick = this.startedAt;
    clearTimeout(this.barrierTimer);
    for (const i of this.indexes()) this.lastSeen.set(i, Math.max(this.lastSeen.get(i) ?? 0, this.startedAt));
    this.publish('start', { atMs: this.startedAt });
    this.ticker = setInterval(() => this.tick(), INTERVAL_MS);
  }

  /** Every interval: heartbeats, then thresholds on the merge so far. */
  private tick(): void {
    const now = Date.now();
    const started = this.startedAt ?? now;
    for (const i of this.indexes()) {
      if (this.done.has(i) || this.missing.has(i)) continue;
      const last = this.lastSeen.get(i) ?? started;
      if (now - last > this.heartbeatTimeoutMs) {
        this.missing.set(i, last - started);
        this.log(`coordination: instance ${i} (segment ${instanceSegment(i, this.count).segment}) stopped reporting ${((now - last) / 1000).toFixed(1)} s ago; the run is incomplete`);
      }
    }
    const t0 = performance.now();
    const agg = this.aggregator;
    const options = this.options;
    if (agg !== undefined && options !== undefined) {
      agg.closeInterval(this.lastTick, now);
      this.lastTick = now;
      agg.setDurationMs(now - started);
      if (this.abort === undefined) {
        const live = evaluateThresholds(options.thresholds, (t) => agg.values(t.metric, t.filter, this.trendStats()), now - started, 'live');
        if (live.abort) {
          this.abort = { key: live.abort.key, source: live.abort.source, atMs: now - started };
          this.log(`coordination: threshold ${live.abort.key}: '${live.abort.source}' failed on the fleet with abortOnFail; stopping every instance`);
          this.publish('abort', this.abort);
        }
      }
    }
    this.stats.mergeMs += performance.now() - t0;
    this.stats.ticks++;
    this.wake();
  }

  private trendStats(): string[] {
    const o = this.options;
    return o === undefined ? [] : [...new Set([...o.summaryTrendStats, ...statsNeeded(o.thresholds)])];
  }

  private build(): FleetResult {
    const options = this.options;
    const agg = this.aggregator;
    if (options === undefined || agg === undefined) throw new Error('the fleet never started');
    const now = Date.now();
    agg.closeInterval(this.lastTick, now);
    const durationMs = Math.max(0, ...[...this.done.values()].map((d) => d.durationMs));
    agg.setDurationMs(durationMs);
    const summary = agg.buildSummary({ summaryTrendStats: options.summaryTrendStats, summaryTimeUnit: options.summaryTimeUnit, noColor: options.noColor, durationMs, isStdOutTTY: false, isStdErrTTY: false });
    const final = evaluateThresholds(options.thresholds, (t) => agg.values(t.metric, t.filter, this.trendStats()), durationMs, 'final');
    attachThresholds(summary, options.thresholds, final.results);
    const instances: FleetInstance[] = this.indexes().map((i) => {
      const segment = instanceSegment(i, this.count).segment;
      const d = this.done.get(i);
      return d === undefined
        ? { index: i, segment, status: 'missing', lastSeenMs: this.missing.get(i) }
        : { index: i, segment, status: 'finished', exitCode: d.exitCode, durationMs: d.durationMs, error: d.error };
    });
    const thresholdsOk = final.results.every((r) => r.ok);
    const failedCode = instances.find((x) => x.exitCode !== undefined && x.exitCode !== 0 && x.exitCode !== 99)?.exitCode;
    const missing = instances.filter((x) => x.status === 'missing').map((x) => x.segment);
    const exitCode = missing.length > 0 ? 109 : failedCode !== undefined ? failedCode : this.abort !== undefined || !thresholdsOk ? 99 : 0;
    return {
      summary,
      thresholdResults: final.results,
      thresholdsOk,
      exitCode,
      instances,
      covered: instances.filter((x) => x.status === 'finished').map((x) => x.segment),
      missing,
      abort: this.abort,
      stats: this.stats,
    };
  }
}
