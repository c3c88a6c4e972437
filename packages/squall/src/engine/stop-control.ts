import { setTimeoutUntil } from '../runtime/precise-timer.js';
import { SlotSet } from './slot-set.js';

/** A wait a stop may end early. */
interface Waker {
  slot: number;
  readonly wake: () => void;
}

/**
 * Stop requests for one worker, and waits that end early when a stop arrives.
 * Times are ms since the test's origin, as returned by `now`.
 */
export class StopControl {
  /** No new iterations may start; in-flight ones get their graceful stop. */
  stopping = false;
  /** Everything in flight is abandoned now. */
  hard = false;
  readonly #wakers = new SlotSet<Waker>();

  constructor(readonly now: () => number) {}

  /** Requests a graceful stop. */
  stopGracefully(): void {
    this.stopping = true;
    this.#wakeAll();
  }

  /** Requests an immediate stop. */
  stopNow(): void {
    this.stopping = true;
    this.hard = true;
    this.#wakeAll();
  }

  #wakeAll(): void {
    for (const waker of this.#wakers.toArray()) waker.wake();
  }

  /**
   * Resolves at time `at`, or earlier when a stop is requested (any stop when `onGraceful`, else
   * only a hard one). Resolves to true when the time was reached.
   */
  waitUntil(at: number, onGraceful = true): Promise<boolean> {
    const woken = () => this.hard || (onGraceful && this.stopping);
    if (woken()) return Promise.resolve(false);
    const delay = at - this.now();
    if (delay <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waker: Waker = {
        slot: -1,
        wake: () => {
          if (!woken()) return;
          cancel();
          this.#wakers.delete(waker);
          resolve(false);
        },
      };
      const cancel = setTimeoutUntil(performance.now() + delay, () => {
        this.#wakers.delete(waker);
        resolve(true);
      });
      this.#wakers.add(waker);
    });
  }
}
