import type { DeliveryLookup } from './delivery-tracker.js';

/** Where the activity target's query API is. */
export interface ActivityLookupOptions {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The platform Bearer token (platform scope sees every tenant). */
  readonly token: string;
  /** Query window; default from 2000-01-01 to a day from now, so generated history is included. */
  readonly start?: string;
  readonly end?: string;
}

const MAX_FILTER_CHARS = 4000;

function quote(id: string): string {
  return `'${id.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A DeliveryTracker lookup for the activity target (and any service with its query API): asks
 * `GET /v1/events?filter=auditID in [...]` with the platform token and counts each id returned.
 * Uses the runtime's `fetch`, so lookups are not counted in the test's http_* metrics.
 */
export function activityLookup(options: ActivityLookupOptions): DeliveryLookup {
  const base = options.url.replace(/\/+$/, '');
  const start = options.start ?? '2000-01-01T00:00:00Z';
  const end = options.end ?? 'now+1d';
  return async (ids) => {
    const found = new Map<string, number>();
    for (const chunk of chunks(ids)) await lookupChunk(chunk, found);
    return found;
  };

  async function lookupChunk(ids: readonly string[], found: Map<string, number>): Promise<void> {
    let cursor: string | undefined;
    do {
      const params = new URLSearchParams({ filter: `auditID in [${ids.map(quote).join(', ')}]`, limit: '1000', start, end });
      if (cursor !== undefined) params.set('continue', cursor);
      const res = await fetch(`${base}/v1/events?${params}`, { headers: { authorization: `Bearer ${options.token}` } });
      if (!res.ok) throw new Error(`activity lookup: GET /v1/events answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      const page = (await res.json()) as { items?: { auditID?: string }[]; continue?: string | null };
      for (const item of page.items ?? []) {
        if (typeof item.auditID === 'string') found.set(item.auditID, (found.get(item.auditID) ?? 0) + 1);
      }
      cursor = page.continue ?? undefined;
    } while (cursor);
  }
}

/** The activity API caps a filter at 4,096 characters: split the ids into filters that fit. */
function chunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let length = 20; // "auditID in [" + "]"
  for (const id of ids) {
    const cost = quote(id).length + 2;
    if (current.length > 0 && length + cost > MAX_FILTER_CHARS) {
      out.push(current);
      current = [];
      length = 20;
    }
    current.push(id);
    length += cost;
  }
  if (current.length > 0) out.push(current);
  return out;
}
