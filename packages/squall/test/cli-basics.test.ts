import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, runCli, scriptsDir, tmpDir } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('squall run', () => {
  it('puts the requests of setup and teardown in the time series as well as the summary', async () => {
    const dir = tmpDir();
    const r = await runCli(['run', join(scriptsDir, 'teardown-requests.ts'), '-e', `BASE_URL=${server.url}`, '--summary-export', 'summary.json', '--results-dir', 'res'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readJson(join(dir, 'summary.json')).metrics.http_reqs.values.count).toBe(14);
    const points = readFileSync(join(dir, 'res', 'timeseries.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const inSeries = points.reduce((n, p) => n + (p.metrics?.http_reqs?.total.values.count ?? 0), 0);
    expect(inSeries).toBe(14);
  });

  it('runs a script with setup, groups, checks, custom metrics and teardown, and writes results', async () => {
    const dir = tmpDir();
    const r = await runCli(
      ['run', join(scriptsDir, 'basic.ts'), '--vus', '3', '--iterations', '30', '--workers', '2', '-e', `BASE_URL=${server.url}`,
        '--summary-export', 'summary.json', '--results-dir', 'res'],
      { cwd: dir },
    );
    expect(r.stderr).not.toContain('iteration error');
    expect(r.code).toBe(0);
    const s = readJson(join(dir, 'summary.json'));
    expect(s.metrics.iterations.values.count).toBe(30);
    expect(s.metrics.http_reqs.values.count).toBe(30);
    expect(s.metrics.custom_hits.values.count).toBe(30);
    expect(s.metrics.custom_size.values.avg).toBe(2);
    expect(s.metrics.checks.values.passes).toBe(60);
    expect(s.metrics['http_req_duration{name:hello}'].thresholds['p(95)<5000'].ok).toBe(true);
    const api = s.root_group.groups.find((g: any) => g.name === 'api');
    expect(api.path).toBe('::api');
    expect(api.checks.map((c: any) => [c.name, c.passes, c.fails])).toEqual([
      ['status 200', 30, 0],
      ['token passed', 30, 0],
    ]);
    // The printed summary shows thresholds and metrics.
    expect(r.stdout).toMatch(/http_reqs/);
    expect(r.stdout).toMatch(/✓ 'rate==1'/);
    for (const f of ['summary.json', 'timeseries.jsonl', 'meta.json']) expect(existsSync(join(dir, 'res', f))).toBe(true);
    const meta = readJson(join(dir, 'res', 'meta.json'));
    expect(meta.env.BASE_URL).toBe(server.url);
    const lines = readFileSync(join(dir, 'res', 'timeseries.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(() => lines.map((l) => JSON.parse(l))).not.toThrow();
  });

  it('exits 99 when a threshold fails and names it', async () => {
    const opts = { iterations: 5, thresholds: { http_req_duration: ['max<1'] } };
    const r = await runCli(['run', join(scriptsDir, 'options-from-env.ts'), '--no-results', '-e', `OPTIONS=${JSON.stringify(opts)}`,
      '-e', `BASE_URL=${server.url}`, '-e', 'URL_PATH=delay/20']);
    expect(r.code).toBe(99);
    expect(r.stderr).toContain("http_req_duration: 'max<1'");
    expect(r.stdout).toMatch(/✗ 'max<1'/);
  });

  it('exits 104 and lists every invalid option before sending a request', async () => {
    const before = server.total();
    const r = await runCli(['run', join(scriptsDir, 'invalid-options.ts'), '--no-results', '--vus', 'x']);
    expect(r.code).toBe(104);
    for (const fragment of ['--vus', 'scenarios.a', 'scenarios.b.vus', 'scenarios.c', 'p95<500', 'no_such_metric']) {
      expect(r.stderr).toContain(fragment);
    }
    expect(server.total()).toBe(before);
  });

  it('collects config problems from the script too when flags are fine', async () => {
    const r = await runCli(['run', join(scriptsDir, 'invalid-options.ts'), '--no-results']);
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('constant-arival-rate');
    expect(r.stderr).toContain('rte');
    expect(r.stderr).toContain('no_such_metric');
  });

  it('exits 107 with file:line:column for a script that does not compile', async () => {
    const r = await runCli(['run', join(scriptsDir, 'syntax-error.ts'), '--no-results']);
    expect(r.code).toBe(107);
    expect(r.stderr).toMatch(/syntax-error\.ts:4:\d+/);
  });

  it('exits 107 with the location when init code throws', async () => {
    const r = await runCli(['run', join(scriptsDir, 'init-throws.ts'), '--no-results']);
    expect(r.code).toBe(107);
    expect(r.stderr).toMatch(/init-throws\.ts:1:\d+: SyntaxError/);
  });

  it('resolves shared data files next to the script, not the working directory', async () => {
    const r = await runCli(['run', join(scriptsDir, 'shared-data.ts'), '--no-results', '--workers', '2'], { cwd: tmpDir() });
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
  });

  it('counts iteration exceptions, shows each once, and carries on', async () => {
    const r = await runCli(['run', join(scriptsDir, 'throws.ts'), '--no-results', '--summary-export', 'out.json', '-e', `BASE_URL=${server.url}`]);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/boom in iteration/g)?.length).toBe(2); // once live, once in the final tally
    expect(r.stderr).toMatch(/x20: Error: boom in iteration/);
    expect(r.stderr).toMatch(/throws\.ts:7:/);
  });

  it('exits 108 when the script aborts the test', async () => {
    const dir = tmpDir();
    const r = await runCli(['run', join(scriptsDir, 'aborts.ts'), '--results-dir', 'res', '-e', `BASE_URL=${server.url}`], { cwd: dir });
    expect(r.code).toBe(108);
    expect(r.stderr).toContain('enough');
    expect(existsSync(join(dir, 'res', 'summary.json'))).toBe(true);
  });

  it('lets handleSummary replace the default output and write files', async () => {
    const dir = tmpDir();
    const r = await runCli(['run', join(scriptsDir, 'summary-hook.ts'), '--no-results'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('custom summary: iterations=3');
    expect(readJson(join(dir, 'hook-out.json'))).toEqual({ iterations: 3 });
  });

  it('shows help with exit codes', async () => {
    const r = await runCli(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('104 invalid options');
  });
});
