import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';

// Every `squall ...` command line in README.md and docs/*.md names a command and flags that
// exist: a renamed or removed flag fails here (checked against each command's --help). Below,
// the code-block lines are also run; inline prose mentions are fragments and only checked.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
const SUBCOMMANDS: Record<string, readonly string[]> = { baseline: ['update', 'show', 'list'], history: ['add', 'list', 'changes'], target: ['activity'] };

interface DocLine {
  readonly where: string;
  readonly words: string[];
}

function commandLines(): DocLine[] {
  const out: DocLine[] = [];
  for (const file of files) {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    let inCode = false;
    lines.forEach((line, i) => {
      if (/^\s*```/.test(line)) inCode = !inCode;
      const texts = inCode ? [line] : [...line.matchAll(/`((?:npx )?squall [^`]+)`/g)].map((m) => m[1] as string);
      for (const t of texts) {
        const m = /(?:^|\s|&&\s*|\$\s*)(?:npx )?squall ([a-z][a-z0-9-]*(?: [^#|&;]*)?)/.exec(t);
        if (m === null) continue;
        out.push({ where: `${file}:${i + 1}`, words: (m[1] as string).trim().split(/\s+/) });
      }
    });
  }
  return out;
}

async function help(path: readonly string[]): Promise<string> {
  let text = '';
  const sink = new Writable({ write: (c, _e, cb) => ((text += c.toString()), cb()) });
  await main(['node', 'squall', ...path, '--help'], { stdout: sink, stderr: sink, env: {}, cwd: root });
  return text;
}

describe('command lines in README.md and docs/*.md', () => {
  const lines = commandLines();

  it('finds the documented command lines', () => {
    expect(lines.length).toBeGreaterThan(30);
  });

  it('use only commands and flags that exist', async () => {
    const top = await help([]);
    const cache = new Map<string, string>();
    const problems: string[] = [];
    for (const l of lines) {
      const [cmd, sub] = l.words;
      if (cmd === undefined) continue;
      if (!new RegExp(`^  ${cmd}\\b`, 'm').test(top)) {
        problems.push(`${l.where}: no command "squall ${cmd}"`);
        continue;
      }
      const path = SUBCOMMANDS[cmd]?.includes(sub ?? '') ? [cmd, sub as string] : [cmd];
      const key = path.join(' ');
      if (!cache.has(key)) cache.set(key, await help(path));
      const text = cache.get(key) as string;
      for (const w of l.words.slice(path.length)) {
        const flag = /^(--?[a-zA-Z][\w-]*)(?:=.*)?$/.exec(w)?.[1];
        if (flag === undefined || flag === '--help') continue;
        const plain = flag.replace(/^--no-/, '--');
        if (!new RegExp(`(^|[\\s,])(${flag}|${plain}|--no-${plain.slice(2)})\\b`, 'm').test(text)) problems.push(`${l.where}: squall ${key} has no flag ${flag}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

// Code-block command lines are also RUN, cheaply, against a local server: `squall` is the built CLI,
// the doc's base URL becomes the server's, run durations become 1s, big counts become 1000.
// Every code-block line is either in RUN or in SKIPPED (with the reason); a new line must be placed.
const RUN: readonly RegExp[] = [
  /^npx squall run examples\/quickstart\.ts$/,
  /^npx squall generate audit --count 1000 > events\.ndjson/,
  /^npx squall dashboards --out dashboards/,
  /^squall generate (audit --count|orders -n|components -n)/,
  /^squall run examples\/quickstart\.ts -e BASE_URL=\S+ --vus 2 --duration 5s --out json=samples\.json/,
  /^squall inspect examples\/quickstart\.ts/,
  /^squall archive examples\/quickstart\.ts -O quickstart\.tar/,
  /^squall run quickstart\.tar --duration 1s/,
];
const SKIPPED: readonly [RegExp, string][] = [
  [/[A-Z]{3,}(\.\.\.)?(\s|$)|\[--|\bA B\b|\bNAME\b/, 'a synopsis with placeholders (RESULTS, KIND, [--flag]); its flags are checked against --help above'],
  [/squall (target activity|max-rate)|query-api\.ts|prom-ingest\.ts/, 'needs the Activity target running for minutes (covered by activity/max-rate/observe tests)'],
  [/squall backfill/, 'writes 1-10 million events (minutes); backfill tests run small counts'],
  [/squall k8s|kubectl/, 'Kubernetes: manifests are tested in k8s-manifests.test.ts; no cluster here'],
  [/experimental-prometheus-rw|--out prometheus/, 'needs a Prometheus server / a scrape during the run (prometheus-outputs.test.ts)'],
  [/--instance \$i|squall merge results\/part|test\.ts --execution-segment|merge a b/, 'a multi-process sequence over a shell loop or a placeholder script (segments.test.ts runs it)'],
  [/squall compare|squall report|squall run \/path\/to/, 'names results dirs or paths of the reader (compare/reports tests run these on real runs)'],
  [/squall suite/, 'an error message example or a suite of the reader (suite tests)'],
];

function codeBlockLines(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  for (const file of files) {
    let inCode = false;
    readFileSync(join(root, file), 'utf8').split('\n').forEach((line, i) => {
      if (/^\s*```/.test(line)) return void (inCode = !inCode);
      if (!inCode) return;
      const m = /^\s*(?:\S+=\S+\s+)?((?:npx )?squall [a-z].*?)\s*(?:&\s*)?(?:#.*)?$/.exec(line.replace(/^.*?&&\s*(?=(npx )?squall )/, ''));
      if (m !== null && !/^\s*[a-z]+:\s/.test(line)) out.push({ where: `${file}:${i + 1}`, text: (m[1] as string).replace(/\s*\\$/, '') });
    });
  }
  return out;
}

function cheap(text: string, baseUrl: string, n: number): string {
  let t = text.replace(/^npx /, '').replace(/http:\/\/127\.0\.0\.1:8080/g, baseUrl);
  t = t.replace(/--count \d+/, '--count 1000').replace(/(-n|--count) \d{5,}/, '$1 1000').replace(/--duration \S+/, '--duration 1s');
  if (/^squall (run|archive) /.test(t)) {
    if (!t.includes('BASE_URL=')) t += ` -e BASE_URL=${baseUrl}`;
    if (!t.includes('--duration')) t += ' --duration 1s';
    if (t.startsWith('squall run ')) t += ` --no-history --quiet --results-dir results/${n}`; // one dir each: runs go two at a time
  }
  return t;
}

describe('code-block command lines in README.md and docs/*.md run', () => {
  const lines = codeBlockLines();

  it('every code-block command line is run or listed as skipped with its reason', () => {
    const unplaced = lines.filter((l) => !RUN.some((r) => r.test(l.text)) && !SKIPPED.some(([r]) => r.test(l.text)));
    expect(unplaced.map((l) => `${l.where}: ${l.text}`)).toEqual([]);
    expect(lines.filter((l) => RUN.some((r) => r.test(l.text))).length).toBeGreaterThanOrEqual(9);
  });

  it('the runnable ones succeed against a local server (cheap variants)', async () => {
    const { startServer } = await import('./helpers/server.js');
    const { squallBin } = await import('./helpers/cli.js');
    const { execFile } = await import('node:child_process');
    const { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, chmodSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const server = await startServer((_req, res) => void res.end('hello\n'));
    const cwd = mkdtempSync(join(tmpdir(), 'squall-docs-'));
    symlinkSync(join(root, 'examples'), join(cwd, 'examples'));
    mkdirSync(join(cwd, '.bin'));
    writeFileSync(join(cwd, '.bin', 'squall'), `#!/bin/sh\nexec "${process.execPath}" "${squallBin}" "$@"\n`);
    chmodSync(join(cwd, '.bin', 'squall'), 0o755);
    const { BASE_URL: _vite, ...env } = process.env;
    const sh = (cmd: string) =>
      new Promise<{ code: number; out: string }>((done) => {
        execFile('/bin/sh', ['-c', cmd], { cwd, env: { ...env, NO_COLOR: '1', PATH: `${join(cwd, '.bin')}:${process.env.PATH ?? ''}` }, timeout: 60_000 }, (err, stdout, stderr) =>
          done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}\n${stderr}`.slice(-2000) }),
        );
      });
    try {
      const run = lines.filter((l) => RUN.some((r) => r.test(l.text))).map((l, n) => ({ ...l, cmd: cheap(l.text, server.url, n) }));
      // The archive is written first (a later line runs it); then the rest, two at a time (2 cores).
      const failures: string[] = [];
      const first = run.filter((l) => l.cmd.startsWith('squall archive'));
      const rest = run.filter((l) => !first.includes(l));
      for (const batch of [first, ...Array.from({ length: Math.ceil(rest.length / 2) }, (_, i) => rest.slice(i * 2, i * 2 + 2))]) {
        const results = await Promise.all(batch.map((l) => sh(l.cmd)));
        batch.forEach((l, j) => {
          const r = results[j]!;
          if (r.code !== 0) failures.push(`${l.where}: ${l.cmd} -> exit ${r.code}\n${r.out}`);
        });
      }
      expect(failures).toEqual([]);
    } finally {
      await server.close();
    }
  }, 120_000);
});
