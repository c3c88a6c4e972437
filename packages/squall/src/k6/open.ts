import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// One read per file and mode per thread: every VU's init code opens the same files.
const cache = new Map<string, string | Buffer>();

/**
 * k6's `open(path[, 'b'])`: the file's text, or its bytes as an ArrayBuffer with 'b'. Relative
 * paths resolve against the directory of the script file that calls it.
 */
export function openFile(dir: string, path: string, mode?: string): string | ArrayBuffer {
  if (typeof path !== 'string' || path === '') throw new TypeError('open() needs a file path');
  if (mode !== undefined && mode !== 'b' && mode !== 'r' && mode !== '') {
    throw new TypeError(`open(${JSON.stringify(path)}, ${JSON.stringify(mode)}): the mode must be 'b' (binary) or left out (text)`);
  }
  const full = resolve(dir, path.startsWith('file://') ? new URL(path).pathname : path);
  const binary = mode === 'b';
  const key = `${binary ? 'b' : 't'}:${full}`;
  let content = cache.get(key);
  if (content === undefined) {
    try {
      content = binary ? readFileSync(full) : readFileSync(full, 'utf8');
    } catch (err) {
      throw new Error(`open(${JSON.stringify(path)}): cannot read ${full} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); relative paths resolve against the script's directory`);
    }
    cache.set(key, content);
  }
  if (typeof content === 'string') return content;
  return content.buffer.slice(content.byteOffset, content.byteOffset + content.byteLength) as ArrayBuffer;
}
