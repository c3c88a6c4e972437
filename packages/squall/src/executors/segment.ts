/**
 * Execution segments (k6's `--execution-segment 1/4:2/4 --execution-segment-sequence 0,1/4,2/4,3/4,1`):
 * parsing, and each worker's exact share of a scenario's global index space (VUs, iterations).
 */
import { SquallError } from '../errors.js';
import type { Share } from './types.js';
import {
  ONE,
  ZERO,
  compareRational,
  formatRational,
  lcm,
  parseRational,
  subtractRational,
  type Rational,
} from './rational.js';
import { MAX_PERIOD, MAX_PERIOD_WORK, stripeOf, stripeOwners, type Stripe } from './striping.js';

export type { Rational } from './rational.js';

/** The part `[from, to)` of the whole test this instance runs; exact rationals, 0 <= from < to <= 1. */
export interface Segment {
  readonly from: Rational;
  readonly to: Rational;
}

/** Strictly ascending rationals from 0 to 1; consecutive pairs are the segments all instances split. */
export type SegmentSequence = readonly Rational[];

/** The whole test: `0:1`. */
export const FULL_SEGMENT: Segment = { from: ZERO, to: ONE };

function invalid(message: string): SquallError {
  return new SquallError('SQUALL_CONFIG_INVALID', message);
}

function parseUnit(text: string, what: string): Rational {
  const r = parseRational(text);
  if (typeof r === 'string') throw invalid(`${what}: ${r}`);
  if (compareRational(r, ONE) > 0) throw invalid(`${what}: values must be between 0 and 1, but ${text.trim()} is above 1`);
  return r;
}

/**
 * Parses k6's segment syntax: `0:1/2`, `1/2:1`, `0.5:1`, `50%:100%`, or a single value `1/4`
 * meaning `0:1/4`. Throws SquallError(SQUALL_CONFIG_INVALID) naming the rule and the value.
 */
export function parseSegment(text: string): Segment {
  const what = `execution segment "${text}"`;
  const parts = text.split(':');
  if (parts.length > 2) throw invalid(`${what}: must be FROM:TO (like 1/4:1/2) or a single value, but has ${parts.length - 1} colons`);
  const [fromText, toText] = parts.length === 2 ? [parts[0] ?? '', parts[1] ?? ''] : ['0', parts[0] ?? ''];
  const from = parseUnit(fromText, what);
  const to = parseUnit(toText, what);
  if (compareRational(to, from) <= 0) {
    throw invalid(`${what}: the end (${formatRational(to)}) must be greater than the start (${formatRational(from)})`);
  }
  return { from, to };
}

/**
 * Parses k6's sequence syntax `0,1/4,1/2,1` (each value as in parseSegment). It must start at 0, end
 * at 1 and ascend strictly, so that its segments cover the whole test exactly once.
 */
export function parseSegmentSequence(text: string): SegmentSequence {
  const what = `execution segment sequence "${text}"`;
  const parts = text.split(',');
  if (parts.length < 2) throw invalid(`${what}: needs at least 2 values (like 0,1/2,1), but has ${parts.length}`);
  const values = parts.map((p) => parseUnit(p, what));
  values.forEach((v, i) => {
    const prev = values[i - 1];
    if (prev !== undefined && compareRational(v, prev) <= 0) {
      throw invalid(`${what}: values must be strictly ascending, but ${formatRational(v)} follows ${formatRational(prev)}`);
    }
  });
  const first = values[0] ?? ZERO;
  const last = values[values.length - 1] ?? ONE;
  if (compareRational(first, ZERO) !== 0) throw invalid(`${what}: must start at 0, but starts at ${formatRational(first)}`);
  if (compareRational(last, ONE) !== 0) throw invalid(`${what}: must end at 1, but ends at ${formatRational(last)}`);
  return values;
}

/** `[0, from, to, 1]` without duplicates: the sequence implied when only a segment is given. */
export function defaultSequenceFor(segment: Segment): SegmentSequence {
  const out: Rational[] = [];
  for (const v of [ZERO, segment.from, segment.to, ONE]) {
    const last = out[out.length - 1];
    if (last === undefined || compareRational(v, last) !== 0) out.push(v);
  }
  return out;
}

