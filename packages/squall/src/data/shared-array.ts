import { resolve } from 'node:path';
import { threadRuntime } from '../runtime/thread-runtime.js';
import { SquallError } from '../errors.js';
import { registerSharedEntry, sharedEntry } from '../runtime/shared-registry.js';
import { formatOf, loadFile, storeArray, type CsvOptions, type SharedFileFormat } from './load-file.js';
import { RecordStore, type RecordStoreData } from './record-store.js';

/** How `SharedArray.fromFile` reads a file. */
export interface SharedFileOptions {
  /** Registry name; default the resolved path. Arrays with one name share one copy. */
  readonly name?: string;
  /** Default from the extension: .jsonl/.ndjson, .csv, .json (an array). */
  readonly format?: SharedFileFormat;
  readonly csv?: CsvOptions;
}

const KEY_PREFIX = 'squall.shared-array:';

function isStoreData(v: unknown): v is RecordStoreData {
  return typeof v === 'object' && v !== null && (v as RecordStoreData).version === 1 && (v as RecordStoreData).bytes instanceof SharedArrayBuffer;
}

// Loads once per process: the main thread's init code registers the data; workers find it in
// the registry the engine hands them before they import the script, and never call `load`.
function obtain(name: string, load: () => RecordStoreData): RecordStore {
  const key = KEY_PREFIX + name;
  const existing = sharedEntry(key);
  if (isStoreData(existing)) return new RecordStore(existing);
  const data = load();
  registerSharedEntry(key, data);
  return new RecordStore(data);
}

const INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * A read-only array shared by every VU and worker thread without a copy each (k6's SharedArray,
 * with the data in shared memory). The loader (or file) is read once per process, during init on
 * the main thread; each element is decoded when read, into an object the caller owns.
 * Index it like an array (`users[i]`), or call `at(i)` (a little faster); `length` and
 * `for...of` work. Writes throw.
 */
export class SharedArray<T = unknown> implements Iterable<T> {
  // TypeScript-private, not #private: index access goes through a Proxy, and #fields reject it.
  private readonly store: RecordStore;
  readonly [index: number]: T;

  /** k6 form: `new SharedArray('users', () => JSON.parse(open('users.json')))`; `load` must return an array. */
  constructor(name: string, load: () => readonly T[]);
  constructor(name: string, load: () => readonly T[], store?: RecordStore);
  constructor(name: string, load: () => readonly T[], store?: RecordStore) {
    if (typeof name !== 'string' || name === '') throw new SquallError('SQUALL_SCRIPT_LOAD', 'SharedArray needs a non-empty name as its first argument');
    this.store =
      store ??
      obtain(name, () => {
        if (typeof load !== 'function') throw new SquallError('SQUALL_SCRIPT_LOAD', `SharedArray "${name}": the second argument must be a function returning an array`);
        const items = load();
        if (!Array.isArray(items)) throw new SquallError('SQUALL_SCRIPT_LOAD', `SharedArray "${name}": the loader must return an array, but returned ${items === null ? 'null' : typeof items}`);
        return storeArray(items, `SharedArray "${name}"`);
      });
    return new Proxy(this, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && INDEX.test(prop)) return target.at(Number(prop));
        return Reflect.get(target, prop, receiver) as unknown;
      },
      set(_t, prop) {
        throw new TypeError(`SharedArray is read-only (tried to set ${String(prop)})`);
      },
      has(target, prop) {
        if (typeof prop === 'string' && INDEX.test(prop)) return Number(prop) < target.length;
        return Reflect.has(target, prop);
      },
    });
  }

  /**
   * A JSONL, CSV or JSON-array file as a SharedArray. Relative paths resolve against the script's
   * directory (as k6's open() does; the working directory outside a run). CSV rows become objects
   * keyed by the header row.
   */
  static fromFile<T = unknown>(path: string, options: SharedFileOptions = {}): SharedArray<T> {
    const full = resolve(scriptDirOrCwd(), path);
    const format = options.format ?? formatOf(full);
    if (format === undefined) {
      throw new SquallError('SQUALL_SCRIPT_LOAD', `SharedArray.fromFile(${JSON.stringify(path)}): cannot tell the format from the extension; name it with { format: 'jsonl' | 'csv' | 'json' }`);
    }
    const store = obtain(options.name ?? full, () => loadFile(full, format, options.csv));
    return new SharedArray<T>(options.name ?? full, () => [], store);
  }

  /** Number of records. */
  get length(): number {
    return this.store.count;
  }

  /** Record `i` (negative counts from the end), or undefined when out of range. */
  at(i: number): T | undefined {
    const n = this.store.count;
    const k = i < 0 ? n + i : i;
    if (!(k >= 0 && k < n) || !Number.isInteger(k)) return undefined;
    return this.store.get(k) as T;
  }

  /** Bytes of shared memory behind this array (one copy for the whole process). */
  get sharedBytes(): number {
    return this.store.sharedBytes;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.store.count; i++) yield this.store.get(i) as T;
  }
}

/** The script's directory inside a run (k6 resolves data files next to the script), else the working directory. */
function scriptDirOrCwd(): string {
  try {
    return threadRuntime().scriptDir ?? process.cwd();
  } catch {
    return process.cwd();
  }
}
