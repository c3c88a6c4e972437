// Goal 1 (issue 3): requests per core, squall vs autocannon, against nginx; wrk as the ceiling.
// One generator pinned to core 0, nginx (one worker) pinned to core 1, 50 connections/VUs.
// Usage: node bench/throughput.mjs [--rounds 3] [--seconds 10] [--wrk 0]
// SQUALL_BASELINE_BIN=/path/to/other/bin/squall.js adds that build as "baseline", interleaved with
// the others in every round (A/B of a change on a noisy machine: compare CPU µs/request).
import { join } from 'node:path';
import { arg, ensureDebian, machineLine, median, pin, root, squallBin, startNginx, tempScript, timed, which } from './lib.mjs';

const rounds = arg('rounds', 3);
const seconds = arg('seconds', 10);
const withWrk = arg('wrk', 1) !== 0;
const baselineBin = process.env.SQUALL_BASELINE_BIN;
const port = 18181;
const missing = ensureDebian({ nginx: 'nginx-light', wrk: 'wrk' });
if (missing.includes('nginx')) {
  console.error('skipped: nginx is missing (apt-get install nginx-light)');
  process.exit(0);
}
const url = `http://127.0.0.1:${port}/`;
const script = tempScript('throughput.ts', `import { http } from 'squall';\nexport const options = { vus: 50, duration: '${seconds}s', summaryTrendStats: ['avg', 'p(99)'] };\nexport default async function () { await http.get('${url}'); }\n`);
const stop = await startNginx(port, 1);
const results = { squall: [], baseline: [], autocannon: [], wrk: [] };
const runSquall = async (bin) => {
  const sq = await timed([...pin(0), process.execPath, bin, 'run', script, '--workers', '1', '--quiet', '--no-results', '--summary-export', '/dev/stdout', '--no-summary'], {});
  const summary = JSON.parse(sq.stdout.slice(sq.stdout.indexOf('{')));
  const sqReqs = summary.metrics.http_reqs.values.count;
  return { rps: summary.metrics.http_reqs.values.rate, cpuUsPerReq: (sq.cpuS * 1e6) / sqReqs };
};
try {
  for (let r = 0; r < rounds; r++) {
    // Interleaved A/B: noise on a shared machine hits both sides alike.
    const ac = await timed([...pin(0), process.execPath, join(root, 'node_modules', 'autocannon', 'autocannon.js'), '-c', '50', '-d', String(seconds), '--json', url]);
    if (!ac.stdout.trim()) throw new Error(`autocannon printed no result (exit ${ac.code}): ${ac.stderr.slice(0, 500)}`);
    const acJson = JSON.parse(ac.stdout);
    const acReqs = acJson.requests.total;
    results.autocannon.push({ rps: acReqs / acJson.duration, cpuUsPerReq: (ac.cpuS * 1e6) / acReqs });
    // The two builds swap places every round, so neither always runs right after autocannon.
    if (baselineBin !== undefined && r % 2 === 0) results.baseline.push(await runSquall(baselineBin));
    results.squall.push(await runSquall(squallBin));
    if (baselineBin !== undefined && r % 2 === 1) results.baseline.push(await runSquall(baselineBin));
    if (withWrk && which('wrk')) {
      const wk = await timed([...pin(0), 'wrk', '-t1', '-c50', `-d${seconds}s`, url]);
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(wk.stdout)?.[1]);
      results.wrk.push({ rps, cpuUsPerReq: (wk.cpuS * 1e6) / (rps * seconds) });
    }
    const line = (name) => `${name} ${results[name].at(-1).rps.toFixed(0)}/s ${results[name].at(-1).cpuUsPerReq.toFixed(1)} µs`;
    console.error(`round ${r + 1}/${rounds}: ${[line('squall'), ...(baselineBin === undefined ? [] : [line('baseline')]), line('autocannon')].join(', ')}`);
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
console.log([row('squall'), ...(baselineBin === undefined ? [] : [row('baseline')]), row('autocannon'), row('wrk')].join('\n'));
const cpuRatio = median(results.autocannon.map((x) => x.cpuUsPerReq)) / median(results.squall.map((x) => x.cpuUsPerReq));
console.log(`autocannon / squall CPU µs per request: ${cpuRatio.toFixed(2)}`);
console.log(`squall / autocannon req/s: ${ratio.toFixed(2)} (goal >= 1.20: ${ratio >= 1.2 ? 'met' : 'NOT met'})`);
