import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, run } from '../dist/index.js';
import { scriptsDir } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('programmatic run()', () => {
  it('runs a script with options and returns the summary and exit code', async () => {
    const result = await run({
      script: join(scriptsDir, 'options-from-env.ts'),
      env: { BASE_URL: server.url },
      workers: 1,
      options: { vus: 2, iterations: 10, thresholds: { http_reqs: ['count==10'], http_req_failed: ['rate==0'] } },
    });
    expect(result.exitCode).toBe(0);
    expect(result.summary.metrics.http_reqs?.values.count).toBe(10);
    expect(result.thresholds.every((t) => t.ok)).toBe(true);
  });

  it('reports a failed budget through exitCode 99', async () => {
    const result = await run({ script: join(scriptsDir, 'options-from-env.ts'), workers: 1, options: { iterations: 2, thresholds: { iterations: ['count>100'] } } });
    expect(result.exitCode).toBe(99);
    expect(result.thresholdsOk).toBe(false);
  });

  it('rejects invalid options with a ConfigError listing each problem', async () => {
    await expect(run({ script: join(scriptsDir, 'options-from-env.ts'), options: { vus: -2, duration: 'soon' } })).rejects.toSatisfy(
      (e: unknown) => e instanceof ConfigError && e.problems.length >= 2,
    );
  });
});
