import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { ResponseParser, type ResponseHead, type ResponseSink } from './response-parser.js';
import { withFreshConnection } from './timed-connector.js';

/** The undici dispatch options squall's exchanges pass (see exchange.ts). */
interface RawDispatchOptions {
  readonly origin: string;
  readonly path: string;
  readonly method: string;
  /** Flat [name, value, ...], names lower-case. */
  readonly headers: readonly string[];
  readonly body: Buffer | null;
  /** Send `connection: close` and do not reuse the connection. */
  readonly reset: boolean;
}

/** The undici handler callbacks squall's exchanges implement. */
interface RawHandler {
  onConnect(abort: (err?: Error) => void): void;
  onRequestSent(): void;
  onLazyHead(statusCode: number, statusText: string, head: ResponseHead, atMs: number): void;
  onData(chunk: Buffer): boolean;
  onCompleteAt(atMs: number): void;
  onError(err: Error): void;
}

interface Pending {
  readonly opts: RawDispatchOptions;
  readonly handler: RawHandler;
}

/** An error shaped like undici's, so error codes map the same way (1000-class codes in error-codes.ts). */
function socketError(message: string, code: string, cause?: unknown): Error {
  const err = new Error(message, cause === undefined ? undefined : { cause }) as Error & { code: string };
  err.code = code;
  return err;
}

const READ_BUFFER_BYTES = 64 * 1024;
const MAX_CACHED_HEADS = 1000;
// Reads land in one buffer per thread: each read is consumed (parsed, body bytes copied out)
// before its callback returns, so every connection can share it.
let readBuffer: Buffer | null = null;

/**
 * Requests waiting to be written at the end of the event loop's current pass (see `#queueSend`),
 * at most SEND_BATCH: writing them together wakes the server once per batch instead of once per
 * request (on a loopback test that wake-up was most of a write's cost), and the cap bounds how
 * long a request waits for the batch.
 */
const SEND_BATCH = 16;
let sendBatch: RawConnection[] = [];

function flushSendBatch(): void {
  if (sendBatch.length === 0) return;
  const batch = sendBatch;
  sendBatch = [];
  for (const connection of batch) connection.sendQueued();
}

/** A request head as bytes, kept per (headers array, path): sequential requests reuse it. */
interface CachedHead {
  readonly method: string;
  readonly reset: boolean;
  readonly bodyBytes: number;
  readonly bytes: Buffer;
}
type HeadCache = WeakMap<readonly string[], Map<string, CachedHead>>;
// Per host header: every connection to an origin shares its heads.
const headCaches = new Map<string, HeadCache>();

/**
 * One plain-HTTP/1.1 keep-alive connection that speaks the slice of undici's Client interface the
 * connection pool uses (`dispatch` with undici's handler callbacks, `destroy`). It exists for speed
 * (docs/benchmarks.md, issue 3): a request costs one prepared `write` and one incremental parse,
 * without undici's per-request Request object, stream layers and wasm parser round trips. TLS
 * origins keep using undici. Requests run one at a time; further dispatches queue.
 *
 * Lifecycle: created by the pool per connection slot; reconnects when its socket closed; `destroy()`
 * ends it and fails what is queued.
 */
export class RawConnection implements ResponseSink {
  readonly #host: string;
  readonly #port: number;
  readonly #hostHeader: string;
  #socket: Socket | null = null;
  #connected = false;
  #connectStartedAt = 0;
  #current: Pending | null = null;
  /** The current request while it waits in the send batch. */
  #queuedSend: Pending | null = null;
  #queue: Pending[] = [];
  #destroyed = false;
  /** performance.now() of the read being parsed (one clock reading per read), -1 outside reads. */
  #readAtMs = -1;
  readonly #parser = new ResponseParser(this);
  readonly #heads: HeadCache;

  constructor(origin: string) {
    const url = new URL(origin);
    this.#host = url.hostname.replace(/^\[|\]$/g, '');
    this.#port = Number(url.port || 80);
    this.#hostHeader = url.host;
    let heads = headCaches.get(url.host);
    if (heads === undefined) {
      heads = new WeakMap();
      headCaches.set(url.host, heads);
    }
    this.#heads = heads;
  }

