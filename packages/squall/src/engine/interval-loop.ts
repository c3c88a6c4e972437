import type { ResolvedOptions } from '../config/types.js';
import { maxVUsOf, scenarioDurationMs } from '../executors/plan.js';
import type { Aggregator } from '../metrics/aggregator.js';
import { describeRecovery } from '../observe/describe-recovery.js';
import type { RecoveryResult, RecoveryWatcher } from '../observe/recovery-watcher.js';
import { evaluateThresholds } from '../thresholds/evaluate.js';
import { sumProgress, type ScenarioProgressView } from './progress.js';
import type { RunContext } from './run-state.js';
import type { InterruptCause } from './stop-control.js';
import { describeStuck, type EndDeadline } from './stuck-workers.js';
import type { ScenarioProgress } from './worker-context.js';
import type { WorkerPool } from './worker-pool.js';

const INTERVAL_MS = 1000;

/** What a progress update says about a scenario besides its live counts. */
type ScenarioMeta = Omit<ScenarioProgressView, Exclude<keyof ScenarioProgress, 'name'>>;

/**
 * The run's 1 s intervals: each round snapshots the workers and the main thread, closes an interval
 * in the aggregator and feeds it to the live outputs (and a coordinator); the live loop also ends
 * stuck workers and judges abortOnFail thresholds. Created right after the load starts: its
 * intervals count from `startedAtEpochMs`.
 */
export class IntervalLoop {
  /** Distinct iteration exceptions with their total counts, keyed by scenario and text. */
  readonly errorTotals = new Map<string, { text: string; scenario: string; count: number }>();
  /** Latest time any worker sent a request (send-window.ts). */
  lastRequestSentMs: number | undefined;
  private intervalStart: number;
  private finished = false;
  private readonly scenarioMeta: readonly ScenarioMeta[];
  private readonly vusId: number;
  private readonly vusMaxId: number;
  private readonly baseTagSet: number;

  constructor(
    private readonly ctx: RunContext,
    private readonly pool: WorkerPool,
    private readonly deadline: EndDeadline,
    private readonly aggregator: Aggregator,
    private readonly trendStats: readonly string[],
    readonly startedAtEpochMs: number,
  ) {
    const { options, collector } = ctx;
    this.scenarioMeta = options.scenarios.map((s) => ({
      name: s.name,
      executor: s.executor,
      durationMs: scenarioDurationMs(s),
      startTimeMs: s.startTimeMs,
      maxVUs: maxVUsOf(s),
      plannedIterations: plannedIterations(s),
    }));
    this.vusId = collector.define({ name: 'vus', type: 'gauge', contains: 'default' });
    this.vusMaxId = collector.define({ name: 'vus_max', type: 'gauge', contains: 'default' });
    this.baseTagSet = collector.tagSet(options.tags);
    this.intervalStart = startedAtEpochMs;
    pool.allDone.then(() => (this.finished = true), () => (this.finished = true));
  }

  /** Live loop: one snapshot round per interval until every worker is done; then how the load ended. */
  async runLive(): Promise<void> {
    const { state, events, options } = this.ctx;
    const coordinator = this.ctx.input.coordinator;
    while (!this.finished) {
      await this.tickOr(this.pool.allDone.catch(() => {}));
      await this.collectRound();
      if (!this.finished && this.deadline.passed()) await this.endStuck();
      if (state.stopping && !this.finished) events.onPhase?.('stopping');
      const elapsed = Date.now() - this.startedAtEpochMs;
      this.aggregator.setDurationMs(elapsed);
      const fleetAbort = coordinator?.shouldAbort();
      if (fleetAbort !== undefined && state.interruption === undefined && state.scriptAbort === undefined) {
        state.interruption = { by: 'threshold', key: fleetAbort.key, source: fleetAbort.source };
        state.stopAll(true, 'abortOnFail');
      }
      // In a distributed run the coordinator judges thresholds on the fleet's merge (shouldAbort above).
      if (state.interruption === undefined && state.scriptAbort === undefined && coordinator?.judgesThresholds !== true) {
        const live = evaluateThresholds(options.thresholds, (t) => this.aggregator.values(t.metric, t.filter, this.trendStats), elapsed, 'live');
        if (live.abort) {
          state.interruption = { by: 'threshold', key: live.abort.key, source: live.abort.source };
          state.stopAll(true, 'abortOnFail');
        }
      }
    }
    // A worker's failure is the run's, unless a hard stop or the script's abort ended it.
    await this.pool.allDone.catch((err: unknown) => {
      if (!state.killed && state.scriptAbort === undefined) throw err;
    });
    if (state.scriptAbort !== undefined && state.interruption === undefined) state.interruption = { by: 'script', message: state.scriptAbort };
  }

