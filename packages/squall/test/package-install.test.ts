import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

/**
 * squall outside this repository: the packed tarballs (`npm pack`) install into an empty project
 * and globally, and the installed CLI runs a script, type-checks it and uses embedded ClickHouse.
 * Dependencies come from the npm registry (the cache `npm ci` filled makes it quick).
 */
const exec = promisify(execFile);
const repo = resolve(import.meta.dirname, '..', '..', '..');
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const npmOpts = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

const SCRIPT = `import { http, check } from 'squall';

export const options = { vus: 2, iterations: 20, thresholds: { checks: ['rate==1'] } };

export default async function () {
  const res = await http.get(\`\${__ENV.BASE_URL}/installed\`);
  check(res, { 'status is 200': (r) => r.status === 200 });
}
`;

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
  include: ['*.ts'],
};

describe('the packed squall package', { timeout: 240_000 }, () => {
  let work: string;
  let tarballs: string[];
  let server: TestServer;
  let proj: string;
  let prefix: string;
  // Vite puts BASE_URL=/ into the environment; the script reads its own.
  const { BASE_URL: _vite, ...env } = process.env;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'squall-pack-'));
    server = await startServer();
    const { stdout } = await exec('npm', ['pack', '-w', 'packages/squall', '-w', 'packages/activity', '--pack-destination', work, '--json'], { cwd: repo, env });
    tarballs = (JSON.parse(stdout) as Array<{ filename: string }>).map((p) => join(work, p.filename));
    // One pack, and both installs at once (they wait mostly on the npm cache and chdb's files, not the CPU).
    proj = join(work, 'project');
    prefix = join(work, 'global');
    await exec('mkdir', ['-p', proj]);
    writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'my-service-tests', private: true, type: 'module' }));
    await Promise.all([
      exec('npm', ['install', ...npmOpts, ...tarballs], { cwd: proj, env }),
      exec('npm', ['install', '-g', '--prefix', prefix, ...npmOpts, ...tarballs], { cwd: work, env }),
    ]);
  }, 200_000);
  afterAll(async () => {
    await server?.close();
  });

  it('packs the CLI, its types and compiled code, and no tests', () => {
    expect(tarballs.map((t) => t.slice(work.length + 1)).sort()).toEqual(['squall-0.1.0.tgz', 'squall-activity-0.1.0.tgz']);
  });

  it('installs into an empty project: the script runs, type-checks, and embedded ClickHouse works', async () => {
    writeFileSync(join(proj, 'load.ts'), SCRIPT);
    writeFileSync(join(proj, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const bin = join(proj, 'node_modules', '.bin', 'squall');

    const before = server.total();
    const run = await exec(bin, ['run', 'load.ts', '-e', `BASE_URL=${server.url}`, '--quiet', '--no-history', '--summary-export', 'summary.json'], { cwd: proj, env: { ...env, NO_COLOR: '1' } });
    expect(run.stdout).toContain('status is 200');
    expect(server.total() - before).toBe(20);
    const summary = JSON.parse(readFileSync(join(proj, 'summary.json'), 'utf8')) as { metrics: Record<string, { count?: number; values?: { count?: number } }> };
    expect(JSON.stringify(summary.metrics.http_reqs)).toContain('20');

    await exec(process.execPath, [tsc, '-p', proj], { cwd: proj });
    writeFileSync(join(proj, 'wrong.ts'), `import { http } from 'squall';\nexport default async function () { await http.get(42); }\n`);
    const bad = await exec(process.execPath, [tsc, '-p', proj], { cwd: proj }).then(
      () => '',
      (err: { stdout: string }) => err.stdout,
    );
    expect(bad).toMatch(/wrong\.ts\(2,\d+\): error TS2345/);

    const backfill = await exec(bin, ['backfill', '--store', `chdb:${join(proj, 'store')}`, '--events', '1000', '--days', '2', '--quiet'], { cwd: proj, env });
    expect(backfill.stdout + backfill.stderr).toMatch(/inserted 1,000/);
  });

  it('installs globally: the squall command runs a script and the activity target', async () => {
    const bin = join(prefix, 'bin', 'squall');
    const dir = join(work, 'anywhere');
    await exec('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'load.js'), SCRIPT);
    const before = server.total();
    await exec(bin, ['run', 'load.js', '-e', `BASE_URL=${server.url}`, '--quiet', '--no-history', '--no-summary'], { cwd: dir, env });
    expect(server.total() - before).toBe(20);
    const version = await exec(bin, ['--version'], { env });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(repo, 'packages', 'squall', 'package.json'), 'utf8')).version);

    // The embedded activity target (squall-activity, found beside squall in the global prefix).
    const target = spawn(bin, ['target', 'activity', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((ok, fail) => {
      let err = '';
      target.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(err);
        if (m) ok(m[1]!);
      });
      target.on('exit', (code) => fail(new Error(`target exited ${code}: ${err}`)));
    });
    try {
      const res = await fetch(`${url}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      target.kill('SIGTERM');
      await new Promise((r) => target.once('exit', r));
    }
  });
});
