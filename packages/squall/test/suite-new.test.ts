import { spawnSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { main } from '../src/cli/main.js';
import { squallBin, tmpDir } from './helpers/cli.js';

/** `squall new ...` in this process (main() is what bin/squall.js runs); resolves to its exit code and stderr. */
async function here(cwd: string, args: string[]): Promise<{ status: number; stderr: string }> {
  let stderr = '';
  const sink = (keep: boolean) => new Writable({ write: (c: Buffer, _e, cb) => ((keep ? (stderr += c.toString()) : ''), cb()) });
  const status = await main(['node', 'squall', ...args], { stdout: sink(false), stderr: sink(true), env: process.env, cwd });
  return { status, stderr };
}

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((_q, s) => s.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const run = (cwd: string, args: string[]) =>
  new Promise<{ code: number; err: string }>((res) => {
    const c = spawn(process.execPath, [squallBin, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    c.on('exit', (code) => res({ code: code ?? -1, err }));
  });

it('squall new writes a commented script per test type that loads and runs', async () => {
  const dir = tmpDir();
  const expected: Record<string, RegExp> = { smoke: /vus: 2/, load: /target: 100/, stress: /target: 200/, spike: /target: 2000/, soak: /'8h'/, breakpoint: /ramping-arrival-rate[\s\S]*abortOnFail: true/ };
  for (const type of Object.keys(expected)) {
    const r = await here(dir, ['new', type, '--ts']);
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(dir, `${type}.ts`), 'utf8');
    expect(text).toMatch(expected[type]!);
    expect(text).toMatch(/^\/\/ \w+/);
  }
  const results = await Promise.all(Object.keys(expected).map((t) => run(dir, ['run', `${t}.ts`, '--vus', '1', '--iterations', '1', '-e', `BASE_URL=${base}`])));
  for (const r of results) expect(r.code, r.err).toBe(0);
  expect((await here(dir, ['new', 'smoke', '--ts'])).status).toBe(104);
  const bad = spawnSync(process.execPath, [squallBin, 'new', 'chaos'], { cwd: dir, encoding: 'utf8' });
  expect(bad.status).toBe(104);
  expect(bad.stderr).toContain('one of: smoke, load, stress, spike, soak, breakpoint');
});
