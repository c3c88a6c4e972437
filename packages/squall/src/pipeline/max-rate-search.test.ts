import { describe, expect, it } from 'vitest';
import { searchMaxRate, type MaxRateSearchConfig, type StepKind, type StepVerdict } from './max-rate-search.js';
import { backlogGrew, backlogTrend } from './backlog-trend.js';
import type { TimeSeriesPoint } from '../metrics/time-series-point.js';

const base: MaxRateSearchConfig = { startRate: 100, maxRate: 100_000, growth: 2, precision: 0.1, stepMs: 30_000, confirmMs: 60_000, budgetMs: 3_600_000, cooldownMs: 5_000, maxConfirmations: 3 };

/** A model system and a fake clock: each step costs its duration plus 2 s of start-up. */
function model(holds: (rate: number, durationMs: number) => boolean, interruptAt?: number) {
  let now = 0;
  const clock = { nowMs: () => now, sleep: async (ms: number) => void (now += ms) };
  const calls: { rate: number; kind: StepKind }[] = [];
  const run = async (rate: number, durationMs: number, kind: StepKind, index: number): Promise<StepVerdict> => {
    calls.push({ rate, kind });
    now += durationMs + 2_000;
    if (index === interruptAt) return { pass: false, reasons: [], interrupted: true };
    const pass = holds(rate, durationMs);
    return { pass, reasons: pass ? [] : ['too slow'], interrupted: false };
  };
  return { clock, calls, run, now: () => now };
}

describe('max-rate search', () => {
  it('ramps, bisects to the precision and confirms the best rate', async () => {
    const m = model((r) => r <= 730);
    const r = await searchMaxRate(base, m.run, m.clock);
    expect(m.calls.map((c) => `${c.kind}:${c.rate}`)).toEqual(['ramp:100', 'ramp:200', 'ramp:400', 'ramp:800', 'bisect:600', 'bisect:700', 'bisect:750', 'confirm:700']);
    expect(r).toMatchObject({ maxRate: 700, confirmed: true, firstFailingRate: 750, ended: 'converged' });
    // Within the precision of the true capacity, and never above it.
    expect(r.maxRate as number).toBeLessThanOrEqual(730);
    expect(730 - (r.maxRate as number)).toBeLessThanOrEqual(0.1 * 730);
  });

  it('backs off when the longer confirmation does not hold', async () => {
    // Holds 700 for 30 s but only 600 for 60 s (e.g. a buffer that fills slowly).
    const m = model((r, d) => r <= (d > 30_000 ? 650 : 730));
    const r = await searchMaxRate(base, m.run, m.clock);
    expect(m.calls.filter((c) => c.kind === 'confirm').map((c) => c.rate)).toEqual([700, 600]);
    expect(r).toMatchObject({ maxRate: 600, confirmed: true, firstFailingRate: 700 });
  });

  it('says so when even the start rate fails', async () => {
    const m = model((r) => r <= 50);
    const r = await searchMaxRate(base, m.run, m.clock);
    expect(r).toMatchObject({ maxRate: undefined, confirmed: false, firstFailingRate: 100, ended: 'start-failed' });
    expect(m.calls).toHaveLength(1);
  });

  it('stops at the maximum and confirms it', async () => {
    const m = model(() => true);
    const r = await searchMaxRate({ ...base, maxRate: 1000 }, m.run, m.clock);
    expect(m.calls.map((c) => c.rate)).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(r).toMatchObject({ maxRate: 1000, confirmed: true, firstFailingRate: undefined, ended: 'reached-max' });
  });

  it('never starts a step that would end past the budget', async () => {
    const m = model((r) => r <= 730);
    const r = await searchMaxRate({ ...base, budgetMs: 200_000 }, m.run, m.clock);
    expect(r.ended).toBe('budget');
    expect(m.now()).toBeLessThanOrEqual(200_000);
    // 100, 200, 400, 800 (fails), 600 fit in 185 s; 700 would not.
    expect(m.calls.map((c) => c.rate)).toEqual([100, 200, 400, 800, 600]);
    expect(r).toMatchObject({ maxRate: 600, confirmed: false, firstFailingRate: 800 });
  });

  it('stops at once when a step is interrupted', async () => {
    const m = model(() => true, 1);
    const r = await searchMaxRate(base, m.run, m.clock);
    expect(r.ended).toBe('interrupted');
    expect(m.calls).toHaveLength(2);
    expect(r.maxRate).toBe(100);
  });
});

describe('backlog trend', () => {
  const points = (values: number[]): TimeSeriesPoint[] =>
    values.map((v, i) => ({ startMs: i * 1000, endMs: (i + 1) * 1000, intervals: 1, metrics: { q: { type: 'gauge', contains: 'default', total: { agg: {} as never, values: { value: v, min: v, max: v } }, series: [], foldedSeries: 0 } } }));

  it('sees a queue that grows and not one that only fluctuates by a batch', () => {
    const growing = backlogTrend(points([0, 100, 210, 290, 400, 520, 590]), 'q', 0, 10_000);
    expect(growing?.slopePerSec).toBeCloseTo(99, -1);
    expect(backlogGrew(growing!, 0)).toBe(true);
    expect(backlogGrew(growing!, 150)).toBe(false);
    const flat = backlogTrend(points([0, 500, 0, 480, 20, 500, 0, 490]), 'q', 0, 10_000);
    expect(backlogGrew(flat!, 0)).toBe(false);
    expect(backlogTrend(points([1, 2]), 'q', 0, 10_000)).toBeUndefined();
  });

  it('does not call one batch caught by the last scrape growth: the floor must rise', () => {
    // A queue fed in batches that drains back to empty between them, caught full at the end.
    const caught = backlogTrend(points([0, 0, 0, 0, 0, 0, 50, 0, 60, 70]), 'q', 0, 20_000);
    expect(caught!.growth).toBeGreaterThan(3 * caught!.noise);
    expect(caught!.floorRise).toBe(0);
    expect(backlogGrew(caught!, 0)).toBe(false);
    // The same queue that does not drain between batches any more: its floor rises.
    const behind = backlogTrend(points([0, 0, 0, 0, 0, 0, 50, 40, 60, 70]), 'q', 0, 20_000);
    expect(behind!.floorRise).toBe(40);
    expect(backlogGrew(behind!, 0)).toBe(true);
  });
});
