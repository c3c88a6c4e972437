import { performance } from 'node:perf_hooks';
import type { Tags } from '../metrics/types.js';
import type { ConnectionPool } from './connection-pool.js';
import type { DeadlineQueue, Expirable } from './deadline-queue.js';
import { errorCodeFor, HttpErrorCode } from './error-codes.js';
import { Exchange, type HopOwner } from './exchange.js';
import type { StatusMatcher } from './expected-statuses.js';
import type { ResponseType } from './params.js';
import { dropHeader, redirectDropsBody, redirectLocation } from './redirect.js';
import type { RequestMetrics } from './request-metrics.js';
import { HttpResponse, type HttpTimings } from './response.js';

/** What a run needs of its client; one object per client, shared by its runs. */
export interface RunEnv {
  readonly pool: ConnectionPool;
  readonly metrics: RequestMetrics;
  readonly deadlines: DeadlineQueue;
  readonly reset: boolean;
  /** The origin and path of an absolute URL (cached); throws a TypeError naming `where`. */
  target(url: string, where: string): { readonly origin: string; readonly path: string };
  /** True once the client is closed: hops that end after that record no samples. */
  closed(): boolean;
}

/** One request as the script made it: validated, with its calling VU's tags and lateness. */
export interface RunSpec {
  readonly where: string;
  readonly method: string;
  readonly url: string;
  readonly origin: string;
  readonly path: string;
  readonly headers: string[];
  readonly body: Buffer | null;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  readonly responseType: ResponseType;
  readonly matcher: StatusMatcher;
  readonly paramTags: Tags | undefined;
  readonly contextTags: Tags;
  readonly startDelayMs: number;
}

/**
 * One request from start to its final response, following redirects hop by hop. Driven by its
 * hops' callbacks, not by awaits: the script's promise is the only one a request creates, and its
 * timeout is an entry in the client's DeadlineQueue rather than a timer of its own.
 *
 * Lifecycle: created per `http.*` call, `start()` once; settles exactly once (resolves with the
 * response, or rejects with a TypeError for an argument undici refused).
 */
export class RequestRun implements HopOwner, Expirable {
  deadlineMs = 0;
  settled = false;
  #hop = 0;
  #method: string;
  #url: string;
  #origin: string;
  #path: string;
  #headers: string[];
  #body: Buffer | null;
  #exchange: Exchange | null = null;
  #resolve: ((res: HttpResponse) => void) | null = null;
  #reject: ((err: Error) => void) | null = null;

  constructor(
    readonly env: RunEnv,
    readonly spec: RunSpec,
  ) {
    this.#method = spec.method;
    this.#url = spec.url;
    this.#origin = spec.origin;
    this.#path = spec.path;
    this.#headers = spec.headers;
    this.#body = spec.body;
  }

  /** Sends the first hop; the promise settles when the final hop has ended. */
  start(): Promise<HttpResponse> {
    const promise = new Promise<HttpResponse>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const now = performance.now();
    this.deadlineMs = now + this.spec.timeoutMs;
    this.env.deadlines.add(this, this.spec.timeoutMs);
    this.#send(now);
    return promise;
  }

  /** The whole-request timeout elapsed: the hop in progress ends as timed out. */
  expire(): void {
    this.#exchange?.timeOut();
  }

  /**
   * The test ended with this request in flight: if its current hop was written to the wire, it is
   * counted as sent and unanswered (error_code 1060). Called by the client's `close()`, before
   * hops that end afterwards stop recording.
   */
  endUnanswered(): void {
    const exchange = this.#exchange;
    if (this.settled || exchange === null || exchange.finished || exchange.sentAt < 0) return;
    const { spec } = this;
    if (exchange.sentAt > this.env.metrics.lastSentAtMs) this.env.metrics.lastSentAtMs = exchange.sentAt;
    this.env.metrics.recordUnanswered(
      {
        method: this.#method,
        name: this.#hop === 0 || spec.paramTags?.name !== undefined ? (spec.paramTags?.name ?? spec.url) : this.#url,
        status: 0,
        expected: false,
        errorCode: HttpErrorCode.interruptedByTestEnd,
        bytesSent: exchange.bytesSent(),
        bytesReceived: 0,
        startDelayMs: spec.startDelayMs,
        sent: true,
      },
      spec.contextTags,
      spec.paramTags,
    );
  }

