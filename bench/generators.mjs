// Audit generation speed to a file, next to the ceiling: a plain JSON.stringify loop over one
// fixed audit event written the same way. One thread (per core).
//   npm run build && node bench/generators.mjs [--count 1000000] [--dir /tmp]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileSink } from '../packages/squall/dist/generators/line-sink.js';
import { openStream, resolveGenerator } from '../packages/squall/dist/generators/registry.js';
import { writeRecords } from '../packages/squall/dist/generators/write-records.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const count = Number(arg('count', 1_000_000));
const dir = mkdtempSync(join(arg('dir', tmpdir()), 'squall-bench-'));
const load0 = loadavg()[0];

async function timed(name, fn) {
  const t = performance.now();
  const path = await fn();
  const s = (performance.now() - t) / 1000;
  const bytes = statSync(path).size;
  rmSync(path);
  return { name, eventsPerSec: Math.round(count / s), mbPerSec: +(bytes / s / 1e6).toFixed(1), fileBytes: bytes, seconds: +s.toFixed(2) };
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

const results = [];
results.push(await timed('JSON.stringify(fixed event) loop (ceiling)', ceiling));
results.push(await timed('squall generate audit (defaults)', generate('audit.jsonl', {})));
results.push(await timed('squall generate audit --tenants 1000 --skew zipf', generate('zipf.jsonl', { tenants: '1000', skew: 'zipf' })));
results.push(await timed('squall generate audit --level RequestResponse', generate('rr.jsonl', { level: 'RequestResponse' })));
results.push(await timed('squall generate audit, .gz level 1', generate('audit.jsonl.gz', {}, 1)));
rmSync(dir, { recursive: true, force: true });

const ceil = results[0].eventsPerSec;
console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, load average before ${load0.toFixed(2)}, after ${loadavg()[0].toFixed(2)}, ${count} events each`);
console.log('| run | events/s | MB/s | vs ceiling |');
console.log('|---|---:|---:|---:|');
for (const r of results) console.log(`| ${r.name} | ${r.eventsPerSec.toLocaleString('en-US')} | ${r.mbPerSec} | ${(r.eventsPerSec / ceil).toFixed(2)} |`);
