/**
 * k6's `options.tlsAuth`: client certificates per domain, `[{ domains: ['example.com'], cert, key,
 * password? }]` (PEM text, usually from `open()`). The first entry whose domains list the
 * connection's host name (exactly, or `*.example.com` / a parent domain as k6 matches) is used.
 */
import type { ConfigProblem } from '../errors.js';

/** One client certificate and the domains it is presented to. */
export interface TlsAuthEntry {
  readonly domains: readonly string[];
  readonly cert: string;
  readonly key: string;
  readonly password?: string;
}

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? `'${v.slice(0, 40)}'` : typeof v);

/** Validates `options.tlsAuth`, recording a problem per bad field; undefined/absent gives []. */
export function readTlsAuth(value: unknown, problems: ConfigProblem[]): TlsAuthEntry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ path: 'tlsAuth', message: `must be an array of { domains, cert, key }, but is ${describe(value)}` });
    return [];
  }
  const out: TlsAuthEntry[] = [];
  value.forEach((e: unknown, i) => {
    const path = `tlsAuth[${i}]`;
    const o = (e ?? {}) as Record<string, unknown>;
    const before = problems.length;
    if (!Array.isArray(o.domains) || o.domains.length === 0 || !o.domains.every((d) => typeof d === 'string' && d !== '')) {
      problems.push({ path: `${path}.domains`, message: `must be a non-empty array of host names, but is ${describe(o.domains)}` });
    }
    for (const field of ['cert', 'key'] as const) {
      if (typeof o[field] !== 'string' || !String(o[field]).includes('-----BEGIN')) {
        problems.push({ path: `${path}.${field}`, message: `must be PEM text (e.g. open('./client.${field === 'cert' ? 'crt' : 'key'}')), but is ${describe(o[field])}` });
      }
    }
    if (o.password !== undefined && typeof o.password !== 'string') problems.push({ path: `${path}.password`, message: `must be a string, but is ${describe(o.password)}` });
    if (problems.length === before) {
      out.push({ domains: (o.domains as string[]).map((d) => d.toLowerCase()), cert: o.cert as string, key: o.key as string, ...(o.password === undefined ? {} : { password: o.password as string }) });
    }
  });
  return out;
}

