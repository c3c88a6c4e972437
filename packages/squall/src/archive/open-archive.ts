import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { extract } from 'tar';
import { SquallError } from '../errors.js';
import { ARCHIVE_FORMAT, manifestSchema, type ArchiveManifest } from './manifest.js';

/** An archive unpacked into a temporary directory, ready for `squall run`. */
export interface OpenedArchive {
  readonly manifest: ArchiveManifest;
  /** Absolute path of the unpacked bundled script. */
  readonly scriptPath: string;
  /** Removes the unpacked files. */
  dispose(): Promise<void>;
}

function bad(path: string, what: string, cause?: unknown): never {
  throw new SquallError('SQUALL_CONFIG_INVALID', `${path}: ${what}`, cause === undefined ? undefined : { cause });
}

/** Whether a run argument names an archive (a `.tar` file) rather than a script. */
export function isArchivePath(path: string): boolean {
  return /\.tar$/i.test(path);
}

function checkTarHeader(path: string): void {
  const head = Buffer.alloc(512);
  let n = 0;
  try {
    const fd = openSync(path, 'r');
    try {
      n = readSync(fd, head, 0, 512, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    bad(path, `cannot read the archive (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, err);
  }
  if (n < 512 || head.toString('latin1', 257, 262) !== 'ustar') bad(path, 'is not a tar archive; write one with `squall archive SCRIPT -O FILE.tar`');
}

/**
 * Unpacks an archive written by `squall archive` and checks its manifest. Not a tar, no
 * manifest, a bad manifest or a newer format: SquallError SQUALL_CONFIG_INVALID (exit 104).
 */
export async function openArchive(given: string): Promise<OpenedArchive> {
  const path = resolve(given);
  checkTarHeader(path);
  const dir = await mkdtemp(join(tmpdir(), 'squall-archive-run-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    try {
      await extract({ file: path, cwd: dir, strict: true });
    } catch (err) {
      bad(path, `cannot unpack the archive (${(err as Error).message})`, err);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      bad(path, missing ? 'has no manifest.json: it was not written by `squall archive`' : `manifest.json is not valid JSON (${(err as Error).message})`, err);
    }
    const format = (raw as { format?: unknown } | null)?.format;
    if (typeof format === 'number' && format > ARCHIVE_FORMAT) {
      const by = (raw as { squallVersion?: unknown }).squallVersion;
      bad(path, `archive format ${format} is newer than this squall reads (${ARCHIVE_FORMAT}; written by squall ${String(by)}); upgrade squall to run it`);
    }
    const parsed = manifestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      bad(path, `manifest.json: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
    }
    const manifest = parsed.data;
    const scriptPath = resolve(dir, manifest.script.entry);
    if (!scriptPath.startsWith(dir)) bad(path, `manifest.json: script.entry ${JSON.stringify(manifest.script.entry)} points outside the archive`);
    return { manifest, scriptPath, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
