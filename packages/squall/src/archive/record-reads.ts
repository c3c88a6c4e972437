/**
 * Records the files a script's init code reads (k6's `open()`, `SharedArray.fromFile`, or the
 * script's own `node:fs` calls), so `squall archive` can pack exactly those. It wraps the read
 * functions of `node:fs` while the script loads; syncBuiltinESMExports() makes ES-module imports
 * of `node:fs` see the wrappers too. Reads of squall's own files and packages are not recorded.
 */
import fs, { statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// squall's own code (dist/, src/) and package.json; scripts and data beside them (test/) count.
const PACKAGE_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const OWN = [join(PACKAGE_ROOT, 'dist') + sep, join(PACKAGE_ROOT, 'src') + sep, join(PACKAGE_ROOT, 'package.json')];
const CODE = /\.(?:[cm]?[jt]sx?|map)$/i;

function pathOf(p: unknown): string | undefined {
  if (typeof p === 'string') return resolve(p);
  if (p instanceof URL && p.protocol === 'file:') return fileURLToPath(p);
  if (Buffer.isBuffer(p)) return resolve(p.toString());
  return undefined;
}

function wanted(abs: string): boolean {
  if (OWN.some((o) => abs.startsWith(o)) || abs.includes(`${sep}node_modules${sep}`)) return false;
  if (abs.startsWith(resolve(tmpdir(), 'squall-bundle-')) || CODE.test(abs)) return false;
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}

type AnyFn = (...args: unknown[]) => unknown;

/** Runs `load` with reads recorded; resolves to its result and the absolute paths read (first-read order). */
export async function recordReads<T>(load: () => Promise<T>): Promise<{ result: T; paths: string[] }> {
  const seen = new Set<string>();
  const note = (p: unknown) => {
    const abs = pathOf(p);
    if (abs !== undefined && !seen.has(abs) && wanted(abs)) seen.add(abs);
  };
  const targets: [Record<string, unknown>, string][] = [
    [fs as unknown as Record<string, unknown>, 'readFileSync'],
    [fs as unknown as Record<string, unknown>, 'openSync'],
    [fs as unknown as Record<string, unknown>, 'readFile'],
    [fs as unknown as Record<string, unknown>, 'createReadStream'],
    [fs.promises as unknown as Record<string, unknown>, 'readFile'],
    [fs.promises as unknown as Record<string, unknown>, 'open'],
  ];
  const saved = targets.map(([obj, name]) => obj[name] as AnyFn);
  targets.forEach(([obj, name], i) => {
    const original = saved[i] as AnyFn;
    obj[name] = function (this: unknown, ...args: unknown[]) {
      note(args[0]);
      return original.apply(this, args);
    };
  });
  syncBuiltinESMExports();
  try {
    const result = await load();
    return { result, paths: [...seen] };
  } finally {
    targets.forEach(([obj, name], i) => (obj[name] = saved[i]));
    syncBuiltinESMExports();
  }
}
