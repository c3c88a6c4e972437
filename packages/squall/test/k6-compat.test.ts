/**
 * k6 scripts as their users have them (test/k6-compat/, written from k6's documented examples),
 * run unmodified by the built CLI against a loopback target that counts what it receives.
 */
import { fork, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, tmpDir } from './helpers/cli.js';
import { startK6Target, type K6Target } from './helpers/k6-target.js';
import { makeCerts, startH2Server, startMtlsServer, type TlsTarget } from './k6-compat-tls.js';

const corpus = resolve(__dirname, 'k6-compat');
const runner = resolve(__dirname, 'k6-compat-runner.mjs');
const servers: { close(): Promise<void> }[] = [];
let h2: TlsTarget;
let mtls: TlsTarget;
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface Outcome {
  code: number | null;
  summary: any;
  stdout: string;
  stderr: string;
  target: K6Target;
  cwd: string;
}

/** Seconds a script's own schedule takes (the rest take well under one). */
const SCHEDULED_S: Record<string, number> = {
  '01-hello.js': 2, '04-constant-arrival-rate.js': 2, '05-ramping-vus.js': 2, '06-ramping-arrival-rate.js': 2,
  '07-externally-and-exec.js': 1, '37-seed-ingestion.js': 2, '38-http2.js': 0.5,
};
/** Processes running scripts side by side, each script after script through the CLI's main(). */
const RUNNERS = 3;
const outcomes = new Map<string, Promise<Outcome>>();

/**
 * Starts every script of `files` at once: each gets its own target and working directory, and the
 * scripts are spread over RUNNERS processes by their scheduled time (longest first).
 */
