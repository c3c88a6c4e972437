import type { ResolvedOptions } from '../config/types.js';
import type { PrometheusQueries } from '../observe/prometheus-query-run.js';
import type { Collector } from '../metrics/collector.js';
import type { BundledScript } from '../script/bundle.js';
import type { LiveOutputs } from './live-outputs.js';
import type { RunEvents, RunInterruption, RunTestInput } from './run-types.js';
import type { InterruptCause } from './stop-control.js';
import type { EndDeadline } from './stuck-workers.js';
import type { WorkerPool } from './worker-pool.js';

/**
 * The state that the parts of one run (run-test.ts, interval-loop.ts, run-end.ts) read and change:
 * why the run ends, whether a stop was asked, and the warnings so far. Kept in one object so every
 * part sees the same values; when it was a set of closures in one function, the parts could not be
 * split out.
 */
export class RunState {
  /** First `exec.test.abort()` (or worker-side abort) message; a set value is never replaced. */
  scriptAbort: string | undefined;
  interruption: RunInterruption | undefined;
  stopping = false;
  stopRequestedAtEpochMs: number | undefined;
  readonly warnings: string[] = [];
  private control: { readonly pool: WorkerPool; readonly deadline: EndDeadline } | undefined;

  constructor(private readonly events: RunEvents) {}

  /** An arrow so it can be handed out as a callback. */
  readonly warn = (message: string): void => {
    this.warnings.push(message);
    this.events.onWarning?.(message);
  };

  noteScriptAbort(message: string): void {
    this.scriptAbort ??= message;
  }

  /** The pool and deadline that `stopAll` acts on; set once, right after the pool is created. */
  attach(pool: WorkerPool, deadline: EndDeadline): void {
    this.control = { pool, deadline };
  }

  /** A hard stop always reaches the pool; a graceful one only the first time. */
  stopAll(hard: boolean, cause: InterruptCause): void {
    const { pool, deadline } = this.control!;
    this.stopRequestedAtEpochMs ??= Date.now();
    deadline.stopRequested(hard);
    if (hard) {
      pool.stop(true, cause);
    } else if (!this.stopping) {
      pool.stop(false, cause);
    }
    this.stopping = true;
  }

  /** The second Ctrl-C (or a kill signal): teardown and the recovery wait are skipped. */
  get killed(): boolean {
    return this.interruption?.by === 'signal' && this.interruption.hard;
  }
}

/** What every part of a run needs once the script is loaded and its options are resolved. */
export interface RunContext {
  readonly input: RunTestInput;
  /** The environment the script sees as `__ENV` (a copy of input.env). */
  readonly env: Record<string, string>;
  readonly events: RunEvents;
  readonly state: RunState;
  readonly bundle: BundledScript;
  readonly mod: Record<string, unknown>;
  readonly options: ResolvedOptions;
  /** The main thread's collector: setup/teardown samples, vus gauges, observers, Prometheus queries. */
  readonly collector: Collector;
  readonly outputs: LiveOutputs;
}

/**
 * What runTest's `finally` must release however the run ends. The parts set each field as soon as
 * the thing exists, so a failure halfway still releases what was started.
 */
export interface RunResources {
  /** Cleared once terminated on the normal path. */
  pool: WorkerPool | undefined;
  observers: { stop(): Promise<void> } | undefined;
  prometheusQueries: PrometheusQueries | undefined;
}
