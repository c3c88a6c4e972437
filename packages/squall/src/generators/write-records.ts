import { SquallError } from '../errors.js';
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

/**
 * Writes `count` records of a generator as JSON Lines to a sink, in constant memory. Yields to
 * the event loop between chunks so signals are seen; on abort or error the sink's partial output
 * is dropped (a file sink leaves no file behind).
 */
export async function writeRecords(input: WriteRecordsInput): Promise<WriteRecordsResult> {
  const { sink, count } = input;
  const source = openStream(input.config, { seed: input.seed, stream: input.stream, salt: 0, count });
  const line = source.nextLine?.bind(source) ?? (() => JSON.stringify(source.next()));
  let written = 0;
  let bytes = 0;
  // Lines are encoded straight into one reused buffer: building a chunk string first would make
  // V8 flatten and encode every line twice (measured: the single largest cost of writing).
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let carry: string | undefined;
  try {
    while (written < count && !sink.closed) {
      let used = 0;
      while (written < count) {
        const text = carry ?? line();
        carry = undefined;
        if (used + text.length * 3 + 1 > CHUNK_BYTES) {
          if (used > 0) {
            carry = text;
            break;
          }
          // A line bigger than the buffer (huge padded objects) goes out on its own.
          const big = Buffer.from(`${text}\n`);
          bytes += big.length;
          written++;
          const pendingBig = sink.write(big);
          if (pendingBig !== undefined) await pendingBig;
          continue;
        }
        used += buf.write(text, used);
        buf[used++] = 10;
        written++;
      }
      bytes += used;
      const pending = used > 0 ? sink.write(buf.subarray(0, used)) : undefined;
      if (pending !== undefined) await pending;
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
