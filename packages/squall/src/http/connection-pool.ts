import { Client } from 'undici';
import type { buildConnector, Dispatcher } from 'undici';
import type { Exchange } from './exchange.js';
import { RawConnection } from './raw-connection.js';

/** What the pool needs of a connection: undici's Client, or squall's plain-HTTP RawConnection. */
export interface PoolConnection {
  dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
  destroy(): Promise<void>;
}

/** Per-origin state: idle connections (LIFO, so spare ones can time out) and waiting exchanges (FIFO). */
class Origin {
  readonly idle: PoolConnection[] = [];
  readonly all: PoolConnection[] = [];
  waiting: Exchange[] = [];
  head = 0;
}

/**
 * Keep-alive connections per origin, one undici `Client` (one socket, one request at a time) each.
 *
 * squall keeps its own queue instead of using undici's `Pool`: with `pipelining: 1` undici frees a
 * connection one event-loop turn after its response completes, so a VU that sends its next request
 * right away found the Pool's connection "busy" and got a second one (a sequential VU alternated
 * between two sockets; 20,000 VUs would hold 40,000). Handing the connection itself back lets undici
 * queue the next request on the same socket. The queue here is also where `blocked` time accrues
 * when `limit` connections are all busy.
 *
 * Lifecycle: one per HTTP client; `destroy()` closes every connection.
 */
export class ConnectionPool {
  readonly #origins = new Map<string, Origin>();
  readonly #limit: number;
  readonly #clientOptions: Client.Options;

  constructor(limit: number | undefined, connect: buildConnector.connector, headersTimeoutMs: number) {
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
      throw new TypeError(`connectionsPerOrigin must be a positive integer, but is ${limit}`);
    }
    this.#limit = limit ?? Number.POSITIVE_INFINITY;
    // undici's own phase timeouts stay above squall's whole-request timer, which is the one that fires.
    const undiciTimeoutMs = Math.max(300_000, headersTimeoutMs + 1_000);
    this.#clientOptions = { pipelining: 1, connect, allowH2: true, headersTimeout: undiciTimeoutMs, bodyTimeout: undiciTimeoutMs };
  }

  /** Starts `exchange` on a free connection, opens one if under the limit, or queues it. */
  acquire(exchange: Exchange): void {
    let origin = this.#origins.get(exchange.origin);
    if (origin === undefined) {
      origin = new Origin();
      this.#origins.set(exchange.origin, origin);
    }
    let client = origin.idle.pop();
    if (client === undefined && origin.all.length < this.#limit) {
      // Plain HTTP goes through squall's lean HTTP/1.1 connection; TLS through undici.
      client = exchange.origin.startsWith('http:') ? new RawConnection(exchange.origin) : new Client(exchange.origin, this.#clientOptions);
      origin.all.push(client);
    }
    if (client === undefined) origin.waiting.push(exchange);
    else exchange.dispatchOn(client);
  }

  /**
   * Returns the finished exchange's connection: to the oldest live waiter, else to the idle list.
   * Call after the exchange's promise resolved, never from inside an undici callback (undici
   * asserts its queue is empty while it errors the requests of a failed connection).
   */
  release(exchange: Exchange): void {
    const client = exchange.client;
    if (client === null) return;
    exchange.client = null;
    const origin = this.#origins.get(exchange.origin);
    if (origin === undefined) return;
    while (origin.head < origin.waiting.length) {
      const next = origin.waiting[origin.head] as Exchange;
      origin.head++;
      if (origin.head > 1024 && origin.head * 2 > origin.waiting.length) {
        origin.waiting = origin.waiting.slice(origin.head);
        origin.head = 0;
      }
      // Waiters that timed out while queued are skipped here rather than searched out earlier.
      if (!next.finished) {
        next.dispatchOn(client);
        return;
      }
    }
    origin.waiting.length = 0;
    origin.head = 0;
    origin.idle.push(client);
  }

  /** Closes every connection, failing requests in flight. */
  async destroy(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const origin of this.#origins.values()) {
      for (const client of origin.all) closing.push(client.destroy());
      for (let i = origin.head; i < origin.waiting.length; i++) origin.waiting[i]?.onError(new Error('HTTP client closed'));
    }
    this.#origins.clear();
    await Promise.all(closing);
  }
}