  /** Queues a request; its outcome arrives through the handler. Same contract as undici's. */
  dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const pending = { opts: opts as unknown as RawDispatchOptions, handler: handler as unknown as RawHandler };
    if (this.#destroyed) {
      pending.handler.onError(socketError('the HTTP connection was closed', 'UND_ERR_DESTROYED'));
      return false;
    }
    this.#queue.push(pending);
    if (this.#current === null) this.#next();
    return true;
  }

  /** Closes the connection, failing the request in flight and the queued ones. */
  async destroy(): Promise<void> {
    this.#destroyed = true;
    const err = socketError('HTTP client closed', 'UND_ERR_DESTROYED');
    const all = this.#current === null ? this.#queue : [this.#current, ...this.#queue];
    this.#current = null;
    this.#queue = [];
    this.#dropSocket();
    for (const p of all) p.handler.onError(err);
  }

  #next(): void {
    const pending = this.#queue.shift();
    if (pending === undefined) return;
    this.#current = pending;
    if (this.#socket === null) this.#connect();
    else if (this.#connected) this.#queueSend(pending);
    // else: connecting; #send runs on connect.
  }

  /**
   * Sends `pending` (the current request, on a connected socket) with the batch: when the loop
   * has finished this pass (setImmediate), or at once when the batch is full. The request counts
   * as waiting for its connection until then (k6's `blocked`), so `http_req_duration` starts when
   * its bytes are written.
   */
  #queueSend(pending: Pending): void {
    this.#queuedSend = pending;
    sendBatch.push(this);
    if (sendBatch.length === 1) setImmediate(flushSendBatch);
    else if (sendBatch.length >= SEND_BATCH) flushSendBatch();
  }

