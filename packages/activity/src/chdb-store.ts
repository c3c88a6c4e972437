import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { drainPending, Session } from 'chdb';
import { ActivityError } from './errors.js';
import { CREATE_EVENTS_TABLE, EVENTS_TABLE } from './schema.js';
import { parseRows, type EventStore, type QueryParams } from './store.js';

/**
 * chdb allows one active data directory per process (opening a second path throws), so the
 * store tracks the open one here and refuses a second with a clear error instead.
 */
let activePath: string | undefined;

/**
 * File the target writes into its chdb directory while it has it open, so another process (a
 * `squall backfill` on the same directory) can refuse up front, naming the target, rather than
 * fail on chdb's lock. squall's backfill reads it (packages/squall/src/backfill/chdb-owner.ts).
 */
export const OWNER_FILE = 'squall-activity.owner.json';

/**
 * Embedded ClickHouse through chdb, in directory `dir` (created when missing). An empty `dir`
 * means a fresh temporary directory, removed on close. One per process: see `activePath`.
 */
export class ChdbStore implements EventStore {
  readonly location: string;
  private readonly dir: string;
  private readonly temporary: boolean;
  private session: Session | undefined;

  constructor(dir: string) {
    this.temporary = dir === '';
    this.dir = this.temporary ? mkdtempSync(join(tmpdir(), 'activity-chdb-')) : resolve(dir);
    this.location = `chdb:${this.dir}`;
  }

  async open(): Promise<void> {
    if (activePath !== undefined && activePath !== this.dir) {
      throw new ActivityError(
        'ACTIVITY_STORE_BUSY',
        `chdb allows one data directory per process and ${activePath} is open; close that activity target first, or use --store http://HOST:8123`,
      );
    }
    // A previous store in this process may still be releasing its native connection.
    await drainPending();
    try {
      this.session = new Session(this.dir);
    } catch (err) {
      throw new ActivityError('ACTIVITY_STORE_FAILED', `cannot open chdb store in ${this.dir}: ${(err as Error).message}`, { cause: err });
    }
    activePath = this.dir;
    this.announce(undefined);
    await this.session.queryAsync(CREATE_EVENTS_TABLE);
  }

  /** Records this process (and, once listening, its URL) as the directory's owner. */
  announce(url: string | undefined): void {
    if (this.temporary) return;
    writeFileSync(join(this.dir, OWNER_FILE), `${JSON.stringify({ pid: process.pid, url: url ?? null, since: new Date().toISOString() })}\n`);
  }

  private live(): Session {
    if (!this.session) throw new ActivityError('ACTIVITY_STORE_FAILED', `chdb store ${this.dir} is not open`);
    return this.session;
  }

  async insert(ndjson: Buffer): Promise<void> {
    await this.live().insert({ table: EVENTS_TABLE, values: ndjson, format: 'JSONEachRow' });
  }

  async query<T>(sql: string, params: QueryParams): Promise<T[]> {
    const res = await this.live().queryBindAsync(sql, params, { format: 'JSONEachRow' });
    return parseRows<T>(res.text());
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (!s) return;
    s.close();
    await drainPending();
    if (!this.temporary) rmSync(join(this.dir, OWNER_FILE), { force: true });
    if (activePath === this.dir) activePath = undefined;
    if (this.temporary) rmSync(this.dir, { recursive: true, force: true });
  }
}
