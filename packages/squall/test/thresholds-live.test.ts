import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scriptsDir } from './helpers/cli.js';
import { runWithOptions } from './helpers/run-options.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('live thresholds', () => {
  it('abortOnFail stops a long test early and exits 99', async () => {
    const started = Date.now();
    const r = await runWithOptions(
      { vus: 2, duration: '60s', thresholds: { http_req_duration: [{ threshold: 'max<1', abortOnFail: true }] } },
      { baseUrl: server.url, path: 'delay/20' },
    );
    expect(r.code).toBe(99);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.stderr).toContain('abortOnFail');
    expect(r.summary.metrics.http_req_duration.thresholds['max<1'].ok).toBe(false);
  });

  it('delayAbortEval holds the abort until the delay has passed', async () => {
    const r = await runWithOptions(
      { vus: 1, duration: '60s', thresholds: { http_req_duration: [{ threshold: 'max<1', abortOnFail: true, delayAbortEval: '3s' }] } },
      { baseUrl: server.url, path: 'delay/20' },
    );
    expect(r.code).toBe(99);
    expect(r.summary.state.testRunDurationMs).toBeGreaterThanOrEqual(3000);
    expect(r.summary.state.testRunDurationMs).toBeLessThan(30_000);
  });
});

describe('script loading', () => {
  it('bundles relative imports and npm packages', async () => {
    const r = await runCli(['run', join(scriptsDir, 'imports.ts'), '--no-results']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
  });

  it('the examples type-check against squall\'s exported types', async () => {
    const root = resolve(scriptsDir, '..', '..', '..', '..');
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(promisify(execFile)(process.execPath, [tsc, '-p', join(root, 'examples')], { cwd: root })).resolves.toBeDefined();
  });
});
