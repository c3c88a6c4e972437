import { availableParallelism } from 'node:os';
import { maxVUsOf } from '../executors/plan.js';
import { startObservers } from '../observe/target-observer.js';
import { startPrometheusQueries, type PrometheusQueries } from '../observe/prometheus-query-run.js';
import { RecoveryWatcher } from '../observe/recovery-watcher.js';
import { sharedEntries } from '../runtime/shared-registry.js';
import { openFileLimit, planConnections } from './connection-budget.js';
import type { RunContext, RunResources, RunState } from './run-state.js';
import type { RunTestInput } from './run-types.js';
import { EndDeadline } from './stuck-workers.js';
import { WorkerPool } from './worker-pool.js';

/** The load, once started: its clock and what watches the target while it runs. */
export interface StartedLoad {
  readonly startedAtEpochMs: number;
  readonly watcher: RecoveryWatcher | undefined;
  /** Aborted by either signal: ends the baseline and the recovery waits early. */
  readonly stopOrKill: AbortSignal;
  readonly observers: { stop(): Promise<void> };
  readonly prometheusQueries: PrometheusQueries;
}

/**
 * Plans the worker threads (count, connection budget), loads the script in each, and attaches the
 * pool to `state.stopAll`. A worker-side abort (`exec.test.abort()`) stops every worker hard.
 */
export async function loadWorkers(ctx: RunContext, resources: RunResources): Promise<{ pool: WorkerPool; deadline: EndDeadline }> {
  const { input, options, bundle, state, env } = ctx;
  const shared = sharedEntries();
  const totalMaxVus = options.scenarios.reduce((n, s) => n + maxVUsOf(s), 0);
  const workerCount = Math.max(1, Math.min(input.workers ?? availableParallelism(), Math.max(1, totalMaxVus)));
  const connections = planConnections({ requested: input.connectionsPerOrigin, maxVus: totalMaxVus, workers: workerCount, fdLimit: openFileLimit() });
  if (connections.warning) state.warn(connections.warning);
  const inits = Array.from({ length: workerCount }, (_, workerIndex) => ({
    bundleUrl: bundle.bundleUrl,
    sourcePath: bundle.sourcePath,
    workerIndex,
    workerCount,
    options,
    env,
    connectionsPerOrigin: connections.perOriginPerWorker,
    shared,
    sampleStream: ctx.outputs.sampleStream,
  }));
  const pool = new WorkerPool(inits, (message) => {
    state.noteScriptAbort(message);
    state.stopAll(true, 'end');
  });
  resources.pool = pool;
  const deadline = new EndDeadline(options);
  state.attach(pool, deadline);
  await pool.load();
  ctx.events.onPlan?.({ options, workers: workerCount, script: bundle.sourcePath });
  return { pool, deadline };
}

/**
 * From here on the stop signal ends the run gracefully and the kill signal hard. A stop signal
 * that came during init or setup takes effect now. `remove()` runs once the summary is built.
 */
export function listenForSignals(input: RunTestInput, state: RunState): { remove(): void } {
  const onStop = () => {
    state.interruption ??= { by: 'signal', hard: false };
    state.stopAll(false, 'signal');
  };
  const onKill = () => {
    state.interruption = { by: 'signal', hard: true };
    state.stopAll(true, 'signal');
  };
  input.stopSignal?.addEventListener('abort', onStop, { once: true });
  input.killSignal?.addEventListener('abort', onKill, { once: true });
  if (input.stopSignal?.aborted) onStop();
  return {
    remove() {
      input.stopSignal?.removeEventListener('abort', onStop);
      input.killSignal?.removeEventListener('abort', onKill);
    },
  };
}

/**
 * Starts the load: target observers, the recovery baseline when asked, Prometheus queries, the
 * live outputs, then the workers and the end deadline, all on one clock (`startedAtEpochMs`).
 */
export async function startLoad(
  ctx: RunContext,
  resources: RunResources,
  run: { readonly runtime: { testStartMs: number }; readonly pool: WorkerPool; readonly deadline: EndDeadline; readonly setupData: unknown },
): Promise<StartedLoad> {
  const { input, options, collector, events, state } = ctx;
  // Target observation covers the load, not setup: scrapes start now and end before the last snapshot.
  const watcher = options.recovery === undefined ? undefined : new RecoveryWatcher(options.recovery, collector, options.tags);
  const observers = startObservers(options.observe.targets, collector, options.tags, (name, value, atMs) => {
    if (name === watcher?.backlogSeries) watcher.noteBacklog(value, atMs);
  });
  resources.observers = observers;
  const stopOrKill = AbortSignal.any([input.stopSignal, input.killSignal].filter((x): x is AbortSignal => x !== undefined));
  if (watcher !== undefined && options.recovery !== undefined) {
    // The pre-load window: the levels the system must return to after the load.
    events.onPhase?.('baseline');
    watcher.startBaseline();
    await abortableSleep(options.recovery.baselineMs, stopOrKill);
    watcher.baselineDone();
  }
  events.onPhase?.('running');
  const prometheusQueries = startPrometheusQueries(options.observe.prometheus, collector, options.tags, state.warn);
  resources.prometheusQueries = prometheusQueries;
  const startedAtEpochMs = Date.now() + 50;
  await ctx.outputs.start({ startedAtEpochMs, options, script: ctx.bundle.sourcePath });
  run.runtime.testStartMs = startedAtEpochMs;
  run.pool.start(startedAtEpochMs, run.setupData);
  run.deadline.start(startedAtEpochMs);
  return { startedAtEpochMs, watcher, stopOrKill, observers, prometheusQueries };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
