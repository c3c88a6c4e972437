import { SquallError } from '../errors.js';
import type { Mapping } from './mapping.js';

/**
 * Where a backfill writes: the mapped table in embedded chdb or on a ClickHouse server.
 * Lifecycle: `prepare()` once, then `count`/`insert` one at a time, `close()` once.
 */
export interface BackfillStore {
  /** `chdb:/abs/dir` or the server URL without credentials, for messages. */
  readonly location: string;
  /** Creates the table (when the mapping has DDL) and whatever the insert path needs. */
  prepare(): Promise<void>;
  /** Distinct ids whose time is in [fromMs, toMs): what is already there. */
  count(fromMs: number, toMs: number): Promise<number>;
  /** Inserts raw event lines (one JSON event a line, newline-terminated) as mapped rows. */
  insert(lines: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** Milliseconds since the epoch as a ClickHouse DateTime64(3) literal expression. */
export function timeLiteral(ms: number): string {
  return `fromUnixTimestamp64Milli(toInt64(${Math.trunc(ms)}), 'UTC')`;
}

/** The window-count query both stores run. */
export function countSql(m: Mapping, fromMs: number, toMs: number): string {
  return `SELECT uniqExact(${m.idColumn}) AS n FROM ${m.table} WHERE ${m.timeColumn} >= ${timeLiteral(fromMs)} AND ${m.timeColumn} < ${timeLiteral(toMs)}`;
}

/** Turns a store spec (`chdb:DIR`, `http://HOST:8123[/db]`) into a store. */
export async function openBackfillStore(spec: string, mapping: Mapping): Promise<BackfillStore> {
  if (spec.startsWith('chdb:')) {
    const dir = spec.slice('chdb:'.length);
    if (dir === '') throw new SquallError('SQUALL_USAGE', '--store chdb: needs a directory to keep the data in, e.g. --store chdb:./activity-data');
    const { ChdbBackfillStore } = await import('./chdb-backfill-store.js');
    return new ChdbBackfillStore(dir, mapping);
  }
  if (/^https?:\/\//.test(spec)) {
    const { HttpBackfillStore } = await import('./http-backfill-store.js');
    return new HttpBackfillStore(spec, mapping);
  }
  throw new SquallError('SQUALL_USAGE', `--store must be chdb:DIR or http://HOST:8123, but is ${JSON.stringify(spec)}`);
}
