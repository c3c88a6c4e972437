/** Readers for top-level options with their own grammar: trend stats, expected statuses, segments. */
import { SquallError } from '../errors.js';
import { createShare, defaultSequenceFor, FULL_SEGMENT, formatSegment, formatSequence, parseSegment, parseSegmentSequence, segmentIndexIn } from '../executors/segment.js';
import type { Segment, SegmentSequence } from '../executors/segment.js';
import { describeValue, isRecord } from './describe-value.js';
import type { FieldReader } from './field-reader.js';
import type { ExpectedStatuses } from './types.js';

/** k6's default `summaryTrendStats`. */
export const DEFAULT_TREND_STATS: readonly string[] = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
const TREND_STAT = /^(avg|min|med|max|count|p\((\d+(?:\.\d+)?)\))$/;
const STATUS = { min: 100, max: 599 };

/** `summaryTrendStats`: avg, min, med, max, count or p(N) with 0 <= N <= 100. */
export function readTrendStats(r: FieldReader, key: string): readonly string[] | undefined {
  if (!r.has(key)) return DEFAULT_TREND_STATS;
  const value = r.raw[key];
  if (!Array.isArray(value)) {
    r.problem(key, `must be a list such as ["avg", "p(95)"], but is ${describeValue(value)}`);
    return undefined;
  }
  let ok = true;
  value.forEach((stat: unknown, i) => {
    const m = typeof stat === 'string' ? TREND_STAT.exec(stat) : null;
    if (m === null || (m[2] !== undefined && Number(m[2]) > 100)) {
      ok = false;
      r.problems.push({
        path: `${r.pathOf(key)}[${i}]`,
        message: `must be avg, min, med, max, count or p(N) with N from 0 to 100, but is ${describeValue(stat)}`,
      });
    }
  });
  return ok ? (value as string[]) : undefined;
}

/** `expectedStatuses`: status codes and `{ min, max }` ranges; default 200..399 as k6. */
export function readExpectedStatuses(r: FieldReader, key: string): ExpectedStatuses | undefined {
  if (!r.has(key)) return [{ min: 200, max: 399 }];
  const value = r.raw[key];
  if (!Array.isArray(value)) {
    r.problem(key, `must be a list of statuses and ranges such as [200, { min: 300, max: 399 }], but is ${describeValue(value)}`);
    return undefined;
  }
  const before = r.problems.length;
  const out = value.map((item: unknown, i) => {
    const path = `${r.pathOf(key)}[${i}]`;
    if (typeof item === 'number') return r.intAt(item, path, STATUS) ?? 0;
    if (!isRecord(item)) {
      r.problems.push({ path, message: `must be a status code or { min, max }, but is ${describeValue(item)}` });
      return 0;
    }
    for (const k of Object.keys(item)) {
      if (k !== 'min' && k !== 'max') r.problems.push({ path: `${path}.${k}`, message: 'is not allowed; a range has only min and max' });
    }
    const min = r.intAt(item.min, `${path}.min`, STATUS);
    const max = r.intAt(item.max, `${path}.max`, STATUS);
    if (min !== undefined && max !== undefined && max < min) {
      r.problems.push({ path: `${path}.max`, message: `must be at least min (${min}), but is ${max}` });
    }
    return { min: min ?? 0, max: max ?? 0 };
  });
  return r.problems.length === before ? out : undefined;
}

function parseAt<T>(r: FieldReader, key: string, parse: (text: string) => T): T | undefined {
  const text = r.string(key);
  if (text === undefined) return undefined;
  try {
    return parse(text);
  } catch (err) {
    if (!(err instanceof SquallError)) throw err;
    r.problem(key, err.message);
    return undefined;
  }
}

/**
 * `executionSegment` (default 0:1) and `executionSegmentSequence` (default [0, from, to, 1]); the
 * segment must be one of the sequence's, and the sequence simple enough to stripe.
 */
export function readSegments(
  segmentReader: FieldReader,
  sequenceReader: FieldReader,
): { segment: Segment; sequence: SegmentSequence } | undefined {
  const segKey = 'executionSegment';
  const seqKey = 'executionSegmentSequence';
  const segment = segmentReader.has(segKey) ? parseAt(segmentReader, segKey, parseSegment) : FULL_SEGMENT;
  // Parsed even when the segment is bad, so both problems show at once.
  const sequence = sequenceReader.has(seqKey)
    ? parseAt(sequenceReader, seqKey, parseSegmentSequence)
    : segment && defaultSequenceFor(segment);
  if (segment === undefined || sequence === undefined) return undefined;
  if (segmentIndexIn(sequence, segment) < 0) {
    segmentReader.problem(
      segKey,
      `must be one of the segments of the sequence ${formatSequence(sequence)} (consecutive values), but is ${formatSegment(segment)}`,
    );
    return undefined;
  }
  try {
    // Striping is precomputed here once, so a sequence too complex to stripe fails at validation.
    createShare(sequence, segment, 0, 1);
  } catch (err) {
    if (!(err instanceof SquallError)) throw err;
    sequenceReader.problem(seqKey, err.message);
    return undefined;
  }
  return { segment, sequence };
}
