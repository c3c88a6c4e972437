import type { TlsAuthEntry } from '../config/tls-auth.js';

/** The entry for `host`: an exact domain, `*.parent`, or a parent domain of it; undefined if none. */
export function tlsAuthFor(entries: readonly TlsAuthEntry[], host: string): TlsAuthEntry | undefined {
  const h = host.toLowerCase();
  for (const e of entries) {
    for (const d of e.domains) {
      const bare = d.startsWith('*.') ? d.slice(2) : d;
      if (h === bare || h.endsWith(`.${bare}`)) return e;
    }
  }
  return undefined;
}
