import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJson, runCli, tmpDir } from './helpers/cli.js';

function script(dir: string, body: string): string {
  const p = join(dir, 's.ts');
  writeFileSync(p, body);
  return p;
}

describe('setup() results that cannot reach VUs: 107 naming setup()', () => {
  it.each([
    ['a BigInt', 'return { n: 10n };', /setup\(\) returned a value that cannot be passed to VUs.*BigInt/],
    ['a cyclic object', 'const o: any = {}; o.self = o; return o;', /setup\(\) returned a value that cannot be passed to VUs.*circular/],
    ['a function', 'return () => 1;', /setup\(\) returned a function, which cannot be passed to VUs/],
  ])('%s', async (_name, body, message) => {
    const dir = tmpDir();
    const r = await runCli(['run', script(dir, `export const options = { iterations: 1 };\nexport function setup() { ${body} }\nexport default function () {}\n`), '--no-results'], { cwd: dir });
    expect(r.code, r.stderr).toBe(107);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error|    at /);
  });
});

describe('handleSummary() throwing', () => {
  it.each([
    ['passing thresholds', 'count>=1', 0],
    ['failing thresholds', 'count>5', 99],
  ])('logs the error, writes the default summary and keeps the exit code (%s)', async (_name, threshold, code) => {
    const dir = tmpDir();
    const p = script(
      dir,
      `import { Counter } from 'squall';\nconst c = new Counter('c');\nexport const options = { iterations: 1, thresholds: { iterations: ['${threshold}'] } };\nexport default function () { c.add(1); }\nexport function handleSummary() { throw new Error('summary exploded'); }\n`,
    );
    const r = await runCli(['run', p, '--summary-export', 'export.json', '--results-dir', 'res'], { cwd: dir });
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(/handleSummary\(\) failed: summary exploded/);
    expect(r.stderr).not.toMatch(/internal error|    at /);
    expect(r.stdout).toMatch(/iterations/);
    expect(readJson(join(dir, 'export.json')).metrics.iterations.values.count).toBe(1);
    expect(existsSync(join(dir, 'res', 'summary.json'))).toBe(true);
  });
});

describe('repeated Ctrl-C', () => {
  it('ends with one exit code on stderr, in meta.json and as the process exit, however many SIGINTs follow', async () => {
    const dir = tmpDir();
    const p = script(dir, `export const options = { vus: 2, duration: '30s' };\nexport default async function () { await new Promise((r) => setTimeout(r, 20)); }\n`);
    let timer: NodeJS.Timeout | undefined;
    const r = await runCli(['run', p, '--results-dir', 'res'], {
      cwd: dir,
      onStderr: (text, pid) => {
        if (timer !== undefined || !text.includes('running')) return;
        // SIGINT after SIGINT until the process is gone: some land after the run, while results are written.
        timer = setInterval(() => {
          try {
            process.kill(pid, 'SIGINT');
          } catch {
            clearInterval(timer);
          }
        }, 15);
      },
    }).finally(() => clearInterval(timer));
    expect(r.code, r.stderr).toBe(105);
    expect(r.stderr).toContain('(exit 105)');
    expect(readJson(join(dir, 'res', 'meta.json')).exitCode).toBe(105);
  });
});

describe('unwritable outputs', () => {
  const passing = `export const options = { iterations: 1, thresholds: { iterations: ['count>=1'] } };\nexport default function () {}\n`;
  const failing = `export const options = { iterations: 1, thresholds: { iterations: ['count>5'] } };\nexport default function () {}\n`;

  it('a results dir that is a file, or under a file: 104 before the test starts', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'afile'), 'x');
    for (const bad of ['afile', 'afile/res']) {
      const r = await runCli(['run', script(dir, passing), '--results-dir', bad], { cwd: dir });
      expect(r.code, r.stderr).toBe(104);
      expect(r.stderr).toMatch(/--results-dir.*ENOTDIR/);
      expect(r.stdout).not.toMatch(/iterations/);
    }
    const r = await runCli(['run', script(dir, passing), '--summary-export', 'afile/s.json', '--no-results'], { cwd: dir });
    expect(r.code, r.stderr).toBe(104);
    expect(r.stderr).toMatch(/--summary-export/);
  });

  it.each([
    ['passing', passing, 0],
    ['failing', failing, 99],
  ])('a full disk for the summary export (/dev/full) says which file and why, and keeps the exit code (%s)', async (_n, body, code) => {
    const dir = tmpDir();
    const r = await runCli(['run', script(dir, body), '--summary-export', '/dev/full', '--results-dir', 'res'], { cwd: dir });
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(/could not write the summary export \/dev\/full: .*ENOSPC/);
    expect(r.stderr).not.toMatch(/internal error|    at /);
    expect(readJson(join(dir, 'res', 'meta.json')).exitCode).toBe(code);
  });

  it('an unwritable --history-dir is a warning', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'afile'), 'x');
    const r = await runCli(['run', script(dir, passing), '--results-dir', 'res', '--history-dir', 'afile/hist'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: the run was not archived in the history/);
  });
});
