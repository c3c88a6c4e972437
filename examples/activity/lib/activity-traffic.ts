// Shared traffic of seed 000's scenarios against the activity target: control planes posting audit
// events as NDJSON batches, query users running the tenant/platform/complex mix, a DeliveryTracker
// following a sample of the events until queryable, and the target's own metrics watched.
import { DeliveryTracker, activityLookup, check, group, http, sleep } from 'squall';
import { audit, type AuditEvent } from 'squall/generators';

export const BASE = __ENV.BASE_URL ?? 'http://127.0.0.1:8080';
export const TOKEN = __ENV.TOKEN ?? '';
/** Events per NDJSON request, as a Vector sink batches them. */
export const BATCH = 50;
/** Time scale: `-e SCALE=0.1` runs a scenario's stages ten times shorter. */
export const SCALE = Number(__ENV.SCALE ?? 1);

/** A duration of `seconds` x SCALE, as a k6 duration string (at least 1 s). */
export function scaled(seconds: number): string {
  return `${Math.max(1, Math.round(seconds * SCALE))}s`;
}

/** NDJSON requests per second that carry `eventsPerSec`. */
export function requestsFor(eventsPerSec: number): number {
  return Math.max(1, Math.round(eventsPerSec / BATCH));
}

/** Query mix shares: tenant-scoped, platform, complex cross-tenant (the rest). */
export interface QueryMix {
  readonly tenant: number;
  readonly platform: number;
}

/** Builds the scenario's exec functions for `planes` control planes. */
export function makeTraffic(opts: { planes: number; mix?: QueryMix; trackShare?: number }) {
  const mix = opts.mix ?? { tenant: 0.6, platform: 0.3 };
  const events = audit({ tenants: opts.planes, skew: 'zipf', seed: __ENV.SEED ?? 'activity' });
  const tracker = new DeliveryTracker('ingest', {
    lookup: activityLookup({ url: BASE, token: TOKEN }),
    sample: Number(__ENV.TRACK_SHARE ?? opts.trackShare ?? 0.1),
    drainTimeout: __ENV.DRAIN ?? '30s',
  });
  const platform = { authorization: `Bearer ${TOKEN}` };
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

  async function ingest(): Promise<void> {
    const batch: AuditEvent[] = events.batch(BATCH);
    const body = `${batch.map((e) => JSON.stringify(e)).join('\n')}\n`;
    const res = await http.post(`${BASE}/events/bulk`, body, { headers: { 'content-type': 'application/x-ndjson' }, tags: { name: 'POST /events/bulk' } });
    if (check(res, { 'batch accepted (202)': (r) => r.status === 202 })) for (const e of batch) tracker.accepted(e.auditID);
  }

  async function query(): Promise<void> {
    const roll = Math.random();
    if (roll < mix.tenant) {
      await group('tenant', async () => {
        const headers = {
          'X-Remote-Extra-iam.miloapis.com%2Fparent-type': 'tenant',
          'X-Remote-Extra-iam.miloapis.com%2Fparent-name': `control-plane-${1 + Math.floor(Math.random() * opts.planes)}`,
        };
        const kind = Math.random();
        const [name, params] =
          kind < 0.5
            ? ['recent activity', { start: 'now-1h', limit: '50' }]
            : kind < 0.8
              ? ['pod creates', { start: 'now-24h', filter: "verb == 'create' && objectRef.resource == 'pods'", limit: '100' }]
              : ['secret access', { start: 'now-7d', filter: "objectRef.resource == 'secrets' && verb in ['get', 'list']", limit: '100' }];
        const res = await http.get(`${BASE}/v1/events?${q(params)}`, { headers, tags: { name: `tenant: ${name}` } });
        check(res, { 'tenant query ok': (r) => r.status === 200 });
      });
    } else if (roll < mix.tenant + mix.platform) {
      await group('platform', async () => {
        const res = await http.get(`${BASE}/v1/events/count?${q({ start: 'now-24h', filter: "verb == 'delete'" })}`, { headers: platform, tags: { name: 'platform: deletes today' } });
        check(res, { 'platform query ok': (r) => r.status === 200 });
      });
    } else {
      await group('complex', async () => {
        const filter = "(verb == 'delete' || verb == 'update') && objectRef.namespace in ['kube-system', 'default'] && !user.username.startsWith('system:')";
        const res = await http.get(`${BASE}/v1/events?${q({ start: 'now-7d', filter, limit: '200' })}`, { headers: platform, tags: { name: 'complex: cross-tenant changes' } });
        check(res, { 'complex query ok': (r) => r.status === 200 });
      });
    }
    await sleep(1 + Math.random() * 2);
  }

  return { ingest, query };
}

/** The target's own metrics, scraped every second (docs/observe.md). */
export const observeTarget = {
  targets: [
    {
      url: `${BASE}/metrics`,
      interval: '1s',
      series: {
        target_cpu: 'rate(activity_process_cpu_seconds_total)',
        target_rss_bytes: 'activity_process_resident_memory_bytes',
        queue_depth: 'activity_queue_depth_events',
        stored_per_s: 'rate(activity_rows_stored_total)',
        rejected_queue_full: 'activity_events_rejected_total{reason="queue_full"}',
      },
    },
  ],
};
