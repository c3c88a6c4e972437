import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, runCli, scriptsDir, tmpDir } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

// Two pairs of short real runs against a loopback server whose latency the test sets:
// A/A (same delay twice) and a slowdown (the second run's delay 30% longer).
const BASE_DELAY_MS = 40;
const SLOW_DELAY_MS = 52;

describe('history, baselines and squall compare', () => {
  let server: TestServer;
  let work: string;
  const dirs: Record<'a1' | 'a2' | 'b1' | 'b2', string> = { a1: '', a2: '', b1: '', b2: '' };

  beforeAll(async () => {
    // The delay comes from the path (/d40/work), so both runs of a pair go at once: whatever else
    // loads the machine (other test files, a browser) then weighs on both alike.
    server = await startServer(async (req, res) => {
      const delayMs = Number(/^\/d(\d+)\//.exec(req.url ?? '')?.[1] ?? 0);
      await new Promise((r) => setTimeout(r, delayMs));
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    work = tmpDir();
    const pairs = [[['a1', BASE_DELAY_MS], ['a2', BASE_DELAY_MS]], [['b1', BASE_DELAY_MS], ['b2', SLOW_DELAY_MS]]] as const;
    for (const pair of pairs) {
      const runs = pair.map(([name, delay]) => {
        dirs[name] = join(work, name);
        return runCli(['run', join(scriptsDir, 'steady-load.ts'), '-e', `BASE_URL=${server.url}/d${delay}`, '--workers', '1', '--results-dir', dirs[name], '-q', '--no-summary'], { cwd: work });
      });
      for (const r of await Promise.all(runs)) expect(r.code, r.stderr).toBe(0);
    }
  }, 90_000);
  afterAll(async () => {
    await server.close();
  });

  it('does not flag an A/A pair (exit 0)', async () => {
    const r = await runCli(['compare', dirs.a1, dirs.a2, '--json', 'aa.json'], { cwd: work });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('no regression');
    const c = readJson(join(work, 'aa.json'));
    expect(c.regressions).toBe(0);
    expect(c.deltas.filter((d: any) => d.verdict === 'regression')).toEqual([]);
  });

  it('flags a run made 30% slower by server delay (exit 2), with confidence, listing every delta', async () => {
    const r = await runCli(['compare', dirs.b1, dirs.b2, '--json', 'ab.json'], { cwd: work });
    expect(r.code, r.stdout).toBe(2);
    const c = readJson(join(work, 'ab.json'));
    const byKey = Object.fromEntries(c.deltas.map((d: any) => [d.key, d]));
    // Closed model: each request 30% slower means about 23% fewer requests/s, far beyond -10%.
    expect(byKey.throughput).toMatchObject({ verdict: 'regression', direction: 'worse' });
    expect(byKey.throughput.relative).toBeLessThan(-0.15);
    expect(byKey.throughput.confidence).toBeGreaterThanOrEqual(0.95);
    // Latency moves the same way: the median clearly and confidently (the tail is noisier).
    expect(byKey.latency_p50.relative).toBeGreaterThan(0.15);
    expect(byKey.latency_p50.confidence).toBeGreaterThanOrEqual(0.95);
    expect(byKey.latency_p95.direction).toBe('worse');
    expect(byKey.error_rate.verdict).toBe('ok');
    expect(r.stdout).toMatch(/throughput\s.*−\d+\.\d%\s+worse\s+throughput:-10%\s+\d+\.\d%\s+REGRESSION/);
    expect(r.stdout).toMatch(/latency_p50\s/); // figures without a rule are listed too
  });

  it('archives runs into the history, lists them, and finds them by run id', async () => {
    for (const n of ['a1', 'a2'] as const) {
      const r = await runCli(['history', 'add', dirs[n], '--history-dir', 'hist'], { cwd: work });
      expect(r.code, r.stderr).toBe(0);
    }
    const list = await runCli(['history', '--history-dir', 'hist', '--test', 'steady-load'], { cwd: work });
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^run\s+started\s+duration\s+req\/s\s+p95\s+p99\s+errors\s+exit$/);
    expect(lines).toHaveLength(3);
    const ids = lines.slice(1).map((l) => l.split(/\s+/)[0] as string);
    const byId = await runCli(['compare', ids[0] as string, dirs.b2, '--history-dir', 'hist'], { cwd: work });
    expect(byId.code).toBe(2);
    expect(byId.stdout).toContain(`base:    history ${ids[0]}`);
  });

  it('report --history-dir shows the trend against the previous run', async () => {
    const r = await runCli(['report', dirs.b2, '--markdown', '--history-dir', 'hist'], { cwd: work });
    expect(r.code).toBe(0);
    const md = (await import('node:fs')).readFileSync(join(dirs.b2, 'report.md'), 'utf8');
    expect(md).toMatch(/Compared to the previous run \(\d{8}T\d{6}\.\d{3}Z-steady-load\):/);
    expect(md).toMatch(/- ❌ throughput: [\d.]+\/s → [\d.]+\/s \(−\d+\.\d%\) regression/);
    expect(md).toMatch(/- (❌|⚠️) latency_p95: [\d.]+ms → [\d.]+ms \(\+\d+\.\d%\)/);
  });

  it('baseline update records a run; compare against it by name; nothing else writes it', async () => {
    const up = await runCli(['baseline', 'update', dirs.b1, '--file', 'perf/baselines.json', '--name', 'steady'], { cwd: work });
    expect(up.code, up.stderr).toBe(0);
    const file = readJson(join(work, 'perf', 'baselines.json'));
    expect(Object.keys(file.baselines)).toEqual(['steady']);
    const cmp = await runCli(['compare', 'baseline:steady', dirs.b2, '--baselines-file', 'perf/baselines.json'], { cwd: work });
    expect(cmp.code).toBe(2);
    const rep = await runCli(['report', dirs.b2, '--junit', '--baseline', 'steady', '--baselines-file', 'perf/baselines.json'], { cwd: work });
    expect(rep.code).toBe(2);
    const xml = (await import('node:fs')).readFileSync(join(dirs.b2, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<testcase classname="steady-load\.regressions" name="throughput throughput:-10%" time="[1-9]\d*\.\d{3}">\s*<failure message="throughput regressed −\d+\.\d% against baseline steady/);
    expect(xml).toMatch(/expected: within throughput:-10% of [\d.]+\/s\nactual: [\d.]+\/s \(−\d+\.\d%\), confidence \d+\.\d%/);
    expect(readJson(join(work, 'perf', 'baselines.json'))).toEqual(file);
  });

  it('says what it tried when a run cannot be found', async () => {
    const r = await runCli(['compare', 'nope', dirs.a1, '--history-dir', 'hist', '--baselines-file', 'perf/baselines.json'], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot find run "nope": it is not a results directory');
  });
});
