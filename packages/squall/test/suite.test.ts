import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { main } from '../src/cli/main.js';
import { squallBin, tmpDir } from './helpers/cli.js';

let server: Server;
let base = '';
let count = 0;
let hits: string[] = [];
/** /slow/TAG requests in flight, and every pair of tags seen in flight at the same moment. */
const inFlight = new Map<string, number>();
const overlaps = new Set<string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.url === '/count') return void res.end(JSON.stringify({ data: { count } }));
    if (req.url === '/add' && req.method === 'POST') {
      count += 1000;
      return void res.end('{}');
    }
    const slow = /^\/slow\/(\w+)/.exec(req.url ?? '');
    if (slow) {
      const tag = slow[1]!;
      for (const [other, n] of inFlight) if (n > 0 && other !== tag) overlaps.add([tag, other].sort().join('+'));
      inFlight.set(tag, (inFlight.get(tag) ?? 0) + 1);
      return void setTimeout(() => {
        inFlight.set(tag, inFlight.get(tag)! - 1);
        res.end('ok');
      }, 150);
    }
    if (req.url?.startsWith('/fail')) {
      res.statusCode = 500;
      return void res.end('no');
    }
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const SCRIPT = `import { http, check } from 'squall';
export const options = { iterations: Number(__ENV.ITER ?? 3), vus: 1, thresholds: { checks: ['rate==1'] } };
export default async function () {
  const res = await http.get(__ENV.BASE_URL + (__ENV.PATH ?? '/ok'));
  check(res, { '200': (r) => r.status === 200 });
  if (__ENV.SLOW) await new Promise((r) => setTimeout(r, 200));
}
`;

function suiteDir(yaml: string): string {
  const dir = tmpDir();
  writeFileSync(join(dir, 'test.ts'), SCRIPT);
  writeFileSync(join(dir, 'squall.suite.yaml'), yaml);
  return dir;
}

