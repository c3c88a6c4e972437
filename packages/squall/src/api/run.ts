import { resolve } from 'node:path';
import { exitCodeFor } from '../cli/exit-codes.js';
import { runTest, type RunEvents, type RunInterruption } from '../engine/run-test.js';
import type { ConfigProblem } from '../errors.js';
import type { SummaryData } from '../metrics/types.js';
import type { LiveOutput } from '../outputs/live-output.js';
import { createOutputs } from '../outputs/outputs-registry.js';
import { writeResultsDir } from '../outputs/results-dir.js';
import type { ThresholdResult } from '../thresholds/evaluate.js';

/** Input of the programmatic `run()`. */
export interface RunOptions {
  /** Path of the test script (.ts/.js ES module). */
  readonly script: string;
  /** Options merged over the script's exported `options` (e.g. `{ vus: 5, duration: '10s', thresholds: {...} }`). */
  readonly options?: Record<string, unknown>;
  /** `__ENV` for the script (the process environment is NOT added unless you pass it). */
  readonly env?: Readonly<Record<string, string>>;
  /** Worker threads (default: one per core). */
  readonly workers?: number;
  /** Most connections per origin per worker. */
  readonly connectionsPerOrigin?: number;
  /** Abort to stop the test gracefully (exit code 105 in the result). */
  readonly signal?: AbortSignal;
  /** Also write summary.json, timeseries.jsonl and meta.json here. */
  readonly resultsDir?: string;
  readonly events?: RunEvents;
  /**
   * Live outputs as `squall run --out` takes them, e.g. `['prometheus=127.0.0.1:0', 'experimental-prometheus-rw']`;
   * their settings (K6_PROMETHEUS_RW_*, SQUALL_PROMETHEUS_*) are read from `outputEnv`. Bad values reject like bad options.
   */
  readonly out?: readonly string[];
  /** Where outputs read their settings; default `process.env`. */
  readonly outputEnv?: Readonly<Record<string, string | undefined>>;
  /** Informational lines from outputs, such as the endpoint URL; dropped by default. */
  readonly onOutputMessage?: (message: string) => void;
  /** Further live outputs of your own (see LiveOutput: start, every closed 1 s interval, stop). */
  readonly outputs?: readonly LiveOutput[];
}

/** What `run()` resolves to. */
export interface RunResult {
  readonly summary: SummaryData;
  /** What `squall run` would exit with: 0, 99 (thresholds), 105 (signal), 108 (script abort). */
  readonly exitCode: number;
  readonly thresholdsOk: boolean;
  readonly thresholds: readonly ThresholdResult[];
  readonly interruption: RunInterruption | undefined;
  readonly iterationErrors: readonly { text: string; scenario: string; count: number }[];
}

/**
 * Runs a test script and resolves to its summary, so a project's own test runner can enforce
 * performance budgets. Rejects with a SquallError (stable `code`) for invalid options (104-class)
 * or a script that fails to load.
 */
export async function run(opts: RunOptions): Promise<RunResult> {
  const problems: ConfigProblem[] = [];
  const outputs = [
    ...createOutputs(opts.out ?? [], { env: opts.outputEnv ?? process.env, log: opts.onOutputMessage ?? (() => {}) }, problems),
    ...(opts.outputs ?? []),
  ];
  const result = await runTest({
    script: resolve(opts.script),
    options: opts.options,
    env: opts.env,
    workers: opts.workers,
    connectionsPerOrigin: opts.connectionsPerOrigin,
    stopSignal: opts.signal,
    events: opts.events,
    problems,
    outputs,
  });
  const exitCode = exitCodeFor(result);
  if (opts.resultsDir !== undefined) {
    await writeResultsDir(resolve(opts.resultsDir), result, { scriptPath: resolve(opts.script), env: opts.env ?? {}, argv: [], exitCode, workers: opts.workers });
  }
  return {
    summary: result.summary,
    exitCode,
    thresholdsOk: result.thresholdsOk,
    thresholds: result.thresholdResults,
    interruption: result.interruption,
    iterationErrors: result.iterationErrors,
  };
}
