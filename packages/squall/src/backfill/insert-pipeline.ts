import { LineBuffer } from '../generators/line-buffer.js';

/**
 * Bulk inserts one at a time, each running while the caller generates the next batch, also across
 * day boundaries: two buffers, one insert in flight. (Awaiting each day's last insert before the
 * next day is generated made a 10M-event, 90-day backfill almost serial: with one insert a day,
 * generation and insert never overlapped; docs/benchmarks.md, backfill.)
 *
 * Lifecycle, per batch: write lines into `buffer()`, `await settle()`, then `start()`; at the
 * end (or on any way out) `await drain()`.
 */
export class InsertPipeline {
  readonly #insert: (bytes: Buffer) => Promise<void>;
  readonly #buffers = [new LineBuffer(1 << 20), new LineBuffer(1 << 20)] as const;
  #current = 0;
  #inFlight: Promise<void> | undefined;
  #waitMs = 0;

  constructor(insert: (bytes: Buffer) => Promise<void>) {
    this.#insert = insert;
  }

  /** The emptied buffer for the next batch; the insert that last read it has finished. */
  buffer(): LineBuffer {
    const b = this.#buffers[this.#current] as LineBuffer;
    b.reset();
    return b;
  }

  /** Wall time spent in `settle()` waiting for an insert: large when the store is the bottleneck. */
  get waitMs(): number {
    return this.#waitMs;
  }

  /** Waits for the insert in flight, if any; throws its error. */
  async settle(): Promise<void> {
    const p = this.#inFlight;
    if (p === undefined) return;
    this.#inFlight = undefined;
    const t0 = performance.now();
    try {
      await p;
    } finally {
      this.#waitMs += performance.now() - t0;
    }
  }

  /** Starts inserting what `buffer()` holds (call after `settle()`); `onDone` runs once it is in. */
  start(onDone: () => Promise<void>): void {
    const p = this.#insert((this.#buffers[this.#current] as LineBuffer).bytes()).then(onDone);
    // The caller awaits it at the next settle(); until then a failure is kept, not unhandled.
    p.catch(() => {});
    this.#inFlight = p;
    this.#current ^= 1;
  }

  /** Waits for the last insert; throws its error. */
  drain(): Promise<void> {
    return this.settle();
  }
}
