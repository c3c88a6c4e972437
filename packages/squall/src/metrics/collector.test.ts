import { describe, expect, it } from 'vitest';
import { Collector } from './collector.js';
import { addHdrCounts, createHdr, hdrCount, hdrPercentile } from './hdr.js';
import type { Hdr } from './hdr.js';
import type { SnapshotAggregate } from './types.js';

/** The histogram a snapshot's Trend aggregate carries (as counts). */
function hdrOf(agg: SnapshotAggregate | undefined): Hdr {
  const h = createHdr();
  if (agg?.type === 'trend' && 'counts' in agg) addHdrCounts(h, agg.counts);
  return h;
}

function aggOf(c: Collector, nowMs = 0): Map<string, SnapshotAggregate> {
  const snap = c.snapshot(nowMs);
  return new Map(snap.series.map((s) => [`${s.metric}${JSON.stringify(s.tags)}`, s.agg]));
}

describe('Collector.define', () => {
  it('is idempotent by name and rejects another type with SQUALL_CONFIG_INVALID', () => {
    const c = new Collector();
    const id = c.define({ name: 'my_trend', type: 'trend', contains: 'time' });
    expect(c.define({ name: 'my_trend', type: 'trend', contains: 'time' })).toBe(id);
    expect(c.define({ name: 'other', type: 'counter', contains: 'default' })).not.toBe(id);
    expect(() => c.define({ name: 'my_trend', type: 'counter', contains: 'default' })).toThrow(
      expect.objectContaining({ code: 'SQUALL_CONFIG_INVALID', message: expect.stringContaining('already defined as a trend') }),
    );
  });

  it.each([
    ['http_req_duration', true],
    ['_private', true],
    ['A1_b2', true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['1starts_with_digit', false],
    ['has-dash', false],
    ['has space', false],
    ['', false],
    ['métrique', false],
  ])('name %j valid: %s', (name, valid) => {
    const c = new Collector();
    const define = () => c.define({ name, type: 'counter', contains: 'default' });
    if (valid) expect(define).not.toThrow();
    else expect(define).toThrow(expect.objectContaining({ code: 'SQUALL_CONFIG_INVALID' }));
  });
});

describe('Collector.tagSet', () => {
  it('gives equal tag sets the same id whatever the key order', () => {
    const c = new Collector();
    const a = c.tagSet({ method: 'GET', status: '200' });
    expect(c.tagSet({ status: '200', method: 'GET' })).toBe(a);
    expect(c.tagSet({ method: 'GET', status: '500' })).not.toBe(a);
    expect(c.tagSet({})).not.toBe(a);
    expect(c.tagsOf(a)).toEqual({ method: 'GET', status: '200' });
  });

  it('copies the tags, so later mutation of the caller object has no effect', () => {
    const c = new Collector();
    const tags: Record<string, string> = { name: 'a' };
    const id = c.tagSet(tags);
    tags['name'] = 'b';
    expect(c.tagsOf(id)).toEqual({ name: 'a' });
  });
});

describe('Collector.add and snapshot', () => {
  it('aggregates each type as k6 does', () => {
    let now = 1000;
    const c = new Collector({ nowMs: () => now });
    const counter = c.define({ name: 'reqs', type: 'counter', contains: 'default' });
    const gauge = c.define({ name: 'level', type: 'gauge', contains: 'default' });
    const rate = c.define({ name: 'ok', type: 'rate', contains: 'default' });
    const trend = c.define({ name: 'lat', type: 'trend', contains: 'time' });
    const t = c.tagSet({});
    for (const v of [1, 2, 3.5]) c.add(counter, t, v);
    for (const v of [5, -2, 9, 4]) {
      now++;
      c.add(gauge, t, v);
    }
    for (const v of [1, 0, 7, 0, 0, -1]) c.add(rate, t, v);
    for (const v of [10, 20, 30, 40]) c.add(trend, t, v);
    const aggs = aggOf(c);
    expect(aggs.get('reqs{}')).toEqual({ type: 'counter', sum: 6.5, samples: 3 });
    expect(aggs.get('level{}')).toEqual({ type: 'gauge', value: 4, timeMs: 1004, min: -2, max: 9, samples: 4 });
    expect(aggs.get('ok{}')).toEqual({ type: 'rate', passes: 3, total: 6 });
    const lat = aggs.get('lat{}');
    expect(lat).toMatchObject({ type: 'trend', count: 4, sum: 100, min: 10, max: 40 });
    const h = hdrOf(lat);
    expect(hdrCount(h)).toBe(4);
    expect(hdrPercentile(h, 50)).toBeCloseTo(25, 1);
  });

  it('returns only what was recorded since the previous snapshot, reusing series', () => {
    const c = new Collector();
    const m = c.define({ name: 'lat', type: 'trend', contains: 'time' });
    const a = c.tagSet({ name: 'a' });
    const b = c.tagSet({ name: 'b' });
    c.add(m, a, 1);
    c.add(m, b, 2);
    const first = c.snapshot(10);
    expect(first.series.map((s) => s.tags)).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(first.cutAtMs).toBe(10);
    expect(c.snapshot(20).series).toEqual([]);
    c.add(m, b, 7);
    c.add(m, b, 9);
    const third = c.snapshot(30);
    expect(third.series).toHaveLength(1);
    expect(third.series[0]?.agg).toMatchObject({ type: 'trend', count: 2, sum: 16, min: 7, max: 9 });
    expect(hdrCount(hdrOf(third.series[0]?.agg))).toBe(2);
  });

  it('ignores non-finite values except for a Rate, where only value !== 0 matters', () => {
    const c = new Collector();
    const counter = c.define({ name: 'c', type: 'counter', contains: 'default' });
    const trend = c.define({ name: 't', type: 'trend', contains: 'default' });
    const rate = c.define({ name: 'r', type: 'rate', contains: 'default' });
    const t = c.tagSet({});
    c.add(counter, t, Number.NaN);
    c.add(trend, t, Number.POSITIVE_INFINITY);
    c.add(rate, t, Number.NaN);
    const aggs = aggOf(c);
    expect(aggs.has('c{}')).toBe(false);
    expect(aggs.has('t{}')).toBe(false);
    expect(aggs.get('r{}')).toEqual({ type: 'rate', passes: 1, total: 1 });
  });

  it('throws RangeError for ids it did not hand out', () => {
    const c = new Collector();
    const m = c.define({ name: 'c', type: 'counter', contains: 'default' });
    expect(() => c.add(m + 1, c.tagSet({}), 1)).toThrow(RangeError);
    expect(() => c.add(m, 99, 1)).toThrow(RangeError);
  });

  it('produces structured-cloneable snapshots that carry every definition', () => {
    const c = new Collector();
    const m = c.define({ name: 'lat', type: 'trend', contains: 'time' });
    c.define({ name: 'unused', type: 'counter', contains: 'default' });
    c.add(m, c.tagSet({ status: '200' }), -3.25);
    const snap = c.snapshot(5);
    expect(structuredClone(snap)).toEqual(snap);
    expect(snap.defs.map((d) => d.name)).toEqual(['lat', 'unused']);
  });
});
