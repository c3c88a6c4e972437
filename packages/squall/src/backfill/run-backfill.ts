import { SquallError } from '../errors.js';
import { Checkpoint } from './checkpoint.js';
import { openDay, planDays, type BackfillPlanOptions, type DayPlan } from './day-plan.js';
import type { Mapping } from './mapping.js';
import { LineBatch } from './line-batch.js';
import { ReplaySender } from './replay-sender.js';
import { openBackfillStore } from './store.js';

/** A resolved backfill (see `resolveBackfillFlags` for the CLI's spelling). */
export interface BackfillConfig extends BackfillPlanOptions {
  /** `chdb:DIR` or `http://HOST:8123[/db]`. */
  readonly store: string;
  readonly mapping: Mapping;
  /** Events per bulk insert. */
  readonly bulkBatchEvents: number;
  readonly replayUrl: string | undefined;
  readonly replayRatePerSec: number;
  readonly replayBatchEvents: number;
  readonly checkpointFile: string;
}

/** One progress reading; `done` counts events delivered or found already there. */
export interface BackfillProgress {
  readonly phase: 'bulk' | 'replay';
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
}

/** What one day got. */
export interface DayResult {
  readonly age: number;
  readonly mode: 'bulk' | 'replay';
  readonly events: number;
  /** Events found already delivered (window count or checkpoint) and not sent again. */
  readonly skipped: number;
  readonly sent: number;
}

/** Outcome of `runBackfill`. */
export interface BackfillResult {
  readonly events: number;
  readonly inserted: number;
  readonly replayed: number;
  readonly skipped: number;
  readonly elapsedMs: number;
  readonly days: readonly DayResult[];
}

/** Hooks of a run: progress (about every batch) and a signal that stops it, keeping the checkpoint. */
export interface BackfillHooks {
  readonly onProgress?: (p: BackfillProgress) => void;
  readonly signal?: AbortSignal;
}

/**
 * Writes the history: bulk days straight into the store, then replay days through the ingest
 * endpoint. A day's starting point is the larger of its window count and its checkpoint (inserts
 * commit in stream order, so the count is a prefix of the day's stream): re-running skips what is
 * there and never sends an event twice.
 */
export async function runBackfill(c: BackfillConfig, hooks: BackfillHooks = {}): Promise<BackfillResult> {
  const days = planDays(c);
  if (days.some((d) => d.mode === 'replay') && c.replayUrl === undefined) {
    throw new SquallError('SQUALL_USAGE', `--bulk-until-day ${c.bulkUntilDay} leaves ${c.bulkUntilDay} day(s) to replay, which needs --replay-url (the ingest endpoint, e.g. http://127.0.0.1:8080/events/bulk)`);
  }
  const t0 = performance.now();
  const plan: BackfillPlanOptions = { events: c.events, days: c.days, tenants: c.tenants, seed: c.seed, bulkUntilDay: c.bulkUntilDay, endMs: c.endMs };
  const checkpoint = await Checkpoint.open(c.checkpointFile, plan);
  const store = await openBackfillStore(c.store, c.mapping);
  const results: DayResult[] = [];
  let done = 0;
  const report = (phase: 'bulk' | 'replay') => hooks.onProgress?.({ phase, done, total: c.events, elapsedMs: performance.now() - t0 });
  try {
    await store.prepare();
    const sender = c.replayUrl === undefined ? undefined : new ReplaySender(c.replayUrl, c.replayRatePerSec, hooks.signal);
    for (const day of days) {
      if (hooks.signal?.aborted) throw interrupted();
      const present = Math.min(day.events, Math.max(checkpoint.delivered(day.age), await store.count(day.fromMs, day.toMs)));
      done += present;
      report(day.mode);
      let sent = 0;
      if (present < day.events) {
        const source = openDay(c, day);
        for (let i = 0; i < present; i++) source.nextLine();
        const onBatch = async (n: number) => {
          sent += n;
          done += n;
          await checkpoint.save(day.age, present + sent);
          report(day.mode);
        };
        if (day.mode === 'bulk') await bulkDay(day, present, source.nextLine, c.bulkBatchEvents, (b) => store.insert(b), onBatch, hooks.signal);
        else await replayDay(day, present, source.nextLine, c.replayBatchEvents, sender as ReplaySender, onBatch, hooks.signal);
      }
      results.push({ age: day.age, mode: day.mode, events: day.events, skipped: present, sent });
    }
  } finally {
    await store.close();
  }
  const sum = (f: (d: DayResult) => number) => results.reduce((a, d) => a + f(d), 0);
  return {
    events: c.events,
    inserted: sum((d) => (d.mode === 'bulk' ? d.sent : 0)),
    replayed: sum((d) => (d.mode === 'replay' ? d.sent : 0)),
    skipped: sum((d) => d.skipped),
    elapsedMs: performance.now() - t0,
    days: results,
  };
}

function interrupted(): SquallError {
  return new SquallError('SQUALL_INTERRUPTED', 'backfill interrupted; the checkpoint keeps what was delivered: run the same command again to resume');
}

/** Generates the next batch while the previous one is being inserted (one insert in flight, two buffers). */
async function bulkDay(day: DayPlan, from: number, next: () => string, batch: number, insert: (b: Buffer) => Promise<void>, onBatch: (n: number) => Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  const buffers = [new LineBatch(), new LineBatch()] as const;
  let inFlight: Promise<void> | undefined;
  for (let pos = from, k = 0; pos < day.events; k ^= 1) {
    const n = Math.min(batch, day.events - pos);
    const lines = k === 0 ? buffers[0] : buffers[1];
    lines.reset();
    for (let i = 0; i < n; i++) lines.push(next());
    pos += n;
    await inFlight;
    if (signal?.aborted) throw interrupted();
    inFlight = insert(lines.bytes()).then(() => onBatch(n));
  }
  await inFlight;
}

async function replayDay(day: DayPlan, from: number, next: () => string, batch: number, sender: ReplaySender, onBatch: (n: number) => Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  for (let pos = from; pos < day.events; ) {
    if (signal?.aborted) throw interrupted();
    const n = Math.min(batch, day.events - pos);
    const lines = new Array<string>(n);
    for (let i = 0; i < n; i++) lines[i] = next();
    try {
      await sender.send(`${lines.join('\n')}\n`, n);
    } catch (err) {
      if (signal?.aborted) throw interrupted();
      throw err;
    }
    pos += n;
    await onBatch(n);
  }
}
