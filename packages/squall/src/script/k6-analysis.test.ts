import { describe, expect, it } from 'vitest';
import { analyzeModule, type ModuleFacts } from './k6-analysis.js';
import { transformK6Module } from './k6-transform.js';

const HEAD = "import http from 'k6/http';\nimport { sleep, group, check } from 'k6';\n";

function transformed(body: string, facts: Record<string, ModuleFacts> = {}): string {
  const code = HEAD + body;
  const a = analyzeModule(code, (s) => facts[s]);
  expect(a.problems).toEqual([]);
  return transformK6Module(code, '/x/script.js', a, undefined).code.replace(/\n\/\/# sourceMappingURL=.*\n$/, '').slice(HEAD.length);
}

describe('k6 sync-to-async transform', () => {
  it.each([
    ['direct calls', 'export default function () { const r = http.get(u); sleep(1); }', 'export default async function () { const r = (await http.get(u)); (await sleep(1)); }'],
    ['transitive helpers', 'function a() { return http.get(u); }\nconst b = () => a().status;\nexport default function () { b(); }', 'async function a() { return (await http.get(u)); }\nconst b = async () => (await a()).status;\nexport default async function () { (await b()); }'],
    ['non-blocking helpers stay sync', 'const cmp = (x, y) => x - y;\nexport default function () { [2, 1].sort(cmp); check(1, { ok: (v) => v === 1 }); }', 'const cmp = (x, y) => x - y;\nexport default function () { [2, 1].sort(cmp); check(1, { ok: (v) => v === 1 }); }'],
    ['group callbacks', "export default function () { group('g', () => { http.get(u); }); }", "export default async function () { (await group('g', async () => { (await http.get(u)); })); }"],
    ['forEach with a blocking callback', 'export default function () { xs.forEach((x) => http.get(x)); }', "export default async function () { (await __squallK6.each(\"forEach\", xs, async (x) => (await http.get(x)))); }"],
    ['for...of', 'export default function () { for (const x of xs) http.get(x); }', 'export default async function () { for (const x of xs) (await http.get(x)); }'],
    ['object methods', 'const api = { home() { return http.get(u); } };\nexport default function () { api.home(); }', 'const api = { async home() { return (await http.get(u)); } };\nexport default async function () { (await api.home()); }'],
    ['callback parameters', 'function retry(fn) { return fn(); }\nexport default function () { retry(() => http.get(u)); }', 'async function retry(fn) { return (await fn()); }\nexport default async function () { (await retry(async () => (await http.get(u)))); }'],
    ['blocking imports', "import { login } from './lib.js';\nexport default function () { login(); }", "import { login } from './lib.js';\nexport default async function () { (await login()); }"],
    ['user async functions are left to the user', 'export default async function () { const r = http.get(u); await other(); }', 'export default async function () { const r = (await http.get(u)); await other(); }'],
    ['open resolves against the file', "const data = open('./d.json');", 'const data = __squallK6.open("/x")(\'./d.json\');'],
  ])('%s', (_name, input, output) => {
    expect(transformed(input, { './lib.js': { blockingExports: new Set(['login']) } })).toBe(output);
  });

  it('exports that block are facts for importers', () => {
    const a = analyzeModule(`${HEAD}export function login() { http.post(u); }\nexport const pure = () => 1;\nexport default function () { login(); }`, () => undefined);
    expect([...a.facts.blockingExports].sort()).toEqual(['default', 'login']);
  });
});
