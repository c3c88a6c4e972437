import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { optionsFromEnv } from '../src/option-sources/index.js';
import type { ConfigProblem } from '../src/errors.js';
import { runCliForSummary, scriptsDir, tmpDir } from './helpers/cli.js';

// k6's precedence: defaults < config file < script options < environment < flags.
const script = join(scriptsDir, 'layers.ts');

async function iterationsRun(args: string[], env: Record<string, string> = {}, config?: unknown): Promise<{ code: number | null; iterations: number | undefined; stderr: string; cwd: string }> {
  const cwd = tmpDir();
  if (config !== undefined) writeFileSync(join(cwd, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  const r = await runCliForSummary(['run', script, '--no-results', '--no-history', '-q', '--workers', '1', ...args], { cwd, env: { SQUALL_ITERATIONS: '', K6_ITERATIONS: '', SQUALL_CONFIG: '', ...env } });
  return { code: r.code, iterations: r.summary?.metrics.iterations?.values.count, stderr: r.stderr, cwd };
}

describe('where options come from', () => {
  it('defaults: one iteration', async () => {
    expect((await iterationsRun([])).iterations).toBe(1);
  });

  it('a config file beats the defaults', async () => {
    const r = await iterationsRun(['--config', 'config.json'], {}, { iterations: 3 });
    expect(r.iterations).toBe(3);
  });

  it('script options beat the config file', async () => {
    const r = await iterationsRun(['-c', 'config.json', '-e', 'SCRIPT_ITERS=5'], {}, { iterations: 3 });
    expect(r.iterations).toBe(5);
  });

  it('SQUALL_* beats the script, and beats K6_*', async () => {
    expect((await iterationsRun(['-c', 'config.json', '-e', 'SCRIPT_ITERS=5'], { SQUALL_ITERATIONS: '7', K6_ITERATIONS: '6' }, { iterations: 3 })).iterations).toBe(7);
    expect((await iterationsRun(['-e', 'SCRIPT_ITERS=5'], { K6_ITERATIONS: '6' })).iterations).toBe(6);
  });

  it('a flag beats the environment', async () => {
    const r = await iterationsRun(['-c', 'config.json', '-e', 'SCRIPT_ITERS=5', '-i', '9'], { SQUALL_ITERATIONS: '7' }, { iterations: 3 });
    expect(r.iterations).toBe(9);
  });

  it('SQUALL_CONFIG names the config file; its out list is used without --out', async () => {
    const r = await iterationsRun([], { SQUALL_CONFIG: 'config.json' }, { iterations: 2, out: ['json=samples.json'] });
    expect(r.iterations).toBe(2);
    const points = readFileSync(join(r.cwd, 'samples.json'), 'utf8').split('\n').filter((l) => l.includes('"metric":"iterations"') && l.includes('"Point"'));
    expect(points).toHaveLength(2);
  });
});

describe('bad sources exit 104 and say where', () => {
  it('a config file that is not JSON gives file:line:col', async () => {
    const r = await iterationsRun(['--config', 'config.json'], {}, '{\n  "vus": 2,\n  duration: "3s"\n}');
    expect(r.code).toBe(104);
    expect(r.stderr).toMatch(/config\.json:3:3: is not valid JSON/);
  });

  it('an unknown key in the config file is named with a suggestion', async () => {
    const r = await iterationsRun(['--config', 'config.json'], {}, { iteration: 2 });
    expect(r.code).toBe(104);
    expect(r.stderr).toMatch(/config\.json: iteration: is not an option \(did you mean "iterations"\?\)/);
  });

  it('a missing config file', async () => {
    const r = await iterationsRun(['--config', 'nope.json']);
    expect(r.code).toBe(104);
    expect(r.stderr).toMatch(/--config: cannot read .*nope\.json: ENOENT/);
  });

  it('a bad environment value names the variable', async () => {
    const r = await iterationsRun([], { SQUALL_VUS: 'ten', K6_DURATION: 'soon' });
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('SQUALL_VUS: must be an integer >= 1, but is "ten"');
    expect(r.stderr).toContain('K6_DURATION: must be a duration such as 30s or 5m, but is "soon"');
  });
});

describe('optionsFromEnv', () => {
  it("maps k6's names, SQUALL_ first", () => {
    const problems: ConfigProblem[] = [];
    const r = optionsFromEnv(
      { SQUALL_VUS: '4', K6_VUS: '9', K6_STAGES: '10s:5, 20s:0', SQUALL_TAGS: 'team=a,env=ci', K6_NO_COLOR: 'true', SQUALL_OUT: 'json=a.json,csv=b.csv', K6_SUMMARY_EXPORT: 's.json', K6_MAX_REDIRECTS: '0' },
      problems,
    );
    expect(problems).toEqual([]);
    expect(r.overrides).toEqual({ vus: 4, stages: ['10s:5', '20s:0'], tags: { team: 'a', env: 'ci' }, noColor: true, maxRedirects: 0 });
    expect(r.sources).toMatchObject({ vus: 'SQUALL_VUS', stages: 'K6_STAGES' });
    expect(r.settings).toEqual({ out: ['json=a.json', 'csv=b.csv'], summaryExport: 's.json' });
  });
});
