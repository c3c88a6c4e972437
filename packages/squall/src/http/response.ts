import type { ResponseType } from './params.js';
import { rawText, type RawHeader } from './raw-headers.js';

/** Phases of one request (one redirect hop), in ms, as k6 defines them. */
export interface HttpTimings {
  /** Waiting for a free connection in the pool (excludes connecting and TLS). */
  readonly blocked: number;
  /** TCP connect incl. DNS; non-zero only on the request that opened the connection. */
  readonly connecting: number;
  readonly tls_handshaking: number;
  /** Writing the request line, headers and body. */
  readonly sending: number;
  /** From the request being sent to the first byte of the response headers (TTFB). */
  readonly waiting: number;
  /** From the response headers to the last body byte. */
  readonly receiving: number;
  /** sending + waiting + receiving (k6's definition; excludes blocked/connecting/tls). */
  readonly duration: number;
}

/** The request as sent (k6's `res.request`). Headers in canonical case, values as arrays. */
export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string[]>;
  readonly body: string;
}

/** What a finished exchange hands to the response; built once per request, read lazily. */
export interface ResponseParts {
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  /** Header fields, or where to cut them from when first read (squall's own parser). */
  readonly rawHeaders: readonly RawHeader[] | { fields(): readonly RawHeader[] } | null;
  readonly chunks: readonly Buffer[] | null;
  readonly responseType: ResponseType;
  readonly timings: HttpTimings;
  readonly error: string;
  readonly errorCode: number;
  readonly method: string;
  /** Request headers as sent, flat [name, value, ...]. */
  readonly requestHeaders: readonly string[];
  readonly requestBody: Buffer | null;
  /** 'HTTP/2.0' when h2 was negotiated; absent: HTTP/1.1. */
  readonly proto?: string;
}

const canonicalNames = new Map<string, string>();

/** `content-type` -> `Content-Type` (Go's canonical MIME header key, as k6 reports headers). */
export function canonicalHeaderName(name: string): string {
  let canonical = canonicalNames.get(name);
  if (canonical === undefined) {
    canonical = name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
    if (canonicalNames.size < 10_000) canonicalNames.set(name, canonical);
  }
  return canonical;
}

/**
 * A response (k6 shape). Connection failures give status 0 with `error` and `error_code` set; they
 * are never thrown. Headers and body are decoded on first read, so a script that only checks
 * `status` pays for neither.
 */
export class HttpResponse {
  readonly status: number;
  readonly statusText: string;
  /** Final URL, after redirects. */
  readonly url: string;
  readonly proto: string;
  readonly timings: HttpTimings;
  /** Error message; '' when the exchange completed. */
  readonly error: string;
  /** k6 error code (see docs/http.md); 0 when the exchange completed. */
  readonly error_code: number;
  readonly #parts: ResponseParts;
  #headers: Record<string, string> | undefined;
  #body: string | ArrayBuffer | null | undefined;
  #json: unknown;
  #jsonParsed = false;

  constructor(parts: ResponseParts) {
    this.status = parts.status;
    this.statusText = parts.statusText;
    this.url = parts.url;
    this.proto = parts.status === 0 ? '' : (parts.proto ?? 'HTTP/1.1');
    this.timings = parts.timings;
    this.error = parts.error;
    this.error_code = parts.errorCode;
    this.#parts = parts;
  }