  /** Sends the request `#queueSend` queued, if it is still this connection's current one. */
  sendQueued(): void {
    const pending = this.#queuedSend;
    this.#queuedSend = null;
    if (pending !== null && pending === this.#current && this.#connected) this.#send(pending);
  }

  #connect(): void {
    this.#connectStartedAt = performance.now();
    // `onread` hands reads straight to the parser, without the stream's per-read Buffer and events.
    const socket: Socket = connect({
      host: this.#host,
      port: this.#port,
      onread: {
        buffer: (readBuffer ??= Buffer.allocUnsafe(READ_BUFFER_BYTES)),
        callback: (bytes: number, buf: Uint8Array) => {
          if (this.#socket === socket) this.#onData(buf as Buffer, bytes);
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    this.#socket = socket;
    this.#connected = false;
    socket.on('connect', () => {
      if (this.#socket !== socket) return;
      this.#connected = true;
      const pending = this.#current;
      if (pending === null) return;
      withFreshConnection({ connectingMs: performance.now() - this.#connectStartedAt, tlsMs: 0, proto: 'HTTP/1.1', taken: false }, () => this.#send(pending));
    });
    socket.on('error', (err) => {
      if (this.#socket !== socket) return;
      if (!this.#connected) {
        // A failed connect hands its time to the request it fails (as undici's connector does).
        const record = { connectingMs: performance.now() - this.#connectStartedAt, tlsMs: 0, proto: 'HTTP/1.1', taken: false };
        withFreshConnection(record, () => this.#fail(err));
      } else this.#fail(err);
    });
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#connected = false;
      if (this.#current === null) return;
      // A body that runs to the end of the connection completes here; anything else was cut short.
      if (this.#parser.readsUntilClose) this.#parser.end();
      else this.#fail(socketError('other side closed', 'UND_ERR_SOCKET'));
    });
  }

  #send(pending: Pending): void {
    const { opts, handler } = pending;
    handler.onConnect((err?: Error) => {
      if (this.#current === pending) this.#fail(err ?? socketError('request aborted', 'UND_ERR_ABORTED'));
    });
    if (this.#current !== pending) return; // aborted inside onConnect (timed out while queued)
    const head = this.#cachedHead(opts);
    if (head instanceof Error) {
      this.#current = null;
      handler.onError(head);
      this.#next();
      return;
    }
    const socket = this.#socket as Socket;
    this.#parser.expect(opts.method);
    if (opts.body !== null && opts.body.length > 0) {
      socket.cork();
      socket.write(head);
      socket.write(opts.body);
      socket.uncork();
    } else socket.write(head);
    handler.onRequestSent();
  }

  #cachedHead(opts: RawDispatchOptions): Buffer | Error {
    const bodyBytes = opts.body === null ? -1 : opts.body.length;
    let byPath = this.#heads.get(opts.headers);
    const cached = byPath?.get(opts.path);
    if (cached !== undefined && cached.method === opts.method && cached.reset === opts.reset && cached.bodyBytes === bodyBytes) return cached.bytes;
    const text = this.#head(opts);
    if (text instanceof Error) return text;
    const bytes = Buffer.from(text, 'latin1');
    if (byPath === undefined) {
      byPath = new Map();
      this.#heads.set(opts.headers, byPath);
    }
    if (byPath.size >= MAX_CACHED_HEADS) byPath.clear();
    byPath.set(opts.path, { method: opts.method, reset: opts.reset, bodyBytes, bytes });
    return bytes;
  }

  #head(opts: RawDispatchOptions): string | Error {
    let head = `${opts.method} ${opts.path} HTTP/1.1\r\n`;
    let hasHost = false;
    let hasLength = false;
    const h = opts.headers;
    for (let i = 0; i + 1 < h.length; i += 2) {
      const name = h[i] as string;
      const value = h[i + 1] as string;
      if (/[\r\n\0]/.test(value) || /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(name)) {
        return Object.assign(new Error(`invalid header ${JSON.stringify(name)}: names must be tokens and values must not contain CR, LF or NUL`), { code: 'UND_ERR_INVALID_ARG' });
      }
      if (name === 'host') hasHost = true;
      else if (name === 'content-length') hasLength = true;
      head += `${name}: ${value}\r\n`;
    }
    let prefix = hasHost ? '' : `host: ${this.#hostHeader}\r\n`;
    prefix += opts.reset ? 'connection: close\r\n' : 'connection: keep-alive\r\n';
    const length = opts.body !== null && !hasLength ? `content-length: ${opts.body.length}\r\n` : '';
    const eol = head.indexOf('\r\n') + 2;
    return `${head.slice(0, eol)}${prefix}${head.slice(eol)}${length}\r\n`;
  }

  /** `buf` is the shared read buffer: nothing may keep a view of it past this call. */
  #onData(buf: Buffer, bytes: number): void {
    if (this.#current === null) {
      // Bytes nobody asked for: the connection is out of step; drop it.
      this.#dropSocket();
      return;
    }
    this.#readAtMs = performance.now();
    try {
      this.#parser.push(buf.subarray(0, bytes));
    } catch (err) {
      this.#fail(err as Error);
    } finally {
      this.#readAtMs = -1;
    }
  }

  // --- ResponseSink ---

  onHead(status: number, statusText: string, head: ResponseHead): void {
    // A head and body that came in one read arrived at the same time: one clock reading for both.
    this.#current?.handler.onLazyHead(status, statusText, head, this.#readAtMs >= 0 ? this.#readAtMs : performance.now());
  }

  onBody(chunk: Buffer): void {
    // A copy: `chunk` is a view of the shared read buffer.
    this.#current?.handler.onData(Buffer.from(chunk));
  }

  onEnd(): void {
    const pending = this.#current;
    this.#current = null;
    if (pending === null) return;
    if (!this.#parser.keepAlive || pending.opts.reset) this.#dropSocket();
    pending.handler.onCompleteAt(this.#readAtMs >= 0 ? this.#readAtMs : performance.now());
    this.#next();
  }

  #fail(err: Error): void {
    const pending = this.#current;
    this.#current = null;
    this.#dropSocket();
    pending?.handler.onError(err);
    this.#next();
  }

  #dropSocket(): void {
    const socket = this.#socket;
    this.#socket = null;
    this.#connected = false;
    this.#parser.reset();
    socket?.destroy();
  }
}
