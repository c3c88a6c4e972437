import { describe, expect, it } from 'vitest';
import { AliasTable, zipfWeights } from './alias-table.js';
import { DailyRhythm } from './daily-rhythm.js';
import { IsoTime } from './iso-time.js';
import { Prng } from './prng.js';
import { UniqueIds } from './unique-id.js';

describe('Prng', () => {
  it('repeats for a seed and differs across seeds and salts', () => {
    const take = (p: Prng) => Array.from({ length: 5 }, () => p.u32());
    expect(take(Prng.from('a'))).toEqual(take(Prng.from('a')));
    expect(take(Prng.from('a'))).not.toEqual(take(Prng.from('b')));
    expect(take(Prng.from('a', 1))).not.toEqual(take(Prng.from('a', 2)));
    expect(take(Prng.from('a', 2 ** 32))).not.toEqual(take(Prng.from('a', 0)));
  });

  it('is uniform enough: 10 buckets within 2% of 100,000 draws each', () => {
    const p = Prng.from(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 1_000_000; i++) buckets[p.int(10)]!++;
    for (const b of buckets) expect(Math.abs(b - 100_000)).toBeLessThan(2000);
  });
});

describe('AliasTable', () => {
  it.each([
    [[40, 30, 15, 10, 5]],
    [[1, 0, 3]],
    [zipfWeights(50, 1.1)],
  ])('samples in proportion to %j', (weights) => {
    const t = new AliasTable(weights);
    const p = Prng.from('alias');
    const n = 400_000;
    const counts = new Array<number>(weights.length).fill(0);
    for (let i = 0; i < n; i++) counts[t.sample(p)]!++;
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, i) => expect(Math.abs(counts[i]! / n - w / total)).toBeLessThan(0.005));
  });

  it('rejects weights that are all zero', () => {
    expect(() => new AliasTable([0, 0])).toThrow(RangeError);
  });
});

describe('UniqueIds', () => {
  it('never repeats across streams and sequences, and is a version-8 UUID', () => {
    const ids = new UniqueIds('seed', 0);
    const rng = Prng.from(1);
    const seen = new Set<string>();
    const prefixes = new Set<string>();
    for (let stream = 0; stream < 200; stream++) {
      for (let seq = 0; seq < 500; seq++) {
        const id = ids.uuid(stream, seq, rng);
        seen.add(id);
        prefixes.add(id.slice(0, 23));
      }
    }
    expect(seen.size).toBe(100_000);
    // The non-random part alone is already unique: uniqueness does not rest on chance.
    expect(prefixes.size).toBe(100_000);
    const id = ids.uuid(3, 2 ** 40 + 5, rng);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('IsoTime', () => {
  it('matches Date#toISOString to the millisecond and keeps microseconds', () => {
    const iso = new IsoTime();
    const p = Prng.from('iso');
    for (let i = 0; i < 5000; i++) {
      const ms = 1_600_000_000_000 + p.float() * 400 * 86_400_000;
      expect(iso.millis(ms)).toBe(new Date(Math.floor(ms)).toISOString());
      const micros = iso.micros(ms);
      expect(micros.slice(0, 23)).toBe(new Date(Math.floor(ms)).toISOString().slice(0, 23));
      expect(micros).toMatch(/\.\d{6}Z$/);
    }
  });

  it('writes the bytes of micros(), also before 1970 and across days', () => {
    const iso = new IsoTime();
    const bytes = new IsoTime();
    const buf = Buffer.alloc(64);
    const p = Prng.from('iso-bytes');
    for (let i = 0; i < 5000; i++) {
      const ms = -3 * 86_400_000 + p.float() * 6 * 86_400_000 + (i % 2 === 0 ? 1_700_000_000_000 : 0);
      const end = bytes.writeMicros(buf, 3, ms);
      expect(buf.toString('latin1', 3, end)).toBe(iso.micros(ms));
    }
  });
});

describe('DailyRhythm', () => {
  const from = Date.parse('2025-01-01T00:00:00Z');
  const to = Date.parse('2025-01-08T00:00:00Z');

  it('places a known count in order inside the window', () => {
    const r = new DailyRhythm(from, to, { amplitude: 0.5, peakHourUtc: 14 });
    const p = Prng.from(1);
    let last = -Infinity;
    for (let i = 0; i < 10_000; i++) {
      const t = r.nth(i, 10_000, p);
      expect(t).toBeGreaterThanOrEqual(last);
      expect(t).toBeGreaterThanOrEqual(from);
      expect(t).toBeLessThan(to);
      last = t;
    }
  });

  it('puts about 3x more traffic at the 14:00 peak than at the 02:00 trough with amplitude 0.5', () => {
    const r = new DailyRhythm(from, to, { amplitude: 0.5, peakHourUtc: 14 });
    const p = Prng.from(2);
    const byHour = new Array<number>(24).fill(0);
    for (let i = 0; i < 200_000; i++) byHour[new Date(r.random(p)).getUTCHours()]!++;
    const ratio = byHour[14]! / byHour[2]!;
    expect(ratio).toBeGreaterThan(2.6);
    expect(ratio).toBeLessThan(3.4);
  });
});
