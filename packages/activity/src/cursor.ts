import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Where a listing stopped, and the query it belongs to (a cursor is only valid for that query). */
export interface Cursor {
  /** `ts` of the last item returned, as ClickHouse printed it (microseconds, UTC). */
  readonly ts: string;
  readonly auditID: string;
  /** The resolved window (epoch µs): relative bounds like `now-7d` must not move between pages. */
  readonly startUs: number;
  readonly endUs: number;
  /** Hash of the query's other parameters and its scope. */
  readonly queryHash: string;
  /** When the cursor was issued (epoch ms): it expires `cursorTtlMs` later. */
  readonly issuedMs: number;
}

/** Why a token was refused, in the Activity API's words. */
export type CursorProblem = { readonly kind: 'malformed' | 'changed' | 'expired'; readonly message: string };

/** How long a cursor is valid, as the Activity API's (1 hour). */
export const DEFAULT_CURSOR_TTL_MS = 3_600_000;

/** Tokens are signed with a key of this process: a forged or edited token is refused. */
const KEY = randomBytes(32);

/** Hash binding a cursor to the query's other parameters and its scope, so it cannot be replayed against another. */
export function queryHash(...parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('base64url').slice(0, 22);
}

function sign(body: string): string {
  return createHmac('sha256', KEY).update(body).digest('base64url').slice(0, 22);
}

/** Encodes a cursor as the opaque, signed `continue` token. */
export function encodeCursor(c: Cursor): string {
  const body = Buffer.from(JSON.stringify([2, c.ts, c.auditID, c.startUs, c.endUs, c.queryHash, c.issuedMs])).toString('base64url');
  return `${body}.${sign(body)}`;
}

/**
 * Decodes a `continue` token and checks it against the query (`hash`) and its age: a token from
 * another query answers `changed`, an old one `expired`, anything else not issued here `malformed`.
 */
export function decodeCursor(token: string, hash: string, nowMs: number, ttlMs: number): Cursor | CursorProblem {
  const malformed: CursorProblem = { kind: 'malformed', message: 'cursor format is invalid. Start a new query' };
  const [body, mac, extra] = token.split('.');
  if (body === undefined || mac === undefined || extra !== undefined) return malformed;
  const expected = Buffer.from(sign(body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return malformed;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return malformed;
  }
  if (!Array.isArray(v) || v.length !== 7 || v[0] !== 2) return malformed;
  const [, ts, auditID, startUs, endUs, qh, issuedMs] = v as unknown[];
  if (typeof ts !== 'string' || typeof auditID !== 'string' || typeof qh !== 'string') return malformed;
  if (!Number.isSafeInteger(startUs) || !Number.isSafeInteger(endUs) || !Number.isSafeInteger(issuedMs)) return malformed;
  if (qh !== hash) return { kind: 'changed', message: 'cannot use cursor because query parameters changed. Start a new query without the continue parameter' };
  const ageMs = nowMs - (issuedMs as number);
  if (ageMs > ttlMs) {
    return { kind: 'expired', message: `cursor expired after ${Math.round(ageMs / 1000)}s. Cursors are valid for ${Math.round(ttlMs / 1000)}s. Start a new query without the continue parameter` };
  }
  return { ts, auditID, startUs: startUs as number, endUs: endUs as number, queryHash: qh, issuedMs: issuedMs as number };
}

/** True when `decodeCursor` refused the token. */
export function isCursorProblem(c: Cursor | CursorProblem): c is CursorProblem {
  return 'kind' in c;
}
