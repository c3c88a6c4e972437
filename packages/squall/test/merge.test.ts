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

describe('squall merge', () => {
  it('merges segment runs into exactly the whole test and judges thresholds on the merge', async () => {
    const dir = tmpDir();
    const options = {
      scenarios: { s: { executor: 'per-vu-iterations', vus: 5, iterations: 3 } },
      thresholds: { iterations: ['count==15'], 'http_reqs{status:200}': ['count==15'], http_req_duration: ['max<5000'] },
    };
    const part = (seg: string, out: string) =>
      runCli(['run', join(scriptsDir, 'options-from-env.ts'), '-e', `OPTIONS=${JSON.stringify(options)}`, '-e', `BASE_URL=${server.url}`,
        '--execution-segment', seg, '--execution-segment-sequence', '0,1/2,1', '--results-dir', out, '--no-summary'], { cwd: dir });
    const [a, b] = await Promise.all([part('0:1/2', 'a'), part('1/2:1', 'b')]);
    // Each half alone misses the whole-test count.
    expect([a.code, b.code]).toEqual([99, 99]);
    const countOf = (d: string) => readJson(join(dir, d, 'summary.json')).metrics.iterations.values.count;
    expect(countOf('a') + countOf('b')).toBe(15);

    const m = await runCli(['merge', 'a', 'b', '--results-dir', 'merged', '--summary-export', 'merged.json'], { cwd: dir });
    expect(m.stderr).not.toContain('warning');
    expect(m.code).toBe(0);
    const merged = readJson(join(dir, 'merged.json'));
    expect(merged.metrics.iterations.values.count).toBe(15);
    expect(merged.metrics['http_reqs{status:200}'].values.count).toBe(15);
    const durationCount = ['a', 'b'].map((d) => readJson(join(dir, d, 'summary.json')).metrics.http_req_duration.values.max);
    expect(merged.metrics.http_req_duration.values.max).toBe(Math.max(...durationCount));
    expect(merged.metrics.iterations.thresholds['count==15'].ok).toBe(true);
    expect(readJson(join(dir, 'merged', 'summary.json')).metrics.iterations.values.count).toBe(15);
  });

  it('warns when the segments do not cover the whole test', async () => {
    const dir = tmpDir();
    const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 4, iterations: 1 } } };
    const r = await runCli(['run', join(scriptsDir, 'options-from-env.ts'), '-e', `OPTIONS=${JSON.stringify(options)}`,
      '--execution-segment', '0:1/2', '--results-dir', 'a', '--no-summary'], { cwd: dir });
    expect(r.code).toBe(0);
    const m = await runCli(['merge', 'a', '--no-summary'], { cwd: dir });
    expect(m.stderr).toContain('not the whole test');
  });

  it('says which file is missing when a directory is not a results dir', async () => {
    const m = await runCli(['merge', tmpDir()]);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('cannot read summary.json, meta.json, timeseries.jsonl');
  });
});
