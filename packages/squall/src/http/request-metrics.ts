import type { MetricSink, SeriesHandle, Tags } from '../metrics/types.js';
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
  /** Whether the request was written to the wire (counted in http_reqs_sent). */
  readonly sent: boolean;
  /** 'HTTP/2.0' for an h2 exchange; absent: HTTP/1.1. */
  readonly proto?: string;
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

/** The series one request sample goes to, for one request tag set: resolved once per tag set. */
class RequestSeries {
  readonly reqs: SeriesHandle;
  readonly duration: SeriesHandle;
  readonly blocked: SeriesHandle;
  readonly connecting: SeriesHandle;
  readonly tls: SeriesHandle;
  readonly sending: SeriesHandle;
  readonly waiting: SeriesHandle;
  readonly receiving: SeriesHandle;
  readonly failed: SeriesHandle;
  readonly latency: SeriesHandle;
  readonly sent: SeriesHandle;

  constructor(sink: MetricSink, ids: MetricIds, tagSetId: number) {
    this.reqs = sink.series(ids.reqs, tagSetId);
    this.sent = sink.series(ids.sent, tagSetId);
    this.duration = sink.series(ids.duration, tagSetId);
    this.blocked = sink.series(ids.blocked, tagSetId);
    this.connecting = sink.series(ids.connecting, tagSetId);
    this.tls = sink.series(ids.tls, tagSetId);
    this.sending = sink.series(ids.sending, tagSetId);
    this.waiting = sink.series(ids.waiting, tagSetId);
    this.receiving = sink.series(ids.receiving, tagSetId);
    this.failed = sink.series(ids.failed, tagSetId);
    this.latency = sink.series(ids.latency, tagSetId);
  }
}

/** The data_sent/data_received series of one context tag set (bytes carry only the VU's tags). */
class DataSeries {
  readonly sent: SeriesHandle;
  readonly received: SeriesHandle;

  constructor(sink: MetricSink, ids: MetricIds, tagSetId: number) {
    this.sent = sink.series(ids.dataSent, tagSetId);
    this.received = sink.series(ids.dataReceived, tagSetId);
  }
}

interface MetricIds {
  readonly reqs: number;
  readonly duration: number;
  readonly blocked: number;
  readonly connecting: number;
  readonly tls: number;
  readonly sending: number;
  readonly waiting: number;
  readonly receiving: number;
  readonly failed: number;
  readonly dataSent: number;
  readonly dataReceived: number;
  readonly latency: number;
  readonly sent: number;
}

/** What is cached per context tags object (one per VU iteration context or group). */
interface ContextEntry {
  readonly key: string;
  data: DataSeries | undefined;
  /** Fast path: by method+name, then status*2+expected. */
  readonly byEndpoint: Map<string, Map<number, RequestSeries>>;
}

/**
 * Records the per-request built-in metrics. Metric ids are resolved once; each distinct
 * (context tags, method, name, status, outcome, extra tags) is interned once as a tag set and its
 * ten series resolved to handles, so a steady-state request builds no tag object or key string
 * and records without looking up metrics or series.
 *
 * Lifecycle: one per HTTP client (per worker thread).
 */
export class RequestMetrics {
  readonly #sink: MetricSink;
  readonly #optionTags: Tags;
  readonly #ids: MetricIds;
  // Context tag objects are long-lived per VU/group, so identity caching hits almost always.
  #contexts = new WeakMap<Tags, ContextEntry>();
  #fastEntries = 0;
  #bySlowKey = new Map<string, RequestSeries>();
  #dataByContextKey = new Map<string, DataSeries>();
  /** performance.now() at which the latest request counted in http_reqs_sent was written; -Infinity before any. */
  lastSentAtMs = Number.NEGATIVE_INFINITY;

