import { setupDataCopy } from './setup-data.js';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { resolveOptions, type OptionOverrides } from '../config/resolve.js';
import type { ResolvedOptions } from '../config/types.js';
import { ConfigError, ScriptLoadError, SquallError, type ConfigProblem } from '../errors.js';
import { maxVUsOf, scenarioDurationMs } from '../executors/plan.js';
import { Aggregator, type SubMetricSpec } from '../metrics/aggregator.js';
import { HttpErrorCode } from '../http/error-codes.js';
import { BUILTIN_METRICS } from '../metrics/builtin.js';
import { Collector } from '../metrics/collector.js';
import type { MetricType, MetricsSnapshot, SummaryData } from '../metrics/types.js';
import { DEFAULT_MAX_SAMPLES_PER_INTERVAL, type SampleStreamOptions } from '../metrics/sample-stream.js';
import { bundleScript } from '../script/bundle.js';
import { attachThresholds, evaluateThresholds, statsNeeded, type ThresholdResult } from '../thresholds/evaluate.js';
import type { TimeSeriesPoint } from '../metrics/aggregator.js';
import { installSharedEntries, sharedEntries } from '../runtime/shared-registry.js';
import { setThreadRuntime } from '../runtime/thread-runtime.js';
import { vuContextStorage } from '../runtime/vu-context.js';
import { openFileLimit, planConnections } from './connection-budget.js';
import { errorText } from './error-text.js';
import { sumProgress, type ProgressUpdate } from './progress.js';
import { createThreadRuntime } from './thread-setup.js';
import { plannedArrivals, sendWindowMs } from './send-window.js';
import type { InterruptCause } from './stop-control.js';
import { WorkerPool } from './worker-pool.js';
import { probeInitCode } from './init-probe.js';
import { describeStuck, EndDeadline } from './stuck-workers.js';
import { installExitGuard } from '../runtime/exit-guard.js';
import { startObservers } from '../observe/target-observer.js';
import { startPrometheusQueries, type PrometheusQueries } from '../observe/prometheus-query-run.js';
import { describeRecovery } from '../observe/describe-recovery.js';
import { RecoveryWatcher, type RecoveryResult } from '../observe/recovery-watcher.js';
import type { LiveOutput } from '../outputs/live-output.js';
import type { RunCoordinator } from './coordinator-hook.js';

/** What `runTest` needs. */
export interface RunTestInput {
  /** Path of the test script (.ts/.js ES module). */
  readonly script: string;
  /** Options merged over the script's exported `options` (programmatic use). */
  readonly options?: Record<string, unknown> | undefined;
  /** Options under the script's exported `options` (a `--config` file): the script's win, key by key. */
  readonly baseOptions?: Record<string, unknown> | undefined;
  /** CLI-level overrides (they win over script options). */
  readonly overrides?: OptionOverrides | undefined;
  /** Problems already found in the caller's input (e.g. CLI flags), reported together with the script's. */
  readonly problems?: readonly ConfigProblem[] | undefined;
  /** Environment visible to the script as `__ENV` / `env`. */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Worker threads (default: one per core, never more than the VUs can use). */
  readonly workers?: number | undefined;
  /** Most connections per origin per worker (default: unbounded). */
  readonly connectionsPerOrigin?: number | undefined;
  /** Aborted: stop gracefully (iterations get their gracefulStop), then teardown and summary. */
  readonly stopSignal?: AbortSignal | undefined;
  /** Aborted: abandon in-flight iterations now; teardown is skipped; the summary is still built. */
  readonly killSignal?: AbortSignal | undefined;
  readonly events?: RunEvents | undefined;
  /** Whether stdout/stderr are terminals (reported in the summary's `state`). */
  readonly tty?: { stdout: boolean; stderr: boolean } | undefined;
  /** Rewrites the script's exported options (after `options` above are merged) before they are validated; e.g. one step of `squall max-rate`. */
  readonly transformScriptOptions?: ((scriptOptions: unknown) => unknown) | undefined;
  /** Destinations fed every interval while the test runs (see outputs/live-output.ts). */
  readonly outputs?: readonly LiveOutput[] | undefined;
  /** One instance of a distributed run: start barrier, fleet-wide setup/teardown and thresholds (engine/coordinator-hook.ts). */
  readonly coordinator?: RunCoordinator | undefined;
}

