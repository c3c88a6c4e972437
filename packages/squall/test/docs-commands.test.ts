import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';

// Every `squall ...` command line in README.md and docs/*.md names a command and flags that
// exist: a renamed or removed flag fails here. (This checks the lines against each command's
// --help; it does not run them.)
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
