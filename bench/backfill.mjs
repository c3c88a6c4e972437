// Bulk backfill into the embedded store: N audit events over D days into a fresh chdb directory.
// Usage (after `npm run build`): node bench/backfill.mjs [--events 10000000] [--days 90] [--tenants 50] [--batch 100000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBackfill } from '../packages/squall/dist/backfill/run-backfill.js';
import { ACTIVITY_MAPPING } from '../packages/squall/dist/backfill/mapping.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '10000000' }, days: { type: 'string', default: '90' }, tenants: { type: 'string', default: '50' }, batch: { type: 'string', default: '100000' }, keep: { type: 'boolean', default: false } } });
const dir = mkdtempSync(join(tmpdir(), 'squall-bench-backfill-'));
const events = Number(values.events);
const config = {
  store: `chdb:${join(dir, 'data')}`, events, days: Number(values.days), tenants: Number(values.tenants), seed: 'bench',
  bulkUntilDay: 0, endMs: Date.parse('2025-04-01T00:00:00Z'), mapping: ACTIVITY_MAPPING, bulkBatchEvents: Number(values.batch),
  replayUrl: undefined, replayRatePerSec: 1, replayBatchEvents: 1, checkpointFile: join(dir, 'checkpoint.json'),
};
let last = 0;
const cpu0 = process.cpuUsage();
const result = await runBackfill(config, {
  onProgress: (p) => {
    if (p.elapsedMs - last < 10_000) return;
    last = p.elapsedMs;
    process.stderr.write(`${(p.elapsedMs / 1000).toFixed(0)} s: ${p.done} events (${Math.round((p.done / p.elapsedMs) * 1000)}/s)\n`);
  },
});
const cpu = process.cpuUsage(cpu0);
const s = result.elapsedMs / 1000;
console.log(JSON.stringify({ events, days: config.days, batch: config.bulkBatchEvents, inserted: result.inserted, seconds: Number(s.toFixed(1)), eventsPerSec: Math.round(result.inserted / s), processCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) }));
if (!values.keep) rmSync(dir, { recursive: true, force: true });
