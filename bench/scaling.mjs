// Goal 4 (issue 3): throughput with N workers vs one worker, when cores allow.
// squall pinned to cores 0..N (N workers + the main thread), nginx with 4 workers on the upper cores.
// Usage: node bench/scaling.mjs [--seconds 8] [--max-workers 4]
import { cpus } from 'node:os';
import { arg, ensureDebian, machineLine, median, pin, squallBin, startNginx, tempScript, timed } from './lib.mjs';

const seconds = arg('seconds', 8);
const cores = cpus().length;
const maxWorkers = Math.min(arg('max-workers', 4), Math.max(1, Math.floor(cores / 2) - 1));
if (ensureDebian({ nginx: 'nginx-light' }).length > 0) {
  console.error('skipped: nginx is missing (apt-get install nginx-light)');
  process.exit(0);
}
const port = 18183;
const nginxCores = cores >= 8 ? `${cores - 4}-${cores - 1}` : String(cores - 1);
const stop = await startNginx(port, nginxCores, cores >= 8 ? 4 : 1);
const script = tempScript('scaling.ts', `import { http } from 'squall';\nexport const options = { vus: 200, duration: '${seconds}s' };\nexport default async function () { await http.get('http://127.0.0.1:${port}/'); }\n`);
const rows = [];
try {
  for (let w = 1; w <= maxWorkers; w *= 2) {
    const runs = [];
    for (let r = 0; r < 2; r++) {
      const res = await timed([...pin(`0-${w}`), process.execPath, squallBin, 'run', script, '--workers', String(w), '--quiet', '--no-results', '--summary-export', '/dev/stdout', '--no-summary']);
      const s = JSON.parse(res.stdout.slice(res.stdout.indexOf('{')));
      runs.push(s.metrics.http_reqs.values.rate);
    }
    rows.push({ workers: w, rps: median(runs) });
  }
} finally {
  await stop();
}
console.log(`machine: ${machineLine()}; 200 VUs x ${seconds}s; squall on cores 0..workers, nginx (${cores >= 8 ? 4 : 1} workers) on ${nginxCores}`);
console.log('| workers | req/s (median of 2) | vs 1 worker |\n|---|---|---|');
for (const r of rows) console.log(`| ${r.workers} | ${r.rps.toFixed(0)} | ${(r.rps / rows[0].rps).toFixed(2)}x |`);
if (maxWorkers < 2) console.log('this machine has too few cores to measure scaling (goal 4 needs >= 6: workers + main thread + target)');
