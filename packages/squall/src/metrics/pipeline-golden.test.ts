import { hdrContents } from '../../test/helpers/hdr-contents.js';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Aggregator, formatTimeSeriesLine } from './aggregator.js';
import type { TimeSeriesPoint } from './aggregator.js';
import { Collector } from './collector.js';
import { addHdrCounts, createHdr, decodeHdr, encodeHdr } from './hdr.js';
import type { Hdr } from './hdr.js';
import type { MetricsSnapshot, Tags } from './types.js';

/** Small seeded PRNG (mulberry32): the same samples on every machine and Node version. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUMMARY_OPTS = {
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'count'],
  summaryTimeUnit: null,
  noColor: true,
  durationMs: 30_000,
  isStdOutTTY: false,
  isStdErrTTY: false,
};

/**
 * A run's every output for a fixed stream of samples: two workers, 30 intervals, trends with
 * latency-like values, zeros, negatives and values large enough to resize histograms past 2^32
 * scaled units; series past the per-metric cap folded into `__other`; a sub-metric; time-series
 * downsampling (point merges). Returns the summary, every 1 s point (timeseries.jsonl lines), the
 * stored series and threshold-style values, as text. `wire` stands for the trip to the main thread.
 */
function runOutputs(wire: (snapshot: MetricsSnapshot) => MetricsSnapshot = (snapshot) => snapshot): string {
  const random = prng(20261123);
  let now = 1_700_000_000_000;
  const workers = [0, 1].map(() => new Collector({ nowMs: () => now }));
  const agg = new Aggregator({
    subMetrics: [
      { metric: 'http_req_duration', filter: { status: '200' } },
      { metric: 'delta', filter: { name: 'b' } },
    ],
    maxIntervals: 8,
    maxSeriesPerMetric: 3,
  });
  const names = ['a', 'b', 'c', 'd', 'e'];
  const lines: string[] = [];
  for (let interval = 0; interval < 30; interval++) {
    for (const c of workers) {
      const dur = c.define({ name: 'http_req_duration', type: 'trend', contains: 'time' });
      const delta = c.define({ name: 'delta', type: 'trend', contains: 'default' });
      const big = c.define({ name: 'big', type: 'trend', contains: 'data' });
      const reqs = c.define({ name: 'http_reqs', type: 'counter', contains: 'default' });
      const vus = c.define({ name: 'vus', type: 'gauge', contains: 'default' });
      const checks = c.define({ name: 'checks', type: 'rate', contains: 'default' });
      const samples = 50 + Math.floor(random() * 400);
      for (let i = 0; i < samples; i++) {
        now += 1;
        const tags: Tags = { name: names[Math.floor(random() * names.length)] as string, status: random() < 0.9 ? '200' : '500' };
        const t = c.tagSet(tags);
        // Log-uniform latency from 10 us to 10 s, with 3 decimals of noise.
        c.add(dur, t, 10 ** (random() * 6 - 2));
        const r = random();
        c.add(delta, t, r < 0.1 ? 0 : r < 0.4 ? -(10 ** (random() * 5 - 1)) : 10 ** (random() * 5 - 1));
        if (random() < 0.05) c.add(big, t, 10 ** (random() * 12));
        c.add(reqs, t, 1);
        c.add(vus, c.tagSet({}), Math.floor(random() * 50));
        c.add(checks, t, random() < 0.8 ? 1 : 0);
      }
    }
    const start = 1_700_000_000_000 + interval * 1000;
    for (const c of workers) agg.ingest(wire(c.snapshot(start + 1000)));
    agg.closeInterval(start, start + 1000);
    lines.push(formatTimeSeriesLine(agg.lastPoint() as TimeSeriesPoint));
  }
  agg.setDurationMs(SUMMARY_OPTS.durationMs);
  const values = [
    agg.values('http_req_duration', {}, ['p(99)', 'p(99.99)']),
    agg.values('http_req_duration', { status: '200' }, ['p(50)']),
    agg.values('http_req_duration', { name: 'c', status: '500' }, ['p(90)']),
    agg.values('delta', { name: 'b' }, ['p(1)', 'p(99)']),
    agg.values('big', {}, ['p(99)']),
  ];
  return [
    JSON.stringify(agg.buildSummary(SUMMARY_OPTS)),
    ...lines,
    ...agg.timeSeries().map(formatTimeSeriesLine),
    JSON.stringify(values),
  ].join('\n');
}

const contents = hdrContents;

/** The outputs with every encoded histogram replaced by its contents (same text for the same histograms). */
function canonical(text: string): string {
  return text
    .split('\n')
    .map((line) => JSON.stringify(JSON.parse(line, (key, value: unknown) => (key === 'hdr' && typeof value === 'string' ? contents(decodeHdr(value)) : value))))
    .join('\n');
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A snapshot as workers sent it before: every Trend histogram as encoded text. */
function encoded(snapshot: MetricsSnapshot): MetricsSnapshot {
  return {
    ...snapshot,
    series: snapshot.series.map((s) => {
      if (s.agg.type !== 'trend' || !('counts' in s.agg)) return s;
      const h = createHdr();
      addHdrCounts(h, s.agg.counts);
      const { counts: _counts, ...rest } = s.agg;
      return { ...s, agg: { ...rest, hdr: encodeHdr(h) } };
    }),
  };
}

describe('metrics pipeline outputs', () => {
  it('are unchanged for a fixed stream of samples (summary, timeseries.jsonl lines, stored points, values)', () => {
    const text = runOutputs();
    // Taken from the pipeline before histograms travelled as counts between threads; a change here
    // changes what users see. Contents are hashed instead of the encoded text so zlib versions don't matter.
    expect(text).toContain('"hdr":"HISTFAAA');
    expect(sha256(canonical(text))).toBe('768abfb83a30b614c4d6270affbefb375ecd85a8880845b7479e327e7ad53849');
  });

  it('are the same text whether snapshots carry Trend counts or encoded histograms (as results files do)', () => {
    expect(runOutputs(encoded)).toBe(runOutputs());
  });
});