  /**
   * The load is over; intervals keep closing (the backlog draining shows in the time series)
   * until the system is back to its pre-load levels or the timeout passes. Skipped after a hard
   * stop or the script's abort.
   */
  async recover(watcher: RecoveryWatcher | undefined, stopOrKill: AbortSignal, loadEndMs: number): Promise<RecoveryResult | undefined> {
    const { state, events, options } = this.ctx;
    if (watcher === undefined || state.killed || state.scriptAbort !== undefined) return undefined;
    events.onPhase?.('recovering');
    const recovering = watcher.recover(loadEndMs, stopOrKill);
    let recovered = false;
    void recovering.then(() => (recovered = true), () => (recovered = true));
    while (!recovered) {
      await this.tickOr(recovering);
      await this.collectRound();
    }
    const recovery = await recovering;
    for (const note of recovery.notes) state.warn(note);
    events.onInfo?.(describeRecovery(recovery, options.recovery?.backlog));
    return recovery;
  }

  /** One round: workers' snapshots and progress, the main thread's samples, one closed interval. */
  async collectRound(): Promise<void> {
    const { collector, outputs, events } = this.ctx;
    const replies = await this.pool.snapshot();
    const progress = sumProgress(replies.map((r) => r.progress));
    let active = 0;
    let allocated = 0;
    for (const p of progress.values()) {
      active += p.activeVUs;
      allocated += p.allocatedVUs;
    }
    collector.add(this.vusId, this.baseTagSet, active);
    collector.add(this.vusMaxId, this.baseTagSet, allocated);
    for (const r of replies) {
      if (r.lastRequestSentMs !== undefined) this.lastRequestSentMs = Math.max(this.lastRequestSentMs ?? 0, r.lastRequestSentMs);
      this.aggregator.ingest(r.snapshot);
      outputs.samples(r.snapshot);
      for (const e of r.errors) {
        const key = `${e.scenario}\u0000${e.text}`;
        const total = this.errorTotals.get(key);
        if (total) total.count += e.count;
        else {
          this.errorTotals.set(key, { ...e });
          events.onIterationError?.(e.text, e.scenario);
        }
      }
    }
    const own = collector.snapshot(Date.now());
    this.aggregator.ingest(own);
    outputs.samples(own);
    const now = Date.now();
    this.aggregator.closeInterval(this.intervalStart, now);
    this.intervalStart = now;
    this.feedOutputs();
    events.onProgress?.({
      elapsedMs: now - this.startedAtEpochMs,
      scenarios: this.scenarioMeta.map((m) => ({
        ...m,
        ...(progress.get(m.name) ?? { name: m.name, activeVUs: 0, allocatedVUs: 0, completed: 0, interrupted: 0, dropped: 0, done: false }),
      })),
    });
  }

  /**
   * The main thread's samples after the workers are gone (teardown's, the Prometheus queries').
   * They get an interval of their own, so the time series (and the live outputs, which read it)
   * add up to the summary.
   */
  closeLast(): void {
    const { collector, outputs } = this.ctx;
    const lastCut = collector.snapshot(Date.now());
    this.aggregator.ingest(lastCut);
    outputs.samples(lastCut);
    if (lastCut.series.length > 0) {
      this.aggregator.closeInterval(this.intervalStart, lastCut.cutAtMs);
      this.feedOutputs();
    }
  }

  private feedOutputs(): void {
    const point = this.aggregator.lastPoint();
    if (point !== undefined) this.ctx.outputs.interval(point, this.aggregator);
    if (point !== undefined) this.ctx.input.coordinator?.publishInterval(point);
  }

  /** Waits to the next whole interval of the test's clock. */
  /**
   * Waits for the next interval boundary or `other`, whichever comes first. The boundary's timer
   * is cleared when `other` wins: left pending it held the process open for up to an interval
   * after the last worker was done (every run ended about a second after its results).
   */
  private async tickOr(other: Promise<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const boundary = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, INTERVAL_MS - ((Date.now() - this.startedAtEpochMs) % INTERVAL_MS));
    });
    try {
      await Promise.race([boundary, other]);
    } finally {
      clearTimeout(timer);
    }
  }

  // Workers whose VUs never yield get no stop message: ended once the test's end has passed (stuck-workers.ts).
  private async endStuck(): Promise<void> {
    const { options, collector, state } = this.ctx;
    const stuck = await this.pool.terminateUnfinished(options.scenarios.map((s) => s.name));
    if (stuck.workers === 0) return;
    const cause: InterruptCause = state.interruption?.by === 'signal' ? 'signal' : 'gracefulStop';
    const interruptedId = collector.define({ name: 'iterations_interrupted', type: 'counter', contains: 'default' });
    for (const v of stuck.vus) {
      const scenario = options.scenarios.find((s) => s.name === v.scenario);
      collector.add(interruptedId, collector.tagSet({ ...options.tags, ...scenario?.tags, scenario: v.scenario, cause }), v.vus);
    }
    const why = state.interruption?.by === 'signal' ? (state.interruption.hard ? 'after the second Ctrl-C' : 'after Ctrl-C and gracefulStop') : 'after the test end and gracefulStop';
    state.warn(describeStuck(stuck.vus, stuck.workers, why));
  }
}

function plannedIterations(s: ResolvedOptions['scenarios'][number]): number | undefined {
  switch (s.executor) {
    case 'shared-iterations':
      return s.iterations;
    case 'per-vu-iterations':
      return s.iterations * s.vus;
    case 'constant-arrival-rate':
      return Math.ceil((s.rate * s.durationMs) / s.timeUnitMs);
    default:
      return undefined;
  }
}
