import type { AddressInfo } from 'node:net';
import { BatchWriter } from './batch-writer.js';
import { ChdbStore } from './chdb-store.js';
import { ClickHouseStore } from './clickhouse-store.js';
import { FaultInjector } from './faults.js';
import { createActivityServer } from './http-server.js';
import { MemoryQueue } from './memory-queue.js';
import { ActivityMetrics } from './metrics.js';
import { NatsQueue } from './nats-queue.js';
import { resolveOptions, type ActivityOptions } from './options.js';
import type { EventQueue } from './queue.js';
import type { EventStore } from './store.js';

/** A running activity target. */
export interface ActivityHandle {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The Bearer token platform queries must send (given, or generated at start). */
  readonly platformToken: string;
  /** Where events are stored, e.g. `chdb:/tmp/activity-chdb-x`. */
  readonly store: string;
  /** `memory` or the NATS URL. */
  readonly queue: string;
  /** Prometheus exposition text, as `/metrics` serves it. */
  metricsText(): Promise<string>;
  /** Events accepted and not yet stored. */
  queueDepth(): Promise<number>;
  /**
   * Kills the batch writer (and, with NATS, its consumer connection) with a batch in flight
   * unacknowledged, then starts a fresh one: the crash that at-least-once delivery is for.
   */
  restartConsumer(): Promise<void>;
  /** Waits until everything accepted so far is stored (queue depth 0), or `timeoutMs` passed; true when drained. */
  waitIdle(timeoutMs?: number): Promise<boolean>;
  /** Stops accepting, stores everything acknowledged (memory queue) or leaves it in JetStream, closes. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the activity target: HTTP ingest and query API, queue, batch writer, store.
 * One per process with the embedded chdb store (chdb allows one data directory per process).
 */
export async function startActivity(options: ActivityOptions = {}): Promise<ActivityHandle> {
  const o = resolveOptions(options);
  const store: EventStore = o.store.kind === 'chdb' ? new ChdbStore(o.store.dir) : new ClickHouseStore(o.store.url);
  const queue: EventQueue =
    o.queue.kind === 'memory'
      ? new MemoryQueue(o.queueCapacity)
      : new NatsQueue({ servers: o.queue.servers, capacity: o.queueCapacity, batchSize: o.batchSize, ackWaitMs: o.natsAckWaitMs });
  const metrics = new ActivityMetrics(() => queue.depth());
  const faults = new FaultInjector(o.faults, Date.now());
  let ready = false;

  await store.open();
  try {
    await queue.open();
  } catch (err) {
    await store.close();
    throw err;
  }
  const writer = new BatchWriter(queue, store, metrics, {
    batchSize: o.batchSize,
    flushIntervalMs: o.flushIntervalMs,
    insertDelayMs: faults.insertDelayMs,
    insertRatePerSec: faults.insertRatePerSec,
    retryDelayMs: 500,
    drainOnStop: o.queue.kind === 'memory',
    log: o.log,
  });
  writer.start();

  const server = createActivityServer({ queue, store, metrics, faults, platformToken: o.platformToken, maxBodyBytes: o.maxBodyBytes, requestTimeoutMs: o.requestTimeoutMs, cursorTtlMs: o.cursorTtlMs, ready: () => ready, log: o.log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  }).catch(async (err: unknown) => {
    await writer.stop();
    await queue.close();
    await store.close();
    throw err;
  });
  ready = true;
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  if (store instanceof ChdbStore) store.announce(url);

  let closing: Promise<void> | undefined;
  const handle: ActivityHandle = {
    url,
    platformToken: o.platformToken,
    store: store.location,
    queue: queue.location,
    metricsText: () => metrics.registry.metrics(),
    queueDepth: () => queue.depth(),
    async restartConsumer() {
      await writer.crash();
      if (queue instanceof NatsQueue) await queue.restartConsumer();
      writer.start();
    },
    async waitIdle(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if ((await queue.depth()) === 0) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    },
    close() {
      closing ??= (async () => {
        ready = false;
        // Stop taking requests first, so nothing is acknowledged that will not be stored.
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await writer.stop();
        await queue.close();
        await store.close();
        o.log(`activity: stopped (${store.location})`);
      })();
      return closing;
    },
  };
  o.log(`activity: listening on ${url} (store ${store.location}, queue ${queue.location}${o.faults.length ? `, faults ${o.faults.map((f) => f.kind).join(',')}` : ''})`);
  return handle;
}
