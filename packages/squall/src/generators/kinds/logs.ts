import { AliasTable } from '../alias-table.js';
import { EventClock } from '../event-clock.js';
import type { GeneratorDef, RecordSource, StreamContext } from '../generator-def.js';
import { IsoTime } from '../iso-time.js';
import type { OptionValues } from '../option-spec.js';
import { Prng } from '../prng.js';
import { randomHex } from '../unique-id.js';
import { APP_WORDS } from './audit-vocab.js';
import { timeOptions } from './time-options.js';

const SEVERITIES = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
type Severity = (typeof SEVERITIES)[number];
const ROUTES = ['/api/v1/orders', '/api/v1/orders/{id}', '/api/v1/users/{id}', '/api/v1/search', '/api/v1/cart', '/healthz', '/api/v1/slo/{id}'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const MESSAGES: Readonly<Record<Severity, readonly string[]>> = {
  DEBUG: ['cache lookup key={k} hit={b}', 'retrying upstream call attempt={n}', 'loaded config revision={n}'],
  INFO: ['{m} {r} {s} in {d}ms', 'request completed', 'user session refreshed', 'published {n} messages to topic'],
  WARN: ['slow query took {d}ms', 'upstream {a} responded {s}; retrying', 'connection pool at {n}% capacity'],
  ERROR: ['{m} {r} failed: upstream {a} returned {s}', 'database deadlock detected; transaction rolled back', 'timeout after {d}ms calling {a}'],
  FATAL: ['out of memory: heap limit reached', 'cannot connect to broker after {n} attempts; exiting'],
};
const STATUS_BY_SEVERITY: Readonly<Record<Severity, readonly number[]>> = { DEBUG: [200], INFO: [200, 200, 201, 204], WARN: [200, 429, 499], ERROR: [500, 502, 503, 504], FATAL: [500] };

/** Options of the `logs` kind. */
export const logsOptions = {
  services: { type: 'int', default: 12, min: 1, max: APP_WORDS.length * 100, doc: 'distinct services emitting logs' },
  severities: { type: 'weights', keys: SEVERITIES, default: { DEBUG: 8, INFO: 72, WARN: 12, ERROR: 7, FATAL: 1 }, doc: 'relative severity weights' },
  spansPerTrace: { type: 'number', default: 6, min: 1, max: 10_000, doc: 'mean consecutive log lines sharing a trace id' },
  hosts: { type: 'int', default: 40, min: 1, max: 100_000, doc: 'distinct hosts (pods) across all services' },
  ...timeOptions,
} as const;

/** Resolved `logs` options. */
export type LogsOptions = OptionValues<typeof logsOptions>;

/** One structured log line as the SLO-Scout pipeline of seed 002 ingests it. */
export interface LogRecord {
  timestamp: string;
  service: string;
  severity: Severity;
  trace_id: string;
  span_id: string;
  message: string;
  attributes: { host: string; 'http.method': string; 'http.route': string; 'http.status_code': number; duration_ms: number };
}

class LogsSource implements RecordSource<LogRecord> {
  readonly #rng: Prng;
  readonly #clock: EventClock;
  readonly #severity: AliasTable;
  readonly #services: readonly string[];
  readonly #hosts: readonly string[];
  readonly #iso = new IsoTime();
  #trace = '';
  #traceLeft = 0;
  #index = 0;

  constructor(o: LogsOptions, ctx: StreamContext) {
    this.#rng = Prng.from(ctx.seed, ctx.salt, ctx.stream);
    this.#clock = new EventClock(o, ctx.count);
    this.#severity = new AliasTable(SEVERITIES.map((s) => o.severities[s] ?? 0));
    this.#services = Array.from({ length: o.services }, (_, i) => `${APP_WORDS[i % APP_WORDS.length] as string}${i < APP_WORDS.length ? '' : `-${Math.floor(i / APP_WORDS.length)}`}-svc`);
    const pool = Prng.from(ctx.seed, ctx.salt, -1);
    this.#hosts = Array.from({ length: o.hosts }, (_, i) => `${this.#services[i % o.services] as string}-${randomHex(pool, 8).slice(0, 9)}-${randomHex(pool, 8).slice(0, 5)}`);
    this.spansPerTrace = o.spansPerTrace;
  }

  readonly spansPerTrace: number;

  next(): LogRecord {
    const rng = this.#rng;
    if (this.#traceLeft <= 0) {
      this.#trace = randomHex(rng, 32);
      this.#traceLeft = Math.max(1, Math.round(rng.logNormal(this.spansPerTrace, 0.5)));
    }
    this.#traceLeft--;
    const severity = SEVERITIES[this.#severity.sample(rng)] as Severity;
    const hostNo = rng.int(this.#hosts.length);
    const status = rng.pick(STATUS_BY_SEVERITY[severity]);
    const method = rng.pick(METHODS);
    const route = rng.pick(ROUTES);
    const durationMs = Math.round(rng.logNormal(severity === 'ERROR' || severity === 'WARN' ? 400 : 30, 0.9) * 10) / 10;
    const message = rng.pick(MESSAGES[severity]).replace(/\{(\w)\}/g, (_, k: string) => {
      switch (k) {
        case 'm': return method;
        // The message names the concrete path; http.route keeps the template, as OpenTelemetry does.
        case 'r': return route.replace('{id}', String(rng.int(100_000)));
        case 's': return String(status);
        case 'd': return String(Math.round(durationMs));
        case 'a': return rng.pick(this.#services);
        case 'b': return String(rng.chance(0.8));
        case 'k': return `k${rng.int(100_000)}`;
        default: return String(rng.range(1, 99));
      }
    });
    return {
      timestamp: this.#iso.micros(this.#clock.at(this.#index++, rng)),
      service: this.#services[hostNo % this.#services.length] as string,
      severity,
      trace_id: this.#trace,
      span_id: randomHex(rng, 16),
      message,
      attributes: { host: this.#hosts[hostNo] as string, 'http.method': method, 'http.route': route, 'http.status_code': status, duration_ms: durationMs },
    };
  }
}

/** The `logs` kind: structured service logs with traces (seed 002, 100k logs/min ingest). */
export const logsGenerator: GeneratorDef<'logs', typeof logsOptions, LogRecord> = {
  kind: 'logs',
  summary: 'structured service log lines (services, severities, trace/span ids, messages, HTTP attributes)',
  seedDoc: '002 SLO-Scout',
  options: logsOptions,
  create: (o, ctx) => new LogsSource(o, ctx),
};
