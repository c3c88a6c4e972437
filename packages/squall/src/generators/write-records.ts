import { SquallError } from '../errors.js';
import type { RecordSource } from './generator-def.js';
import { LineBuffer } from './line-buffer.js';
import type { LineSink } from './line-sink.js';
import { openStream, type GeneratorConfig } from './registry.js';

/** What `writeRecords` needs. */
export interface WriteRecordsInput {
  readonly config: GeneratorConfig;
  readonly seed: string;
  /** Records to write. */
  readonly count: number;
  /** Stream number: 0 by default; give parallel generators distinct numbers for disjoint ids. */
  readonly stream: number;
  readonly sink: LineSink;
  /** Aborted: stop, drop the partial output, throw SQUALL_INTERRUPTED. */
  readonly signal?: AbortSignal | undefined;
  /** Called after each chunk with records and bytes written so far. */
  readonly onProgress?: ((records: number, bytes: number) => void) | undefined;
}

/** What was written. */
export interface WriteRecordsResult {
  readonly records: number;
  /** Uncompressed bytes. */
  readonly bytes: number;
  /** True when the reader closed the pipe before the end. */
  readonly truncated: boolean;
}

/** Chunk size: large enough that write calls cost little, small enough to stay responsive. */
const CHUNK_BYTES = 1024 * 1024;
const HEADROOM_BYTES = 64 * 1024;

/** The fastest way a source offers to append its next line to a buffer. */
function lineWriter(source: RecordSource<unknown>): (out: LineBuffer) => void {
  if (source.writeLine !== undefined) return source.writeLine.bind(source);
  if (source.nextLine !== undefined) {
    const nextLine = source.nextLine.bind(source);
    return (out) => out.string(nextLine());
  }
  return (out) => out.string(JSON.stringify(source.next()));
}

/**
 * Writes `count` records of a generator as JSON Lines to a sink, in constant memory. Yields to
 * the event loop between chunks so signals are seen; on abort or error the sink's partial output
 * is dropped (a file sink leaves no file behind).
 */
export async function writeRecords(input: WriteRecordsInput): Promise<WriteRecordsResult> {
  const { sink, count } = input;
  const source = openStream(input.config, { seed: input.seed, stream: input.stream, salt: 0, count });
  const writeLine = lineWriter(source);
  let written = 0;
  let bytes = 0;
  // Lines go straight into one reused buffer: building a chunk string first would make V8
  // flatten and encode every line twice (measured: the single largest cost of writing). The
  // headroom keeps a usual line from growing the buffer when the chunk is nearly full.
  let out = new LineBuffer(CHUNK_BYTES + HEADROOM_BYTES);
  try {
    while (written < count && !sink.closed) {
      out.reset();
      while (written < count && out.length < CHUNK_BYTES) {
        writeLine(out);
        out.byte(10);
        written++;
      }
      bytes += out.length;
      const pending = sink.write(out.bytes());
      if (pending !== undefined) await pending;
      // A line bigger than a chunk (huge padded objects) grew the buffer: give the memory back.
      if (out.buf.length > 2 * (CHUNK_BYTES + HEADROOM_BYTES)) out = new LineBuffer(CHUNK_BYTES + HEADROOM_BYTES);
      input.onProgress?.(written, bytes);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (input.signal?.aborted) throw new SquallError('SQUALL_INTERRUPTED', `generation interrupted after ${written} of ${count} records; no output file was left behind`);
    }
  } catch (err) {
    await sink.abort();
    throw err;
  }
  await sink.finish();
  return { records: written, bytes, truncated: written < count };
}
