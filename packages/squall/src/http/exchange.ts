import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { ConnectionPool, PoolConnection } from './connection-pool.js';
import { RawConnection } from './raw-connection.js';
import { takeFreshConnection } from './timed-connector.js';
import type { RawHeader } from './raw-headers.js';
import type { HttpTimings } from './response.js';

/** The protocol a pooled undici connection negotiated (set by its first exchange). */
const kProto = Symbol('squall.proto');
type TaggedConnection = PoolConnection & { [kProto]?: string };

/** What one hop needs: where, what, and how long it may take in all (ms). */
export interface HopSpec {
  readonly url: string;
  readonly origin: string;
  readonly path: string;
  readonly method: string;
  /** Flat [name, value, ...], names lower-case. */
  readonly headers: string[];
  readonly body: Buffer | null;
  /** true: `connection: close` and no reuse (options.noConnectionReuse). */
  readonly reset: boolean;
  readonly keepBody: boolean;
  readonly timeoutMs: number;
}

/** Raised into a timed-out exchange; maps to k6 error code 1050. */
export class RequestTimeoutError extends Error {
  readonly code = 'SQUALL_HTTP_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`request timeout: no complete response within ${timeoutMs}ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** Told when a hop has ended; the request it belongs to. */
export interface HopOwner {
  hopDone(exchange: Exchange): void;
}

/** A response head squall's own parser kept as text; header fields are cut out only when read. */
export interface LazyHead {
  /** The head's size on the wire: status line, header lines and the empty line. */
  readonly wireBytes: number;
  /** Flat [name, value, ...] as received (latin1 text). */
  fields(): string[];
}

/**
 * One HTTP request/response hop: its own undici dispatch handler (so undici calls straight into
 * it, with no wrapper objects), its dispatch options (passed as `opts` to save an object), and its
 * timestamps (performance.now() ms). Uses undici's native handler callbacks (onConnect/onHeaders/
 * onData/onComplete/onError): they are what undici calls internally, whereas the newer
 * onRequestStart/onResponseStart API is adapted onto them per request (an extra wrapper,
 * controller and parsed header object each time). undici 7's typings mark them deprecated; moving
 * to the new API is confined to this class.
 *
 * Lifecycle: created per hop, `start()` once, read by its owner in `hopDone`.
 */
export class Exchange {
  // --- dispatch options read by undici (field names are undici's) ---
  readonly origin: string;
  readonly path: string;
  readonly method: string;
  readonly headers: string[];
  readonly body: Buffer | null;
  readonly reset: boolean;
  // --- inputs ---
  readonly url: string;
  readonly keepBody: boolean;
  readonly timeoutMs: number;
  // --- outcome ---
  startedAt = 0;
  connectedAt = -1;
  sentAt = -1;
  headersAt = -1;
  endedAt = -1;
  connectingMs = 0;
  tlsMs = 0;
  /** 'HTTP/1.1', or 'HTTP/2.0' on an undici connection that negotiated h2. */
  proto = 'HTTP/1.1';
  status = 0;
  statusText = '';
  #rawHeaders: RawHeader[] | null = null;
  #lazyHead: LazyHead | null = null;
  chunks: Buffer[] | null = null;
  bodyBytes = 0;
  error: Error | null = null;
  /** The connection this hop was given; returned to the pool by the client after the hop ends. */
  client: PoolConnection | null = null;
  #abort: ((err?: Error) => void) | null = null;
  #finished = false;
  /** True while `start` hands the hop to the pool: a connection given now was not waited for. */
  #starting = false;

  constructor(
    readonly owner: HopOwner,
    spec: HopSpec,
  ) {
    this.url = spec.url;
    this.origin = spec.origin;
    this.path = spec.path;
    this.method = spec.method;
    this.headers = spec.headers;
    this.body = spec.body;
    this.reset = spec.reset;
    this.keepBody = spec.keepBody;
    this.timeoutMs = spec.timeoutMs;
  }

  /**
   * Starts the hop through `pool` at `nowMs` (performance.now()); its owner's `hopDone` is called once when it completed, failed
   * or timed out (the owner must then `pool.release(exchange)`). The timeout is the owner's to
   * enforce, by calling `timeOut()`.
   */
  start(pool: ConnectionPool, nowMs: number): void {
    this.startedAt = nowMs;
    this.#starting = true;
    try {
      pool.acquire(this);
    } finally {
      this.#starting = false;
    }
  }

  /** The header fields, or the head to cut them from when read; null before a final response head. */
  headerSource(): RawHeader[] | LazyHead | null {
    return this.#rawHeaders ?? this.#lazyHead;
  }

