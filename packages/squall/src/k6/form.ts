/** k6 request bodies: plain objects are form-encoded, or multipart when a field is `http.file()`. */
import { randomBytes } from 'node:crypto';

/** What `http.file(data, filename, contentType)` returns. */
export class FileData {
  constructor(
    readonly data: string | ArrayBuffer | Uint8Array,
    readonly filename: string | undefined,
    readonly content_type: string,
  ) {}
}

/** A body as squall's client takes it, and the content type k6 would set for it (or undefined). */
export interface K6Body {
  readonly body: string | Uint8Array | ArrayBuffer | null | undefined;
  readonly contentType: string | undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function bytesOf(data: string | ArrayBuffer | Uint8Array): Buffer {
  if (typeof data === 'string') return Buffer.from(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Encodes a k6 body: objects as `application/x-www-form-urlencoded` (keys sorted, as Go does) or multipart. */
export function encodeK6Body(body: unknown): K6Body {
  if (body instanceof FileData) return { body: bytesOf(body.data), contentType: body.content_type };
  if (!isPlainObject(body)) return { body: body as K6Body['body'], contentType: undefined };
  const keys = Object.keys(body);
  if (keys.some((k) => body[k] instanceof FileData)) return multipart(body, keys);
  const parts: string[] = [];
  for (const key of keys.sort()) {
    const value = body[key];
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) parts.push(`${formEscape(key)}=${formEscape(v === undefined || v === null ? '' : String(v))}`);
  }
  return { body: parts.join('&'), contentType: 'application/x-www-form-urlencoded' };
}

function formEscape(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function multipart(body: Record<string, unknown>, keys: string[]): K6Body {
  const boundary = randomBytes(16).toString('hex');
  const chunks: Buffer[] = [];
  for (const key of keys) {
    const value = body[key];
    const name = key.replace(/"/g, '%22');
    if (value instanceof FileData) {
      const filename = (value.filename ?? key).replace(/"/g, '%22');
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${value.content_type}\r\n\r\n`));
      chunks.push(bytesOf(value.data), Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value === undefined || value === null ? '' : String(value)}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
