import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineQueue, type Expirable } from './deadline-queue.js';

class Item implements Expirable {
  settled = false;
  expiredAt = -1;
  constructor(readonly deadlineMs: number) {}
  expire(): void {
    this.expiredAt = performance.now();
    this.settled = true;
  }
}

describe('DeadlineQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function add(q: DeadlineQueue, timeoutMs: number): Item {
    const item = new Item(performance.now() + timeoutMs);
    q.add(item, timeoutMs);
    return item;
  }

  it('expires each unsettled item at its own deadline, and never a settled one', () => {
    const q = new DeadlineQueue();
    const a = add(q, 100);
    vi.advanceTimersByTime(30);
    const b = add(q, 100);
    const c = add(q, 100);
    c.settled = true;
    vi.advanceTimersByTime(69);
    expect(a.expiredAt).toBe(-1);
    vi.advanceTimersByTime(1);
    expect(a.expiredAt).toBe(100);
    expect(b.expiredAt).toBe(-1);
    vi.advanceTimersByTime(30);
    expect(b.expiredAt).toBe(130);
    expect(c.expiredAt).toBe(-1);
  });

  it('keeps separate timeouts apart: a short one behind a long one is not delayed', () => {
    const q = new DeadlineQueue();
    const long = add(q, 1_000);
    const short = add(q, 50);
    vi.advanceTimersByTime(50);
    expect(short.expiredAt).toBe(50);
    expect(long.expiredAt).toBe(-1);
    vi.advanceTimersByTime(950);
    expect(long.expiredAt).toBe(1_000);
  });

  it('still expires the right items after many settled ones were compacted away', () => {
    const q = new DeadlineQueue();
    const stuck = add(q, 10_000);
    const live: Item[] = [];
    for (let i = 0; i < 50_000; i++) {
      const item = add(q, 10_000);
      if (i % 1000 === 0) live.push(item);
      else item.settled = true;
    }
    vi.advanceTimersByTime(10_000);
    expect(stuck.expiredAt).toBe(10_000);
    expect(live.every((x) => x.expiredAt === 10_000)).toBe(true);
  });

  it('clear() stops every timer', () => {
    const q = new DeadlineQueue();
    const a = add(q, 100);
    q.clear();
    vi.advanceTimersByTime(200);
    expect(a.expiredAt).toBe(-1);
  });
});