  /** Response headers, canonical case; repeated headers joined with ', '. */
  get headers(): Record<string, string> {
    if (this.#headers === undefined) {
      const headers: Record<string, string> = {};
      const source = this.#parts.rawHeaders;
      const raw = source === null || Array.isArray(source) ? (source as readonly RawHeader[] | null) : (source as { fields(): readonly RawHeader[] }).fields();
      if (raw !== null) {
        for (let i = 0; i + 1 < raw.length; i += 2) {
          const name = canonicalHeaderName(rawText(raw[i] as RawHeader));
          const value = rawText(raw[i + 1] as RawHeader);
          const prior = headers[name];
          headers[name] = prior === undefined ? value : `${prior}, ${value}`;
        }
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  /** Every value of header `lowerName` (lower case), in order; for fields that cannot be joined (Set-Cookie). */
  headerValues(lowerName: string): string[] {
    const source = this.#parts.rawHeaders;
    const out: string[] = [];
    // squall's parser keeps the head as text: look for the name before cutting it into fields.
    const head = source as { text?: unknown; fieldsStart?: number; end?: number } | null;
    if (head !== null && typeof head.text === 'string' && !containsName(head.text, head.fieldsStart ?? 0, head.end ?? head.text.length, lowerName)) return out;
    const raw = source === null || Array.isArray(source) ? (source as readonly RawHeader[] | null) : (source as { fields(): readonly RawHeader[] }).fields();
    if (raw === null) return out;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i] as RawHeader;
      if (name.length === lowerName.length && rawText(name).toLowerCase() === lowerName) out.push(rawText(raw[i + 1] as RawHeader));
    }
    return out;
  }

  /** Text (UTF-8) by default, ArrayBuffer for responseType 'binary', null when discarded. */
  get body(): string | ArrayBuffer | null {
    if (this.#body === undefined) {
      const { chunks, responseType } = this.#parts;
      if (chunks === null || responseType === 'none') this.#body = null;
      else {
        const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks as Buffer[]);
        this.#body =
          responseType === 'binary'
            ? (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
            : bytes.toString('utf8');
      }
    }
    return this.#body as string | ArrayBuffer | null;
  }

  /** The request as sent (final hop). */
  get request(): SentRequest {
    const { method, url, requestHeaders, requestBody } = this.#parts;
    const headers: Record<string, string[]> = {};
    for (let i = 0; i + 1 < requestHeaders.length; i += 2) {
      const name = canonicalHeaderName(requestHeaders[i] as string);
      (headers[name] ??= []).push(requestHeaders[i + 1] as string);
    }
    return { method, url, headers, body: requestBody === null ? '' : requestBody.toString('utf8') };
  }

  /**
   * Parses the body as JSON; with a selector ('a.b.0.c', '#' for an array's length, gjson's basic
   * path form) returns that part, or undefined when the path does not exist. Throws a TypeError
   * naming the URL when the body is missing or not JSON.
   */
  json(selector?: string): unknown {
    if (!this.#jsonParsed) {
      const body = this.body;
      if (body === null) {
        throw new TypeError(`res.json(): the response from ${this.url} has no body (discarded or responseType 'none')`);
      }
      const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
      try {
        this.#json = JSON.parse(text);
      } catch (err) {
        throw new TypeError(
          `res.json(): the body from ${this.url} (status ${this.status}) is not valid JSON: ${(err as Error).message}; ` +
            `it starts with ${JSON.stringify(text.slice(0, 80))}`,
        );
      }
      this.#jsonParsed = true;
    }
    return selector === undefined || selector === '' ? this.#json : select(this.#json, selector);
  }

  /** Plain-data view (for logging and `JSON.stringify(res)`). */
  toJSON(): Record<string, unknown> {
    return {
      status: this.status,
      statusText: this.statusText,
      url: this.url,
      proto: this.proto,
      headers: this.headers,
      body: this.body instanceof ArrayBuffer ? `<${this.body.byteLength} bytes>` : this.body,
      timings: this.timings,
      error: this.error,
      error_code: this.error_code,
    };
  }
}

const namePatterns = new Map<string, RegExp>();

/** Whether `text[start, end)` mentions header `lowerName` at all (case-insensitive). */
function containsName(text: string, start: number, end: number, lowerName: string): boolean {
  let re = namePatterns.get(lowerName);
  if (re === undefined) {
    re = new RegExp(lowerName.replace(/[^a-z0-9]/g, '\\$&'), 'i');
    namePatterns.set(lowerName, re);
  }
  return re.test(end - start === text.length ? text : text.slice(start, end));
}

function select(value: unknown, selector: string): unknown {
  let current = value;
  for (const key of selector.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (key === '#') current = current.length;
      else if (/^\d+$/.test(key)) current = current[Number(key)];
      else return undefined;
    } else {
      current = Object.prototype.hasOwnProperty.call(current, key) ? (current as Record<string, unknown>)[key] : undefined;
    }
  }
  return current;
}
