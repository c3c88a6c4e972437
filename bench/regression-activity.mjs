// Issue 7: false-alarm rate on A/A pairs and detection rate of a 30% slowdown, against the
// activity target with an injected fault latency (40 ms, and 52 ms for the slowed run).
// Each run gets its own target process and embedded store. Usage: node bench/regression-activity.mjs [--pairs 4]
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineLine, root, squallBin, timed } from './lib.mjs';

const pairsArg = process.argv.indexOf('--pairs');
const pairs = pairsArg > 0 ? Number(process.argv[pairsArg + 1]) : 4;
const work = mkdtempSync(join(tmpdir(), 'squall-regression-'));

async function startTarget(latencyMs) {
  const store = mkdtempSync(join(work, 'store-'));
  const child = spawn(process.execPath, [squallBin, 'target', 'activity', '--port', '0', '--store', `chdb:${store}`, '--fault', `latency=${latencyMs}ms`], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /https?:\/\/[^\s]+/.exec(out);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`activity target exited (${code}) before listening`)));
  });
  return { url, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
}

async function run(name, latencyMs) {
  const target = await startTarget(latencyMs);
  try {
    const dir = join(work, name);
    const r = await timed([process.execPath, squallBin, 'run', join(root, 'bench', 'regression-activity-load.ts'), '-e', `TARGET=${target.url}`, '--workers', '1', '--results-dir', dir, '--no-history', '-q', '--no-summary']);
    if (r.code !== 0) throw new Error(`run ${name} exited ${r.code}: ${r.stderr.slice(-500)}`);
    return dir;
  } finally {
    await target.stop();
  }
}

async function compare(a, b) {
  const r = await timed([process.execPath, squallBin, 'compare', a, b, '--json', join(work, `cmp-${Date.now()}.json`)]);
  const line = (key) => r.stdout.split('\n').find((l) => l.startsWith(key))?.replace(/\s+/g, ' ') ?? '';
  return { code: r.code, throughput: line('throughput'), p95: line('latency_p95') };
}

const rows = [];
for (let i = 0; i < pairs; i++) {
  const a1 = await run(`aa${i}-1`, 40);
  const a2 = await run(`aa${i}-2`, 40);
  rows.push({ kind: 'A/A', ...(await compare(a1, a2)) });
  const b1 = await run(`ab${i}-1`, 40);
  const b2 = await run(`ab${i}-2`, 52);
  rows.push({ kind: 'slowdown', ...(await compare(b1, b2)) });
  console.error(`pair ${i + 1}/${pairs}: A/A exit ${rows.at(-2).code}, slowdown exit ${rows.at(-1).code}`);
}
const flagged = (kind) => rows.filter((r) => r.kind === kind && r.code === 2).length;
console.log(`machine: ${machineLine()}; ${pairs} A/A and ${pairs} slowdown pairs, activity --fault latency=40ms vs 52ms, 4 VUs x 6 s, default rules`);
console.log(`A/A flagged (false alarms): ${flagged('A/A')} / ${pairs}; slowdown flagged (detected): ${flagged('slowdown')} / ${pairs}`);
for (const r of rows) console.log(`${r.kind.padEnd(8)} exit ${r.code} | ${r.throughput} | ${r.p95}`);
