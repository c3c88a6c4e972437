import { dirname } from 'node:path';
import { Aggregator } from '../metrics/aggregator.js';
import { Collector } from '../metrics/collector.js';
import { installSharedEntries } from '../runtime/shared-registry.js';
import { setThreadRuntime } from '../runtime/thread-runtime.js';
import { statsNeeded } from '../thresholds/evaluate.js';
import { IntervalLoop } from './interval-loop.js';
import { runSetupPhase } from './lifecycle.js';
import { LiveOutputs } from './live-outputs.js';
import { listenForSignals, loadWorkers, startLoad } from './load-start.js';
import { finishRun } from './run-end.js';
import { RunState, type RunContext, type RunResources } from './run-state.js';
import type { RunTestInput, RunTestResult } from './run-types.js';
import { importScript, loadBundle, resolveScriptOptions } from './script-load.js';
import { createThreadRuntime } from './thread-setup.js';

export type { RunEvents, RunInterruption, RunTestInput, RunTestResult } from './run-types.js';

// A run, in order (each step in its own file so the order reads here):
//   script-load.ts  bundle, init probe, import, options
//   load-start.ts   workers, signals, baseline, outputs, the load's clock
//   lifecycle.ts    setup() and teardown()
//   interval-loop.ts the 1 s rounds: snapshots, live outputs, abortOnFail, stuck workers, recovery
//   run-end.ts      the last metrics, summary, final thresholds, handleSummary()
// run-state.ts holds what they share (why the run ends, stopAll, warnings).

type MainRuntime = ReturnType<typeof createThreadRuntime>;

/**
 * Runs a test script to completion and returns its summary. Never touches process state: the
 * caller maps the result (and thrown SquallErrors) to exit codes and output.
 */
export async function runTest(input: RunTestInput): Promise<RunTestResult> {
  const events = input.events ?? {};
  const env = { ...(input.env ?? {}) };
  const state = new RunState(events);
  events.onPhase?.('init');
  const { bundle, restoreExit } = await loadBundle(input, env);

  // Init code runs here too: for `options`, custom metric definitions, setup/teardown/handleSummary.
  const outputs = new LiveOutputs(input.outputs ?? [], state.warn);
  const collector = new Collector({ samples: outputs.sampleStream });
  const runtime = createThreadRuntime({
    sink: collector,
    env,
    options: undefined,
    scriptDir: dirname(bundle.sourcePath),
    abort: (message) => state.noteScriptAbort(message),
  });
  setThreadRuntime(runtime);
  installSharedEntries({});
  (globalThis as Record<string, unknown>).__ENV = env;
  const resources: RunResources = { pool: undefined, observers: undefined, prometheusQueries: undefined };
  try {
    const mod = await importScript(bundle);
    const options = resolveScriptOptions(input, mod, collector, state.warn);
    runtime.options = options;
    const ctx: RunContext = { input, env, events, state, bundle, mod, options, collector, outputs };
    return await runLoaded(ctx, runtime, resources);
  } finally {
    restoreExit();
    await outputs.stop();
    await resources.observers?.stop();
    await resources.prometheusQueries?.stop();
    await resources.pool?.terminate();
    await runtime.closeHttp();
    setThreadRuntime(undefined);
    await bundle.dispose();
  }
}

/** The run once the script is loaded and its options resolved: workers, setup, load, recovery, end. */
async function runLoaded(ctx: RunContext, runtime: MainRuntime, resources: RunResources): Promise<RunTestResult> {
  const { options } = ctx;
  const { pool, deadline } = await loadWorkers(ctx, resources);
  const aggregator = new Aggregator({
    subMetrics: options.thresholds.filter((t) => Object.keys(t.filter).length > 0).map((t) => ({ metric: t.metric, filter: t.filter, key: t.key })),
  });
  const trendStats = [...new Set([...options.summaryTrendStats, ...statsNeeded(options.thresholds)])];
  const setupData = await runSetupPhase(ctx);
  const signals = listenForSignals(ctx.input, ctx.state);
  const load = await startLoad(ctx, resources, { runtime, pool, deadline, setupData });
  const loop = new IntervalLoop(ctx, pool, deadline, aggregator, trendStats, load.startedAtEpochMs);
  await loop.runLive();
  const loadEndMs = Date.now();
  const recovery = await loop.recover(load.watcher, load.stopOrKill, loadEndMs);
  return finishRun(ctx, resources, { load, loop, pool, aggregator, trendStats, setupData, loadEndMs, recovery, signals });
}
