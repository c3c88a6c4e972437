import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError, sendJson } from './http-util.js';
import type { ActivityMetrics } from './metrics.js';
import { parseQueryRequest, type QuerySpec } from './query-request.js';
import { countEvents, listPage } from './query-engine.js';
import { resolveScope, type Scope } from './scope.js';
import type { EventStore } from './store.js';

/** `list` is GET /v1/events, `count` is GET /v1/events/count. */
export type QueryEndpoint = 'list' | 'count';

/**
 * Handles a query request: resolves the scope (403 when neither tenant headers nor the platform
 * token), parses the parameters (400 naming the parameter, and the position for filters), then
 * lists newest first as `{ items, continue }` or counts as `{ count }`.
 */
export async function handleQuery(
  endpoint: QueryEndpoint,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: { readonly store: EventStore; readonly metrics: ActivityMetrics; readonly platformToken: string; readonly cursorTtlMs: number },
): Promise<void> {
  const started = performance.now();
  const scope = resolveScope(req.headersDistinct, deps.platformToken);
  const done = (code: number) => {
    deps.metrics.queries.inc({ scope: scope.kind, endpoint, code: String(code) });
    deps.metrics.querySeconds.observe({ scope: scope.kind, endpoint }, (performance.now() - started) / 1000);
  };
  if (scope.kind === 'denied') {
    done(403);
    return sendError(res, 403, 'ACTIVITY_FORBIDDEN', scope.reason);
  }
  const spec = parseQueryRequest(url.searchParams, scope, Date.now(), deps.cursorTtlMs);
  if ('parameter' in spec) {
    done(400);
    return sendError(res, 400, 'ACTIVITY_BAD_REQUEST', `${spec.parameter}: ${spec.message}`, { parameter: spec.parameter, ...(spec.position === undefined ? {} : { position: spec.position }) });
  }
  try {
    await run(endpoint, res, scope, spec, deps.store);
    done(200);
  } catch (err) {
    done(500);
    throw err;
  }
}

async function run(endpoint: QueryEndpoint, res: ServerResponse, scope: Exclude<Scope, { kind: 'denied' }>, spec: QuerySpec, store: EventStore): Promise<void> {
  if (endpoint === 'count') return sendJson(res, 200, { count: await countEvents(store, scope, spec) });
  const page = await listPage(store, scope, spec, Date.now());
  // Events are stored as their JSON text: splice them in rather than parse and re-serialise.
  sendJson(res, 200, `{"items":[${page.events.join(',')}],"continue":${JSON.stringify(page.next)}}`);
}
