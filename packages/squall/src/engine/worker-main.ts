/**
 * Worker thread entry: imports the script, runs this worker's share of every scenario, and
 * answers the main thread's snapshot requests. Talks to the main thread only by messages.
 */
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { planScenario, maxVUsOf } from '../executors/plan.js';
import { createShare } from '../executors/segment.js';
import { Collector } from '../metrics/collector.js';
import { installSharedEntries } from '../runtime/shared-registry.js';
import { setThreadRuntime } from '../runtime/thread-runtime.js';
import { installExitGuard } from '../runtime/exit-guard.js';
import { errorText } from './error-text.js';
import type { ErrorTally, FromWorker, ToWorker, WorkerInit } from './messages.js';
import { LoopGuard } from './loop-guard.js';
import { runPlan } from './scenario-runners.js';
import { StopControl } from './stop-control.js';
import { createThreadRuntime } from './thread-setup.js';
import { ScenarioState, type ExecFn, type WorkerContext } from './worker-context.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const post = (msg: FromWorker) => port.postMessage(msg);
process.setSourceMapsEnabled(true);
// process.exit() in script code would end this thread silently: it throws instead (runtime/exit-guard.ts).
installExitGuard();

const collector = new Collector({ samples: init.sampleStream });
const runtime = createThreadRuntime({
  sink: collector,
  env: init.env,
  options: init.options,
  connectionsPerOrigin: init.connectionsPerOrigin,
  scriptDir: dirname(init.sourcePath),
  abort: (message) => post({ type: 'abort', message }),
});
setThreadRuntime(runtime);
installSharedEntries(init.shared);
(globalThis as Record<string, unknown>).__ENV = init.env;

const errors = new Map<string, ErrorTally>();
let origin = 0;
const control = new StopControl(() => performance.now() - origin);
let states: ScenarioState[] = [];

async function main(): Promise<void> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(init.bundleUrl)) as Record<string, unknown>;
  } catch (err) {
    const { head, location } = errorText(err, init.sourcePath);
    post({ type: 'init-error', message: head, location });
    return;
  }
  post({ type: 'ready', defs: collector.defs() });
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'start') void start(mod, msg.startAtEpochMs, msg.setupData);
    else if (msg.type === 'snapshot') reply(msg.seq);
    else if (msg.type === 'stop') {
      if (msg.hard) {
        control.stopNow(msg.cause);
        for (const s of states) s.interruptAll(control.cause ?? 'end');
      } else control.stopGracefully(msg.cause);
    }
  });
}

function reply(seq: number): void {
  const tallies = [...errors.values()].filter((e) => e.count > 0).map((e) => ({ ...e }));
  for (const e of errors.values()) e.count = 0;
  post({
    type: 'snapshot',
    seq,
    snapshot: collector.snapshot(Date.now()),
    progress: states.map((s) => ({ ...s.progress })),
    errors: tallies,
    lastRequestSentMs: sinceOrigin(runtime.lastRequestSentAtMs()),
  });
}

function sinceOrigin(atMs: number | undefined): number | undefined {
  return atMs === undefined || origin === 0 ? undefined : atMs - origin;
}

async function start(mod: Record<string, unknown>, startAtEpochMs: number, setupData: unknown): Promise<void> {
  origin = performance.now() + (startAtEpochMs - Date.now());
  runtime.testStartMs = startAtEpochMs;
  const options = init.options;
  let vuId = 0;
  const w: WorkerContext = {
    sink: collector,
    ids: {
      iterations: collector.define({ name: 'iterations', type: 'counter', contains: 'default' }),
      iterationDuration: collector.define({ name: 'iteration_duration', type: 'trend', contains: 'time' }),
      iterationErrors: collector.define({ name: 'iteration_errors', type: 'counter', contains: 'default' }),
      droppedIterations: collector.define({ name: 'dropped_iterations', type: 'counter', contains: 'default' }),
      iterationStartDelay: collector.define({ name: 'iteration_start_delay', type: 'trend', contains: 'time' }),
      iterationsInterrupted: collector.define({ name: 'iterations_interrupted', type: 'counter', contains: 'default' }),
    },
    counters: runtime.counters,
    setupData,
    now: () => performance.now() - origin,
    reportError: (err, scenario) => {
      const { text } = errorText(err, init.sourcePath);
      const key = `${scenario}\u0000${text}`;
      const tally = errors.get(key);
      if (tally) tally.count++;
      else errors.set(key, { text, scenario, count: 1 });
    },
    reportAbort: (message) => post({ type: 'abort', message }),
    baseTags: options.tags,
    nextVuId: () => ++vuId * init.workerCount - init.workerCount + init.workerIndex + 1,
    starved: (nowMs) => guard.starved(nowMs),
  };
  const guard = new LoopGuard(20, w.now);
  guard.start();

  let vuIdOffset = 0;
  const runs: Promise<void>[] = [];
  for (const [scenarioIndex, scenario] of options.scenarios.entries()) {
    const maxVus = maxVUsOf(scenario);
    // A scenario with fewer VUs than workers runs on the first workers only, so no worker gets work without VUs.
    const workers = Math.max(1, Math.min(init.workerCount, maxVus));
    const offset = vuIdOffset;
    vuIdOffset += maxVus;
    if (init.workerIndex >= workers) continue;
    const share = createShare(options.executionSegmentSequence, options.executionSegment, init.workerIndex, workers);
    const plan = planScenario(scenario, share);
    const state = new ScenarioState(w, scenario, mod[scenario.exec] as ExecFn, offset);
    if (init.activeVUs !== undefined) state.shareActiveVUs(init.activeVUs, scenarioIndex);
    states.push(state);
    const startAt = scenario.startTimeMs;
    runs.push(
      (async () => {
        if (await control.waitUntil(startAt)) {
          state.info.iterationsInInstance = 0;
          (state.info as { startTimeMs: number }).startTimeMs = startAtEpochMs + startAt;
          await runPlan(state, plan, control, { workerIndex: init.workerIndex, workerCount: workers, startAt });
        }
        state.progress.done = true;
      })(),
    );
  }
  await Promise.all(runs);
  guard.stop();
  // Drain hooks (tracked deliveries) finish before the worker is done; each bounds its own time.
  if (!control.hard) await Promise.all(runtime.drainHooks.map((hook) => hook().catch((err: unknown) => w.reportError(err, 'drain'))));
  // Requests still unanswered are counted as sent (http_reqs_sent, error_code 1060) before the last snapshot.
  await runtime.closeHttp().catch((err: unknown) => w.reportError(err, 'http'));
  post({ type: 'done' });
}

void main();
