/** HTTP Digest authentication (RFC 7616, MD5 and SHA-256, qop=auth), as k6's `auth: 'digest'` does it. */
import { createHash, randomBytes } from 'node:crypto';

function parseChallenge(header: string): Record<string, string> | undefined {
  const m = /^\s*Digest\s+(.*)$/i.exec(header);
  if (m === null) return undefined;
  const out: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let p = re.exec(m[1] ?? ''); p !== null; p = re.exec(m[1] ?? '')) out[(p[1] ?? '').toLowerCase()] = p[2] ?? p[3] ?? '';
  return out;
}

/**
 * The Authorization header answering `challenges` (the 401's WWW-Authenticate values) for
 * `method` on `uri` (path and query), or undefined when none is a Digest challenge.
 */
export function digestAuthorization(challenges: readonly string[], user: string, password: string, method: string, uri: string): string | undefined {
  const c = challenges.map(parseChallenge).find((x) => x !== undefined);
  if (c === undefined) return undefined;
  const algorithm = (c.algorithm ?? 'MD5').toUpperCase();
  const hashName = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  const h = (s: string) => createHash(hashName).update(s).digest('hex');
  const realm = c.realm ?? '';
  const nonce = c.nonce ?? '';
  const qop = (c.qop ?? '').split(',').map((q) => q.trim()).includes('auth') ? 'auth' : '';
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  let ha1 = h(`${user}:${realm}:${password}`);
  if (algorithm.endsWith('-SESS')) ha1 = h(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  const response = qop === 'auth' ? h(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${nonce}:${ha2}`);
  let header = `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=${c.algorithm ?? 'MD5'}, response="${response}"`;
  if (qop) header += `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"`;
  if (c.opaque !== undefined) header += `, opaque="${c.opaque}"`;
  return header;
}
