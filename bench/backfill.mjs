// Bulk backfill into the embedded store: N audit events over D days into a fresh chdb directory,
// then (untimed) checks of what is there: count FINAL, distinct ids, parts per day, the projection.
// Usage (after `npm run build`): node bench/backfill.mjs [--events 10000000] [--days 90] [--tenants 50] [--batch 100000]
// --dist DIR runs another build (a copy of packages/squall/dist from before a change, beside a
// node_modules link) for A/B runs: alternate the two in one shell loop. --keep keeps the directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const { values } = parseArgs({ options: { events: { type: 'string', default: '10000000' }, days: { type: 'string', default: '90' }, tenants: { type: 'string', default: '50' }, batch: { type: 'string', default: '100000' }, dist: { type: 'string' }, keep: { type: 'boolean', default: false } } });
const dist = pathToFileURL(resolve(values.dist ?? new URL('../packages/squall/dist', import.meta.url).pathname)).href;
const { runBackfill } = await import(`${dist}/backfill/run-backfill.js`);
const { ACTIVITY_MAPPING } = await import(`${dist}/backfill/mapping.js`);
const { Session } = await import('chdb');

const dir = mkdtempSync(join(tmpdir(), 'squall-bench-backfill-'));
const events = Number(values.events);
const config = {
  store: `chdb:${join(dir, 'data')}`, events, days: Number(values.days), tenants: Number(values.tenants), seed: 'bench',
  bulkUntilDay: 0, endMs: Date.parse('2025-04-01T00:00:00Z'), mapping: ACTIVITY_MAPPING, bulkBatchEvents: Number(values.batch),
  replayUrl: undefined, replayRatePerSec: 1, replayBatchEvents: 1, checkpointFile: join(dir, 'checkpoint.json'),
};
const load0 = loadavg()[0];
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
const load1 = loadavg()[0];
const s = result.elapsedMs / 1000;

// What a user of the table would see. The projection query must read the projection
// (force_optimize_projection) and agree with the same query on the table's own order.
const session = new Session(join(dir, 'data'));
const one = async (sql) => (await session.queryAsync(sql, { format: 'TSV' })).text().trim();
const window = "ts >= '2025-03-31 06:00:00' AND ts < '2025-03-31 07:00:00'";
const hourQuery = `SELECT count(), uniqExact(auditID), sum(status_code) FROM audit_events WHERE ${window}`;
const check = {
  countFinal: Number(await one('SELECT count() FROM audit_events FINAL')),
  distinctIds: Number(await one('SELECT uniqExact(auditID) FROM audit_events')),
  partsPerDay: Number(await one("SELECT max(c) FROM (SELECT count() AS c FROM system.parts WHERE table = 'audit_events' AND active GROUP BY partition)")),
  partsWithoutProjection: Number(await one("SELECT count() FROM system.parts AS p WHERE p.table = 'audit_events' AND p.active AND p.name NOT IN (SELECT parent_name FROM system.projection_parts WHERE table = 'audit_events' AND active AND name = 'platform_query_projection')")),
  projectionQueryAgrees: (await one(`${hourQuery} SETTINGS force_optimize_projection = 1, optimize_use_implicit_projections = 0`)) === (await one(`${hourQuery} SETTINGS optimize_use_projections = 0`)),
};
session.close();

console.log(JSON.stringify({
  events, days: config.days, batch: config.bulkBatchEvents, inserted: result.inserted, seconds: Number(s.toFixed(1)), eventsPerSec: Math.round(result.inserted / s),
  processCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)), generateSeconds: Number((result.bulkGenerateMs / 1000).toFixed(1)),
  insertWaitSeconds: Number((result.bulkInsertWaitMs / 1000).toFixed(1)), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20), load: [load0, load1].map((l) => Number(l.toFixed(2))), check,
}));
if (!values.keep) rmSync(dir, { recursive: true, force: true });