  constructor(sink: MetricSink, optionTags: Tags) {
    this.#sink = sink;
    this.#optionTags = optionTags;
    this.#ids = {
      reqs: idOf(sink, 'http_reqs'),
      duration: idOf(sink, 'http_req_duration'),
      blocked: idOf(sink, 'http_req_blocked'),
      connecting: idOf(sink, 'http_req_connecting'),
      tls: idOf(sink, 'http_req_tls_handshaking'),
      sending: idOf(sink, 'http_req_sending'),
      waiting: idOf(sink, 'http_req_waiting'),
      receiving: idOf(sink, 'http_req_receiving'),
      failed: idOf(sink, 'http_req_failed'),
      dataSent: idOf(sink, 'data_sent'),
      dataReceived: idOf(sink, 'data_received'),
      latency: idOf(sink, 'http_req_latency'),
      sent: idOf(sink, 'http_reqs_sent'),
    };
  }

  /** Records one request (one redirect hop). */
  record(t: HttpTimings, s: RequestSample, contextTags: Tags, paramTags: Tags | undefined): void {
    const context = this.#context(contextTags);
    const series = s.errorCode !== 0 || !onlyName(paramTags) ? this.#requestSeries(context.key, contextTags, paramTags, s) : this.#fastSeries(context, contextTags, s);
    series.reqs.add(1);
    if (s.sent) series.sent.add(1);
    series.duration.add(t.duration);
    series.blocked.add(t.blocked);
    series.connecting.add(t.connecting);
    series.tls.add(t.tls_handshaking);
    series.sending.add(t.sending);
    series.waiting.add(t.waiting);
    series.receiving.add(t.receiving);
    series.failed.add(s.expected ? 0 : 1);
    series.latency.add(t.blocked + t.connecting + t.tls_handshaking + t.duration + s.startDelayMs);
    // Bytes carry only the VU's tags (as in k6): per-URL data series would multiply cardinality.
    const data = context.data ?? this.#dataSeries(context, contextTags);
    if (s.bytesSent > 0) data.sent.add(s.bytesSent);
    if (s.bytesReceived > 0) data.received.add(s.bytesReceived);
  }

  /**
   * Records a request that was written to the wire but had no response when the test ended: it
   * counts in http_reqs_sent (its `error_code` 1060) and data_sent, and nowhere else: no duration is invented.
   */
  recordUnanswered(s: RequestSample, contextTags: Tags, paramTags: Tags | undefined): void {
    const context = this.#context(contextTags);
    this.#requestSeries(context.key, contextTags, paramTags, s).sent.add(1);
    if (s.bytesSent > 0) (context.data ?? this.#dataSeries(context, contextTags)).sent.add(s.bytesSent);
  }

  #context(tags: Tags): ContextEntry {
    let entry = this.#contexts.get(tags);
    if (entry === undefined) {
      entry = { key: serialize(tags), data: undefined, byEndpoint: new Map() };
      this.#contexts.set(tags, entry);
    }
    return entry;
  }

  /** The common request: no error, no per-request tags but `name`; found without building a key string. */
  #fastSeries(context: ContextEntry, contextTags: Tags, s: RequestSample): RequestSeries {
    const endpoint = s.method === 'GET' ? s.name : `${s.method} ${s.name}`;
    let byStatus = context.byEndpoint.get(endpoint);
    if (byStatus === undefined) {
      if (this.#fastEntries >= MAX_CACHED_TAG_SETS) {
        // Bounded: forget every context's fast path (the series themselves stay in the sink).
        this.#contexts = new WeakMap();
        this.#fastEntries = 0;
        context = this.#context(contextTags);
      }
      byStatus = new Map();
      context.byEndpoint.set(endpoint, byStatus);
      this.#fastEntries++;
    }
    const statusKey = s.status * 2 + (s.expected ? 1 : 0) + (s.proto === 'HTTP/2.0' ? 2000 : 0);
    let series = byStatus.get(statusKey);
    if (series === undefined) {
      series = this.#requestSeries(context.key, contextTags, undefined, s);
      byStatus.set(statusKey, series);
    }
    return series;
  }

  #requestSeries(contextKey: string, contextTags: Tags, paramTags: Tags | undefined, s: RequestSample): RequestSeries {
    const extraKey = paramTags === undefined ? '' : serialize(paramTags);
    const key = `${contextKey}${SEP}${s.method}${SEP}${s.name}${SEP}${s.status}${SEP}${s.expected ? 1 : 0}${SEP}${s.errorCode}${SEP}${s.proto ?? ''}${SEP}${extraKey}`;
    let series = this.#bySlowKey.get(key);
    if (series === undefined) {
      const tags: Record<string, string> = {
        ...this.#optionTags,
        ...contextTags,
        method: s.method,
        status: String(s.status),
        expected_response: s.expected ? 'true' : 'false',
      };
      if (s.status !== 0) tags.proto = s.proto ?? 'HTTP/1.1';
      if (s.errorCode !== 0) tags.error_code = String(s.errorCode);
      if (paramTags !== undefined) Object.assign(tags, paramTags);
      // With a name, url is the name too: one series per endpoint, not per concrete URL.
      tags.name = s.name;
      tags.url = s.name;
      series = new RequestSeries(this.#sink, this.#ids, this.#sink.tagSet(tags));
      if (this.#bySlowKey.size >= MAX_CACHED_TAG_SETS) this.#bySlowKey.clear();
      this.#bySlowKey.set(key, series);
    }
    return series;
  }

  #dataSeries(context: ContextEntry, contextTags: Tags): DataSeries {
    let data = this.#dataByContextKey.get(context.key);
    if (data === undefined) {
      data = new DataSeries(this.#sink, this.#ids, this.#sink.tagSet({ ...this.#optionTags, ...contextTags }));
      if (this.#dataByContextKey.size >= MAX_CACHED_TAG_SETS) this.#dataByContextKey.clear();
      this.#dataByContextKey.set(context.key, data);
    }
    context.data = data;
    return data;
  }
}

/** True when per-request tags are absent or only set `name` (which the sample already carries). */
function onlyName(tags: Tags | undefined): boolean {
  if (tags === undefined) return true;
  for (const k in tags) if (k !== 'name') return false;
  return true;
}
