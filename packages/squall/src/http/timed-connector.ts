import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';
import type { TlsAuthEntry } from '../config/tls-auth.js';
import { tlsAuthFor } from './tls-auth.js';

/**
 * Connection timings are measured by wrapping undici's connector rather than through the
 * `undici:client:beforeConnect`/`connected` channels: those carry no request and no TCP-connected
 * moment, so neither "which request opened the socket" nor the TCP/TLS split can be derived from
 * them. The wrapper sees both.
 *
 * Hand-off to the request: undici calls the connector's callback, and inside that same synchronous
 * call resumes the client, which writes the first queued request (the handler's `onConnect`) or,
 * on a failed connect, errors the queued requests (`onError`). So the figures of the connection
 * that just finished are parked in `fresh` for exactly the duration of that callback, and the
 * first handler to run inside it takes them. Every later request on the socket finds nothing and
 * reports connecting = 0, as k6 does for reused connections.
 */
export interface FreshConnection {
  /** TCP connect time incl. DNS lookup, ms. */
  connectingMs: number;
  /** TLS handshake time after TCP connect, ms; 0 for plain HTTP. */
  tlsMs: number;
  /** 'HTTP/2.0' when TLS negotiated h2 (ALPN), else 'HTTP/1.1'. */
  proto: string;
  taken: boolean;
}

let fresh: FreshConnection | null = null;

/**
 * Runs `fn` with `record` as the connection that just finished connecting, so the first handler
 * that runs inside takes its timings (squall's own HTTP/1.1 connections use this too).
 */
export function withFreshConnection(record: FreshConnection, fn: () => void): void {
  const previous = fresh;
  fresh = record;
  try {
    fn();
  } finally {
    fresh = previous;
  }
}

/** Takes the timings of the connection whose callback is running now, once; null otherwise. */
export function takeFreshConnection(): FreshConnection | null {
  const f = fresh;
  if (f === null || f.taken) return null;
  f.taken = true;
  return f;
}

const kTcpConnectedAt = Symbol('squall.tcpConnectedAt');
type TimedSocket = Socket & { [kTcpConnectedAt]?: number };

function markTcpConnected(this: TimedSocket): void {
  this[kTcpConnectedAt] = performance.now();
}

/** Options of the connector: TLS verification and undici's connect timeout (ms). */
export interface TimedConnectorOptions {
  readonly rejectUnauthorized: boolean;
  readonly connectTimeoutMs: number;
  /** Offer h2 by ALPN on TLS connections (the server picks; plain HTTP stays HTTP/1.1). */
  readonly allowH2?: boolean;
  /** Client certificates per domain (k6 tlsAuth). */
  readonly tlsAuth?: readonly TlsAuthEntry[];
}

type ConnectCallback = (err: Error | null, socket: Socket | null) => void;
// undici's connector returns the socket it is connecting, though its typings say void.
type SocketReturningConnector = (opts: buildConnector.Options, cb: ConnectCallback) => TimedSocket | undefined;

/** Builds an undici `connect` function that records connecting/TLS times. One per HTTP client. */
export function createTimedConnector(options: TimedConnectorOptions): buildConnector.connector {
  const build = (entry: TlsAuthEntry | undefined) =>
    buildConnector({
      rejectUnauthorized: options.rejectUnauthorized,
      timeout: options.connectTimeoutMs,
      allowH2: options.allowH2 ?? false,
      ...(entry === undefined ? {} : { cert: entry.cert, key: entry.key, passphrase: entry.password }),
    }) as unknown as SocketReturningConnector;
  const plain = build(undefined);
  const withCert = new Map<TlsAuthEntry, SocketReturningConnector>();
  const auth = options.tlsAuth ?? [];
  const connectorFor = (opts: buildConnector.Options): SocketReturningConnector => {
    if (auth.length === 0 || opts.protocol !== 'https:') return plain;
    const entry = tlsAuthFor(auth, opts.servername || opts.hostname);
    if (entry === undefined) return plain;
    let c = withCert.get(entry);
    if (c === undefined) withCert.set(entry, (c = build(entry)));
    return c;
  };
  return function timedConnect(opts, cb): void {
    const base = connectorFor(opts);
    const startedAt = performance.now();
    const done = cb as unknown as ConnectCallback;
    // One closure per connection, not per request: connections are few and long-lived.
    const socket = base(opts, (err, sock) => {
      const now = performance.now();
      const tcpAt = socket?.[kTcpConnectedAt] ?? now;
      const record: FreshConnection = {
        connectingMs: Math.max(0, tcpAt - startedAt),
        tlsMs: opts.protocol === 'https:' ? Math.max(0, now - tcpAt) : 0,
        proto: (sock as { alpnProtocol?: string | false } | null)?.alpnProtocol === 'h2' ? 'HTTP/2.0' : 'HTTP/1.1',
        taken: false,
      };
      const previous = fresh;
      fresh = record;
      try {
        done(err, sock);
      } finally {
        fresh = previous;
      }
    });
    if (opts.protocol === 'https:' && socket !== undefined) socket.once('connect', markTcpConnected);
  };
}
