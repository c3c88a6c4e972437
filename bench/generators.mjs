// Audit generation speed to a file, next to the ceiling: a plain JSON.stringify loop over one
// fixed audit event written the same way. One thread (per core).
//   npm run build && node bench/generators.mjs [--count 1000000] [--dir /tmp] [--only defaults]
// --dist DIR runs another build (a copy of packages/squall/dist from before a change, beside a
// node_modules link) for A/B runs: alternate the two in one shell loop and compare ratios.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const dist = pathToFileURL(resolve(arg('dist', new URL('../packages/squall/dist', import.meta.url).pathname))).href;
const { openFileSink } = await import(`${dist}/generators/line-sink.js`);
const { openStream, resolveGenerator } = await import(`${dist}/generators/registry.js`);
const { writeRecords } = await import(`${dist}/generators/write-records.js`);
/** Comma-separated run ids to keep (ceiling, defaults, zipf, rr, gz); all by default. */
const only = arg('only', undefined)?.split(',');
const count = Number(arg('count', 1_000_000));
const dir = mkdtempSync(join(arg('dir', tmpdir()), 'squall-bench-'));
const load0 = loadavg()[0];

// Events per CPU second (user + system time of this process, GC threads included) beside the
// wall-clock rate: on a shared machine the wall clock also counts time other processes held the core.
async function timed(name, fn) {
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const path = await fn();
  const s = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const bytes = statSync(path).size;
  rmSync(path);
  return { name, eventsPerSec: Math.round(count / s), eventsPerCpuSec: Math.round(count / cpuSeconds), mbPerSec: +(bytes / s / 1e6).toFixed(1), fileBytes: bytes, seconds: +s.toFixed(2) };
}

const config = resolveGenerator('audit', {}, 'cli', '');
const fixed = openStream(config, { seed: 'bench', stream: 0, salt: 0, count: 1 }).next();

// Ceiling: the cheapest way to put `count` audit-sized JSON lines in a file.
async function ceiling() {
  const path = join(dir, 'ceiling.jsonl');
  const sink = openFileSink(path, undefined);
  // Same encoding path as the generator: lines written into one reused 1 MiB buffer.
  const buf = Buffer.allocUnsafe(1 << 20);
  let used = 0;
  for (let i = 0; i < count; i++) {
    const text = JSON.stringify(fixed);
    if (used + text.length * 3 + 1 > buf.length) {
      sink.write(buf.subarray(0, used));
      used = 0;
    }
    used += buf.write(text, used);
    buf[used++] = 10;
  }
  sink.write(buf.subarray(0, used));
  await sink.finish();
  return path;
}

const generate = (name, raw, gzipLevel) => async () => {
  const path = join(dir, name);
  await writeRecords({ config: resolveGenerator('audit', raw, 'cli', ''), seed: 'bench', count, stream: 0, sink: openFileSink(path, gzipLevel) });
  return path;
};

const runs = [
  ['ceiling', 'JSON.stringify(fixed event) loop (ceiling)', ceiling],
  ['defaults', 'squall generate audit (defaults)', generate('audit.jsonl', {})],
  ['zipf', 'squall generate audit --tenants 1000 --skew zipf', generate('zipf.jsonl', { tenants: '1000', skew: 'zipf' })],
  ['rr', 'squall generate audit --level RequestResponse', generate('rr.jsonl', { level: 'RequestResponse' })],
  ['gz', 'squall generate audit, .gz level 1', generate('audit.jsonl.gz', {}, 1)],
];
const results = [];
for (const [id, name, fn] of runs) if (only === undefined || only.includes(id)) results.push(await timed(name, fn));
rmSync(dir, { recursive: true, force: true });

const ceil = results.find((r) => r.name.endsWith('(ceiling)'))?.eventsPerSec ?? Number.NaN;
console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, load average before ${load0.toFixed(2)}, after ${loadavg()[0].toFixed(2)}, ${count} events each`);
console.log('| run | events/s | events/CPU-s | MB/s | vs ceiling |');
console.log('|---|---:|---:|---:|---:|');
for (const r of results) console.log(`| ${r.name} | ${r.eventsPerSec.toLocaleString('en-US')} | ${r.eventsPerCpuSec.toLocaleString('en-US')} | ${r.mbPerSec} | ${(r.eventsPerSec / ceil).toFixed(2)} |`);
