import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import { SquallError } from '../../errors.js';

/**
 * A text file written in chunks while the test runs; gzip-compressed when the name ends in `.gz`
 * (as k6 does). Write errors are remembered and reported by `close`, never thrown from `write`.
 */
export class FileSink {
  private file: WriteStream | undefined;
  private gzip: Gzip | undefined;
  private error: Error | undefined;
  readonly gzipped: boolean;

  constructor(readonly path: string) {
    this.gzipped = path.endsWith('.gz');
  }

  /** Creates the file (and its folder); fails the run with exit 104 when it cannot. */
  async open(): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true });
    } catch (err) {
      throw new SquallError('SQUALL_CONFIG_INVALID', `cannot create the folder of ${this.path}: ${(err as Error).message}`);
    }
    const file = createWriteStream(this.path);
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve());
      file.once('error', (err) => reject(new SquallError('SQUALL_CONFIG_INVALID', `cannot write ${this.path}: ${err.message}; choose a writable path`)));
    });
    file.on('error', (err) => (this.error ??= err));
    this.file = file;
    if (this.gzipped) {
      this.gzip = createGzip();
      this.gzip.on('error', (err) => (this.error ??= err));
      this.gzip.pipe(file);
    }
  }

  write(text: string): void {
    if (text === '' || this.error !== undefined) return;
    (this.gzip ?? this.file)?.write(text);
  }

  /** Flushes and closes; resolves to a warning when anything failed. */
  async close(): Promise<string | undefined> {
    const head = this.gzip ?? this.file;
    if (head === undefined) return undefined;
    const file = this.file as WriteStream;
    await new Promise<void>((resolve) => {
      if (file.closed) return resolve();
      file.once('close', () => resolve());
      head.end();
    });
    this.file = undefined;
    this.gzip = undefined;
    return this.error === undefined ? undefined : `${this.path}: ${this.error.message}`;
  }
}
