/**
 * Prometheus remote-write 1.0 request body, protobuf-encoded by hand (the schema is four small
 * messages; a protobuf library and generated code would outweigh it):
 *
 *   message WriteRequest { repeated TimeSeries timeseries = 1; }
 *   message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   message Label        { string name = 1; string value = 2; }
 *   message Sample       { double value = 1; int64 timestamp = 2; }   // timestamp: epoch ms
 *
 * Wire types used: 0 varint (int64), 1 fixed64 (double), 2 length-delimited (strings, messages).
 * Fields are always written, zero values included (valid protobuf; decoders accept either).
 */

/** One remote-write series: labels (with `__name__`, sorted by name) and its samples. */
export interface WriteSeries {
  readonly labels: readonly (readonly [name: string, value: string])[];
  readonly samples: readonly WriteSample[];
}

/** A sample; `stale` writes Prometheus' staleness marker (a NaN with a fixed payload) instead of `value`. */
export interface WriteSample {
  readonly value: number;
  readonly timestampMs: number;
  readonly stale?: boolean;
}

/** Prometheus' StaleNaN bit pattern (value.StaleNaN): high and low 32-bit words. */
const STALE_NAN_HI = 0x7ff00000;
const STALE_NAN_LO = 0x00000002;

const encoder = new TextEncoder();

/** A growable byte buffer with the protobuf primitives this schema needs. */
class ProtoWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Unsigned varint of a non-negative safe integer (no bit operators: values exceed 32 bits). */
  varint(n: number): void {
    this.ensure(10);
    let v = n;
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  /** An int64 field; negative values take the ten-byte two's-complement form protobuf specifies. */
  int64(field: number, n: number): void {
    this.varint(field << 3);
    if (n >= 0) {
      this.varint(n);
      return;
    }
    let v = BigInt.asUintN(64, BigInt(n));
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
  }

  double(field: number, value: number, stale = false): void {
    this.varint((field << 3) | 1);
    this.ensure(8);
    if (stale) {
      this.view.setUint32(this.len, STALE_NAN_LO, true);
      this.view.setUint32(this.len + 4, STALE_NAN_HI, true);
    } else {
      this.view.setFloat64(this.len, value, true);
    }
    this.len += 8;
  }

  bytes(field: number, data: Uint8Array): void {
    this.varint((field << 3) | 2);
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }

  string(field: number, text: string): void {
    this.bytes(field, encoder.encode(text));
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** The WriteRequest protobuf (uncompressed) for `series`. */
export function encodeWriteRequest(series: readonly WriteSeries[]): Uint8Array {
  const request = new ProtoWriter();
  for (const s of series) {
    const ts = new ProtoWriter();
    for (const [name, value] of s.labels) {
      const label = new ProtoWriter();
      label.string(1, name);
      label.string(2, value);
      ts.bytes(1, label.finish());
    }
    for (const sample of s.samples) {
      const sm = new ProtoWriter();
      sm.double(1, sample.value, sample.stale === true);
      sm.int64(2, sample.timestampMs);
      ts.bytes(2, sm.finish());
    }
    request.bytes(1, ts.finish());
  }
  return request.finish();
}
