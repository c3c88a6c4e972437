// Scripts that try to end the process, never finish their init code, or never yield to the event
// loop (issue 17, items 3-5): the run ends with its real summary, results and exit code.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, runCli, tmpDir } from './helpers/cli.js';

function script(dir: string, body: string): string {
  const p = join(dir, 's.ts');
  writeFileSync(p, body);
  return p;
}

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.statusCode = 500;
    res.end('no');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const noStack = /internal error|    at /;

describe('process.exit() in a script', () => {
  it('in VU code: an iteration error; the run ends with its summary, results and threshold exit code (99)', async () => {
    const dir = tmpDir();
    const p = script(
      dir,
      `import { http } from 'squall';\nexport const options = { vus: 1, duration: '1s', thresholds: { http_req_failed: ['rate<0.1'] } };\n` +
        `export default async function () { await http.get('${base}/'); process.exit(0); }\n`,
    );
    const r = await runCli(['run', p, '--results-dir', 'res', '--summary-export', 'export.json', '--no-history'], { cwd: dir });
    expect(r.code, r.stderr).toBe(99);
    expect(r.stderr).toMatch(/process\.exit\(0\) is not available in scripts.*exec\.test\.abort\(\).*fail\(\)/);
    expect(r.stderr).toContain('(exit 99)');
    expect(r.stdout).toMatch(/http_req_failed/);
    const exported = readJson(join(dir, 'export.json'));
    expect(exported.metrics.iteration_errors.values.count).toBe(exported.metrics.iterations.values.count);
    expect(exported.metrics.iterations.values.count).toBeGreaterThan(0);
    expect(readJson(join(dir, 'res', 'meta.json')).exitCode).toBe(99);
    expect(existsSync(join(dir, 'res', 'summary.json'))).toBe(true);
  });

  it('in init code: 107 naming the script, not a silent exit', async () => {
    const dir = tmpDir();
    const p = script(dir, `process.exit(3);\nexport default function () {}\n`);
    const r = await runCli(['run', p, '--no-results', '--no-history'], { cwd: dir });
    expect(r.code, r.stderr).toBe(107);
    expect(r.stderr).toContain(`${p}:1:`);
    expect(r.stderr).toMatch(/process\.exit\(3\) is not available in scripts/);
    expect(r.stderr).not.toMatch(noStack);
  });

  it('in setup(): 107 naming setup()', async () => {
    const dir = tmpDir();
    const p = script(dir, `export function setup() { process.exit(0); }\nexport default function () {}\n`);
    const r = await runCli(['run', p, '--no-results', '--no-history'], { cwd: dir });
    expect(r.code, r.stderr).toBe(107);
    expect(r.stderr).toMatch(/setup\(\) failed: ProcessExitError: process\.exit\(0\) is not available in scripts/);
  });
});

describe('init code that does not return', () => {
  it('a top-level await that never settles: 107 naming the script', async () => {
    const dir = tmpDir();
    const p = script(dir, `await new Promise(() => {});\nexport default function () {}\n`);
    const r = await runCli(['run', p, '--no-results', '--no-history'], { cwd: dir });
    expect(r.code, r.stderr).toBe(107);
    expect(r.stderr).toContain(p);
    expect(r.stderr).toMatch(/init code did not finish: a top-level await never settled/);
    expect(r.stderr).not.toMatch(noStack);
  });

  it('while (true) {} at the top level: Ctrl-C ends it with 105 and says the init code did not return', async () => {
    const dir = tmpDir();
    const p = script(dir, `console.error('init: looping');\nwhile (true) {}\nexport default function () {}\n`);
    let sent = false;
    const r = await runCli(['run', p, '--no-results', '--no-history'], {
      cwd: dir,
      onStderr: (text, pid) => {
        if (sent || !text.includes('init: looping')) return;
        sent = true;
        process.kill(pid, 'SIGINT');
      },
    });
    expect(r.code, r.stderr).toBe(105);
    expect(r.stderr).toMatch(/init code of .*s\.ts was running: it did not return/);
    expect(r.stderr).not.toMatch(noStack);
  });
});

describe('VUs that never yield (while (true) {} in an iteration)', () => {
  const spinning = (duration: string, gracefulStop: string, thresholds = '') =>
    `export const options = { scenarios: { spin: { executor: 'constant-vus', vus: 2, duration: '${duration}', gracefulStop: '${gracefulStop}' } }${thresholds} };\n` +
    `export default function () { while (true) {} }\n`;

  it('the test end (duration + gracefulStop + grace) ends their workers; results are written; the run keeps its own code', async () => {
    const dir = tmpDir();
    const p = script(dir, spinning('1s', '1s', `, thresholds: { iterations: ['count>=1'] }`));
    const r = await runCli(['run', p, '--workers', '2', '--results-dir', 'res', '--summary-export', 'export.json', '--no-history'], { cwd: dir });
    // No iteration completed, so the iterations threshold fails: 99, the run's own code.
    expect(r.code, r.stderr).toBe(99);
    expect(r.stderr).toMatch(/2 VUs stuck in an iteration that never yielded.*2 in scenario spin.*after the test end and gracefulStop/);
    const exported = readJson(join(dir, 'export.json'));
    expect(exported.metrics.iterations_interrupted.values.count).toBe(2);
    expect(readJson(join(dir, 'res', 'meta.json')).exitCode).toBe(99);
    expect(existsSync(join(dir, 'res', 'summary.json'))).toBe(true);
  });

  it('two Ctrl-C end their workers at once: 105, the stuck VUs on stderr, results written', async () => {
    const dir = tmpDir();
    const p = script(dir, spinning('60s', '60s'));
    let signals = 0;
    const r = await runCli(['run', p, '--workers', '2', '--results-dir', 'res', '--no-history'], {
      cwd: dir,
      onStderr: (text, pid) => {
        if (signals === 0 && text.includes('running (')) {
          signals++;
          process.kill(pid, 'SIGINT');
        } else if (signals === 1 && text.includes('stopping gracefully')) {
          signals++;
          process.kill(pid, 'SIGINT');
        }
      },
    });
    expect(r.code, r.stderr).toBe(105);
    expect(r.stderr).toMatch(/2 VUs stuck .*2 in scenario spin.*after the second Ctrl-C/);
    expect(r.stderr).toContain('(exit 105)');
    expect(readJson(join(dir, 'res', 'meta.json')).exitCode).toBe(105);
    expect(existsSync(join(dir, 'res', 'summary.json'))).toBe(true);
  });

  it('one Ctrl-C ends their workers after gracefulStop: 105', async () => {
    const dir = tmpDir();
    const p = script(dir, spinning('60s', '1s'));
    let sent = false;
    const r = await runCli(['run', p, '--workers', '1', '--results-dir', 'res', '--no-history'], {
      cwd: dir,
      onStderr: (text, pid) => {
        if (sent || !text.includes('running (')) return;
        sent = true;
        process.kill(pid, 'SIGINT');
      },
    });
    expect(r.code, r.stderr).toBe(105);
    expect(r.stderr).toMatch(/1 VU stuck .*1 in scenario spin.*after Ctrl-C and gracefulStop/);
    expect(readJson(join(dir, 'res', 'meta.json')).exitCode).toBe(105);
  });
});
