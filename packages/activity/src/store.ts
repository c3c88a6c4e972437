/** Parameters bound server-side into `{name:Type}` placeholders. */
export type QueryParams = Readonly<Record<string, string | number | readonly string[] | readonly number[]>>;

/**
 * Where events are stored: embedded chdb or a ClickHouse server, with the same schema and SQL.
 * Lifecycle: `open()` once (creates the table), then `insert`/`query` concurrently, `close()` once.
 */
export interface EventStore {
  /** Human-readable location for logs, e.g. `chdb:/tmp/x` or `http://127.0.0.1:8123`. */
  readonly location: string;
  open(): Promise<void>;
  /** Inserts JSONEachRow rows (newline-separated) into the events table. */
  insert(ndjson: Buffer): Promise<void>;
  /** Runs a read with bound parameters and returns its rows (JSONEachRow, parsed). */
  query<T>(sql: string, params: QueryParams): Promise<T[]>;
  close(): Promise<void>;
}

/** Parses a JSONEachRow result body into rows. */
export function parseRows<T>(text: string): T[] {
  const rows: T[] = [];
  for (const line of text.split('\n')) if (line !== '') rows.push(JSON.parse(line) as T);
  return rows;
}
