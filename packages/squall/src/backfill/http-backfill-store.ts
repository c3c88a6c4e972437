import { SquallError } from '../errors.js';
import { LINE_COLUMN, selectRows, type Mapping } from './mapping.js';
import { countSql, type BackfillStore } from './store.js';

/**
 * A ClickHouse server over its HTTP interface: `INSERT ... SELECT ... FROM input(...) FORMAT LineAsString`
 * with the lines as the request body, so the server parses the JSON. Credentials come from the
 * URL (`http://user:password@host:8123/db`) and are sent as headers, never logged.
 */
export class HttpBackfillStore implements BackfillStore {
  readonly location: string;
  readonly #base: URL;
  readonly #headers: Record<string, string>;
  readonly #mapping: Mapping;

  constructor(spec: string, mapping: Mapping) {
    const url = new URL(spec);
    this.#headers = {};
    if (url.username !== '') this.#headers['X-ClickHouse-User'] = decodeURIComponent(url.username);
    if (url.password !== '') this.#headers['X-ClickHouse-Key'] = decodeURIComponent(url.password);
    const db = url.pathname.replace(/^\/+|\/+$/g, '');
    if (db !== '') this.#headers['X-ClickHouse-Database'] = db;
    this.#base = new URL(`${url.protocol}//${url.host}/`);
    this.location = this.#base.href + db;
    this.#mapping = mapping;
  }

  async prepare(): Promise<void> {
    if (this.#mapping.createTable !== undefined) await this.#post(this.#mapping.createTable, undefined);
  }

  async count(fromMs: number, toMs: number): Promise<number> {
    return Number((await this.#post(`${countSql(this.#mapping, fromMs, toMs)} FORMAT TSV`, undefined)).trim());
  }

  async insert(lines: Buffer): Promise<void> {
    const m = this.#mapping;
    await this.#post(`INSERT INTO ${m.table} (${m.columns.map((c) => c.column).join(', ')}) ${selectRows(m, `input('${LINE_COLUMN} String')`)} FORMAT LineAsString`, lines);
  }

  async close(): Promise<void> {}

  async #post(query: string, body: Buffer | undefined): Promise<string> {
    const url = new URL(this.#base);
    url.searchParams.set('query', query);
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: this.#headers, body: body ?? '' });
    } catch (err) {
      throw new SquallError('SQUALL_IO', `cannot reach ClickHouse at ${this.location}: ${(err as Error).message}`, { cause: err });
    }
    const text = await res.text();
    if (!res.ok) throw new SquallError('SQUALL_IO', `ClickHouse at ${this.location} answered ${res.status}: ${text.slice(0, 300).trim()}`);
    return text;
  }
}
