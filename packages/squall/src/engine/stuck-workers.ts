import type { ResolvedOptions } from '../config/types.js';
import { scenarioDurationMs } from '../executors/plan.js';
import type { StuckVUs } from './worker-pool.js';

/**
 * How long after the end of its gracefulStop (or a second Ctrl-C) a worker that has not answered
 * the main thread is given before it is ended: its VUs never yield to the event loop.
 */
export const STUCK_GRACE_MS = 1500;

/**
 * When the run must be over, whatever its VUs do: the last scenario's end plus its gracefulStop,
 * moved earlier by a stop request (its gracefulStop, or nothing for a hard stop), plus STUCK_GRACE_MS.
 * Workers still not answering then are ended (WorkerPool.terminateUnfinished).
 */
export class EndDeadline {
  #atEpochMs = Number.POSITIVE_INFINITY;
  readonly #maxGracefulStopMs: number;

  constructor(readonly options: ResolvedOptions) {
    this.#maxGracefulStopMs = Math.max(0, ...options.scenarios.map((s) => s.gracefulStopMs));
  }

  /** The load starts at `startedAtEpochMs`. */
  start(startedAtEpochMs: number): void {
    const ends = this.options.scenarios.map((s) => s.startTimeMs + scenarioDurationMs(s) + s.gracefulStopMs);
    this.#move(startedAtEpochMs + Math.max(0, ...ends) + STUCK_GRACE_MS);
  }

  /** A stop was requested now. */
  stopRequested(hard: boolean): void {
    this.#move(Date.now() + (hard ? 0 : this.#maxGracefulStopMs) + STUCK_GRACE_MS);
  }

  #move(atEpochMs: number): void {
    this.#atEpochMs = Math.min(this.#atEpochMs, atEpochMs);
  }

  passed(): boolean {
    return Date.now() >= this.#atEpochMs;
  }
}

/** The stderr line for VUs whose worker was ended. */
export function describeStuck(stuck: readonly StuckVUs[], workers: number, why: string): string {
  const total = stuck.reduce((n, s) => n + s.vus, 0);
  const where = stuck.map((s) => `${s.vus} in scenario ${s.scenario}`).join(', ');
  return (
    `${total} VU${total === 1 ? '' : 's'} stuck in an iteration that never yielded to the event loop (${where || 'no iteration counted'}), ` +
    `e.g. a loop without an await: ${workers} worker thread${workers === 1 ? ' was' : 's were'} ended ${why}; ` +
    'their iterations are counted as interrupted and their samples since the last interval are lost'
  );
}