function squall(dir: string, args: string[], onStderr?: (all: string, child: ReturnType<typeof spawn>) => void): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [squallBin, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** `squall ARGS` in this process (main() is what bin/squall.js runs; its result is the exit code): for runs that stop before any load. */
async function squallHere(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const sink = () => {
    const w = new Writable({ write: (c: Buffer, _e, cb) => ((w.text += c.toString()), cb()) }) as Writable & { text: string };
    w.text = '';
    return w;
  };
  const [stdout, stderr] = [sink(), sink()];
  const code = await main(['node', 'squall', ...args], { stdout, stderr, env: process.env, cwd: dir });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const head = () => `name: demo
environments:
  local:
    baseUrl: ${base}
  prod:
    baseUrl: ${base}
    production: true
`;

describe('squall suite: broken files', () => {
  it('bad YAML names file:line and exits 104, nothing is sent', async () => {
    hits = [];
    const dir = suiteDir(`name: demo\nnotify:\n  webhook: ${base}/hook\ntests:\n  - name: a\n    script: [test.ts\n`);
    const r = await squallHere(dir, ['suite', '--env', 'local']);
    expect(r.code).toBe(104);
    expect(r.stderr).toMatch(/squall\.suite\.yaml:\d+: invalid YAML/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(hits).toEqual([]);
  });
  it('an unknown key is reported with its line and key', async () => {
    const dir = suiteDir(`${head()}tests:\n  - name: a\n    script: test.ts\n    vuz: 3\n`);
    const r = await squallHere(dir, ['suite']);
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('squall.suite.yaml:11: tests[0].vuz: unknown key "vuz"');
  });
  it('a missing script is reported with its line', async () => {
    const dir = suiteDir(`${head()}tests:\n  - name: a\n    script: nope.ts\n`);
    const r = await squall(dir, ['suite']); // through bin/squall.js: the process's exit code
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('squall.suite.yaml:10: tests[0].script: script not found: nope.ts');
  });
});

const SOAK_SCRIPT = `import { http, Gauge } from 'squall';
const heap = new Gauge('app_heap_bytes');
const t0 = Date.now();
export const options = { vus: 1, duration: '4s' };
export default async function () {
  await http.get(__ENV.BASE_URL + '/ok');
  heap.add(1e6 + (Date.now() - t0) * 1000); // grows ~100% over the run
  await new Promise((r) => setTimeout(r, 100));
}
`;

describe('squall suite: parallel tests, soak gates, environments file', () => {
  it('tests marked parallel run at the same time, the next one after them; a soak gate FAILs, an ungated soak WARNs', async () => {
    overlaps.clear();
    const dir = suiteDir(
      `name: demo\nenvironments: ./envs.yaml\ntests:\n` +
        `  - { name: a, script: test.ts, parallel: true, env: { PATH: /slow/a, ITER: "4" } }\n` +
        `  - { name: b, script: test.ts, parallel: true, env: { PATH: /slow/b, ITER: "4" } }\n` +
        `  - { name: c, script: test.ts, env: { PATH: /slow/c, ITER: "2" } }\n` +
        `  - { name: gated, script: soak.ts, parallel: soak, soak: { gate: true, window: 1s } }\n` +
        `  - { name: watched, script: soak.ts, parallel: soak, soak: { window: 1s } }\n`,
    );
    writeFileSync(join(dir, 'soak.ts'), SOAK_SCRIPT);
    writeFileSync(join(dir, 'envs.yaml'), `# environments of the demo suite\nlocal:\n  baseUrl: ${base}\n  vars: { FROM_FILE: "yes" }\n`);
    const r = await squall(dir, ['suite', '--env', 'local', '--archive', 'arch']);
    expect(r.stderr).toContain('running a, b in parallel');
    expect(overlaps.has('a+b')).toBe(true);
    expect([...overlaps].some((o) => o.includes('c'))).toBe(false);
    expect(r.code, r.stderr).toBe(99);
    const [runId] = readdirSync(join(dir, 'arch', 'demo'));
    const md = readFileSync(join(dir, 'arch', 'demo', runId!, 'report.md'), 'utf8');
    expect(md).toMatch(/### gated[\s\S]*\| app_heap_bytes growth over the run \(linear fit\) \| < 10% \| [\d.]+ \| FAIL \|/);
    expect(md).toMatch(/### watched[\s\S]*\| app_heap_bytes growth over the run \(linear fit\) \| < 10% \| [\d.]+ \| WARN \|/);
    expect(md).toContain('Overall status: FAIL');
    expect(md).toContain('- Base URL: ' + base);
  }, 40_000);

  it('an environments file is validated with file:line errors', async () => {
    const dir = suiteDir(`name: demo\nenvironments: envs.yaml\ntests:\n  - { name: a, script: test.ts }\n`);
    writeFileSync(join(dir, 'envs.yaml'), `local:\n  baseUrl: ${base}\nstaging:\n  baseUrll: http://x\n`);
    const r = await squallHere(dir, ['suite', '--env', 'local']);
    expect(r.code).toBe(104);
    expect(r.stderr).toMatch(/envs\.yaml:4: staging\.baseUrll: unknown key "baseUrll"/);
    writeFileSync(join(dir, 'squall.suite.yaml'), `name: demo\nenvironments: nope.yaml\ntests:\n  - { name: a, script: test.ts }\n`);
    const r2 = await squallHere(dir, ['suite', '--env', 'local']);
    expect(r2.code).toBe(104);
    expect(r2.stderr).toContain('squall.suite.yaml:2: environments: no such file: nope.yaml');
  });
});

describe('squall suite: running', () => {
  it('the smoke gate stops the suite when its thresholds fail', async () => {
    hits = [];
    const dir = suiteDir(`${head()}smoke:\n  script: test.ts\n  env: { PATH: /fail }\ntests:\n  - name: heavy\n    script: test.ts\n    env: { PATH: /heavy }\n`);
    const r = await squall(dir, ['suite', '--env', 'local', '--archive', 'arch']);
    expect(r.code).toBe(99);
    expect(hits.some((h) => h.includes('/heavy'))).toBe(false);
    const [runId] = readdirSync(join(dir, 'arch', 'demo'));
    const md = readFileSync(join(dir, 'arch', 'demo', runId!, 'report.md'), 'utf8');
    expect(md).toContain('Overall status: FAIL');
    expect(md).toContain('heavy did not run: the smoke test failed');
  });

  it('production refuses non-smoke tests without --allow-production and says why', async () => {
    hits = [];
    const dir = suiteDir(`${head()}tests:\n  - name: heavy\n    script: test.ts\n`);
    const r = await squallHere(dir, ['suite', '--env', 'prod']);
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('environment "prod" is marked production');
    expect(r.stderr).toContain('--allow-production');
    expect(hits).toEqual([]);
  });

  it('back-fills when the count is low, skips when the data is there; SLO table, trends, history', async () => {
    count = 0;
    const backfill = `node -e "fetch('${base}/add',{method:'POST'})"`;
    const dir = suiteDir(
      `${head()}data:\n  count: { url: "\${BASE_URL}/count", field: data.count }\n  min: 500\n  backfill: ${JSON.stringify(backfill)}\n` +
        `tests:\n  - name: ingest\n    script: test.ts\n    slo:\n      - { metric: http_req_failed, stat: rate, target: 0.01 }\n      - { metric: iterations, stat: count, target: 1, warn: 2, below: false }\n`,
    );
    const r1 = await squall(dir, ['suite', '--env', 'local', '--archive', 'arch']);
    expect(r1.stderr).toContain('0 events < 500, back-filling');
    expect(r1.code).toBe(0);
    const r2 = await squall(dir, ['suite', '--env', 'local', '--archive', 'arch', '--html', '--summary']);
    expect(r2.code).toBe(0);
    expect(r2.stderr).toContain('1000 events >= 500, back-fill skipped');
    const runs = readdirSync(join(dir, 'arch', 'demo')).sort();
    expect(runs).toHaveLength(2);
    const md = readFileSync(join(dir, 'arch', 'demo', runs[1]!, 'report.md'), 'utf8');
    for (const h of ['## Test configuration', '## Results', '## Issues found', '## Resource utilization', '## Recommendations', '## Trends', '## Runs']) expect(md).toContain(h);
    const summary = JSON.parse(readFileSync(join(dir, 'arch', 'demo', runs[1]!, 'ingest', 'summary.json'), 'utf8'));
    expect(md).toContain(`| iterations count | > 1 | ${summary.metrics.iterations.values.count} | PASS |`);
    expect(md).toContain('back-fill skipped');
    expect(md).toMatch(/\| ingest \| iterations count \| 3 \| 3 \| 0\.0% \|/);
    const reports = readdirSync(join(dir, 'reports'));
    expect(reports.some((f) => /^all_local_\d{8}_\d{6}\.html$/.test(f))).toBe(true);
    expect(reports.some((f) => f.endsWith('_summary.json'))).toBe(true);
    expect(reports.some((f) => f.endsWith('_output.txt'))).toBe(true);
    const h = await squallHere(dir, ['suite', '--history', '--archive', 'arch']);
    expect(h.stdout.trim().split('\n')).toHaveLength(2);
    const hs = await squallHere(dir, ['history', '--suite', 'demo', '--suite-dir', 'arch']);
    expect(hs.stdout.trim().split('\n')).toHaveLength(2);
    expect(hs.stdout).toContain('PASS');
  });

  it('Ctrl-C during the second test stops it, writes the report for what ran, exits 105', async () => {
    const dir = suiteDir(`${head()}tests:\n  - name: first\n    script: test.ts\n  - name: second\n    script: test.ts\n    env: { ITER: "1000", SLOW: "1" }\n  - name: third\n    script: test.ts\n`);
    let sent = false;
    const r = await squall(dir, ['suite', '--env', 'local', '--archive', 'arch'], (all, child) => {
      if (!sent && all.includes('running test second')) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 1500);
      }
    });
    expect(r.code).toBe(105);
    const [runId] = readdirSync(join(dir, 'arch', 'demo'));
    const md = readFileSync(join(dir, 'arch', 'demo', runId!, 'report.md'), 'utf8');
    expect(md).toContain('### first');
    expect(md).toContain('### second');
    expect(md).toContain('third did not run: interrupted');
    expect(existsSync(join(dir, 'arch', 'demo', runId!, 'second', 'summary.json'))).toBe(true);
  });
});
