import { lstat, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `data` to `path` via a temporary file and a rename, so readers never see half a file.
 * A path that names something other than a plain regular file (`/dev/stdout`, any symlink, a FIFO)
 * is written in place: renaming over it would replace the link or device itself.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const existing = await lstat(path).catch(() => undefined);
  if (existing !== undefined && !existing.isFile()) {
    await writeFile(path, data);
    return;
  }
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
