// Goal 5 (issue 3): 10 minutes at 5,000 req/s: RSS at the end <= 1.1 x RSS at minute 2; the
// per-interval series and histograms stay bounded. Samples the squall process's RSS every 10 s.
// Usage: node bench/soak.mjs [--minutes 10] [--rate 5000]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arg, ensureDebian, machineLine, squallBin, startNginx, tempScript } from './lib.mjs';

const minutes = arg('minutes', 10);
const rate = arg('rate', 5000);
if (ensureDebian({ nginx: 'nginx-light' }).length > 0) {
  console.error('skipped: nginx is missing (apt-get install nginx-light)');
  process.exit(0);
}
const port = 18185;
const stop = await startNginx(port, 1);
const script = tempScript(
  'soak.ts',
  `import { http } from 'squall';\nexport const options = { scenarios: { soak: { executor: 'constant-arrival-rate', rate: ${rate}, duration: '${minutes}m', preAllocatedVUs: 500, maxVUs: 5000 } } };\nexport default async function () { await http.get('http://127.0.0.1:${port}/'); }\n`,
);
const child = spawn(process.execPath, [squallBin, 'run', script, '--quiet', '--results-dir', `${script}.results`, '--summary-export', `${script}.summary.json`, '--no-summary'], { stdio: 'ignore' });
const samples = [];
const started = Date.now();
const timer = setInterval(() => {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
    samples.push({ s: (Date.now() - started) / 1000, mib: kb / 1024 });
  } catch {
    // the process has ended
  }
}, 10_000);
await new Promise((r) => child.on('exit', r));
clearInterval(timer);
await stop();
const summary = JSON.parse(readFileSync(`${script}.summary.json`, 'utf8'));
const series = readFileSync(`${script}.results/timeseries.jsonl`, 'utf8').trim().split('\n');
const at2 = samples.find((x) => x.s >= 120) ?? samples[0];
const end = samples.at(-1);
console.log(`machine: ${machineLine()}; constant-arrival-rate ${rate}/s x ${minutes} min`);
console.log(`requests ${summary.metrics.http_reqs.values.count}, failed ${(summary.metrics.http_req_failed.values.rate * 100).toFixed(2)}%, dropped ${summary.metrics.dropped_iterations?.values.count ?? 0}`);
console.log(`RSS at ${at2.s.toFixed(0)} s: ${at2.mib.toFixed(0)} MiB; at ${end.s.toFixed(0)} s: ${end.mib.toFixed(0)} MiB; ratio ${(end.mib / at2.mib).toFixed(3)} (goal <= 1.10)`);
console.log(`time series: ${series.length} points for ${minutes * 60} s (bounded by downsampling at 3,600)`);
console.log(`RSS samples (s:MiB): ${samples.map((x) => `${x.s.toFixed(0)}:${x.mib.toFixed(0)}`).join(' ')}`);
