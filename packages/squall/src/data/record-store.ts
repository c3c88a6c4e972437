/**
 * Records kept as UTF-8 JSON text in one SharedArrayBuffer, with a second one holding where each
 * record starts. Worker threads receive the same memory (structured clone shares a
 * SharedArrayBuffer), so N workers and thousands of VUs read one copy; a record becomes a
 * JavaScript object only when read, and that object is the reader's own.
 */
export interface RecordStoreData {
  readonly version: 1;
  /** Record i is bytes [offsets[i], offsets[i+1]). */
  readonly bytes: SharedArrayBuffer;
  /** Float64 offsets, length count + 1. */
  readonly offsets: SharedArrayBuffer;
  /** CSV: column names; each record is then a JSON array of the row's values. */
  readonly header?: readonly string[] | undefined;
}

/** Reads records out of RecordStoreData. */
export class RecordStore {
  readonly count: number;
  readonly #buf: Buffer;
  readonly #offsets: Float64Array;
  readonly #header: readonly string[] | undefined;

  constructor(readonly data: RecordStoreData) {
    this.#buf = Buffer.from(data.bytes);
    this.#offsets = new Float64Array(data.offsets);
    this.count = this.#offsets.length - 1;
    this.#header = data.header;
  }

  /** Decodes record `i` (0 <= i < count) into a fresh object. */
  get(i: number): unknown {
    const value: unknown = JSON.parse(this.#buf.toString('utf8', this.#offsets[i] as number, this.#offsets[i + 1] as number));
    const header = this.#header;
    if (header === undefined) return value;
    const row = value as unknown[];
    const out: Record<string, unknown> = {};
    for (let c = 0; c < header.length; c++) out[header[c] as string] = row[c] ?? '';
    return out;
  }

  /** Bytes of shared memory the store holds. */
  get sharedBytes(): number {
    return this.data.bytes.byteLength + this.data.offsets.byteLength;
  }
}

/** Appends JSON texts and freezes them into RecordStoreData (one final copy into shared memory). */
export class RecordStoreBuilder {
  #buf = Buffer.allocUnsafe(1 << 16);
  #used = 0;
  #offsets: number[] = [0];

  /** Adds one record's JSON text. */
  add(json: string): void {
    const need = Buffer.byteLength(json);
    if (this.#used + need > this.#buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#used + need));
      this.#buf.copy(grown, 0, 0, this.#used);
      this.#buf = grown;
    }
    this.#used += this.#buf.write(json, this.#used);
    this.#offsets.push(this.#used);
  }

  /** The shared form. */
  build(header?: readonly string[]): RecordStoreData {
    const bytes = new SharedArrayBuffer(this.#used);
    this.#buf.copy(Buffer.from(bytes), 0, 0, this.#used);
    return { version: 1, bytes, offsets: sharedOffsets(this.#offsets), header };
  }
}

/** Offsets as a Float64 SharedArrayBuffer. */
export function sharedOffsets(offsets: readonly number[] | Float64Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(offsets.length * 8);
  new Float64Array(sab).set(offsets);
  return sab;
}
