import { setTimeoutUntil } from '../runtime/precise-timer.js';
import { SlotSet } from './slot-set.js';

/**
 * Why an iteration was cut off before it ended (the `cause` tag of `iterations_interrupted`):
 * its scenario's gracefulStop expired, its VU was ramped down and gracefulRampDown expired, an
 * abortOnFail threshold failed, a signal stopped the test, or the test ended otherwise (the
 * script called `exec.test.abort()`, a worker failed).
 */
export type InterruptCause = 'gracefulStop' | 'gracefulRampDown' | 'abortOnFail' | 'signal' | 'end';

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
  /** Why the test is stopping, when a stop was requested: the cause of the iterations it cuts off. */
  cause: InterruptCause | undefined;
  readonly #wakers = new SlotSet<Waker>();

  constructor(readonly now: () => number) {}

  /** Requests a graceful stop. */
  stopGracefully(cause?: InterruptCause): void {
    this.cause ??= cause;
    this.stopping = true;
    this.#wakeAll();
  }

  /** Requests an immediate stop. */
  stopNow(cause?: InterruptCause): void {
    // A hard stop after a graceful one (a second Ctrl+C) keeps the first cause.
    this.cause ??= cause;
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
