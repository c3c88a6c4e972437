import type { ExpectedStatuses } from '../config/types.js';

/** How the response body is kept: decoded UTF-8 text, raw bytes, or not at all (k6's names). */
export type ResponseType = 'text' | 'binary' | 'none';

/**
 * A request body: sent as-is when a string or bytes; a plain object or array is sent as JSON with
 * `Content-Type: application/json` (k6 would form-encode it; squall's targets speak JSON).
 */
export type RequestBody = string | Uint8Array | ArrayBuffer | Record<string, unknown> | readonly unknown[] | null | undefined;

/** Per-request parameters (k6's `Params`). Every field optional. */
export interface RequestParams {
  readonly headers?: Readonly<Record<string, string | number | readonly string[]>>;
  /** Extra tags for this request's samples; `name` groups URLs (and replaces the `url` tag). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Whole-request timeout incl. waiting for a connection: ms, or a duration string ('10s', '500ms'). */
  readonly timeout?: number | string;
  /** Most redirects to follow; 0 returns the 3xx itself. Default: options.maxRedirects. */
  readonly redirects?: number;
  readonly responseType?: ResponseType;
  /** Which statuses are not failures for `http_req_failed`; overrides options.expectedStatuses. */
  readonly expectedStatuses?: ExpectedStatuses;
  /** Appended to the URL as a query string (values are URL-encoded; arrays repeat the key). */
  readonly query?: Readonly<Record<string, string | number | boolean | readonly (string | number | boolean)[]>>;
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|us|µs|s|m|h)/gy;
const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a timeout: a number of ms, or a Go-style duration string ('1m30s', '250ms'). */
export function parseTimeoutMs(value: number | string, where: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value > 0) return value;
    throw new TypeError(`${where}: timeout must be a positive number of ms, but is ${value}`);
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return parseTimeoutMs(Number(text), where);
  let total = 0;
  let end = 0;
  DURATION_PART.lastIndex = 0;
  for (let m = DURATION_PART.exec(text); m !== null; m = DURATION_PART.exec(text)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
    end = DURATION_PART.lastIndex;
  }
  if (end !== text.length || text.length === 0 || !(total > 0)) {
    throw new TypeError(`${where}: timeout must be ms or a duration like '10s' or '500ms', but is '${value}'`);
  }
  return total;
}

/** Validates params.redirects: a non-negative integer. */
export function checkRedirects(value: number, where: string): number {
  if (Number.isInteger(value) && value >= 0) return value;
  throw new TypeError(`${where}: redirects must be a non-negative integer, but is ${describe(value)}`);
}

/** Validates params.responseType. */
export function checkResponseType(value: string, where: string): ResponseType {
  if (value === 'text' || value === 'binary' || value === 'none') return value;
  throw new TypeError(`${where}: responseType must be 'text', 'binary' or 'none', but is ${describe(value)}`);
}

/** Appends `query` to `url` (after any existing query string). */
export function appendQuery(url: string, query: NonNullable<RequestParams['query']>): string {
  let qs = '';
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      qs += `${qs === '' ? '' : '&'}${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`;
    }
  }
  if (qs === '') return url;
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  return `${base}${base.includes('?') ? '&' : '?'}${qs}`;
}

/** A body ready for the wire, and the content type it implies (null: none implied). */
export interface EncodedBody {
  readonly bytes: Buffer | null;
  readonly impliedContentType: string | null;
}

const NO_BODY: EncodedBody = { bytes: null, impliedContentType: null };

/** Encodes a request body once; throws TypeError for values that are not a body. */
export function encodeBody(body: RequestBody, where: string): EncodedBody {
  if (body === null || body === undefined) return NO_BODY;
  if (typeof body === 'string') return { bytes: Buffer.from(body), impliedContentType: null };
  if (Buffer.isBuffer(body)) return { bytes: body, impliedContentType: null };
  if (body instanceof Uint8Array) {
    return { bytes: Buffer.from(body.buffer, body.byteOffset, body.byteLength), impliedContentType: null };
  }
  if (body instanceof ArrayBuffer) return { bytes: Buffer.from(body), impliedContentType: null };
  if (Array.isArray(body) || (typeof body === 'object' && isPlainObject(body))) {
    return { bytes: Buffer.from(JSON.stringify(body)), impliedContentType: 'application/json' };
  }
  throw new TypeError(
    `${where}: body must be a string, bytes (Buffer, Uint8Array, ArrayBuffer) or a plain object, but is ${describe(body)}`,
  );
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  return `${typeof value} ${String(value).slice(0, 60)}`;
}
