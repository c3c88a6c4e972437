#!/usr/bin/env node
/**
 * k6 mode vs native: the same HTTP loop written as a k6 script (sync, transformed to async,
 * one module instance per VU) and as a native async squall script, run side by side in
 * interleaved rounds against one loopback server.
 *
 * - throughput: `--vus` VUs (default 20) in a no-sleep loop for `--seconds` (5), `--workers 1`;
 *   http_reqs per second from the summary. Goal: k6 mode >= 80% of native.
 * - memory per VU: peak RSS (GNU time) with `--many` sleeping VUs (1000) minus with 10, divided
 *   by the difference in VUs. Goal: k6 mode <= 2x native.
 *
 *   node bench/k6-mode.mjs [--rounds 3] [--seconds 5] [--vus 20] [--many 1000]
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fork } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { arg, machineLine, median, pin, squallBin, tempScript, timed } from './lib.mjs';

if (process.argv[2] === '--server') {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
} else {
  const rounds = arg('rounds', 3);
  const seconds = arg('seconds', 5);
  const vus = arg('vus', 20);
  const many = arg('many', 1000);
  const child = fork(new URL(import.meta.url).pathname, ['--server'], { stdio: 'inherit' });
  const port = await new Promise((r) => child.once('message', r));
  // Server on core 1, squall on core 0 (as bench/throughput.mjs), when the machine has them.
  const serverPin = pin(1);
  if (serverPin.length > 0) execFileSync('taskset', ['-pc', '1', String(child.pid)], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;

  const k6Script = (sleep) => tempScript('k6-loop.js', `import http from 'k6/http';
import { check, sleep } from 'k6';
export default function () {
  const res = http.get(__ENV.BASE + '/');
  check(res, { ok: (r) => r.status === 200 });
  ${sleep ? 'sleep(1);' : ''}
}
`);
  const nativeScript = (sleep) => tempScript('native-loop.ts', `import { http, check, sleep } from 'squall';
export default async function () {
  const res = await http.get(__ENV.BASE + '/');
  check(res, { ok: (r) => r.status === 200 });
  ${sleep ? 'await sleep(1);' : ''}
}
`);
  const scripts = { k6: [k6Script(false), k6Script(true)], native: [nativeScript(false), nativeScript(true)] };

  async function run(script, nVus, secs) {
    const out = join(dirname(script), `summary-${nVus}-${Date.now()}.json`);
    const r = await timed([...pin(0), 'node', squallBin, 'run', script, '--vus', String(nVus), '--duration', `${secs}s`, '--workers', '1', '--quiet', '-e', `BASE=${base}`, '--summary-export', out]);
    if (r.code !== 0) throw new Error(`squall exited ${r.code}: ${r.stderr.slice(-2000)}`);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    return { rate: s.metrics.http_reqs.values.rate, rssKb: r.maxRssKb, checksFailed: s.metrics.checks.values.fails };
  }

  console.log(`k6 mode vs native: ${machineLine()}`);
  const rates = { k6: [], native: [] };
  const perVu = { k6: [], native: [] };
  for (let i = 0; i < rounds; i++) {
    for (const mode of i % 2 === 0 ? ['k6', 'native'] : ['native', 'k6']) {
      const t = await run(scripts[mode][0], vus, seconds);
      const few = await run(scripts[mode][1], 10, 3);
      const lots = await run(scripts[mode][1], many, 3);
      rates[mode].push(t.rate);
      perVu[mode].push(((lots.rssKb - few.rssKb) * 1024) / (many - 10));
      console.log(`round ${i + 1} ${mode.padEnd(6)}: ${t.rate.toFixed(0)} req/s, RSS ${few.rssKb} KB at 10 VUs, ${lots.rssKb} KB at ${many} VUs`);
    }
  }
  child.kill();
  const k6Rate = median(rates.k6);
  const nativeRate = median(rates.native);
  const k6Vu = median(perVu.k6);
  const nativeVu = median(perVu.native);
  console.log(`\n| mode | req/s (median) | bytes per VU (median) |\n|---|---|---|`);
  console.log(`| native async | ${nativeRate.toFixed(0)} | ${nativeVu.toFixed(0)} |`);
  console.log(`| k6 script | ${k6Rate.toFixed(0)} | ${k6Vu.toFixed(0)} |`);
  console.log(`\nthroughput ratio k6/native: ${(k6Rate / nativeRate).toFixed(3)} (goal >= 0.8)`);
  console.log(`memory per VU ratio k6/native: ${(k6Vu / nativeVu).toFixed(2)} (goal <= 2)`);
}
