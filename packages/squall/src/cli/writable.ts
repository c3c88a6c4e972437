import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ConfigProblem } from '../errors.js';

const STANDARD = new Set(['/dev/stdout', '/dev/stderr', '/dev/fd/1', '/dev/fd/2', '/proc/self/fd/1', '/proc/self/fd/2']);

/**
 * Records a problem (104 before the run) when `path` cannot be written: its nearest existing
 * ancestor must be a writable directory, and the path itself, when it exists, writable
 * (`asDir`: a directory). A full disk is only seen when writing.
 */
export function checkWritable(path: string, flag: string, asDir: boolean, problems: ConfigProblem[]): void {
  if (STANDARD.has(path)) return;
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st !== undefined) {
      if (asDir && !st.isDirectory()) throw Object.assign(new Error('exists and is not a directory'), { code: 'ENOTDIR' });
      accessSync(path, constants.W_OK);
      return;
    }
    let at = dirname(path);
    for (;;) {
      const up = statSync(at, { throwIfNoEntry: false });
      if (up !== undefined) {
        if (!up.isDirectory()) throw Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR' });
        accessSync(at, constants.W_OK);
        return;
      }
      at = dirname(at);
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    problems.push({ path: flag, message: `cannot write ${path}: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ') + '; choose a writable path' });
  }
}

/** Runs a write after the test; a failure is reported (which file, why) without changing the exit code. Returns whether it worked. */
export async function writeAfterRun(what: string, write: () => Promise<void>, stderr: { write(s: string): unknown }): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    stderr.write(`squall: could not write ${what}: ${e.message}\n`);
    return false;
  }
}
