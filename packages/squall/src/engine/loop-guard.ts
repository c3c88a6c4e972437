/**
 * Keeps VU loops from starving the worker's event loop. An iteration that never waits on real
 * I/O (an empty function, one that throws at once) completes on microtasks alone, so a VU that
 * loops over it would never let the worker answer snapshot or stop messages. A cheap timer marks
 * each turn of the event loop; a VU loop that sees no turn for `maxStarveMs` yields once.
 */
export class LoopGuard {
  #lastTurnMs = performance.now();
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly maxStarveMs = 20) {}

  /** Starts marking turns; call once per worker. */
  start(): void {
    const tick = () => {
      this.#lastTurnMs = performance.now();
      this.#timer = setTimeout(tick, Math.max(1, this.maxStarveMs / 4));
      this.#timer.unref();
    };
    tick();
  }

  /** Stops marking turns. */
  stop(): void {
    clearTimeout(this.#timer);
  }

  /** Resolves at once normally; after a macrotask when the event loop has not turned for a while. */
  maybeYield(): Promise<void> | undefined {
    if (performance.now() - this.#lastTurnMs < this.maxStarveMs) return undefined;
    return new Promise((resolve) => setImmediate(resolve));
  }
}
