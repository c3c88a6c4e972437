#!/usr/bin/env node
// Benchmark: NDJSON ingest into the activity target with the embedded chdb store.
// Question: does it sustain >= 10,000 events/s with ingest-to-stored lag p95 < 2 s (issue 5)?
//
//   node bench/activity-ingest.mjs [--rate 10000] [--duration 30] [--batch 1000] [--tenants 50]
//
// Starts `squall target activity` in its own process (the built CLI; run `npm run build` first),
// pre-generates every NDJSON body (so the generator's JSON work is not timed), posts batches on an
// open-model schedule (start times fixed in advance, so a slow target cannot slow the sender),
// waits until everything is stored, then reads the target's own /metrics and checks the stored
// count. Prints a JSON result and a Markdown table row.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg, cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '30' },
    batch: { type: 'string', default: '1000' },
    tenants: { type: 'string', default: '50' },
    'max-in-flight': { type: 'string', default: '16' },
  },
});
const ratePerSec = Number(values.rate);
const durationSec = Number(values.duration);
const batch = Number(values.batch);
const tenants = Number(values.tenants);
const maxInFlight = Number(values['max-in-flight']);
const TOKEN = 'bench-platform-token';
const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../packages/squall/bin/squall.js');

const VERBS = ['get', 'get', 'get', 'get', 'list', 'list', 'list', 'update', 'create', 'delete'];
const RESOURCES = [['', 'pods'], ['', 'services'], ['', 'secrets'], ['', 'configmaps'], ['apps', 'deployments'], ['apps', 'statefulsets'], ['batch', 'jobs']];
function event(n, nowMs) {
  const [apiGroup, resource] = RESOURCES[n % RESOURCES.length];
  const verb = VERBS[n % VERBS.length];
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: randomUUID(),
    stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/namespace-${n % 20}/${resource}`,
    verb,
    user: { username: `system:serviceaccount:default:app-${n % 100}`, groups: ['system:serviceaccounts', 'system:authenticated'] },
    sourceIPs: ['10.0.0.1'],
    userAgent: 'kube-controller-manager/v1.30.0',
    objectRef: { apiGroup, resource, namespace: `namespace-${n % 20}`, name: `resource-${n % 1000}`, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: verb === 'create' ? 201 : 200 },
    requestReceivedTimestamp: new Date(nowMs).toISOString(),
    stageTimestamp: new Date(nowMs + 3).toISOString(),
    annotations: { 'platform.miloapis.com/scope.type': 'tenant', 'platform.miloapis.com/scope.name': `control-plane-${n % tenants}` },
  });
}

async function startTarget() {
  const child = spawn(process.execPath, [BIN, 'target', 'activity', '--port', '0', '--platform-token', TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) res(out.split('\n')[0].trim());
    });
    child.once('exit', (code) => rej(new Error(`target exited ${code}`)));
  });
  return { child, url };
}

function metric(text, name) {
  const m = new RegExp(`^${name.replace(/[{}"=]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}
/** Upper bound of the histogram bucket holding quantile q (Prometheus buckets: an upper bound, not exact). */
function bucketQuantile(text, name, q) {
  const rows = [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))].map((m) => [Number(m[1]), Number(m[2])]);
  const total = rows[rows.length - 1]?.[1] ?? 0;
  const hit = rows.find(([, c]) => c >= q * total);
  return hit ? hit[0] : NaN;
}

const totalBatches = Math.round((ratePerSec * durationSec) / batch);
const genStart = performance.now();
const nowMs = Date.now();
const bodies = [];
for (let b = 0; b < totalBatches; b++) {
  const lines = [];
  for (let i = 0; i < batch; i++) lines.push(event(b * batch + i, nowMs + b * 10));
  bodies.push(lines.join('\n'));
}
const bytes = bodies.reduce((s, x) => s + Buffer.byteLength(x), 0);
console.error(`generated ${totalBatches} bodies x ${batch} events (${(bytes / 1e6).toFixed(0)} MB, ${(bytes / totalBatches / batch).toFixed(0)} B/event) in ${((performance.now() - genStart) / 1000).toFixed(1)} s`);

const load1Before = loadavg()[0];
const { child, url } = await startTarget();
const before = await (await fetch(`${url}/metrics`)).text();
const intervalMs = (1000 * batch) / ratePerSec;
const statuses = new Map();
const postLatMs = [];
let inFlight = 0;
let maxSchedLagMs = 0;
const t0 = performance.now();
const pending = [];
for (let b = 0; b < totalBatches; b++) {
  const due = t0 + b * intervalMs;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  while (inFlight >= maxInFlight) await new Promise((r) => setTimeout(r, 1));
  maxSchedLagMs = Math.max(maxSchedLagMs, performance.now() - due);
  inFlight++;
  const started = performance.now();
  pending.push(
    fetch(`${url}/events/bulk`, { method: 'POST', body: bodies[b], headers: { 'content-type': 'application/x-ndjson' } })
      .then(async (r) => {
        await r.arrayBuffer();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        postLatMs.push(performance.now() - started);
      })
      .finally(() => inFlight--),
  );
}
await Promise.all(pending);
const sendSec = (performance.now() - t0) / 1000;
let drainedAt = performance.now();
for (;;) {
  const text = await (await fetch(`${url}/metrics`)).text();
  if (metric(text, 'activity_queue_depth_events') === 0) break;
  await new Promise((r) => setTimeout(r, 100));
  drainedAt = performance.now();
}
const wallSec = (drainedAt - t0) / 1000;
const after = await (await fetch(`${url}/metrics`)).text();
const stored = (await (await fetch(`${url}/v1/events/count?start=now-1d&end=now%2B1d`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()).count;
const accepted = (statuses.get(202) ?? 0) * batch;
postLatMs.sort((a, b) => a - b);
const cpuSec = metric(after, 'activity_process_cpu_seconds_total') - metric(before, 'activity_process_cpu_seconds_total');
const result = {
  ratePerSecTarget: ratePerSec,
  durationSec,
  batchEvents: batch,
  eventsSent: totalBatches * batch,
  eventsAccepted: accepted,
  eventsStored: stored,
  statuses: Object.fromEntries(statuses),
  acceptedPerSec: Math.round(accepted / sendSec),
  storedPerSec: Math.round(stored / wallSec),
  lagP50SecAtMost: bucketQuantile(after, 'activity_ingest_to_stored_seconds', 0.5),
  lagP95SecAtMost: bucketQuantile(after, 'activity_ingest_to_stored_seconds', 0.95),
  lagP99SecAtMost: bucketQuantile(after, 'activity_ingest_to_stored_seconds', 0.99),
  postP95Ms: Math.round(postLatMs[Math.floor(postLatMs.length * 0.95)] ?? NaN),
  maxSchedulingLagMs: Math.round(maxSchedLagMs),
  insertBatches: metric(after, 'activity_insert_duration_seconds_count'),
  targetCpuPercent: Math.round((100 * cpuSec) / wallSec),
  targetRssMB: Math.round(metric(after, 'activity_process_resident_memory_bytes') / 1e6),
  load1Before: Number(load1Before.toFixed(2)),
  cores: cpus().length,
  node: process.version,
};
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
console.log(JSON.stringify(result, null, 2));
console.log(
  `| ${new Date().toISOString().slice(0, 10)} | ${ratePerSec} ev/s x ${durationSec} s, ${batch}/request | ${result.acceptedPerSec} | ${result.storedPerSec} | ${stored}/${result.eventsSent} | <= ${result.lagP95SecAtMost} s | ${result.postP95Ms} ms | ${result.targetCpuPercent}% | ${result.load1Before} |`,
);
