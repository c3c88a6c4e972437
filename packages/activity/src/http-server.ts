import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FaultInjector } from './faults.js';
import { sendError, sendJson } from './http-util.js';
import { AUDITLOGQUERIES_PATH } from './auditlogquery.js';
import { handleAuditLogQuery } from './auditlogquery-handler.js';
import { handleIngest } from './ingest-handler.js';
import { sendStatus, status } from './k8s-status.js';
import type { ActivityMetrics } from './metrics.js';
import { handleQuery } from './query-handler.js';
import type { EventQueue } from './queue.js';
import type { EventStore } from './store.js';

/** What the routes need; `ready()` is false while starting or shutting down. */
export interface ServerDeps {
  readonly queue: EventQueue;
  readonly store: EventStore;
  readonly metrics: ActivityMetrics;
  readonly faults: FaultInjector;
  readonly platformToken: string;
  readonly maxBodyBytes: number;
  /** Longest time to receive a whole request (head and body); then 408 and the connection closes. */
  readonly requestTimeoutMs: number;
  /** How long a continue token is valid. */
  readonly cursorTtlMs: number;
  readonly ready: () => boolean;
  readonly log: (line: string) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Route = 'webhook' | 'bulk' | 'auditlogquery' | 'list' | 'count' | 'metrics' | 'healthz' | 'readyz';
const ROUTES: Readonly<Record<string, { readonly method: string; readonly route: Route }>> = {
  '/webhook': { method: 'POST', route: 'webhook' },
  '/events/bulk': { method: 'POST', route: 'bulk' },
  [AUDITLOGQUERIES_PATH]: { method: 'POST', route: 'auditlogquery' },
  '/v1/events': { method: 'GET', route: 'list' },
  '/v1/events/count': { method: 'GET', route: 'count' },
  '/metrics': { method: 'GET', route: 'metrics' },
  '/healthz': { method: 'GET', route: 'healthz' },
  '/readyz': { method: 'GET', route: 'readyz' },
};

async function dispatch(route: Route, req: IncomingMessage, res: ServerResponse, url: URL, deps: ServerDeps): Promise<void> {
  switch (route) {
    case 'healthz':
      return sendJson(res, 200, { status: 'ok' });
    case 'readyz':
      return deps.ready() ? sendJson(res, 200, { status: 'ready' }) : sendError(res, 503, 'ACTIVITY_NOT_READY', 'starting or shutting down', {}, { 'retry-after': '1' });
    case 'metrics': {
      const text = await deps.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
      res.end(text);
      return;
    }
    default: {
      // Faults apply to the API routes only: observation endpoints must stay truthful.
      const delayMs = deps.faults.requestDelayMs(Date.now());
      if (delayMs > 0) await sleep(delayMs);
      if (route === 'webhook' || route === 'bulk') {
        if (!deps.ready()) return sendError(res, 503, 'ACTIVITY_NOT_READY', 'shutting down; nothing accepted', {}, { 'retry-after': '1' });
        return handleIngest(route, req, res, deps);
      }
      if (route === 'auditlogquery') {
        if (deps.faults.failRequest()) return sendStatus(res, status(500, 'injected error (--fault error=...)'));
        return handleAuditLogQuery(req, res, deps);
      }
      if (deps.faults.failRequest()) return sendError(res, 500, 'ACTIVITY_FAULT_INJECTED', 'injected error (--fault error=...)');
      return handleQuery(route as 'list' | 'count', req, res, url, deps);
    }
  }
}

/**
 * Creates the target's HTTP server (node:http); the caller listens and closes. A request must
 * arrive whole within `requestTimeoutMs` (Node answers 408 and closes the connection; it checks
 * every `connectionsCheckingInterval`, here a quarter of the timeout, at most 5 s). A failure
 * nobody planned for answers 500 with a generic message; the detail goes to the log only.
 */
export function createActivityServer(deps: ServerDeps): Server {
  const timeouts = {
    requestTimeout: deps.requestTimeoutMs,
    headersTimeout: Math.min(deps.requestTimeoutMs, 60_000),
    connectionsCheckingInterval: Math.max(25, Math.min(5_000, Math.floor(deps.requestTimeoutMs / 4))),
  };
  const server = createServer(timeouts, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://activity');
    const entry = ROUTES[url.pathname];
    if (!entry) return sendError(res, 404, 'ACTIVITY_NOT_FOUND', `no route ${url.pathname}`);
    res.on('finish', () => deps.metrics.httpRequests.inc({ route: entry.route, code: String(res.statusCode) }));
    if (req.method !== entry.method) return sendError(res, 405, 'ACTIVITY_METHOD_NOT_ALLOWED', `${url.pathname} takes ${entry.method}`, {}, { allow: entry.method });
    dispatch(entry.route, req, res, url, deps).catch((err: unknown) => {
      deps.log(`activity: ${req.method} ${url.pathname} failed: ${(err as Error)?.stack ?? String(err)}`);
      // The message may hold a query, a store's exception or a path: never sent to the client.
      if (!res.headersSent) sendError(res, 500, 'ACTIVITY_INTERNAL', 'internal error; the target logged the details');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