async function startAll(files: readonly string[], extraArgs: (file: string) => string[] = () => []): Promise<void> {
  const groups: { cost: number; jobs: { id: string; args: string[]; cwd: string }[] }[] = Array.from({ length: RUNNERS }, () => ({ cost: 0, jobs: [] }));
  const waiting = new Map<string, { resolve: (o: Outcome) => void; reject: (e: Error) => void; target: K6Target; cwd: string }>();
  const cost = (f: string) => (SCHEDULED_S[f] ?? 0) + 0.6;
  for (const file of [...files].sort((a, b) => cost(b) - cost(a))) {
    const target = await startK6Target();
    servers.push(target);
    const cwd = tmpDir();
    const group = groups.reduce((a, b) => (b.cost < a.cost ? b : a));
    group.cost += cost(file);
    group.jobs.push({ id: file, cwd, args: ['run', join(corpus, file), '-e', `BASE=${target.url}`, '--quiet', '--no-history', '--workers', '1', '--summary-export', 'summary.json', ...extraArgs(file)] });
    outcomes.set(file, new Promise((resolve, reject) => waiting.set(file, { resolve, reject, target, cwd })));
  }
  for (const group of groups) {
    if (group.jobs.length === 0) continue;
    const child = fork(runner, [JSON.stringify(group.jobs)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('message', (m: { id: string; code: number; stdout: string; stderr: string }) => {
      const w = waiting.get(m.id);
      if (w === undefined) return;
      waiting.delete(m.id);
      let summary: any;
      try {
        summary = readJson(join(w.cwd, 'summary.json'));
      } catch {
        summary = undefined;
      }
      w.resolve({ code: m.code, stdout: m.stdout, stderr: m.stderr, summary, target: w.target, cwd: w.cwd });
    });
    child.on('exit', (code) => {
      for (const job of group.jobs) {
        const w = waiting.get(job.id);
        if (w === undefined) continue;
        waiting.delete(job.id);
        w.reject(new Error(`the runner ended (exit ${code}) before ${job.id} finished:\n${output}`));
      }
    });
  }
}

function runScript(file: string): Promise<Outcome> {
  const o = outcomes.get(file);
  if (o === undefined) throw new Error(`${file} was not started`);
  return o;
}

const count = (o: Outcome, path: string) => o.target.counts.get(path) ?? 0;
const iterations = (o: Outcome) => o.summary.metrics.iterations?.values.count ?? 0;
const httpReqs = (o: Outcome) => o.summary.metrics.http_reqs?.values.count ?? 0;

type Case = [file: string, code: number, verify: (o: Outcome) => void];

const cases: Case[] = [
  ['01-hello.js', 0, (o) => {
    // 2 VUs, sleep(1), 2 s: about 2 iterations each, not thousands.
    expect(iterations(o)).toBeGreaterThanOrEqual(3);
    expect(iterations(o)).toBeLessThanOrEqual(6);
    expect(count(o, '/')).toBe(iterations(o));
  }],
  ['02-per-vu-iterations.js', 0, (o) => expect([iterations(o), count(o, '/json')]).toEqual([12, 12])],
  ['03-shared-iterations.js', 0, (o) => expect([iterations(o), count(o, '/')]).toEqual([10, 10])],
  ['04-constant-arrival-rate.js', 0, (o) => {
    expect(iterations(o)).toBeGreaterThanOrEqual(17);
    expect(iterations(o)).toBeLessThanOrEqual(21);
  }],
  ['05-ramping-vus.js', 0, (o) => {
    expect(iterations(o)).toBeGreaterThanOrEqual(2);
    expect(iterations(o)).toBeLessThanOrEqual(8);
  }],
  ['06-ramping-arrival-rate.js', 0, (o) => {
    expect(iterations(o)).toBeGreaterThanOrEqual(11);
    expect(iterations(o)).toBeLessThanOrEqual(17);
  }],
  ['07-externally-and-exec.js', 0, (o) => {
    expect(count(o, '/json')).toBe(4);
    expect(count(o, '/html')).toBeGreaterThanOrEqual(2);
  }],
  ['08-thresholds-custom.js', 0, (o) => {
    expect(o.summary.metrics.my_calls.values.count).toBe(6);
    expect(o.summary.metrics['my_calls{kind:a}'].thresholds['count==3'].ok).toBe(true);
    expect(o.summary.metrics.waiting_time.contains).toBe('time');
  }],
  ['09-thresholds-fail.js', 99, (o) => expect(count(o, '/status/500')).toBe(3)],
  ['10-setup-teardown.js', 0, (o) => {
    expect(count(o, '/json')).toBe(1);
    expect(count(o, '/echo')).toBe(4);
    expect(count(o, '/teardown')).toBe(1);
    expect(JSON.parse(o.target.bodies.get('/teardown')!.body)).toEqual({ token: 'squall', count: 3 });
  }],
  ['11-shared-array-open.js', 0, (o) => {
    for (const u of ['ann', 'bob', 'cid']) expect(count(o, `/users/${u}`)).toBe(2);
  }],
  ['12-open-binary-multipart.js', 0, (o) => expect(count(o, '/form')).toBe(2)],
  ['13-batch.js', 0, (o) => {
    for (const p of ['/a', '/b', '/form', '/c', '/json']) expect(count(o, p)).toBe(2);
  }],
  ['14-cookies.js', 0, (o) => expect(count(o, '/cookies')).toBe(8)],
  ['15-redirects.js', 0, (o) => {
    expect(count(o, '/redirect/3')).toBe(2);
    expect(count(o, '/redirect/1')).toBe(2);
    expect(httpReqs(o)).toBe(4 + 1 + 2 + 2);
  }],
  ['16-basic-auth.js', 0, (o) => expect(count(o, '/basic/alice/s3cret')).toBe(3)],
  ['17-digest-auth.js', 0, (o) => expect(count(o, '/digest/carol/pa55')).toBe(4)],
  ['18-handle-summary.js', 0, (o) => {
    expect(o.stdout).toContain('  ');
    expect(o.stdout).toContain('http_reqs');
    const junit = readFileSync(join(o.cwd, 'junit.xml'), 'utf8');
    expect(junit).toContain('<testcase name="http_req_duration - p(95)&lt;5000"');
    expect(existsSync(join(o.cwd, 'summary-copy.json'))).toBe(true);
  }],
  ['19-groups.js', 0, (o) => {
    expect(iterations(o)).toBe(4);
    expect(count(o, '/after')).toBe(2);
    const shop = o.summary.root_group.groups.find((g: any) => g.name === 'shop');
    expect(shop.checks.map((c: any) => c.name)).toEqual(['home ok']);
    // shop, home and data each iteration, plus the throwing group every second one.
    expect(o.summary.metrics.group_duration.values.count ?? count(o, '/html') * 3 + 2).toBeGreaterThan(0);
  }],
  ['20-check-tags.js', 0, (o) => expect(o.summary.metrics['checks{area:api}'].values.passes).toBe(4)],
  ['21-response.js', 0, () => undefined],
  ['22-form-post.js', 0, (o) => expect(count(o, '/form')).toBe(1)],
  ['23-html.js', 0, (o) => expect(count(o, '/form')).toBe(1)],
  ['24-encoding.js', 0, (o) => expect(o.summary.metrics.checks.values.passes).toBe(6)],
  ['25-crypto.js', 0, (o) => expect(o.summary.metrics.checks.values.passes).toBe(6)],
  ['26-execution.js', 0, (o) => expect([...o.target.vus].sort()).toEqual(['1', '2', '3'])],
  ['27-module-state.js', 0, (o) => {
    // Each VU's own counter goes 1, 2, 3: with one module per worker it would climb to 9.
    expect([count(o, '/count/1'), count(o, '/count/2'), count(o, '/count/3'), count(o, '/count/4')]).toEqual([3, 3, 3, 0]);
    expect(o.target.vus.size).toBe(9);
  }],
  ['28-abort.js', 108, (o) => {
    // The test stops on the first abort; at most the iterations already under way finish their request.
    expect(count(o, '/status/503')).toBeGreaterThanOrEqual(1);
    expect(count(o, '/status/503')).toBeLessThanOrEqual(5);
    expect(count(o, '/never')).toBe(0);
  }],
  ['29-fail.js', 0, (o) => {
    expect(iterations(o)).toBe(3);
    expect(count(o, '/never')).toBe(0);
    expect(o.summary.metrics.http_req_failed.values.rate).toBe(0);
  }],
  ['30-expected-statuses.js', 0, (o) => expect(httpReqs(o)).toBe(8)],
  ['31-timers.js', 0, (o) => {
    expect(iterations(o)).toBe(2);
    expect([count(o, '/now'), count(o, '/later'), count(o, '/cancelled')]).toEqual([2, 2, 0]);
  }],
  ['32-jslib.js', 0, (o) => expect(count(o, '/echo')).toBe(2)],
  ['33-typescript.ts', 0, (o) => expect(count(o, '/json')).toBe(3)],
  ['34-helpers.js', 0, (o) => {
    for (const id of [1, 2, 3, 4, 5, 6, 7]) expect(count(o, `/items/${id}`)).toBe(1);
    expect(count(o, '/form')).toBe(1);
  }],
  ['35-methods.js', 0, (o) => {
    expect(count(o, '/echo')).toBe(6);
    expect(o.summary.metrics[`http_reqs`].values.count).toBe(8);
  }],
  ['36-random-seed.js', 0, (o) => {
    // Both VUs seed 42: the same first random number.
    const seeded = [...o.target.counts].filter(([p]) => p.startsWith('/seeded/'));
    expect(seeded).toHaveLength(1);
    expect(seeded[0]![1]).toBe(2);
  }],
  ['37-seed-ingestion.js', 0, (o) => {
    // 50/s for 2 s (seed 000's own script, only rate and duration scaled down).
    expect(count(o, '/ingest')).toBeGreaterThanOrEqual(90);
    expect(count(o, '/ingest')).toBeLessThanOrEqual(101);
    expect(o.summary.metrics.events_ingested.values.count).toBe(count(o, '/ingest'));
    expect(JSON.parse(o.target.bodies.get('/ingest')!.body).apiVersion).toBe('audit.k8s.io/v1');
  }],
  ['38-http2.js', 0, (o) => {
    expect([h2.counts.get('/h2'), h2.counts.get('/h2-post'), h2.counts.get('/h2-batch')]).toEqual([4, 4, 8]);
    expect(count(o, '/')).toBe(4);
    expect(o.summary.metrics['http_reqs{proto:HTTP/2.0}'].values.count).toBe(16);
    expect(httpReqs(o)).toBe(20);
    expect(o.summary.metrics['http_req_duration{proto:HTTP/2.0}'].values.max).toBeGreaterThan(0);
  }],
  ['39-tls-auth.js', 0, (o) => {
    expect(mtls.counts.get('/whoami')).toBe(3);
    expect(mtls.counts.get('/refused')).toBeUndefined();
    expect(httpReqs(o)).toBe(6);
  }],
  ['40-tls-verify.js', 0, (o) => {
    expect(h2.counts.get('/unverified')).toBeUndefined();
    expect(o.summary.metrics.http_req_failed.values.rate).toBe(1);
  }],
  ['41-timer-error.js', 0, (o) => {
    expect(o.summary.metrics.iteration_errors.values.count).toBe(2);
    expect([count(o, '/tick'), count(o, '/interval'), count(o, '/never')]).toEqual([4, 4, 0]);
    expect(o.stderr).toContain('timer boom in iteration 0');
    expect(o.stderr).toMatch(/41-timer-error\.js:12/);
  }],
  ['42-no-cookies-reset.js', 0, (o) => expect([count(o, '/set-cookie'), count(o, '/cookies')]).toEqual([1, 3])],
  ['43-submit-form.js', 0, (o) => {
    expect([count(o, '/html'), count(o, '/form'), count(o, '/json')]).toEqual([2, 2, 2]);
    expect(o.summary.metrics.checks.values.passes).toBe(6);
  }],
];

describe('k6 scripts run unmodified', () => {
  beforeAll(async () => {
    const certs = makeCerts();
    h2 = await startH2Server(certs);
    mtls = await startMtlsServer(certs);
    servers.push(h2, mtls);
    const tls = ['-e', `H2=${h2.url}`, '-e', `MTLS=https://localhost:${mtls.port}`, '-e', `MTLS_IP=${mtls.url}`, '-e', `CERTS=${certs.dir}`];
    await startAll(cases.map(([file]) => file), () => tls);
  });
  it.concurrent.each(cases)('%s', async (file, code, verify) => {
    const o = await runScript(file);
    if (o.code !== code) throw new Error(`exit ${o.code}, expected ${code}\nstdout:\n${o.stdout}\nstderr:\n${o.stderr}`);
    const checks = o.summary?.metrics.checks?.values;
    if (checks !== undefined && checks.fails > 0) {
      throw new Error(`${checks.fails} checks failed:\n${JSON.stringify(o.summary.root_group, null, 1)}\n${o.stderr}`);
    }
    verify(o);
  });
});

describe('k6 scripts in TypeScript', () => {
  const tsc = resolve(__dirname, '..', '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
  const typeRoots = resolve(__dirname, '..', '..', '..', 'node_modules', '@types');
  const typecheck = (file: string) =>
    spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'ES2020', '--module', 'ESNext', '--moduleResolution', 'Bundler', '--lib', 'ES2020', '--types', 'k6', '--typeRoots', typeRoots, file], { encoding: 'utf8' });

  it('type-check against @types/k6 (the corpus script runs above)', () => {
    const r = typecheck(join(corpus, '33-typescript.ts'));
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('a k6 type error is caught by the same check', () => {
    const file = join(tmpDir(), 'wrong.ts');
    writeFileSync(file, "import http from 'k6/http';\nexport default function (): void {\n  const n: number = http.get('http://x/').status_text;\n}\n");
    const r = typecheck(file);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain("Type 'string' is not assignable to type 'number'");
  });
});
