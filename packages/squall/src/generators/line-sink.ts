import { createWriteStream, openSync, writeSync, closeSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { SquallError } from '../errors.js';

/**
 * Where generated lines go. `write` may return a promise: await it (backpressure). The caller
 * reuses `chunk` once write returns or resolves, so a sink that keeps bytes longer copies them.
 */
export interface LineSink {
  write(chunk: Uint8Array): Promise<void> | undefined;
  /** True once the reader went away (a closed pipe): stop producing, it is not an error. */
  readonly closed: boolean;
  /** Flushes and, for files, renames the temporary file into place. */
  finish(): Promise<void>;
  /** Drops what was written: a file sink removes its temporary file, so no half file remains. */
  abort(): Promise<void>;
}

function tempPathFor(path: string): string {
  return `${path}.tmp-${process.pid}-${Date.now().toString(36)}`;
}

function ioError(what: string, path: string, err: unknown): SquallError {
  return new SquallError('SQUALL_IO', `cannot ${what} ${path}: ${(err as Error).message}; check the directory exists and is writable`, { cause: err });
}

/**
 * A file sink, written to `PATH.tmp-*` and renamed onto PATH at the end, so readers never see
 * half a file and a failed or interrupted run leaves the old file (if any) untouched. Gzip when
 * `gzipLevel` is set (streaming node:zlib; one gzip member).
 */
export function openFileSink(path: string, gzipLevel: number | undefined): LineSink {
  const tmp = tempPathFor(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw ioError('create the directory of', path, err);
  }
  if (gzipLevel === undefined) {
    let fd: number;
    try {
      fd = openSync(tmp, 'w');
    } catch (err) {
      throw ioError('write', path, err);
    }
    let open = true;
    const close = () => {
      if (open) closeSync(fd);
      open = false;
    };
    return {
      closed: false,
      write(chunk) {
        // Synchronous writes: the generator yields to the event loop between chunks anyway.
        writeSync(fd, chunk);
        return undefined;
      },
      async finish() {
        close();
        renameSync(tmp, path);
      },
      async abort() {
        close();
        rmSync(tmp, { force: true });
      },
    };
  }
  const gzip = createGzip({ level: gzipLevel });
  const file = createWriteStream(tmp);
  const done = pipeline(gzip, file);
  let failure: unknown;
  done.catch((err: unknown) => (failure = err));
  return {
    closed: false,
    async write(chunk) {
      if (failure !== undefined) throw ioError('write', path, failure);
      if (!gzip.write(Buffer.from(chunk))) await once(gzip, 'drain');
    },
    async finish() {
      gzip.end();
      try {
        await done;
      } catch (err) {
        rmSync(tmp, { force: true });
        throw ioError('write', path, err);
      }
      renameSync(tmp, path);
    },
    async abort() {
      gzip.destroy();
      await done.catch(() => {});
      rmSync(tmp, { force: true });
    },
  };
}

/** A sink over a writable stream such as stdout; a closed pipe (EPIPE) ends generation quietly. */
export function streamSink(out: NodeJS.WritableStream): LineSink {
  const sink = {
    closed: false,
    write(chunk: Uint8Array): Promise<void> | undefined {
      if (sink.closed) return undefined;
      if (out.write(Buffer.from(chunk))) return undefined;
      return new Promise<void>((resolve) => {
        const settle = () => {
          out.off('drain', settle);
          out.off('close', settle);
          resolve();
        };
        out.on('drain', settle);
        out.on('close', settle);
      });
    },
    async finish() {
      out.off('error', onError);
    },
    async abort() {
      out.off('error', onError);
    },
  };
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') sink.closed = true;
  };
  out.on('error', onError);
  return sink;
}
