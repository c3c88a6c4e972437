import type { ResolvedOptions } from '../config/types.js';
import type { HttpClient } from '../http/client.js';
import type { MetricSink, Tags } from '../metrics/types.js';
import { SquallError } from '../errors.js';

/** Live counters of the thread, for `exec.instance`. */
export interface InstanceCounters {
  vusActive: number;
  vusInitialized: number;
  iterationsCompleted: number;
  iterationsInterrupted: number;
}

/**
 * Everything the script API needs in one thread (a worker, or the main thread for init code,
 * setup and teardown). Installed by the engine before the script is imported.
 */
export interface ThreadRuntime {
  readonly sink: MetricSink;
  /** Created lazily: init code never needs it, and the main thread only for setup/teardown. */
  readonly http: HttpClient;
  readonly env: Readonly<Record<string, string>>;
  /** Epoch ms at which the test (not this thread) started; 0 before start. */
  testStartMs: number;
  readonly counters: InstanceCounters;
  /** Resolved options once known (undefined while init code first runs on the main thread). */
  options: ResolvedOptions | undefined;
  /** Tags for samples emitted outside any VU (init, setup, teardown). */
  readonly baseTags: Tags;
  /** Called by `exec.test.abort()`. */
  readonly abort: (message: string) => void;
  /** Directory of the user's script (not of its bundle): relative data paths resolve against it. */
  readonly scriptDir: string | undefined;
  /**
   * Work to finish after this thread's scenarios end and before it reports done (e.g. waiting for
   * tracked events to show up). Each hook bounds its own time; a hard stop skips them.
   */
  readonly drainHooks: (() => Promise<void>)[];
}

let current: ThreadRuntime | undefined;

/** Installs the thread's runtime; the engine calls this once per thread before importing the script. */
export function setThreadRuntime(runtime: ThreadRuntime | undefined): void {
  current = runtime;
}

/** The thread's runtime; throws a clear error when script API is used outside a squall run. */
export function threadRuntime(): ThreadRuntime {
  if (current === undefined) {
    throw new SquallError(
      'SQUALL_USAGE',
      "squall's script API (http, check, sleep, metrics...) only works inside a test run: start the script with `squall run SCRIPT` or `run({ script })`",
    );
  }
  return current;
}
