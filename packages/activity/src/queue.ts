import type { QueuedEvent } from './audit-event.js';

/** Events handed to the writer; it must settle each delivery with `ack` (stored) or `nak` (retry). */
export interface Delivery {
  readonly events: readonly QueuedEvent[];
  /** The events are stored: the queue may forget them (NATS: acknowledged to JetStream). */
  ack(): Promise<void>;
  /**
   * The writer crashed with this delivery in flight. Memory queue: the events go back to the head
   * (they never left the process). NATS: nothing; JetStream redelivers after the ack wait.
   */
  abandon(): void;
}

/** Result of offering a request's events: all queued, or none because the queue is full. */
export type OfferResult = { readonly kind: 'ok' } | { readonly kind: 'full'; readonly retryAfterSec: number };

/**
 * The buffer between ingest and the batch writer. Lifecycle: `open()`, then `offer` (ingest) and
 * `next` (one writer at a time), then `close()`.
 */
export interface EventQueue {
  /** `memory` or the NATS URL, for logs. */
  readonly location: string;
  open(): Promise<void>;
  /** Queues all of `events` or none of them (never a partial, silent drop). */
  offer(events: readonly QueuedEvent[]): Promise<OfferResult>;
  /**
   * Waits until `max` events are ready or `waitMs` passed, then delivers up to `max` of them;
   * resolves `null` when nothing arrived in time or the queue is closed.
   */
  next(max: number, waitMs: number): Promise<Delivery | null>;
  /** Ends a `next` that is waiting for a full batch now (the writer is stopping). */
  wakeReader(): void;
  /** Events accepted and not yet acknowledged as stored. */
  depth(): Promise<number>;
  close(): Promise<void>;
}
