import { formatMicros, parseRfc3339Micros, TIME_RANGE_TEXT } from './time.js';

/** The only stage the store keeps, as the seed's Vector aggregator does. */
export const STORED_STAGE = 'ResponseComplete';
/** Annotation keys that name the tenant an event belongs to. */
export const SCOPE_TYPE_ANNOTATION = 'platform.miloapis.com/scope.type';
export const SCOPE_NAME_ANNOTATION = 'platform.miloapis.com/scope.name';
/** Scope type recorded for events that carry no scope annotations: visible to platform queries only. */
export const PLATFORM_SCOPE_TYPE = 'platform';

/** One accepted event, ready to queue: `line` is the JSONEachRow row the store inserts. */
export interface QueuedEvent {
  readonly auditID: string;
  /** The row for the `audit_events` table, one JSON object without a trailing newline. */
  readonly line: string;
  /** When squall's target received it (epoch ms): the start of the ingest-to-stored lag. */
  readonly receivedMs: number;
}

/** Why one event was refused: the field (dotted path) and the rule it broke. */
export interface EventProblem {
  readonly field: string;
  readonly message: string;
}

/** Outcome of validating one event: a row to store, an event of another stage, or a problem. */
export type EventParse =
  | { readonly kind: 'ok'; readonly event: QueuedEvent }
  | { readonly kind: 'filtered'; readonly stage: string }
  | { readonly kind: 'invalid'; readonly problem: EventProblem };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads an optional string at `obj[key]`; records a problem when present with another type. */
function optString(obj: Obj | undefined, key: string, path: string, problems: EventProblem[]): string {
  const v = obj?.[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') {
    problems.push({ field: path, message: `must be a string, but is ${typeof v}` });
    return '';
  }
  return v;
}

function optObj(obj: Obj, key: string, problems: EventProblem[]): Obj | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) {
    problems.push({ field: key, message: `must be an object, but is ${Array.isArray(v) ? 'an array' : typeof v}` });
    return undefined;
  }
  return v;
}

function requiredString(obj: Obj, key: string): string | EventProblem {
  const v = obj[key];
  if (v === undefined || v === null) return { field: key, message: 'is required' };
  if (typeof v !== 'string' || v.length === 0) return { field: key, message: `must be a non-empty string, but is ${JSON.stringify(v)}` };
  return v;
}

/**
 * Validates one decoded Kubernetes audit event (audit.k8s.io/v1 `Event`) and builds its store row.
 * Required: `auditID`, `stage`, `verb`, `requestReceivedTimestamp` (RFC 3339). `raw` is the
 * event's JSON text, stored verbatim and returned by the query API.
 */
export function parseAuditEvent(value: unknown, raw: string, receivedMs: number): EventParse {
  if (!isObj(value)) return { kind: 'invalid', problem: { field: '(event)', message: `must be a JSON object, but is ${Array.isArray(value) ? 'an array' : typeof value}` } };
  const auditID = requiredString(value, 'auditID');
  if (typeof auditID !== 'string') return { kind: 'invalid', problem: auditID };
  if (auditID.length > 128) return { kind: 'invalid', problem: { field: 'auditID', message: `must be at most 128 characters, but has ${auditID.length}` } };
  const stage = requiredString(value, 'stage');
  if (typeof stage !== 'string') return { kind: 'invalid', problem: stage };
  const verb = requiredString(value, 'verb');
  if (typeof verb !== 'string') return { kind: 'invalid', problem: verb };
  const tsText = requiredString(value, 'requestReceivedTimestamp');
  if (typeof tsText !== 'string') return { kind: 'invalid', problem: tsText };
  const tsUs = parseRfc3339Micros(tsText);
  if (tsUs === undefined) return { kind: 'invalid', problem: { field: 'requestReceivedTimestamp', message: `must be an RFC 3339 timestamp ${TIME_RANGE_TEXT}, but is ${JSON.stringify(tsText)}` } };

  const problems: EventProblem[] = [];
  const user = optObj(value, 'user', problems);
  const objectRef = optObj(value, 'objectRef', problems);
  const responseStatus = optObj(value, 'responseStatus', problems);
  const annotations = optObj(value, 'annotations', problems);
  const username = optString(user, 'username', 'user.username', problems);
  const resource = optString(objectRef, 'resource', 'objectRef.resource', problems);
  const namespace = optString(objectRef, 'namespace', 'objectRef.namespace', problems);
  const name = optString(objectRef, 'name', 'objectRef.name', problems);
  const apiGroup = optString(objectRef, 'apiGroup', 'objectRef.apiGroup', problems);
  const scopeType = optString(annotations, SCOPE_TYPE_ANNOTATION, `annotations.${SCOPE_TYPE_ANNOTATION}`, problems);
  const scopeName = optString(annotations, SCOPE_NAME_ANNOTATION, `annotations.${SCOPE_NAME_ANNOTATION}`, problems);
  const code = responseStatus?.['code'];
  if (code !== undefined && code !== null && !(typeof code === 'number' && Number.isInteger(code) && code >= 0 && code < 1000)) {
    problems.push({ field: 'responseStatus.code', message: `must be an integer 0-999, but is ${JSON.stringify(code)}` });
  }
  const first = problems[0];
  if (first) return { kind: 'invalid', problem: first };
  if (stage !== STORED_STAGE) return { kind: 'filtered', stage };
  if ((scopeType === '') !== (scopeName === '')) {
    const missing = scopeType === '' ? SCOPE_TYPE_ANNOTATION : SCOPE_NAME_ANNOTATION;
    return { kind: 'invalid', problem: { field: `annotations.${missing}`, message: 'is required when the other scope annotation is set' } };
  }

  const row = {
    auditID,
    ts: formatMicros(tsUs),
    // Scope types are compared case-insensitively (headers say `Organization`, annotations may say `organization`).
    scope_type: scopeType === '' ? PLATFORM_SCOPE_TYPE : scopeType.toLowerCase(),
    scope_name: scopeName,
    verb,
    username,
    resource,
    namespace,
    name,
    api_group: apiGroup,
    status_code: typeof code === 'number' ? code : 0,
    received_at: formatMicros(receivedMs * 1000),
    event: raw,
  };
  return { kind: 'ok', event: { auditID, line: JSON.stringify(row), receivedMs } };
}
