import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from './faults.js';
import { BodyTooLarge, readBody, sendError, sendJson } from './http-util.js';
import { MAX_REPORTED_PROBLEMS, parseNdjson, parseWebhook } from './ingest-parse.js';
import type { ActivityMetrics } from './metrics.js';
import type { EventQueue } from './queue.js';

/** Which ingest endpoint: `webhook` (JSON event or array) or `bulk` (NDJSON). */
export type IngestEndpoint = 'webhook' | 'bulk';

/**
 * Handles one ingest request. A request is all-or-nothing: any invalid event rejects the whole
 * request with 400 listing every bad line (up to MAX_REPORTED_PROBLEMS), and a full queue rejects
 * it with 429 + Retry-After, so a client that retries on non-2xx never loses or half-sends a batch.
 */
export async function handleIngest(
  endpoint: IngestEndpoint,
  req: IncomingMessage,
  res: ServerResponse,
  deps: { readonly queue: EventQueue; readonly metrics: ActivityMetrics; readonly faults: FaultInjector; readonly maxBodyBytes: number; readonly log: (line: string) => void },
): Promise<void> {
  const { queue, metrics, faults } = deps;
  let body: string;
  try {
    body = await readBody(req, deps.maxBodyBytes);
  } catch (err) {
    if (err instanceof BodyTooLarge) return sendError(res, 413, 'ACTIVITY_BODY_TOO_LARGE', `${err.message}; split the batch`);
    throw err;
  }
  const receivedMs = Date.now();
  const batch = endpoint === 'bulk' ? parseNdjson(body, receivedMs) : parseWebhook(body, receivedMs);
  const total = batch.events.length + batch.filtered + batch.problems.length;
  metrics.received.inc({ endpoint }, total);

  if (batch.problems.length > 0) {
    metrics.rejected.inc({ endpoint, reason: 'invalid' }, total);
    const first = batch.problems[0];
    const where = endpoint === 'bulk' ? 'line' : 'item';
    return sendError(
      res,
      400,
      'ACTIVITY_BAD_REQUEST',
      `${batch.problems.length} of ${total} events invalid, nothing accepted; first: ${where} ${first?.line}: ${first?.field} ${first?.message}`,
      { invalid: batch.problems.length, problems: batch.problems.slice(0, MAX_REPORTED_PROBLEMS) },
    );
  }

  if (faults.failRequest()) {
    metrics.rejected.inc({ endpoint, reason: 'fault' }, total);
    return sendError(res, 500, 'ACTIVITY_FAULT_INJECTED', 'injected error (--fault error=...); nothing accepted');
  }

  const dropped = faults.takeDrops(batch.events.length);
  const toQueue = dropped === 0 ? batch.events : batch.events.slice(dropped);
  let offer;
  try {
    offer = await queue.offer(toQueue);
  } catch (err) {
    metrics.rejected.inc({ endpoint, reason: 'queue_unavailable' }, total);
    faults.returnDrops(dropped); // not acknowledged: the drop budget applies to 202s only
    // The queue's own error (a NATS address, a server message) goes to the log, not the client.
    deps.log(`activity: ${endpoint}: queue offer failed: ${(err as Error)?.stack ?? String(err)}`);
    return sendError(res, 503, 'ACTIVITY_QUEUE_UNAVAILABLE', 'queue unavailable; nothing accepted, retry the whole request', {}, { 'retry-after': '1' });
  }
  if (offer.kind === 'full') {
    metrics.rejected.inc({ endpoint, reason: 'queue_full' }, total);
    faults.returnDrops(dropped);
    return sendError(res, 429, 'ACTIVITY_QUEUE_FULL', `queue full; nothing accepted, retry the whole request after ${offer.retryAfterSec}s`, {}, { 'retry-after': String(offer.retryAfterSec) });
  }
  if (dropped > 0) metrics.faultDropped.inc(dropped);
  metrics.accepted.inc({ endpoint }, total);
  metrics.filtered.inc(batch.filtered);
  sendJson(res, 202, { accepted: total, filtered: batch.filtered });
}
