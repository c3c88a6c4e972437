/**
 * A VU's pending k6/timers callbacks: its iteration ends only when none is left, as in k6. A
 * callback that throws (or whose async work rejects) ends the iteration with that error, which
 * the engine then counts and reports like any iteration error; the VU's other timers are cancelled.
 */
export class K6Timers {
  #pending = 0;
  #waiters: (() => void)[] = [];
  readonly #cancels = new Set<() => void>();
  #error: { value: unknown } | undefined;

  get pending(): number {
    return this.#pending;
  }

  /** True once a timer was set: iterations of a VU that never set one skip the wait. */
  used = false;

  /** A timer was started; `cancel` stops it (called when another callback of the VU fails). */
  add(cancel: () => void): void {
    this.used = true;
    this.#pending++;
    this.#cancels.add(cancel);
  }

  done(cancel: () => void): void {
    if (!this.#cancels.delete(cancel)) return;
    this.#pending--;
    if (this.#pending === 0) for (const w of this.#waiters.splice(0)) w();
  }

  /** A callback threw: the first error ends the iteration; pending timers are cancelled. */
  fail(err: unknown): void {
    this.#error ??= { value: err };
    for (const cancel of [...this.#cancels]) cancel();
  }

  /** The failure recorded since the last call, taken (the iteration rethrows it). */
  takeError(): { value: unknown } | undefined {
    const e = this.#error;
    this.#error = undefined;
    return e;
  }

  /** Resolves once no timer is pending. */
  idle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
