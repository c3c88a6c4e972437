// Goal 1 (issue 3): requests per core, squall vs autocannon, against nginx; wrk as the ceiling.
// One generator pinned to core 0, nginx (one worker) pinned to core 1, 50 connections/VUs.
// Usage: node bench/throughput.mjs [--rounds 3] [--seconds 10]
import { join } from 'node:path';
import { arg, ensureDebian, machineLine, median, pin, root, squallBin, startNginx, tempScript, timed, which } from './lib.mjs';

const rounds = arg('rounds', 3);
const seconds = arg('seconds', 10);
const port = 18181;
const missing = ensureDebian({ nginx: 'nginx-light', wrk: 'wrk' });
if (missing.includes('nginx')) {
  console.error('skipped: nginx is missing (apt-get install nginx-light)');
  process.exit(0);
}
const url = `http://127.0.0.1:${port}/`;
const script = tempScript('throughput.ts', `import { http } from 'squall';\nexport const options = { vus: 50, duration: '${seconds}s', summaryTrendStats: ['avg', 'p(99)'] };\nexport default async function () { await http.get('${url}'); }\n`);
const stop = await startNginx(port, 1);
const results = { squall: [], autocannon: [], wrk: [] };
try {
  for (let r = 0; r < rounds; r++) {
    // Interleaved A/B: noise on a shared machine hits both sides alike.
    const ac = await timed([...pin(0), process.execPath, join(root, 'node_modules', 'autocannon', 'autocannon.js'), '-c', '50', '-d', String(seconds), '--json', url]);
    if (!ac.stdout.trim()) throw new Error(`autocannon printed no result (exit ${ac.code}): ${ac.stderr.slice(0, 500)}`);
    const acJson = JSON.parse(ac.stdout);
    const acReqs = acJson.requests.total;
    results.autocannon.push({ rps: acReqs / acJson.duration, cpuUsPerReq: (ac.cpuS * 1e6) / acReqs });
    const sq = await timed([...pin(0), process.execPath, squallBin, 'run', script, '--workers', '1', '--quiet', '--no-results', '--summary-export', '/dev/stdout', '--no-summary'], {});
    const summary = JSON.parse(sq.stdout.slice(sq.stdout.indexOf('{')));
    const sqReqs = summary.metrics.http_reqs.values.count;
    results.squall.push({ rps: summary.metrics.http_reqs.values.rate, cpuUsPerReq: (sq.cpuS * 1e6) / sqReqs });
    if (which('wrk')) {
      const wk = await timed([...pin(0), 'wrk', '-t1', '-c50', `-d${seconds}s`, url]);
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(wk.stdout)?.[1]);
      results.wrk.push({ rps, cpuUsPerReq: (wk.cpuS * 1e6) / (rps * seconds) });
    }
    console.error(`round ${r + 1}/${rounds}: squall ${results.squall.at(-1).rps.toFixed(0)}/s, autocannon ${results.autocannon.at(-1).rps.toFixed(0)}/s`);
  }
} finally {
  await stop();
}
const row = (name) => {
  const xs = results[name];
  if (xs.length === 0) return `| ${name} | - | - |`;
  return `| ${name} | ${median(xs.map((x) => x.rps)).toFixed(0)} | ${median(xs.map((x) => x.cpuUsPerReq)).toFixed(1)} |`;
};
const ratio = median(results.squall.map((x) => x.rps)) / median(results.autocannon.map((x) => x.rps));
console.log(`machine: ${machineLine()}; ${rounds} rounds x ${seconds}s, 50 connections, generator on core 0, nginx on core 1`);
console.log('| tool | req/s (median) | CPU µs/request (median, incl. start-up) |\n|---|---|---|');
console.log([row('squall'), row('autocannon'), row('wrk')].join('\n'));
console.log(`squall / autocannon req/s: ${ratio.toFixed(2)} (goal >= 1.20: ${ratio >= 1.2 ? 'met' : 'NOT met'})`);