/** Callbacks for what a person watching the run wants to see. All optional. */
export interface RunEvents {
  onWarning?(message: string): void;
  onPhase?(phase: 'init' | 'setup' | 'baseline' | 'running' | 'stopping' | 'recovering' | 'teardown' | 'summary'): void;
  /** Something worth a line for the person running the test (e.g. the recovery outcome). */
  onInfo?(message: string): void;
  onProgress?(update: ProgressUpdate): void;
  /** Once the options are resolved and the workers are loaded, before setup(): what will run. */
  onPlan?(plan: { readonly options: ResolvedOptions; readonly workers: number; readonly script: string }): void;
  /** First occurrence of each distinct iteration exception. */
  onIterationError?(text: string, scenario: string): void;
}

/** How the run ended, when it did not run to completion. */
export type RunInterruption =
  | { readonly by: 'signal'; readonly hard: boolean }
  | { readonly by: 'script'; readonly message: string }
  | { readonly by: 'threshold'; readonly key: string; readonly source: string };

/** What `runTest` returns. */
export interface RunTestResult {
  readonly summary: SummaryData;
  readonly options: ResolvedOptions;
  readonly thresholdResults: readonly ThresholdResult[];
  readonly thresholdsOk: boolean;
  readonly interruption: RunInterruption | undefined;
  readonly timeSeries: readonly TimeSeriesPoint[];
  /** `handleSummary(data)`'s return value when the script exports it. */
  readonly handleSummaryOutput: Readonly<Record<string, unknown>> | undefined;
  /** Distinct iteration exceptions with their total counts. */
  readonly iterationErrors: readonly { text: string; scenario: string; count: number }[];
  readonly startedAtEpochMs: number;
  readonly warnings: readonly string[];
  /** How the system recovered after the load, when the `recovery` option asked (docs/recovery.md). */
  readonly recovery: RecoveryResult | undefined;
}

const INTERVAL_MS = 1000;

/**
 * Runs a test script to completion and returns its summary. Never touches process state: the
 * caller maps the result (and thrown SquallErrors) to exit codes and output.
 */
