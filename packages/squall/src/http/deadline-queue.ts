/** Something with a deadline (performance.now() ms) that is either settled or must be expired. */
export interface Expirable {
  readonly deadlineMs: number;
  /** True once the item completed or failed: the queue then just forgets it. */
  readonly settled: boolean;
  /** Called at (or just after) `deadlineMs` when the item has not settled by then. */
  expire(): void;
}

const MIN_COMPACT = 1024;
const MAX_LANES = 256;

/**
 * Items of one timeout value. Added in start order with the same timeout, their deadlines are in
 * order too, so one timer for the oldest unsettled item covers them all.
 */
class Lane {
  items: (Expirable | undefined)[] = [];
  head = 0;
  compactAt = MIN_COMPACT;
  timer: NodeJS.Timeout | null = null;

  add(item: Expirable): void {
    // Sequential requests settle roughly in start order: drop the settled ones at the front now.
    const items = this.items;
    while (this.head < items.length && (items[this.head] as Expirable).settled) items[this.head++] = undefined;
    if (this.head === items.length) {
      items.length = 0;
      this.head = 0;
    } else if (this.head >= MIN_COMPACT && this.head * 2 >= items.length) {
      // Drop the consumed front so the array does not grow with every request ever added.
      this.items = items.slice(this.head);
      this.head = 0;
    }
    this.items.push(item);
    // A long-running item at the front keeps settled ones behind it: filter them out, amortized.
    if (this.items.length - this.head > this.compactAt) {
      const head = this.head;
      this.items = this.items.filter((x, i) => i >= head && x !== undefined && !x.settled);
      this.head = 0;
      this.compactAt = Math.max(MIN_COMPACT, this.items.length * 2);
    }
    if (this.timer === null) this.#arm(item.deadlineMs);
  }

  fire(): void {
    this.timer = null;
    const now = performance.now();
    while (this.head < this.items.length) {
      const item = this.items[this.head] as Expirable;
      if (!item.settled) {
        if (item.deadlineMs > now) {
          if (this.timer === null) this.#arm(item.deadlineMs);
          return;
        }
        item.expire();
      }
      this.items[this.head++] = undefined;
    }
    this.items.length = 0;
    this.head = 0;
  }

  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.items = [];
    this.head = 0;
  }

  #arm(deadlineMs: number): void {
    this.timer = setTimeout(fireLane, Math.max(1, Math.ceil(deadlineMs - performance.now())), this);
    // Requests in flight hold sockets that keep the process alive; the timer alone must not.
    this.timer.unref();
  }
}

function fireLane(lane: Lane): void {
  lane.fire();
}

/**
 * Request timeouts without a timer per request: items are grouped by their timeout value, and each
 * group keeps one timer for its oldest unsettled item. Adding is O(1) amortized; settling costs
 * nothing (settled items are dropped lazily). Expiry is as precise as a per-request setTimeout.
 *
 * Lifecycle: one per HTTP client; `clear()` on close.
 */
export class DeadlineQueue {
  readonly #lanes = new Map<number, Lane>();

  /** Watches `item`, whose deadline is its start plus `timeoutMs`. */
  add(item: Expirable, timeoutMs: number): void {
    let lane = this.#lanes.get(timeoutMs);
    if (lane === undefined) {
      // Scripts with many distinct timeouts: forget the idle lanes (no timer means no items).
      if (this.#lanes.size >= MAX_LANES) for (const [ms, l] of this.#lanes) if (l.timer === null) this.#lanes.delete(ms);
      lane = new Lane();
      this.#lanes.set(timeoutMs, lane);
    }
    lane.add(item);
  }

  /** Calls `fn` for every item not settled yet (each item once). */
  forEachUnsettled(fn: (item: Expirable) => void): void {
    for (const lane of this.#lanes.values()) {
      for (let i = lane.head; i < lane.items.length; i++) {
        const item = lane.items[i];
        if (item !== undefined && !item.settled) fn(item);
      }
    }
  }

  /** Stops every timer and forgets every item. */
  clear(): void {
    for (const lane of this.#lanes.values()) lane.clear();
    this.#lanes.clear();
  }
}
