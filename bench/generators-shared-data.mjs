// RSS cost of a large shared data file: a ~100 MB JSONL file read through SharedArray by 1,000
// VUs on 2 worker threads, against the same script with a one-line file (baseline) and against
// the naive way (every thread parses the file into objects at init, as without SharedArray).
// Goal (issue 4): at most ~2x the file size in RSS above the baseline.
//   npm run build && node bench/generators-shared-data.mjs [--mb 100] [--duration 10s]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openFileSink } from '../packages/squall/dist/generators/line-sink.js';
import { resolveGenerator } from '../packages/squall/dist/generators/registry.js';
import { writeRecords } from '../packages/squall/dist/generators/write-records.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const targetMb = Number(arg('mb', 100));
const duration = arg('duration', '10s');
const bin = resolve(import.meta.dirname, '..', 'packages', 'squall', 'bin', 'squall.js');
const dir = mkdtempSync(join(tmpdir(), 'squall-shared-bench-'));

const big = join(dir, 'audit.jsonl');
// Default audit events are ~990 bytes each.
await writeRecords({ config: resolveGenerator('audit', {}, 'cli', ''), seed: 'shared', count: Math.ceil((targetMb * 1e6) / 990), stream: 0, sink: openFileSink(big, undefined) });
const tiny = join(dir, 'tiny.jsonl');
writeFileSync(tiny, `${readFileSync(big, 'utf8').split('\n')[0]}\n`);
const fileBytes = statSync(big).size;

const body = `
export const options = { vus: 1000, duration: __ENV.DURATION };
export default async function () {
  const r = data.at((exec.vu.idInTest * 31 + exec.vu.iterationInInstance * 7) % data.length);
  if (typeof r.auditID !== 'string') throw new Error('bad record');
  await sleep(0.5);
}`;
writeFileSync(join(dir, 'shared.js'), `import { sleep, exec } from 'squall';\nimport { SharedArray } from 'squall/generators';\nconst data = SharedArray.fromFile(__ENV.DATA);\n${body}`);
writeFileSync(
  join(dir, 'naive.js'),
  `import { sleep, exec } from 'squall';\nimport { readFileSync } from 'node:fs';\nconst rows = readFileSync(__ENV.DATA, 'utf8').split('\\n').filter(Boolean).map((l) => JSON.parse(l));\nconst data = { at: (i) => rows[i], length: rows.length };\n${body}`,
);

function rssKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function measure(script, data) {
  const child = spawn(process.execPath, [bin, 'run', join(dir, script), '--workers', '2', '-e', `DATA=${data}`, '-e', `DURATION=${duration}`, '--no-results', '--no-summary', '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let peak = 0;
  const samples = [];
  const timer = setInterval(() => {
    const kb = rssKb(child.pid);
    peak = Math.max(peak, kb);
    if (kb > 0) samples.push(kb);
  }, 100);
  const code = await new Promise((done) => child.on('close', done));
  clearInterval(timer);
  if (code !== 0) throw new Error(`${script} exited ${code}: ${stderr}`);
  // Steady state: the median of the second half of the run.
  const late = samples.slice(Math.floor(samples.length / 2)).sort((a, b) => a - b);
  return { peakMb: peak / 1024, steadyMb: (late[Math.floor(late.length / 2)] ?? 0) / 1024 };
}

const load0 = loadavg()[0];
const baseline = await measure('shared.js', tiny);
const shared = await measure('shared.js', big);
const naive = await measure('naive.js', big);
rmSync(dir, { recursive: true, force: true });

const mb = fileBytes / 2 ** 20;
console.log(`file ${mb.toFixed(1)} MiB, 1000 VUs, 2 workers, ${duration} each; load average before ${load0.toFixed(2)}, after ${loadavg()[0].toFixed(2)}`);
console.log('| run | peak RSS MiB | steady RSS MiB | peak above baseline | x file size |');
console.log('|---|---:|---:|---:|---:|');
for (const [name, r] of [['baseline (1-line file)', baseline], ['SharedArray.fromFile', shared], ['naive: parse per thread', naive]]) {
  const above = r.peakMb - baseline.peakMb;
  console.log(`| ${name} | ${r.peakMb.toFixed(0)} | ${r.steadyMb.toFixed(0)} | ${name.startsWith('baseline') ? '-' : above.toFixed(0)} | ${name.startsWith('baseline') ? '-' : (above / mb).toFixed(2)} |`);
}