export async function runTest(input: RunTestInput): Promise<RunTestResult> {
  const events = input.events ?? {};
  const env = { ...(input.env ?? {}) };
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    events.onWarning?.(m);
  };
  events.onPhase?.('init');
  const bundle = await bundleScript(input.script);
  process.setSourceMapsEnabled(true);
  // Scripts cannot end the process (runtime/exit-guard.ts); init code that does not return cannot hold the main thread (init-probe.ts).
  const restoreExit = installExitGuard(true);
  const initSignals = [input.stopSignal, input.killSignal].filter((x): x is AbortSignal => x !== undefined);
  try {
    await probeInitCode({ bundleUrl: bundle.bundleUrl, sourcePath: bundle.sourcePath, env }, initSignals.length > 0 ? AbortSignal.any(initSignals) : undefined);
  } catch (err) {
    restoreExit();
    await bundle.dispose();
    throw err;
  }

  // Init code runs here too: for `options`, custom metric definitions, setup/teardown/handleSummary.
  const sampleStream = sampleStreamFor(input.outputs ?? []);
  const mainCollector = new Collector({ samples: sampleStream });
  let scriptAbort: string | undefined;
  const runtime = createThreadRuntime({
    sink: mainCollector,
    env,
    options: undefined,
    scriptDir: dirname(bundle.sourcePath),
    abort: (message) => {
      scriptAbort ??= message;
    },
  });
  setThreadRuntime(runtime);
  installSharedEntries({});
  (globalThis as Record<string, unknown>).__ENV = env;
  let pool: WorkerPool | undefined;
  let observers: { stop(): Promise<void> } | undefined;
  let prometheusQueries: PrometheusQueries | undefined;
  const liveOutputs = input.outputs ?? [];
  let outputsStarted = false;
  const stopOutputs = async () => {
    if (!outputsStarted) return;
    outputsStarted = false;
    for (const o of liveOutputs) {
      try {
        for (const w of await o.stop()) warn(w);
      } catch (err) {
        warn(`${o.description}: ${(err as Error).message}`);
      }
    }
  };
  try {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(bundle.bundleUrl)) as Record<string, unknown>;
    } catch (err) {
      const { head, location } = errorText(err, bundle.sourcePath);
      throw new ScriptLoadError(head, location, { cause: err });
    }

    const knownMetrics = new Map<string, MetricType>(BUILTIN_METRICS.map((m) => [m.name, m.type]));
    for (const def of mainCollector.defs()) knownMetrics.set(def.name, def.type);
    const merged = mergeOptions(underScript(input.baseOptions, mod.options), input.options);
    const scriptOptions = input.transformScriptOptions === undefined ? merged : input.transformScriptOptions(merged);
    const resolved = resolveWithProblems(
      () => resolveOptions({ scriptOptions, overrides: input.overrides ?? {}, knownMetrics }),
      input.problems ?? [],
    );
    for (const w of resolved.warnings) warn(w);
    const options = resolved.options;
    checkExports(options, mod);
    runtime.options = options;

    const shared = sharedEntries();
    const totalMaxVus = options.scenarios.reduce((n, s) => n + maxVUsOf(s), 0);
    const workerCount = Math.max(1, Math.min(input.workers ?? availableParallelism(), Math.max(1, totalMaxVus)));
    const connections = planConnections({ requested: input.connectionsPerOrigin, maxVus: totalMaxVus, workers: workerCount, fdLimit: openFileLimit() });
    if (connections.warning) warn(connections.warning);
    const inits = Array.from({ length: workerCount }, (_, workerIndex) => ({
      bundleUrl: bundle.bundleUrl,
      sourcePath: bundle.sourcePath,
      workerIndex,
      workerCount,
      options,
      env,
      connectionsPerOrigin: connections.perOriginPerWorker,
      shared,
      sampleStream,
    }));
    pool = new WorkerPool(inits, (message) => {
      scriptAbort ??= message;
      stopAll(true, 'end');
    });
    const activePool = pool;
    let interruption: RunInterruption | undefined;
    let stopping = false;
    let stopRequestedAtEpochMs: number | undefined;
    const deadline = new EndDeadline(options);
    function stopAll(hard: boolean, cause: InterruptCause): void {
      stopRequestedAtEpochMs ??= Date.now();
      deadline.stopRequested(hard);
      if (hard) {
        activePool.stop(true, cause);
      } else if (!stopping) {
        activePool.stop(false, cause);
      }
      stopping = true;
    }
    await pool.load();
    events.onPlan?.({ options, workers: workerCount, script: bundle.sourcePath });

    const aggregator = new Aggregator({
      subMetrics: options.thresholds.filter((t) => Object.keys(t.filter).length > 0).map((t) => ({ metric: t.metric, filter: t.filter, key: t.key })),
    });
    const trendStats = [...new Set([...options.summaryTrendStats, ...statsNeeded(options.thresholds)])];

    // setup() runs once, here; its result (as JSON) goes to every VU and to teardown().
    let setupData: unknown;
    const runSetup = async (): Promise<unknown> => {
      if (typeof mod.setup !== 'function') return undefined;
      events.onPhase?.('setup');
      const data = await runLifecycle('setup', mod.setup as (d?: unknown) => unknown, undefined, options.setupTimeoutMs, options.tags, bundle.sourcePath);
      return setupDataCopy(data, bundle.sourcePath);
    };
    const coordinator = input.coordinator;
    if (coordinator !== undefined) {
      await coordinator.awaitStart(options);
      setupData = await coordinator.setupData(runSetup);
    } else {
      setupData = await runSetup();
    }
    if (scriptAbort !== undefined) throw new SquallError('SQUALL_SCRIPT_ABORTED', scriptAbort);

    const onStop = () => {
      interruption ??= { by: 'signal', hard: false };
      stopAll(false, 'signal');
    };
    const onKill = () => {
      interruption = { by: 'signal', hard: true };
      stopAll(true, 'signal');
    };
    input.stopSignal?.addEventListener('abort', onStop, { once: true });
    input.killSignal?.addEventListener('abort', onKill, { once: true });
    if (input.stopSignal?.aborted) onStop();

    // Target observation covers the load, not setup: scrapes start now and end before the last snapshot.
    const watcher = options.recovery === undefined ? undefined : new RecoveryWatcher(options.recovery, mainCollector, options.tags);
    observers = startObservers(options.observe.targets, mainCollector, options.tags, (name, value, atMs) => {
      if (name === watcher?.backlogSeries) watcher.noteBacklog(value, atMs);
    });
    const stopOrKill = AbortSignal.any([input.stopSignal, input.killSignal].filter((x): x is AbortSignal => x !== undefined));
    if (watcher !== undefined && options.recovery !== undefined) {
      // The pre-load window: the levels the system must return to after the load.
      events.onPhase?.('baseline');
      watcher.startBaseline();
      await abortableSleep(options.recovery.baselineMs, stopOrKill);
      watcher.baselineDone();
    }
    events.onPhase?.('running');
    prometheusQueries = startPrometheusQueries(options.observe.prometheus, mainCollector, options.tags, warn);
    const startedAtEpochMs = Date.now() + 50;
    outputsStarted = true;
    for (const o of liveOutputs) await o.start({ startedAtEpochMs, options, script: bundle.sourcePath });
    runtime.testStartMs = startedAtEpochMs;
    pool.start(startedAtEpochMs, setupData);
    deadline.start(startedAtEpochMs);

    const errorTotals = new Map<string, { text: string; scenario: string; count: number }>();
    const scenarioMeta = options.scenarios.map((s) => ({
      name: s.name,
      executor: s.executor,
      durationMs: scenarioDurationMs(s),
      startTimeMs: s.startTimeMs,
      maxVUs: maxVUsOf(s),
      plannedIterations: plannedIterations(s),
    }));
    const vusId = mainCollector.define({ name: 'vus', type: 'gauge', contains: 'default' });
    const vusMaxId = mainCollector.define({ name: 'vus_max', type: 'gauge', contains: 'default' });
    const baseTagSet = mainCollector.tagSet(options.tags);
    let intervalStart = startedAtEpochMs;
    let lastRequestSentMs: number | undefined;
    let finished = false;
    pool.allDone.then(() => (finished = true), () => (finished = true));

    const feedOutputs = () => {
      const point = aggregator.lastPoint();
      if (point !== undefined) for (const o of liveOutputs) o.interval(point, aggregator);
      if (point !== undefined) coordinator?.publishInterval(point);
    };
    const collectRound = async () => {
      const replies = await activePool.snapshot();
      const progress = sumProgress(replies.map((r) => r.progress));
      let active = 0;
      let allocated = 0;
      for (const p of progress.values()) {
        active += p.activeVUs;
        allocated += p.allocatedVUs;
      }
      mainCollector.add(vusId, baseTagSet, active);
      mainCollector.add(vusMaxId, baseTagSet, allocated);
      for (const r of replies) {
        if (r.lastRequestSentMs !== undefined) lastRequestSentMs = Math.max(lastRequestSentMs ?? 0, r.lastRequestSentMs);
        aggregator.ingest(r.snapshot);
        feedSamples(liveOutputs, r.snapshot);
        for (const e of r.errors) {
          const key = `${e.scenario}\u0000${e.text}`;
          const total = errorTotals.get(key);
          if (total) total.count += e.count;
          else {
            errorTotals.set(key, { ...e });
            events.onIterationError?.(e.text, e.scenario);
          }
        }
      }
      const own = mainCollector.snapshot(Date.now());
      aggregator.ingest(own);
      feedSamples(liveOutputs, own);
      const now = Date.now();
      aggregator.closeInterval(intervalStart, now);
      intervalStart = now;
      feedOutputs();
      events.onProgress?.({
        elapsedMs: now - startedAtEpochMs,
        scenarios: scenarioMeta.map((m) => ({
          ...m,
          ...(progress.get(m.name) ?? { name: m.name, activeVUs: 0, allocatedVUs: 0, completed: 0, interrupted: 0, dropped: 0, done: false }),
        })),
      });
    };

    // Workers whose VUs never yield get no stop message: ended once the test's end has passed (stuck-workers.ts).
    const endStuck = async () => {
      const stuck = await activePool.terminateUnfinished(options.scenarios.map((s) => s.name));
      if (stuck.workers === 0) return;
      const cause: InterruptCause = interruption?.by === 'signal' ? 'signal' : 'gracefulStop';
      const interruptedId = mainCollector.define({ name: 'iterations_interrupted', type: 'counter', contains: 'default' });
      for (const v of stuck.vus) {
        const scenario = options.scenarios.find((s) => s.name === v.scenario);
        mainCollector.add(interruptedId, mainCollector.tagSet({ ...options.tags, ...scenario?.tags, scenario: v.scenario, cause }), v.vus);
      }
      const why = interruption?.by === 'signal' ? (interruption.hard ? 'after the second Ctrl-C' : 'after Ctrl-C and gracefulStop') : 'after the test end and gracefulStop';
      warn(describeStuck(stuck.vus, stuck.workers, why));
    };

    // Live loop: one snapshot round per interval; abortOnFail thresholds judged on the live merge.
    while (!finished) {
      const tick = new Promise<void>((resolve) => setTimeout(resolve, INTERVAL_MS - ((Date.now() - startedAtEpochMs) % INTERVAL_MS)));
      await Promise.race([tick, pool.allDone.catch(() => {})]);
      await collectRound();
      if (!finished && deadline.passed()) await endStuck();
      if (stopping && !finished) events.onPhase?.('stopping');
      const elapsed = Date.now() - startedAtEpochMs;
      aggregator.setDurationMs(elapsed);
      const fleetAbort = coordinator?.shouldAbort();
      if (fleetAbort !== undefined && interruption === undefined && scriptAbort === undefined) {
        interruption = { by: 'threshold', key: fleetAbort.key, source: fleetAbort.source };
        stopAll(true, 'abortOnFail');
      }
      if (interruption === undefined && scriptAbort === undefined && coordinator?.judgesThresholds !== true) {
        const live = evaluateThresholds(options.thresholds, (t) => aggregator.values(t.metric, t.filter, trendStats), elapsed, 'live');
        if (live.abort) {
          interruption = { by: 'threshold', key: live.abort.key, source: live.abort.source };
          stopAll(true, 'abortOnFail');
        }
      }
    }
    await pool.allDone.catch((err: unknown) => {
      if (!(interruption?.by === 'signal' && interruption.hard) && scriptAbort === undefined) throw err;
    });
    if (scriptAbort !== undefined && interruption === undefined) interruption = { by: 'script', message: scriptAbort };
    const loadEndMs = Date.now();
    let recovery: RecoveryResult | undefined;
    if (watcher !== undefined && !(interruption?.by === 'signal' && interruption.hard) && scriptAbort === undefined) {
      // The load is over; intervals keep closing (the backlog draining shows in the time series)
      // until the system is back to its pre-load levels or the timeout passes.
      events.onPhase?.('recovering');
      const recovering = watcher.recover(loadEndMs, stopOrKill);
      let recovered = false;
      void recovering.then(() => (recovered = true), () => (recovered = true));
      while (!recovered) {
        const tick = new Promise<void>((resolve) => setTimeout(resolve, INTERVAL_MS - ((Date.now() - startedAtEpochMs) % INTERVAL_MS)));
        await Promise.race([tick, recovering]);
        await collectRound();
      }
      recovery = await recovering;
      for (const note of recovery.notes) warn(note);
      events.onInfo?.(describeRecovery(recovery, options.recovery?.backlog));
    }
    watcher?.stopProbing();
    await observers.stop();
    await prometheusQueries.stop();
    await collectRound().catch(() => {});
    // The test's duration is the load's: not the recovery wait, the last scrape or the queries after it.
    const durationMs = loadEndMs - startedAtEpochMs;
    await pool.terminate();
    pool = undefined;

    const runTeardown = async (): Promise<void> => {
      if (typeof mod.teardown !== 'function' || (interruption?.by === 'signal' && interruption.hard)) return;
      events.onPhase?.('teardown');
      await runLifecycle('teardown', mod.teardown as (d?: unknown) => unknown, setupData, options.teardownTimeoutMs, options.tags, bundle.sourcePath);
    };
    if (coordinator !== undefined) await coordinator.finish(runTeardown);
    else await runTeardown();
    // Prometheus server queries over the load's window (observe.prometheus); samples keep their own timestamps.
    await prometheusQueries.queryWindow(startedAtEpochMs, startedAtEpochMs + durationMs, aggregator, input.killSignal);
    const lastCut = mainCollector.snapshot(Date.now());
    aggregator.ingest(lastCut);
    feedSamples(liveOutputs, lastCut);
    if (lastCut.series.length > 0) {
      // Samples from teardown get an interval of their own, so the time series (and the live
      // outputs, which read it) add up to the summary.
      aggregator.closeInterval(intervalStart, lastCut.cutAtMs);
      feedOutputs();
    }
    aggregator.setDurationMs(durationMs);
    const stoppedAtMs = stopRequestedAtEpochMs === undefined ? undefined : Math.max(0, stopRequestedAtEpochMs - startedAtEpochMs);
    const requestsSentWindowMs = sendWindowMs({ durationMs, lastSentMs: lastRequestSentMs, scenarios: options.scenarios, stoppedAtMs });
    aggregator.setRateWindowMs('http_reqs_sent', requestsSentWindowMs);
    await stopOutputs();

    events.onPhase?.('summary');
    const summary = aggregator.buildSummary({
      summaryTrendStats: options.summaryTrendStats,
      summaryTimeUnit: options.summaryTimeUnit,
      noColor: options.noColor,
      durationMs,
      isStdOutTTY: input.tty?.stdout ?? false,
      isStdErrTTY: input.tty?.stderr ?? false,
      extraSubMetrics: countBreakdowns(aggregator),
      requestsSentWindowMs,
      plannedIterations: interruption === undefined ? plannedArrivals(options) : undefined,
    });
    const final = evaluateThresholds(options.thresholds, (t) => aggregator.values(t.metric, t.filter, trendStats), durationMs, 'final');
    attachThresholds(summary, options.thresholds, final.results);

    let handleSummaryOutput: Record<string, unknown> | undefined;
    if (typeof mod.handleSummary === 'function') {
      // As in k6, a failing handleSummary() is logged and the default summary is shown instead.
      let out: unknown;
      try {
        out = await (mod.handleSummary as (d: SummaryData) => unknown)(summary);
      } catch (e) {
        warn(`handleSummary() failed: ${e instanceof Error ? e.message : String(e)}; the default summary is shown instead`);
      }
      if (out !== null && typeof out === 'object') handleSummaryOutput = out as Record<string, unknown>;
      else if (out !== undefined) warn('handleSummary() should return an object such as { stdout: "...", "out.json": "..." }; its result was ignored');
    }
    input.stopSignal?.removeEventListener('abort', onStop);
    input.killSignal?.removeEventListener('abort', onKill);
    return {
      summary,
      options,
      thresholdResults: final.results,
      thresholdsOk: final.results.every((r) => r.ok),
      interruption,
      timeSeries: prometheusQueries.placeIn(aggregator.timeSeries()),
      handleSummaryOutput,
      iterationErrors: [...errorTotals.values()],
      startedAtEpochMs,
      warnings,
      recovery,
    };
  } finally {
    restoreExit();
    await stopOutputs();
    await observers?.stop();
    await prometheusQueries?.stop();
    await pool?.terminate();
    await runtime.closeHttp();
    setThreadRuntime(undefined);
    await bundle.dispose();
  }
}

