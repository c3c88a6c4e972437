import { HttpErrorCode } from '../http/error-codes.js';
import type { Aggregator, SubMetricSpec } from '../metrics/aggregator.js';
import type { SummaryData } from '../metrics/types.js';
import type { RecoveryResult } from '../observe/recovery-watcher.js';
import { attachThresholds, evaluateThresholds } from '../thresholds/evaluate.js';
import type { IntervalLoop } from './interval-loop.js';
import { runTeardownPhase } from './lifecycle.js';
import type { StartedLoad } from './load-start.js';
import type { RunContext, RunResources } from './run-state.js';
import type { RunTestResult } from './run-types.js';
import { plannedArrivals, sendWindowMs } from './send-window.js';
import type { WorkerPool } from './worker-pool.js';

/** What the end of a run works from: the load as it started and ended, and its metrics so far. */
export interface EndingRun {
  readonly load: StartedLoad;
  readonly loop: IntervalLoop;
  readonly pool: WorkerPool;
  readonly aggregator: Aggregator;
  readonly trendStats: readonly string[];
  readonly setupData: unknown;
  readonly loadEndMs: number;
  readonly recovery: RecoveryResult | undefined;
  readonly signals: { remove(): void };
}

/**
 * After the load (and the recovery wait): stop watching, end the workers, teardown, the last
 * metrics, the summary with final thresholds and handleSummary(). Order matters: the observers'
 * and workers' last samples are in before teardown runs, and the live outputs stop before the
 * summary is built.
 */
export async function finishRun(ctx: RunContext, resources: RunResources, end: EndingRun): Promise<RunTestResult> {
  const { load, loop } = end;
  load.watcher?.stopProbing();
  await load.observers.stop();
  await load.prometheusQueries.stop();
  await loop.collectRound().catch(() => {});
  // The test's duration is the load's: not the recovery wait, the last scrape or the queries after it.
  const durationMs = end.loadEndMs - load.startedAtEpochMs;
  await end.pool.terminate();
  resources.pool = undefined;

  await runTeardownPhase(ctx, end.setupData);
  const requestsSentWindowMs = await closeMetrics(ctx, end, durationMs);
  await ctx.outputs.stop();
  return buildResult(ctx, end, durationMs, requestsSentWindowMs);
}

/** The metrics after teardown: Prometheus queries over the load's window, the last cut, the rate windows. */
async function closeMetrics(ctx: RunContext, end: EndingRun, durationMs: number): Promise<number> {
  const { load, aggregator } = end;
  const startedAtEpochMs = load.startedAtEpochMs;
  // Prometheus server queries over the load's window (observe.prometheus); samples keep their own timestamps.
  await load.prometheusQueries.queryWindow(startedAtEpochMs, startedAtEpochMs + durationMs, aggregator, ctx.input.killSignal);
  end.loop.closeLast();
  aggregator.setDurationMs(durationMs);
  const stopRequestedAtEpochMs = ctx.state.stopRequestedAtEpochMs;
  const stoppedAtMs = stopRequestedAtEpochMs === undefined ? undefined : Math.max(0, stopRequestedAtEpochMs - startedAtEpochMs);
  const requestsSentWindowMs = sendWindowMs({ durationMs, lastSentMs: end.loop.lastRequestSentMs, scenarios: ctx.options.scenarios, stoppedAtMs });
  aggregator.setRateWindowMs('http_reqs_sent', requestsSentWindowMs);
  return requestsSentWindowMs;
}

async function buildResult(ctx: RunContext, end: EndingRun, durationMs: number, requestsSentWindowMs: number): Promise<RunTestResult> {
  const { options, state, input } = ctx;
  const { aggregator } = end;
  ctx.events.onPhase?.('summary');
  const summary = aggregator.buildSummary({
    summaryTrendStats: options.summaryTrendStats,
    summaryTimeUnit: options.summaryTimeUnit,
    noColor: options.noColor,
    durationMs,
    isStdOutTTY: input.tty?.stdout ?? false,
    isStdErrTTY: input.tty?.stderr ?? false,
    extraSubMetrics: countBreakdowns(aggregator),
    requestsSentWindowMs,
    plannedIterations: state.interruption === undefined ? plannedArrivals(options) : undefined,
  });
  const final = evaluateThresholds(options.thresholds, (t) => aggregator.values(t.metric, t.filter, end.trendStats), durationMs, 'final');
  attachThresholds(summary, options.thresholds, final.results);
  const handleSummaryOutput = await runHandleSummary(ctx, summary);
  end.signals.remove();
  return {
    summary,
    options,
    thresholdResults: final.results,
    thresholdsOk: final.results.every((r) => r.ok),
    interruption: state.interruption,
    timeSeries: end.load.prometheusQueries.placeIn(aggregator.timeSeries()),
    handleSummaryOutput,
    iterationErrors: [...end.loop.errorTotals.values()],
    startedAtEpochMs: end.load.startedAtEpochMs,
    warnings: state.warnings,
    recovery: end.recovery,
  };
}

/** As in k6, a failing handleSummary() is logged and the default summary is shown instead. */
async function runHandleSummary(ctx: RunContext, summary: SummaryData): Promise<Record<string, unknown> | undefined> {
  const { mod, state } = ctx;
  if (typeof mod.handleSummary !== 'function') return undefined;
  let out: unknown;
  try {
    out = await (mod.handleSummary as (d: SummaryData) => unknown)(summary);
  } catch (e) {
    state.warn(`handleSummary() failed: ${e instanceof Error ? e.message : String(e)}; the default summary is shown instead`);
  }
  if (out !== null && typeof out === 'object') return out as Record<string, unknown>;
  if (out !== undefined) state.warn('handleSummary() should return an object such as { stdout: "...", "out.json": "..." }; its result was ignored');
  return undefined;
}

/** Sub-metrics that explain the counts: interrupted iterations by cause, sent requests left unanswered. */
function countBreakdowns(aggregator: Aggregator): SubMetricSpec[] {
  const causes = aggregator.tagValues('iterations_interrupted', 'cause').map((cause) => ({ metric: 'iterations_interrupted', filter: { cause } }));
  const unanswered = aggregator.tagValues('http_reqs_sent', 'error_code').includes(String(HttpErrorCode.interruptedByTestEnd));
  return [...causes, ...(unanswered ? [{ metric: 'http_reqs_sent', filter: { error_code: String(HttpErrorCode.interruptedByTestEnd) } }] : [])];
}
