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
