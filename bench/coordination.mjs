#!/usr/bin/env node
// Benchmark: the cost of coordination (issue 19). N local instances of one constant-arrival-rate
// test, twice in the same run against the same loopback server:
//   uncoordinated: N plain `squall run --instance i/N` processes side by side;
//   coordinated:   `squall run --instances N` (a private nats-server, start barrier, every instance
//                  publishing its 1 s intervals to JetStream, instance 0 merging them live).
// Reports, for the coordinated run, the coordinator's merge cost (decode + ingest + threshold
// judgement) in ms per interval, the bytes of interval data it received per interval (all
// instances), and both runs' achieved throughput.
//
//   node bench/coordination.mjs [--instances 8] [--rate 200] [--duration 6]
// Needs `npm run build` first and nats-server on the PATH (or SQUALL_NATS_SERVER).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { instances: { type: 'string', default: '8' }, rate: { type: 'string', default: '200' }, duration: { type: 'string', default: '6' } } });
const N = Number(values.instances);
const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../packages/squall/bin/squall.js');
const dir = mkdtempSync(join(tmpdir(), 'squall-bench-coord-'));
const script = join(dir, 'load.js');
writeFileSync(
  script,
  `import { http } from 'squall';
export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: ${Number(values.rate)}, timeUnit: '1s', duration: '${Number(values.duration)}s', preAllocatedVUs: 20 } },
  thresholds: { http_req_duration: ['p(95)<1000'], http_req_failed: ['rate<0.01'] } };
export default async function () { await http.get(__ENV.BASE_URL + '/r'); }
`,
);

let served = 0;
const server = createServer((req, res) => {
  served++;
  res.end('ok');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

function squall(args) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolvePromise({ code, stderr }));
  });
}
const common = ['--workers', '1', '-e', `BASE_URL=${base}`, '--no-history'];

// Uncoordinated: N instances side by side, each its own summary.
served = 0;
let t0 = Date.now();
const plain = await Promise.all(Array.from({ length: N }, (_, i) => squall(['run', script, ...common, '--instance', `${i}/${N}`, '--quiet', '--no-summary', '--no-results', '--summary-export', `plain-${i}.json`])));
const plainWallMs = Date.now() - t0;
const plainServed = served;
const plainSummaries = plain.map((_, i) => JSON.parse(readFileSync(join(dir, `plain-${i}.json`), 'utf8')));
const plainIterations = plainSummaries.reduce((n, s) => n + s.metrics.iterations.values.count, 0);
const plainRate = plainSummaries.reduce((n, s) => n + s.metrics.iterations.values.rate, 0);

// Coordinated: the same load as one fleet.
served = 0;
t0 = Date.now();
const fleetRun = await squall(['run', script, ...common, '--instances', String(N), '--no-summary', '--no-results', '--summary-export', 'fleet.json']);
const fleetWallMs = Date.now() - t0;
const fleet = JSON.parse(readFileSync(join(dir, 'fleet.json'), 'utf8'));
server.close();

const stats = fleet.fleet.stats;
const result = {
  machine: `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg()[0].toFixed(2)} (shared, noisy)`,
  instances: N,
  rate: Number(values.rate),
  durationS: Number(values.duration),
  uncoordinated: { exitCodes: plain.map((p) => p.code), iterations: plainIterations, served: plainServed, iterationsPerS: Number(plainRate.toFixed(1)), wallMs: plainWallMs },
  coordinated: {
    exitCode: fleetRun.code,
    iterations: fleet.metrics.iterations.values.count,
    served,
    iterationsPerS: Number(fleet.metrics.iterations.values.rate.toFixed(1)),
    wallMs: fleetWallMs,
    intervalsReceived: stats.intervalsReceived,
    coordinatorTicks: stats.ticks,
    mergeMsPerTick: Number((stats.mergeMs / Math.max(1, stats.ticks)).toFixed(3)),
    mergeMsPerInstanceInterval: Number((stats.mergeMs / Math.max(1, stats.intervalsReceived)).toFixed(3)),
    bytesPerInstanceInterval: Math.round(stats.bytesReceived / Math.max(1, stats.intervalsReceived)),
    bytesPerTick: Math.round(stats.bytesReceived / Math.max(1, stats.ticks)),
  },
};
console.log(JSON.stringify(result, null, 2));
const c = result.coordinated;
console.log(`| ${N} | ${result.rate}/s x ${result.durationS} s | ${result.uncoordinated.iterations} @ ${result.uncoordinated.iterationsPerS}/s | ${c.iterations} @ ${c.iterationsPerS}/s | ${c.mergeMsPerTick} ms | ${c.bytesPerTick} B (${c.bytesPerInstanceInterval} B per instance) | ${(plainWallMs / 1000).toFixed(1)} s / ${(fleetWallMs / 1000).toFixed(1)} s |`);
if (fleetRun.code !== 0) console.error(fleetRun.stderr.slice(-3000));
