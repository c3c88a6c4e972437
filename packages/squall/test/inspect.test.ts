import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioPlan } from '../src/inspect/index.js';
import { resolveOptions } from '../src/config/resolve.js';
import { runCli, scriptsDir, tmpDir } from './helpers/cli.js';

const script = join(scriptsDir, 'layers.ts');

describe('squall inspect', () => {
  it('prints resolved options and the plan as JSON, with the same layers as run, sending nothing', async () => {
    const cwd = tmpDir();
    writeFileSync(join(cwd, 'c.json'), JSON.stringify({ tags: { team: 'a' }, thresholds: { http_req_failed: ['rate<0.01'] } }));
    const r = await runCli(['inspect', script, '-c', 'c.json', '-s', '10s:5', '-s', '20s:0'], { cwd, env: { SQUALL_USER_AGENT: 'ua/1' } });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.configFile).toBe(join(cwd, 'c.json'));
    expect(doc.options.userAgent).toBe('ua/1');
    expect(doc.options.tags).toEqual({ team: 'a' });
    expect(doc.options.thresholds[0].key).toBe('http_req_failed');
    const [s] = doc.plan.scenarios;
    expect(s).toMatchObject({ name: 'default', executor: 'ramping-vus', maxVUs: 5, plannedIterations: null, vusOverTime: [[0, 1], [10000, 5], [30000, 0]] });
    expect(doc.plan.maxDurationMs).toBe(60000);
  });

  it('exits 104 on bad options, like run', async () => {
    const r = await runCli(['inspect', script, '--vus', '0']);
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('--vus: must be an integer >= 1');
  });

  it('plans arrival-rate executors: rate over time and planned iterations', () => {
    const { options } = resolveOptions({
      scriptOptions: {
        scenarios: {
          c: { executor: 'constant-arrival-rate', rate: 50, duration: '1m', preAllocatedVUs: 10, maxVUs: 40 },
          r: { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', stages: [{ duration: '10s', target: 20 }, { duration: '10s', target: 20 }], preAllocatedVUs: 5, maxVUs: 50, startTime: '5s' },
        },
      },
      overrides: {},
      knownMetrics: new Map(),
    });
    const [c, r] = options.scenarios.map(scenarioPlan);
    expect(c?.plannedIterations).toBe(3000);
    expect(c?.rateOverTime).toEqual([[0, 50], [60000, 50]]);
    expect(r?.plannedIterations).toBe(300);
    expect(r?.rateOverTime).toEqual([[5000, 0], [15000, 20], [25000, 20]]);
    expect(r?.vusOverTime).toEqual([[5000, 50], [25000, 50]]);
  });
});
