import { timingSafeEqual } from 'node:crypto';

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

/**
 * Resolves the scope of a query request from its headers (`req.headersDistinct`). Tenant headers,
 * when present, always narrow the scope, even alongside a platform token. A platform query needs
 * `Authorization: Bearer <platformToken>`. Anything else is denied (403).
 */
export function resolveScope(headers: NodeJS.Dict<string[]>, platformToken: string): Scope {
  const type = single(headers, PARENT_TYPE_HEADER);
  const name = single(headers, PARENT_NAME_HEADER);
  if (type === null || name === null) return { kind: 'denied', reason: 'a tenant scope header is repeated' };
  if (type !== undefined || name !== undefined) {
    if (!type || !name) return { kind: 'denied', reason: 'tenant scope needs both parent-type and parent-name headers, non-empty' };
    return { kind: 'tenant', type: type.trim().toLowerCase(), name: name.trim() };
  }
  const auth = single(headers, 'authorization');
  if (auth === null) return { kind: 'denied', reason: 'the Authorization header is repeated' };
  if (auth === undefined) return { kind: 'denied', reason: 'send tenant scope headers or a platform Bearer token' };
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (!m || !tokenMatches(m[1] as string, platformToken)) return { kind: 'denied', reason: 'the Bearer token is not the platform token' };
  return { kind: 'platform' };
}
