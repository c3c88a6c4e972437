import { performance } from 'node:perf_hooks';
import type { ResolvedOptions } from '../config/types.js';
import type { MetricSink, Tags } from '../metrics/types.js';
import { ConnectionPool } from './connection-pool.js';
import { normalizeBatchEntry, runLimited, type BatchEntry, type BatchRequest } from './batch.js';
import { DeadlineQueue } from './deadline-queue.js';
import { matcherFor, StatusMatcher } from './expected-statuses.js';
import { appendQuery, checkRedirects, checkResponseType, describe, encodeBody, parseTimeoutMs } from './params.js';
import type { RequestBody, RequestParams } from './params.js';
import { RequestMetrics } from './request-metrics.js';
import type { HttpResponse } from './response.js';
import { RequestRun, type RunEnv } from './request-run.js';
import { createTimedConnector } from './timed-connector.js';

export type { RequestBody, RequestParams, ResponseType } from './params.js';
export type { HttpTimings, SentRequest } from './response.js';
export { HttpResponse } from './response.js';
export type { BatchRequest } from './batch.js';

/** The calling VU's state, read once per request. */
export interface RequestContext {
  tags: Tags;
  /** ms its iteration started late (arrival-rate); 0 otherwise */
  startDelayMs: number;
}

/** What a client needs; one client per worker thread, shared by all its VUs. */
export interface HttpClientDeps {
  sink: MetricSink;
  options: Pick<
    ResolvedOptions,
    | 'userAgent'
    | 'maxRedirects'
    | 'httpTimeoutMs'
    | 'expectedStatuses'
    | 'discardResponseBodies'
    | 'noConnectionReuse'
    | 'insecureSkipTLSVerify'
    | 'tlsAuth'
    | 'batch'
    | 'batchPerHost'
    | 'tags'
  >;
  /** Called once per request: the calling VU's current tags (scenario, group, ...) and lateness. */
  context: () => RequestContext;
  /** Most connections per origin (undefined: unbounded; VUs share the pool). */
  connectionsPerOrigin?: number;
}

/** k6's `k6/http` API, async. Failures of the target resolve as responses with `error_code`; never reject. */
export interface HttpClient {
  get(url: string, params?: RequestParams): Promise<HttpResponse>;
  head(url: string, params?: RequestParams): Promise<HttpResponse>;
  options(url: string, body?: RequestBody, params?: RequestParams): Promise<HttpResponse>;
  post(url: string, body?: RequestBody, params?: RequestParams): Promise<HttpResponse>;
  put(url: string, body?: RequestBody, params?: RequestParams): Promise<HttpResponse>;
  patch(url: string, body?: RequestBody, params?: RequestParams): Promise<HttpResponse>;
  del(url: string, body?: RequestBody, params?: RequestParams): Promise<HttpResponse>;
  request(method: string, url: string, body?: RequestBody, params?: RequestParams): Promise<HttpResponse>;
  /** Runs requests in parallel (options.batch overall, options.batchPerHost per host); same shape back. */
  batch(requests: readonly BatchRequest[]): Promise<HttpResponse[]>;
  batch(requests: Readonly<Record<string, BatchRequest>>): Promise<Record<string, HttpResponse>>;
  /**
   * Closes every connection. Requests still in flight that were written to the wire are counted in
   * http_reqs_sent (error_code 1060, interrupted by the test's end); nothing else is recorded for them.
   */
  close(): Promise<void>;
  /** performance.now() at which the latest request counted in http_reqs_sent was written; -Infinity before any. */
  lastSentAtMs(): number;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE']);
/** 'http GET' and friends, built once: error messages name the call by it. */
const WHERE = new Map([...METHODS].map((m) => [m, `http ${m}`]));
const MAX_CACHED_URLS = 10_000;

interface Target {
  readonly origin: string;
  readonly path: string;
}

/** Creates the worker's HTTP client: one keep-alive pool per origin, shared by all its VUs. */
export function createHttpClient(deps: HttpClientDeps): HttpClient {
  const { options } = deps;
  const pool = new ConnectionPool(
    deps.connectionsPerOrigin,
    createTimedConnector({ rejectUnauthorized: !options.insecureSkipTLSVerify, connectTimeoutMs: options.httpTimeoutMs, allowH2: true, tlsAuth: options.tlsAuth }),
    options.httpTimeoutMs,
  );
  const metrics = new RequestMetrics(deps.sink, options.tags);
  const deadlines = new DeadlineQueue();
  const globalMatcher = new StatusMatcher(options.expectedStatuses, 'options.expectedStatuses');
  const defaultHeaders = ['user-agent', options.userAgent];
  const jsonHeaders = ['user-agent', options.userAgent, 'content-type', 'application/json'];
  const targets = new Map<string, Target>();
  let closed = false;

  function target(url: string, where: string): Target {
    let t = targets.get(url);
    if (t === undefined) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new TypeError(`${where}: the URL must be absolute (http:// or https://), but is '${url}'`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new TypeError(`${where}: only http:// and https:// URLs are supported, but the URL is '${url}'`);
      }
      t = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      if (targets.size >= MAX_CACHED_URLS) targets.clear();
      targets.set(url, t);
    }
    return t;
  }

