import type { MetricSink, Tags } from '../metrics/types.js';
import { BUILTIN_METRICS, type BuiltinMetricName } from '../metrics/builtin.js';
import type { HttpTimings } from './response.js';

/** One request sample's facts, beyond its timings. */
export interface RequestSample {
  readonly method: string;
  /** The `name` tag (also used as the `url` tag): params.tags.name, else the URL. */
  readonly name: string;
  readonly status: number;
  readonly expected: boolean;
  /** k6 error code; 0 for none. */
  readonly errorCode: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** The calling iteration's start delay, ms (added into http_req_latency). */
  readonly startDelayMs: number;
}

const MAX_CACHED_TAG_SETS = 100_000;
const SEP = '\u0000';

function idOf(sink: MetricSink, name: BuiltinMetricName): number {
  const def = BUILTIN_METRICS.find((m) => m.name === name);
  if (def === undefined) throw new Error(`built-in metric ${name} is missing from metrics/builtin.ts`);
  return sink.define(def);
}

function serialize(tags: Tags): string {
  let key = '';
  for (const k of Object.keys(tags)) key += `${k}=${tags[k] ?? ''}${SEP}`;
  return key;
}

/**
 * Records the per-request built-in metrics. Metric ids are resolved once; tag sets are interned
 * once per distinct (context tags, method, name, status, outcome, extra tags) and then found by a
 * string key, so a steady-state request builds no tag object.
 *
 * Lifecycle: one per HTTP client (per worker thread).
 */
export class RequestMetrics {
  readonly #sink: MetricSink;
  readonly #optionTags: Tags;
  readonly #reqs: number;
  readonly #duration: number;
  readonly #blocked: number;
  readonly #connecting: number;
  readonly #tls: number;
  readonly #sending: number;
  readonly #waiting: number;
  readonly #receiving: number;
  readonly #failed: number;
  readonly #dataSent: number;
  readonly #dataReceived: number;
  readonly #latency: number;
  // Context tag objects are long-lived per VU/group, so identity caching hits almost always.
  #contextKeys = new WeakMap<Tags, string>();
  #tagSetIds = new Map<string, number>();
  // Fast path for the common request (no error, no per-request tags but `name`): by context tags
  // object identity, then method+name, then status/expected, without building a key string.
  #fast = new WeakMap<Tags, Map<string, Map<number, number>>>();
  #fastEntries = 0;
  #baseTagSetIds = new Map<string, number>();

  constructor(sink: MetricSink, optionTags: Tags) {
    this.#sink = sink;
    this.#optionTags = optionTags;
    this.#reqs = idOf(sink, 'http_reqs');
    this.#duration = idOf(sink, 'http_req_duration');
    this.#blocked = idOf(sink, 'http_req_blocked');
    this.#connecting = idOf(sink, 'http_req_connecting');
    this.#tls = idOf(sink, 'http_req_tls_handshaking');
    this.#sending = idOf(sink, 'http_req_sending');
    this.#waiting = idOf(sink, 'http_req_waiting');
    this.#receiving = idOf(sink, 'http_req_receiving');
    this.#failed = idOf(sink, 'http_req_failed');
    this.#dataSent = idOf(sink, 'data_sent');
    this.#dataReceived = idOf(sink, 'data_received');
    this.#latency = idOf(sink, 'http_req_latency');
  }

