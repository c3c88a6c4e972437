import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithOptions } from './helpers/run-options.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const count = (s: any, m: string) => s?.metrics?.[m]?.values?.count ?? 0;
// What the schedule started or had to drop: an arrival-rate iteration the loaded machine could not
// start in time is dropped (one cut off at the end is interrupted), not lost, so the plan splits exactly even when the machine is busy.
const planned = (s: any) => count(s, 'iterations') + count(s, 'dropped_iterations') + count(s, 'iterations_interrupted');

describe('execution segments across processes', () => {
  const cases: [string, unknown][] = [
    ['shared-iterations', { scenarios: { s: { executor: 'shared-iterations', vus: 5, iterations: 97 } } }],
    ['per-vu-iterations', { scenarios: { s: { executor: 'per-vu-iterations', vus: 5, iterations: 3 } } }],
    ['constant-arrival-rate', { scenarios: { s: { executor: 'constant-arrival-rate', rate: 75, duration: '2s', preAllocatedVUs: 10 } } }],
  ];
  for (const [name, options] of cases) {
    it(`${name}: 0:1/2 and 1/2:1 together run exactly what one process runs`, async () => {
      const seq = ['--execution-segment-sequence', '0,1/2,1'];
      const [whole, a, b] = await Promise.all([
        runWithOptions(options, { baseUrl: server.url, args: ['--workers', '2'] }),
        runWithOptions(options, { baseUrl: server.url, args: ['--workers', '2', '--execution-segment', '0:1/2', ...seq] }),
        runWithOptions(options, { baseUrl: server.url, args: ['--workers', '1', '--execution-segment', '1/2:1', ...seq] }),
      ]);
      expect([whole.code, a.code, b.code]).toEqual([0, 0, 0]);
      const total = planned(whole.summary);
      expect(count(whole.summary, 'iterations')).toBeGreaterThan(0);
      expect(planned(a.summary) + planned(b.summary)).toBe(total);
      expect(count(a.summary, 'iterations')).toBeGreaterThan(0);
      expect(count(b.summary, 'iterations')).toBeGreaterThan(0);
    });
  }

  it('three segments of thirds split VUs and iterations exactly', async () => {
    const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 10, iterations: 2 } } };
    const seq = ['--execution-segment-sequence', '0,1/3,2/3,1'];
    const parts = await Promise.all(
      ['0:1/3', '1/3:2/3', '2/3:1'].map((seg) => runWithOptions(options, { args: ['--execution-segment', seg, ...seq] })),
    );
    const iters = parts.map((p) => count(p.summary, 'iterations'));
    expect(iters.reduce((x, y) => x + y, 0)).toBe(20);
    for (const n of iters) expect([6, 8]).toContain(n);
  });
});
