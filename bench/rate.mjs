// Goal 3 (issue 3): constant-arrival-rate 20,000/s for 30 s against nginx: achieved rate within
// 0.5%, iteration start lag p99 <= 2 ms, no dropped iterations while the target keeps up.
// Usage: node bench/rate.mjs [--rate 20000] [--seconds 30]
import { arg, ensureDebian, machineLine, squallBin, startNginx, tempScript, timed } from './lib.mjs';

const rate = arg('rate', 20000);
const seconds = arg('seconds', 30);
if (ensureDebian({ nginx: 'nginx-light' }).length > 0) {
  console.error('skipped: nginx is missing (apt-get install nginx-light)');
  process.exit(0);
}
const port = 18184;
const stop = await startNginx(port, 1);
const script = tempScript(
  'rate.ts',
  `import { http } from 'squall';\nexport const options = { scenarios: { car: { executor: 'constant-arrival-rate', rate: ${rate}, timeUnit: '1s', duration: '${seconds}s', preAllocatedVUs: ${Math.ceil(rate / 10)}, maxVUs: ${rate} } }, summaryTrendStats: ['avg', 'p(50)', 'p(99)', 'max'] };\nexport default async function () { await http.get('http://127.0.0.1:${port}/'); }\n`,
);
let r;
try {
  r = await timed([process.execPath, squallBin, 'run', script, '--quiet', '--no-results', '--summary-export', '/dev/stdout', '--no-summary']);
} finally {
  await stop();
}
const s = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
const m = s.metrics;
const iterations = m.iterations.values.count;
const planned = rate * seconds;
const dropped = m.dropped_iterations?.values.count ?? 0;
const lag = m.iteration_start_delay.values;
console.log(`machine: ${machineLine()}; constant-arrival-rate ${rate}/s x ${seconds}s, default workers`);
console.log(`iterations ${iterations} + dropped ${dropped} of planned ${planned}: achieved ${((iterations / planned) * 100).toFixed(2)}% (goal within 0.5%)`);
console.log(`iteration_start_delay p(50) ${lag['p(50)'].toFixed(3)} ms, p(99) ${lag['p(99)'].toFixed(3)} ms, max ${lag.max.toFixed(1)} ms (goal p99 <= 2 ms)`);
console.log(`http_req_duration p(99) ${m.http_req_duration.values['p(99)'].toFixed(2)} ms; failed ${(m.http_req_failed.values.rate * 100).toFixed(2)}%; CPU ${r.cpuS.toFixed(1)} s, peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MiB`);
