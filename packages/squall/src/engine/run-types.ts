import type { OptionOverrides } from '../config/resolve.js';
import type { ResolvedOptions } from '../config/types.js';
import type { ConfigProblem } from '../errors.js';
import type { SummaryData } from '../metrics/types.js';
import type { TimeSeriesPoint } from '../metrics/aggregator.js';
import type { ThresholdResult } from '../thresholds/evaluate.js';
import type { RecoveryResult } from '../observe/recovery-watcher.js';
import type { LiveOutput } from '../outputs/live-output.js';
import type { RunCoordinator } from './coordinator-hook.js';
import type { ProgressUpdate } from './progress.js';

// The public shapes of a run, kept apart from the code that runs it so the run's parts
// (run-test.ts and the files it calls) can share them without importing each other.
// run-test.ts re-exports them: importers keep using '../engine/run-test.js'.

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
