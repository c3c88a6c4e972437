import type { QueuedEvent } from './audit-event.js';
import { BatchWait } from './batch-wait.js';
import type { Delivery, EventQueue, OfferResult } from './queue.js';

/**
 * The default queue: bounded, in this process. Capacity counts events queued plus those being
 * inserted, so memory stays bounded while the store is slow. Offers are all-or-nothing.
 */
export class MemoryQueue implements EventQueue {
  readonly location = 'memory';
  private readonly chunks: QueuedEvent[][] = [];
  /** Index of the first undelivered event in `chunks[0]`. */
  private headOffset = 0;
  private queued = 0;
  private inFlight = 0;
  private closed = false;
  private readonly batchWait = new BatchWait();

  /** @param capacity most events held (queued + being inserted) before offers are refused. */
  constructor(private readonly capacity: number) {}

  async open(): Promise<void> {}

  async offer(events: readonly QueuedEvent[]): Promise<OfferResult> {
    if (events.length === 0) return { kind: 'ok' };
    if (this.closed || this.queued + this.inFlight + events.length > this.capacity) return { kind: 'full', retryAfterSec: 1 };
    this.chunks.push(events.slice());
    this.queued += events.length;
    this.batchWait.offered(this.queued);
    return { kind: 'ok' };
  }

  async next(max: number, waitMs: number): Promise<Delivery | null> {
    if (this.queued < max && !this.closed && waitMs > 0) {
      await this.batchWait.wait(max, waitMs);
    }
    if (this.queued === 0) return null;
    const events = this.take(max);
    this.inFlight += events.length;
    return {
      events,
      ack: async () => {
        this.inFlight -= events.length;
      },
      abandon: () => {
        this.inFlight -= events.length;
        const head = this.chunks[0];
        if (head && this.headOffset > 0) this.chunks[0] = head.slice(this.headOffset);
        this.chunks.unshift(events);
        this.headOffset = 0;
        this.queued += events.length;
      },
    };
  }

  private take(max: number): QueuedEvent[] {
    const out: QueuedEvent[] = [];
    while (out.length < max && this.chunks.length > 0) {
      const chunk = this.chunks[0] as QueuedEvent[];
      const n = Math.min(max - out.length, chunk.length - this.headOffset);
      for (let i = 0; i < n; i++) out.push(chunk[this.headOffset + i] as QueuedEvent);
      this.headOffset += n;
      if (this.headOffset >= chunk.length) {
        this.chunks.shift();
        this.headOffset = 0;
      }
    }
    this.queued -= out.length;
    return out;
  }

  wakeReader(): void {
    this.batchWait.wakeNow();
  }

  async depth(): Promise<number> {
    return this.queued + this.inFlight;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.batchWait.wakeNow();
  }
}
