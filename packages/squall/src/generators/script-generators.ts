import { vuContextStorage } from '../runtime/vu-context.js';
import type { RecordSource } from './generator-def.js';
import type { OptionInput } from './option-spec.js';
import { GENERATORS, openStream, resolveGenerator, type GeneratorConfig, type GeneratorKind, type RecordOf } from './registry.js';

/** Options a script passes to a generator: the kind's options plus the seed. */
export type ScriptGeneratorOptions<K extends GeneratorKind> = OptionInput<(typeof GENERATORS)[K]['options']> & {
  /** Same seed, same records (per VU). Default "1". */
  readonly seed?: string | number;
};

/**
 * Generators created per thread, in init-code order. Init code runs identically in the main
 * thread and in every worker, so the n-th generator gets the same salt everywhere.
 */
let createdInThread = 0;

/**
 * A generator as a test script sees it: each VU reads its own deterministic stream (seeded by
 * the generator's seed and `exec.vu.idInTest`), so records never repeat across VUs, workers or
 * execution segments. Outside VU code (init, setup, teardown) stream 0 is used, the same stream
 * `squall generate` writes. Create generators in init code (the top level of the script).
 */
export class ScriptGenerator<K extends GeneratorKind> {
  /** The kind and its resolved options. */
  readonly config: GeneratorConfig;
  readonly seed: string;
  /** Creation order in this thread (the same in every worker); mixed into the streams' seeds. */
  readonly salt: number;
  readonly #streams = new Map<number, RecordSource<unknown>>();

  constructor(kind: K, options: ScriptGeneratorOptions<K> = {}) {
    const { seed, ...rest } = options;
    this.config = resolveGenerator(kind, rest as Record<string, unknown>, 'script', `${kind}()`);
    this.seed = String(seed ?? '1');
    this.salt = createdInThread++;
  }

  /** The calling VU's stream (stream 0 outside VU code). */
  source(stream = vuContextStorage.getStore()?.vu?.idInTest ?? 0): RecordSource<RecordOf[K]> {
    let s = this.#streams.get(stream);
    if (s === undefined) {
      s = openStream(this.config, { seed: this.seed, stream, salt: this.salt, count: undefined });
      this.#streams.set(stream, s);
    }
    return s as RecordSource<RecordOf[K]>;
  }

  /** The next record of the calling VU's stream. */
  next(): RecordOf[K] {
    return this.source().next();
  }

  /** The next `n` records. */
  batch(n: number): RecordOf[K][] {
    const s = this.source();
    return Array.from({ length: n }, () => s.next());
  }

  /** The next record as JSON text (faster than JSON.stringify(next()) for audit). */
  line(): string {
    const s = this.source();
    return s.nextLine ? s.nextLine() : JSON.stringify(s.next());
  }

  /** The next `n` records as an NDJSON body: one JSON text per line, each ending in a newline. */
  ndjson(n: number): string {
    let body = '';
    for (let i = 0; i < n; i++) body += `${this.line()}\n`;
    return body;
  }
}
