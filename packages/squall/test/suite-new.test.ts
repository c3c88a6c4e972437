import { spawnSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { squallBin, tmpDir } from './helpers/cli.js';

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
    const r = spawnSync(process.execPath, [squallBin, 'new', type, '--ts'], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(dir, `${type}.ts`), 'utf8');
    expect(text).toMatch(expected[type]!);
    expect(text).toMatch(/^\/\/ \w+/);
  }
  const results = await Promise.all(Object.keys(expected).map((t) => run(dir, ['run', `${t}.ts`, '--vus', '1', '--iterations', '1', '-e', `BASE_URL=${base}`])));
  for (const r of results) expect(r.code, r.err).toBe(0);
  expect(spawnSync(process.execPath, [squallBin, 'new', 'smoke', '--ts'], { cwd: dir }).status).toBe(104);
  const bad = spawnSync(process.execPath, [squallBin, 'new', 'chaos'], { cwd: dir, encoding: 'utf8' });
  expect(bad.status).toBe(104);
  expect(bad.stderr).toContain('one of: smoke, load, stress, spike, soak, breakpoint');
});
