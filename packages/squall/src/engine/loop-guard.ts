/**
 * Keeps VU loops from starving the worker's event loop. An iteration that never waits on real
 * I/O (an empty function, one that throws at once) completes on microtasks alone, so a VU that
 * loops over it would never let the worker answer snapshot or stop messages. A cheap timer marks
 * each turn of the event loop; a VU loop that sees no turn for `maxStarveMs` yields once.
 */
export class LoopGuard {
  #lastTurnMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly maxStarveMs = 20,
    /** The clock (ms) `starved` is given readings of. */
    readonly now: () => number = () => performance.now(),
  ) {
    this.#lastTurnMs = now();
  }

  /** Starts marking turns; call once per worker. */
  start(): void {
    const tick = () => {
      this.#lastTurnMs = this.now();
      this.#timer = setTimeout(tick, Math.max(1, this.maxStarveMs / 4));
      this.#timer.unref();
    };
    tick();
  }

  /** Stops marking turns. */
  stop(): void {
    clearTimeout(this.#timer);
  }

  /**
   * True when the event loop has not turned for `maxStarveMs`: the caller should continue its VU
   * loop from a macrotask (setImmediate). A plain check, so a loop that need not yield creates no
   * promise or microtask for it. `nowMs` is a reading of `now`, which the caller has anyway.
   */
  starved(nowMs: number): boolean {
    return nowMs - this.#lastTurnMs >= this.maxStarveMs;
  }
}
