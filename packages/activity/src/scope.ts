import { timingSafeEqual } from 'node:crypto';
import { PLATFORM_SCOPE_TYPE } from './audit-event.js';

/**
 * Tenant headers as Kubernetes' request-header authentication sends them: the extra key
 * `iam.miloapis.com/parent-type` percent-encoded, because `/` is not legal in a header name (Node
 * and undici both refuse it). Node lower-cases names, so `%2F` arrives as `%2f`.
 */
export const PARENT_TYPE_HEADER = 'x-remote-extra-iam.miloapis.com%2fparent-type';
export const PARENT_NAME_HEADER = 'x-remote-extra-iam.miloapis.com%2fparent-name';

/** Who is asking: one tenant (sees only events annotated with its scope), or the platform (all). */
export type Scope =
  | { readonly kind: 'tenant'; readonly type: string; readonly name: string }
  | { readonly kind: 'platform' }
  | { readonly kind: 'denied'; readonly reason: string };

function single(headers: NodeJS.Dict<string[]>, name: string): string | undefined | null {
  const values = headers[name];
  if (values === undefined) return undefined;
  // A repeated scope header is a crafted request: refuse rather than pick one.
  if (values.length !== 1) return null;
  return values[0] ?? null;
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One tenant header value as the client sent it: Node decodes header bytes as latin1, so the
 * bytes are recovered and read as UTF-8 (what Kubernetes sends). The rule (docs/activity.md,
 * tenant scope): the value must be valid UTF-8, non-empty, and have no leading or trailing
 * whitespace (String.prototype.trim's set: ASCII and Unicode spaces, NBSP, BOM, line breaks);
 * it is then compared byte for byte. Returns the value or why it is refused.
 */
function headerText(raw: string, what: string): { ok: string } | { bad: string } {
  let text: string;
  try {
    text = UTF8.decode(Buffer.from(raw, 'latin1'));
  } catch {
    return { bad: `the ${what} header is not valid UTF-8` };
  }
  if (text.trim() === '') return { bad: `the ${what} header is empty (or only whitespace)` };
  if (text.trim() !== text) return { bad: `the ${what} header has leading or trailing whitespace; send the name exactly as the events' scope annotation has it` };
  return { ok: text };
}

/**
 * Resolves the scope of a query request from its headers (`req.headersDistinct`). Tenant headers,
 * when present, always narrow the scope, even alongside a platform token. A platform query needs
 * `Authorization: Bearer <platformToken>`: the parent-type `platform` (any case) is reserved and
 * refused as a tenant type, whatever the name. Anything else is denied (403).
 */
export function resolveScope(headers: NodeJS.Dict<string[]>, platformToken: string): Scope {
  const type = single(headers, PARENT_TYPE_HEADER);
  const name = single(headers, PARENT_NAME_HEADER);
  if (type === null || name === null) return { kind: 'denied', reason: 'a tenant scope header is repeated' };
  if (type !== undefined || name !== undefined) {
    if (!type || !name) return { kind: 'denied', reason: 'tenant scope needs both parent-type and parent-name headers, non-empty' };
    const t = headerText(type, 'parent-type');
    if ('bad' in t) return { kind: 'denied', reason: t.bad };
    const n = headerText(name, 'parent-name');
    if ('bad' in n) return { kind: 'denied', reason: n.bad };
    const lowerType = t.ok.toLowerCase();
    if (lowerType === PLATFORM_SCOPE_TYPE) return { kind: 'denied', reason: 'parent-type platform is reserved: platform queries send Authorization: Bearer <platform token> and no tenant headers' };
    return { kind: 'tenant', type: lowerType, name: n.ok };
  }
  const auth = single(headers, 'authorization');
  if (auth === null) return { kind: 'denied', reason: 'the Authorization header is repeated' };
  if (auth === undefined) return { kind: 'denied', reason: 'send tenant scope headers or a platform Bearer token' };
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (!m || !tokenMatches(m[1] as string, platformToken)) return { kind: 'denied', reason: 'the Bearer token is not the platform token' };
  return { kind: 'platform' };
}
