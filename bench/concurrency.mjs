// Goal 2 (issue 3): 20,000 VUs each looping http.get + sleep(1) for 60 s with default options:
// peak RSS <= 1 GiB, >= 95% of the ideal iterations, < 1% failed requests.
// Usage: node bench/concurrency.mjs [--vus 20000] [--seconds 60]
import { arg, ensureDebian, machineLine, squallBin, startNginx, tempScript, timed } from './lib.mjs';

const vus = arg('vus', 20000);
const seconds = arg('seconds', 60);
if (ensureDebian({ nginx: 'nginx-light' }).length > 0) {
  console.error('skipped: nginx is missing (apt-get install nginx-light)');
  process.exit(0);
}
const port = 18182;
const script = tempScript('concurrency.ts', `import { http, sleep } from 'squall';\nexport const options = { vus: ${vus}, duration: '${seconds}s' };\nexport default async function () { await http.get('http://127.0.0.1:${port}/'); await sleep(1); }\n`);
const stop = await startNginx(port, 1);
let r;
try {
  r = await timed([process.execPath, squallBin, 'run', script, '--quiet', '--no-results', '--summary-export', '/dev/stdout', '--no-summary']);
} finally {
  await stop();
}
const s = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
const iterations = s.metrics.iterations.values.count;
const ideal = vus * seconds; // one iteration per VU per second at best (sleep(1) + request time)
const failed = s.metrics.http_req_failed.values.rate;
const rssMiB = r.maxRssKb / 1024;
console.log(`machine: ${machineLine()}; ${vus} VUs x ${seconds}s, default options (nginx on core 1, squall unpinned)`);
for (const line of r.stderr.split('\n').filter((l) => l.startsWith('warning'))) console.log(line);
console.log(`iterations ${iterations} of ideal ${ideal} = ${((iterations / ideal) * 100).toFixed(1)}% (goal >= 95%)`);
console.log(`failed requests ${(failed * 100).toFixed(2)}% (goal < 1%)`);
console.log(`peak RSS ${rssMiB.toFixed(0)} MiB = ${((rssMiB * 1024) / vus).toFixed(1)} KiB per VU (goal <= 1024 MiB); CPU ${r.cpuS.toFixed(1)} s`);
console.log(`http_req_latency p(95) ${s.metrics.http_req_latency.values['p(95)'].toFixed(1)} ms, http_req_blocked p(95) ${s.metrics.http_req_blocked.values['p(95)'].toFixed(1)} ms`);
