/**
 * What squall cannot run of a k6 script is said before anything is sent: the module or the
 * construct, the user's file:line, what to do; exit 107. Runtime-only gaps fail at the call.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

async function run(source: string, name = 'script.js') {
  const dir = tmpDir();
  writeFileSync(join(dir, name), source);
  return runCli(['run', join(dir, name), '-e', `BASE=${server.url}`, '--quiet'], { cwd: dir, timeoutMs: 30_000 });
}

const PRELUDE = "import http from 'k6/http';\nimport { check, sleep, group } from 'k6';\n";

// [what, script body after the prelude, text the message must contain, line it must name]
const loadErrors: [string, string, string, number][] = [
  ['k6/ws', "import ws from 'k6/ws';\nexport default function () { http.get(__ENV.BASE); }\n", "the k6 module 'k6/ws' is not supported", 3],
  ['k6/browser', "import { browser } from 'k6/browser';\nexport default function () { http.get(__ENV.BASE); }\n", 'k6/browser is not supported', 3],
  ['k6/net/grpc', "import grpc from 'k6/net/grpc';\nexport default function () { http.get(__ENV.BASE); }\n", "the k6 module 'k6/net/grpc' is not supported", 3],
  ['k6/experimental/*', "import redis from 'k6/experimental/redis';\nexport default function () { http.get(__ENV.BASE); }\n", 'k6/experimental/* modules are not supported', 3],
  ['unknown jslib URL', "import { expect } from 'https://jslib.k6.io/k6chaijs/4.3.4.3/index.js';\nexport default function () { http.get(__ENV.BASE); }\n", "the remote module 'https://jslib.k6.io/k6chaijs/4.3.4.3/index.js' is not available", 3],
  ['remote URL', "import x from 'https://example.com/lib.js';\nexport default function () { http.get(__ENV.BASE); }\n", 'squall downloads nothing', 3],
  ['request in a sort comparator', "export default function () {\n  [2, 1].sort((a, b) => http.get(__ENV.BASE).status - a);\n}\n", '.sort() cannot wait for it', 4],
  ['request in a JSON.stringify replacer', "export default function () {\n  JSON.stringify({ a: 1 }, (k, v) => { sleep(1); return v; });\n}\n", 'JSON.stringify() cannot wait for it', 4],
  ['request in a check predicate', "export default function () {\n  check(null, { up: () => http.get(__ENV.BASE).status === 200 });\n}\n", 'a check predicate must be synchronous', 4],
  ['request in init code', "const warm = http.get(`${__ENV.BASE}/warm`);\nexport default function () {}\n", 'k6 does not allow that in init code', 3],
  ['request in a generator', "function* pages() { yield http.get(__ENV.BASE); }\nexport default function () { for (const p of pages()) check(p, {}); }\n", 'generator function', 3],
  ['request in a getter', "class Api { get home() { return http.get(__ENV.BASE); } }\nexport default function () { new Api().home; }\n", 'a getter cannot send requests', 3],
];

describe('k6 scripts squall cannot run', () => {
  it.concurrent.each(loadErrors)('%s: exit 107 with file:line, nothing sent', async (_what, body, text, line) => {
    const before = server.total();
    const r = await run(`${PRELUDE}${body}`);
    expect(r.code).toBe(107);
    expect(r.stderr).toContain(text);
    expect(r.stderr).toContain(`script.js:${line}:`);
    expect(r.stderr).not.toMatch(/\n\s+at .*node_modules/);
    expect(server.total()).toBe(before);
  });

  it('points at the line of a TypeScript file', async () => {
    const r = await run(`${PRELUDE}interface A { n: number }\nconst a: A = { n: 1 };\nexport default function (): void {\n  [a].sort(() => http.get(__ENV.BASE).status);\n}\n`, 'script.ts');
    expect(r.code).toBe(107);
    expect(r.stderr).toContain('script.ts:6:');
  });
});

describe('k6 APIs squall lacks fail at the call', () => {
  const runtime: [string, string, string][] = [
    ["auth: 'ntlm'", "http.get(`${__ENV.BASE}/ntlm`, { auth: 'ntlm' });", "params.auth 'ntlm' is not supported"],
    ['params.compression', "http.post(`${__ENV.BASE}/gz`, 'x', { compression: 'gzip' });", 'params.compression is not supported'],
    ['open() in VU code', "open('./data.json');", 'open() only works in init code'],
    ['a response callback function', 'http.setResponseCallback((r) => true);', 'squall cannot run arbitrary response callbacks'],
  ];
  it.concurrent.each(runtime)('%s', async (_what, call, text) => {
    const r = await run(`${PRELUDE}export const options = { iterations: 1 };\nexport default function () {\n  ${call}\n  http.get(\`\${__ENV.BASE}/after\`);\n}\n`);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(text);
    expect(r.stderr).toContain('script.js:5:');
    for (const p of ['/ntlm', '/gz', '/after']) expect(server.counts.get(p) ?? 0).toBe(0);
  });
});

describe('k6 options squall lacks are refused before anything is sent', () => {
  it("executor 'externally-controlled': 104 naming the scenario and the executors squall has", async () => {
    const before = server.total();
    const r = await run(`${PRELUDE}export const options = { scenarios: { live: { executor: 'externally-controlled', vus: 1, maxVUs: 2, duration: '1s' } } };\nexport default function () { http.get(__ENV.BASE); }\n`);
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('scenarios.live.executor');
    expect(r.stderr).toContain('constant-arrival-rate');
    expect(r.stderr).toContain('"externally-controlled"');
    expect(server.total()).toBe(before);
  });
});
