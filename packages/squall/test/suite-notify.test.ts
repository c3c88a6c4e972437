import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { notifyAll, substitute } from '../src/suite/index.js';
import type { SuiteOutcome } from '../src/suite/runner.js';
import { squallBin, tmpDir } from './helpers/cli.js';

let server: Server;
let base = '';
const got: { url: string; body: string; type: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method === 'POST') got.push({ url: req.url ?? '', body, type: req.headers['content-type'] });
      res.end(req.url === '/slack' ? 'ok' : '{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('Slack, the JSON webhook and the GitHub job summary each get the suite outcome', async () => {
  const dir = tmpDir();
  writeFileSync(join(dir, 't.ts'), `import { http } from 'squall';\nexport const options = { iterations: 2, thresholds: { http_req_failed: ['rate<0.5'] } };\nexport default async function () { await http.get(__ENV.BASE_URL + '/x'); }\n`);
  writeFileSync(
    join(dir, 'squall.suite.yaml'),
    `name: n\nenvironments:\n  ci: { baseUrl: "${base}" }\ntests:\n  - name: one\n    script: t.ts\n    slo:\n      - { metric: http_req_failed, stat: rate, target: 0.5 }\nnotify:\n  slack: \${SLACK_URL}\n  webhook: "\${BASE_URL}/hook"\n  githubSummary: true\n`,
  );
  const summaryFile = join(dir, 'step-summary.md');
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [squallBin, 'suite', '--env', 'ci', '--archive', 'a'], { cwd: dir, stdio: 'ignore', env: { ...process.env, SLACK_URL: `${base}/slack`, GITHUB_STEP_SUMMARY: summaryFile } });
    child.on('exit', (c) => resolve(c ?? -1));
  });
  expect(code).toBe(0);
  const slack = got.find((g) => g.url === '/slack');
  expect(slack?.type).toContain('application/json');
  expect(JSON.parse(slack!.body).text).toBe('squall suite n (ci): PASS');
  const hook = JSON.parse(got.find((g) => g.url === '/hook')!.body);
  expect(hook).toMatchObject({ suite: 'n', status: 'PASS', env: 'ci', tests: [{ name: 'one', ok: true }] });
  expect(hook.tests[0].slo[0]).toMatchObject({ metric: 'http_req_failed', stat: 'rate', actual: 0, status: 'PASS' });
  const md = readFileSync(summaryFile, 'utf8');
  expect(md).toContain('# Performance test report: n');
  expect(md).toContain('Overall status: PASS');
});

it('a notify URL whose ${VAR} is not set is skipped with a warning, the others still sent', async () => {
  got.length = 0;
  const outcome: SuiteOutcome = { name: 'n', envName: 'ci', baseUrl: base, startedAt: new Date(), ready: [], data: undefined, tests: [], skipped: [], interrupted: false, smokeFailed: false };
  const suite = { name: 'n', tests: [], notify: { slack: '${NOT_SET_SLACK_URL}', webhook: `${base}/hook` } };
  const warnings = await notifyAll(suite as never, outcome, 'r1', '# md', {}, (s) => substitute(s, {}, {}));
  expect(warnings).toEqual(['notify.slack: ${NOT_SET_SLACK_URL} is not set; nothing sent']);
  expect(got.map((g) => g.url)).toEqual(['/hook']);
});
