import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBanner } from '../src/plan-view/index.js';
import { resolveOptions } from '../src/config/resolve.js';
import { runCli, scriptsDir, tmpDir } from './helpers/cli.js';
import { existsSync } from 'node:fs';

const script = join(scriptsDir, 'layers.ts');

describe('squall version, --version, -v', () => {
  it('`squall version` and `--version` print the version; -v is not the version', async () => {
    const v = await runCli(['version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^squall \d+\.\d+\.\d+ \(node v\d+/);
    const flag = await runCli(['--version']);
    expect(flag.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const short = await runCli(['-v']);
    expect(short.stdout).not.toMatch(/^\d+\.\d+\.\d+\s*$/);
  });

  it('`run -v` is verbose: the banner says where options came from', async () => {
    const cwd = tmpDir();
    const r = await runCli(['run', script, '-v', '--no-history', '--no-summary', '--workers', '1', '-i', '2'], { cwd, env: { SQUALL_VUS: '2' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('verbose: from the environment: vus (SQUALL_VUS)');
    expect(r.stderr).toContain('verbose: from flags: iterations');
    expect(r.stderr).toContain('verbose: config file: - (none)');
  });
});

describe('start banner', () => {
  it('names the script, scenarios with executor and shape, outputs and the results dir that is then written', async () => {
    const cwd = tmpDir();
    const r = await runCli(['run', script, '--no-history', '--no-summary', '--workers', '1', '-i', '3', '--out', 'csv=s.csv'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`   script: ${script}`);
    expect(r.stderr).toContain(`   output: csv ${join(cwd, 's.csv')}`);
    expect(r.stderr).toContain(`  results: ${join(cwd, 'results')}/<run id>/`);
    const dir = /^results: (\S+)$/m.exec(r.stderr)?.[1] as string;
    expect(existsSync(join(dir, 'summary.json'))).toBe(true);
    expect(r.stderr).toContain('* default: 3 iterations shared among 1 VUs');
    expect(r.stderr).toContain('[shared-iterations]');
  });

  it('is not printed with --quiet', async () => {
    const r = await runCli(['run', script, '-q', '--no-results', '--no-history', '--no-summary', '--workers', '1']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('scenarios:');
  });

  it('describes every executor', () => {
    const { options } = resolveOptions({
      scriptOptions: {
        scenarios: {
          a: { executor: 'constant-vus', vus: 5, duration: '10s' },
          b: { executor: 'ramping-vus', stages: [{ duration: '30s', target: 20 }, { duration: '1m', target: 0 }], startTime: '10s' },
          c: { executor: 'constant-arrival-rate', rate: 50, duration: '1m', preAllocatedVUs: 10, maxVUs: 40 },
          d: { executor: 'ramping-arrival-rate', startRate: 5, stages: [{ duration: '2m', target: 100 }], preAllocatedVUs: 5, maxVUs: 50 },
          e: { executor: 'per-vu-iterations', vus: 3, iterations: 4 },
        },
      },
      overrides: {},
      knownMetrics: new Map(),
    });
    const text = formatBanner({ script: 's.ts', options, outputs: [], resultsDir: undefined, workers: 2 });
    expect(text).toContain('scenarios: 5 scenarios, 118 max VUs,');
    expect(text).toContain('* a: 5 looping VUs for 10s (gracefulStop: 30s) [constant-vus]');
    expect(text).toContain('* b: Up to 20 looping VUs for 1m30s over 2 stages (gracefulRampDown: 30s, gracefulStop: 30s, startTime: 10s) [ramping-vus]');
    expect(text).toContain('* c: 50/s iterations for 1m (maxVUs: 10-40, gracefulStop: 30s) [constant-arrival-rate]');
    expect(text).toContain('* d: Up to 100/s iterations for 2m over 1 stages (maxVUs: 5-50, gracefulStop: 30s) [ramping-arrival-rate]');
    expect(text).toContain('* e: 4 iterations for each of 3 VUs (maxDuration: 10m, gracefulStop: 30s) [per-vu-iterations]');
    expect(text).toContain('   output: -');
    expect(text).toContain('  results: - (--no-results)');
  });
});
