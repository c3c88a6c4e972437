import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { ActivityError } from './errors.js';
import { CREATE_EVENTS_TABLE, EVENTS_TABLE } from './schema.js';
import type { EventStore, QueryParams } from './store.js';

/**
 * A ClickHouse server over HTTP (`--store http://HOST:8123`), through @clickhouse/client, with
 * the same table and SQL as the embedded store. Credentials and database come from the URL
 * (`http://user:password@host:8123/db`), as the client parses them.
 */
export class ClickHouseStore implements EventStore {
  readonly location: string;
  private readonly client: ClickHouseClient;

  constructor(url: string) {
    const u = new URL(url);
    this.location = `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
    this.client = createClient({ url });
  }

  async open(): Promise<void> {
    try {
      await this.client.command({ query: CREATE_EVENTS_TABLE });
    } catch (err) {
      throw new ActivityError('ACTIVITY_STORE_FAILED', `cannot create ${EVENTS_TABLE} on ${this.location}: ${(err as Error).message}`, { cause: err });
    }
  }

  async insert(ndjson: Buffer): Promise<void> {
    await this.client.insert({ table: EVENTS_TABLE, values: Readable.from([ndjson]), format: 'JSONEachRow' });
  }

  async query<T>(sql: string, params: QueryParams): Promise<T[]> {
    const rs = await this.client.query({ query: sql, query_params: params as Record<string, unknown>, format: 'JSONEachRow' });
    return rs.json<T>();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
