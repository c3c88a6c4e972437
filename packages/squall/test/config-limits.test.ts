import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tmpDir } from './helpers/cli.js';

function script(dir: string, options: string): string {
  const p = join(dir, 's.ts');
  writeFileSync(p, `export const options = ${options};\nexport default function () {}\n`);
  return p;
}

describe('options beyond what the engine can hold or schedule: 104 before anything is allocated', () => {
  it.each([
    ['vus: 1e9', '{ vus: 1e9, duration: "1s" }', /vus.*at most|between 1 and 1000000/],
    ['maxVUs: 1e9', '{ scenarios: { a: { executor: "constant-arrival-rate", rate: 1, duration: "1s", preAllocatedVUs: 1, maxVUs: 1e9 } } }', /maxVUs/],
    ['stage target 1e9', '{ stages: [{ duration: "1s", target: 1e9 }] }', /target/],
    ['duration 99999999999h', '{ vus: 1, duration: "99999999999h" }', /duration.*at most 596h31m23\.647s/],
    ['gracefulStop past the timer limit', '{ scenarios: { a: { executor: "constant-vus", vus: 1, duration: "1s", gracefulStop: "600h" } } }', /gracefulStop.*at most/],
  ])('%s', async (_name, options, message) => {
    const dir = tmpDir();
    const r = await runCli(['run', script(dir, options), '--no-results'], { cwd: dir });
    expect(r.code, r.stderr).toBe(104);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/TimeoutOverflowWarning|heap out of memory|    at /);
  });

  it('--vus 1e9 on the command line', async () => {
    const dir = tmpDir();
    const r = await runCli(['run', script(dir, '{ duration: "1s" }'), '--vus', '1000000000', '--no-results'], { cwd: dir });
    expect(r.code, r.stderr).toBe(104);
    expect(r.stderr).toMatch(/vus/);
  });
});
