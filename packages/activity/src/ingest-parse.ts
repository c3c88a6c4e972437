import { parseAuditEvent, type QueuedEvent } from './audit-event.js';
import { jsonDepthProblem } from './json-depth.js';

/** One refused event of a request: 1-based line (NDJSON) or array index (webhook), field, rule. */
export interface IngestProblem {
  /** NDJSON: 1-based line number. Webhook: 1-based position in the array (1 for a single object). */
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

/** A request body decoded into events to queue, the count of other-stage events, and problems. */
export interface IngestBatch {
  readonly events: QueuedEvent[];
  /** Valid events of a stage other than ResponseComplete: accepted, then not stored (by design). */
  readonly filtered: number;
  readonly problems: IngestProblem[];
}

/** At most this many problems are reported per request; the count of all of them is still exact. */
export const MAX_REPORTED_PROBLEMS = 100;

function jsonError(err: unknown): string {
  return `malformed JSON: ${(err as Error).message}`;
}

/**
 * Decodes an NDJSON bulk body (one audit event per line; blank lines ignored). Every line is
 * checked, so the caller can report each bad line; whether the batch is then rejected is the
 * caller's rule (the activity target rejects the whole request when any line is bad).
 */
export function parseNdjson(body: string, receivedMs: number): IngestBatch {
  const events: QueuedEvent[] = [];
  const problems: IngestProblem[] = [];
  let filtered = 0;
  let start = 0;
  let lineNo = 0;
  while (start <= body.length) {
    let end = body.indexOf('\n', start);
    if (end === -1) end = body.length;
    lineNo++;
    let line = body.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const tooDeep = jsonDepthProblem(line);
    if (tooDeep !== undefined) {
      problems.push({ line: lineNo, field: '(json)', message: tooDeep });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      problems.push({ line: lineNo, field: '(json)', message: jsonError(err) });
      continue;
    }
    const r = parseAuditEvent(value, line, receivedMs);
    if (r.kind === 'ok') events.push(r.event);
    else if (r.kind === 'filtered') filtered++;
    else problems.push({ line: lineNo, ...r.problem });
  }
  return { events, filtered, problems };
}

/**
 * Decodes a webhook body as Vector's `http_server` source receives it: one JSON audit event, or a
 * JSON array of them.
 */
export function parseWebhook(body: string, receivedMs: number): IngestBatch {
  const tooDeep = jsonDepthProblem(body);
  if (tooDeep !== undefined) return { events: [], filtered: 0, problems: [{ line: 1, field: '(json)', message: tooDeep }] };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return { events: [], filtered: 0, problems: [{ line: 1, field: '(json)', message: jsonError(err) }] };
  }
  const events: QueuedEvent[] = [];
  const problems: IngestProblem[] = [];
  let filtered = 0;
  const items: unknown[] = Array.isArray(value) ? value : [value];
  items.forEach((item, i) => {
    const raw = Array.isArray(value) ? JSON.stringify(item) : body.trim();
    const r = parseAuditEvent(item, raw, receivedMs);
    if (r.kind === 'ok') events.push(r.event);
    else if (r.kind === 'filtered') filtered++;
    else problems.push({ line: i + 1, ...r.problem });
  });
  return { events, filtered, problems };
}
