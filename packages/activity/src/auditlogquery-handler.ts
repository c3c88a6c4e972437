import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeAuditLogQuery, rfc3339Seconds, validateSpec } from './auditlogquery.js';
import { BodyTooLarge, readBody } from './http-util.js';
import { invalidStatus, sendStatus, status } from './k8s-status.js';
import type { ActivityMetrics } from './metrics.js';
import { listPage } from './query-engine.js';
import { resolveScope } from './scope.js';
import type { EventStore } from './store.js';

/** Largest AuditLogQuery body accepted. */
const MAX_QUERY_BODY = 1024 * 1024;

/**
 * POST /apis/activity.miloapis.com/v1alpha1/auditlogqueries: runs the query at once (an
 * ephemeral resource, like TokenReview) and answers 201 with the object and its `status`:
 * `results` (audit.k8s.io/v1 Events, newest first), `continue` (absent on the last page) and
 * the effective window. Errors are Kubernetes Status objects: 403 without a scope, 400 for a body
 * that is not an AuditLogQuery, 422 (reason Invalid, one cause per field) for a bad spec.
 */
export async function handleAuditLogQuery(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { readonly store: EventStore; readonly metrics: ActivityMetrics; readonly platformToken: string; readonly cursorTtlMs: number; readonly log: (line: string) => void },
): Promise<void> {
  const started = performance.now();
  const scope = resolveScope(req.headersDistinct, deps.platformToken);
  const done = (code: number) => {
    deps.metrics.queries.inc({ scope: scope.kind, endpoint: 'auditlogquery', code: String(code) });
    deps.metrics.querySeconds.observe({ scope: scope.kind, endpoint: 'auditlogquery' }, (performance.now() - started) / 1000);
  };
  if (scope.kind === 'denied') {
    done(403);
    return sendStatus(res, status(403, `auditlogqueries.activity.miloapis.com is forbidden: ${scope.reason}`));
  }
  let text: string;
  try {
    text = await readBody(req, MAX_QUERY_BODY);
  } catch (err) {
    if (!(err instanceof BodyTooLarge)) throw err;
    done(413);
    return sendStatus(res, status(413, `request body larger than ${MAX_QUERY_BODY} bytes`), { connection: 'close' });
  }
  const query = decodeAuditLogQuery(text);
  if (typeof query === 'string') {
    done(400);
    return sendStatus(res, status(400, query));
  }
  const nowMs = Date.now();
  const q = validateSpec(query.spec, scope, nowMs, deps.cursorTtlMs);
  if (Array.isArray(q)) {
    done(422);
    return sendStatus(res, invalidStatus(String(query.metadata['name'] ?? ''), q));
  }
  let page;
  try {
    page = await listPage(deps.store, scope, q, nowMs);
  } catch (err) {
    deps.log(`activity: AuditLogQuery failed: ${(err as Error)?.stack ?? String(err)}`);
    done(503);
    return sendStatus(res, status(503, 'Failed to execute query. Please try again later or contact support for help.'));
  }
  // Events are stored as their JSON text: spliced in rather than parsed and re-serialised.
  const head = JSON.stringify({ apiVersion: query.apiVersion, kind: query.kind, metadata: query.metadata, spec: query.spec }).slice(0, -1);
  const cont = page.next === null ? '' : `,"continue":${JSON.stringify(page.next)}`;
  const window = `"effectiveStartTime":"${rfc3339Seconds(q.startUs)}","effectiveEndTime":"${rfc3339Seconds(q.endUs)}"`;
  const body = `${head},"status":{"results":[${page.events.join(',')}]${cont},${window}}}`;
  res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  done(201);
}
