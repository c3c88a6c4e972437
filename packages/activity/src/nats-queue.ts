import {
  AckPolicy,
  connect,
  DeliverPolicy,
  DiscardPolicy,
  nanos,
  RetentionPolicy,
  StorageType,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
} from 'nats';
import { BatchWait } from './batch-wait.js';
import type { QueuedEvent } from './audit-event.js';
import { ActivityError } from './errors.js';
import type { Delivery, EventQueue, OfferResult } from './queue.js';

/** JetStream names, as in the seed's deployment. */
export const STREAM = 'AUDIT_EVENTS';
export const SUBJECT = 'audit.events';
export const DURABLE = 'clickhouse-ingest';
/** Window within which JetStream drops a second publish with the same auditID (Nats-Msg-Id). */
const DUPLICATE_WINDOW_MS = 5 * 60_000;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Settings of the NATS queue; ms units. */
export interface NatsQueueOptions {
  readonly servers: string;
  /** Stream max_msgs (work-queue retention: unacknowledged events); past it publishes are refused. */
  readonly capacity: number;
  readonly batchSize: number;
  readonly ackWaitMs: number;
}

/**
 * JetStream queue: stream AUDIT_EVENTS (work-queue retention, file storage, discard new when full,
 * de-duplication on auditID) and durable pull consumer `clickhouse-ingest` with explicit acks.
 * Ingest publishes on one connection and gets the 202 only once JetStream stored every event; the
 * consumer uses its own connection so it can be killed and restarted alone (`restartConsumer`).
 * Payload: `<receivedMs> <row JSON>`.
 */
export class NatsQueue implements EventQueue {
  readonly location: string;
  private pub: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private jsm: JetStreamManager | undefined;
  private sub: NatsConnection | undefined;
  private messages: ConsumerMessages | undefined;
  private buffer: JsMsg[] = [];
  private readonly batchWait = new BatchWait();
  private closed = false;

  constructor(private readonly opts: NatsQueueOptions) {
    this.location = `nats://${opts.servers}`;
  }

  async open(): Promise<void> {
    try {
      this.pub = await connect({ servers: this.opts.servers, name: 'activity-ingest' });
      this.jsm = await this.pub.jetstreamManager();
      this.js = this.pub.jetstream();
      const stream = {
        name: STREAM,
        subjects: [SUBJECT],
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        discard: DiscardPolicy.New,
        max_msgs: this.opts.capacity,
        duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      };
      await this.jsm.streams.info(STREAM).then(
        () => this.jsm?.streams.update(STREAM, stream),
        () => this.jsm?.streams.add(stream),
      );
      const consumer = {
        durable_name: DURABLE,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(this.opts.ackWaitMs),
        max_ack_pending: this.opts.batchSize * 4,
      };
      await this.jsm.consumers.info(STREAM, DURABLE).then(
        () => this.jsm?.consumers.update(STREAM, DURABLE, consumer),
        () => this.jsm?.consumers.add(STREAM, consumer),
      );
      await this.startConsumer();
    } catch (err) {
      await this.close();
      throw new ActivityError('ACTIVITY_QUEUE_FAILED', `cannot set up JetStream on ${this.location}: ${(err as Error).message}`, { cause: err });
    }
  }

  private async startConsumer(): Promise<void> {
    this.sub = await connect({ servers: this.opts.servers, name: 'activity-consumer' });
    const consumer = await this.sub.jetstream().consumers.get(STREAM, DURABLE);
    const messages = await consumer.consume({ max_messages: this.opts.batchSize * 2 });
    this.messages = messages;
    void (async () => {
      for await (const m of messages) {
        this.buffer.push(m);
        this.batchWait.offered(this.buffer.length);
      }
    })().catch(() => undefined);
  }

  /**
   * Kills the consumer as a crash would: its connection closes without acknowledging anything it
   * holds, then a new one attaches to the same durable. JetStream redelivers what was unacknowledged
   * once the ack wait expires.
   */
  async restartConsumer(): Promise<void> {
    const old = this.sub;
    this.messages = undefined;
    this.buffer = [];
    await old?.close();
    if (!this.closed) await this.startConsumer();
  }

  async offer(events: readonly QueuedEvent[]): Promise<OfferResult> {
    const js = this.js;
    if (!js || this.closed) throw new ActivityError('ACTIVITY_QUEUE_FAILED', 'NATS queue is closed');
    const results = await Promise.allSettled(
      events.map((e) => js.publish(SUBJECT, enc.encode(`${e.receivedMs} ${e.line}`), { msgID: e.auditID })),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (!failed) return { kind: 'ok' };
    const message = (failed.reason as Error)?.message ?? String(failed.reason);
    // Some events may be in the stream already; the client retries the whole request and
    // de-duplication on auditID (stream window + store) keeps that exact.
    if (/maximum (messages|bytes)/i.test(message)) return { kind: 'full', retryAfterSec: 1 };
    throw new ActivityError('ACTIVITY_QUEUE_FAILED', `publish to ${STREAM} failed: ${message}`, { cause: failed.reason });
  }

  async next(max: number, waitMs: number): Promise<Delivery | null> {
    if (this.buffer.length < max && !this.closed && waitMs > 0) {
      await this.batchWait.wait(max, waitMs);
    }
    if (this.buffer.length === 0) return null;
    const msgs = this.buffer.splice(0, max);
    const conn = this.sub;
    const events: QueuedEvent[] = msgs.map((m) => {
      const text = dec.decode(m.data);
      const sp = text.indexOf(' ');
      return { auditID: m.headers?.get('Nats-Msg-Id') ?? '', receivedMs: Number(text.slice(0, sp)), line: text.slice(sp + 1) };
    });
    return {
      events,
      ack: async () => {
        for (const m of msgs) m.ack();
        await conn?.flush();
      },
      abandon: () => undefined,
    };
  }

  wakeReader(): void {
    this.batchWait.wakeNow();
  }

  async depth(): Promise<number> {
    if (!this.jsm) return 0;
    try {
      const info = await this.jsm.consumers.info(STREAM, DURABLE);
      return info.num_pending + info.num_ack_pending;
    } catch {
      return 0;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.batchWait.wakeNow();
    this.messages?.stop();
    await this.sub?.close().catch(() => undefined);
    await this.pub?.drain().catch(() => undefined);
  }
}
