/**
 * A growable byte buffer that generators write JSON lines into: `buf` from 0 to `length` holds
 * the bytes written. Sources that serialize to bytes themselves copy pre-encoded fragments in
 * with `buf.set` after one `reserve` per line; V8 then builds no string per line, and so neither
 * flattens nor encodes one (measured: about half the cost of writing an audit event).
 * Lifecycle: write lines, hand `bytes()` to a consumer, `reset()` once it is done with them.
 */
export class LineBuffer {
  /** The bytes; replaced by a larger buffer when `reserve` grows it, so re-read it after that. */
  buf: Buffer;
  /** Bytes written. */
  length = 0;

  constructor(initialBytes: number) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Makes room for `n` more bytes, growing (and copying into) a larger buffer if needed; returns `buf`. */
  reserve(n: number): Buffer {
    if (this.length + n > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    return this.buf;
  }

  /** Appends `text` as UTF-8. */
  string(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const buf = this.reserve(text.length * 3);
    this.length += buf.write(text, this.length);
  }

  /** Appends one byte (e.g. 10, the newline). */
  byte(value: number): void {
    this.reserve(1)[this.length++] = value;
  }

  /** The bytes written (a view on `buf`, valid until the next reset or write). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  /** Drops what was written; keeps the buffer. */
  reset(): void {
    this.length = 0;
  }

  /** The bytes written, as a string (UTF-8). */
  text(): string {
    return this.buf.toString('utf8', 0, this.length);
  }
}
