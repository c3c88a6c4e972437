import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { SquallError } from '../errors.js';
import { parseCsv } from './csv.js';
import { RecordStoreBuilder, sharedOffsets, type RecordStoreData } from './record-store.js';

/** File formats SharedArray reads. */
export type SharedFileFormat = 'jsonl' | 'csv' | 'json';

/** How to read a CSV file. */
export interface CsvOptions {
  /** Turn numeric-looking fields into numbers (default false: every field is a string). */
  readonly numbers?: boolean;
  readonly delimiter?: string;
}

/** The format a file name implies. */
export function formatOf(path: string): SharedFileFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  return undefined;
}

function fail(path: string, message: string, cause?: unknown): never {
  throw new SquallError('SQUALL_IO', `${path}: ${message}`, { cause });
}

/**
 * JSON Lines straight into shared memory: the file is read into a SharedArrayBuffer of its size,
 * each line is parsed once to check it, then lines are packed down in place (dropping newlines
 * and blank lines). No second copy of the file exists at any time.
 */
function loadJsonl(path: string): RecordStoreData {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    fail(path, `cannot open the data file (${(err as Error).message}); relative paths are resolved against the script's directory`, err);
  }
  const size = fstatSync(fd).size;
  const bytes = new SharedArrayBuffer(size);
  const buf = Buffer.from(bytes);
  try {
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buf, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
  } finally {
    closeSync(fd);
  }
  const offsets: number[] = [0];
  let out = 0;
  let start = 0;
  let line = 0;
  while (start < size) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = size;
    line++;
    let s = start;
    let e = end;
    while (s < e && (buf[s] === 32 || buf[s] === 9 || buf[s] === 13)) s++;
    while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 9 || buf[e - 1] === 13)) e--;
    if (e > s) {
      try {
        JSON.parse(buf.toString('utf8', s, e));
      } catch (err) {
        fail(path, `line ${line} is not valid JSON: ${(err as Error).message}`, err);
      }
      buf.copyWithin(out, s, e);
      out += e - s;
      offsets.push(out);
    }
    start = end + 1;
  }
  // The tail past `out` is unused; keeping it costs less than a second full-size copy.
  return { version: 1, bytes, offsets: sharedOffsets(offsets) };
}

function loadCsv(path: string, text: string, csv: CsvOptions): RecordStoreData {
  const builder = new RecordStoreBuilder();
  let header: string[] | undefined;
  const numeric = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
  try {
    parseCsv(
      text,
      (fields) => {
        if (header === undefined) {
          header = fields.map((f) => f.trim());
          return;
        }
        builder.add(JSON.stringify(csv.numbers ? fields.map((f) => (numeric.test(f) ? Number(f) : f)) : fields));
      },
      csv.delimiter ?? ',',
    );
  } catch (err) {
    fail(path, `is not valid CSV: ${(err as Error).message}`, err);
  }
  if (header === undefined) fail(path, 'is empty; a CSV file needs a header row naming the columns');
  return builder.build(header);
}

/** Encodes an array (from a file or a k6-style loader function) record by record. */
export function storeArray(items: readonly unknown[], where: string): RecordStoreData {
  const builder = new RecordStoreBuilder();
  items.forEach((item, i) => {
    const json = JSON.stringify(item);
    if (json === undefined) throw new SquallError('SQUALL_SCRIPT_LOAD', `${where}: element ${i} cannot be stored as JSON (${typeof item}); SharedArray holds JSON values only`);
    builder.add(json);
  });
  return builder.build();
}

/** Loads a data file into shared memory. */
export function loadFile(path: string, format: SharedFileFormat, csv: CsvOptions = {}): RecordStoreData {
  if (format === 'jsonl') return loadJsonl(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail(path, `cannot read the data file (${(err as Error).message}); relative paths are resolved against the script's directory`, err);
  }
  if (format === 'csv') return loadCsv(path, text, csv);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    fail(path, `is not valid JSON: ${(err as Error).message}`, err);
  }
  if (!Array.isArray(parsed)) fail(path, `must hold a JSON array of records, but holds ${parsed === null ? 'null' : typeof parsed}; use .jsonl for one record per line`);
  return storeArray(parsed, path);
}
