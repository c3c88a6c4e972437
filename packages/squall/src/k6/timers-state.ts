/** A VU's pending k6/timers callbacks: its iteration ends only when none is left, as in k6. */
export class K6Timers {
  #pending = 0;
  #waiters: (() => void)[] = [];

  get pending(): number {
    return this.#pending;
  }

  /** True once a timer was set: iterations of a VU that never set one skip the wait. */
  used = false;

  add(): void {
    this.used = true;
    this.#pending++;
  }

  done(): void {
    this.#pending--;
    if (this.#pending === 0) for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves once no timer is pending. */
  idle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