  /** Response header fields, flat [name, value, ...]; null before a final response head. */
  rawHeaders(): RawHeader[] | null {
    if (this.#rawHeaders === null && this.#lazyHead !== null) this.#rawHeaders = this.#lazyHead.fields();
    return this.#rawHeaders;
  }

  /** Sends the hop on `client` (called by the pool, now or when a connection frees up). */
  dispatchOn(client: PoolConnection): void {
    this.client = client;
    // Errors thrown synchronously by dispatch (bad header value...) arrive through onError.
    client.dispatch(this as unknown as Dispatcher.DispatchOptions, this as unknown as Dispatcher.DispatchHandler);
  }

  /** Whether the outcome is settled (completed, failed or timed out). */
  get finished(): boolean {
    return this.#finished;
  }

  /** Whether the hop got a complete response. */
  get completed(): boolean {
    return this.error === null && this.headersAt >= 0;
  }

  // --- undici handler callbacks ---

  onConnect(abort: (err?: Error) => void): void {
    if (this.#finished) {
      // Timed out while queued for a connection: do not send it at all.
      abort(this.error ?? undefined);
      return;
    }
    this.#abort = abort;
    // Given a connection inside start(): nothing was waited for, so the start's clock reading serves.
    this.connectedAt = this.#starting ? this.startedAt : performance.now();
    this.#takeConnection();
  }

  onRequestSent(): void {
    this.sentAt = performance.now();
  }

  onHeaders(statusCode: number, rawHeaders: RawHeader[], _resume: () => void, statusText: string): boolean {
    if (statusCode < 200) return true; // 1xx informational: the final response follows
    this.headersAt = performance.now();
    this.status = statusCode;
    this.statusText = statusText;
    this.#rawHeaders = rawHeaders;
    this.#lazyHead = null;
    return true;
  }

  /** squall's own connection: a final response head, read at `atMs`, whose fields are parsed only when read. */
  onLazyHead(statusCode: number, statusText: string, head: LazyHead, atMs: number): void {
    this.headersAt = atMs;
    this.status = statusCode;
    this.statusText = statusText;
    this.#rawHeaders = null;
    this.#lazyHead = head;
  }

  onData(chunk: Buffer): boolean {
    this.bodyBytes += chunk.length;
    if (this.keepBody) (this.chunks ??= []).push(chunk);
    return true;
  }

  onComplete(): void {
    this.onCompleteAt(performance.now());
  }

  /** squall's own connection: the response's last byte was read at `atMs`. */
  onCompleteAt(atMs: number): void {
    if (this.#finished) return;
    this.endedAt = atMs;
    this.#finish();
  }

  onError(err: Error): void {
    if (this.#finished) return;
    this.endedAt = performance.now();
    this.error = err;
    // A failed connect hands its timings to the first request it errors.
    if (this.connectedAt < 0) this.#takeConnection();
    this.status = 0;
    this.#finish();
  }

  /** Called by the owner when the request's time is up. */
  timeOut(): void {
    if (this.#finished) return;
    this.endedAt = performance.now();
    this.error = new RequestTimeoutError(this.timeoutMs);
    this.status = 0;
    this.#finished = true;
    const abort = this.#abort;
    this.#abort = null;
    // Frees the connection; it then calls onError, which is ignored as already finished.
    if (abort !== null) abort(this.error);
    this.#notify();
  }

  /** Phase durations in ms (k6's definitions; see docs/http.md). */
  timings(): HttpTimings {
    const end = this.endedAt;
    const setup = this.connectingMs + this.tlsMs;
    if (this.connectedAt < 0) {
      return {
        blocked: Math.max(0, end - this.startedAt - setup),
        connecting: this.connectingMs,
        tls_handshaking: this.tlsMs,
        sending: 0,
        waiting: 0,
        receiving: 0,
        duration: 0,
      };
    }
    const sendEnd = this.sentAt >= 0 ? this.sentAt : end;
    const sending = sendEnd - this.connectedAt;
    const waiting = this.sentAt < 0 ? 0 : (this.headersAt >= 0 ? this.headersAt : end) - this.sentAt;
    const receiving = this.headersAt >= 0 ? end - this.headersAt : 0;
    return {
      blocked: Math.max(0, this.connectedAt - this.startedAt - setup),
      connecting: this.connectingMs,
      tls_handshaking: this.tlsMs,
      sending,
      waiting,
      receiving,
      duration: sending + waiting + receiving,
    };
  }

  /** Bytes put on the wire for the request (undici's request head reconstructed), 0 if unsent. */
  bytesSent(): number {
    if (this.connectedAt < 0) return 0;
    const hostLength = this.origin.length - (this.origin.charCodeAt(4) === 115 /* s */ ? 8 : 7);
    // "METHOD PATH HTTP/1.1\r\n" + "host: H\r\n" + "connection: keep-alive\r\n" (or close) + "\r\n"
    let n = this.method.length + this.path.length + 11 + 8 + hostLength + (this.reset ? 19 : 24) + 2;
    const headers = this.headers;
    for (let i = 0; i + 1 < headers.length; i += 2) n += (headers[i] as string).length + (headers[i + 1] as string).length + 4;
    if (this.body !== null) n += 18 + String(this.body.length).length + this.body.length;
    return n;
  }

  /** Bytes of the response received: status line, headers and (decoded) body. */
  bytesReceived(): number {
    if (this.headersAt < 0) return 0;
    if (this.#lazyHead !== null) return this.#lazyHead.wireBytes + this.bodyBytes;
    let n = 15 + this.statusText.length + 2; // "HTTP/1.1 200 " + reason + CRLF, final CRLF
    const raw = this.#rawHeaders;
    if (raw !== null) for (let i = 0; i < raw.length; i++) n += (raw[i] as RawHeader).length + 2;
    return n + this.bodyBytes;
  }

  #takeConnection(): void {
    const fresh = takeFreshConnection();
    if (fresh !== null) {
      this.connectingMs = fresh.connectingMs;
      this.tlsMs = fresh.tlsMs;
      if (this.client !== null) (this.client as TaggedConnection)[kProto] = fresh.proto;
    }
  }

  #finish(): void {
    this.#finished = true;
    this.#abort = null;
    this.#notify();
  }

  #notify(): void {
    const client = this.client;
    // squall's own connections expect re-entry (the owner releases the connection and may send the
    // next hop on it); undici must not be re-entered from its callbacks, so its hops end a
    // microtask later.
    if (client === null || client instanceof RawConnection) this.owner.hopDone(this);
    else {
      this.proto = (client as TaggedConnection)[kProto] ?? 'HTTP/1.1';
      queueMicrotask(() => this.owner.hopDone(this));
    }
  }
}
