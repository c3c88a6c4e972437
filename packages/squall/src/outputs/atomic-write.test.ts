import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

describe('writeFileAtomic', () => {
  it('writes regular files through a temp file and leaves no temp behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const path = join(dir, 'sub', 'out.json');
    await writeFileAtomic(path, '{"a":1}');
    await writeFileAtomic(path, '{"a":2}');
    expect(readFileSync(path, 'utf8')).toBe('{"a":2}');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['out.json']);
  });

  it('writes through a symlink (as /dev/stdout is) without replacing the link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    writeFileSync(join(dir, 'target'), 'old');
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    await writeFileAtomic(join(dir, 'link'), 'new');
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('new');
    expect(readdirSync(dir).sort()).toEqual(['link', 'target']);
  });

  it('writes to a device such as /dev/null without replacing it', async () => {
    await writeFileAtomic('/dev/null', 'x');
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(existsSync('/dev/null')).toBe(true);
  });
});

describe('writeFileAtomic to /dev/stdout', () => {
  it('writes through the process stream when stdout is a socket (a parent Node process pipe)', async () => {
    const { spawnSync } = await import('node:child_process');
    // The built module (tests run after the build): the child runs plain Node.
    const moduleUrl = new URL('../../dist/outputs/atomic-write.js', import.meta.url).href;
    // Node's child_process pipes are socketpairs: open('/dev/stdout') fails there with ENXIO.
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const { writeFileAtomic } = await import(${JSON.stringify(moduleUrl)}); process.stdout.write('a'); await writeFileAtomic('/dev/stdout', 'b'); await writeFileAtomic('/dev/stderr', 'e'); process.stdout.write('c');`], { encoding: 'utf8' });
    expect(r.stderr).toBe('e');
    expect(r.stdout).toBe('abc');
    expect(r.status).toBe(0);
  });
});
