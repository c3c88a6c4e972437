import { randomBytes } from 'node:crypto';
import { ActivityError } from './errors.js';
import { parseFault, type Fault } from './faults.js';

/** How to start the activity target; every field optional. Durations in ms. */
export interface ActivityOptions {
  /** TCP port; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** `chdb:` (fresh temporary directory, removed on close; the default), `chdb:DIR`, or `http://HOST:8123`. */
  readonly store?: string;
  /** `memory` (default) or `nats://HOST:PORT` (JetStream stream AUDIT_EVENTS). */
  readonly queue?: string;
  /** Bearer token that platform (cross-tenant) queries must send. Default: random, returned by startActivity. */
  readonly platformToken?: string;
  /** `--fault` values, e.g. `latency=200ms@0.1`, `error=0.05`, `stall=500ms/5s`, `drop=100`, `slow-insert=300ms`. */
  readonly faults?: readonly string[];
  /** Most events per insert. Default 10000. */
  readonly batchSize?: number;
  /** Longest wait for a full batch. Default 250. */
  readonly flushIntervalMs?: number;
  /** Memory queue: most events held; NATS: stream max_msgs. Default 500000. */
  readonly queueCapacity?: number;
  /** Largest ingest request body. Default 64 MiB. */
  readonly maxBodyBytes?: number;
  /**
   * Longest time to receive a whole request, head and body (Node's `server.requestTimeout`);
   * a client that trickles its body gets 408 and the connection is closed. Default 60000.
   */
  readonly requestTimeoutMs?: number;
  /** NATS: how long an unacknowledged delivery waits before JetStream redelivers it. Default 30000. */
  readonly natsAckWaitMs?: number;
  /** How long a query's continue token stays valid. Default 3600000 (1 hour, as the Activity API). */
  readonly cursorTtlMs?: number;
  /** Where log lines go. Default: stderr. */
  readonly log?: (line: string) => void;
}

/** Options after validation, with defaults applied. */
export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly store: { readonly kind: 'chdb'; readonly dir: string } | { readonly kind: 'clickhouse'; readonly url: string };
  readonly queue: { readonly kind: 'memory' } | { readonly kind: 'nats'; readonly servers: string };
  readonly platformToken: string;
  readonly faults: readonly Fault[];
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly queueCapacity: number;
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
  readonly natsAckWaitMs: number;
  readonly cursorTtlMs: number;
  readonly log: (line: string) => void;
}

function int(name: string, value: number | undefined, dflt: number, min: number, max: number, problems: string[]): number {
  if (value === undefined) return dflt;
  if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be an integer from ${min} to ${max}, but is ${value}`);
  return value;
}

/** Validates options, collecting every problem into one ACTIVITY_CONFIG_INVALID error. */
export function resolveOptions(o: ActivityOptions): ResolvedOptions {
  const problems: string[] = [];
  const storeText = o.store ?? 'chdb:';
  let store: ResolvedOptions['store'] = { kind: 'chdb', dir: '' };
  if (storeText.startsWith('chdb:')) store = { kind: 'chdb', dir: storeText.slice(5) };
  else if (/^https?:\/\/[^/]+/.test(storeText)) store = { kind: 'clickhouse', url: storeText };
  else problems.push(`store must be chdb:, chdb:DIR or http://HOST:8123, but is ${JSON.stringify(storeText)}`);

  const queueText = o.queue ?? 'memory';
  let queue: ResolvedOptions['queue'] = { kind: 'memory' };
  if (queueText.startsWith('nats://')) queue = { kind: 'nats', servers: queueText.slice(7) };
  else if (queueText !== 'memory') problems.push(`queue must be memory or nats://HOST:PORT, but is ${JSON.stringify(queueText)}`);

  const faults: Fault[] = [];
  for (const spec of o.faults ?? []) {
    try {
      faults.push(parseFault(spec));
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (o.platformToken !== undefined && !/^\S{8,}$/.test(o.platformToken)) problems.push('platformToken must be at least 8 characters without spaces');

  const resolved: ResolvedOptions = {
    port: int('port', o.port, 8080, 0, 65535, problems),
    host: o.host ?? '127.0.0.1',
    store,
    queue,
    platformToken: o.platformToken ?? randomBytes(18).toString('base64url'),
    faults,
    batchSize: int('batchSize', o.batchSize, 10_000, 1, 1_000_000, problems),
    flushIntervalMs: int('flushIntervalMs', o.flushIntervalMs, 250, 1, 60_000, problems),
    queueCapacity: int('queueCapacity', o.queueCapacity, 500_000, 1, 100_000_000, problems),
    maxBodyBytes: int('maxBodyBytes', o.maxBodyBytes, 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024, problems),
    requestTimeoutMs: int('requestTimeoutMs', o.requestTimeoutMs, 60_000, 100, 3_600_000, problems),
    natsAckWaitMs: int('natsAckWaitMs', o.natsAckWaitMs, 30_000, 100, 3_600_000, problems),
    cursorTtlMs: int('cursorTtlMs', o.cursorTtlMs, 3_600_000, 1, 86_400_000, problems),
    log: o.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
  if (problems.length > 0) {
    throw new ActivityError('ACTIVITY_CONFIG_INVALID', `invalid activity options (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return resolved;
}
