/**
 * A results dir on a filesystem that fills up while the results are written (issue 17, item 9):
 * a real tmpfs of a few pages, mounted for the test, with all but one page taken by a filler file.
 * The check before the test passes (the dir can be created and written), the big files written at
 * the end do not fit. squall must say which file and why, leave no `*.tmp-*` behind and keep the
 * test's own exit code. Mounting needs root (CI and this machine run tests as root); elsewhere the
 * test is skipped and says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from './helpers/cli.js';

const FS_BYTES = 256 * 1024;
const mnt = join(tmpDir(), 'tiny');
let mounted = false;

beforeAll(() => {
  mkdirSync(mnt, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${FS_BYTES}`, 'tmpfs', mnt], { encoding: 'utf8' });
  mounted = r.status === 0;
  if (!mounted) console.warn(`outputs-full-disk: skipped, cannot mount a tmpfs here (${(r.stderr || r.error?.message || '').trim()})`);
});

afterAll(() => {
  if (mounted) spawnSync('umount', ['-l', mnt]);
});

/** Leaves `freeBytes` of the tmpfs free (tmpfs counts whole 4 KiB pages). */
function fillAllBut(freeBytes: number): void {
  writeFileSync(join(mnt, 'filler'), Buffer.alloc(FS_BYTES - freeBytes));
}

function leftovers(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (/\.tmp-/.test(e.name)) out.push(e.name);
  return out;
}

describe('a results dir whose filesystem fills up at the end of the test', () => {
  it.each([
    ['passing', 'count>=1', 0],
    ['failing', 'count>50', 99],
  ])('names the file, removes the temp file and keeps the exit code (%s thresholds)', async (_what, threshold, code) => {
    if (!mounted) return;
    const dir = tmpDir();
    const scriptPath = join(dir, 's.ts');
    // Enough metrics and tags that summary.json and timeseries.jsonl are each well over one page.
    writeFileSync(scriptPath, [
      "import { Counter, Trend } from 'squall';",
      `export const options = { iterations: 20, thresholds: { iterations: ['${threshold}'] } };`,
      "const c = new Counter('padding_counter');",
      "const t = new Trend('padding_trend');",
      'export default function () {',
      "  for (let i = 0; i < 40; i++) { c.add(1, { shard: `s${i}` }); t.add(i, { shard: `s${i}` }); }",
      '}',
      '',
    ].join('\n'));
    const results = join(mnt, `res-${code}`);
    fillAllBut(8 * 1024);
    try {
      const r = await runCli(['run', scriptPath, '--results-dir', results, '--no-history'], { cwd: dir });
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toMatch(/ENOSPC/);
      expect(r.stderr).toMatch(new RegExp(`${results.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(summary\\.json|timeseries\\.jsonl|meta\\.json)`));
      expect(r.stderr).not.toMatch(/\.tmp-/);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(leftovers(mnt)).toEqual([]);
    } finally {
      spawnSync('rm', ['-rf', join(mnt, 'filler'), results]);
    }
  });
});
