import { lstat, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Paths that name this process's own standard output or error. */
const STANDARD_STREAMS: Readonly<Record<string, 1 | 2>> = {
  '/dev/stdout': 1,
  '/dev/fd/1': 1,
  '/proc/self/fd/1': 1,
  '/dev/stderr': 2,
  '/dev/fd/2': 2,
  '/proc/self/fd/2': 2,
};

/**
 * Writes `data` to `path` via a temporary file and a rename, so readers never see half a file.
 * `/dev/stdout` and `/dev/stderr` (and their /dev/fd, /proc/self/fd spellings) go through the
 * process's own streams: opening them fails with ENXIO when they are sockets (as a parent's pipes
 * from Node's child_process are), and the stream keeps the order with other output. Any other path
 * that names something other than a plain regular file (any symlink, a device, a FIFO) is written in
 * place: renaming over it would replace the link or device itself.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const fd = STANDARD_STREAMS[path];
  if (fd !== undefined) {
    await writeToStream(fd === 1 ? process.stdout : process.stderr, data);
    return;
  }
  const existing = await lstat(path).catch(() => undefined);
  if (existing !== undefined && !existing.isFile()) {
    await writeFile(path, data);
    return;
  }
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    // No temp file is left behind; the error names the file meant, not the temp one.
    await unlink(tmp).catch(() => {});
    const e = err as NodeJS.ErrnoException;
    const text = e.message.replace(`, open '${tmp}'`, '').replace(`'${tmp}'`, '');
    const said = e.code !== undefined && text.startsWith(`${e.code}:`) ? text : `${e.code ?? 'error'}: ${text}`;
    throw Object.assign(new Error(`${path}: ${said}`), { code: e.code });
  }
}

function writeToStream(stream: NodeJS.WriteStream, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(data, (err) => (err ? reject(err) : resolve()));
  });
}
