/**
 * The reader side of a queue's batching: wait until at least `max` items are there or `waitMs`
 * passed, whichever comes first; producers call `offered(count)`, shutdown calls `wakeNow()`.
 * One waiter at a time (the batch writer). Shared by the memory and NATS queues.
 */
export class BatchWait {
  #wake: (() => void) | undefined;
  #wantAtLeast = Infinity;

  /** Resolves when `offered` reports at least `max` items, `wakeNow` is called, or after `waitMs`. */
  wait(max: number, waitMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        this.#wantAtLeast = Infinity;
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      this.#wake = done;
      this.#wantAtLeast = max;
    });
  }

  /** A producer added items; `count` is how many are waiting now. */
  offered(count: number): void {
    if (count >= this.#wantAtLeast) this.#wake?.();
  }

  /** Ends the current wait at once (shutdown, flush). */
  wakeNow(): void {
    this.#wake?.();
  }
}
