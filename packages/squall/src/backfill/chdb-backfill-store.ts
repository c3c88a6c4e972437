import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SquallError } from '../errors.js';
import { chdbOwner, storeBusyError } from './chdb-owner.js';
import { LINE_COLUMN, selectRows, sqlString, type Mapping } from './mapping.js';
import { countSql, type BackfillStore } from './store.js';

/** The part of chdb this store uses (declared here: chdb is loaded only when a backfill runs). */
interface ChdbSession {
  queryAsync(sql: string, opts?: { format?: string }): Promise<{ text(): string }>;
  close(): void;
}
interface ChdbModule {
  Session: new (path: string) => ChdbSession;
  drainPending?: () => Promise<void>;
}

/** A variable so tsc does not resolve the optional package at build time. */
const CHDB_PACKAGE = 'chdb';
/**
 * Settings of every insert: rows are unique by construction, so skip the per-insert replace pass;
 * two threads parse and sort (the machine this was measured on has two cores), but without
 * parallel parsing, whose segmenting and reordering of ~1 kB lines cost more CPU than it saved.
 */
const INSERT_SETTINGS = 'SETTINGS optimize_on_insert = 0, max_threads = 2, max_insert_threads = 2, input_format_parallel_parsing = 0';

async function loadChdb(): Promise<ChdbModule> {
  try {
    return (await import(CHDB_PACKAGE)) as ChdbModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND') {
      throw new SquallError('SQUALL_USAGE', `--store chdb: needs the package ${CHDB_PACKAGE} (embedded ClickHouse), which was not found; run \`npm install ${CHDB_PACKAGE}\` (in this repository: \`npm ci\` at the root), or use --store http://HOST:8123`, { cause: err });
    }
    throw err;
  }
}

/**
 * Embedded ClickHouse. chdb's insert API takes a table and a payload, not `INSERT ... SELECT`,
 * and its TSV parsing of long JSON lines runs at ~125,000 rows/s on one thread; so each batch is
 * written to a temporary file and inserted with `INSERT ... SELECT ... FROM file(path,
 * LineAsString)`, which reads lines without unescaping and parses JSON on ClickHouse's threads
 * (measured in docs/benchmarks.md). chdb allows one data directory per process: do not open this
 * beside an activity target's store on another directory.
 */
export class ChdbBackfillStore implements BackfillStore {
  readonly location: string;
  readonly #dir: string;
  readonly #mapping: Mapping;
  #chdb: ChdbModule | undefined;
  #session: ChdbSession | undefined;
  #stage: string | undefined;
  #files = 0;

  constructor(dir: string, mapping: Mapping) {
    this.#dir = resolve(dir);
    this.location = `chdb:${this.#dir}`;
    this.#mapping = mapping;
  }

  async prepare(): Promise<void> {
    // Refused before chdb is touched: a running target's lock would fail the open anyway.
    const owner = chdbOwner(this.#dir);
    if (owner) throw storeBusyError(this.#dir, owner);
    this.#chdb = await loadChdb();
    try {
      this.#session = new this.#chdb.Session(this.#dir);
    } catch (err) {
      if (/lock/i.test((err as Error).message)) throw storeBusyError(this.#dir, undefined);
      throw new SquallError('SQUALL_IO', `cannot open the chdb store in ${this.#dir}: ${(err as Error).message} (chdb allows one data directory per process)`, { cause: err });
    }
    const m = this.#mapping;
    if (m.createTable !== undefined) await this.#run(m.createTable);
    const exists = (await this.#live().queryAsync(`EXISTS TABLE ${m.table}`, { format: 'TSV' })).text().trim();
    if (exists !== '1') throw new SquallError('SQUALL_USAGE', `table ${m.table} does not exist in ${this.location}; create it first or give "createTable" in the mapping file`);
    this.#stage = mkdtempSync(join(tmpdir(), 'squall-backfill-'));
  }

  async count(fromMs: number, toMs: number): Promise<number> {
    const text = (await this.#live().queryAsync(countSql(this.#mapping, fromMs, toMs), { format: 'TSV' })).text();
    return Number(text.trim());
  }

  async insert(lines: Buffer): Promise<void> {
    const m = this.#mapping;
    const file = join(this.#stage as string, `batch-${this.#files++}.jsonl`);
    // Written synchronously so the query is issued before this returns: the caller generates the
    // next batch in a synchronous loop, and the insert must run beside it, not after it (an async
    // write's callback would wait for that loop to yield).
    writeFileSync(file, lines);
    try {
      await this.#run(`INSERT INTO ${m.table} (${m.columns.map((c) => c.column).join(', ')}) ${selectRows(m, `file(${sqlString(file)}, 'LineAsString', '${LINE_COLUMN} String')`)} ${INSERT_SETTINGS}`);
    } finally {
      await unlink(file).catch(() => {});
    }
  }

  async close(): Promise<void> {
    if (this.#stage !== undefined) rmSync(this.#stage, { recursive: true, force: true });
    this.#stage = undefined;
    const s = this.#session;
    this.#session = undefined;
    if (!s) return;
    s.close();
    await this.#chdb?.drainPending?.();
  }

  async #run(sql: string): Promise<void> {
    try {
      await this.#live().queryAsync(sql);
    } catch (err) {
      throw new SquallError('SQUALL_IO', `${this.location}: ${((err as Error).message.split('\n')[0] ?? '').slice(0, 500)}`, { cause: err });
    }
  }

  #live(): ChdbSession {
    if (!this.#session) throw new SquallError('SQUALL_IO', `the chdb store ${this.location} is not open`);
    return this.#session;
  }
}
