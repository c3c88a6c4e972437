import { resolveGenerator, openStream } from '../generators/registry.js';
import type { LineBuffer } from '../generators/line-buffer.js';

const DAY_MS = 86_400_000;

/** What a backfill makes: resolved and checked once (see `resolveBackfillOptions`). */
export interface BackfillPlanOptions {
  readonly events: number;
  readonly days: number;
  readonly tenants: number;
  readonly seed: string;
  /** Days younger than this (age < K) are replayed over HTTP; older ones are bulk-inserted. */
  readonly bulkUntilDay: number;
  /** Exclusive end of the history (epoch ms, a UTC midnight): day age 0 is the day before it. */
  readonly endMs: number;
  /**
   * No event is later than this (epoch ms; the moment the backfill started): a day that reaches
   * past it (today) gets the part of its window before it, with all its events. Not part of the
   * plan's identity, so a later run on the same day resumes the same checkpoint and counts today's
   * events, which all lie before its own start, as there.
   */
  readonly capMs?: number;
}

/** One day of history: its window, how many events it holds, and how they get there. */
export interface DayPlan {
  /** 0 = the most recent day. */
  readonly age: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly events: number;
  readonly mode: 'bulk' | 'replay';
  /** Generator stream of the day (days since the epoch): ids never collide across days. */
  readonly stream: number;
}

/** The start of the UTC day that contains `ms`. */
export function utcMidnight(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * Splits the history into days, oldest first: bulk days, then replay days. Events spread evenly;
 * the remainder goes one each to the most recent days.
 */
export function planDays(o: BackfillPlanOptions): DayPlan[] {
  const base = Math.floor(o.events / o.days);
  const extra = o.events % o.days;
  const out: DayPlan[] = [];
  for (let age = o.days - 1; age >= 0; age--) {
    const fromMs = o.endMs - (age + 1) * DAY_MS;
    const toMs = Math.min(fromMs + DAY_MS, o.capMs ?? Infinity);
    if (toMs <= fromMs) throw new Error(`day ${age} of the plan (${new Date(fromMs).toISOString()}) starts after the cap ${new Date(o.capMs as number).toISOString()}`);
    out.push({ age, fromMs, toMs, events: base + (age < extra ? 1 : 0), mode: age < o.bulkUntilDay ? 'replay' : 'bulk', stream: fromMs / DAY_MS });
  }
  return out;
}

/** One day's event stream, as lines. */
export interface DaySource {
  /** The next event as one line of JSON (no newline). */
  nextLine(): string;
  /** Appends the next event's line (no newline) to `out` as UTF-8: the same bytes as `nextLine`, without a string. */
  writeLine(out: LineBuffer): void;
}

/**
 * The day's events: the `audit` generator over the day's window with the count known, so
 * timestamps come out sorted and record i is the same on every run (deterministic auditIDs).
 */
export function openDay(o: BackfillPlanOptions, day: DayPlan): DaySource {
  const config = resolveGenerator('audit', { tenants: o.tenants, from: new Date(day.fromMs).toISOString(), to: new Date(day.toMs).toISOString() }, 'script', 'backfill');
  const source = openStream(config, { seed: o.seed, stream: day.stream, salt: 0, count: day.events });
  const nextLine = source.nextLine?.bind(source) ?? (() => JSON.stringify(source.next()));
  const writeLine = source.writeLine?.bind(source) ?? ((out: LineBuffer) => out.string(nextLine()));
  return { nextLine, writeLine };
}