/** Individual samples are kept only when an output writes them (`--out json`, `--out csv`). */
function sampleStreamFor(outputs: readonly LiveOutput[]): SampleStreamOptions | undefined {
  const wanted = outputs.filter((o) => o.samples !== undefined);
  if (wanted.length === 0) return undefined;
  return { maxPerInterval: DEFAULT_MAX_SAMPLES_PER_INTERVAL };
}

function feedSamples(outputs: readonly LiveOutput[], snapshot: MetricsSnapshot): void {
  if (snapshot.samples === undefined) return;
  for (const o of outputs) o.samples?.(snapshot.samples, snapshot.defs);
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

async function runLifecycle(
  name: 'setup' | 'teardown',
  fn: (data?: unknown) => unknown,
  data: unknown,
  timeoutMs: number,
  baseTags: Readonly<Record<string, string>>,
  sourcePath: string,
): Promise<unknown> {
  const groupPath = `::${name}`;
  const ctx = { vu: undefined, groupPath, tags: { ...baseTags, group: groupPath }, startDelayMs: 0 };
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      vuContextStorage.run(ctx, async () => fn(data)),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new SquallError('SQUALL_SCRIPT_EXCEPTION', `${name}() did not finish within ${timeoutMs} ms (${name}Timeout); raise it in options or make ${name}() faster`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (err) {
    if (err instanceof SquallError) throw err;
    if (err instanceof Error && err.name === 'TestAbort') throw new SquallError('SQUALL_SCRIPT_ABORTED', err.message);
    const { text } = errorText(err, sourcePath);
    throw new SquallError('SQUALL_SCRIPT_EXCEPTION', `${name}() failed: ${text}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

function resolveWithProblems<T>(resolveFn: () => T, earlier: readonly ConfigProblem[]): T {
  let resolved: T;
  try {
    resolved = resolveFn();
  } catch (err) {
    if (err instanceof ConfigError && earlier.length > 0) throw new ConfigError([...earlier, ...err.problems]);
    throw err;
  }
  if (earlier.length > 0) throw new ConfigError(earlier);
  return resolved;
}

/** Config-file options under the script's; a script `options` that is not an object is left for validation to report. */
function underScript(base: Record<string, unknown> | undefined, fromScript: unknown): unknown {
  if (base === undefined) return fromScript;
  if (fromScript === undefined || fromScript === null) return base;
  if (typeof fromScript !== 'object' || Array.isArray(fromScript)) return fromScript;
  return { ...base, ...(fromScript as Record<string, unknown>) };
}

function mergeOptions(fromScript: unknown, fromCaller: Record<string, unknown> | undefined): unknown {
  if (fromCaller === undefined) return fromScript;
  if (fromScript === undefined || fromScript === null || typeof fromScript !== 'object') return fromCaller;
  return { ...(fromScript as Record<string, unknown>), ...fromCaller };
}

function checkExports(options: ResolvedOptions, mod: Record<string, unknown>): void {
  const problems: ConfigProblem[] = [];
  for (const s of options.scenarios) {
    if (typeof mod[s.exec] === 'function') continue;
    const exported = Object.keys(mod).filter((k) => typeof mod[k] === 'function' && !['setup', 'teardown', 'handleSummary'].includes(k));
    problems.push({
      path: s.exec === 'default' ? `scenarios.${s.name}` : `scenarios.${s.name}.exec`,
      message:
        s.exec === 'default'
          ? `the script has no default export to run; export a default function or set exec to one of: ${exported.join(', ') || '(none)'}`
          : `the script exports no function named "${s.exec}"; exported functions: ${exported.join(', ') || '(none)'}`,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** Sub-metrics that explain the counts: interrupted iterations by cause, sent requests left unanswered. */
function countBreakdowns(aggregator: Aggregator): SubMetricSpec[] {
  const causes = aggregator.tagValues('iterations_interrupted', 'cause').map((cause) => ({ metric: 'iterations_interrupted', filter: { cause } }));
  const unanswered = aggregator.tagValues('http_reqs_sent', 'error_code').includes(String(HttpErrorCode.interruptedByTestEnd));
  return [...causes, ...(unanswered ? [{ metric: 'http_reqs_sent', filter: { error_code: String(HttpErrorCode.interruptedByTestEnd) } }] : [])];
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
