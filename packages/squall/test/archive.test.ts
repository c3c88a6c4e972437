import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { create, list } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

// A k6 script that open()s a CSV beside it and a JSON file one folder up, and a native script
// with SharedArray.fromFile: the archive must carry all of them to a machine without the originals.
const K6_SCRIPT = `import http from 'k6/http';
import { check } from 'k6';
const users = open('./data/users.csv').split('\\n').slice(1).filter(Boolean);
const cfg = JSON.parse(open('../shared/cfg.json'));
export const options = { vus: 1, iterations: 6, thresholds: { checks: ['rate==1'] } };
export default function () {
  const u = users[__ITER % users.length];
  const res = http.get(\`\${__ENV.BASE}/\${cfg.prefix}/\${u}\`);
  check(res, { ok: (r) => r.status === 200 });
}
`;

describe('squall archive and squall run FILE.tar', () => {
  let server: TestServer;
  const seen: string[] = [];
  let work: string;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      seen.push(req.url ?? '');
      res.end('ok');
    });
    work = tmpDir();
    mkdirSync(join(work, 'proj', 'test', 'data'), { recursive: true });
    mkdirSync(join(work, 'proj', 'shared'), { recursive: true });
    writeFileSync(join(work, 'proj', 'test', 'load.js'), K6_SCRIPT);
    writeFileSync(join(work, 'proj', 'test', 'data', 'users.csv'), 'name\nada\nbob\ncy\n');
    writeFileSync(join(work, 'proj', 'shared', 'cfg.json'), '{"prefix":"users"}');
  });
  afterAll(() => server.close());

  it('runs from the archive elsewhere, originals deleted, sending the same requests as the script', async () => {
    const direct = await runCli(['run', 'test/load.js', '-e', `BASE=${server.url}`, '--no-results', '--quiet'], { cwd: join(work, 'proj') });
    expect(direct.code, direct.stderr).toBe(0);
    const directSeen = seen.splice(0);
    expect(directSeen.sort()).toEqual(['/users/ada', '/users/ada', '/users/bob', '/users/bob', '/users/cy', '/users/cy']);

    const a = await runCli(['archive', 'test/load.js', '-O', join(work, 'load.tar'), '-e', `BASE=${server.url}`, '-e', 'API_TOKEN=s3cret-value'], { cwd: join(work, 'proj') });
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toContain('API_TOKEN looks like a secret and is not stored');
    const names: string[] = [];
    await list({ file: join(work, 'load.tar'), onReadEntry: (e) => void names.push(e.path) });
    expect(names).toEqual(expect.arrayContaining(['manifest.json', 'files/test/load.js', 'files/test/data/users.csv', 'files/shared/cfg.json']));
    expect(readFileSync(join(work, 'load.tar')).includes('s3cret-value')).toBe(false);

    rmSync(join(work, 'proj'), { recursive: true });
    const elsewhere = tmpDir();
    const run = await runCli(['run', join(work, 'load.tar'), '--no-results', '--quiet', '--summary-export', 's.json'], { cwd: elsewhere });
    expect(run.code, run.stderr).toBe(0);
    expect(seen.splice(0).sort()).toEqual(directSeen.sort());
    const summary = JSON.parse(readFileSync(join(elsewhere, 's.json'), 'utf8'));
    expect(summary.metrics.checks.values.passes).toBe(6);

    // This run's flags win over the archived options.
    const more = await runCli(['run', join(work, 'load.tar'), '--iterations', '2', '--no-results', '--quiet'], { cwd: elsewhere });
    expect(more.code, more.stderr).toBe(0);
    expect(seen.splice(0)).toHaveLength(2);
  });

  it('stores the archived options, squall version and original names in manifest.json', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'native.ts'), `import { http } from 'squall';\nimport { SharedArray } from 'squall/generators';\nconst rows = SharedArray.fromFile<{ p: string }>('rows.jsonl');\nexport default async function () { await http.get(__ENV.BASE + '/' + rows.at(0)!.p); }\n`);
    writeFileSync(join(dir, 'rows.jsonl'), '{"p":"native"}\n');
    const a = await runCli(['archive', 'native.ts', '--vus', '2', '--iterations', '4', '-e', `BASE=${server.url}`], { cwd: dir });
    expect(a.code, a.stderr).toBe(0);
    const out = join(dir, 'x');
    mkdirSync(out);
    const { extract } = await import('tar');
    await extract({ file: join(dir, 'archive.tar'), cwd: out });
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ format: 1, script: { original: join(dir, 'native.ts'), entry: 'files/native.js' }, options: { overrides: { vus: 2, iterations: 4 } }, env: { BASE: server.url } });
    expect(m.squallVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(m.files).toEqual([{ path: 'files/rows.jsonl', original: join(dir, 'rows.jsonl'), bytes: 15 }]);
    rmSync(join(dir, 'rows.jsonl'));
    const run = await runCli(['run', 'archive.tar', '--no-results', '--quiet'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(seen.splice(0)).toEqual(['/native', '/native', '/native', '/native']);
  });

  it('a bad archive is exit 104 with what is wrong: not a tar, no manifest, a newer format', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'text.tar'), 'just text\n'.repeat(100));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'other.txt'), 'x');
    await create({ file: join(dir, 'nomanifest.tar'), cwd: join(dir, 'src') }, ['other.txt']);
    writeFileSync(join(dir, 'src', 'manifest.json'), JSON.stringify({ format: 99, squallVersion: '9.0.0' }));
    await create({ file: join(dir, 'newer.tar'), cwd: join(dir, 'src') }, ['manifest.json']);
    const cases: [string, RegExp][] = [
      ['text.tar', /text\.tar: is not a tar archive; write one with `squall archive SCRIPT -O FILE\.tar`/],
      ['nomanifest.tar', /nomanifest\.tar: has no manifest\.json: it was not written by `squall archive`/],
      ['newer.tar', /newer\.tar: archive format 99 is newer than this squall reads \(1; written by squall 9\.0\.0\); upgrade squall/],
      ['missing.tar', /missing\.tar: cannot read the archive \(ENOENT\)/],
    ];
    const runs = await Promise.all(cases.map(([file]) => runCli(['run', file, '--no-results', '--quiet'], { cwd: dir })));
    for (const [i, [file, want]] of cases.entries()) {
      const r = runs[i]!;
      expect(r.code, `${file}: ${r.stderr}`).toBe(104);
      expect(r.stderr).toMatch(want);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
