import { parseDurationMs } from '../config/duration.js';
import { threadRuntime, type ThreadRuntime } from '../runtime/thread-runtime.js';

/** Finds which of `ids` are visible downstream now, with how many copies of each (absent = not found). */
export type DeliveryLookup = (ids: readonly string[]) => Promise<ReadonlyMap<string, number>>;

/** Options of a DeliveryTracker. */
export interface DeliveryTrackerOptions {
  /** How to ask the system whether events are visible (see `activityLookup`). */
  readonly lookup: DeliveryLookup;
  /** How often pending events are looked up (default '250ms'). Lag is measured to this resolution. */
  readonly pollInterval?: string | number;
  /** After the load ends, how long to keep looking for events still missing (default '30s'). */
  readonly drainTimeout?: string | number;
  /** Events per lookup call (default 200). */
  readonly batchSize?: number;
  /** Share of accepted events to track, 0..1 (default 1: all). Sampling is by id, deterministic. */
  readonly sample?: number;
}

interface Ids {
  lookupErrors: number;
  lag: number;
  accepted: number;
  found: number;
  missing: number;
  duplicated: number;
  tags: number;
}

/**
 * Tracks events a system accepted until they become visible downstream: records `ingest_lag`
 * (ms from the send to the first lookup that found the event; an upper bound by at most one
 * poll interval), and counts `events_accepted`, `events_found`, `events_duplicated` and, after the
 * drain timeout, `events_missing`. Create it in init code (so thresholds can name its metrics);
 * call `accepted(id)` from VU code once the system acknowledged the event.
 */
export class DeliveryTracker {
  readonly name: string;
  readonly #lookup: DeliveryLookup;
  readonly #pollMs: number;
  readonly #drainMs: number;
  readonly #batch: number;
  readonly #sample: number;
  readonly #rt: ThreadRuntime;
  readonly #ids: Ids;
  // Insertion order = send order, so the oldest pending events are looked up first.
  readonly #pending = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #hooked = false;
  #lastError: unknown;

  constructor(name: string, options: DeliveryTrackerOptions) {
    if (typeof options?.lookup !== 'function') throw new TypeError(`DeliveryTracker("${name}") needs options.lookup: a function (ids) => Map<id, copies>, e.g. activityLookup({ url, token })`);
    this.name = name;
    this.#lookup = options.lookup;
    this.#pollMs = parseDurationMs(options.pollInterval ?? '250ms');
    this.#drainMs = parseDurationMs(options.drainTimeout ?? '30s');
    this.#batch = options.batchSize ?? 200;
    this.#sample = options.sample ?? 1;
    this.#rt = threadRuntime();
    const sink = this.#rt.sink;
    this.#ids = {
      lag: sink.define({ name: 'ingest_lag', type: 'trend', contains: 'time' }),
      lookupErrors: sink.define({ name: 'events_lookup_errors', type: 'counter', contains: 'default' }),
      accepted: sink.define({ name: 'events_accepted', type: 'counter', contains: 'default' }),
      found: sink.define({ name: 'events_found', type: 'counter', contains: 'default' }),
      missing: sink.define({ name: 'events_missing', type: 'counter', contains: 'default' }),
      duplicated: sink.define({ name: 'events_duplicated', type: 'counter', contains: 'default' }),
      tags: sink.tagSet({ ...this.#rt.baseTags, tracker: name }),
    };
  }

  /** The system acknowledged event `id`, sent at `sentAtMs` (epoch ms; default now). */
  accepted(id: string, sentAtMs: number = Date.now()): void {
    if (typeof id !== 'string' || id === '') throw new TypeError(`${this.name}.accepted() needs the event's id (a non-empty string), but got ${JSON.stringify(id)}`);
    if (this.#sample < 1 && hashShare(id) >= this.#sample) return;
    this.#rt.sink.add(this.#ids.accepted, this.#ids.tags, 1);
    this.#pending.set(id, sentAtMs);
    if (!this.#hooked) {
      this.#hooked = true;
      this.#rt.drainHooks.push(() => this.#drain());
    }
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => void this.#pollOnce(), this.#pollMs);
      this.#timer.unref();
    }
  }

  /** Events accepted and not seen yet (this thread). */
  get pending(): number {
    return this.#pending.size;
  }

  #pollOnce(): Promise<void> {
    // One lookup at a time: a slow system must not pile up concurrent queries. A failed lookup
    // is the system's failure, not the test's: counted, and reported once when the drain ends.
    this.#polling ??= this.#poll()
      .catch((err: unknown) => {
        this.#lastError = err;
        this.#rt.sink.add(this.#ids.lookupErrors, this.#ids.tags, 1);
      })
      .finally(() => (this.#polling = undefined));
    return this.#polling;
  }

  async #poll(): Promise<void> {
    const ids: string[] = [];
    for (const id of this.#pending.keys()) {
      ids.push(id);
      if (ids.length >= this.#batch) break;
    }
    if (ids.length === 0) return;
    const found = await this.#lookup(ids);
    const now = Date.now();
    const sink = this.#rt.sink;
    for (const id of ids) {
      const copies = found.get(id) ?? 0;
      if (copies <= 0) continue;
      const sentAt = this.#pending.get(id) as number;
      this.#pending.delete(id);
      sink.add(this.#ids.lag, this.#ids.tags, Math.max(0, now - sentAt));
      sink.add(this.#ids.found, this.#ids.tags, 1);
      if (copies > 1) sink.add(this.#ids.duplicated, this.#ids.tags, copies - 1);
    }
  }

  async #drain(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const deadline = Date.now() + this.#drainMs;
    while (this.#pending.size > 0 && Date.now() < deadline) {
      const before = this.#pending.size;
      await this.#pollOnce();
      // Whole batches found: look again at once; otherwise wait a poll interval.
      if (this.#pending.size === before || this.#pending.size === 0) {
        if (this.#pending.size > 0) await new Promise((r) => setTimeout(r, Math.min(this.#pollMs, Math.max(0, deadline - Date.now()))));
      }
    }
    // Recorded even when 0, so the summary shows that nothing was missing.
    const missing = this.#pending.size;
    this.#rt.sink.add(this.#ids.missing, this.#ids.tags, missing);
    this.#pending.clear();
    if (missing > 0 && this.#lastError !== undefined) {
      const why = this.#lastError instanceof Error ? this.#lastError.message : String(this.#lastError);
      throw new Error(`${this.name}: ${missing} events counted missing while lookups failed (see events_lookup_errors); last failure: ${why}`);
    }
  }
}

/** A stable share in [0, 1) for an id (FNV-1a), so sampling picks the same ids in every run. */
function hashShare(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 4294967296;
}