  /** Records one request (one redirect hop). */
  record(t: HttpTimings, s: RequestSample, contextTags: Tags, paramTags: Tags | undefined): void {
    const sink = this.#sink;
    const contextKey = this.#contextKey(contextTags);
    const tagSet = this.#fastTagSet(contextKey, contextTags, paramTags, s);
    sink.add(this.#reqs, tagSet, 1);
    sink.add(this.#duration, tagSet, t.duration);
    sink.add(this.#blocked, tagSet, t.blocked);
    sink.add(this.#connecting, tagSet, t.connecting);
    sink.add(this.#tls, tagSet, t.tls_handshaking);
    sink.add(this.#sending, tagSet, t.sending);
    sink.add(this.#waiting, tagSet, t.waiting);
    sink.add(this.#receiving, tagSet, t.receiving);
    sink.add(this.#failed, tagSet, s.expected ? 0 : 1);
    sink.add(this.#latency, tagSet, t.blocked + t.connecting + t.tls_handshaking + t.duration + s.startDelayMs);
    // Bytes carry only the VU's tags (as in k6): per-URL data series would multiply cardinality.
    const baseSet = this.#baseTagSet(contextKey, contextTags);
    if (s.bytesSent > 0) sink.add(this.#dataSent, baseSet, s.bytesSent);
    if (s.bytesReceived > 0) sink.add(this.#dataReceived, baseSet, s.bytesReceived);
  }

  #contextKey(tags: Tags): string {
    let key = this.#contextKeys.get(tags);
    if (key === undefined) {
      key = serialize(tags);
      this.#contextKeys.set(tags, key);
    }
    return key;
  }

  #fastTagSet(contextKey: string, contextTags: Tags, paramTags: Tags | undefined, s: RequestSample): number {
    if (s.errorCode !== 0 || !onlyName(paramTags)) return this.#requestTagSet(contextKey, contextTags, paramTags, s);
    let byEndpoint = this.#fast.get(contextTags);
    if (byEndpoint === undefined) {
      byEndpoint = new Map();
      this.#fast.set(contextTags, byEndpoint);
    }
    const endpoint = s.method === 'GET' ? s.name : `${s.method} ${s.name}`;
    let byStatus = byEndpoint.get(endpoint);
    if (byStatus === undefined) {
      if (this.#fastEntries >= MAX_CACHED_TAG_SETS) {
        this.#fast = new WeakMap();
        this.#fastEntries = 0;
        byEndpoint = new Map();
        this.#fast.set(contextTags, byEndpoint);
      }
      byStatus = new Map();
      byEndpoint.set(endpoint, byStatus);
      this.#fastEntries++;
    }
    const statusKey = s.status * 2 + (s.expected ? 1 : 0);
    let id = byStatus.get(statusKey);
    if (id === undefined) {
      id = this.#requestTagSet(contextKey, contextTags, paramTags, s);
      byStatus.set(statusKey, id);
    }
    return id;
  }

  #requestTagSet(contextKey: string, contextTags: Tags, paramTags: Tags | undefined, s: RequestSample): number {
    const extraKey = paramTags === undefined ? '' : serialize(paramTags);
    const key = `${contextKey}${SEP}${s.method}${SEP}${s.name}${SEP}${s.status}${SEP}${s.expected ? 1 : 0}${SEP}${s.errorCode}${SEP}${extraKey}`;
    let id = this.#tagSetIds.get(key);
    if (id === undefined) {
      const tags: Record<string, string> = {
        ...this.#optionTags,
        ...contextTags,
        method: s.method,
        status: String(s.status),
        expected_response: s.expected ? 'true' : 'false',
      };
      if (s.status !== 0) tags.proto = 'HTTP/1.1';
      if (s.errorCode !== 0) tags.error_code = String(s.errorCode);
      if (paramTags !== undefined) Object.assign(tags, paramTags);
      // With a name, url is the name too: one series per endpoint, not per concrete URL.
      tags.name = s.name;
      tags.url = s.name;
      id = this.#sink.tagSet(tags);
      if (this.#tagSetIds.size >= MAX_CACHED_TAG_SETS) this.#tagSetIds.clear();
      this.#tagSetIds.set(key, id);
    }
    return id;
  }

  #baseTagSet(contextKey: string, contextTags: Tags): number {
    let id = this.#baseTagSetIds.get(contextKey);
    if (id === undefined) {
      id = this.#sink.tagSet({ ...this.#optionTags, ...contextTags });
      if (this.#baseTagSetIds.size >= MAX_CACHED_TAG_SETS) this.#baseTagSetIds.clear();
      this.#baseTagSetIds.set(contextKey, id);
    }
    return id;
  }
}

/** True when per-request tags are absent or only set `name` (which the sample already carries). */
function onlyName(tags: Tags | undefined): boolean {
  if (tags === undefined) return true;
  for (const k in tags) if (k !== 'name') return false;
  return true;
}