  /** Called once per hop when it has ended (completed, failed or timed out). */
  hopDone(exchange: Exchange): void {
    const { env, spec } = this;
    env.pool.release(exchange);
    const error = exchange.error;
    if (error !== null && (error as { code?: unknown }).code === 'UND_ERR_INVALID_ARG') {
      this.#settle(null, new TypeError(`${spec.where} ${this.#url}: ${error.message}`));
      return;
    }
    const status = exchange.completed ? exchange.status : 0;
    const errorCode = error !== null ? errorCodeFor(error) : status >= 400 ? 1000 + status : 0;
    const timings = exchange.timings();
    const hop = this.#hop;
    if (exchange.sentAt > env.metrics.lastSentAtMs) env.metrics.lastSentAtMs = exchange.sentAt;
    if (!env.closed()) {
      env.metrics.record(
        timings,
        {
          method: this.#method,
          name: hop === 0 || spec.paramTags?.name !== undefined ? (spec.paramTags?.name ?? spec.url) : this.#url,
          status,
          expected: status !== 0 && spec.matcher.expects(status),
          errorCode,
          bytesSent: exchange.bytesSent(),
          bytesReceived: exchange.bytesReceived(),
          startDelayMs: spec.startDelayMs,
          sent: exchange.sentAt >= 0,
          proto: exchange.proto,
        },
        spec.contextTags,
        spec.paramTags,
      );
    }
    const location = status >= 300 && status < 400 && hop < spec.maxRedirects ? redirectLocation(status, exchange.rawHeaders()) : undefined;
    if (location !== undefined) {
      let next: string;
      try {
        next = new URL(location, this.#url).href;
        const t = env.target(next, spec.where);
        this.#origin = t.origin;
        this.#path = t.path;
      } catch {
        this.#respond(exchange, timings, `invalid redirect location '${location}'`, HttpErrorCode.invalidUrl);
        return;
      }
      if (redirectDropsBody(status, this.#method)) {
        if (this.#method !== 'HEAD') this.#method = 'GET';
        this.#body = null;
        this.#headers = dropHeader(this.#headers, 'content-type');
      }
      this.#url = next;
      this.#hop = hop + 1;
      this.#send(performance.now());
      return;
    }
    this.#respond(exchange, timings, error?.message ?? '', errorCode);
  }

  /** Starts the next hop; `now` is performance.now(), read once by the caller. */
  #send(now: number): void {
    const exchange = new Exchange(this, {
      url: this.#url,
      origin: this.#origin,
      path: this.#path,
      method: this.#method,
      headers: this.#headers,
      body: this.#body,
      reset: this.env.reset,
      keepBody: this.spec.responseType !== 'none',
      timeoutMs: Math.max(1, this.deadlineMs - now),
    });
    this.#exchange = exchange;
    exchange.start(this.env.pool, now);
  }

  #respond(exchange: Exchange, timings: HttpTimings, error: string, errorCode: number): void {
    const completed = exchange.completed;
    this.#settle(
      new HttpResponse({
        url: exchange.url,
        status: completed ? exchange.status : 0,
        statusText: completed ? exchange.statusText : '',
        rawHeaders: completed ? exchange.headerSource() : null,
        chunks: completed ? (exchange.chunks ?? []) : null,
        responseType: this.spec.responseType,
        timings,
        error,
        errorCode,
        method: this.#method,
        requestHeaders: exchange.headers,
        requestBody: exchange.body,
        proto: exchange.proto,
      }),
      null,
    );
  }

  #settle(res: HttpResponse | null, err: Error | null): void {
    this.settled = true;
    this.#exchange = null;
    const resolve = this.#resolve;
    const reject = this.#reject;
    this.#resolve = null;
    this.#reject = null;
    if (err !== null) reject?.(err);
    else resolve?.(res as HttpResponse);
  }
}