  function headersFor(params: RequestParams | undefined, impliedContentType: string | null): string[] {
    const given = params?.headers;
    if (given === undefined) return impliedContentType === null ? defaultHeaders : jsonHeaders;
    const headers: string[] = [];
    let hasAgent = false;
    let hasType = false;
    for (const key of Object.keys(given)) {
      const name = key.toLowerCase();
      const value = given[key];
      if (value === undefined) continue;
      if (name === 'user-agent') hasAgent = true;
      else if (name === 'content-type') hasType = true;
      if (Array.isArray(value)) for (const v of value as readonly string[]) headers.push(name, String(v));
      else headers.push(name, String(value));
    }
    if (!hasAgent) headers.push('user-agent', options.userAgent);
    if (!hasType && impliedContentType !== null) headers.push('content-type', impliedContentType);
    return headers;
  }

  const env: RunEnv = {
    pool,
    metrics,
    deadlines,
    reset: options.noConnectionReuse,
    target,
    closed: () => closed,
  };

  // Not async: a request is driven by its connection's callbacks (see RequestRun), and an async
  // function would add promises (each one a promise hook for the VU context) to every request.
  function send(method: unknown, url: unknown, body: RequestBody, params: RequestParams | undefined): Promise<HttpResponse> {
    try {
      const verb = typeof method === 'string' ? method.toUpperCase() : '';
      const where = WHERE.get(verb);
      if (where === undefined) {
        throw new TypeError(`http.request(): the method must be one of ${[...METHODS].join(', ')}, but is ${describe(method)}`);
      }
      if (typeof url !== 'string') throw new TypeError(`${where}: the URL must be a string, but is ${describe(url)}`);
      const ctx = deps.context();
      const fullUrl = params?.query === undefined ? url : appendQuery(url, params.query);
      const t = target(fullUrl, where);
      const encoded = encodeBody(body, where);
      return new RequestRun(env, {
        where,
        method: verb,
        url: fullUrl,
        origin: t.origin,
        path: t.path,
        headers: headersFor(params, encoded.impliedContentType),
        body: encoded.bytes,
        timeoutMs: params?.timeout === undefined ? options.httpTimeoutMs : parseTimeoutMs(params.timeout, where),
        maxRedirects: params?.redirects === undefined ? options.maxRedirects : checkRedirects(params.redirects, where),
        responseType:
          params?.responseType === undefined ? (options.discardResponseBodies ? 'none' : 'text') : checkResponseType(params.responseType, where),
        matcher: params?.expectedStatuses === undefined ? globalMatcher : matcherFor(params.expectedStatuses),
        paramTags: params?.tags,
        contextTags: ctx.tags,
        startDelayMs: ctx.startDelayMs,
      }).start();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async function batch(requests: unknown): Promise<HttpResponse[] | Record<string, HttpResponse>> {
    if (requests === null || typeof requests !== 'object') {
      throw new TypeError(`http.batch(): requests must be an array or an object, but is ${describe(requests)}`);
    }
    const keys = Array.isArray(requests) ? requests.map((_r, i) => String(i)) : Object.keys(requests);
    const source = requests as Record<string, BatchRequest>;
    const entries = keys.map((key) => normalizeBatchEntry(source[key] as BatchRequest, key));
    // Validate every URL up front so a typo fails the call before any request is sent.
    const hosts = entries.map(([, url], i) => {
      if (typeof url !== 'string') throw new TypeError(`http.batch(): request ${keys[i]} has a URL that is ${describe(url)}, not a string`);
      return target(url, 'http.batch()').origin;
    });
    const responses = await runLimited(
      entries.length,
      (i) => hosts[i] as string,
      (i) => {
        const [method, url, body, params] = entries[i] as BatchEntry;
        return send(method, url, body, params);
      },
      options.batch,
      options.batchPerHost,
    );
    if (Array.isArray(requests)) return responses;
    const out: Record<string, HttpResponse> = {};
    keys.forEach((key, i) => {
      out[key] = responses[i] as HttpResponse;
    });
    return out;
  }

  return {
    get: (url, params) => send('GET', url, undefined, params),
    head: (url, params) => send('HEAD', url, undefined, params),
    options: (url, body, params) => send('OPTIONS', url, body, params),
    post: (url, body, params) => send('POST', url, body, params),
    put: (url, body, params) => send('PUT', url, body, params),
    patch: (url, body, params) => send('PATCH', url, body, params),
    del: (url, body, params) => send('DELETE', url, body, params),
    request: (method, url, body, params) => send(method, url, body, params),
    batch: batch as HttpClient['batch'],
    lastSentAtMs: () => metrics.lastSentAtMs,
    async close() {
      if (!closed) deadlines.forEachUnsettled((run) => (run as RequestRun).endUnanswered());
      closed = true;
      deadlines.clear();
      await pool.destroy();
    },
  };
}
