import { SquallError } from '../errors.js';
import { LineBuffer } from '../generators/line-buffer.js';
import { Checkpoint } from './checkpoint.js';
import { openDay, planDays, type BackfillPlanOptions, type DayPlan, type DaySource } from './day-plan.js';
import { InsertPipeline } from './insert-pipeline.js';
import type { Mapping } from './mapping.js';
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
  /** Wall time spent generating bulk lines (the generator's share of `elapsedMs`). */
  readonly bulkGenerateMs: number;
  /** Wall time generation waited for a bulk insert to finish (the store's share beyond generation). */
  readonly bulkInsertWaitMs: number;
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
 * there and never sends an event twice. Bulk days are counted before the first insert, so the next
 * day is generated while the previous one is inserted (days are disjoint windows).
 */
export async function runBackfill(c: BackfillConfig, hooks: BackfillHooks = {}): Promise<BackfillResult> {
  // Nothing is written later than the moment the backfill started (today's window ends there).
  const capMs = Math.min(c.capMs ?? Date.now(), Date.now());
  if (capMs <= c.endMs - c.days * 86_400_000) throw new SquallError('SQUALL_USAGE', `the history (${c.days} days ending ${new Date(c.endMs).toISOString()}) starts in the future; give an --end at most the end of today`);
  const days = planDays({ ...c, capMs });
  if (days.some((d) => d.mode === 'replay') && c.replayUrl === undefined) {
    throw new SquallError('SQUALL_USAGE', `--bulk-until-day ${c.bulkUntilDay} leaves ${c.bulkUntilDay} day(s) to replay, which needs --replay-url (the ingest endpoint, e.g. http://127.0.0.1:8080/events/bulk)`);
  }
  const t0 = performance.now();
  const plan: BackfillPlanOptions = { events: c.events, days: c.days, tenants: c.tenants, seed: c.seed, bulkUntilDay: c.bulkUntilDay, endMs: c.endMs };
  const checkpoint = await Checkpoint.open(c.checkpointFile, plan);
  const store = await openBackfillStore(c.store, c.mapping);
  const skipped = new Array<number>(days.length).fill(0);
  const sent = new Array<number>(days.length).fill(0);
  let done = 0;
  const report = (phase: 'bulk' | 'replay') => hooks.onProgress?.({ phase, done, total: c.events, elapsedMs: performance.now() - t0 });
  const pipeline = new InsertPipeline((b) => store.insert(b));
  const generated = { ms: 0 };
  const present = async (day: DayPlan) => Math.min(day.events, Math.max(checkpoint.delivered(day.age), await store.count(day.fromMs, day.toMs)));
  try {
    await store.prepare();
    const sender = c.replayUrl === undefined ? undefined : new ReplaySender(c.replayUrl, c.replayRatePerSec, hooks.signal);
    for (const [i, day] of days.entries()) if (day.mode === 'bulk') skipped[i] = await present(day);
    for (const [i, day] of days.entries()) {
      if (hooks.signal?.aborted) throw interrupted();
      if (day.mode === 'replay') {
        await pipeline.drain();
        skipped[i] = await present(day);
      }
      const from = skipped[i] as number;
      done += from;
      report(day.mode);
      if (from >= day.events) continue;
      const source = openDay(c, day);
      skip(source, from);
      const onBatch = async (n: number) => {
        sent[i] = (sent[i] as number) + n;
        done += n;
        await checkpoint.save(day.age, from + (sent[i] as number));
        report(day.mode);
      };
      if (day.mode === 'bulk') await bulkDay(day, from, source, c.bulkBatchEvents, pipeline, onBatch, hooks.signal, generated);
      else await replayDay(day, from, source.nextLine, c.replayBatchEvents, sender as ReplaySender, onBatch, hooks.signal);
    }
    await pipeline.drain();
  } finally {
    // An insert still in flight (interrupted, or another batch failed) finishes and checkpoints first.
    await pipeline.drain().catch(() => {});
    await store.close();
  }
  const results: DayResult[] = days.map((d, i) => ({ age: d.age, mode: d.mode, events: d.events, skipped: skipped[i] as number, sent: sent[i] as number }));
  const sum = (f: (d: DayResult) => number) => results.reduce((a, d) => a + f(d), 0);
  return {
    events: c.events,
    inserted: sum((d) => (d.mode === 'bulk' ? d.sent : 0)),
    replayed: sum((d) => (d.mode === 'replay' ? d.sent : 0)),
    skipped: sum((d) => d.skipped),
    elapsedMs: performance.now() - t0,
    bulkGenerateMs: generated.ms,
    bulkInsertWaitMs: pipeline.waitMs,
    days: results,
  };
}

function interrupted(): SquallError {
  return new SquallError('SQUALL_INTERRUPTED', 'backfill interrupted; the checkpoint keeps what was delivered: run the same command again to resume');
}

/**
 * Events of the next bulk insert: `batch`, or the rest of the day when that is at most 1.5 batches.
 * Every insert becomes at least one part of the day's partition, and a part costs about as much to
 * write (~60 files, the projection) whether it holds 10,000 rows or 100,000: without this, 10M
 * events over 90 days (111,111 a day) made a 100,000-row and an 11,111-row part per day
 * (docs/benchmarks.md, backfill).
 */
export function bulkInsertEvents(left: number, batch: number): number {
  return left <= batch * 1.5 ? left : batch;
}

/** Generates and drops the first `n` events of a day (those already delivered). */
function skip(source: DaySource, n: number): void {
  const scratch = new LineBuffer(64 * 1024);
  for (let i = 0; i < n; i++) {
    scratch.reset();
    source.writeLine(scratch);
  }
}

/** Generates a bulk day's batches into the pipeline; each is inserted while the next one is made. */
async function bulkDay(day: DayPlan, from: number, source: DaySource, batch: number, pipeline: InsertPipeline, onBatch: (n: number) => Promise<void>, signal: AbortSignal | undefined, generated: { ms: number }): Promise<void> {
  for (let pos = from; pos < day.events; ) {
    const n = bulkInsertEvents(day.events - pos, batch);
    const t0 = performance.now();
    const lines = pipeline.buffer();
    // Lines are written into the buffer as bytes by the generator: a string per line, encoded
    // afterwards, cost about as much again as making the event (docs/benchmarks.md).
    for (let i = 0; i < n; i++) {
      source.writeLine(lines);
      lines.byte(10);
    }
    pos += n;
    generated.ms += performance.now() - t0;
    await pipeline.settle();
    if (signal?.aborted) throw interrupted();
    pipeline.start(() => onBatch(n));
  }
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
