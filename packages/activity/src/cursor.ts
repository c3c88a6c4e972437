import { createHash } from 'node:crypto';

/** Where a listing stopped, and the query it belongs to (a cursor is only valid for that query). */
export interface Cursor {
  /** `ts` of the last item returned, as ClickHouse printed it (microseconds, UTC). */
  readonly ts: string;
  readonly auditID: string;
  /** The resolved window (epoch µs): relative bounds like `now-7d` must not move between pages. */
  readonly startUs: number;
  readonly endUs: number;
  /** Hash of the filter and scope the listing was made with. */
  readonly queryHash: string;
}

/** Hash binding a cursor to one filter and one scope, so it cannot be replayed against another. */
export function queryHash(filter: string, scopeKey: string): string {
  return createHash('sha256').update(filter).update('\0').update(scopeKey).digest('base64url').slice(0, 16);
}

/** Encodes a cursor as the opaque `continue` token. */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([1, c.ts, c.auditID, c.startUs, c.endUs, c.queryHash])).toString('base64url');
}

/** Decodes a `continue` token; `undefined` when it is not one this target issued. */
export function decodeCursor(token: string): Cursor | undefined {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(v) || v.length !== 6 || v[0] !== 1) return undefined;
  const [, ts, auditID, startUs, endUs, hash] = v as unknown[];
  if (typeof ts !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/.test(ts)) return undefined;
  if (typeof auditID !== 'string' || typeof hash !== 'string') return undefined;
  if (!Number.isSafeInteger(startUs) || !Number.isSafeInteger(endUs)) return undefined;
  return { ts, auditID, startUs: startUs as number, endUs: endUs as number, queryHash: hash };
}
