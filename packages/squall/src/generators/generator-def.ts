import type { ConfigProblem } from '../errors.js';
import type { LineBuffer } from './line-buffer.js';
import type { OptionSpecs, OptionValues } from './option-spec.js';

/** Which stream of a generator to produce: the seed, the stream's number and what to salt it with. */
export interface StreamContext {
  readonly seed: string;
  /** 0 for the CLI and for init/setup code; `exec.vu.idInTest` (>= 1) for a VU. Ids embed it. */
  readonly stream: number;
  /** Tells apart generators of one script (the order they were created in init code). */
  readonly salt: number;
  /** Records the stream will produce when known (CLI): timestamps then come out sorted. */
  readonly count: number | undefined;
}

/** An endless deterministic sequence of records. */
export interface RecordSource<R> {
  next(): R;
  /**
   * The next record as one line of JSON, for kinds that serialize faster than JSON.stringify.
   * Must equal `JSON.stringify(next())` for the same stream position (tests hold kinds to it).
   */
  nextLine?(): string;
  /**
   * Appends the next record's line (no newline) to `out` as UTF-8 bytes, for kinds that write
   * bytes faster than they build a string. Must write the bytes of `JSON.stringify(next())`.
   */
  writeLine?(out: LineBuffer): void;
}

/** One generator kind: its option table, how to check them together, and how to make a stream. */
export interface GeneratorDef<K extends string, S extends OptionSpecs, R> {
  readonly kind: K;
  /** One line for `--list`. */
  readonly summary: string;
  /** Which team's plan the kind serves (seed document). */
  readonly seedDoc: string;
  readonly options: S;
  /** Rules across options (e.g. from < to); `nameOf` turns a key into the user's spelling. */
  check?(options: OptionValues<S>, problems: ConfigProblem[], nameOf: (key: string) => string): void;
  create(options: OptionValues<S>, ctx: StreamContext): RecordSource<R>;
}
