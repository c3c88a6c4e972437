import type { ActivityMetrics } from './metrics.js';
import type { Delivery, EventQueue } from './queue.js';
import type { EventStore } from './store.js';

/** Batching and retry settings of the writer; all resolved, units in names. */
export interface BatchWriterOptions {
  /** Most events per insert. */
  readonly batchSize: number;
  /** Longest wait for a full batch before inserting what is there. */
  readonly flushIntervalMs: number;
  /** Extra time added to every insert (the slow-insert fault). */
  readonly insertDelayMs: number;
  /** Most events stored per second (the insert-rate fault), 0 for no limit. */
  readonly insertRatePerSec?: number;
  /** Wait after a failed insert before the batch is retried. */
  readonly retryDelayMs: number;
  /** Drain everything queued on stop (memory queue: nothing would survive otherwise). */
  readonly drainOnStop: boolean;
  readonly log: (line: string) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** On stop, a batch that keeps failing is given up after this many tries (and the loss logged). */
const MAX_TRIES_ON_STOP = 3;

/**
 * Moves events from the queue to the store in batches by size and time, acknowledging a delivery
 * only after its insert succeeded (at-least-once; the store de-duplicates on auditID).
 * Lifecycle: `start()`, then `stop()` (graceful) or `crash()` (abandon the delivery in flight
 * unacknowledged, as if the process died between insert and ack), then `start()` again if wanted.
 */
export class BatchWriter {
  private loop: Promise<void> | undefined;
  private stopping = false;
  private crashed = false;
  /** insert-rate pacing: when (performance.now ms) the batch paced last is due to be done. */
  private nextInsertAtMs = 0;

  constructor(
    private readonly queue: EventQueue,
    private readonly store: EventStore,
    private readonly metrics: ActivityMetrics,
    private readonly opts: BatchWriterOptions,
  ) {}

  /** Whether the loop is running. */
  get running(): boolean {
    return this.loop !== undefined;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.crashed = false;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
    });
  }

  /** Stops after the delivery in flight is stored (and, for the memory queue, after draining it). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.queue.wakeReader();
    await this.loop;
  }

  /** Stops at once; the delivery in flight is neither acknowledged nor returned. */
  async crash(): Promise<void> {
    this.stopping = true;
    this.crashed = true;
    this.queue.wakeReader();
    await this.loop;
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.crashed) return;
      if (this.stopping && !(this.opts.drainOnStop && (await this.queue.depth()) > 0)) return;
      let delivery: Delivery | null;
      try {
        delivery = await this.queue.next(this.batchSize(), this.stopping ? 0 : this.opts.flushIntervalMs);
      } catch (err) {
        this.opts.log(`activity: reading the queue failed: ${(err as Error).message}; retrying`);
        await sleep(this.opts.retryDelayMs);
        continue;
      }
      if (delivery) await this.write(delivery);
    }
  }

  /** Events per insert: with insert-rate, a tenth of a second's worth, so storage is smooth rather than bursty. */
  private batchSize(): number {
    const rate = this.opts.insertRatePerSec ?? 0;
    return rate > 0 ? Math.min(this.opts.batchSize, Math.max(1, Math.ceil(rate / 10))) : this.opts.batchSize;
  }

  /**
   * insert-rate: after a batch of `n` events that started at `startedMs`, waits until the batch has
   * taken n / insertRatePerSec seconds in all (insert included), so exactly that many are stored
   * per second while inserts are faster than the limit.
   */
  private async pace(n: number, startedMs: number): Promise<void> {
    const rate = this.opts.insertRatePerSec ?? 0;
    if (rate <= 0) return;
    const doneAt = Math.max(startedMs, this.nextInsertAtMs) + (n / rate) * 1000;
    this.nextInsertAtMs = doneAt;
    const wait = doneAt - performance.now();
    if (wait > 0) await sleep(wait);
  }

  private abandon(d: Delivery): void {
    this.metrics.abandoned.inc(d.events.length);
    d.abandon();
  }

  private async write(d: Delivery): Promise<void> {
    const events = d.events;
    let tries = 0;
    for (;;) {
      tries++;
      const started = performance.now();
      try {
        if (this.opts.insertDelayMs > 0) await sleep(this.opts.insertDelayMs);
        await this.store.insert(Buffer.from(events.map((e) => e.line).join('\n')));
      } catch (err) {
        this.metrics.insertErrors.inc();
        if (this.crashed) return this.abandon(d);
        if (this.stopping && tries >= MAX_TRIES_ON_STOP) {
          this.opts.log(`activity: giving up ${events.length} events on stop after ${tries} failed inserts: ${(err as Error).message}`);
          return;
        }
        this.opts.log(`activity: insert of ${events.length} events failed (try ${tries}): ${(err as Error).message}; retrying`);
        await sleep(this.opts.retryDelayMs);
        continue;
      }
      // A crash between insert and ack is the case at-least-once delivery exists for.
      if (this.crashed) return this.abandon(d);
      await d.ack();
      const nowMs = Date.now();
      this.metrics.insertSeconds.observe((performance.now() - started) / 1000);
      this.metrics.batchSize.observe(events.length);
      this.metrics.rowsStored.inc(events.length);
      for (const e of events) this.metrics.lagSeconds.observe((nowMs - e.receivedMs) / 1000);
      await this.pace(events.length, started);
      return;
    }
  }
}
