import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startActivity, type ActivityHandle } from '../src/index.js';
import { auditEvent, ndjson, tenantHeaders } from './helpers.js';
import { hasNatsServer, startNatsServer, type NatsServer } from './nats-server.js';

const BASE = Date.now() - 86400e3;
const TOKEN = 'platform-secret-token';

async function count(h: ActivityHandle, headers: Record<string, string>): Promise<number> {
  const r = await fetch(`${h.url}/v1/events/count`, { headers });
  return ((await r.json()) as { count: number }).count;
}

describe.skipIf(!hasNatsServer)('NATS JetStream queue (real nats-server)', () => {
  let nats: NatsServer;
  let h: ActivityHandle;
  beforeAll(async () => {
    nats = await startNatsServer();
    // A short ack wait so redelivery after a killed consumer happens within the test.
    h = await startActivity({ port: 0, queue: nats.url, batchSize: 250, flushIntervalMs: 20, natsAckWaitMs: 1000, faults: ['slow-insert=50ms'], platformToken: TOKEN, log: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    await nats?.stop();
  });

  it('loses and doubles nothing when the consumer is killed and restarted mid-stream', async () => {
    const perRequest = 200;
    const requests = 30;
    let restarts = 0;
    for (let r = 0; r < requests; r++) {
      const org = r % 2 === 0 ? 'org-a' : 'org-b';
      const events = Array.from({ length: perRequest }, (_, i) => auditEvent(r * perRequest + i, org, BASE));
      const res = await fetch(`${h.url}/events/bulk`, { method: 'POST', body: ndjson(events) });
      expect(res.status).toBe(202);
      if (r % 10 === 5) {
        await h.restartConsumer();
        restarts++;
      }
    }
    // A client retry of a request already accepted: JetStream's window and the store both de-duplicate.
    const again = Array.from({ length: perRequest }, (_, i) => auditEvent(i, 'org-a', BASE));
    expect((await fetch(`${h.url}/webhook`, { method: 'POST', body: JSON.stringify(again) })).status).toBe(202);
    await h.restartConsumer();
    restarts++;

    expect(await h.waitIdle(60_000)).toBe(true);
    expect(restarts).toBe(4);
    expect(await count(h, tenantHeaders('Organization', 'org-a'))).toBe(3000);
    expect(await count(h, tenantHeaders('Organization', 'org-b'))).toBe(3000);
    expect(await count(h, { authorization: `Bearer ${TOKEN}` })).toBe(6000);
    const metrics = await h.metricsText();
    expect(metrics).toMatch(/activity_queue_depth_events 0/);
    // Report how much the kills hit, so a run shows the redelivery path was exercised.
    const abandoned = Number(/activity_writer_abandoned_events_total (\d+)/.exec(metrics)?.[1] ?? 0);
    console.log(`nats kill test: ${abandoned} events were in flight at a kill and redelivered`);
  });
});
