import { z } from 'zod';
import { SquallError } from '../errors.js';
import type { TimeSeriesPoint } from './time-series-point.js';

const aggregate = z.discriminatedUnion('type', [
  z.object({ type: z.literal('counter'), sum: z.number(), samples: z.number() }),
  z.object({
    type: z.literal('gauge'),
    value: z.number(),
    timeMs: z.number(),
    min: z.number(),
    max: z.number(),
    samples: z.number(),
  }),
  z.object({ type: z.literal('rate'), passes: z.number(), total: z.number() }),
  z.object({ type: z.literal('trend'), count: z.number(), sum: z.number(), min: z.number(), max: z.number(), hdr: z.string() }),
]);
const entry = z.object({ agg: aggregate, values: z.record(z.string(), z.number()) });
const point = z.object({
  startMs: z.number(),
  endMs: z.number(),
  intervals: z.number().int().positive(),
  metrics: z.record(
    z.string(),
    z.object({
      type: z.enum(['counter', 'gauge', 'rate', 'trend']),
      contains: z.enum(['default', 'time', 'data']),
      total: entry,
      series: z.array(entry.extend({ tags: z.record(z.string(), z.string()) })),
      foldedSeries: z.number(),
    }),
  ),
});

/**
 * Parses one `timeseries.jsonl` line (docs/timeseries.md). `where` names it in errors, e.g.
 * `results/x/timeseries.jsonl:12`. Throws SquallError SQUALL_IO saying which field is wrong.
 */
export function parseTimeSeriesLine(line: string, where: string): TimeSeriesPoint {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (cause) {
    throw new SquallError('SQUALL_IO', `${where}: expected one JSON object per line, but the line is not JSON`, { cause });
  }
  const parsed = point.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined ? '' : issue.path.join('.');
    throw new SquallError(
      'SQUALL_IO',
      `${where}: not a time-series point (docs/timeseries.md): ${path === '' ? '' : `at ${path}: `}${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