/** `1/4:1/2`, as k6 prints it. */
export function formatSegment(segment: Segment): string {
  return `${formatRational(segment.from)}:${formatRational(segment.to)}`;
}

/** `0,1/4,1/2,1`, as k6 prints it. */
export function formatSequence(sequence: SegmentSequence): string {
  return sequence.map(formatRational).join(',');
}

/** Position of `segment` among the sequence's segments, or -1. */
export function segmentIndexIn(sequence: SegmentSequence, segment: Segment): number {
  for (let i = 0; i + 1 < sequence.length; i++) {
    const from = sequence[i];
    const to = sequence[i + 1];
    if (from && to && compareRational(from, segment.from) === 0 && compareRational(to, segment.to) === 0) return i;
  }
  return -1;
}

const stripeCache = new Map<string, Stripe>();
const STRIPE_CACHE_LIMIT = 16;

function instanceStripe(sequence: SegmentSequence, index: number): Stripe {
  const key = `${formatSequence(sequence)}#${index}`;
  const cached = stripeCache.get(key);
  if (cached) return cached;
  const widths = [];
  for (let i = 0; i + 1 < sequence.length; i++) widths.push(subtractRational(sequence[i + 1] ?? ONE, sequence[i] ?? ZERO));
  const period = widths.reduce((acc, w) => lcm(acc, w.den), 1n);
  if (period > BigInt(MAX_PERIOD)) {
    throw invalid(
      `execution segment sequence ${formatSequence(sequence)}: the least common denominator of its segment widths must be at most ${MAX_PERIOD}, but is ${period}; use simpler fractions`,
    );
  }
  if (period * BigInt(widths.length) > BigInt(MAX_PERIOD_WORK)) {
    throw invalid(
      `execution segment sequence ${formatSequence(sequence)}: its ${widths.length} segments times the common denominator ${period} must be at most ${MAX_PERIOD_WORK}; use fewer segments or simpler fractions`,
    );
  }
  const quotas = widths.map((w) => Number((w.num * period) / w.den));
  const stripe = stripeOf(stripeOwners(quotas, Number(period)), index);
  if (stripeCache.size >= STRIPE_CACHE_LIMIT) {
    const oldest = stripeCache.keys().next().value;
    if (oldest !== undefined) stripeCache.delete(oldest);
  }
  stripeCache.set(key, stripe);
  return stripe;
}

/**
 * The share of worker `workerIndex` (of `workerCount`) in the instance running `segment` of
 * `sequence`. Instance level: global index k belongs to the segment chosen by deadline-ordered
 * largest-deficit striping (striping.ts) over one period, the lcm of the widths' denominators;
 * each segment's count(n) stays strictly within 1 of n x width. Worker level: the instance's j-th
 * owned index goes to worker j mod workerCount. `count` and `at` are O(1); computed once per run.
 */
export function createShare(sequence: SegmentSequence, segment: Segment, workerIndex: number, workerCount: number): Share {
  if (!Number.isInteger(workerCount) || workerCount < 1 || !Number.isInteger(workerIndex) || workerIndex < 0 || workerIndex >= workerCount) {
    throw new SquallError('SQUALL_USAGE', `worker ${workerIndex} of ${workerCount}: need 0 <= workerIndex < workerCount, both integers`);
  }
  const index = segmentIndexIn(sequence, segment);
  if (index < 0) {
    throw invalid(
      `execution segment ${formatSegment(segment)} must be one of the segments of the sequence ${formatSequence(sequence)}; pick consecutive values of the sequence`,
    );
  }
  const { period, owned, prefix } = instanceStripe(sequence, index);
  const perPeriod = owned.length;
  const instanceCount = (n: number): number => {
    if (!(n > 0)) return 0;
    const whole = Math.floor(n);
    const q = Math.floor(whole / period);
    return q * perPeriod + (prefix[whole - q * period] ?? 0);
  };
  const instanceAt = (m: number): number => {
    const q = Math.floor(m / perPeriod);
    return q * period + (owned[m - q * perPeriod] ?? 0);
  };
  return {
    count(n: number): number {
      const c = instanceCount(n);
      return c > workerIndex ? Math.floor((c - workerIndex - 1) / workerCount) + 1 : 0;
    },
    at(j: number): number {
      return instanceAt(j * workerCount + workerIndex);
    },
  };
}
